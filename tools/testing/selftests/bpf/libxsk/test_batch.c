// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The batched data plane: xsk_socket__recv/send/send_frames over a frame
 * pool, with every frame accounted for at the end of every test.
 */
#include <pthread.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "harness.h"
#include "test_util.h"

#define N 256

static uint8_t seen[N];

/* Every frame of the pool is somewhere: nothing lost, nothing twice. */
static void assert_accounted(struct xsk_frame_pool *pool, __u32 held)
{
	struct xsk_frame_pool_counts c;

	ASSERT_OK(xsk_frame_pool__counts(pool, &c));
	ASSERT_EQ(c.free + c.in_fill + c.in_tx + c.held, c.size);
	ASSERT_EQ(c.held, held);
}

/* Receive @count test frames of @len bytes with the batched API. */
static unsigned int batch_rx(struct xsk_socket *xsk, unsigned int count, size_t len)
{
	struct xsk_frame frames[64];
	uint8_t pkt[9216];
	unsigned int got = 0;
	uint64_t deadline = now_ms() + 5000;
	size_t have = 0;

	while (got < count && now_ms() < deadline) {
		int n = xsk_socket__recv(xsk, frames, 64, 100), i;

		if (n == -ETIMEDOUT)
			continue;
		ASSERT_GT(n, 0);
		/* Whole packets only: the last frame of a batch ends a packet. */
		ASSERT_FALSE(frames[n - 1].flags & XSK_FRAME_MORE);
		for (i = 0; i < n; i++) {
			ASSERT_LE(have + frames[i].len, sizeof(pkt));
			memcpy(pkt + have, frames[i].data, frames[i].len);
			have += frames[i].len;
			if (frames[i].flags & XSK_FRAME_MORE)
				continue;
			ASSERT_EQ(have, len);
			ASSERT_GE(frame_check(pkt, have), 0);
			seen[frame_check(pkt, have) % N] = 1;
			got++;
			have = 0;
		}
		ASSERT_OK(xsk_socket__recv_done(xsk, frames, n));
	}
	return got;
}

struct batch_fixture {
	struct fixture f;
	struct xsk_frame_pool *pool;
};

static void batch_setup(struct batch_fixture *b, unsigned int nframes, bool rx, bool tx,
			__u16 bind_flags)
{
	fixture_umem(&b->f, nframes, 0, 0);
	fixture_socket(&b->f, 0, rx, tx, XDP_FLAGS_DRV_MODE, bind_flags);
	b->pool = xsk_frame_pool__create(b->f.umem, 0, nframes);
	ASSERT_PTR(b->pool);
	ASSERT_OK(xsk_socket__use_frame_pool(b->f.xsk, b->pool));
}

static void batch_teardown(struct batch_fixture *b)
{
	ASSERT_EQ(xsk_frame_pool__delete(b->pool), -EBUSY);	/* still used */
	xsk_socket__delete(b->f.xsk);
	b->f.xsk = NULL;
	ASSERT_OK(xsk_frame_pool__delete(b->pool));
	fixture_destroy(&b->f);
}

TEST(batch_recv, .veth = true)
{
	struct batch_fixture b;
	int peer = peer_open();

	batch_setup(&b, 1024, true, false, XDP_USE_NEED_WAKEUP);
	memset(seen, 0, sizeof(seen));
	peer_send(peer, N, 64, 0);
	ASSERT_EQ(batch_rx(b.f.xsk, N, 64), N);
	assert_accounted(b.pool, 0);
	batch_teardown(&b);
	close(peer);
}

static unsigned int batch_tx(struct xsk_socket *xsk, unsigned int count, size_t len)
{
	static uint8_t bufs[64][9216];
	struct iovec iov[64];
	unsigned int sent = 0, i;

	while (sent < count) {
		unsigned int n = count - sent < 64 ? count - sent : 64;
		int taken;

		for (i = 0; i < n; i++) {
			frame_build(bufs[i], len, sent + i, env.mac_b, env.mac_a);
			iov[i] = (struct iovec){ .iov_base = bufs[i], .iov_len = len };
		}
		taken = xsk_socket__send(xsk, iov, n, 2000);
		ASSERT_GT(taken, 0);
		sent += taken;
	}
	return sent;
}

static void drain_completions(struct xsk_socket *xsk, struct xsk_frame_pool *pool)
{
	struct xsk_frame_pool_counts c;
	uint64_t deadline = now_ms() + 3000;

	do {
		sendto(xsk_socket__fd(xsk), NULL, 0, MSG_DONTWAIT, NULL, 0);
		ASSERT_GE(xsk_socket__complete(xsk), 0);
		ASSERT_OK(xsk_frame_pool__counts(pool, &c));
	} while (c.in_tx && now_ms() < deadline);
	ASSERT_EQ(c.in_tx, 0);
}

TEST(batch_send, .veth = true)
{
	struct batch_fixture b;
	int peer = peer_open();

	batch_setup(&b, 1024, false, true, XDP_USE_NEED_WAKEUP);
	memset(seen, 0, sizeof(seen));
	ASSERT_EQ(batch_tx(b.f.xsk, N, 200), N);
	ASSERT_EQ(peer_recv(peer, N, 200, 3000, seen, N), N);
	drain_completions(b.f.xsk, b.pool);
	assert_accounted(b.pool, 0);
	batch_teardown(&b);
	close(peer);
}

TEST(batch_forward_received_frames_without_copy, .veth = true)
{
	struct xsk_frame frames[64];
	struct batch_fixture b;
	int peer = peer_open(), fwd = 0;
	uint64_t deadline = now_ms() + 5000;

	batch_setup(&b, 2048, true, true, XDP_USE_NEED_WAKEUP);
	peer_send(peer, N, 128, 0);
	while (fwd < N && now_ms() < deadline) {
		int n = xsk_socket__recv(b.f.xsk, frames, 64, 100), i, k;

		if (n == -ETIMEDOUT)
			continue;
		ASSERT_GT(n, 0);
		for (i = 0; i < n; i++) {
			memcpy(frames[i].data, env.mac_b, 6);
			memcpy((char *)frames[i].data + 6, env.mac_a, 6);
		}
		for (i = 0; i < n; i += k) {
			k = xsk_socket__send_frames(b.f.xsk, frames + i, n - i, 2000);
			ASSERT_GT(k, 0);
		}
		fwd += n;
	}
	ASSERT_EQ(fwd, N);
	memset(seen, 0, sizeof(seen));
	ASSERT_EQ(peer_recv(peer, N, 128, 3000, seen, N), N);
	drain_completions(b.f.xsk, b.pool);
	/* The forwarded frames went back to the pool on completion. */
	assert_accounted(b.pool, 0);
	batch_teardown(&b);
	close(peer);
}

TEST(batch_multibuffer_9000_byte_packets, .veth = true, .mtu = 9000)
{
	struct xsk_frame frames[2];
	struct batch_fixture b;
	int peer = peer_open();

	batch_setup(&b, 2048, true, true, XDP_USE_SG);
	/* A 9000-byte packet spans 3 frames: whole packets only. */
	peer_send(peer, 1, 9000, 0);
	usleep(100 * 1000);
	ASSERT_EQ(xsk_socket__recv(b.f.xsk, frames, 2, 0), -ENOBUFS);
	ASSERT_MSG("spans more than the 2 frames asked for");
	memset(seen, 0, sizeof(seen));
	ASSERT_EQ(batch_rx(b.f.xsk, 1, 9000), 1);
	peer_send(peer, 64, 9000, 1);
	ASSERT_EQ(batch_rx(b.f.xsk, 64, 9000), 64);
	/* And out again, each packet over three frames. */
	memset(seen, 0, sizeof(seen));
	ASSERT_EQ(batch_tx(b.f.xsk, 32, 9000), 32);
	ASSERT_EQ(peer_recv(peer, 32, 9000, 3000, seen, N), 32);
	drain_completions(b.f.xsk, b.pool);
	assert_accounted(b.pool, 0);
	batch_teardown(&b);
	close(peer);
}

TEST(batch_pool_exhaustion_loses_no_frame, .veth = true)
{
	struct xsk_frame held[64], frames[64];
	struct batch_fixture b;
	struct iovec iov;
	uint8_t pkt[64];
	int peer = peer_open(), got = 0, n;
	uint64_t deadline = now_ms() + 5000;

	/* A 64-frame pool on a 1024-frame UMEM, and more traffic than it holds. */
	fixture_umem(&b.f, 1024, 0, 0);
	fixture_socket(&b.f, 0, true, true, XDP_FLAGS_DRV_MODE, 0);
	b.pool = xsk_frame_pool__create(b.f.umem, 100, 64);
	ASSERT_PTR(b.pool);
	ASSERT_OK(xsk_socket__use_frame_pool(b.f.xsk, b.pool));
	/* Half the pool is for receiving (the socket also sends): keep frames coming. */
	while (got < 64 && now_ms() < deadline) {
		n = xsk_socket__recv(b.f.xsk, frames, 64 - got, 100);
		if (n > 0) {
			memcpy(held + got, frames, n * sizeof(*frames));
			got += n;
		} else {
			peer_send(peer, 50, 64, got);
		}
	}
	ASSERT_EQ(got, 64);
	assert_accounted(b.pool, 64);		/* all with the application */
	/* Nothing to receive into, nothing to send from. */
	ASSERT_EQ(xsk_socket__recv(b.f.xsk, frames, 64, 0), -EAGAIN);
	frame_build(pkt, sizeof(pkt), 0, env.mac_b, env.mac_a);
	iov = (struct iovec){ .iov_base = pkt, .iov_len = sizeof(pkt) };
	ASSERT_EQ(xsk_socket__send(b.f.xsk, &iov, 1, 0), -ENOMEM);
	ASSERT_EQ(xsk_frame_pool__alloc(b.pool, &held[0].addr, 1), -ENOMEM);
	/* Given back, they all count again; a second return is refused. */
	ASSERT_OK(xsk_socket__recv_done(b.f.xsk, held, 64));
	assert_accounted(b.pool, 0);
	ASSERT_EQ(xsk_frame_pool__free(b.pool, &held[0].addr, 1), -EINVAL);
	ASSERT_MSG("given back twice?");
	batch_teardown(&b);
	close(peer);
}

TEST(batch_timeouts, .veth = true)
{
	struct xsk_frame frames[8];
	struct batch_fixture b;
	uint64_t t0;
	int err;

	batch_setup(&b, 256, true, false, 0);
	t0 = now_ms();
	ASSERT_EQ(xsk_socket__recv(b.f.xsk, frames, 8, 0), -EAGAIN);
	ASSERT_LT(now_ms() - t0, 50);
	t0 = now_ms();
	err = xsk_socket__recv(b.f.xsk, frames, 8, 150);
	ASSERT_EQ(err, -ETIMEDOUT);
	ASSERT_GE(now_ms() - t0, 140);
	assert_accounted(b.pool, 0);
	/* Nothing asked for: nothing to wait for, whatever the timeout. */
	ASSERT_EQ(xsk_socket__recv(b.f.xsk, frames, 0, -1), 0);
	batch_teardown(&b);

	batch_setup(&b, 256, false, true, 0);
	alarm(5);	/* a hang fails the test instead of stalling the suite */
	ASSERT_EQ(xsk_socket__send(b.f.xsk, (struct iovec[1]){ 0 }, 0, -1), 0);
	ASSERT_EQ(xsk_socket__send_frames(b.f.xsk, frames, 0, -1), 0);
	alarm(0);
	batch_teardown(&b);
}

TEST(batch_bad_input, .veth = true)
{
	struct xsk_frame frames[2] = { { .flags = XSK_FRAME_MORE }, { .flags = XSK_FRAME_MORE } };
	struct batch_fixture b, other;
	uint8_t big[5000] = { 0 };
	struct iovec iov = { .iov_base = big, .iov_len = 0 };

	fixture_umem(&b.f, 256, 0, 0);
	fixture_socket(&b.f, 0, true, true, 0, 0);
	ASSERT_EQ(xsk_socket__recv(b.f.xsk, frames, 2, 0), -EINVAL);
	ASSERT_MSG("has no frame pool");
	ASSERT_TRUE(xsk_frame_pool__create(b.f.umem, 200, 100) == NULL);
	ASSERT_EQ(errno, EINVAL);
	ASSERT_MSG("do not fit in the");
	ASSERT_TRUE(xsk_frame_pool__create(NULL, 0, 1) == NULL);
	ASSERT_TRUE(xsk_frame_pool__create(b.f.umem, 0, 0) == NULL);
	b.pool = xsk_frame_pool__create(b.f.umem, 0, 256);
	ASSERT_PTR(b.pool);
	fixture_umem(&other.f, 16, 0, 0);
	other.pool = xsk_frame_pool__create(other.f.umem, 0, 16);
	ASSERT_PTR(other.pool);
	ASSERT_EQ(xsk_socket__use_frame_pool(b.f.xsk, other.pool), -EINVAL);
	ASSERT_MSG("belongs to another UMEM");
	ASSERT_OK(xsk_socket__use_frame_pool(b.f.xsk, b.pool));
	ASSERT_EQ(xsk_socket__send(b.f.xsk, &iov, 1, 0), -EINVAL);	/* empty packet */
	iov.iov_len = sizeof(big);
	ASSERT_EQ(xsk_socket__send(b.f.xsk, &iov, 1, 0), -EINVAL);	/* no XDP_USE_SG */
	ASSERT_MSG("larger packets need XDP_USE_SG");
	ASSERT_EQ(xsk_socket__send_frames(b.f.xsk, frames, 2, 0), -EINVAL);
	ASSERT_MSG("give whole packets");
	ASSERT_EQ(xsk_socket__recv(NULL, frames, 2, 0), -EINVAL);
	ASSERT_EQ(xsk_socket__recv(b.f.xsk, NULL, 2, 0), -EINVAL);
	ASSERT_OK(xsk_frame_pool__delete(other.pool));
	fixture_destroy(&other.f);
	batch_teardown(&b);

	/* A packet needing more frames than the pool owns can never be sent. */
	fixture_umem(&b.f, 256, 0, 0);
	fixture_socket(&b.f, 0, false, true, 0, XDP_USE_SG);
	b.pool = xsk_frame_pool__create(b.f.umem, 0, 1);
	ASSERT_PTR(b.pool);
	ASSERT_OK(xsk_socket__use_frame_pool(b.f.xsk, b.pool));
	ASSERT_EQ(xsk_socket__send(b.f.xsk, &iov, 1, -1), -EINVAL);
	ASSERT_MSG("packet 0 needs 2 frames; the pool has 1");
	batch_teardown(&b);
}

/*
 * Every address handed back to a pool is checked: the pool's free stack
 * has room for its own frames only, so a frame given back twice, one on a
 * ring, another pool's, or no frame at all must be refused, and the pool
 * must stay exact.  Sockets sharing a fill ring share one pool.
 */
TEST(batch_frames_handed_back_are_checked, .veth = true)
{
	struct xsk_frame frames[64], twice[2];
	struct xsk_socket_config cfg = socket_config(XDP_FLAGS_DRV_MODE, 0, 0);
	struct xsk_ring_cons rx2;
	struct xsk_socket *second;
	struct xsk_frame_pool *half;
	struct batch_fixture b;
	__u64 addr;
	int peer = peer_open(), n = 0;

	/* A pool of the UMEM's first 128 frames, another of the next 128. */
	fixture_umem(&b.f, 256, 0, 0);
	fixture_socket(&b.f, 0, true, false, XDP_FLAGS_DRV_MODE, 0);
	b.pool = xsk_frame_pool__create(b.f.umem, 0, 128);
	half = xsk_frame_pool__create(b.f.umem, 128, 128);
	ASSERT_PTR(b.pool);
	ASSERT_PTR(half);
	ASSERT_OK(xsk_socket__use_frame_pool(b.f.xsk, b.pool));
	peer_send(peer, 8, 64, 0);
	for (uint64_t end = now_ms() + 3000; n < 8 && now_ms() < end;) {
		int got = xsk_socket__recv(b.f.xsk, frames + n, 8 - n, 100);

		if (got > 0)
			n += got;
	}
	ASSERT_EQ(n, 8);
	assert_accounted(b.pool, 8);

	/* Given back twice: the second time is refused, and changes nothing. */
	ASSERT_OK(xsk_socket__recv_done(b.f.xsk, frames, 1));
	ASSERT_EQ(xsk_socket__recv_done(b.f.xsk, frames, 1), -EINVAL);
	ASSERT_MSG("(entry 0) is on the fill ring");
	assert_accounted(b.pool, 7);
	/* Twice in one call: all or none. */
	twice[0] = frames[1];
	twice[1] = frames[1];
	ASSERT_EQ(xsk_socket__recv_done(b.f.xsk, twice, 2), -EINVAL);
	ASSERT_MSG("(entry 1) is already free in the pool");
	assert_accounted(b.pool, 7);
	/* Another pool's frame, and an address that is no frame of the pool. */
	ASSERT_EQ(xsk_frame_pool__alloc(half, &addr, 1), 1);
	ASSERT_EQ(xsk_frame_pool__free(b.pool, &addr, 1), -EINVAL);
	ASSERT_MSG("is none of the pool's frames 0..127");
	ASSERT_OK(xsk_frame_pool__free(half, &addr, 1));
	addr = 1ull << 40;
	ASSERT_EQ(xsk_frame_pool__free(b.pool, &addr, 1), -EINVAL);
	ASSERT_MSG("none of the pool's frames");
	/* Frames of another pool given to recv_done. */
	ASSERT_EQ(xsk_frame_pool__alloc(half, &addr, 1), 1);
	twice[0] = (struct xsk_frame){ .addr = addr };
	ASSERT_EQ(xsk_socket__recv_done(b.f.xsk, twice, 1), -EINVAL);
	ASSERT_OK(xsk_frame_pool__free(half, &addr, 1));
	assert_accounted(b.pool, 7);
	assert_accounted(half, 0);

	/* A second socket on the same fill ring cannot bring another pool. */
	ASSERT_OK(xsk_socket__create(&second, env.if_a, 0, b.f.umem, &rx2, NULL, &cfg));
	ASSERT_EQ(xsk_socket__use_frame_pool(second, half), -EINVAL);
	ASSERT_MSG("fed by another frame pool");
	ASSERT_OK(xsk_socket__use_frame_pool(second, b.pool));
	xsk_socket__delete(second);

	ASSERT_OK(xsk_socket__recv_done(b.f.xsk, frames + 1, 7));
	assert_accounted(b.pool, 0);
	ASSERT_OK(xsk_frame_pool__delete(half));
	batch_teardown(&b);
	close(peer);
}

/* One thread, one queue, one UMEM and pool of its own. */
struct queue_worker {
	pthread_t thread;
	unsigned int queue;
	unsigned int got;
	struct batch_fixture b;
};

static void *queue_worker_main(void *arg)
{
	struct queue_worker *w = arg;
	struct xsk_frame frames[64];
	uint64_t deadline = now_ms() + 8000;

	while (w->got < N && now_ms() < deadline) {
		int n = xsk_socket__recv(w->b.f.xsk, frames, 64, 100);

		if (n > 0) {
			w->got += n;
			xsk_socket__recv_done(w->b.f.xsk, frames, n);
		}
	}
	return NULL;
}

TEST(batch_a_thread_per_queue_on_4_queues, .veth = true, .queues = 4)
{
	struct queue_worker w[4];
	struct fixture senders[4];
	unsigned int q;

	for (q = 0; q < 4; q++) {
		w[q].queue = q;
		w[q].got = 0;
		fixture_umem(&w[q].b.f, 512, 0, 0);
		fixture_socket(&w[q].b.f, q, true, false, XDP_FLAGS_DRV_MODE, 0);
		w[q].b.pool = xsk_frame_pool__create(w[q].b.f.umem, 0, 512);
		ASSERT_PTR(w[q].b.pool);
		ASSERT_OK(xsk_socket__use_frame_pool(w[q].b.f.xsk, w[q].b.pool));
		sender_open(&senders[q], q);
	}
	for (q = 0; q < 4; q++)
		ASSERT_EQ(pthread_create(&w[q].thread, NULL, queue_worker_main, &w[q]), 0);
	for (q = 0; q < 4; q++)
		ASSERT_EQ(fixture_tx(&senders[q], N, 64, q * N, 5000), N);
	for (q = 0; q < 4; q++) {
		pthread_join(w[q].thread, NULL);
		ASSERT_EQ(w[q].got, N);			/* each its own queue's frames */
		assert_accounted(w[q].b.pool, 0);
	}
	for (q = 0; q < 4; q++) {
		sender_close(&senders[q]);
		batch_teardown(&w[q].b);
	}
}
