// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <arpa/inet.h>
#include <linux/capability.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "harness.h"
#include "test_util.h"

/* ---- frames ------------------------------------------------------------ */

static uint8_t pattern_byte(uint32_t seq, size_t off)
{
	return (uint8_t)(seq * 31 + off * 7 + (off >> 8));
}

void frame_build(void *buf, size_t len, uint32_t seq, const unsigned char *dst,
		 const unsigned char *src)
{
	uint8_t *p = buf;
	uint32_t magic = htonl(TEST_MAGIC), nseq = htonl(seq);
	uint16_t type = htons(TEST_ETHERTYPE);
	size_t i;

	memcpy(p, dst, 6);
	memcpy(p + 6, src, 6);
	memcpy(p + 12, &type, 2);
	memcpy(p + 14, &magic, 4);
	memcpy(p + 18, &nseq, 4);
	for (i = FRAME_HDR_LEN; i < len; i++)
		p[i] = pattern_byte(seq, i);
}

long frame_check(const void *buf, size_t len)
{
	const uint8_t *p = buf;
	uint32_t magic, seq;
	uint16_t type;
	size_t i;

	if (len < FRAME_HDR_LEN)
		return -1;
	memcpy(&type, p + 12, 2);
	memcpy(&magic, p + 14, 4);
	memcpy(&seq, p + 18, 4);
	if (ntohs(type) != TEST_ETHERTYPE || ntohl(magic) != TEST_MAGIC)
		return -1;
	seq = ntohl(seq);
	for (i = FRAME_HDR_LEN; i < len; i++)
		if (p[i] != pattern_byte(seq, i))
			return -1;
	return seq;
}

static void mark_seen(uint8_t *seen, unsigned int seen_size, long seq)
{
	if (!seen || seq < 0 || (unsigned long)seq >= seen_size)
		return;
	if (seen[seq])
		FAIL("frame %ld arrived twice", seq);
	seen[seq] = 1;
}

/* ---- the B end ------------------------------------------------------------ */

int peer_open_on(bool in_b, const char *ifname)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET };
	int fd, rcvbuf = 8 << 20;

	if (in_b)
		env_enter_b();
	fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(TEST_ETHERTYPE));
	if (fd < 0)
		FAIL("AF_PACKET socket: %s", strerror(errno));
	sll.sll_protocol = htons(TEST_ETHERTYPE);
	sll.sll_ifindex = if_nametoindex(ifname);
	if (!sll.sll_ifindex || bind(fd, (struct sockaddr *)&sll, sizeof(sll)))
		FAIL("binding AF_PACKET to %s: %s", ifname, strerror(errno));
	setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf));
	if (in_b)
		env_enter_a();
	return fd;
}

int peer_open(void)
{
	return peer_open_on(true, env.if_b);
}

void peer_send(int fd, unsigned int count, size_t len, uint32_t first)
{
	uint8_t *buf = malloc(len);
	unsigned int i;

	ASSERT_PTR(buf);
	for (i = 0; i < count; i++) {
		frame_build(buf, len, first + i, env.mac_a, env.mac_b);
		while (send(fd, buf, len, 0) != (ssize_t)len) {
			if (errno != ENOBUFS && errno != EAGAIN)
				FAIL("sending frame %u from %s: %s", i, env.if_b, strerror(errno));
			usleep(100);
		}
	}
	free(buf);
}

unsigned int peer_recv(int fd, unsigned int count, size_t len, int timeout_ms,
		       uint8_t *seen, unsigned int seen_size)
{
	uint64_t deadline = now_ms() + timeout_ms;
	size_t cap = len + 64;
	uint8_t *buf = malloc(cap);
	unsigned int got = 0;

	ASSERT_PTR(buf);
	while (got < count && now_ms() < deadline) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		ssize_t n;
		long seq;

		if (poll(&pfd, 1, 20) <= 0)
			continue;
		n = recv(fd, buf, cap, MSG_DONTWAIT);
		if (n < 0)
			continue;
		if ((size_t)n != len)
			FAIL("the peer received a %zd-byte frame, expected %zu", n, len);
		seq = frame_check(buf, n);
		if (seq < 0)
			FAIL("the peer received a corrupt frame of %zd bytes", n);
		mark_seen(seen, seen_size, seq);
		got++;
	}
	free(buf);
	return got;
}

/* ---- the fixture ---------------------------------------------------------- */

uint64_t fixture_frame_addr(const struct fixture *f, unsigned int i)
{
	uint64_t base = (uint64_t)i * f->frame_size;

	/*
	 * Unaligned mode: start 40 bytes into the chunk, a spot no aligned
	 * UMEM could use.  (40 + headroom + data stays inside the chunk.)
	 */
	return f->unaligned ? base + 40 : base;
}

void fixture_umem(struct fixture *f, unsigned int nframes, unsigned int frame_size,
		  unsigned int umem_flags)
{
	struct xsk_umem_config cfg = {
		.fill_size = XSK_RING_PROD__DEFAULT_NUM_DESCS,
		.comp_size = XSK_RING_CONS__DEFAULT_NUM_DESCS,
		.frame_size = frame_size ? frame_size : XSK_UMEM__DEFAULT_FRAME_SIZE,
		.frame_headroom = 0,
		.flags = umem_flags,
	};
	unsigned int i;

	memset(f, 0, sizeof(*f));
	f->nframes = nframes;
	f->frame_size = cfg.frame_size;
	f->unaligned = umem_flags & XDP_UMEM_UNALIGNED_CHUNK_FLAG;
	f->size = (size_t)nframes * f->frame_size;
	f->size = (f->size + 4095) & ~(size_t)4095;
	f->area = mmap(NULL, f->size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (f->area == MAP_FAILED)
		FAIL("mmap of %zu bytes: %s", f->size, strerror(errno));
	ASSERT_OK(xsk_umem__create(&f->umem, f->area, f->size, &f->fill, &f->comp, &cfg));

	f->free_addrs = calloc(nframes, sizeof(*f->free_addrs));
	ASSERT_PTR(f->free_addrs);
	for (i = 0; i < nframes; i++)
		f->free_addrs[f->nr_free++] = fixture_frame_addr(f, nframes - 1 - i);
}

struct xsk_socket_config socket_config(__u32 xdp_flags, __u16 bind_flags, __u32 lib_flags)
{
	return (struct xsk_socket_config){
		.rx_size = XSK_RING_CONS__DEFAULT_NUM_DESCS,
		.tx_size = XSK_RING_PROD__DEFAULT_NUM_DESCS,
		.libxdp_flags = lib_flags,
		.xdp_flags = xdp_flags,
		.bind_flags = bind_flags,
	};
}

void fixture_socket(struct fixture *f, unsigned int queue, bool rx, bool tx,
		    __u32 xdp_flags, __u16 bind_flags)
{
	struct xsk_socket_config cfg = socket_config(xdp_flags, bind_flags, 0);

	f->bind_flags = bind_flags;
	ASSERT_OK(xsk_socket__create(&f->xsk, env.if_a, queue, f->umem, rx ? &f->rx : NULL,
				     tx ? &f->tx : NULL, &cfg));
}

void fixture_destroy(struct fixture *f)
{
	xsk_socket__delete(f->xsk);
	f->xsk = NULL;
	if (f->umem)
		ASSERT_OK(xsk_umem__delete(f->umem));
	f->umem = NULL;
	if (f->area && f->area != MAP_FAILED)
		munmap(f->area, f->size);
	f->area = NULL;
	free(f->free_addrs);
	f->free_addrs = NULL;
}

void fixture_fill(struct fixture *f, struct xsk_ring_prod *fill, unsigned int n)
{
	unsigned int i;
	__u32 idx;

	ASSERT_LE(n, f->nr_free);
	ASSERT_EQ(xsk_ring_prod__reserve(fill, n, &idx), n);
	for (i = 0; i < n; i++)
		*xsk_ring_prod__fill_addr(fill, idx + i) = f->free_addrs[--f->nr_free];
	xsk_ring_prod__submit(fill, n);
}

/* Where the data of an RX descriptor starts. */
static void *rx_data(const struct fixture *f, const struct xdp_desc *d)
{
	__u64 addr = f->unaligned ? xsk_umem__add_offset_to_addr(d->addr) : d->addr;

	return xsk_umem__get_data(f->area, addr);
}

unsigned int fixture_rx_on(struct fixture *f, struct xsk_socket *xsk,
			   struct xsk_ring_cons *rx, struct xsk_ring_prod *fill,
			   unsigned int count, size_t len, int timeout_ms, uint8_t *seen,
			   unsigned int seen_size)
{
	uint64_t deadline = now_ms() + timeout_ms;
	uint8_t *pkt = malloc(len + 4096);
	unsigned int got = 0;
	size_t have = 0;

	ASSERT_PTR(pkt);
	while (got < count && now_ms() < deadline) {
		__u32 idx, n, i, fidx;

		n = xsk_ring_cons__peek(rx, 64, &idx);
		if (!n) {
			struct pollfd pfd = { .fd = xsk_socket__fd(xsk), .events = POLLIN };

			if (xsk_ring_prod__needs_wakeup(fill))
				recvfrom(pfd.fd, NULL, 0, MSG_DONTWAIT, NULL, NULL);
			poll(&pfd, 1, 10);
			continue;
		}
		for (i = 0; i < n; i++) {
			const struct xdp_desc *d = xsk_ring_cons__rx_desc(rx, idx + i);
			long seq;

			/* Multi-buffer: gather fragments until one without XDP_PKT_CONTD. */
			if (have + d->len > len + 4096)
				FAIL("received more than %zu bytes in one packet", len);
			memcpy(pkt + have, rx_data(f, d), d->len);
			have += d->len;
			f->free_addrs[f->nr_free++] = f->unaligned ?
				xsk_umem__extract_addr(d->addr) : d->addr & ~(__u64)(f->frame_size - 1);
			if (d->options & XDP_PKT_CONTD)
				continue;
			seq = frame_check(pkt, have);
			if (seq >= 0 && have == len) {
				mark_seen(seen, seen_size, seq);
				got++;
			} else if (seq >= 0 || have == len) {
				FAIL("received a corrupt or mis-sized test frame (%zu bytes, seq %ld)",
				     have, seq);
			}
			have = 0;
		}
		xsk_ring_cons__release(rx, n);
		/* Hand the frames back. */
		if (xsk_ring_prod__reserve(fill, n, &fidx) == n) {
			for (i = 0; i < n; i++)
				*xsk_ring_prod__fill_addr(fill, fidx + i) = f->free_addrs[--f->nr_free];
			xsk_ring_prod__submit(fill, n);
		}
	}
	free(pkt);
	return got;
}

static unsigned int reap_completions(struct fixture *f, struct xsk_ring_cons *comp)
{
	__u32 idx, n, i;

	n = xsk_ring_cons__peek(comp, 64, &idx);
	for (i = 0; i < n; i++)
		f->free_addrs[f->nr_free++] = *xsk_ring_cons__comp_addr(comp, idx + i);
	if (n)
		xsk_ring_cons__release(comp, n);
	return n;
}

unsigned int fixture_tx_on(struct fixture *f, struct xsk_socket *xsk,
			   struct xsk_ring_prod *tx, struct xsk_ring_cons *comp,
			   unsigned int count, size_t len, uint32_t first, int timeout_ms)
{
	uint64_t deadline = now_ms() + timeout_ms;
	unsigned int frag = f->frame_size - (f->unaligned ? 40 : 0);
	unsigned int per_pkt = (len + frag - 1) / frag;
	unsigned int sent = 0, done = 0, completed = 0;
	int fd = xsk_socket__fd(xsk);
	uint8_t *pkt = malloc(len);

	ASSERT_PTR(pkt);
	while (done < count && now_ms() < deadline) {
		__u32 idx, i;

		if (sent < count && f->nr_free >= per_pkt &&
		    xsk_ring_prod__reserve(tx, per_pkt, &idx) == per_pkt) {
			size_t off = 0;

			frame_build(pkt, len, first + sent, env.mac_b, env.mac_a);
			for (i = 0; i < per_pkt; i++) {
				struct xdp_desc *d = xsk_ring_prod__tx_desc(tx, idx + i);
				size_t chunk = len - off < frag ? len - off : frag;

				d->addr = f->free_addrs[--f->nr_free];
				d->len = chunk;
				d->options = i + 1 < per_pkt ? XDP_PKT_CONTD : 0;
				memcpy(xsk_umem__get_data(f->area, d->addr), pkt + off, chunk);
				off += chunk;
			}
			xsk_ring_prod__submit(tx, per_pkt);
			sent++;
		}
		/* Kick: always, or only when asked to with XDP_USE_NEED_WAKEUP. */
		if (!(f->bind_flags & XDP_USE_NEED_WAKEUP) || xsk_ring_prod__needs_wakeup(tx))
			sendto(fd, NULL, 0, MSG_DONTWAIT, NULL, 0);
		completed += reap_completions(f, comp);
		done = completed / per_pkt;
		if (sent == count && done < count)
			usleep(200);
	}
	free(pkt);
	return done;
}

void sender_open(struct fixture *s, unsigned int queue)
{
	struct xsk_socket_config cfg = socket_config(0, 0, XSK_LIBXDP_FLAGS__INHIBIT_PROG_LOAD);

	env_enter_b();
	fixture_umem(s, 1024, 0, 0);
	ASSERT_OK(xsk_socket__create(&s->xsk, env.if_b, queue, s->umem, NULL, &s->tx, &cfg));
	env_enter_a();
}

void sender_close(struct fixture *s)
{
	fixture_destroy(s);
}

__u32 xdp_prog_id(int ifindex)
{
	LIBBPF_OPTS(bpf_xdp_query_opts, q);

	if (bpf_xdp_query(ifindex, 0, &q))
		return 0;
	if (q.attach_mode == XDP_ATTACHED_MULTI)
		return q.drv_prog_id ? q.drv_prog_id : q.skb_prog_id;
	return q.prog_id;
}

void drop_to_net_raw(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2] = { 0 };

	data[0].effective = data[0].permitted = 1u << CAP_NET_RAW;
	if (syscall(SYS_capset, &hdr, data))
		FAIL("capset to CAP_NET_RAW only: %s", strerror(errno));
}
