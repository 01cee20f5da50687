// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * With traffic on a veth: exact drop statistics, hostile rings, a device
 * deleted under bound sockets, and 16 sockets on 4 queues.
 */
#include <poll.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi_util.h"

static __u64 stats_v1_rx_dropped(int fd)
{
	__u64 v1[3];
	socklen_t len = sizeof(v1);

	ASSERT_SYS(getsockopt(fd, SOL_XDP, XDP_STATISTICS, v1, &len));
	ASSERT_EQ(len, 24);
	return v1[0];
}

/* An RX socket on queue 0 of env.if_a with the redirect program feeding it. */
static void rx_setup(struct xsk *x, struct redirect *r, __u32 ring)
{
	xsk_open(x, env.ifindex_a, 0, true, false, ring, XDP_COPY, NULL);
	redirect_attach(r, env.ifindex_a, 2, 1);
	xskmap_set(r, 0, x->fd);
}

TEST(stats_no_fill_buffers_counts_every_drop, .veth = true)
{
	const unsigned int n = 100;
	struct redirect r;
	struct abi_stats st;
	struct xsk x;
	int peer = peer_socket();

	rx_setup(&x, &r, 64);
	/* The fill ring is empty: every frame is dropped, and counted once. */
	peer_send_frames(peer, n, 0);
	st = WAIT_STAT(x.fd, rx_dropped, n);
	ASSERT_EQ(st.rx_dropped, n);
	ASSERT_EQ(st.rx_fill_ring_empty_descs, n);
	ASSERT_EQ(st.rx_ring_full, 0);
	ASSERT_EQ(st.rx_invalid_descs, 0);
	ASSERT_EQ(st.tx_invalid_descs, 0);
	ASSERT_EQ(st.tx_ring_empty_descs, 0);
	ASSERT_EQ(stats_v1_rx_dropped(x.fd), n);
	ASSERT_EQ(ring_load(x.rx.producer), 0);

	/* With buffers the next frames arrive, and the counters stay. */
	ASSERT_EQ(xsk_fill(&x, &x.fq, 0, 32), 32);
	peer_send_frames(peer, 10, 1000);
	ASSERT_EQ(xsk_rx_wait(&x.rx, 10, 3000), 10);
	/* RX has entries: poll says POLLIN (an RX-only socket is never POLLOUT). */
	{
		struct pollfd pfd = { .fd = x.fd, .events = POLLIN | POLLOUT };

		ASSERT_EQ(poll(&pfd, 1, 0), 1);
		ASSERT_EQ(pfd.revents, POLLIN);
	}
	ASSERT_EQ(xsk_rx_drain(&x, &x.rx, true), 10);
	{
		struct pollfd pfd = { .fd = x.fd, .events = POLLIN | POLLOUT };

		ASSERT_EQ(poll(&pfd, 1, 0), 0);
	}
	st = stats_of(x.fd);
	ASSERT_EQ(st.rx_dropped, n);
	ASSERT_EQ(st.rx_fill_ring_empty_descs, n);
	close(peer);
	redirect_detach(&r);
	xsk_close(&x);
}

TEST(stats_rx_ring_full_counts_exactly, .veth = true)
{
	const unsigned int ring = 8, n = 40;
	struct redirect r;
	struct abi_stats st;
	struct xsk x;
	int peer = peer_socket();

	/* RX of 8, a fill ring stocked with 32 buffers: 8 arrive, 32 find RX full. */
	memset(&x, 0, sizeof(x));
	x.fd = xsk_socket_raw();
	ASSERT_OK(xsk_umem_raw(&x, 64, 4096));
	ASSERT_OK(xsk_set_ring(x.fd, XDP_UMEM_FILL_RING, 64));
	ASSERT_OK(xsk_set_ring(x.fd, XDP_UMEM_COMPLETION_RING, 64));
	ASSERT_OK(xsk_map_ring(x.fd, XDP_UMEM_FILL_RING, 64, &x.fq));
	ASSERT_OK(xsk_map_ring(x.fd, XDP_UMEM_COMPLETION_RING, 64, &x.cq));
	ASSERT_OK(xsk_set_ring(x.fd, XDP_RX_RING, ring));
	ASSERT_OK(xsk_map_ring(x.fd, XDP_RX_RING, ring, &x.rx));
	ASSERT_EQ(xsk_fill(&x, &x.fq, 0, 32), 32);
	ASSERT_OK(xsk_bind_retry(x.fd, env.ifindex_a, 0, XDP_COPY, 0));
	redirect_attach(&r, env.ifindex_a, 1, 1);
	xskmap_set(&r, 0, x.fd);

	peer_send_frames(peer, n, 0);
	st = WAIT_STAT(x.fd, rx_ring_full, n - ring);
	ASSERT_EQ(xsk_rx_wait(&x.rx, ring, 100), ring);
	ASSERT_EQ(st.rx_ring_full, n - ring);
	ASSERT_EQ(st.rx_dropped, 0);
	ASSERT_EQ(st.rx_fill_ring_empty_descs, 0);
	ASSERT_EQ(st.rx_invalid_descs, 0);
	/* The v1 (24-byte) read folds ring-full drops into rx_dropped. */
	ASSERT_EQ(stats_v1_rx_dropped(x.fd), n - ring);
	/* The frames that arrived are the first eight, intact. */
	ASSERT_EQ(xsk_rx_drain(&x, &x.rx, true), ring);
	close(peer);
	redirect_detach(&r);
	xsk_close(&x);
}

TEST(hostile_fill_ring, .veth = true)
{
	struct redirect r;
	struct abi_stats st;
	struct xsk x;
	__u32 prod, i, cons;
	int peer = peer_socket();

	rx_setup(&x, &r, 64);
	/*
	 * Out-of-range addresses are skipped: the kernel consumes them and
	 * uses the next valid one.  An address inside a chunk (aligned mode)
	 * means that chunk.
	 */
	prod = 0;
	*ring_addr(&x.fq, prod++) = x.area_size;			/* just past the end */
	*ring_addr(&x.fq, prod++) = ~0ull;
	*ring_addr(&x.fq, prod++) = 5 * 4096 + 100;			/* inside chunk 5 */
	*ring_addr(&x.fq, prod++) = (__u64)x.area_size * 16;
	*ring_addr(&x.fq, prod++) = 7 * 4096;				/* chunk 7 */
	*ring_addr(&x.fq, prod++) = 1ull << 48 | 9 * 4096;		/* an offset: not aligned mode */
	ring_store(x.fq.producer, prod);
	peer_send_frames(peer, 2, 0);
	ASSERT_EQ(xsk_rx_wait(&x.rx, 2, 3000), 2);
	usleep(50000);
	ASSERT_EQ(ring_load(x.rx.producer), 2);
	ASSERT_EQ(ring_desc(&x.rx, 0)->addr / 4096, 5);
	ASSERT_EQ(ring_desc(&x.rx, 1)->addr / 4096, 7);
	ASSERT_EQ(ring_desc(&x.rx, 0)->len, FRAME_LEN);
	ASSERT_EQ(xsk_rx_drain(&x, &x.rx, true), 2);
	/* Everything up to the valid chunk 7 was consumed, the last entry not yet. */
	ASSERT_EQ(ring_load(x.fq.consumer), 5);
	/* The next frame: the last entry is invalid, the ring then empty: dropped. */
	peer_send_frames(peer, 1, 2);
	st = WAIT_STAT(x.fd, rx_dropped, 1);
	ASSERT_EQ(st.rx_dropped, 1);
	ASSERT_EQ(st.rx_fill_ring_empty_descs, 1);
	ASSERT_EQ(ring_load(x.fq.consumer), 6);
	/*
	 * Our kernel counts the four invalid fill entries consumed in
	 * rx_invalid_descs; mainline counts none.
	 */
	ASSERT_EQ(st.rx_invalid_descs, abi_kernel_is_ours() ? 4 : 0);

	/* A producer far ahead of the consumer: garbage entries, validated one by one. */
	cons = ring_load(x.fq.consumer);
	for (i = 0; i < x.fq.size; i++)
		*ring_addr(&x.fq, i) = (i & 1) ? ~0ull : (__u64)(i % x.nframes) * 4096;
	ring_store(x.fq.producer, cons + 0x40000000u);
	peer_send_frames(peer, 20, 100);
	ASSERT_EQ(xsk_rx_wait(&x.rx, 20, 3000), 20);
	ASSERT_EQ(xsk_rx_drain(&x, &x.rx, true), 20);
	/* A producer behind the consumer: the same, nothing breaks. */
	ring_store(x.fq.producer, ring_load(x.fq.consumer) - 10);
	peer_send_frames(peer, 20, 200);
	usleep(100000);
	xsk_rx_drain(&x, &x.rx, true);
	/* Sane again: frames arrive in the buffers given. */
	cons = ring_load(x.fq.consumer);
	ring_store(x.fq.producer, cons);
	st = stats_of(x.fd);
	ASSERT_EQ(xsk_fill(&x, &x.fq, 0, 16), 16);
	peer_send_frames(peer, 8, 300);
	ASSERT_EQ(xsk_rx_wait(&x.rx, 8, 3000), 8);
	ASSERT_EQ(xsk_rx_drain(&x, &x.rx, true), 8);
	ASSERT_EQ(stats_of(x.fd).rx_dropped, st.rx_dropped);
	close(peer);
	redirect_detach(&r);
	xsk_close(&x);
}

static void tx_frame(struct xsk *x, unsigned int frame, __u32 seq)
{
	frame_make((char *)x->area + frame * 4096, FRAME_LEN, seq, env.mac_b, env.mac_a);
	tx_put(x, frame * 4096, FRAME_LEN, 0);
}

/*
 * Move the TX producer of @x to @prod (not consumer + a sane count) over a
 * ring of invalid descriptors, kick: whatever the kernel consumes is
 * counted as invalid and completed with the address given, nothing is sent.
 */
static void hostile_tx_producer(struct xsk *x, int peer, __u32 prod)
{
	__u64 inval0 = stats_of(x->fd).tx_invalid_descs;
	__u32 cq0 = ring_load(x->cq.producer), done, i;

	for (i = 0; i < x->tx.size; i++) {
		struct xdp_desc *d = ring_desc(&x->tx, i);

		d->addr = x->area_size + i;
		d->len = FRAME_LEN;
		d->options = 0;
	}
	ring_store(x->tx.producer, prod);
	for (i = 0; i < 20; i++)
		xsk_kick(x->fd);
	poll(&(struct pollfd){ .fd = x->fd, .events = POLLOUT }, 1, 0);
	done = ring_load(x->cq.producer) - cq0;
	ASSERT_GT(done, 0);
	ASSERT_LE(done, x->cq.size);
	ASSERT_EQ(stats_of(x->fd).tx_invalid_descs - inval0, done);
	for (i = 0; i < done; i++) {
		__u64 a = *ring_addr(&x->cq, cq0 + i);

		if (a < x->area_size || a >= x->area_size + x->tx.size)
			FAIL("completion %u: %#llx is not an address we gave", i,
			     (unsigned long long)a);
	}
	ring_store(x->cq.consumer, ring_load(x->cq.producer));
	ASSERT_EQ(peer_count(peer, 0, 200), 0);
}

TEST(hostile_tx_ring, .veth = true)
{
	struct abi_stats st;
	struct xsk x;
	__u32 comp, i;
	int peer = peer_socket();

	xsk_open(&x, env.ifindex_a, 0, false, true, 64, XDP_COPY, NULL);
	/* Valid frames between invalid descriptors; each invalid one is counted. */
	tx_frame(&x, 0, 0);
	tx_put(&x, x.area_size, FRAME_LEN, 0);		/* beyond the UMEM */
	tx_frame(&x, 1, 1);
	tx_put(&x, 2 * 4096 + 4000, 200, 0);		/* crosses the chunk's end */
	tx_frame(&x, 3, 3);
	tx_put(&x, 4 * 4096, 0, 0);			/* empty */
	tx_frame(&x, 5, 5);
	tx_put(&x, 6 * 4096, 4097, 0);			/* longer than a chunk */
	tx_frame(&x, 7, 7);
	tx_put(&x, 8 * 4096, FRAME_LEN, 1u << 2);	/* unknown option bit */
	tx_put(&x, 8 * 4096, FRAME_LEN, 1u << 31);
	tx_put(&x, ~0ull, FRAME_LEN, 0);
	tx_frame(&x, 9, 9);
	comp = tx_settle(&x);
	st = stats_of(x.fd);
	ASSERT_EQ(st.tx_invalid_descs, 7);
	ASSERT_EQ(st.rx_invalid_descs, 0);
	/*
	 * Every descriptor consumed is completed, the invalid ones too, in
	 * ring order with the address as given: the application gets each
	 * buffer back.  Only the six valid ones reach the wire.
	 */
	ASSERT_EQ(comp, 13);
	for (i = 0; i < comp; i++) {
		__u64 a = *ring_addr(&x.cq, i);

		if (a != ring_desc(&x.tx, i)->addr)
			FAIL("completion %u is %#llx, descriptor %u had %#llx", i,
			     (unsigned long long)a, i,
			     (unsigned long long)ring_desc(&x.tx, i)->addr);
	}
	ring_store(x.cq.consumer, ring_load(x.cq.producer));
	ASSERT_EQ(peer_count(peer, 6, 2000), 6);

	/* A producer far ahead of the consumer, then one behind it. */
	hostile_tx_producer(&x, peer, ring_load(x.tx.consumer) + 0x40000000u);
	xsk_close(&x);
	xsk_open(&x, env.ifindex_a, 0, false, true, 64, XDP_COPY, NULL);
	for (i = 0; i < 4; i++)
		tx_frame(&x, i, 100 + i);
	ASSERT_EQ(tx_settle(&x), 4);
	ASSERT_EQ(peer_count(peer, 4, 2000), 4);
	ring_store(x.cq.consumer, ring_load(x.cq.producer));
	ASSERT_EQ(ring_load(x.tx.consumer), 4);
	hostile_tx_producer(&x, peer, 1);
	xsk_close(&x);

	/* The queue is not damaged: a new socket sends. */
	xsk_open(&x, env.ifindex_a, 0, false, true, 64, XDP_COPY, NULL);
	for (i = 0; i < 8; i++)
		tx_frame(&x, 10 + i, 200 + i);
	ASSERT_EQ(tx_settle(&x), 8);
	ASSERT_EQ(stats_of(x.fd).tx_invalid_descs, 0);
	ASSERT_EQ(peer_count(peer, 8, 2000), 8);
	close(peer);
	xsk_close(&x);
}

static int xdp_sockets_in_use(void)
{
	FILE *f = fopen("/proc/net/protocols", "r");
	char line[512], name[32];
	int size, n = -1;

	ASSERT_PTR(f);
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%31s %d %d", name, &size, &n) == 3 && !strcmp(name, "XDP"))
			break;
	fclose(f);
	return n;
}

TEST(device_deleted_under_bound_sockets, .veth = true)
{
	struct xsk x, shared;
	struct redirect r;
	struct pollfd pfd;
	int peer = peer_socket(), err, base = xdp_sockets_in_use();
	socklen_t len = sizeof(err);
	unsigned int got = 0;
	int status;
	pid_t sender;
	char b;

	ASSERT_GE(base, 0);
	rx_setup(&x, &r, 64);
	xsk_open(&shared, env.ifindex_a, 0, true, false, 64, 0, &x);
	ASSERT_EQ(xsk_fill(&x, &x.fq, 0, 64), 64);
	ASSERT_EQ(xdp_sockets_in_use(), base + 2);
	ASSERT_TRUE(xskmap_has(r.map_fd, 0));

	/* Traffic flowing (a child sends until the device is gone), then the device goes. */
	fflush(NULL);
	sender = fork();
	ASSERT_GE(sender, 0);
	if (sender == 0) {
		unsigned char buf[FRAME_LEN];

		for (uint32_t seq = 0;; seq++) {
			frame_make(buf, sizeof(buf), seq, env.mac_a, env.mac_b);
			if (send(peer, buf, sizeof(buf), 0) < 0 && errno != ENOBUFS &&
			    errno != EAGAIN)
				_exit(0);
			if (seq % 16 == 15)
				usleep(200);
		}
	}
	/* Keep the ring moving: consume and refill while the frames arrive. */
	for (uint64_t end = now_ms() + 300; now_ms() < end;) {
		__u32 c = ring_load(x.rx.consumer), p = ring_load(x.rx.producer), fp;

		got += p - c;
		fp = ring_load(x.fq.producer);
		for (; c != p; c++, fp++)
			*ring_addr(&x.fq, fp) = ring_desc(&x.rx, c)->addr & ~4095ull;
		ring_store(x.fq.producer, fp);
		ring_store(x.rx.consumer, p);
		usleep(500);
	}
	ASSERT_GT(got, 16);
	ASSERT_EQ(run_cmdf("ip -n %s link del %s", env.ns_a, env.if_a), 0);
	ASSERT_EQ(waitpid(sender, &status, 0), sender);
	ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(peer);
	test_log("%u frames received before the device went", got);

	/* The error is reported once through SO_ERROR: ENETDOWN. */
	ASSERT_SYS(getsockopt(x.fd, SOL_SOCKET, SO_ERROR, &err, &len));
	ASSERT_EQ(err, ENETDOWN);
	ASSERT_SYS(getsockopt(x.fd, SOL_SOCKET, SO_ERROR, &err, &len));
	ASSERT_EQ(err, 0);
	ASSERT_SYS(getsockopt(shared.fd, SOL_SOCKET, SO_ERROR, &err, &len));
	ASSERT_EQ(err, ENETDOWN);
	/* Unbound now: I/O is ENXIO, poll reports nothing. */
	ASSERT_ERRNO(recv(x.fd, &b, 1, MSG_DONTWAIT), ENXIO);
	ASSERT_ERRNO(sendto(x.fd, NULL, 0, MSG_DONTWAIT, NULL, 0), ENXIO);
	pfd = (struct pollfd){ .fd = x.fd, .events = POLLIN | POLLOUT };
	ASSERT_EQ(poll(&pfd, 1, 0), 0);
	/* ...and not reusable: bind, ring setup and mmap are EBUSY. */
	ASSERT_EQ(xsk_bind_raw(x.fd, 1, 0, XDP_COPY, 0), -EBUSY);
	ASSERT_EQ(xsk_set_ring(x.fd, XDP_TX_RING, 64), -EBUSY);
	ASSERT_ERRNO(mmap(NULL, 4096, PROT_READ, MAP_SHARED, x.fd, XDP_PGOFF_RX_RING) ==
		     MAP_FAILED ? -1 : 0, EBUSY);
	/* What was received before stays readable, statistics too. */
	xsk_rx_drain(&x, &x.rx, true);
	stats_of(x.fd);
	/*
	 * The XSKMAP keeps the unbound socket until it is closed (redirects to
	 * it fail meanwhile); closing drops the map's entry.
	 */
	ASSERT_TRUE(xskmap_has(r.map_fd, 0));
	xskmap_set(&r, 1, shared.fd);
	ASSERT_TRUE(xskmap_has(r.map_fd, 1));
	xsk_close(&x);
	ASSERT_FALSE(xskmap_has(r.map_fd, 0));
	ASSERT_TRUE(xskmap_has(r.map_fd, 1));
	xsk_close(&shared);
	ASSERT_FALSE(xskmap_has(r.map_fd, 1));
	redirect_detach(&r);
	ASSERT_EQ(xdp_sockets_in_use(), base);
}

TEST(sixteen_sockets_on_four_queues, .veth = true, .queues = 4, .timeout = 90)
{
	enum { Q = 4, PER_Q = 4, FRAMES_PER_SOCK = 8 };
	struct xsk rx[Q][PER_Q], tx[Q];
	unsigned int got[Q][PER_Q] = { { 0 } };
	struct redirect r;
	uint64_t end;
	unsigned int q, k, i;

	/* A: per queue, one UMEM owner and three sockets sharing its UMEM and rings. */
	for (q = 0; q < Q; q++) {
		xsk_open(&rx[q][0], env.ifindex_a, q, true, false, 64, XDP_COPY, NULL);
		for (k = 1; k < PER_Q; k++)
			xsk_open(&rx[q][k], env.ifindex_a, q, true, false, 64, 0, &rx[q][0]);
		ASSERT_EQ(xsk_fill(&rx[q][0], &rx[q][0].fq, 0, 64), 64);
	}
	redirect_attach(&r, env.ifindex_a, Q * PER_Q, PER_Q);
	for (q = 0; q < Q; q++)
		for (k = 0; k < PER_Q; k++)
			xskmap_set(&r, q * PER_Q + k, rx[q][k].fd);

	/* B: a copy-mode TX socket per queue; veth keeps the queue. */
	env_enter_b();
	for (q = 0; q < Q; q++)
		xsk_open(&tx[q], env.ifindex_b, q, false, true, 64, XDP_COPY, NULL);
	env_enter_a();
	for (q = 0; q < Q; q++) {
		for (i = 0; i < PER_Q * FRAMES_PER_SOCK; i++)
			tx_frame(&tx[q], i, q * 1000 + i);
		ASSERT_EQ(tx_settle(&tx[q]), PER_Q * FRAMES_PER_SOCK);
	}

	end = now_ms() + 5000;
	for (;;) {
		bool all = true;

		for (q = 0; q < Q; q++) {
			for (k = 0; k < PER_Q; k++) {
				struct xsk *s = &rx[q][k];
				__u32 c = ring_load(s->rx.consumer), p = ring_load(s->rx.producer);

				for (; c != p; c++) {
					struct xdp_desc *d = ring_desc(&s->rx, c);
					long seq = frame_seq((char *)rx[q][0].area + d->addr, d->len);

					if (seq < 0)
						FAIL("socket %u/%u: not a test frame", q, k);
					if (seq / 1000 != q)
						FAIL("socket on queue %u got frame %ld sent on queue %ld",
						     q, seq, seq / 1000);
					if ((seq & (PER_Q - 1)) != k)
						FAIL("socket %u/%u got frame %ld", q, k, seq);
					got[q][k]++;
				}
				ring_store(s->rx.consumer, c);
				if (got[q][k] < FRAMES_PER_SOCK)
					all = false;
			}
		}
		if (all || now_ms() > end)
			break;
		usleep(2000);
	}
	for (q = 0; q < Q; q++)
		for (k = 0; k < PER_Q; k++) {
			if (got[q][k] != FRAMES_PER_SOCK)
				FAIL("socket %u/%u received %u frames, expected %u", q, k,
				     got[q][k], FRAMES_PER_SOCK);
			ASSERT_EQ(stats_of(rx[q][k].fd).rx_dropped, 0);
		}

	for (q = 0; q < Q; q++) {
		xsk_close(&tx[q]);
		for (k = PER_Q; k-- > 0;)
			xsk_close(&rx[q][k]);
	}
	redirect_detach(&r);
}

TEST(rx_descriptor_addresses_aligned_and_unaligned, .veth = true)
{
	const __u64 off = 256;	/* XDP_PACKET_HEADROOM, the UMEM's headroom is 0 */
	struct redirect r;
	struct xsk x;
	int peer = peer_socket(), i;
	__u64 a;

	/* Aligned: the address is the chunk's plus the headroom, as a plain sum. */
	rx_setup(&x, &r, 64);
	ASSERT_EQ(xsk_fill(&x, &x.fq, 3, 1), 1);
	peer_send_frames(peer, 1, 0);
	ASSERT_EQ(xsk_rx_wait(&x.rx, 1, 3000), 1);
	ASSERT_EQ(ring_desc(&x.rx, 0)->addr, 3 * 4096 + off);
	ASSERT_EQ(ring_desc(&x.rx, 0)->len, FRAME_LEN);
	ASSERT_EQ(ring_desc(&x.rx, 0)->options, 0);
	ASSERT_EQ(xsk_rx_drain(&x, &x.rx, true), 1);
	redirect_detach(&r);
	xsk_close(&x);

	/*
	 * Unaligned, 3000-byte chunks: the fill address is used as given if
	 * a whole chunk fits before the UMEM's end; RX descriptors carry it
	 * in the low 48 bits and the data offset in the high 16.
	 */
	xsk_open_umem(&x, (struct abi_umem_reg){ .chunk_size = 3000, .flags = ABI_UMEM_UNALIGNED },
		      64 * 4096, true, 0, XDP_COPY);
	redirect_attach(&r, env.ifindex_a, 2, 1);
	xskmap_set(&r, 0, x.fd);
	*ring_addr(&x.fq, 0) = x.area_size - 2999;	/* the chunk would pass the end */
	*ring_addr(&x.fq, 1) = 5001;			/* odd, mid-page: fine */
	*ring_addr(&x.fq, 2) = x.area_size;
	*ring_addr(&x.fq, 3) = x.area_size - 3000;	/* the last chunk that fits */
	ring_store(x.fq.producer, 4);
	peer_send_frames(peer, 3, 0);
	ASSERT_EQ(xsk_rx_wait(&x.rx, 2, 3000), 2);
	ASSERT_EQ(WAIT_STAT(x.fd, rx_dropped, 1).rx_dropped, 1);	/* the third: no buffer */
	ASSERT_EQ(ring_desc(&x.rx, 0)->addr, 5001 | off << 48);
	ASSERT_EQ(ring_desc(&x.rx, 1)->addr, (x.area_size - 3000) | off << 48);
	for (i = 0; i < 2; i++) {
		a = ring_desc(&x.rx, i)->addr;
		a = (a & ((1ull << 48) - 1)) + (a >> 48);
		ASSERT_EQ(frame_seq((char *)x.area + a, ring_desc(&x.rx, i)->len), i);
	}
	ring_store(x.rx.consumer, 2);
	/* Ours counts the two invalid fill entries consumed. */
	ASSERT_EQ(stats_of(x.fd).rx_invalid_descs, abi_kernel_is_ours() ? 2 : 0);
	close(peer);
	redirect_detach(&r);
	xsk_close(&x);
}

TEST(stats_tx_ring_empty_counts_each_attempt, .veth = true)
{
	struct pollfd pfd;
	struct xsk x;
	int i, peer = peer_socket();

	/* Every transmit attempt (sendto, or poll in copy mode) that finds TX empty counts. */
	xsk_open(&x, env.ifindex_a, 0, false, true, 64, XDP_COPY, NULL);
	ASSERT_EQ(stats_of(x.fd).tx_ring_empty_descs, 0);
	for (i = 0; i < 5; i++)
		ASSERT_OK(xsk_kick(x.fd));
	ASSERT_EQ(stats_of(x.fd).tx_ring_empty_descs, 5);
	pfd = (struct pollfd){ .fd = x.fd, .events = POLLOUT };
	ASSERT_EQ(poll(&pfd, 1, 0), 1);
	ASSERT_EQ(stats_of(x.fd).tx_ring_empty_descs, 6);
	/* One frame and one kick: sent, then the ring is found empty once. */
	tx_frame(&x, 0, 0);
	ring_store(x.tx.producer, x.tx.cached);
	ASSERT_OK(xsk_kick(x.fd));
	ASSERT_EQ(ring_load(x.tx.consumer), 1);
	ASSERT_EQ(stats_of(x.fd).tx_ring_empty_descs, 7);
	ASSERT_EQ(stats_of(x.fd).tx_invalid_descs, 0);
	ASSERT_EQ(peer_count(peer, 1, 2000), 1);
	close(peer);
	xsk_close(&x);
}

TEST(tx_metadata_option_rules, .veth = true)
{
	struct xsk x;
	int peer = peer_socket(), i;

	/*
	 * Without tx_metadata_len, XDP_TX_METADATA is refused: sendto says
	 * EINVAL and the descriptor stays on the ring for a retry (it is
	 * neither consumed nor counted invalid), every time.
	 */
	xsk_open(&x, env.ifindex_a, 0, false, true, 64, XDP_COPY, NULL);
	frame_make((char *)x.area, FRAME_LEN, 0, env.mac_b, env.mac_a);
	tx_put(&x, 0, FRAME_LEN, ABI_XDP_TX_METADATA);
	ring_store(x.tx.producer, x.tx.cached);
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(xsk_kick(x.fd), -EINVAL);
		ASSERT_EQ(ring_load(x.tx.consumer), 0);
	}
	ASSERT_EQ(stats_of(x.fd).tx_invalid_descs, 0);
	ASSERT_EQ(peer_count(peer, 0, 200), 0);
	xsk_close(&x);

	/* With tx_metadata_len 16 the metadata sits just before the frame. */
	xsk_open_umem(&x, (struct abi_umem_reg){ .chunk_size = 4096,
						 .flags = ABI_UMEM_TX_METADATA_LEN,
						 .tx_metadata_len = 16 },
		      64 * 4096, false, 64, XDP_COPY);
	/* A descriptor leaving no room for the metadata before it (in its chunk) is invalid. */
	tx_put(&x, 8, FRAME_LEN, 0);
	/* Metadata with no flags: sent. */
	memset((char *)x.area + 4096, 0, 16);
	frame_make((char *)x.area + 4096 + 16, FRAME_LEN, 1, env.mac_b, env.mac_a);
	tx_put(&x, 4096 + 16, FRAME_LEN, ABI_XDP_TX_METADATA);
	/* Unknown metadata flags: EINVAL, kept on the ring. */
	memset((char *)x.area + 8192, 0xff, 16);
	frame_make((char *)x.area + 8192 + 16, FRAME_LEN, 2, env.mac_b, env.mac_a);
	tx_put(&x, 8192 + 16, FRAME_LEN, ABI_XDP_TX_METADATA);
	ring_store(x.tx.producer, x.tx.cached);
	/* (A call may stop after an invalid descriptor: kick until the refusal.) */
	for (i = 0; i < 5 && xsk_kick(x.fd) != -EINVAL; i++)
		;
	ASSERT_LT(i, 5);
	/*
	 * When the kernel publishes its consumer index after a refusal is not
	 * ABI (6.18 has published both descriptors by now, 6.12 not yet); that
	 * the refused one is never consumed is.
	 */
	ASSERT_LE(ring_load(x.tx.consumer), 2);
	ASSERT_EQ(peer_count(peer, 1, 2000), 1);
	ASSERT_EQ(xsk_kick(x.fd), -EINVAL);
	ASSERT_LE(ring_load(x.tx.consumer), 2);
	ASSERT_EQ(stats_of(x.fd).tx_invalid_descs, 1);
	ASSERT_EQ(peer_count(peer, 0, 200), 0);
	close(peer);
	xsk_close(&x);
}

/* Send one @len-byte test frame from B. */
static void peer_send_big(int fd, size_t len, uint32_t seq)
{
	unsigned char *buf = malloc(len);

	ASSERT_PTR(buf);
	frame_make(buf, len, seq, env.mac_a, env.mac_b);
	while (send(fd, buf, len, 0) != (ssize_t)len) {
		if (errno != ENOBUFS && errno != EAGAIN)
			FAIL("sending a %zu-byte frame: %s", len, strerror(errno));
		usleep(100);
	}
	free(buf);
}

TEST(rx_multibuffer_frames_and_xdp_pkt_contd, .veth = true, .mtu = 9000)
{
	const size_t len = 9000;
	unsigned char *whole = malloc(len);
	struct redirect r;
	struct xsk sg, plain;
	size_t got = 0;
	__u32 i, n;
	int peer = peer_socket();

	ASSERT_PTR(whole);
	/* A socket with XDP_USE_SG. */
	xsk_open(&sg, env.ifindex_a, 0, true, false, 64, XDP_COPY | ABI_XDP_USE_SG, NULL);
	ASSERT_EQ(xsk_fill(&sg, &sg.fq, 0, 64), 64);
	redirect_attach_frags(&r, env.ifindex_a, 2, 1, true);
	xskmap_set(&r, 0, sg.fd);

	/*
	 * A 9000-byte frame in 4096-byte chunks: several descriptors, all
	 * but the last with XDP_PKT_CONTD, the data in order.
	 */
	peer_send_big(peer, len, 7);
	usleep(100000);
	n = ring_load(sg.rx.producer) - ring_load(sg.rx.consumer);
	ASSERT_GE(n, 3);
	for (i = 0; i < n; i++) {
		struct xdp_desc *d = ring_desc(&sg.rx, i);

		ASSERT_EQ(d->options & ABI_XDP_PKT_CONTD, i + 1 < n ? ABI_XDP_PKT_CONTD : 0);
		ASSERT_EQ(d->options & ~ABI_XDP_PKT_CONTD, 0);
		ASSERT_LE(d->len, 4096);
		ASSERT_LE(got + d->len, len);
		memcpy(whole + got, (char *)sg.area + d->addr, d->len);
		got += d->len;
	}
	ASSERT_EQ(got, len);
	ASSERT_EQ(frame_seq(whole, len), 7);
	ring_store(sg.rx.consumer, ring_load(sg.rx.producer));
	ASSERT_EQ(stats_of(sg.fd).rx_dropped, 0);

	/* Without XDP_USE_SG the same frame cannot be placed: dropped, counted. */
	redirect_detach(&r);
	xsk_close(&sg);
	xsk_open(&plain, env.ifindex_a, 0, true, false, 64, XDP_COPY, NULL);
	ASSERT_EQ(xsk_fill(&plain, &plain.fq, 0, 64), 64);
	redirect_attach_frags(&r, env.ifindex_a, 2, 1, true);
	xskmap_set(&r, 0, plain.fd);
	peer_send_big(peer, len, 8);
	ASSERT_EQ(WAIT_STAT(plain.fd, rx_dropped, 1).rx_dropped, 1);
	ASSERT_EQ(ring_load(plain.rx.producer), 0);
	/* ...while a frame that fits still arrives. */
	peer_send_big(peer, 1500, 9);
	ASSERT_EQ(xsk_rx_wait(&plain.rx, 1, 3000), 1);
	ASSERT_EQ(ring_desc(&plain.rx, 0)->len, 1500);
	ASSERT_EQ(ring_desc(&plain.rx, 0)->options, 0);
	ASSERT_EQ(xsk_rx_drain(&plain, &plain.rx, true), 1);
	free(whole);
	close(peer);
	redirect_detach(&r);
	xsk_close(&plain);
}

/*
 * A multi-buffer frame that finds too few fill buffers leaves the valid ones
 * for the next frame.  An invalid entry read after the first valid one is
 * read again then, and must still be counted once.
 */
TEST(rx_fill_entry_counted_once_across_retries, .veth = true, .mtu = 9000)
{
	const size_t len = 6000;	/* two 4096-byte chunks */
	bool ours = abi_kernel_is_ours();
	struct abi_stats st;
	struct redirect r;
	struct xsk x;
	int peer = peer_socket();

	xsk_open(&x, env.ifindex_a, 0, true, false, 64, XDP_COPY | ABI_XDP_USE_SG, NULL);
	redirect_attach_frags(&r, env.ifindex_a, 2, 1, true);
	xskmap_set(&r, 0, x.fd);
	*ring_addr(&x.fq, 0) = 0;			/* chunk 0 */
	*ring_addr(&x.fq, 1) = ~0ull;			/* invalid */
	ring_store(x.fq.producer, 2);

	/* Three frames, each finding one buffer of the two it needs. */
	peer_send_big(peer, len, 1);
	peer_send_big(peer, len, 2);
	peer_send_big(peer, len, 3);
	st = WAIT_STAT(x.fd, rx_dropped, 3);
	ASSERT_EQ(st.rx_dropped, 3);
	ASSERT_EQ(ring_load(x.rx.producer), 0);
	if (ours) {
		/* Chunk 0 is given back each time; the invalid entry is not yet consumed. */
		ASSERT_EQ(st.rx_fill_ring_empty_descs, 3);
		ASSERT_EQ(st.rx_invalid_descs, 0);
		ASSERT_EQ(ring_load(x.fq.consumer), 0);
	}

	/* One more buffer: the next frame arrives in chunks 0 and 2. */
	*ring_addr(&x.fq, 2) = 2 * 4096;
	ring_store(x.fq.producer, 3);
	peer_send_big(peer, len, 4);
	ASSERT_EQ(xsk_rx_wait(&x.rx, 2, 3000), 2);
	ASSERT_EQ(ring_desc(&x.rx, 0)->options, ABI_XDP_PKT_CONTD);
	ASSERT_EQ(ring_desc(&x.rx, 1)->options, 0);
	ASSERT_EQ(ring_desc(&x.rx, 0)->len + ring_desc(&x.rx, 1)->len, len);
	ASSERT_EQ(frame_seq((char *)x.area + ring_desc(&x.rx, 0)->addr, ring_desc(&x.rx, 0)->len), 4);
	if (ours) {
		ASSERT_EQ(ring_desc(&x.rx, 0)->addr / 4096, 0);
		ASSERT_EQ(ring_desc(&x.rx, 1)->addr / 4096, 2);
		ASSERT_EQ(ring_load(x.fq.consumer), 3);
		st = stats_of(x.fd);
		ASSERT_EQ(st.rx_invalid_descs, 1);
		ASSERT_EQ(st.rx_dropped, 3);
		ASSERT_EQ(st.rx_fill_ring_empty_descs, 3);
	}
	ring_store(x.rx.consumer, 2);
	close(peer);
	redirect_detach(&r);
	xsk_close(&x);
}

TEST(rx_copies_the_programs_metadata_in_front_of_the_frame, .veth = true)
{
	struct redirect r;
	struct xsk x;
	int peer = peer_socket(), i;

	/* What the XDP program put before the data arrives just before it in the UMEM. */
	xsk_open(&x, env.ifindex_a, 0, true, false, 64, XDP_COPY, NULL);
	ASSERT_EQ(xsk_fill(&x, &x.fq, 0, 8), 8);
	redirect_attach_meta(&r, env.ifindex_a, 1);
	xskmap_set(&r, 0, x.fd);
	peer_send_frames(peer, 3, 0);
	ASSERT_EQ(xsk_rx_wait(&x.rx, 3, 3000), 3);
	for (i = 0; i < 3; i++) {
		const struct xdp_desc *d = ring_desc(&x.rx, i);
		const __u32 *meta = (const __u32 *)((char *)x.area + d->addr - META_BYTES);

		ASSERT_EQ(meta[0], META_WORD0);
		ASSERT_EQ(meta[1], META_WORD1);
		ASSERT_EQ(frame_seq((char *)x.area + d->addr, d->len), i);
	}
	ASSERT_EQ(xsk_rx_drain(&x, &x.rx, true), 3);
	close(peer);
	redirect_detach(&r);
	xsk_close(&x);
}
