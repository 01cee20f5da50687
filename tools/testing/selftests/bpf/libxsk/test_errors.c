// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Bad input: every case returns its exact -errno and a message that names
 * what was wrong and the value.  Afterwards nothing is left open (the
 * harness checks fds and mappings) and the objects involved still work.
 */
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "harness.h"
#include "test_util.h"

/* What every case gets to work with: a UMEM bound to queue 0 of a 2-queue veth. */
static struct fixture fx;

static struct xsk_ring_cons rx;
static struct xsk_ring_prod tx, fill;
static struct xsk_ring_cons comp;
static struct xsk_umem *new_umem;
static struct xsk_socket *new_xsk;

static int umem_with(__u32 fill_size, __u32 comp_size, __u32 frame_size, __u32 headroom,
		     __u32 flags)
{
	struct xsk_umem_config cfg = { fill_size, comp_size, frame_size, headroom, flags };

	return xsk_umem__create(&new_umem, fx.area, fx.size, &fill, &comp, &cfg);
}

static int socket_with(const char *ifname, __u32 queue, __u32 rx_size, __u32 tx_size,
		       __u32 lib_flags, __u32 xdp_flags, __u16 bind_flags)
{
	struct xsk_socket_config cfg = { .rx_size = rx_size, .tx_size = tx_size,
		.libxdp_flags = lib_flags, .xdp_flags = xdp_flags, .bind_flags = bind_flags };

	return xsk_socket__create(&new_xsk, ifname, queue, fx.umem, &rx, &tx, &cfg);
}

static int opts_errno(void *ret)
{
	return ret ? 0 : -errno;
}

/* ---- the cases ---------------------------------------------------------- */

static int umem_null_result(void)
{
	return xsk_umem__create(NULL, fx.area, fx.size, &fill, &comp, NULL);
}

static int umem_null_area(void)
{
	return xsk_umem__create(&new_umem, NULL, fx.size, &fill, &comp, NULL);
}

static int umem_null_fill(void)
{
	return xsk_umem__create(&new_umem, fx.area, fx.size, NULL, &comp, NULL);
}

static int umem_same_ring_twice(void)
{
	return xsk_umem__create(&new_umem, fx.area, fx.size, &fill, (void *)&fill, NULL);
}

static int umem_unaligned_area(void)
{
	return xsk_umem__create(&new_umem, (char *)fx.area + 64, fx.size - 4096, &fill, &comp,
				NULL);
}

static int umem_zero_size(void)
{
	return xsk_umem__create(&new_umem, fx.area, 0, &fill, &comp, NULL);
}

static int umem_frame_too_small(void)
{
	return umem_with(2048, 2048, 1024, 0, 0);
}

static int umem_frame_not_pow2(void)
{
	return umem_with(2048, 2048, 3000, 0, 0);
}

static int umem_frame_above_page(void)
{
	return umem_with(2048, 2048, 8192, 0, 0);
}

static int umem_size_not_multiple(void)
{
	struct xsk_umem_config cfg = { 2048, 2048, 4096, 0, 0 };

	return xsk_umem__create(&new_umem, fx.area, fx.size - 2048, &fill, &comp, &cfg);
}

static int umem_headroom_too_big(void)
{
	return umem_with(2048, 2048, 2048, 1800, 0);
}

static int umem_fill_not_pow2(void)
{
	return umem_with(1000, 2048, 4096, 0, 0);
}

static int umem_comp_zero(void)
{
	return umem_with(2048, 0, 4096, 0, 0);
}

static int umem_unknown_flag(void)
{
	return umem_with(2048, 2048, 4096, 0, 0x80);
}

static int umem_opts_bad_metadata(void)
{
	struct xsk_umem_opts o = { .sz = sizeof(o), .size = fx.size, .tx_metadata_len = 12 };

	return opts_errno(new_umem = xsk_umem__create_opts(fx.area, &fill, &comp, &o));
}

static int umem_opts_sz_too_small(void)
{
	struct xsk_umem_opts o = { .sz = 2, .size = fx.size };

	return opts_errno(new_umem = xsk_umem__create_opts(fx.area, &fill, &comp, &o));
}

static int umem_opts_unknown_trailing(void)
{
	struct { struct xsk_umem_opts o; __u64 future; } big = {
		.o = { .sz = sizeof(big), .size = fx.size }, .future = 1 };

	return opts_errno(new_umem = xsk_umem__create_opts(fx.area, &fill, &comp, &big.o));
}

static int umem_opts_bad_fd(void)
{
	struct xsk_umem_opts o = { .sz = sizeof(o), .size = fx.size, .fd = -5 };

	return opts_errno(new_umem = xsk_umem__create_opts(fx.area, &fill, &comp, &o));
}

static int umem_with_negative_fd(void)
{
	return xsk_umem__create_with_fd(&new_umem, -1, fx.area, fx.size, &fill, &comp, NULL);
}

static int umem_with_pipe_fd(void)
{
	int p[2], err;

	if (pipe(p))
		return 1;
	close(p[1]);
	err = xsk_umem__create_with_fd(&new_umem, p[0], fx.area, fx.size, &fill, &comp, NULL);
	/* On failure the fd is not the library's: close it ourselves. */
	close(p[0]);
	return err;
}

static int socket_unknown_ifname(void)
{
	return socket_with("nosuchif0", 0, 2048, 2048, 0, 0, 0);
}

static int socket_ifname_too_long(void)
{
	return socket_with("a-name-way-too-long-for-linux", 0, 2048, 2048, 0, 0, 0);
}

static int socket_null_ifname(void)
{
	return socket_with(NULL, 0, 2048, 2048, 0, 0, 0);
}

static int socket_queue_out_of_range(void)
{
	return socket_with(env.if_a, 5, 2048, 2048, 0, 0, 0);
}

static int socket_no_rings(void)
{
	return xsk_socket__create(&new_xsk, env.if_a, 0, fx.umem, NULL, NULL, NULL);
}

static int socket_same_ring_twice(void)
{
	return xsk_socket__create(&new_xsk, env.if_a, 0, fx.umem, &rx, (void *)&rx, NULL);
}

static int socket_null_umem(void)
{
	return xsk_socket__create(&new_xsk, env.if_a, 0, NULL, &rx, &tx, NULL);
}

static int socket_null_result(void)
{
	return xsk_socket__create(NULL, env.if_a, 0, fx.umem, &rx, &tx, NULL);
}

static int socket_rx_size_not_pow2(void)
{
	return socket_with(env.if_a, 0, 1000, 2048, 0, 0, 0);
}

static int socket_tx_size_zero(void)
{
	return socket_with(env.if_a, 0, 2048, 0, 0, 0, 0);
}

static int socket_copy_and_zerocopy(void)
{
	return socket_with(env.if_a, 0, 2048, 2048, 0, 0, XDP_COPY | XDP_ZEROCOPY);
}

static int socket_shared_umem_flag(void)
{
	return socket_with(env.if_a, 0, 2048, 2048, 0, 0, XDP_SHARED_UMEM);
}

static int socket_unknown_bind_flag(void)
{
	return socket_with(env.if_a, 0, 2048, 2048, 0, 0, 0x100);
}

static int socket_skb_and_drv(void)
{
	return socket_with(env.if_a, 0, 2048, 2048, 0, XDP_FLAGS_SKB_MODE | XDP_FLAGS_DRV_MODE, 0);
}

static int socket_hw_mode(void)
{
	return socket_with(env.if_a, 0, 2048, 2048, 0, XDP_FLAGS_HW_MODE, 0);
}

static int socket_unknown_lib_flag(void)
{
	return socket_with(env.if_a, 0, 2048, 2048, 0x2, 0, 0);
}

static int socket_zerocopy_on_veth(void)
{
	struct xsk_socket_config cfg = socket_config(0, XDP_ZEROCOPY, 0);
	struct fixture f2;
	int err;

	/* A UMEM of its own on the free queue, so nothing is shared. */
	fixture_umem(&f2, 256, 0, 0);
	err = xsk_socket__create(&new_xsk, env.if_a, 1, f2.umem, &f2.rx, NULL, &cfg);
	fixture_destroy(&f2);
	return err;
}

static int socket_shared_asks_zerocopy(void)
{
	return socket_with(env.if_a, 0, 2048, 2048, 0, 0, XDP_ZEROCOPY);
}

static int socket_shared_asks_sg(void)
{
	return socket_with(env.if_a, 0, 2048, 2048, 0, 0, XDP_USE_SG);
}

static int socket_opts_null(void)
{
	return opts_errno(new_xsk = xsk_socket__create_opts(env.if_a, 0, fx.umem, NULL));
}

static int socket_opts_sz_zero(void)
{
	struct xsk_socket_opts o = { .rx = &rx };

	return opts_errno(new_xsk = xsk_socket__create_opts(env.if_a, 0, fx.umem, &o));
}

static int socket_opts_no_rings(void)
{
	struct xsk_socket_opts o = { .sz = sizeof(o) };

	return opts_errno(new_xsk = xsk_socket__create_opts(env.if_a, 0, fx.umem, &o));
}

static int setup_prog_bad_ifindex(void)
{
	return xsk_setup_xdp_prog(9999, NULL);
}

static int release_prog_without_setup(void)
{
	return xsk_release_xdp_prog(env.ifindex_a);
}

static int update_xskmap_null_socket(void)
{
	return xsk_socket__update_xskmap(NULL, 3);
}

static int update_xskmap_bad_fd(void)
{
	return xsk_socket__update_xskmap(fx.xsk, -1);
}

static int update_xskmap_not_a_map(void)
{
	/* A socket fd where a map fd belongs: the kernel says EINVAL. */
	return xsk_socket__update_xskmap(fx.xsk, xsk_socket__fd(fx.xsk));
}

static int umem_delete_while_used(void)
{
	return xsk_umem__delete(fx.umem);
}

static int umem_fd_of_null(void)
{
	return xsk_umem__fd(NULL);
}

static int socket_fd_of_null(void)
{
	return xsk_socket__fd(NULL);
}

struct bad_input {
	const char *name;
	int (*call)(void);
	int expect;
	const char *message;	/* must appear in a library message, or NULL */
};

static const struct bad_input cases[] = {
	{ "umem: NULL result pointer", umem_null_result, -EFAULT, "NULL result pointer" },
	{ "umem: NULL area", umem_null_area, -EFAULT, "NULL UMEM area" },
	{ "umem: NULL fill ring", umem_null_fill, -EFAULT, "NULL fill ring" },
	{ "umem: fill and comp the same", umem_same_ring_twice, -EINVAL, "same struct" },
	{ "umem: area not page-aligned", umem_unaligned_area, -EINVAL, "is not page-aligned" },
	{ "umem: size 0", umem_zero_size, -EINVAL, "UMEM size is 0" },
	{ "umem: frame 1024", umem_frame_too_small, -EINVAL, "frame size 1024" },
	{ "umem: frame 3000 aligned", umem_frame_not_pow2, -EINVAL, "frame size 3000 is not a power of two" },
	{ "umem: frame 8192 aligned", umem_frame_above_page, -EINVAL, "frame size 8192 exceeds" },
	{ "umem: size not a frame multiple", umem_size_not_multiple, -EINVAL, "not a multiple of the frame size 4096" },
	{ "umem: headroom 1800 of 2048", umem_headroom_too_big, -EINVAL, "headroom 1800" },
	{ "umem: fill size 1000", umem_fill_not_pow2, -EINVAL, "fill ring size 1000" },
	{ "umem: completion size 0", umem_comp_zero, -EINVAL, "completion ring size 0" },
	{ "umem: unknown flag 0x80", umem_unknown_flag, -EINVAL, "unknown UMEM flags 0x80" },
	{ "umem opts: TX metadata 12", umem_opts_bad_metadata, -EINVAL, "TX metadata length 12" },
	{ "umem opts: sz 2", umem_opts_sz_too_small, -EINVAL, "sz 2 is too small" },
	{ "umem opts: unknown option set", umem_opts_unknown_trailing, -EINVAL, "unknown option at byte" },
	{ "umem opts: fd -5", umem_opts_bad_fd, -EBADF, "bad fd -5" },
	{ "umem with fd: fd -1", umem_with_negative_fd, -EBADF, "bad fd -1" },
	{ "umem with fd: a pipe", umem_with_pipe_fd, -ENOTSOCK, "registering the UMEM" },
	{ "socket: unknown interface", socket_unknown_ifname, -ENODEV, "interface 'nosuchif0' not found" },
	{ "socket: interface name too long", socket_ifname_too_long, -EINVAL, "longer than 15 bytes" },
	{ "socket: NULL interface name", socket_null_ifname, -EFAULT, "NULL interface name" },
	{ "socket: queue 5 of 2", socket_queue_out_of_range, -EINVAL, "queue 5 is out of range: vxa has 2 RX queues" },
	{ "socket: no RX and no TX ring", socket_no_rings, -EFAULT, "both are NULL" },
	{ "socket: RX and TX the same", socket_same_ring_twice, -EINVAL, "same struct" },
	{ "socket: NULL UMEM", socket_null_umem, -EFAULT, "NULL UMEM" },
	{ "socket: NULL result pointer", socket_null_result, -EFAULT, "NULL result pointer" },
	{ "socket: RX size 1000", socket_rx_size_not_pow2, -EINVAL, "RX ring size 1000 is not a power of two" },
	{ "socket: TX size 0", socket_tx_size_zero, -EINVAL, "TX ring size 0" },
	{ "socket: XDP_COPY with XDP_ZEROCOPY", socket_copy_and_zerocopy, -EINVAL, "both XDP_COPY and XDP_ZEROCOPY" },
	{ "socket: XDP_SHARED_UMEM given", socket_shared_umem_flag, -EINVAL, "must not contain XDP_SHARED_UMEM" },
	{ "socket: bind flag 0x100", socket_unknown_bind_flag, -EINVAL, "unknown bind_flags 0x100" },
	{ "socket: SKB and native mode", socket_skb_and_drv, -EINVAL, "both SKB and native mode" },
	{ "socket: offload mode", socket_hw_mode, -EINVAL, "unsupported xdp_flags 0x8" },
	{ "socket: libxdp flag 0x2", socket_unknown_lib_flag, -EINVAL, "unknown libxdp_flags 0x2" },
	{ "socket: zero-copy on veth", socket_zerocopy_on_veth, -EOPNOTSUPP, "vxa does not support zero-copy" },
	{ "socket: sharer asks for zero-copy", socket_shared_asks_zerocopy, -EINVAL, "XDP_ZEROCOPY cannot be had" },
	{ "socket: sharer asks for XDP_USE_SG", socket_shared_asks_sg, -EINVAL, "(0x0); 0x10 was asked for" },
	{ "socket opts: NULL", socket_opts_null, -EFAULT, "NULL opts" },
	{ "socket opts: sz 0", socket_opts_sz_zero, -EINVAL, "sz 0 is too small" },
	{ "socket opts: no rings", socket_opts_no_rings, -EFAULT, "both are NULL" },
	{ "setup prog: ifindex 9999", setup_prog_bad_ifindex, -ENODEV, "no interface with index 9999" },
	{ "release prog: never set up", release_prog_without_setup, -ENOENT, "no xsk_setup_xdp_prog() hold" },
	{ "update xskmap: NULL socket", update_xskmap_null_socket, -EINVAL, "NULL socket" },
	{ "update xskmap: map fd -1", update_xskmap_bad_fd, -EINVAL, "bad map fd -1" },
	{ "update xskmap: not a map", update_xskmap_not_a_map, -EINVAL, "into XSKMAP fd" },
	{ "umem delete: still used", umem_delete_while_used, -EBUSY, "UMEM still has 1 socket" },
	{ "umem fd: NULL", umem_fd_of_null, -EINVAL, NULL },
	{ "socket fd: NULL", socket_fd_of_null, -EINVAL, NULL },
};

TEST(bad_input_table, .veth = true, .queues = 2)
{
	unsigned int i, n = sizeof(cases) / sizeof(cases[0]);
	struct fixture q0;

	ASSERT_GE(n, 25);
	/* A live socket on queue 0 for the cases that need one. */
	fixture_umem(&fx, 1024, 0, 0);
	fixture_socket(&fx, 0, true, false, 0, 0);

	for (i = 0; i < n; i++) {
		int got;

		msg_reset();
		new_umem = NULL;
		new_xsk = NULL;
		got = cases[i].call();
		if (got != cases[i].expect)
			FAIL("case '%s': returned %d, expected %d; last message: %s", cases[i].name,
			     got, cases[i].expect, msg_last());
		if (cases[i].message && !msg_contains(cases[i].message))
			FAIL("case '%s': no message contains \"%s\"; last: %s", cases[i].name,
			     cases[i].message, msg_last());
		if (new_umem || new_xsk)
			FAIL("case '%s': an object was returned on failure", cases[i].name);
	}
	test_log("%u bad inputs, each with its errno and message", n);

	/* The UMEM and socket are unharmed. */
	fixture_fill(&fx, &fx.fill, 512);
	sender_open(&q0, 0);
	ASSERT_EQ(fixture_tx(&q0, 64, 64, 0, 5000), 64);
	ASSERT_EQ(fixture_rx(&fx, 64, 64, 5000, NULL, 0), 64);
	sender_close(&q0);
	fixture_destroy(&fx);
}

TEST(failed_first_socket_keeps_the_fill_ring, .veth = true)
{
	struct xsk_socket_config cfg = socket_config(0, XDP_ZEROCOPY, 0);
	struct fixture f;
	int peer = peer_open();

	/* The fill ring is stocked, then zero-copy is refused... */
	fixture_umem(&f, 2048, 0, 0);
	fixture_fill(&f, &f.fill, 1024);
	ASSERT_EQ(xsk_socket__create(&f.xsk, env.if_a, 0, f.umem, &f.rx, NULL, &cfg),
		  -EOPNOTSUPP);
	ASSERT_EQ(xsk_prod_nb_free(&f.fill, 2048), 1024);
	/* ...and the copy-mode retry receives with the same 1024 buffers. */
	cfg.bind_flags = XDP_COPY;
	ASSERT_OK(xsk_socket__create(&f.xsk, env.if_a, 0, f.umem, &f.rx, NULL, &cfg));
	peer_send(peer, 512, 64, 0);
	ASSERT_EQ(fixture_rx(&f, 512, 64, 5000, NULL, 0), 512);
	fixture_destroy(&f);
	close(peer);
}

TEST(queue_taken_by_another_umem_is_ebusy, .veth = true)
{
	struct fixture a, b;
	uint64_t t0;

	fixture_umem(&a, 256, 0, 0);
	fixture_socket(&a, 0, true, false, 0, 0);
	fixture_umem(&b, 256, 0, 0);
	t0 = now_ms();
	ASSERT_EQ(xsk_socket__create(&b.xsk, env.if_a, 0, b.umem, &b.rx, NULL, NULL), -EBUSY);
	ASSERT_MSG("queue 0 of vxa is already bound");
	test_log("EBUSY reported after %llu ms", (unsigned long long)(now_ms() - t0));
	/* b is unharmed: it binds once a is gone. */
	fixture_destroy(&a);
	ASSERT_OK(xsk_socket__create(&b.xsk, env.if_a, 0, b.umem, &b.rx, NULL, NULL));
	fixture_destroy(&b);
}
