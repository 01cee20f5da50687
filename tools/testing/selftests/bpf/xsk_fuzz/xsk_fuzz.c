// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * xsk_fuzz: a random-sequence fuzzer of the AF_XDP socket family.
 *
 * A run is a number of sequences.  Each sequence starts from nothing, lets
 * --threads threads draw --ops random calls each on a small table of
 * sockets (socket, setsockopt and getsockopt of every option with right and
 * wrong sizes, mmap and munmap of every ring, bind with random flags,
 * devices, queues and shared fds, I/O calls, close, XSKMAP updates and
 * deletes, hostile writes to the mapped rings and the UMEM, traffic from
 * the peer, device and queue changes), then closes and unmaps everything
 * and checks that every socket is freed.  After each sequence the kernel
 * log is read: a report (BUG, WARNING, KASAN, lockdep...) stops the run
 * with the seed and sequence that reproduce the calls:
 *
 *   xsk_fuzz --seed S --first N --sequences 1
 *
 * Each thread's calls depend only on (seed, sequence, thread), so the calls
 * are reproduced exactly; their interleaving is not.  At the end a table
 * counts the (socket state, call) pairs reached.
 *
 * Runs as root in a veth lab of its own (lab/vlab.c), removed at exit.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <net/if.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/bpf.h>
#include <linux/ethtool.h>
#include <linux/if_ether.h>
#include <linux/if_link.h>
#include <linux/if_packet.h>
#include <linux/if_xdp.h>
#include <linux/sockios.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "vlab.h"

#ifndef AF_XDP
#define AF_XDP 44
#endif
#ifndef SOL_XDP
#define SOL_XDP 283
#endif

#define MAX_SLOTS	4
#define MAX_MAPS	6
#define MAP_ENTRIES	16
#define QUEUES		4
#define FUZZ_ETHERTYPE	0x88b5

/* ---- reproducible randomness ------------------------------------------- */

struct rng {
	uint64_t s;
};

static uint64_t rng_next(struct rng *r)
{
	/* splitmix64 */
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* A number below @n (n > 0). */
static uint32_t rnd(struct rng *r, uint32_t n)
{
	return rng_next(r) % n;
}

/* True with probability 1/@n. */
static bool one_in(struct rng *r, uint32_t n)
{
	return rnd(r, n) == 0;
}

/* One of the values of @v. */
#define PICK(r, ...)								\
	({									\
		const long long __v[] = { __VA_ARGS__ };			\
		__v[rnd(r, sizeof(__v) / sizeof(__v[0]))];			\
	})

/* ---- coverage: (socket state, call) ------------------------------------- */

enum slot_state { ST_NONE, ST_READY, ST_UMEM, ST_BOUND, ST_UNBOUND, ST_COUNT };
static const char *const state_names[ST_COUNT] = {
	"none", "ready", "umem", "bound", "unbound",
};

enum call {
	C_SOCKET, C_UMEM_REG, C_RING, C_SETOPT_BAD, C_GETOPT, C_MMAP, C_MUNMAP,
	C_BIND, C_SEND, C_RECV, C_POLL, C_CLOSE, C_MAP_UPDATE, C_MAP_DELETE,
	C_RING_WRITE, C_TRAFFIC, C_DEVICE, C_SETUP, C_COUNT
};
static const char *const call_names[C_COUNT] = {
	"socket", "umem_reg", "ring", "setopt_bad", "getopt", "mmap", "munmap",
	"bind", "send", "recv", "poll", "close", "map_upd", "map_del",
	"ring_wr", "traffic", "device", "setup",
};

static uint64_t coverage[ST_COUNT][C_COUNT][2];	/* [..][..][ok, error] */
static pthread_mutex_t coverage_lock = PTHREAD_MUTEX_INITIALIZER;

static void cover(enum slot_state st, enum call c, long ret)
{
	pthread_mutex_lock(&coverage_lock);
	coverage[st][c][ret < 0]++;
	pthread_mutex_unlock(&coverage_lock);
}

/* ---- the world of one sequence ------------------------------------------ */

struct mapping {
	char *addr;
	size_t len;
	off_t pgoff;
};

struct slot {
	pthread_mutex_t lock;		/* the bookkeeping below, not the kernel calls */
	int fd;				/* -1 when free */
	enum slot_state state;
	char *umem;			/* our mmap of the UMEM area, kept to the end */
	size_t umem_len;
	uint32_t chunk;
	uint32_t ring_entries[4];	/* rx, tx, fill, completion, as set */
	struct mapping maps[MAX_MAPS];
};

static struct {
	struct vlab lab;
	struct slot slots[MAX_SLOTS];
	int xskmap, prog, peer;		/* peer: AF_PACKET on the lab's B side */
	uint32_t xdp_flags;		/* how the program is attached, 0 when not */
	struct xdp_mmap_offsets off;
	pthread_mutex_t dev_lock;	/* device changes, one at a time */
	long page;
} w;

/* ---- the run ------------------------------------------------------------ */

static struct {
	uint64_t seed, first, sequences;
	unsigned int ops, threads;
	unsigned int leak_every;	/* kmemleak scan every N sequences (0: never) */
	bool quiet;
} opt = { .seed = 1, .sequences = 1000, .ops = 40, .threads = 2 };

static volatile uint64_t current_seq;
static volatile uint64_t progress;	/* bumped by every call: the watchdog reads it */
static int kmsg_fd = -1;
static int xdp_sockets_base;

__attribute__((format(printf, 1, 2), noreturn))
static void die(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "xsk_fuzz: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	exit(2);
}

/* Say which sequence failed and how to run it again, then stop. */
__attribute__((format(printf, 1, 2), noreturn))
static void fail_seq(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "xsk_fuzz: FAIL in sequence %llu of seed %llu: ",
		(unsigned long long)current_seq, (unsigned long long)opt.seed);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nxsk_fuzz: reproduce: xsk_fuzz --seed %llu --first %llu --sequences 1"
		" --ops %u --threads %u\n", (unsigned long long)opt.seed,
		(unsigned long long)current_seq, opt.ops, opt.threads);
	exit(1);
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000ull + ts.tv_nsec / 1000000;
}

/* "XDP" sockets in use, from /proc/net/protocols. */
static int xdp_sockets_in_use(void)
{
	FILE *f = fopen("/proc/net/protocols", "r");
	char line[512], name[32];
	int size, n = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%31s %d %d", name, &size, &n) == 3 && !strcmp(name, "XDP"))
			break;
	fclose(f);
	return n;
}

/* ---- the kernel log ------------------------------------------------------ */

static const char *const report_marks[] = {
	"BUG:", "WARNING:", "Oops", "KASAN:", "UBSAN:", "kernel BUG",
	"general protection fault", "possible circular locking",
	"possible recursive locking", "INFO: ", "Call Trace:", "Kernel panic",
	"suspected memory leak",
};

static void kmsg_open(void)
{
	kmsg_fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (kmsg_fd >= 0)
		lseek(kmsg_fd, 0, SEEK_END);
}

/* Every new kernel log record; fail on a report. */
static void kmsg_check(void)
{
	char rec[8192];
	ssize_t n;

	if (kmsg_fd < 0)
		return;
	for (;;) {
		n = read(kmsg_fd, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)
			continue;	/* records overwritten: go on */
		if (n <= 0)
			return;
		rec[n] = 0;
		for (size_t i = 0; i < sizeof(report_marks) / sizeof(report_marks[0]); i++)
			if (strstr(rec, report_marks[i]))
				fail_seq("the kernel reported: %s", strchr(rec, ';') ?
					 strchr(rec, ';') + 1 : rec);
	}
}

/* kmemleak: two scans (an object must stay unreferenced), then its findings. */
static void kmemleak_check(uint64_t since)
{
	const char *path = "/sys/kernel/debug/kmemleak";
	char buf[4096];
	ssize_t n;
	int fd;

	for (int i = 0; i < 2; i++) {
		fd = open(path, O_WRONLY | O_CLOEXEC);
		if (fd < 0)
			return;
		if (write(fd, "scan", 4) != 4) {
			close(fd);
			return;
		}
		close(fd);
		if (!i)
			sleep(6);
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n > 0) {
		buf[n] = 0;
		fail_seq("kmemleak found leaks in sequences %llu..%llu:\n%s",
			 (unsigned long long)since, (unsigned long long)current_seq, buf);
	}
	/* Forget what was reported, so the next scan shows only new leaks. */
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		if (write(fd, "clear", 5) < 0)
			perror("kmemleak clear");
		close(fd);
	}
}

/* ---- the XDP program and the peer ----------------------------------------- */

#define INSN(c, d, s, o, i) ((struct bpf_insn){ .code = (c), .dst_reg = (d), \
						.src_reg = (s), .off = (o), .imm = (i) })

/* return bpf_redirect_map(&xskmap, rx_queue_index, XDP_PASS) */
static int prog_load(void)
{
	struct bpf_insn insns[] = {
		INSN(BPF_LDX | BPF_W | BPF_MEM, 2, 1, offsetof(struct xdp_md, rx_queue_index), 0),
		INSN(BPF_LD | BPF_DW | BPF_IMM, 1, BPF_PSEUDO_MAP_FD, 0, w.xskmap),
		INSN(0, 0, 0, 0, 0),
		INSN(BPF_ALU64 | BPF_MOV | BPF_K, 3, 0, 0, XDP_PASS),
		INSN(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_redirect_map),
		INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0),
	};
	LIBBPF_OPTS(bpf_prog_load_opts, popts, .prog_flags = BPF_F_XDP_HAS_FRAGS);

	return bpf_prog_load(BPF_PROG_TYPE_XDP, "xsk_fuzz", "GPL", insns,
			     sizeof(insns) / sizeof(insns[0]), &popts);
}

static int peer_open(void)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET };
	int fd, err;

	err = vlab_enter(&w.lab, VLAB_B);
	if (err)
		return err;
	fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	sll.sll_ifindex = if_nametoindex(w.lab.ifname[1]);
	if (fd >= 0 && bind(fd, (struct sockaddr *)&sll, sizeof(sll))) {
		close(fd);
		fd = -1;
	}
	err = vlab_enter(&w.lab, VLAB_A);
	return fd < 0 ? -1 : (err ? err : fd);
}

/* ---- the calls ------------------------------------------------------------ */

/* A random socket slot, locked. */
static struct slot *slot_lock(struct rng *r)
{
	struct slot *s = &w.slots[rnd(r, MAX_SLOTS)];

	pthread_mutex_lock(&s->lock);
	return s;
}

static void slot_unlock(struct slot *s)
{
	pthread_mutex_unlock(&s->lock);
}

static long sys_ret(long ret)
{
	__atomic_add_fetch(&progress, 1, __ATOMIC_RELAXED);
	return ret < 0 ? -errno : ret;
}

static void call_socket(struct rng *r, struct slot *s)
{
	int type = one_in(r, 8) ? SOCK_DGRAM : SOCK_RAW;
	int proto = one_in(r, 8) ? (int)rnd(r, 300) : 0;
	long fd;

	if (s->fd >= 0)
		return;
	fd = sys_ret(socket(AF_XDP, type | SOCK_CLOEXEC, proto));
	cover(ST_NONE, C_SOCKET, fd);
	if (fd >= 0) {
		s->fd = fd;
		s->state = ST_READY;
	}
}

/* The slot's UMEM area (64 pages), mapped on first use; false when out of memory. */
static bool slot_umem_area(struct slot *s)
{
	if (s->umem)
		return true;
	s->umem_len = 64 * 4096;
	s->umem = mmap(NULL, s->umem_len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (s->umem != MAP_FAILED)
		return true;
	s->umem = NULL;
	return false;
}

static void call_umem_reg(struct rng *r, struct slot *s)
{
	struct {
		__u64 addr, len;
		__u32 chunk_size, headroom, flags, tx_metadata_len;
	} mr = {};
	uint32_t chunk = PICK(r, 2048, 4096, 4096, 3000, 8192, 1 << rnd(r, 16), rnd(r, 70000));
	uint32_t frames = PICK(r, 16, 32, 64, 1, 0);
	socklen_t len = PICK(r, sizeof(mr), sizeof(mr), 24, 28, rnd(r, 40));
	enum slot_state st = s->state;
	long ret;

	if (!slot_umem_area(s))
		return;
	if (one_in(r, 2)) {
		/* A registration that works, so that later calls get further. */
		chunk = PICK(r, 2048, 4096);
		frames = PICK(r, 16, 32, 64);
		mr.flags = one_in(r, 4) ? XDP_UMEM_UNALIGNED_CHUNK_FLAG : 0;
		len = sizeof(mr);
	} else {
		mr.flags = one_in(r, 3) ? rnd(r, 8) : one_in(r, 10) ? (uint32_t)rng_next(r) : 0;
	}
	mr.addr = (uintptr_t)s->umem + (one_in(r, 6) ? rnd(r, 8192) : 0);
	if (one_in(r, 20))
		mr.addr = rng_next(r);
	mr.len = one_in(r, 8) ? rng_next(r) % (1ull << 34) :
		 (uint64_t)chunk * frames > s->umem_len ? s->umem_len : (uint64_t)chunk * frames;
	mr.chunk_size = chunk;
	mr.headroom = PICK(r, 0, 0, 64, 256, rnd(r, 5000));
	mr.tx_metadata_len = PICK(r, 0, 0, 16, 24, 8, rnd(r, 300));
	ret = sys_ret(setsockopt(s->fd, SOL_XDP, XDP_UMEM_REG, &mr, len));
	cover(st, C_UMEM_REG, ret);
	if (!ret) {
		s->state = ST_UMEM;
		s->chunk = chunk;
	}
}

static const int ring_opts[4] = {
	XDP_RX_RING, XDP_TX_RING, XDP_UMEM_FILL_RING, XDP_UMEM_COMPLETION_RING,
};
static const off_t ring_pgoffs[4] = {
	XDP_PGOFF_RX_RING, XDP_PGOFF_TX_RING, XDP_UMEM_PGOFF_FILL_RING,
	XDP_UMEM_PGOFF_COMPLETION_RING,
};

static void call_ring(struct rng *r, struct slot *s)
{
	unsigned int i = rnd(r, 4);
	uint32_t entries = 1u << PICK(r, 0, 2, 4, 6, 6, 6, 6, 8, 11, 16);
	socklen_t len = one_in(r, 8) ? rnd(r, 9) : sizeof(entries);
	long ret;

	/* Now and then a size that is no power of two, or none at all. */
	if (one_in(r, 8))
		entries = PICK(r, 0, 3, 100, (uint32_t)rng_next(r));
	/* A ring not set yet, most of the time. */
	for (unsigned int k = 0; k < 4 && s->ring_entries[i] && !one_in(r, 4); k++)
		i = (i + 1) % 4;
	ret = sys_ret(setsockopt(s->fd, SOL_XDP, ring_opts[i], &entries, len));
	cover(s->state, C_RING, ret);
	if (!ret && len >= sizeof(entries))
		s->ring_entries[i] = entries;
}

static void call_setopt_bad(struct rng *r, struct slot *s)
{
	char buf[64];
	int level = PICK(r, SOL_XDP, SOL_XDP, SOL_SOCKET, 0, rnd(r, 400));
	int name = PICK(r, 0, 8, 9, 100, (int)rnd(r, 64));
	long ret;

	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = rng_next(r);
	/* SOL_SOCKET options are not ours to test, only their refusal paths. */
	if (level == SOL_SOCKET)
		name = PICK(r, SO_BINDTODEVICE, SO_BUSY_POLL, SO_PREFER_BUSY_POLL);
	ret = sys_ret(setsockopt(s->fd, level, name, buf, rnd(r, sizeof(buf))));
	cover(s->state, C_SETOPT_BAD, ret);
}

static void call_getopt(struct rng *r, struct slot *s)
{
	char buf[256];
	int name = PICK(r, XDP_MMAP_OFFSETS, XDP_STATISTICS, XDP_OPTIONS, 0, 9, rnd(r, 32));
	socklen_t len = PICK(r, 0, 4, 8, 24, 48, 96, 128, 200, rnd(r, sizeof(buf)));
	long ret;

	ret = sys_ret(getsockopt(s->fd, SOL_XDP, name, buf, &len));
	if (!ret && len > sizeof(buf))
		fail_seq("getsockopt(%d) reported %u bytes, more than given", name, len);
	cover(s->state, C_GETOPT, ret);
}

/* The bytes of ring @which (rx, tx, fill, completion) of @entries entries. */
static size_t ring_map_len(unsigned int which, uint32_t entries)
{
	const struct xdp_ring_offset *o = (const struct xdp_ring_offset *[]){
		&w.off.rx, &w.off.tx, &w.off.fr, &w.off.cr }[which];

	return o->desc + (size_t)entries * (which < 2 ? sizeof(struct xdp_desc) : sizeof(__u64));
}

static void call_mmap(struct rng *r, struct slot *s)
{
	unsigned int i = rnd(r, 4), m;
	off_t pgoff = one_in(r, 10) ? (off_t)rnd(r, 64) * w.page : ring_pgoffs[i];
	size_t len = PICK(r, w.page, 2 * w.page, 4 * w.page, 16 * w.page, 1 << 20, 1);

	if (s->ring_entries[i] && one_in(r, 2))
		len = ring_map_len(i, s->ring_entries[i]);
	int prot = one_in(r, 6) ? PROT_READ : PROT_READ | PROT_WRITE;
	int flags = one_in(r, 10) ? MAP_PRIVATE : MAP_SHARED;
	void *p;

	for (m = 0; m < MAX_MAPS && s->maps[m].addr; m++)
		;
	if (m == MAX_MAPS)
		return;
	if (one_in(r, 20))
		pgoff += rnd(r, w.page);		/* not page aligned */
	p = mmap(NULL, len, prot, flags | MAP_POPULATE, s->fd, pgoff);
	cover(s->state, C_MMAP, sys_ret(p == MAP_FAILED ? -1 : 0));
	if (p == MAP_FAILED)
		return;
	/* Only writable shared ring mappings are written to later. */
	s->maps[m] = (struct mapping){
		.addr = p, .len = len,
		.pgoff = (prot & PROT_WRITE) && flags == MAP_SHARED ? pgoff : -1,
	};
}

static void call_munmap(struct rng *r, struct slot *s)
{
	struct mapping *m = &s->maps[rnd(r, MAX_MAPS)];

	if (!m->addr)
		return;
	cover(s->state, C_MUNMAP, sys_ret(munmap(m->addr, m->len)));
	*m = (struct mapping){};
}

static void call_bind(struct rng *r, struct slot *s)
{
	struct slot *other = &w.slots[rnd(r, MAX_SLOTS)];
	struct sockaddr_xdp sxdp = { .sxdp_family = AF_XDP };
	socklen_t len = one_in(r, 20) ? rnd(r, sizeof(sxdp)) : sizeof(sxdp);
	long ret;

	sxdp.sxdp_flags = one_in(r, 10) ? (uint16_t)rng_next(r) :
			  PICK(r, 0, XDP_COPY, XDP_COPY, XDP_ZEROCOPY, XDP_SHARED_UMEM,
			       XDP_SHARED_UMEM) | (one_in(r, 2) ? XDP_USE_NEED_WAKEUP : 0) |
			  (one_in(r, 3) ? (1 << 4) /* XDP_USE_SG */ : 0);
	if ((sxdp.sxdp_flags & XDP_SHARED_UMEM) && !one_in(r, 4))
		sxdp.sxdp_flags = XDP_SHARED_UMEM;
	sxdp.sxdp_ifindex = PICK(r, w.lab.ifindex[0], w.lab.ifindex[0], w.lab.ifindex[0], 1,
				 0, w.lab.ifindex[0] + 1000);
	sxdp.sxdp_queue_id = one_in(r, 10) ? (uint32_t)rng_next(r) : rnd(r, QUEUES + 1);
	/* The other slot's fd number, read without its lock: it may be stale. */
	sxdp.sxdp_shared_umem_fd = one_in(r, 8) ? rnd(r, 64) : (uint32_t)other->fd;
	if (one_in(r, 30))
		sxdp.sxdp_family = AF_PACKET;
	if (one_in(r, 2)) {
		/* A bind that may work: the lab's device, a real queue. */
		sxdp.sxdp_ifindex = w.lab.ifindex[0];
		sxdp.sxdp_queue_id = rnd(r, QUEUES);
		sxdp.sxdp_family = AF_XDP;
		len = sizeof(sxdp);
		if (sxdp.sxdp_flags & XDP_ZEROCOPY)
			sxdp.sxdp_flags &= ~XDP_ZEROCOPY;
	}
	ret = sys_ret(bind(s->fd, (struct sockaddr *)&sxdp, len));
	cover(s->state, C_BIND, ret);
	if (!ret)
		s->state = ST_BOUND;
}

/* After an I/O call: a bound socket whose device went away says ENXIO. */
static void io_result(struct slot *s, enum call c, long ret)
{
	cover(s->state, c, ret);
	if (s->state == ST_BOUND && ret == -ENXIO)
		s->state = ST_UNBOUND;
}

static void call_send(struct rng *r, struct slot *s)
{
	int flags = one_in(r, 8) ? 0 : MSG_DONTWAIT;

	io_result(s, C_SEND, sys_ret(sendto(s->fd, NULL, 0, flags, NULL, 0)));
}

static void call_recv(struct rng *r, struct slot *s)
{
	int flags = one_in(r, 8) ? 0 : MSG_DONTWAIT;

	io_result(s, C_RECV, sys_ret(recvfrom(s->fd, NULL, 0, flags, NULL, NULL)));
}

static void call_poll(struct rng *r, struct slot *s)
{
	struct pollfd pfd = { .fd = s->fd, .events = POLLIN | POLLOUT };

	(void)r;
	cover(s->state, C_POLL, sys_ret(poll(&pfd, 1, 0)));
}

static void call_close(struct rng *r, struct slot *s)
{
	(void)r;
	if (s->fd < 0)
		return;
	cover(s->state, C_CLOSE, sys_ret(close(s->fd)));
	s->fd = -1;
	s->state = ST_NONE;
	memset(s->ring_entries, 0, sizeof(s->ring_entries));
}

static void call_map_update(struct rng *r, struct slot *s)
{
	uint32_t key = one_in(r, 10) ? rnd(r, 1000) : rnd(r, MAP_ENTRIES);
	int fd = one_in(r, 10) ? PICK(r, w.xskmap, w.prog, w.peer, 0, 999) : s->fd;
	uint64_t flags = PICK(r, BPF_ANY, BPF_ANY, BPF_NOEXIST, BPF_EXIST, 7);
	uint32_t val = fd;

	cover(s->state, C_MAP_UPDATE, sys_ret(bpf_map_update_elem(w.xskmap, &key, &val, flags)));
}

static void call_map_delete(struct rng *r, struct slot *s)
{
	uint32_t key = one_in(r, 10) ? rnd(r, 1000) : rnd(r, MAP_ENTRIES);

	cover(s->state, C_MAP_DELETE, sys_ret(bpf_map_delete_elem(w.xskmap, &key)));
}

/* Where the parts of a mapped ring are, if the mapping is one we may write. */
static bool ring_parts(struct slot *s, struct mapping *m, int *which, __u32 **prod,
		       __u32 **cons, char **desc, uint32_t *entries)
{
	const struct xdp_ring_offset *o;
	size_t esz;

	for (*which = 0; *which < 4 && ring_pgoffs[*which] != m->pgoff; (*which)++)
		;
	if (*which == 4 || !s->ring_entries[*which])
		return false;
	o = (const struct xdp_ring_offset *[]){ &w.off.rx, &w.off.tx, &w.off.fr,
						&w.off.cr }[*which];
	esz = *which < 2 ? sizeof(struct xdp_desc) : sizeof(__u64);
	*entries = s->ring_entries[*which];
	if (o->desc + (uint64_t)*entries * esz > m->len)
		return false;
	*prod = (__u32 *)(m->addr + o->producer);
	*cons = (__u32 *)(m->addr + o->consumer);
	*desc = m->addr + o->desc;
	return true;
}

/* A UMEM address: mostly a chunk (plus an offset now and then), sometimes garbage. */
static __u64 umem_addr(struct rng *r, struct slot *s)
{
	uint32_t chunk = s->chunk ? s->chunk : 4096;
	__u64 a = (__u64)rnd(r, 64) * chunk;

	if (one_in(r, 4))
		a += rnd(r, chunk);
	if (one_in(r, 8))
		a |= (__u64)rnd(r, 4096) << 48;
	if (one_in(r, 16))
		a = rng_next(r);
	return a;
}

static void call_ring_write(struct rng *r, struct slot *s)
{
	unsigned int k = rnd(r, MAX_MAPS), tries;
	struct mapping *m = NULL;
	uint32_t entries, n, i, p;
	__u32 *prod, *cons;
	char *desc;
	int which;

	/* The first writable ring mapping from a random place on. */
	for (tries = 0; tries < MAX_MAPS && !m; tries++, k = (k + 1) % MAX_MAPS)
		if (s->maps[k].addr && s->maps[k].pgoff >= 0)
			m = &s->maps[k];
	if (!m || !m->addr || m->pgoff < 0 || !ring_parts(s, m, &which, &prod, &cons, &desc, &entries))
		return;
	__atomic_add_fetch(&progress, 1, __ATOMIC_RELAXED);
	cover(s->state, C_RING_WRITE, 0);
	if (which == 0 || which == 3) {
		/* We consume RX and completions: sane, backwards, or far ahead. */
		p = __atomic_load_n(prod, __ATOMIC_ACQUIRE);
		__atomic_store_n(cons, PICK(r, p, p, *cons - rnd(r, 8), p + rnd(r, 1u << 31),
					    (uint32_t)rng_next(r)), __ATOMIC_RELEASE);
		return;
	}
	/* We produce fill and TX entries. */
	p = __atomic_load_n(prod, __ATOMIC_RELAXED);
	n = rnd(r, 17);
	for (i = 0; i < n; i++) {
		uint32_t idx = (p + i) & (entries - 1);

		if (which == 2) {
			((__u64 *)desc)[idx] = umem_addr(r, s);
			continue;
		}
		struct xdp_desc *d = &((struct xdp_desc *)desc)[idx];

		d->addr = umem_addr(r, s);
		d->len = PICK(r, 60, 64, 1500, 2048, 4096, rnd(r, 5000), (uint32_t)rng_next(r), 0);
		d->options = PICK(r, 0, 0, 0, 1 << 0 /* XDP_PKT_CONTD */, 1 << 1 /* XDP_TX_METADATA */,
				  (uint32_t)rng_next(r));
		/* Frame bytes and, in front, metadata: random. */
		if (s->umem && (d->addr & ((1ull << 48) - 1)) < s->umem_len - 64) {
			char *f = s->umem + (d->addr & ((1ull << 48) - 1));

			for (int b = 0; b < 64; b += 8)
				*(uint64_t *)(f + b) = rng_next(r);
			if (f - s->umem >= 24)
				for (int b = 8; b <= 24; b += 8)
					*(uint64_t *)(f - b) = one_in(r, 2) ? rng_next(r) : rnd(r, 4);
		}
	}
	if (one_in(r, 6))
		p = PICK(r, p - rnd(r, 64), p + rnd(r, 1u << 31), (uint32_t)rng_next(r));
	else
		p += n;
	__atomic_store_n(prod, p, __ATOMIC_RELEASE);
}

static void call_traffic(struct rng *r)
{
	unsigned char buf[9000];
	unsigned int n = 1 + rnd(r, 16);
	size_t len;

	memset(buf, 0xff, 6);
	memcpy(buf + 6, w.lab.mac[1], 6);
	buf[12] = FUZZ_ETHERTYPE >> 8;
	buf[13] = FUZZ_ETHERTYPE & 0xff;
	for (unsigned int i = 0; i < n; i++) {
		len = PICK(r, 60, 64, 600, 1514, 2000, 4000, 9000, 14 + rnd(r, 1500));
		memset(buf + 14, (int)rnd(r, 256), len - 14);
		cover(ST_NONE, C_TRAFFIC, sys_ret(send(w.peer, buf, len, MSG_DONTWAIT)));
	}
}

/* An interface ioctl on side @side's end of the veth, from the calling thread's namespace. */
static int ifreq_ioctl_on(int side, unsigned long req, struct ifreq *ifr)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), ret;

	snprintf(ifr->ifr_name, sizeof(ifr->ifr_name), "%s", w.lab.ifname[side]);
	ret = ioctl(fd, req, ifr);
	close(fd);
	return ret;
}

static int ifreq_ioctl(unsigned long req, struct ifreq *ifr)
{
	return ifreq_ioctl_on(VLAB_A, req, ifr);
}

/*
 * The peer transmits on PEER_TX_QUEUES queues only, and A keeps at least
 * as many RX queues: veth hands a frame to the RX queue of its TX queue's
 * number, and net/core warns when a frame recorded for a queue arrives
 * after that queue went away (a veth race outside AF_XDP, seen on
 * mainline and ours alike when A's RX queues shrink under traffic).
 */
#define PEER_TX_QUEUES	2

static void peer_channels(void)
{
	struct ethtool_channels ch = {
		.cmd = ETHTOOL_SCHANNELS, .rx_count = QUEUES, .tx_count = PEER_TX_QUEUES,
	};
	struct ifreq ifr = { .ifr_data = (void *)&ch };

	if (vlab_enter(&w.lab, VLAB_B) || ifreq_ioctl_on(VLAB_B, SIOCETHTOOL, &ifr) ||
	    vlab_enter(&w.lab, VLAB_A))
		die("limiting the peer to %d TX queues: %s", PEER_TX_QUEUES, strerror(errno));
}

static void xdp_attach(struct rng *r)
{
	uint32_t flags = PICK(r, 0, XDP_FLAGS_DRV_MODE, XDP_FLAGS_SKB_MODE);

	if (w.xdp_flags)
		bpf_xdp_detach(w.lab.ifindex[0], w.xdp_flags, NULL);
	w.xdp_flags = 0;
	if (flags && !bpf_xdp_attach(w.lab.ifindex[0], w.prog, flags, NULL))
		w.xdp_flags = flags;
}

/* Re-create the veth pair: every socket bound to it is unbound. */
static void device_recreate(void)
{
	int fd;

	vlab_runf("ip -n %s link del %s", w.lab.ns[0], w.lab.ifname[0]);
	w.xdp_flags = 0;
	if (vlab_runf("ip -n %s link add %s numtxqueues %u numrxqueues %u type veth peer name %s netns %s numtxqueues %u numrxqueues %u",
		      w.lab.ns[0], w.lab.ifname[0], QUEUES, QUEUES, w.lab.ifname[1],
		      w.lab.ns[1], QUEUES, QUEUES) ||
	    vlab_runf("ip -n %s link set %s up", w.lab.ns[0], w.lab.ifname[0]) ||
	    vlab_runf("ip -n %s link set %s up", w.lab.ns[1], w.lab.ifname[1]) ||
	    vlab_learn(&w.lab))
		die("re-creating the veth pair failed");
	peer_channels();
	fd = peer_open();
	if (fd < 0)
		die("re-opening the peer socket failed");
	close(w.peer);
	w.peer = fd;
	/* The sockets bound to the old device are unbound now. */
	for (int i = 0; i < MAX_SLOTS; i++) {
		pthread_mutex_lock(&w.slots[i].lock);
		if (w.slots[i].state == ST_BOUND)
			w.slots[i].state = ST_UNBOUND;
		pthread_mutex_unlock(&w.slots[i].lock);
	}
}

static void call_device(struct rng *r)
{
	struct ethtool_channels ch = { .cmd = ETHTOOL_SCHANNELS };
	struct ifreq ifr = {};
	long ret = 0;

	pthread_mutex_lock(&w.dev_lock);
	switch (rnd(r, 100)) {
	case 0 ... 29:
		xdp_attach(r);
		break;
	case 30 ... 49:		/* down or up */
		ret = ifreq_ioctl(SIOCGIFFLAGS, &ifr);
		if (!ret) {
			ifr.ifr_flags = one_in(r, 2) ? ifr.ifr_flags & ~IFF_UP : ifr.ifr_flags | IFF_UP;
			ret = ifreq_ioctl(SIOCSIFFLAGS, &ifr);
		}
		break;
	case 50 ... 69:		/* queue count */
		ch.rx_count = PEER_TX_QUEUES + rnd(r, QUEUES - PEER_TX_QUEUES + 1);
		ch.tx_count = 1 + rnd(r, QUEUES);
		ifr.ifr_data = (void *)&ch;
		ret = ifreq_ioctl(SIOCETHTOOL, &ifr);
		break;
	case 70 ... 89:		/* MTU */
		ifr.ifr_mtu = PICK(r, 1500, 1500, 3000, 9000, 68);
		ret = ifreq_ioctl(SIOCSIFMTU, &ifr);
		break;
	default:
		/* Rarely: it runs ip(8) four times. */
		if (one_in(r, 16))
			device_recreate();
		break;
	}
	pthread_mutex_unlock(&w.dev_lock);
	cover(ST_NONE, C_DEVICE, sys_ret(ret));
}

/*
 * The calls of an application, in order, with valid arguments: UMEM, rings,
 * their mappings, bind (sometimes sharing another slot's UMEM).  Random
 * calls alone seldom get a socket bound; from here they work on bound ones.
 */
static void call_setup(struct rng *r, struct slot *s)
{
	static const unsigned int ring_order[4] = { 2, 3, 0, 1 };	/* fq, cq, rx, tx */
	struct slot *other = &w.slots[rnd(r, MAX_SLOTS)];
	struct sockaddr_xdp sxdp = { .sxdp_family = AF_XDP };
	bool share = other != s && other->state == ST_BOUND && one_in(r, 3);
	bool rx = !one_in(r, 4), tx = !rx || one_in(r, 2);
	enum slot_state st = s->state;
	long ret = 0;

	if (st != ST_READY)
		return;
	if (!share) {
		struct {
			__u64 addr, len;
			__u32 chunk_size, headroom, flags, tx_metadata_len;
		} mr = { .chunk_size = PICK(r, 2048, 4096) };

		if (!slot_umem_area(s))
			return;
		mr.addr = (uintptr_t)s->umem;
		mr.len = s->umem_len;
		mr.headroom = PICK(r, 0, 0, 128);
		mr.flags = one_in(r, 4) ? XDP_UMEM_UNALIGNED_CHUNK_FLAG : 0;
		mr.tx_metadata_len = PICK(r, 0, 0, 24);
		ret = sys_ret(setsockopt(s->fd, SOL_XDP, XDP_UMEM_REG, &mr, sizeof(mr)));
		if (!ret)
			s->chunk = mr.chunk_size;
	}
	for (unsigned int k = 0; !ret && k < 4; k++) {
		unsigned int i = ring_order[k];
		uint32_t entries = PICK(r, 64, 64, 256, 16);

		if ((i >= 2 && share) || (i == 0 && !rx) || (i == 1 && !tx) || s->ring_entries[i])
			continue;
		ret = sys_ret(setsockopt(s->fd, SOL_XDP, ring_opts[i], &entries, sizeof(entries)));
		if (ret)
			break;
		s->ring_entries[i] = entries;
		for (unsigned int m = 0; m < MAX_MAPS; m++) {
			size_t len = ring_map_len(i, entries);
			void *p;

			if (s->maps[m].addr)
				continue;
			p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE,
				 s->fd, ring_pgoffs[i]);
			if (p != MAP_FAILED)
				s->maps[m] = (struct mapping){
					.addr = p, .pgoff = ring_pgoffs[i], .len = len,
				};
			break;
		}
	}
	if (!ret) {
		sxdp.sxdp_ifindex = w.lab.ifindex[0];
		sxdp.sxdp_queue_id = share && one_in(r, 2) ? 0 : rnd(r, QUEUES);
		sxdp.sxdp_flags = share ? XDP_SHARED_UMEM :
				  PICK(r, 0, XDP_COPY) | (one_in(r, 2) ? XDP_USE_NEED_WAKEUP : 0) |
				  (one_in(r, 3) ? (1 << 4) /* XDP_USE_SG */ : 0);
		sxdp.sxdp_shared_umem_fd = other->fd;
		ret = sys_ret(bind(s->fd, (struct sockaddr *)&sxdp, sizeof(sxdp)));
		if (!ret)
			s->state = ST_BOUND;
	}
	if (ret && !share && s->state == ST_READY && s->chunk)
		s->state = ST_UMEM;
	cover(st, C_SETUP, ret);
}

static void one_call(struct rng *r)
{
	unsigned int c = rnd(r, 100);
	struct slot *s;

	if (c < 4) {
		call_traffic(r);
		return;
	}
	if (c < 6) {
		call_device(r);
		return;
	}
	s = slot_lock(r);
	if (s->fd < 0) {
		call_socket(r, s);
	} else {
		switch (c) {
		case 6 ... 9: call_umem_reg(r, s); break;
		case 10 ... 13: call_setup(r, s); break;
		case 14 ... 25: call_ring(r, s); break;
		case 26 ... 28: call_setopt_bad(r, s); break;
		case 29 ... 33: call_getopt(r, s); break;
		case 34 ... 43: call_mmap(r, s); break;
		case 44 ... 46: call_munmap(r, s); break;
		case 47 ... 57: call_bind(r, s); break;
		case 58 ... 63: call_send(r, s); break;
		case 64 ... 67: call_recv(r, s); break;
		case 68 ... 70: call_poll(r, s); break;
		case 71 ... 74: call_close(r, s); break;
		case 75 ... 79: call_map_update(r, s); break;
		case 80 ... 81: call_map_delete(r, s); break;
		default: call_ring_write(r, s); break;
		}
	}
	slot_unlock(s);
}

/* ---- sequences and threads ------------------------------------------------- */

static pthread_barrier_t start_line, finish_line;

static void *worker(void *arg)
{
	unsigned int t = (uintptr_t)arg;

	vlab_enter(&w.lab, VLAB_A);
	for (;;) {
		struct rng r;

		pthread_barrier_wait(&start_line);
		r.s = opt.seed * 0x100000001b3ull ^ current_seq * 0x9e3779b97f4a7c15ull ^ t;
		rng_next(&r);
		for (unsigned int i = 0; i < opt.ops; i++)
			one_call(&r);
		pthread_barrier_wait(&finish_line);
	}
	return NULL;
}

/* Close and unmap everything; every socket must then be freed. */
static void sequence_end(void)
{
	uint64_t deadline;

	for (int i = 0; i < MAX_SLOTS; i++) {
		struct slot *s = &w.slots[i];

		if (s->fd >= 0)
			close(s->fd);
		for (int m = 0; m < MAX_MAPS; m++)
			if (s->maps[m].addr)
				munmap(s->maps[m].addr, s->maps[m].len);
		if (s->umem)
			munmap(s->umem, s->umem_len);
		pthread_mutex_destroy(&s->lock);
		memset(s, 0, sizeof(*s));
		s->fd = -1;
		pthread_mutex_init(&s->lock, NULL);
	}
	/* Sockets are freed after a grace period and their frames' completion. */
	deadline = now_ms() + 10000;
	while (xdp_sockets_in_use() != xdp_sockets_base) {
		if (now_ms() > deadline)
			fail_seq("%d AF_XDP sockets still in use 10 s after all were closed",
				 xdp_sockets_in_use() - xdp_sockets_base);
		usleep(1000);
	}
}

/* A sequence that stops making calls for a minute is a hang: say which. */
static void *watchdog(void *arg)
{
	uint64_t last = 0, since = now_ms();

	(void)arg;
	for (;;) {
		sleep(1);
		if (progress != last) {
			last = progress;
			since = now_ms();
		} else if (now_ms() - since > 60000) {
			fail_seq("no call returned for 60 s (a hang)");
		}
	}
	return NULL;
}

static void print_coverage(void)
{
	unsigned int reached = 0, total = 0;

	printf("\ncoverage: calls per (socket state, call), ok/error\n%-8s", "");
	for (int c = 0; c < C_COUNT; c++)
		printf(" %11s", call_names[c]);
	printf("\n");
	for (int st = 0; st < ST_COUNT; st++) {
		printf("%-8s", state_names[st]);
		for (int c = 0; c < C_COUNT; c++) {
			char cell[32];
			uint64_t ok = coverage[st][c][0], err = coverage[st][c][1];

			snprintf(cell, sizeof(cell), "%llu/%llu", (unsigned long long)ok,
				 (unsigned long long)err);
			printf(" %11s", ok + err ? cell : ".");
		}
		printf("\n");
	}
	/* Pairs that can happen: socket() only without a socket, the rest with one. */
	for (int st = 0; st < ST_COUNT; st++)
		for (int c = 0; c < C_COUNT; c++) {
			bool possible = c == C_TRAFFIC || c == C_DEVICE ? st == ST_NONE :
					c == C_SOCKET ? st == ST_NONE : st != ST_NONE;

			total += possible;
			reached += possible && coverage[st][c][0] + coverage[st][c][1];
		}
	printf("coverage: %u of %u possible (state, call) pairs reached\n", reached, total);
}

static void usage(void)
{
	fprintf(stderr,
		"usage: xsk_fuzz [--seed S] [--first N] [--sequences N] [--ops N] [--threads N]\n"
		"                [--leak-every N] [--quiet]\n");
	exit(2);
}

static void parse(int argc, char **argv)
{
	static const struct option longs[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "first", required_argument, NULL, 'f' },
		{ "sequences", required_argument, NULL, 'n' },
		{ "ops", required_argument, NULL, 'o' },
		{ "threads", required_argument, NULL, 't' },
		{ "leak-every", required_argument, NULL, 'l' },
		{ "quiet", no_argument, NULL, 'q' },
		{}
	};
	int c;

	while ((c = getopt_long(argc, argv, "", longs, NULL)) != -1) {
		switch (c) {
		case 's': opt.seed = strtoull(optarg, NULL, 0); break;
		case 'f': opt.first = strtoull(optarg, NULL, 0); break;
		case 'n': opt.sequences = strtoull(optarg, NULL, 0); break;
		case 'o': opt.ops = strtoul(optarg, NULL, 0); break;
		case 't': opt.threads = strtoul(optarg, NULL, 0); break;
		case 'l': opt.leak_every = strtoul(optarg, NULL, 0); break;
		case 'q': opt.quiet = true; break;
		default: usage();
		}
	}
	if (optind != argc || !opt.threads || opt.threads > 8)
		usage();
}

static void lab_gone(void)
{
	vlab_destroy(&w.lab);
}

static void on_signal(int sig)
{
	(void)sig;
	vlab_destroy(&w.lab);
	_exit(2);
}

static void setup(void)
{
	int fd;
	socklen_t len = sizeof(w.off);

	w.page = sysconf(_SC_PAGESIZE);
	pthread_mutex_init(&w.dev_lock, NULL);
	for (int i = 0; i < MAX_SLOTS; i++) {
		w.slots[i].fd = -1;
		pthread_mutex_init(&w.slots[i].lock, NULL);
	}
	vlab_sweep_stale("xskfz");
	if (vlab_create(&w.lab, "xskfz", "lab", QUEUES, 1500))
		die("creating the veth lab failed");
	atexit(lab_gone);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	if (vlab_learn(&w.lab))
		die("reading the veth lab failed");

	fd = socket(AF_XDP, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (fd < 0 || getsockopt(fd, SOL_XDP, XDP_MMAP_OFFSETS, &w.off, &len))
		die("an AF_XDP socket and its ring offsets: %s", strerror(errno));
	close(fd);
	w.xskmap = bpf_map_create(BPF_MAP_TYPE_XSKMAP, "xsk_fuzz", 4, 4, MAP_ENTRIES, NULL);
	if (w.xskmap < 0)
		die("creating an XSKMAP: %s", strerror(errno));
	w.prog = prog_load();
	if (w.prog < 0)
		die("loading the redirect program: %s", strerror(errno));
	peer_channels();
	w.peer = peer_open();
	if (w.peer < 0)
		die("opening the peer socket: %s", strerror(errno));
	xdp_sockets_base = xdp_sockets_in_use();
	if (xdp_sockets_base < 0)
		die("no XDP line in /proc/net/protocols");
}

int main(int argc, char **argv)
{
	pthread_t th;
	uint64_t start = now_ms(), leak_since;

	parse(argc, argv);
	setvbuf(stdout, NULL, _IOLBF, 0);
	setup();
	kmsg_open();
	pthread_barrier_init(&start_line, NULL, opt.threads + 1);
	pthread_barrier_init(&finish_line, NULL, opt.threads + 1);
	for (unsigned int t = 0; t < opt.threads; t++)
		if (pthread_create(&th, NULL, worker, (void *)(uintptr_t)t))
			die("starting a thread failed");
	if (pthread_create(&th, NULL, watchdog, NULL))
		die("starting the watchdog failed");

	printf("xsk_fuzz: seed %llu, sequences %llu..%llu, %u threads x %u calls\n",
	       (unsigned long long)opt.seed, (unsigned long long)opt.first,
	       (unsigned long long)(opt.first + opt.sequences - 1), opt.threads, opt.ops);
	leak_since = opt.first;
	for (uint64_t i = 0; i < opt.sequences; i++) {
		current_seq = opt.first + i;
		pthread_barrier_wait(&start_line);
		pthread_barrier_wait(&finish_line);
		sequence_end();
		kmsg_check();
		if (opt.leak_every && (i + 1) % opt.leak_every == 0) {
			kmemleak_check(leak_since);
			leak_since = current_seq + 1;
		}
		if (!opt.quiet && ((i + 1) % 1000 == 0 || i + 1 == opt.sequences))
			printf("xsk_fuzz: %llu sequences done, %llu s\n",
			       (unsigned long long)(i + 1),
			       (unsigned long long)(now_ms() - start) / 1000);
	}
	if (w.xdp_flags)
		bpf_xdp_detach(w.lab.ifindex[0], w.xdp_flags, NULL);
	print_coverage();
	printf("xsk_fuzz: PASS: %llu sequences of seed %llu, no kernel report, in %llu s\n",
	       (unsigned long long)opt.sequences, (unsigned long long)opt.seed,
	       (unsigned long long)(now_ms() - start) / 1000);
	return 0;
}
