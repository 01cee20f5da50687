// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The wrappers the classic API never had: statistics, zero-copy and
 * attach-mode queries, busy-poll setup.  Values are checked against what
 * the kernel says directly.
 */
#include <sys/socket.h>
#include <unistd.h>

#include "harness.h"
#include "test_util.h"

#ifndef SO_PREFER_BUSY_POLL
#define SO_PREFER_BUSY_POLL 69
#endif

TEST(stats_count_drops_exactly, .veth = true)
{
	struct xsk_socket_stats st = { .sz = sizeof(st) };
	struct fixture f;
	int peer = peer_open();

	/* No fill buffers: every frame is dropped and counted. */
	fixture_umem(&f, 1024, 0, 0);
	fixture_socket(&f, 0, true, false, XDP_FLAGS_DRV_MODE, 0);
	peer_send(peer, 100, 64, 0);
	usleep(200 * 1000);
	ASSERT_OK(xsk_socket__stats(f.xsk, &st));
	ASSERT_EQ(st.nr_fields, 6);
	ASSERT_EQ(st.rx_dropped, 100);
	ASSERT_EQ(st.rx_fill_ring_empty_descs, 100);
	ASSERT_EQ(st.rx_ring_full, 0);
	ASSERT_EQ(st.rx_invalid_descs, 0);
	ASSERT_EQ(st.tx_invalid_descs, 0);
	fixture_destroy(&f);
	close(peer);
}

TEST(stats_respect_the_callers_struct_size, .veth = true)
{
	union {
		struct xsk_socket_stats st;
		unsigned char bytes[sizeof(struct xsk_socket_stats) + 16];
	} u;
	struct { struct xsk_socket_stats st; __u64 future; } big;
	size_t v1 = offsetof(struct xsk_socket_stats, rx_ring_full);
	struct fixture f;
	size_t i;

	fixture_umem(&f, 256, 0, 0);
	fixture_socket(&f, 0, true, false, 0, 0);
	/* An older caller's smaller struct: nothing past its size is written. */
	memset(&u, 0xaa, sizeof(u));
	u.st.sz = v1;
	ASSERT_OK(xsk_socket__stats(f.xsk, &u.st));
	ASSERT_EQ(u.st.rx_dropped, 0);
	for (i = v1; i < sizeof(u); i++)
		ASSERT_EQ(u.bytes[i], 0xaa);
	/* A newer caller's bigger struct is fine while the unknown part is zero... */
	memset(&big, 0, sizeof(big));
	big.st.sz = sizeof(big);
	ASSERT_OK(xsk_socket__stats(f.xsk, &big.st));
	/* ...and refused otherwise, as are nonsense sizes. */
	big.future = 1;
	big.st.sz = sizeof(big);
	ASSERT_EQ(xsk_socket__stats(f.xsk, &big.st), -EINVAL);
	ASSERT_MSG("unknown option at byte");
	u.st.sz = 0;
	ASSERT_EQ(xsk_socket__stats(f.xsk, &u.st), -EINVAL);
	ASSERT_EQ(xsk_socket__stats(NULL, &u.st), -EINVAL);
	ASSERT_EQ(xsk_socket__stats(f.xsk, NULL), -EINVAL);
	fixture_destroy(&f);
}

TEST(zerocopy_and_xdp_mode_queries, .veth = true, .queues = 2)
{
	struct xsk_socket_config cfg = socket_config(0, 0, XSK_LIBXDP_FLAGS__INHIBIT_PROG_LOAD);
	struct fixture f, g;

	fixture_umem(&f, 256, 0, 0);
	fixture_socket(&f, 0, true, false, XDP_FLAGS_SKB_MODE, 0);
	ASSERT_EQ(xsk_socket__zerocopy(f.xsk), 0);	/* veth has no zero-copy */
	ASSERT_EQ(xsk_socket__xdp_mode(f.xsk), XDP_ATTACHED_SKB);
	fixture_destroy(&f);

	fixture_umem(&f, 256, 0, 0);
	fixture_socket(&f, 0, true, false, XDP_FLAGS_DRV_MODE, 0);
	ASSERT_EQ(xsk_socket__xdp_mode(f.xsk), XDP_ATTACHED_DRV);
	fixture_destroy(&f);

	/* No program at all. */
	fixture_umem(&g, 256, 0, 0);
	ASSERT_OK(xsk_socket__create(&g.xsk, env.if_a, 1, g.umem, &g.rx, NULL, &cfg));
	ASSERT_EQ(xsk_socket__xdp_mode(g.xsk), XDP_ATTACHED_NONE);
	fixture_destroy(&g);
	ASSERT_EQ(xsk_socket__zerocopy(NULL), -EINVAL);
	ASSERT_EQ(xsk_socket__xdp_mode(NULL), -EINVAL);
}

static int sockopt_get(int fd, int name)
{
	int v = -1;
	socklen_t len = sizeof(v);

	ASSERT_OK(getsockopt(fd, SOL_SOCKET, name, &v, &len));
	return v;
}

TEST(busy_poll_set_in_one_call, .veth = true)
{
	struct xsk_busy_poll_opts on = { .sz = sizeof(on), .usecs = 20, .budget = 64,
					 .prefer = true };
	struct xsk_busy_poll_opts off = { .sz = sizeof(off) };
	struct xsk_busy_poll_opts bad = { .sz = sizeof(bad), .usecs = 1, .budget = 70000 };
	struct fixture f;
	int fd;

	fixture_umem(&f, 256, 0, 0);
	fixture_socket(&f, 0, true, false, 0, 0);
	fd = xsk_socket__fd(f.xsk);
	ASSERT_OK(xsk_socket__set_busy_poll(f.xsk, &on));
	/* SO_BUSY_POLL_BUDGET has no getsockopt: the set call succeeding is all. */
	ASSERT_EQ(sockopt_get(fd, SO_BUSY_POLL), 20);
	ASSERT_EQ(sockopt_get(fd, SO_PREFER_BUSY_POLL), 1);
	ASSERT_OK(xsk_socket__set_busy_poll(f.xsk, &off));
	ASSERT_EQ(sockopt_get(fd, SO_BUSY_POLL), 0);
	ASSERT_EQ(sockopt_get(fd, SO_PREFER_BUSY_POLL), 0);
	ASSERT_EQ(xsk_socket__set_busy_poll(f.xsk, &bad), -EINVAL);
	ASSERT_MSG("budget 70000 out of range");
	ASSERT_EQ(xsk_socket__set_busy_poll(f.xsk, NULL), -EINVAL);
	ASSERT_EQ(xsk_socket__set_busy_poll(NULL, &on), -EINVAL);
	fixture_destroy(&f);
}
