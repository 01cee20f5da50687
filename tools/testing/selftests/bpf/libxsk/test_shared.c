// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * One UMEM, several sockets: on the same queue (sharing fill and
 * completion rings), on another queue and on another device (rings of
 * their own), and across network namespaces, where ifindexes repeat.
 */
#include <net/if.h>
#include <unistd.h>

#include "harness.h"
#include "test_util.h"

#define NFRAMES 4096
#define N 256

static uint8_t seen[N * 4];

TEST(shared_umem_same_queue_shares_fill_and_completion, .veth = true)
{
	struct xsk_ring_cons rx2;
	struct xsk_ring_prod tx2;
	struct xsk_socket *s2;
	struct fixture f;
	struct xsk_socket_config cfg = socket_config(XDP_FLAGS_DRV_MODE, 0, 0);
	int peer = peer_open();

	fixture_umem(&f, NFRAMES, 0, 0);
	fixture_socket(&f, 0, true, true, XDP_FLAGS_DRV_MODE, 0);
	ASSERT_OK(xsk_socket__create(&s2, env.if_a, 0, f.umem, &rx2, &tx2, &cfg));
	ASSERT_NE(xsk_socket__fd(s2), xsk_socket__fd(f.xsk));
	fixture_fill(&f, &f.fill, 2048);

	/* The queue's slot holds the newest socket: s2 receives, s1 does not. */
	memset(seen, 0, sizeof(seen));
	peer_send(peer, N, 64, 0);
	ASSERT_EQ(fixture_rx_on(&f, s2, &rx2, &f.fill, N, 64, 5000, seen, N), N);
	ASSERT_EQ(xsk_cons_nb_avail(&f.rx, 1), 0);

	/* Both transmit; completions of both arrive on the one shared ring. */
	ASSERT_EQ(fixture_tx_on(&f, f.xsk, &f.tx, &f.comp, N, 64, 0, 5000), N);
	ASSERT_EQ(fixture_tx_on(&f, s2, &tx2, &f.comp, N, 64, N, 5000), N);
	memset(seen, 0, sizeof(seen));
	ASSERT_EQ(peer_recv(peer, 2 * N, 64, 3000, seen, 2 * N), 2 * N);

	/* Deleting s2 hands the slot back to s1. */
	xsk_socket__delete(s2);
	memset(seen, 0, sizeof(seen));
	peer_send(peer, N, 64, 0);
	ASSERT_EQ(fixture_rx(&f, N, 64, 5000, seen, N), N);

	fixture_destroy(&f);
	close(peer);
}

TEST(shared_umem_first_socket_deleted_first, .veth = true)
{
	struct xsk_ring_cons rx2, rx3;
	struct xsk_socket *s2, *s3;
	struct fixture f;
	struct xsk_socket_config cfg = socket_config(0, 0, 0);
	int peer = peer_open();

	fixture_umem(&f, NFRAMES, 0, 0);
	fixture_socket(&f, 0, true, false, 0, 0);
	ASSERT_OK(xsk_socket__create(&s2, env.if_a, 0, f.umem, &rx2, NULL, &cfg));
	fixture_fill(&f, &f.fill, 2048);

	/* The socket the UMEM is registered on goes first... */
	xsk_socket__delete(f.xsk);
	f.xsk = NULL;
	ASSERT_EQ(xsk_umem__delete(f.umem), -EBUSY);
	ASSERT_MSG("1 socket");
	/* ...and the other keeps working, on the same fill ring. */
	memset(seen, 0, sizeof(seen));
	peer_send(peer, N, 64, 0);
	ASSERT_EQ(fixture_rx_on(&f, s2, &rx2, &f.fill, N, 64, 5000, seen, N), N);

	/* A newcomer on that queue joins them. */
	ASSERT_OK(xsk_socket__create(&s3, env.if_a, 0, f.umem, &rx3, NULL, &cfg));
	memset(seen, 0, sizeof(seen));
	peer_send(peer, N, 64, 0);
	ASSERT_EQ(fixture_rx_on(&f, s3, &rx3, &f.fill, N, 64, 5000, seen, N), N);

	xsk_socket__delete(s3);
	xsk_socket__delete(s2);
	ASSERT_EQ(xdp_prog_id(env.ifindex_a), 0);
	fixture_destroy(&f);
	close(peer);
}

TEST(shared_umem_other_queue_own_rings, .veth = true, .queues = 2)
{
	struct xsk_ring_prod fill1;
	struct xsk_ring_cons comp1, rx1;
	struct xsk_socket *s1;
	struct fixture q0, q1;
	struct fixture f;
	struct xsk_socket_config cfg = socket_config(XDP_FLAGS_DRV_MODE, 0, 0);

	fixture_umem(&f, NFRAMES, 0, 0);
	fixture_socket(&f, 0, true, false, XDP_FLAGS_DRV_MODE, 0);
	ASSERT_OK(xsk_socket__create_shared(&s1, env.if_a, 1, f.umem, &rx1, NULL, &fill1,
					    &comp1, &cfg));
	/* Its own rings, not the UMEM's. */
	ASSERT_TRUE(fill1.ring != f.fill.ring);
	fixture_fill(&f, &f.fill, 1024);
	fixture_fill(&f, &fill1, 1024);

	sender_open(&q0, 0);
	sender_open(&q1, 1);
	memset(seen, 0, sizeof(seen));
	ASSERT_EQ(fixture_tx(&q1, N, 64, 1000, 5000), N);
	ASSERT_EQ(fixture_rx_on(&f, s1, &rx1, &fill1, N, 64, 5000, NULL, 0), N);
	ASSERT_EQ(xsk_cons_nb_avail(&f.rx, 1), 0);
	ASSERT_EQ(fixture_tx(&q0, N, 64, 0, 5000), N);
	ASSERT_EQ(fixture_rx(&f, N, 64, 5000, seen, N), N);
	ASSERT_EQ(xsk_cons_nb_avail(&rx1, 1), 0);

	sender_close(&q0);
	sender_close(&q1);
	xsk_socket__delete(s1);
	fixture_destroy(&f);
}

TEST(shared_umem_other_device, .veth = true)
{
	struct xsk_ring_prod fill1;
	struct xsk_ring_cons comp1, rx1;
	struct xsk_socket *s1;
	struct fixture f;
	struct xsk_socket_config cfg = socket_config(0, 0, 0);
	int peer, peer2, ifindex_c;

	ASSERT_OK(run_cmdf("ip -n %s link add vxc type veth peer name vxd netns %s", env.ns_a,
			   env.ns_b));
	ASSERT_OK(run_cmdf("ip -n %s link set vxc up", env.ns_a));
	ASSERT_OK(run_cmdf("ip -n %s link set vxd up", env.ns_b));
	ifindex_c = if_nametoindex("vxc");
	ASSERT_NE(ifindex_c, 0);
	peer = peer_open();
	peer2 = peer_open_on(true, "vxd");

	fixture_umem(&f, NFRAMES, 0, 0);
	fixture_socket(&f, 0, true, false, 0, 0);
	ASSERT_OK(xsk_socket__create_shared(&s1, "vxc", 0, f.umem, &rx1, NULL, &fill1, &comp1,
					    &cfg));
	ASSERT_NE(xdp_prog_id(ifindex_c), 0);
	ASSERT_NE(xdp_prog_id(ifindex_c), xdp_prog_id(env.ifindex_a));
	fixture_fill(&f, &f.fill, 1024);
	fixture_fill(&f, &fill1, 1024);

	peer_send(peer2, N, 64, 0);
	ASSERT_EQ(fixture_rx_on(&f, s1, &rx1, &fill1, N, 64, 5000, NULL, 0), N);
	peer_send(peer, N, 64, 0);
	ASSERT_EQ(fixture_rx(&f, N, 64, 5000, NULL, 0), N);

	xsk_socket__delete(s1);
	ASSERT_EQ(xdp_prog_id(ifindex_c), 0);
	ASSERT_NE(xdp_prog_id(env.ifindex_a), 0);
	fixture_destroy(&f);
	close(peer);
	close(peer2);
}

TEST(shared_umem_across_network_namespaces, .veth = true)
{
	struct xsk_ring_prod fill_b;
	struct xsk_ring_cons comp_b, rx_b;
	struct xsk_socket *sb;
	struct fixture f;
	struct xsk_socket_config cfg = socket_config(0, 0, 0);
	int peer_b = peer_open(), peer_a = peer_open_on(false, env.if_a);

	/*
	 * Both ends of the veth have the same ifindex, each in its own
	 * namespace: the library must not mistake one for the other.
	 */
	test_log("ifindex of %s in A: %d, of %s in B: %d", env.if_a, env.ifindex_a, env.if_b,
		 env.ifindex_b);

	fixture_umem(&f, NFRAMES, 0, 0);
	fixture_socket(&f, 0, true, false, 0, 0);
	env_enter_b();
	ASSERT_OK(xsk_socket__create_shared(&sb, env.if_b, 0, f.umem, &rx_b, NULL, &fill_b,
					    &comp_b, &cfg));
	ASSERT_NE(xdp_prog_id(env.ifindex_b), 0);
	env_enter_a();
	ASSERT_NE(xdp_prog_id(env.ifindex_a), 0);
	fixture_fill(&f, &f.fill, 1024);
	fixture_fill(&f, &fill_b, 1024);

	/* B -> A reaches the socket in A; A -> B the socket in B. */
	memset(seen, 0, sizeof(seen));
	peer_send(peer_b, N, 64, 0);
	ASSERT_EQ(fixture_rx(&f, N, 64, 5000, seen, N), N);
	memset(seen, 0, sizeof(seen));
	peer_send(peer_a, N, 64, 0);
	ASSERT_EQ(fixture_rx_on(&f, sb, &rx_b, &fill_b, N, 64, 5000, seen, N), N);

	/* Deleting the socket in B detaches B's program only. */
	xsk_socket__delete(sb);
	env_enter_b();
	ASSERT_EQ(xdp_prog_id(env.ifindex_b), 0);
	env_enter_a();
	ASSERT_NE(xdp_prog_id(env.ifindex_a), 0);
	fixture_destroy(&f);
	ASSERT_EQ(xdp_prog_id(env.ifindex_a), 0);
	close(peer_a);
	close(peer_b);
}

TEST(shared_umem_rings_must_match_the_queue, .veth = true, .queues = 2)
{
	struct xsk_ring_prod other_fill, fill1;
	struct xsk_ring_cons other_comp, rx2, comp1;
	struct xsk_socket *s2 = NULL;
	struct fixture f;
	struct xsk_socket_config cfg = socket_config(0, 0, 0);

	fixture_umem(&f, NFRAMES, 0, 0);
	fixture_socket(&f, 0, true, false, 0, 0);
	/* Queue 0 already has the UMEM's rings: others are refused... */
	ASSERT_EQ(xsk_socket__create_shared(&s2, env.if_a, 0, f.umem, &rx2, NULL, &other_fill,
					    &other_comp, &cfg), -EINVAL);
	ASSERT_MSG("already has fill and completion rings");
	ASSERT_TRUE(s2 == NULL);
	/* ...the UMEM's own rings may not serve a second queue... */
	ASSERT_EQ(xsk_socket__create_shared(&s2, env.if_a, 1, f.umem, &rx2, NULL, &f.fill,
					    &f.comp, &cfg), -EINVAL);
	ASSERT_MSG("already serve another queue");
	/* ...and a new queue needs rings at all. */
	ASSERT_EQ(xsk_socket__create(&s2, env.if_a, 1, f.umem, &rx2, NULL, &cfg), -EFAULT);
	ASSERT_MSG("xsk_socket__create_shared");
	ASSERT_EQ(xsk_socket__create_shared(&s2, env.if_a, 1, f.umem, &rx2, NULL, &fill1, NULL,
					    &cfg), -EFAULT);
	/* The first socket is unharmed: passing the same rings again is fine. */
	ASSERT_OK(xsk_socket__create_shared(&s2, env.if_a, 0, f.umem, &rx2, NULL, &f.fill,
					    &f.comp, &cfg));
	xsk_socket__delete(s2);
	(void)comp1;
	fixture_destroy(&f);
}
