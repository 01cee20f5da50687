// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Real traffic over the veth: frames sent from B arrive on an AF_XDP
 * socket on A, and frames the socket transmits arrive on B, in SKB and
 * native mode, with and without need_wakeup, aligned and unaligned, and
 * as multi-buffer jumbo frames.  Every frame is checked byte for byte and
 * must arrive exactly once.
 */
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "harness.h"
#include "test_util.h"

#define NFRAMES 4096
#define BURST 512

static uint8_t seen[BURST];

static void rx_case(__u32 xdp_flags, __u16 bind_flags, unsigned int frame_size,
		    unsigned int umem_flags, size_t len)
{
	struct fixture f;
	int peer = peer_open();

	fixture_umem(&f, NFRAMES, frame_size, umem_flags);
	fixture_socket(&f, 0, true, false, xdp_flags, bind_flags);
	ASSERT_NE(xdp_prog_id(env.ifindex_a), 0);
	fixture_fill(&f, &f.fill, 2048);

	memset(seen, 0, sizeof(seen));
	peer_send(peer, BURST, len, 0);
	/* veth does not drop here: every frame must arrive, exactly once. */
	ASSERT_EQ(fixture_rx(&f, BURST, len, 5000, seen, BURST), BURST);

	fixture_destroy(&f);
	ASSERT_EQ(xdp_prog_id(env.ifindex_a), 0);
	close(peer);
}

static void tx_case(__u32 xdp_flags, __u16 bind_flags, unsigned int frame_size,
		    unsigned int umem_flags, size_t len)
{
	struct fixture f;
	int peer = peer_open();

	fixture_umem(&f, NFRAMES, frame_size, umem_flags);
	fixture_socket(&f, 0, false, true, xdp_flags, bind_flags);
	/* A new TX ring asks for its first kick, whatever the bind flags. */
	ASSERT_TRUE(xsk_ring_prod__needs_wakeup(&f.tx));

	memset(seen, 0, sizeof(seen));
	ASSERT_EQ(fixture_tx(&f, BURST, len, 0, 5000), BURST);
	ASSERT_EQ(peer_recv(peer, BURST, len, 3000, seen, BURST), BURST);
	/* Every TX frame came back through the completion ring. */
	ASSERT_EQ(f.nr_free, NFRAMES);

	fixture_destroy(&f);
	close(peer);
}

TEST(rx_skb_mode, .veth = true)
{
	rx_case(XDP_FLAGS_SKB_MODE, 0, 0, 0, 64);
}

TEST(rx_native_mode, .veth = true)
{
	rx_case(XDP_FLAGS_DRV_MODE, 0, 0, 0, 64);
}

TEST(rx_default_mode_is_native_on_veth, .veth = true)
{
	LIBBPF_OPTS(bpf_xdp_query_opts, q);
	struct fixture f;

	fixture_umem(&f, 1024, 0, 0);
	fixture_socket(&f, 0, true, false, 0, 0);
	ASSERT_OK(bpf_xdp_query(env.ifindex_a, 0, &q));
	ASSERT_EQ(q.attach_mode, XDP_ATTACHED_DRV);
	fixture_destroy(&f);
	rx_case(0, 0, 0, 0, 1000);
}

TEST(rx_skb_mode_need_wakeup, .veth = true)
{
	rx_case(XDP_FLAGS_SKB_MODE, XDP_USE_NEED_WAKEUP, 0, 0, 64);
}

TEST(rx_native_mode_need_wakeup, .veth = true)
{
	rx_case(XDP_FLAGS_DRV_MODE, XDP_USE_NEED_WAKEUP, 0, 0, 64);
}

TEST(rx_copy_flag, .veth = true)
{
	rx_case(XDP_FLAGS_DRV_MODE, XDP_COPY | XDP_USE_NEED_WAKEUP, 0, 0, 128);
}

TEST(rx_2k_frames, .veth = true)
{
	rx_case(XDP_FLAGS_DRV_MODE, 0, 2048, 0, 1400);
}

TEST(rx_unaligned_2k_frames, .veth = true)
{
	rx_case(XDP_FLAGS_DRV_MODE, 0, 2048, XDP_UMEM_UNALIGNED_CHUNK_FLAG, 1000);
}

TEST(rx_unaligned_3k_frames, .veth = true)
{
	rx_case(XDP_FLAGS_DRV_MODE, 0, 3072, XDP_UMEM_UNALIGNED_CHUNK_FLAG, 1400);
}

TEST(rx_unaligned_3k_frames_skb, .veth = true)
{
	rx_case(XDP_FLAGS_SKB_MODE, 0, 3072, XDP_UMEM_UNALIGNED_CHUNK_FLAG, 1400);
}

TEST(rx_9000_byte_frames_multibuffer_native, .veth = true, .mtu = 9000)
{
	rx_case(XDP_FLAGS_DRV_MODE, XDP_USE_SG, 0, 0, 9000);
}

TEST(rx_9000_byte_frames_multibuffer_skb, .veth = true, .mtu = 9000)
{
	rx_case(XDP_FLAGS_SKB_MODE, XDP_USE_SG, 0, 0, 9000);
}

TEST(tx_skb_mode, .veth = true)
{
	tx_case(XDP_FLAGS_SKB_MODE, 0, 0, 0, 64);
}

TEST(tx_native_mode, .veth = true)
{
	tx_case(XDP_FLAGS_DRV_MODE, 0, 0, 0, 64);
}

TEST(tx_need_wakeup, .veth = true)
{
	tx_case(XDP_FLAGS_DRV_MODE, XDP_USE_NEED_WAKEUP, 0, 0, 200);
}

TEST(tx_unaligned_2k_frames, .veth = true)
{
	tx_case(0, 0, 2048, XDP_UMEM_UNALIGNED_CHUNK_FLAG, 1500);
}

TEST(tx_unaligned_3k_frames, .veth = true)
{
	tx_case(0, 0, 3072, XDP_UMEM_UNALIGNED_CHUNK_FLAG, 1500);
}

TEST(tx_9000_byte_frames_multibuffer, .veth = true, .mtu = 9000)
{
	tx_case(0, XDP_USE_SG, 0, 0, 9000);
}

TEST(rx_fill_ring_populated_before_the_socket, .veth = true)
{
	struct fixture f;
	int peer = peer_open();

	/* The classic order: fill the ring right after creating the UMEM. */
	fixture_umem(&f, NFRAMES, 0, 0);
	fixture_fill(&f, &f.fill, 1024);
	fixture_socket(&f, 0, true, false, 0, 0);
	memset(seen, 0, sizeof(seen));
	peer_send(peer, 256, 64, 0);
	ASSERT_EQ(fixture_rx(&f, 256, 64, 5000, seen, BURST), 256);
	fixture_destroy(&f);
	close(peer);
}

TEST(rx_without_fill_buffers_drops_nothing_else, .veth = true)
{
	struct fixture f;
	int peer = peer_open();

	/* No fill buffers: the kernel has nowhere to put frames... */
	fixture_umem(&f, NFRAMES, 0, 0);
	fixture_socket(&f, 0, true, false, XDP_FLAGS_DRV_MODE, 0);
	peer_send(peer, 64, 64, 0);
	usleep(100 * 1000);
	ASSERT_EQ(xsk_cons_nb_avail(&f.rx, 64), 0);
	/* ...and once there are some, later frames arrive normally. */
	fixture_fill(&f, &f.fill, 512);
	memset(seen, 0, sizeof(seen));
	peer_send(peer, 128, 64, 100);
	ASSERT_EQ(fixture_rx(&f, 128, 64, 5000, seen, BURST), 128);
	ASSERT_FALSE(seen[0]);
	ASSERT_TRUE(seen[100] && seen[227]);
	fixture_destroy(&f);
	close(peer);
}

TEST(rxtx_forward_received_frames_back, .veth = true)
{
	struct fixture f;
	int peer = peer_open(), fd;
	unsigned int fwd = 0, done, back;
	uint64_t deadline;

	/* l2fwd: what arrives on RX goes out on TX in place, no copy. */
	fixture_umem(&f, NFRAMES, 0, 0);
	fixture_socket(&f, 0, true, true, XDP_FLAGS_DRV_MODE, XDP_USE_NEED_WAKEUP);
	fd = xsk_socket__fd(f.xsk);
	fixture_fill(&f, &f.fill, 2048);
	peer_send(peer, 256, 128, 0);

	deadline = now_ms() + 5000;
	while (fwd < 256 && now_ms() < deadline) {
		__u32 ridx, tidx, n, i;

		n = xsk_ring_cons__peek(&f.rx, 64, &ridx);
		if (!n) {
			struct pollfd pfd = { .fd = fd, .events = POLLIN };

			poll(&pfd, 1, 10);
			continue;
		}
		ASSERT_EQ(xsk_ring_prod__reserve(&f.tx, n, &tidx), n);
		for (i = 0; i < n; i++) {
			const struct xdp_desc *rd = xsk_ring_cons__rx_desc(&f.rx, ridx + i);
			struct xdp_desc *td = xsk_ring_prod__tx_desc(&f.tx, tidx + i);
			unsigned char *pkt = xsk_umem__get_data(f.area, rd->addr);

			/* Turn it around: B's frame goes back to B. */
			memcpy(pkt, env.mac_b, 6);
			memcpy(pkt + 6, env.mac_a, 6);
			*td = *rd;
		}
		xsk_ring_cons__release(&f.rx, n);
		xsk_ring_prod__submit(&f.tx, n);
		if (xsk_ring_prod__needs_wakeup(&f.tx))
			sendto(fd, NULL, 0, MSG_DONTWAIT, NULL, 0);
		fwd += n;
	}
	ASSERT_EQ(fwd, 256);
	/* Copy mode sends a bounded batch per kick: kick until all completed. */
	for (done = 0; done < 256 && now_ms() < deadline + 3000;) {
		__u32 cidx, n = xsk_ring_cons__peek(&f.comp, 64, &cidx);

		xsk_ring_cons__release(&f.comp, n);
		done += n;
		if (xsk_ring_prod__needs_wakeup(&f.tx))
			sendto(fd, NULL, 0, MSG_DONTWAIT, NULL, 0);
	}
	ASSERT_EQ(done, 256);
	memset(seen, 0, sizeof(seen));
	back = peer_recv(peer, 256, 128, 3000, seen, BURST);
	ASSERT_EQ(back, 256);
	fixture_destroy(&f);
	close(peer);
}

/*
 * A TX-only socket has no RX ring to receive into: its queue's traffic
 * must keep reaching the stack rather than be redirected to it and
 * dropped.  libxdp attaches the program but leaves such a socket out of
 * the XSKMAP; so does libxsk.
 */
TEST(tx_only_socket_leaves_rx_to_the_stack, .veth = true)
{
	int peer = peer_open(), stack = peer_open_on(false, env.if_a);
	struct fixture f;

	fixture_umem(&f, NFRAMES, 0, 0);
	fixture_socket(&f, 0, false, true, XDP_FLAGS_DRV_MODE, 0);
	ASSERT_NE(xdp_prog_id(env.ifindex_a), 0);

	memset(seen, 0, sizeof(seen));
	peer_send(peer, 64, 64, 0);
	ASSERT_EQ(peer_recv(stack, 64, 64, 3000, seen, BURST), 64);
	/* ...while the socket sends. */
	ASSERT_EQ(fixture_tx(&f, 64, 64, 0, 5000), 64);

	fixture_destroy(&f);
	ASSERT_EQ(xdp_prog_id(env.ifindex_a), 0);
	close(stack);
	close(peer);
}
