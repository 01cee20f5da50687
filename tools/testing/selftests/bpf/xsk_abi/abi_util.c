// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <arpa/inet.h>
#include <linux/bpf.h>
#include <linux/capability.h>
#include <linux/if_link.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "abi_util.h"

/* ---- sockets ------------------------------------------------------------ */

int xsk_socket_raw(void)
{
	int fd = socket(AF_XDP, SOCK_RAW | SOCK_CLOEXEC, 0);

	if (fd < 0)
		FAIL("socket(AF_XDP, SOCK_RAW, 0): %s", strerror(errno));
	return fd;
}

int xsk_umem_raw(struct xsk *x, unsigned int nframes, unsigned int frame_size)
{
	struct abi_umem_reg mr = { 0 };

	x->area_size = (size_t)nframes * frame_size;
	x->area = mmap(NULL, x->area_size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (x->area == MAP_FAILED)
		FAIL("mmap of a %zu-byte UMEM: %s", x->area_size, strerror(errno));
	x->nframes = nframes;
	x->frame_size = frame_size;
	mr.addr = (uintptr_t)x->area;
	mr.len = x->area_size;
	mr.chunk_size = frame_size;
	if (setsockopt(x->fd, SOL_XDP, XDP_UMEM_REG, &mr, sizeof(mr)))
		return -errno;
	return 0;
}

int xsk_set_ring(int fd, int opt, int entries)
{
	return setsockopt(fd, SOL_XDP, opt, &entries, sizeof(entries)) ? -errno : 0;
}

int xsk_map_ring(int fd, int opt, __u32 entries, struct ring *r)
{
	struct xdp_mmap_offsets off;
	socklen_t len = sizeof(off);
	struct xdp_ring_offset *ro;
	off_t pgoff;
	size_t esz;

	if (getsockopt(fd, SOL_XDP, XDP_MMAP_OFFSETS, &off, &len))
		return -errno;
	switch (opt) {
	case XDP_RX_RING:
		ro = &off.rx, pgoff = XDP_PGOFF_RX_RING, esz = sizeof(struct xdp_desc);
		break;
	case XDP_TX_RING:
		ro = &off.tx, pgoff = XDP_PGOFF_TX_RING, esz = sizeof(struct xdp_desc);
		break;
	case XDP_UMEM_FILL_RING:
		ro = &off.fr, pgoff = XDP_UMEM_PGOFF_FILL_RING, esz = sizeof(__u64);
		break;
	default:
		ro = &off.cr, pgoff = XDP_UMEM_PGOFF_COMPLETION_RING, esz = sizeof(__u64);
		break;
	}
	memset(r, 0, sizeof(*r));
	r->map_len = ro->desc + entries * esz;
	r->map = mmap(NULL, r->map_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd,
		      pgoff);
	if (r->map == MAP_FAILED) {
		r->map = NULL;
		return -errno;
	}
	r->producer = (__u32 *)((char *)r->map + ro->producer);
	r->consumer = (__u32 *)((char *)r->map + ro->consumer);
	r->flags = (__u32 *)((char *)r->map + ro->flags);
	r->desc = (char *)r->map + ro->desc;
	r->size = entries;
	return 0;
}

void xsk_unmap_ring(struct ring *r)
{
	if (r->map)
		munmap(r->map, r->map_len);
	memset(r, 0, sizeof(*r));
}

int xsk_bind_raw(int fd, int ifindex, __u32 queue, __u16 flags, __u32 shared_fd)
{
	struct sockaddr_xdp sxdp = {
		.sxdp_family = AF_XDP,
		.sxdp_flags = flags,
		.sxdp_ifindex = ifindex,
		.sxdp_queue_id = queue,
		.sxdp_shared_umem_fd = shared_fd,
	};

	return bind(fd, (struct sockaddr *)&sxdp, sizeof(sxdp)) ? -errno : 0;
}

int xsk_bind_retry(int fd, int ifindex, __u32 queue, __u16 flags, __u32 shared_fd)
{
	uint64_t deadline = now_ms() + 10000;
	int err;

	while ((err = xsk_bind_raw(fd, ifindex, queue, flags, shared_fd)) == -EBUSY &&
	       now_ms() < deadline)
		usleep(1000);
	return err;
}

int xsk_stats(int fd, struct abi_stats *st)
{
	socklen_t len = sizeof(*st);

	memset(st, 0, sizeof(*st));
	if (getsockopt(fd, SOL_XDP, XDP_STATISTICS, st, &len))
		return -errno;
	if (len != sizeof(*st))
		FAIL("XDP_STATISTICS returned %u bytes, expected 48", len);
	return 0;
}

void xsk_prepare(struct xsk *x, bool rx, bool tx, __u32 ring, const struct xsk *shared,
		 bool own_fq)
{
	memset(x, 0, sizeof(*x));
	x->fd = xsk_socket_raw();
	if (!shared) {
		ASSERT_OK(xsk_umem_raw(x, 4 * ring, 4096));
		own_fq = true;
	}
	if (own_fq) {
		ASSERT_OK(xsk_set_ring(x->fd, XDP_UMEM_FILL_RING, ring));
		ASSERT_OK(xsk_set_ring(x->fd, XDP_UMEM_COMPLETION_RING, ring));
		ASSERT_OK(xsk_map_ring(x->fd, XDP_UMEM_FILL_RING, ring, &x->fq));
		ASSERT_OK(xsk_map_ring(x->fd, XDP_UMEM_COMPLETION_RING, ring, &x->cq));
	}
	if (rx) {
		ASSERT_OK(xsk_set_ring(x->fd, XDP_RX_RING, ring));
		ASSERT_OK(xsk_map_ring(x->fd, XDP_RX_RING, ring, &x->rx));
	}
	if (tx) {
		ASSERT_OK(xsk_set_ring(x->fd, XDP_TX_RING, ring));
		ASSERT_OK(xsk_map_ring(x->fd, XDP_TX_RING, ring, &x->tx));
	}
}

void xsk_open(struct xsk *x, int ifindex, __u32 queue, bool rx, bool tx, __u32 ring,
	      __u16 bind_flags, const struct xsk *shared)
{
	xsk_prepare(x, rx, tx, ring, shared, false);
	if (shared) {
		ASSERT_OK(xsk_bind_raw(x->fd, ifindex, queue, XDP_SHARED_UMEM, shared->fd));
	} else {
		ASSERT_OK(xsk_bind_retry(x->fd, ifindex, queue, bind_flags, 0));
	}
}

void xsk_open_umem(struct xsk *x, struct abi_umem_reg mr, size_t area, bool rx,
		   __u32 tx_entries, __u16 bind_flags)
{
	memset(x, 0, sizeof(*x));
	x->fd = xsk_socket_raw();
	x->area_size = area;
	x->frame_size = mr.chunk_size;
	x->area = mmap(NULL, area, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (x->area == MAP_FAILED)
		FAIL("mmap of a %zu-byte UMEM: %s", area, strerror(errno));
	mr.addr = (uintptr_t)x->area;
	mr.len = area;
	ASSERT_SYS(setsockopt(x->fd, SOL_XDP, XDP_UMEM_REG, &mr, sizeof(mr)));
	ASSERT_OK(xsk_set_ring(x->fd, XDP_UMEM_FILL_RING, 64));
	ASSERT_OK(xsk_set_ring(x->fd, XDP_UMEM_COMPLETION_RING, 64));
	ASSERT_OK(xsk_map_ring(x->fd, XDP_UMEM_FILL_RING, 64, &x->fq));
	ASSERT_OK(xsk_map_ring(x->fd, XDP_UMEM_COMPLETION_RING, 64, &x->cq));
	if (rx) {
		ASSERT_OK(xsk_set_ring(x->fd, XDP_RX_RING, 64));
		ASSERT_OK(xsk_map_ring(x->fd, XDP_RX_RING, 64, &x->rx));
	}
	if (tx_entries) {
		ASSERT_OK(xsk_set_ring(x->fd, XDP_TX_RING, tx_entries));
		ASSERT_OK(xsk_map_ring(x->fd, XDP_TX_RING, tx_entries, &x->tx));
	}
	ASSERT_OK(xsk_bind_retry(x->fd, env.ifindex_a, 0, bind_flags, 0));
}

void xsk_close(struct xsk *x)
{
	xsk_unmap_ring(&x->rx);
	xsk_unmap_ring(&x->tx);
	xsk_unmap_ring(&x->fq);
	xsk_unmap_ring(&x->cq);
	if (x->fd > 0)
		close(x->fd);
	if (x->area)
		munmap(x->area, x->area_size);
	memset(x, 0, sizeof(*x));
	x->fd = -1;
}

unsigned int xsk_fill(struct xsk *owner, struct ring *fq, unsigned int first, unsigned int n)
{
	__u32 prod = ring_load(fq->producer), cons = ring_load(fq->consumer), i;
	unsigned int room = fq->size - (prod - cons);

	if (n > room)
		n = room;
	for (i = 0; i < n; i++)
		*ring_addr(fq, prod + i) = (__u64)(first + i) * owner->frame_size;
	ring_store(fq->producer, prod + n);
	return n;
}

unsigned int xsk_rx_drain(struct xsk *owner, struct ring *rx, bool check)
{
	__u32 cons = ring_load(rx->consumer), prod = ring_load(rx->producer), i;

	for (i = cons; i != prod; i++) {
		struct xdp_desc *d = ring_desc(rx, i);

		if (d->addr + d->len > owner->area_size)
			FAIL("RX descriptor beyond the UMEM: addr %llu len %u",
			     (unsigned long long)d->addr, d->len);
		if (check && frame_seq((char *)owner->area + d->addr, d->len) < 0)
			FAIL("RX descriptor %u does not hold a test frame (len %u)", i, d->len);
	}
	ring_store(rx->consumer, prod);
	return prod - cons;
}

unsigned int xsk_rx_wait(struct ring *rx, unsigned int n, int ms)
{
	uint64_t deadline = now_ms() + ms;
	unsigned int have;

	for (;;) {
		have = ring_load(rx->producer) - ring_load(rx->consumer);
		if (have >= n || now_ms() > deadline)
			return have;
		usleep(1000);
	}
}

int xsk_kick(int fd)
{
	return sendto(fd, NULL, 0, MSG_DONTWAIT, NULL, 0) < 0 ? -errno : 0;
}

/* Put a TX descriptor at the producer. */
void tx_put(struct xsk *x, __u64 addr, __u32 len, __u32 options)
{
	struct xdp_desc *d = ring_desc(&x->tx, x->tx.cached);

	d->addr = addr;
	d->len = len;
	d->options = options;
	x->tx.cached++;
}

/* Kick until the TX consumer reaches the producer; returns the completions seen. */
__u32 tx_settle(struct xsk *x)
{
	uint64_t end = now_ms() + 3000;

	ring_store(x->tx.producer, x->tx.cached);
	while (ring_load(x->tx.consumer) != x->tx.cached && now_ms() < end) {
		int err = xsk_kick(x->fd);

		if (err && err != -EAGAIN && err != -ENOBUFS && err != -EBUSY)
			FAIL("kicking TX: %s", strerror(-err));
		usleep(1000);
	}
	usleep(20000);
	xsk_kick(x->fd);
	return ring_load(x->cq.producer) - ring_load(x->cq.consumer);
}

unsigned int peer_count(int fd, unsigned int want, int ms)
{
	uint64_t end = now_ms() + ms;
	unsigned char buf[2048];
	unsigned int got = 0;

	while (now_ms() < end) {
		ssize_t n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);

		if (n < 0) {
			if (got >= want)
				break;
			usleep(1000);
			continue;
		}
		if (n == FRAME_LEN && frame_seq(buf, n) >= 0)
			got++;
	}
	usleep(20000);
	while (recv(fd, buf, sizeof(buf), MSG_DONTWAIT) > 0)
		got++;
	return got;
}

/* ---- frames --------------------------------------------------------------- */

void frame_make(void *buf, size_t len, uint32_t seq, const unsigned char *dst,
		const unsigned char *src)
{
	uint8_t *p = buf;
	uint16_t type = htons(TEST_ETHERTYPE);
	uint32_t nseq = htonl(seq);
	size_t i;

	memcpy(p, dst, 6);
	memcpy(p + 6, src, 6);
	memcpy(p + 12, &type, 2);
	memcpy(p + 14, &nseq, 4);
	for (i = 18; i < len; i++)
		p[i] = (uint8_t)(seq + i);
}

long frame_seq(const void *buf, size_t len)
{
	const uint8_t *p = buf;
	uint32_t seq;
	uint16_t type;
	size_t i;

	if (len < 18)
		return -1;
	memcpy(&type, p + 12, 2);
	memcpy(&seq, p + 14, 4);
	if (ntohs(type) != TEST_ETHERTYPE)
		return -1;
	seq = ntohl(seq);
	for (i = 18; i < len; i++)
		if (p[i] != (uint8_t)(seq + i))
			return -1;
	return seq;
}

int peer_socket(void)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET };
	int fd;

	env_enter_b();
	fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(TEST_ETHERTYPE));
	if (fd < 0)
		FAIL("AF_PACKET socket: %s", strerror(errno));
	sll.sll_protocol = htons(TEST_ETHERTYPE);
	sll.sll_ifindex = if_nametoindex(env.if_b);
	if (!sll.sll_ifindex || bind(fd, (struct sockaddr *)&sll, sizeof(sll)))
		FAIL("binding AF_PACKET to %s: %s", env.if_b, strerror(errno));
	env_enter_a();
	return fd;
}

void peer_send_frames(int fd, unsigned int count, uint32_t first)
{
	uint8_t buf[FRAME_LEN];
	unsigned int i;

	for (i = 0; i < count; i++) {
		frame_make(buf, sizeof(buf), first + i, env.mac_a, env.mac_b);
		while (send(fd, buf, sizeof(buf), 0) != (ssize_t)sizeof(buf)) {
			if (errno != ENOBUFS && errno != EAGAIN)
				FAIL("sending frame %u: %s", i, strerror(errno));
			usleep(100);
		}
	}
}

/* ---- bpf ------------------------------------------------------------------ */

#define INSN(c, d, s, o, i) ((struct bpf_insn){ .code = (c), .dst_reg = (d), .src_reg = (s), \
						.off = (o), .imm = (i) })

static void redirect_attach_prog(struct redirect *r, int ifindex, unsigned int entries,
				 unsigned int spread, bool frags, bool meta);

void redirect_attach(struct redirect *r, int ifindex, unsigned int entries, unsigned int spread)
{
	redirect_attach_prog(r, ifindex, entries, spread, false, false);
}

void redirect_attach_frags(struct redirect *r, int ifindex, unsigned int entries,
			   unsigned int spread, bool frags)
{
	redirect_attach_prog(r, ifindex, entries, spread, frags, false);
}

void redirect_attach_meta(struct redirect *r, int ifindex, unsigned int entries)
{
	redirect_attach_prog(r, ifindex, entries, 1, false, true);
}

static void redirect_attach_prog(struct redirect *r, int ifindex, unsigned int entries,
				 unsigned int spread, bool frags, bool meta)
{
	LIBBPF_OPTS(bpf_link_create_opts, lopts, .flags = XDP_FLAGS_DRV_MODE);
	char log[4096] = "";
	LIBBPF_OPTS(bpf_prog_load_opts, popts, .log_buf = log, .log_size = sizeof(log),
		    .log_level = 1);
	struct bpf_insn insns[40];
	int n = 0;

	r->map_fd = bpf_map_create(BPF_MAP_TYPE_XSKMAP, "abi_xsks", 4, 4, entries, NULL);
	if (r->map_fd < 0)
		FAIL("creating an XSKMAP: %s", strerror(errno));
	/* r2 = data, r3 = data_end; pass if shorter than header + seq */
	if (meta) {
		/* META_BYTES of metadata in front of every frame: META_WORD0, META_WORD1. */
		insns[n++] = INSN(BPF_ALU64 | BPF_MOV | BPF_X, 6, 1, 0, 0);
		insns[n++] = INSN(BPF_ALU64 | BPF_MOV | BPF_K, 2, 0, 0, -META_BYTES);
		insns[n++] = INSN(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_xdp_adjust_meta);
		insns[n++] = INSN(BPF_ALU64 | BPF_MOV | BPF_X, 1, 6, 0, 0);
		insns[n++] = INSN(BPF_JMP | BPF_JNE | BPF_K, 0, 0, 7, 0);	/* -> main */
		insns[n++] = INSN(BPF_LDX | BPF_W | BPF_MEM, 2, 1, offsetof(struct xdp_md, data_meta), 0);
		insns[n++] = INSN(BPF_LDX | BPF_W | BPF_MEM, 3, 1, offsetof(struct xdp_md, data), 0);
		insns[n++] = INSN(BPF_ALU64 | BPF_MOV | BPF_X, 4, 2, 0, 0);
		insns[n++] = INSN(BPF_ALU64 | BPF_ADD | BPF_K, 4, 0, 0, META_BYTES);
		insns[n++] = INSN(BPF_JMP | BPF_JGT | BPF_X, 4, 3, 2, 0);	/* -> main */
		insns[n++] = INSN(BPF_ST | BPF_W | BPF_MEM, 2, 0, 0, META_WORD0);
		insns[n++] = INSN(BPF_ST | BPF_W | BPF_MEM, 2, 0, 4, META_WORD1);
	}
	insns[n++] = INSN(BPF_LDX | BPF_W | BPF_MEM, 2, 1, offsetof(struct xdp_md, data), 0);
	insns[n++] = INSN(BPF_LDX | BPF_W | BPF_MEM, 3, 1, offsetof(struct xdp_md, data_end), 0);
	insns[n++] = INSN(BPF_ALU64 | BPF_MOV | BPF_X, 4, 2, 0, 0);
	insns[n++] = INSN(BPF_ALU64 | BPF_ADD | BPF_K, 4, 0, 0, 18);
	insns[n++] = INSN(BPF_JMP | BPF_JGT | BPF_X, 4, 3, 12, 0);		/* -> pass */
	/* only our ethertype */
	insns[n++] = INSN(BPF_LDX | BPF_H | BPF_MEM, 4, 2, 12, 0);
	insns[n++] = INSN(BPF_JMP | BPF_JNE | BPF_K, 4, 0, 10, htons(TEST_ETHERTYPE)); /* -> pass */
	/* key = rx_queue_index * spread + (seq & (spread - 1)) */
	insns[n++] = INSN(BPF_LDX | BPF_B | BPF_MEM, 5, 2, 17, 0);
	insns[n++] = INSN(BPF_ALU64 | BPF_AND | BPF_K, 5, 0, 0, spread - 1);
	insns[n++] = INSN(BPF_LDX | BPF_W | BPF_MEM, 2, 1, offsetof(struct xdp_md, rx_queue_index), 0);
	insns[n++] = INSN(BPF_ALU64 | BPF_MUL | BPF_K, 2, 0, 0, spread);
	insns[n++] = INSN(BPF_ALU64 | BPF_ADD | BPF_X, 2, 5, 0, 0);
	/* return bpf_redirect_map(&map, key, XDP_PASS) */
	insns[n++] = INSN(BPF_LD | BPF_DW | BPF_IMM, 1, BPF_PSEUDO_MAP_FD, 0, r->map_fd);
	insns[n++] = INSN(0, 0, 0, 0, 0);
	insns[n++] = INSN(BPF_ALU64 | BPF_MOV | BPF_K, 3, 0, 0, XDP_PASS);
	insns[n++] = INSN(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_redirect_map);
	insns[n++] = INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	/* pass: */
	insns[n++] = INSN(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, XDP_PASS);
	insns[n++] = INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);

	popts.prog_flags = frags ? BPF_F_XDP_HAS_FRAGS : 0;
	r->prog_fd = bpf_prog_load(BPF_PROG_TYPE_XDP, "abi_redirect", "GPL", insns, n, &popts);
	if (r->prog_fd < 0)
		FAIL("loading the redirect program: %s\n%s", strerror(errno), log);
	r->link_fd = bpf_link_create(r->prog_fd, ifindex, BPF_XDP, &lopts);
	if (r->link_fd < 0)
		FAIL("attaching the redirect program to ifindex %d: %s", ifindex,
		     strerror(errno));
}

int xskmap_has(int map_fd, __u32 key)
{
	char log[4096] = "";
	LIBBPF_OPTS(bpf_prog_load_opts, popts, .log_buf = log, .log_size = sizeof(log),
		    .log_level = 1);
	unsigned char pkt[64] = { 0 }, out[256];
	LIBBPF_OPTS(bpf_test_run_opts, topts, .data_in = pkt, .data_size_in = sizeof(pkt),
		    .data_out = out, .data_size_out = sizeof(out), .repeat = 1);
	struct bpf_insn insns[12];
	int n = 0, fd, err;

	/* *(u32 *)(fp - 4) = key; return bpf_map_lookup_elem(map, fp - 4) ? XDP_PASS : XDP_DROP */
	insns[n++] = INSN(BPF_ST | BPF_W | BPF_MEM, 10, 0, -4, key);
	insns[n++] = INSN(BPF_ALU64 | BPF_MOV | BPF_X, 2, 10, 0, 0);
	insns[n++] = INSN(BPF_ALU64 | BPF_ADD | BPF_K, 2, 0, 0, -4);
	insns[n++] = INSN(BPF_LD | BPF_DW | BPF_IMM, 1, BPF_PSEUDO_MAP_FD, 0, map_fd);
	insns[n++] = INSN(0, 0, 0, 0, 0);
	insns[n++] = INSN(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_map_lookup_elem);
	insns[n++] = INSN(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 2, 0);
	insns[n++] = INSN(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, XDP_PASS);
	insns[n++] = INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	insns[n++] = INSN(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, XDP_DROP);
	insns[n++] = INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	fd = bpf_prog_load(BPF_PROG_TYPE_XDP, "abi_lookup", "GPL", insns, n, &popts);
	if (fd < 0)
		FAIL("loading the lookup program: %s\n%s", strerror(errno), log);
	err = bpf_prog_test_run_opts(fd, &topts);
	close(fd);
	if (err)
		FAIL("running the lookup program: %s", strerror(errno));
	if (topts.retval != XDP_PASS && topts.retval != XDP_DROP)
		FAIL("the lookup program returned %u", topts.retval);
	return topts.retval == XDP_PASS;
}

void redirect_detach(struct redirect *r)
{
	if (r->link_fd >= 0)
		close(r->link_fd);
	if (r->prog_fd >= 0)
		close(r->prog_fd);
	if (r->map_fd >= 0)
		close(r->map_fd);
	r->link_fd = r->prog_fd = r->map_fd = -1;
}

void xskmap_set(struct redirect *r, __u32 key, int fd)
{
	__u32 v = fd;

	if (bpf_map_update_elem(r->map_fd, &key, &v, 0))
		FAIL("XSKMAP[%u] = fd %d: %s", key, fd, strerror(errno));
}

int caps_keep_only(__u64 keep)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2] = { 0 };

	data[0].effective = data[0].permitted = (__u32)keep;
	data[1].effective = data[1].permitted = (__u32)(keep >> 32);
	return syscall(SYS_capset, &hdr, data) ? -errno : 0;
}

bool abi_kernel_is_ours(void)
{
	const char *k = getenv("XSK_ABI_KERNEL");

	return k && !strcmp(k, "ours");
}
