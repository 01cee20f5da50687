// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * xdpsock: the AF_XDP benchmark.  rxdrop (default) receives and drops,
 * txonly transmits a fixed frame, l2fwd swaps MAC addresses and sends
 * back what it receives; one or more sockets on one interface and queue.
 *
 * Built on the classic xsk.h API only, so one source builds against
 * libxsk (<libxsk/xsk.h>) and, with -DUSE_LIBXDP, against libxdp
 * (<xdp/xsk.h>): the benchmark then compares libraries, not programs.
 *
 * Never raises RLIMIT_MEMLOCK: it needs no CAP_SYS_RESOURCE.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <net/if.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_link.h>
#include <linux/ip.h>
#include <linux/udp.h>

#ifdef USE_LIBXDP
#include <xdp/xsk.h>
#define XSK_LIB_NAME "libxdp"
#else
#include <libxsk/xsk.h>
#define XSK_LIB_NAME "libxsk"
#endif
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "xdpsock.skel.h"

#ifndef XDP_USE_SG
#define XDP_USE_SG (1 << 4)
#endif
#ifndef XDP_PKT_CONTD
#define XDP_PKT_CONTD (1 << 0)
#endif
#ifndef SO_PREFER_BUSY_POLL
#define SO_PREFER_BUSY_POLL 69
#endif
#ifndef SO_BUSY_POLL_BUDGET
#define SO_BUSY_POLL_BUDGET 70
#endif

#define MAX_SOCKS	16
#define NUM_FRAMES	(4 * 1024)
#define FILL_SIZE	(XSK_RING_PROD__DEFAULT_NUM_DESCS * 2)
#define RING_SIZE	XSK_RING_CONS__DEFAULT_NUM_DESCS

enum bench { BENCH_RXDROP, BENCH_TXONLY, BENCH_L2FWD };
static const char *const bench_names[] = { "rxdrop", "txonly", "l2fwd" };

struct opts {
	enum bench bench;
	const char *ifname;
	unsigned int queue;
	unsigned int nsocks;
	bool poll;
	__u32 xdp_flags;	/* XDP_FLAGS_SKB_MODE / _DRV_MODE */
	__u16 bind_flags;
	bool need_wakeup;
	unsigned int frame_size;
	bool unaligned;
	bool frags;
	unsigned int duration;	/* seconds, 0: until a signal */
	unsigned int batch;
	bool busy_poll;
	unsigned int interval;	/* seconds between reports */
	unsigned int tx_size;
	unsigned long tx_count;	/* 0: unlimited */
	__u32 tx_pattern;
	bool extra_stats;
	bool app_stats;
	bool quiet;
	bool json;
	bool batch_api;		/* --api=batch: libxsk's batched calls, not the rings */
};

struct umem_info {
	struct xsk_ring_prod fq;
	struct xsk_ring_cons cq;
	struct xsk_umem *umem;
	void *area;
	size_t size;
};

/*
 * Counters are written by the data path only and read by the reporter:
 * plain increments on one side, relaxed loads on the other.
 */
struct app_counters {
	__u64 rx_pkts;
	__u64 tx_pkts;
	__u64 rx_empty_polls;
	__u64 fill_fail_polls;
	__u64 tx_wakeup_sendtos;
	__u64 tx_trigger_sendtos;
	__u64 opt_polls;
};

struct sock_info {
	struct xsk_ring_cons rx;
	struct xsk_ring_prod tx;
	struct umem_info *umem;
	struct xsk_socket *xsk;
	struct app_counters c;
	struct app_counters prev;
	__u32 outstanding_tx;
	__u64 next_tx_frame;
	__u64 tx_frames_left;	/* with -C */
	unsigned int frame_base, frame_count;	/* this socket's share of the UMEM */
};

static struct opts opt = {
	.nsocks = 1,
	.need_wakeup = true,
	.frame_size = XSK_UMEM__DEFAULT_FRAME_SIZE,
	.batch = 64,
	.interval = 1,
	.tx_size = 64,
	.tx_pattern = 0x12345678,
};

static struct sock_info socks[MAX_SOCKS];
static struct umem_info umem_info;
#ifndef USE_LIBXDP
static struct xsk_frame_pool *frame_pool;
#endif
static struct xdpsock_bpf *rr_prog;
static struct bpf_link *rr_link;
static volatile sig_atomic_t benchmark_done;
/* Built 2 bytes in, so the IP header behind Ethernet is aligned. */
static unsigned char tx_frame_buf[2 + 9216] __attribute__((aligned(8)));
static unsigned char *const tx_frame = tx_frame_buf + 2;
static double start_time, end_time;

/* ---- small helpers ------------------------------------------------------ */

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static __u64 load(const __u64 *v)
{
	return __atomic_load_n(v, __ATOMIC_RELAXED);
}

static void cleanup(void);

__attribute__((format(printf, 1, 2), noreturn))
static void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "xdpsock: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	cleanup();
	exit(1);
}

static void on_signal(int sig)
{
	benchmark_done = 1;
}

/* ---- the frame transmitted by txonly -------------------------------------- */

static __u16 csum_fold(__u32 sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (__u16)~sum;
}

static void tx_frame_build(void)
{
	struct ethhdr *eth = (void *)tx_frame;
	struct iphdr *ip = (void *)(eth + 1);
	struct udphdr *udp = (void *)(ip + 1);
	unsigned int i, len = opt.tx_size;
	const __u16 *w = (const __u16 *)ip;
	__u32 sum = 0;

	memset(tx_frame, 0, len);
	memcpy(eth->h_dest, "\x3c\xfd\xfe\x9e\x7f\x71", ETH_ALEN);
	memcpy(eth->h_source, "\xec\xb1\xd7\x98\x3a\xc0", ETH_ALEN);
	eth->h_proto = htons(ETH_P_IP);
	ip->version = 4;
	ip->ihl = 5;
	ip->ttl = 64;
	ip->protocol = IPPROTO_UDP;
	ip->tot_len = htons(len - ETH_HLEN);
	ip->saddr = htonl(0xc0a80101);
	ip->daddr = htonl(0xc0a80102);
	for (i = 0; i < sizeof(*ip) / 2; i++)
		sum += w[i];
	ip->check = csum_fold(sum);
	udp->source = htons(1000);
	udp->dest = htons(1000);
	udp->len = htons(len - ETH_HLEN - sizeof(*ip));
	for (i = ETH_HLEN + sizeof(*ip) + sizeof(*udp); i + 4 <= len; i += 4)
		memcpy(tx_frame + i, &opt.tx_pattern, 4);
}

/* ---- setup -------------------------------------------------------------- */

static __u64 frame_addr(unsigned int i)
{
	return (__u64)i * opt.frame_size;
}

static void umem_create(void)
{
	struct xsk_umem_config cfg = {
		.fill_size = FILL_SIZE,
		.comp_size = RING_SIZE,
		.frame_size = opt.frame_size,
		.frame_headroom = 0,
		.flags = opt.unaligned ? XDP_UMEM_UNALIGNED_CHUNK_FLAG : 0,
	};
	long page = sysconf(_SC_PAGESIZE);
	int err;

	umem_info.size = ((size_t)NUM_FRAMES * opt.frame_size + page - 1) & ~(size_t)(page - 1);
	umem_info.area = mmap(NULL, umem_info.size, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (umem_info.area == MAP_FAILED)
		die("mapping %zu bytes for the UMEM: %s", umem_info.size, strerror(errno));
	err = xsk_umem__create(&umem_info.umem, umem_info.area, umem_info.size, &umem_info.fq,
			       &umem_info.cq, &cfg);
	if (err)
		die("creating the UMEM: %s", strerror(-err));
}

static void busy_poll_enable(int fd)
{
	int one = 1, usecs = 20, budget = opt.batch;

	if (setsockopt(fd, SOL_SOCKET, SO_PREFER_BUSY_POLL, &one, sizeof(one)) ||
	    setsockopt(fd, SOL_SOCKET, SO_BUSY_POLL, &usecs, sizeof(usecs)) ||
	    setsockopt(fd, SOL_SOCKET, SO_BUSY_POLL_BUDGET, &budget, sizeof(budget)))
		die("-B: enabling busy polling failed: %s (needs Linux 5.11+)", strerror(errno));
}

static void socket_create(unsigned int i)
{
	struct xsk_socket_config cfg = {
		.rx_size = RING_SIZE,
		.tx_size = RING_SIZE,
		.xdp_flags = opt.xdp_flags,
		.bind_flags = opt.bind_flags,
	};
	struct sock_info *s = &socks[i];
	bool rx = opt.bench != BENCH_TXONLY, tx = opt.bench != BENCH_RXDROP;
	int err;

	/* Several sockets on a queue need our round-robin program instead. */
	if (opt.nsocks > 1)
		cfg.libbpf_flags = XSK_LIBBPF_FLAGS__INHIBIT_PROG_LOAD;
	s->umem = &umem_info;
	s->frame_count = NUM_FRAMES / opt.nsocks;
	s->frame_base = i * s->frame_count;
	err = xsk_socket__create(&s->xsk, opt.ifname, opt.queue, umem_info.umem,
				 rx ? &s->rx : NULL, tx ? &s->tx : NULL, &cfg);
	if (err)
		die("creating socket %u on %s queue %u: %s", i, opt.ifname, opt.queue,
		    strerror(-err));
	if (opt.busy_poll)
		busy_poll_enable(xsk_socket__fd(s->xsk));
	s->tx_frames_left = opt.tx_count;
}

static void rr_prog_attach(void)
{
	unsigned int i;
	int ifindex = if_nametoindex(opt.ifname), err;

	rr_prog = xdpsock_bpf__open();
	if (!rr_prog)
		die("-M: opening the round-robin XDP program: %s", strerror(errno));
	rr_prog->rodata->num_socks = opt.nsocks;
	err = xdpsock_bpf__load(rr_prog);
	if (err)
		die("-M: loading the round-robin XDP program: %s", strerror(-err));
	/* A link, so the program goes when we do, however we go. */
	rr_link = bpf_program__attach_xdp(rr_prog->progs.xdpsock_rr, ifindex);
	if (!rr_link)
		die("-M: attaching the round-robin XDP program to %s: %s (is another "
		    "program attached?)", opt.ifname, strerror(errno));
	for (i = 0; i < opt.nsocks; i++) {
		int fd = xsk_socket__fd(socks[i].xsk);

		err = bpf_map_update_elem(bpf_map__fd(rr_prog->maps.xsks_map), &i, &fd, 0);
		if (err)
			die("-M: adding socket %u to the XSKMAP: %s", i, strerror(errno));
	}
}

/* Give the kernel every receive frame of every socket. */
static void fill_ring_populate(void)
{
	unsigned int i, n = 0;
	__u32 idx;

	for (i = 0; i < opt.nsocks; i++)
		n += socks[i].frame_count;
	if (n > FILL_SIZE)
		n = FILL_SIZE;
	if (xsk_ring_prod__reserve(&umem_info.fq, n, &idx) != n)
		die("stocking the fill ring with %u frames failed", n);
	for (i = 0; i < n; i++)
		*xsk_ring_prod__fill_addr(&umem_info.fq, idx + i) = frame_addr(i);
	xsk_ring_prod__submit(&umem_info.fq, n);
}

/* Every frame starts with the packet; later fragments are copied at send time. */
static void tx_frames_prepare(void)
{
	unsigned int i, first = opt.tx_size < opt.frame_size ? opt.tx_size : opt.frame_size;

	for (i = 0; i < NUM_FRAMES; i++)
		memcpy(xsk_umem__get_data(umem_info.area, frame_addr(i)), tx_frame, first);
}

static void cleanup(void)
{
	unsigned int i;

	for (i = 0; i < opt.nsocks; i++) {
		xsk_socket__delete(socks[i].xsk);
		socks[i].xsk = NULL;
	}
#ifndef USE_LIBXDP
	xsk_frame_pool__delete(frame_pool);
	frame_pool = NULL;
#endif
	bpf_link__destroy(rr_link);
	rr_link = NULL;
	xdpsock_bpf__destroy(rr_prog);
	rr_prog = NULL;
	if (umem_info.umem)
		xsk_umem__delete(umem_info.umem);
	umem_info.umem = NULL;
	if (umem_info.area && umem_info.area != MAP_FAILED)
		munmap(umem_info.area, umem_info.size);
	umem_info.area = NULL;
}

/* ---- the data path ---------------------------------------------------------- */

/*
 * Copy mode sends a bounded batch per sendto() and answers EAGAIN while
 * more is queued: kick until the kernel took what we queued, a few times
 * at most (a full device queue answers EAGAIN too).
 */
static void kick_tx(struct sock_info *s)
{
	int kicks;

	for (kicks = 0; kicks < 8; kicks++) {
		if (sendto(xsk_socket__fd(s->xsk), NULL, 0, MSG_DONTWAIT, NULL, 0) >= 0)
			return;
		if (errno == EAGAIN) {
			s->c.tx_trigger_sendtos++;
			continue;
		}
		/* These mean "try again later", not failure. */
		if (errno == ENOBUFS || errno == EBUSY || errno == ENETDOWN)
			return;
		die("sendto on %s: %s", opt.ifname, strerror(errno));
	}
}

static void kick_fill(struct sock_info *s)
{
	s->c.fill_fail_polls++;
	if (opt.busy_poll || xsk_ring_prod__needs_wakeup(&s->umem->fq)) {
		recvfrom(xsk_socket__fd(s->xsk), NULL, 0, MSG_DONTWAIT, NULL, NULL);
		s->c.opt_polls++;
	}
}

/* Nothing received: wake the kernel if it asks for it (or to drive busy polling). */
static void rx_empty(struct sock_info *s)
{
	s->c.rx_empty_polls++;
	if (opt.busy_poll || xsk_ring_prod__needs_wakeup(&s->umem->fq)) {
		recvfrom(xsk_socket__fd(s->xsk), NULL, 0, MSG_DONTWAIT, NULL, NULL);
		s->c.opt_polls++;
	}
}

static __u64 fill_addr_of(__u64 addr)
{
	/* Unaligned mode: the base of the chunk, without the offset bits. */
	return opt.unaligned ? xsk_umem__extract_addr(addr) : addr;
}

static void *data_of(__u64 addr)
{
	return xsk_umem__get_data(umem_info.area,
				  opt.unaligned ? xsk_umem__add_offset_to_addr(addr) : addr);
}

/* Move @n frames from a completion or RX ring back to the fill ring. */
static void refill(struct sock_info *s, const __u64 *addrs, __u32 n)
{
	__u32 idx, i;

	while (xsk_ring_prod__reserve(&s->umem->fq, n, &idx) != n) {
		kick_fill(s);
		if (benchmark_done)
			return;
	}
	for (i = 0; i < n; i++)
		*xsk_ring_prod__fill_addr(&s->umem->fq, idx + i) = fill_addr_of(addrs[i]);
	xsk_ring_prod__submit(&s->umem->fq, n);
}

static void rx_drop(struct sock_info *s)
{
	__u64 addrs[256];
	__u32 idx, n, i, pkts = 0;

	n = xsk_ring_cons__peek(&s->rx, opt.batch, &idx);
	if (!n) {
		rx_empty(s);
		return;
	}
	for (i = 0; i < n; i++) {
		const struct xdp_desc *d = xsk_ring_cons__rx_desc(&s->rx, idx + i);

		addrs[i] = d->addr;
		pkts += !(d->options & XDP_PKT_CONTD);
	}
	xsk_ring_cons__release(&s->rx, n);
	refill(s, addrs, n);
	s->c.rx_pkts += pkts;
}

/* Reap TX completions; their frames go to @to_fill (l2fwd) or are free again. */
static void complete_tx(struct sock_info *s, bool to_fill)
{
	__u64 addrs[256];
	__u32 idx, n, i;

	if (!s->outstanding_tx)
		return;
	/* Copy mode transmits from sendto(): always kick while frames are out. */
	if (!opt.need_wakeup || xsk_ring_prod__needs_wakeup(&s->tx)) {
		s->c.tx_wakeup_sendtos++;
		kick_tx(s);
	}
	n = xsk_ring_cons__peek(&s->umem->cq, opt.batch, &idx);
	if (!n)
		return;
	if (to_fill) {
		for (i = 0; i < n; i++)
			addrs[i] = *xsk_ring_cons__comp_addr(&s->umem->cq, idx + i);
		xsk_ring_cons__release(&s->umem->cq, n);
		refill(s, addrs, n);
	} else {
		xsk_ring_cons__release(&s->umem->cq, n);
	}
	s->outstanding_tx -= n;
}

static void tx_only(struct sock_info *s)
{
	unsigned int frags = (opt.tx_size + opt.frame_size - 1) / opt.frame_size;
	__u32 batch = opt.batch - opt.batch % frags, idx, i, pkts;

	if (!batch)
		batch = frags;
	if (opt.tx_count && s->tx_frames_left < batch / frags)
		batch = s->tx_frames_left * frags;
	if (batch && s->outstanding_tx + batch <= s->frame_count &&
	    xsk_ring_prod__reserve(&s->tx, batch, &idx) == batch) {
		for (i = 0; i < batch; i++) {
			struct xdp_desc *d = xsk_ring_prod__tx_desc(&s->tx, idx + i);
			unsigned int frag = i % frags;
			__u64 addr = frame_addr(s->frame_base + s->next_tx_frame++ % s->frame_count);
			unsigned int off = frag * opt.frame_size;

			d->addr = addr;
			d->len = opt.tx_size - off < opt.frame_size ? opt.tx_size - off :
				opt.frame_size;
			d->options = frag + 1 < frags ? XDP_PKT_CONTD : 0;
			if (frag)
				memcpy(data_of(addr), tx_frame + off, d->len);
		}
		xsk_ring_prod__submit(&s->tx, batch);
		s->outstanding_tx += batch;
		pkts = batch / frags;
		s->c.tx_pkts += pkts;
		if (opt.tx_count)
			s->tx_frames_left -= pkts;
	}
	complete_tx(s, false);
}

static void swap_macs(unsigned char *pkt)
{
	unsigned char tmp[ETH_ALEN];

	memcpy(tmp, pkt, ETH_ALEN);
	memcpy(pkt, pkt + ETH_ALEN, ETH_ALEN);
	memcpy(pkt + ETH_ALEN, tmp, ETH_ALEN);
}

static void l2fwd(struct sock_info *s)
{
	__u32 ridx, tidx, n, i, pkts = 0;
	bool first = true;

	complete_tx(s, true);
	n = xsk_ring_cons__peek(&s->rx, opt.batch, &ridx);
	if (!n) {
		rx_empty(s);
		return;
	}
	while (xsk_ring_prod__reserve(&s->tx, n, &tidx) != n) {
		complete_tx(s, true);
		if (benchmark_done)
			return;
	}
	for (i = 0; i < n; i++) {
		const struct xdp_desc *rd = xsk_ring_cons__rx_desc(&s->rx, ridx + i);
		struct xdp_desc *td = xsk_ring_prod__tx_desc(&s->tx, tidx + i);

		/* The MACs are in the first fragment of a packet. */
		if (first)
			swap_macs(data_of(rd->addr));
		first = !(rd->options & XDP_PKT_CONTD);
		pkts += first;
		*td = *rd;
	}
	xsk_ring_prod__submit(&s->tx, n);
	xsk_ring_cons__release(&s->rx, n);
	s->outstanding_tx += n;
	s->c.rx_pkts += pkts;
	s->c.tx_pkts += pkts;
}

#ifndef USE_LIBXDP
/* --api=batch: the same benchmarks on libxsk's batched calls. */
static void batch_pool_attach(void)
{
	unsigned int i;
	int err;

	frame_pool = xsk_frame_pool__create(umem_info.umem, 0, NUM_FRAMES);
	if (!frame_pool)
		die("creating the frame pool: %s", strerror(errno));
	for (i = 0; i < opt.nsocks; i++) {
		err = xsk_socket__use_frame_pool(socks[i].xsk, frame_pool);
		if (err)
			die("attaching the frame pool: %s", strerror(-err));
	}
}

static __u32 count_packets(const struct xsk_frame *frames, int n)
{
	__u32 pkts = 0;
	int i;

	for (i = 0; i < n; i++)
		pkts += !(frames[i].flags & XSK_FRAME_MORE);
	return pkts;
}

static void rx_drop_batch(struct sock_info *s)
{
	struct xsk_frame frames[256];
	int n = xsk_socket__recv(s->xsk, frames, opt.batch, opt.poll ? 100 : 0);

	if (n <= 0) {
		s->c.rx_empty_polls++;
		return;
	}
	s->c.rx_pkts += count_packets(frames, n);
	xsk_socket__recv_done(s->xsk, frames, n);
}

static void l2fwd_batch(struct sock_info *s)
{
	struct xsk_frame frames[256];
	int n = xsk_socket__recv(s->xsk, frames, opt.batch, opt.poll ? 100 : 0), done, k, i;
	bool first = true;
	__u32 pkts;

	if (n <= 0) {
		s->c.rx_empty_polls++;
		xsk_socket__complete(s->xsk);
		return;
	}
	for (i = 0; i < n; i++) {
		if (first)
			swap_macs(frames[i].data);
		first = !(frames[i].flags & XSK_FRAME_MORE);
	}
	pkts = count_packets(frames, n);
	for (done = 0; done < n && !benchmark_done; done += k) {
		k = xsk_socket__send_frames(s->xsk, frames + done, n - done, 100);
		if (k < 0)
			k = 0;
	}
	s->c.rx_pkts += pkts;
	s->c.tx_pkts += pkts;
}
#endif

static void run_benchmark(void)
{
	struct pollfd fds[MAX_SOCKS];
	unsigned int i;

	for (i = 0; i < opt.nsocks; i++) {
		fds[i].fd = xsk_socket__fd(socks[i].xsk);
		fds[i].events = opt.bench == BENCH_TXONLY ? POLLOUT : POLLIN;
	}
	while (!benchmark_done) {
		if (opt.poll && !opt.batch_api) {
			for (i = 0; i < opt.nsocks; i++)
				socks[i].c.opt_polls++;
			if (poll(fds, opt.nsocks, 100) <= 0)
				continue;
		}
		for (i = 0; i < opt.nsocks; i++) {
#ifndef USE_LIBXDP
			if (opt.batch_api) {
				if (opt.bench == BENCH_RXDROP)
					rx_drop_batch(&socks[i]);
				else
					l2fwd_batch(&socks[i]);
				continue;
			}
#endif
			switch (opt.bench) {
			case BENCH_RXDROP:
				rx_drop(&socks[i]);
				break;
			case BENCH_TXONLY:
				tx_only(&socks[i]);
				break;
			case BENCH_L2FWD:
				l2fwd(&socks[i]);
				break;
			}
		}
		if (opt.bench == BENCH_TXONLY && opt.tx_count) {
			bool left = false;

			for (i = 0; i < opt.nsocks; i++)
				left |= socks[i].tx_frames_left || socks[i].outstanding_tx;
			if (!left)
				break;
		}
	}
}

/* ---- reporting ------------------------------------------------------------- */

static void kernel_stats(struct sock_info *s, struct xdp_statistics *st)
{
	socklen_t len = sizeof(*st);

	memset(st, 0, sizeof(*st));
	if (getsockopt(xsk_socket__fd(s->xsk), SOL_XDP, XDP_STATISTICS, st, &len))
		memset(st, 0, sizeof(*st));
}

static void report_interval(double dt)
{
	unsigned int i;

	for (i = 0; i < opt.nsocks; i++) {
		struct sock_info *s = &socks[i];
		__u64 rx = load(&s->c.rx_pkts), tx = load(&s->c.tx_pkts);

		if (opt.json)
			printf("{\"type\":\"interval\",\"sock\":%u,\"rx_pps\":%.0f,\"tx_pps\":%.0f}\n",
			       i, (rx - s->prev.rx_pkts) / dt, (tx - s->prev.tx_pkts) / dt);
		else
			printf(" sock%u@%s:%u %s  rx %12.0f pps  tx %12.0f pps\n", i, opt.ifname,
			       opt.queue, bench_names[opt.bench], (rx - s->prev.rx_pkts) / dt,
			       (tx - s->prev.tx_pkts) / dt);
		s->prev.rx_pkts = rx;
		s->prev.tx_pkts = tx;
	}
	fflush(stdout);
}

static void *reporter_main(void *arg)
{
	double last = now_s();

	while (!benchmark_done) {
		double t;

		usleep(opt.interval * 1000000u);
		t = now_s();
		if (!opt.quiet && !benchmark_done)
			report_interval(t - last);
		last = t;
		if (opt.duration && t - start_time >= opt.duration)
			benchmark_done = 1;
	}
	return NULL;
}

static const char *mode_name(void)
{
	if (opt.xdp_flags & XDP_FLAGS_SKB_MODE)
		return "skb";
	if (opt.xdp_flags & XDP_FLAGS_DRV_MODE)
		return "native";
	return "default";
}

static void report_final(void)
{
	double secs = end_time - start_time;
	__u64 rx = 0, tx = 0;
	unsigned int i;

	for (i = 0; i < opt.nsocks; i++) {
		rx += socks[i].c.rx_pkts;
		tx += socks[i].c.tx_pkts;
	}
	if (opt.json) {
		printf("{\"type\":\"summary\",\"bench\":\"%s\",\"lib\":\"%s\",\"api\":\"%s\","
		       "\"mode\":\"%s\",\"sockets\":%u,\"seconds\":%.3f,\"rx_packets\":%llu,"
		       "\"tx_packets\":%llu,\"rx_pps\":%.0f,\"tx_pps\":%.0f", bench_names[opt.bench],
		       XSK_LIB_NAME, opt.batch_api ? "batch" : "rings", mode_name(), opt.nsocks, secs,
		       (unsigned long long)rx,
		       (unsigned long long)tx, rx / secs, tx / secs);
		for (i = 0; opt.extra_stats && i < opt.nsocks; i++) {
			struct xdp_statistics st;

			kernel_stats(&socks[i], &st);
			printf(",\"sock%u\":{\"rx_dropped\":%llu,\"rx_invalid_descs\":%llu,"
			       "\"tx_invalid_descs\":%llu,\"rx_ring_full\":%llu,"
			       "\"rx_fill_ring_empty_descs\":%llu,\"tx_ring_empty_descs\":%llu}", i,
			       st.rx_dropped, st.rx_invalid_descs, st.tx_invalid_descs,
			       st.rx_ring_full, st.rx_fill_ring_empty_descs, st.tx_ring_empty_descs);
		}
		printf("}\n");
		return;
	}

	printf("\n%s on %s queue %u, %s mode, %u socket%s, %s, %.2f s\n", bench_names[opt.bench],
	       opt.ifname, opt.queue, mode_name(), opt.nsocks, opt.nsocks > 1 ? "s" : "",
	       XSK_LIB_NAME, secs);
	printf(" %-6s %14s %14s %12s %12s\n", "sock", "rx packets", "tx packets", "rx pps",
	       "tx pps");
	for (i = 0; i < opt.nsocks; i++) {
		struct app_counters *c = &socks[i].c;

		printf(" %-6u %14llu %14llu %12.0f %12.0f\n", i, (unsigned long long)c->rx_pkts,
		       (unsigned long long)c->tx_pkts, c->rx_pkts / secs, c->tx_pkts / secs);
	}
	if (opt.nsocks > 1)
		printf(" %-6s %14llu %14llu %12.0f %12.0f\n", "total", (unsigned long long)rx,
		       (unsigned long long)tx, rx / secs, tx / secs);
	for (i = 0; opt.extra_stats && i < opt.nsocks; i++) {
		struct xdp_statistics st;

		kernel_stats(&socks[i], &st);
		printf(" sock%u kernel: rx_dropped %llu  rx_invalid %llu  tx_invalid %llu  "
		       "rx_ring_full %llu  fill_empty %llu  tx_ring_empty %llu\n", i, st.rx_dropped,
		       st.rx_invalid_descs, st.tx_invalid_descs, st.rx_ring_full,
		       st.rx_fill_ring_empty_descs, st.tx_ring_empty_descs);
	}
	for (i = 0; opt.app_stats && i < opt.nsocks; i++) {
		struct app_counters *c = &socks[i].c;

		printf(" sock%u app: rx_empty_polls %llu  fill_fail_polls %llu  "
		       "tx_wakeup_sendtos %llu  opt_polls %llu\n", i,
		       (unsigned long long)c->rx_empty_polls, (unsigned long long)c->fill_fail_polls,
		       (unsigned long long)c->tx_wakeup_sendtos, (unsigned long long)c->opt_polls);
	}
}

/* ---- options ------------------------------------------------------------- */

static void usage(FILE *f)
{
	fprintf(f,
		"usage: xdpsock [OPTIONS] -i IFNAME\n"
		"  -r, --rxdrop          receive and drop (default)\n"
		"  -t, --txonly          transmit a fixed frame\n"
		"  -l, --l2fwd           swap MAC addresses and send back\n"
		"  -i, --interface IF    interface (required)\n"
		"  -q, --queue N         queue (default 0)\n"
		"  -p, --poll            wait in poll() instead of spinning\n"
		"  -S, --xdp-skb         attach in SKB (generic) mode\n"
		"  -N, --xdp-native      attach in native (driver) mode\n"
		"  -c, --copy            force copy mode (XDP_COPY)\n"
		"  -z, --zero-copy       force zero-copy mode (XDP_ZEROCOPY)\n"
		"  -m, --no-need-wakeup  do not use XDP_USE_NEED_WAKEUP\n"
		"  -f, --frame-size N    UMEM frame size (default 4096)\n"
		"  -u, --unaligned       unaligned chunk placement (XDP_UMEM_UNALIGNED_CHUNK_FLAG)\n"
		"  -M, --shared-umem[=N] N sockets (default 4) sharing one UMEM and queue\n"
		"  -F, --frags           multi-buffer (XDP_USE_SG)\n"
		"  -d, --duration S      run for S seconds (default: until Ctrl-C)\n"
		"  -b, --batch-size N    descriptors per ring operation (default 64, max 256)\n"
		"  -B, --busy-poll       busy polling (SO_PREFER_BUSY_POLL, SO_BUSY_POLL)\n"
		"  -n, --interval S      seconds between reports (default 1)\n"
		"  -s, --tx-pkt-size N   txonly frame size, 60..9000 (default 64)\n"
		"  -C, --tx-pkt-count N  txonly: stop after N frames\n"
		"  -P, --tx-pkt-pattern X  txonly payload pattern, 32-bit hex\n"
		"  -x, --extra-stats     kernel statistics (XDP_STATISTICS)\n"
		"  -a, --app-stats       application statistics (syscalls, empty polls)\n"
		"  -Q, --quiet           no per-interval reports\n"
		"  -j, --json            machine-readable output (one JSON object per line)\n"
		"      --api=rings|batch the raw rings (default) or libxsk's batched calls\n"
		"                        (rxdrop and l2fwd)\n"
		"  -h, --help\n");
}

__attribute__((noreturn))
static void bad_option(const char *opt_name, const char *why, const char *arg)
{
	fprintf(stderr, "xdpsock: %s: %s%s%s%s\n", opt_name, why, arg ? " ('" : "", arg ? arg : "",
		arg ? "')" : "");
	usage(stderr);
	exit(2);
}

static unsigned long num_arg(const char *name, const char *arg, unsigned long lo,
			     unsigned long hi, int base)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(arg, &end, base);
	if (errno || *end || end == arg || v < lo || v > hi) {
		char why[96];

		snprintf(why, sizeof(why), "expects a number from %lu to %lu", lo, hi);
		bad_option(name, why, arg);
	}
	return v;
}

static void parse_options(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "rxdrop", no_argument, NULL, 'r' },
		{ "txonly", no_argument, NULL, 't' },
		{ "l2fwd", no_argument, NULL, 'l' },
		{ "interface", required_argument, NULL, 'i' },
		{ "queue", required_argument, NULL, 'q' },
		{ "poll", no_argument, NULL, 'p' },
		{ "xdp-skb", no_argument, NULL, 'S' },
		{ "xdp-native", no_argument, NULL, 'N' },
		{ "copy", no_argument, NULL, 'c' },
		{ "zero-copy", no_argument, NULL, 'z' },
		{ "no-need-wakeup", no_argument, NULL, 'm' },
		{ "frame-size", required_argument, NULL, 'f' },
		{ "unaligned", no_argument, NULL, 'u' },
		{ "shared-umem", optional_argument, NULL, 'M' },
		{ "frags", no_argument, NULL, 'F' },
		{ "duration", required_argument, NULL, 'd' },
		{ "batch-size", required_argument, NULL, 'b' },
		{ "busy-poll", no_argument, NULL, 'B' },
		{ "interval", required_argument, NULL, 'n' },
		{ "tx-pkt-size", required_argument, NULL, 's' },
		{ "tx-pkt-count", required_argument, NULL, 'C' },
		{ "tx-pkt-pattern", required_argument, NULL, 'P' },
		{ "extra-stats", no_argument, NULL, 'x' },
		{ "app-stats", no_argument, NULL, 'a' },
		{ "quiet", no_argument, NULL, 'Q' },
		{ "json", no_argument, NULL, 'j' },
		{ "api", required_argument, NULL, 'A' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool copy = false, zc = false;
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":rtli:q:pSNczmf:uM::Fd:b:Bn:s:C:P:xaQjh", longopts,
				NULL)) != -1) {
		switch (c) {
		case 'r': opt.bench = BENCH_RXDROP; break;
		case 't': opt.bench = BENCH_TXONLY; break;
		case 'l': opt.bench = BENCH_L2FWD; break;
		case 'i':
			if (strnlen(optarg, IF_NAMESIZE) >= IF_NAMESIZE)
				bad_option("-i", "interface name too long", optarg);
			opt.ifname = optarg;
			break;
		case 'q': opt.queue = num_arg("-q", optarg, 0, 65535, 10); break;
		case 'p': opt.poll = true; break;
		case 'S': opt.xdp_flags = XDP_FLAGS_SKB_MODE; break;
		case 'N': opt.xdp_flags = XDP_FLAGS_DRV_MODE; break;
		case 'c': copy = true; break;
		case 'z': zc = true; break;
		case 'm': opt.need_wakeup = false; break;
		case 'f': opt.frame_size = num_arg("-f", optarg, 2048, 65536, 10); break;
		case 'u': opt.unaligned = true; break;
		case 'M':
			opt.nsocks = optarg ? num_arg("-M", optarg, 2, MAX_SOCKS, 10) : 4;
			break;
		case 'F': opt.frags = true; break;
		case 'd': opt.duration = num_arg("-d", optarg, 1, 86400, 10); break;
		case 'b': opt.batch = num_arg("-b", optarg, 1, 256, 10); break;
		case 'B': opt.busy_poll = true; break;
		case 'n': opt.interval = num_arg("-n", optarg, 1, 3600, 10); break;
		case 's': opt.tx_size = num_arg("-s", optarg, 60, 9000, 10); break;
		case 'C': opt.tx_count = num_arg("-C", optarg, 1, ULONG_MAX, 10); break;
		case 'P': opt.tx_pattern = num_arg("-P", optarg, 0, 0xffffffffUL, 16); break;
		case 'x': opt.extra_stats = true; break;
		case 'a': opt.app_stats = true; break;
		case 'Q': opt.quiet = true; break;
		case 'j': opt.json = true; break;
		case 'A':
			if (!strcmp(optarg, "batch"))
				opt.batch_api = true;
			else if (strcmp(optarg, "rings"))
				bad_option("--api", "is 'rings' or 'batch'", optarg);
			break;
		case 'h': usage(stdout); exit(0);
		case ':': {
			char name[3] = { '-', (char)optopt, 0 };

			bad_option(optopt ? name : argv[optind - 1], "needs an argument", NULL);
		}
		default: {
			char name[3] = { '-', (char)optopt, 0 };

			bad_option(optopt ? name : argv[optind - 1], "unknown option", NULL);
		}
		}
	}
	if (optind < argc)
		bad_option(argv[optind], "unexpected argument", NULL);
	if (!opt.ifname)
		bad_option("-i", "an interface is required", NULL);
	if (copy && zc)
		bad_option("-c/-z", "copy and zero-copy exclude each other", NULL);
	if (!opt.unaligned && (opt.frame_size & (opt.frame_size - 1)))
		bad_option("-f", "frame size must be a power of two without -u", NULL);
	if (opt.tx_size > opt.frame_size && !opt.frags)
		bad_option("-s", "frames larger than the frame size need -F", NULL);
#ifdef USE_LIBXDP
	if (opt.batch_api)
		bad_option("--api", "batch is libxsk's; this xdpsock is built on libxdp", "batch");
#endif
	if (opt.nsocks > 1 && opt.bench == BENCH_TXONLY)
		bad_option("-M", "runs rxdrop and l2fwd: sockets on one queue share a completion "
			   "ring, which txonly's per-socket frame accounting cannot", NULL);
	if (opt.batch_api && opt.bench == BENCH_TXONLY)
		bad_option("--api", "batch runs rxdrop and l2fwd", "batch");
	opt.bind_flags = (copy ? XDP_COPY : 0) | (zc ? XDP_ZEROCOPY : 0) |
			 (opt.need_wakeup ? XDP_USE_NEED_WAKEUP : 0) | (opt.frags ? XDP_USE_SG : 0);
}

int main(int argc, char **argv)
{
	pthread_t reporter;
	unsigned int i;

	parse_options(argc, argv);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGABRT, on_signal);

	umem_create();
	for (i = 0; i < opt.nsocks; i++)
		socket_create(i);
	if (opt.nsocks > 1)
		rr_prog_attach();
	if (opt.bench == BENCH_TXONLY) {
		tx_frame_build();
		tx_frames_prepare();
#ifndef USE_LIBXDP
	} else if (opt.batch_api) {
		batch_pool_attach();	/* the pool stocks the fill ring itself */
#endif
	} else {
		fill_ring_populate();
	}

	start_time = now_s();
	if (pthread_create(&reporter, NULL, reporter_main, NULL))
		die("starting the reporter thread failed");
	run_benchmark();
	end_time = now_s();
	benchmark_done = 1;
	pthread_join(reporter, NULL);

	report_final();
	cleanup();
	return 0;
}
