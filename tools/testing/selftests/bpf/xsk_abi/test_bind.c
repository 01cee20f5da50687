// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bind() of AF_XDP sockets in every state, and what a bound socket still
 * allows, by raw syscalls.
 */
#include <fcntl.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <poll.h>
#include <sys/mman.h>
#include <unistd.h>

#include "abi_util.h"

static int bind_len(int fd, int ifindex, __u32 queue, __u16 flags, socklen_t len, __u16 family)
{
	struct sockaddr_xdp sxdp = {
		.sxdp_family = family, .sxdp_flags = flags,
		.sxdp_ifindex = ifindex, .sxdp_queue_id = queue,
	};

	return bind(fd, (struct sockaddr *)&sxdp, len) ? -errno : 0;
}

TEST(bind_before_rings_and_umem, .veth = true)
{
	int ifx = env.ifindex_a, fd = xsk_socket_raw();
	struct xsk x = { .fd = fd };

	/* The address itself. */
	ASSERT_EQ(bind_len(fd, ifx, 0, 0, sizeof(struct sockaddr_xdp) - 1, AF_XDP), -EINVAL);
	ASSERT_EQ(bind_len(fd, ifx, 0, 0, sizeof(struct sockaddr_xdp), AF_PACKET), -EINVAL);
	ASSERT_EQ(bind_len(fd, ifx, 0, 1 << 5, sizeof(struct sockaddr_xdp), AF_XDP), -EINVAL);
	ASSERT_EQ(bind_len(fd, ifx, 0, 1 << 15, sizeof(struct sockaddr_xdp), AF_XDP), -EINVAL);
	/* An unknown device is ENODEV even before there is a ring to bind. */
	ASSERT_EQ(xsk_bind_raw(fd, 0, 0, 0, 0), -ENODEV);
	ASSERT_EQ(xsk_bind_raw(fd, 0x7fff0000, 0, 0, 0), -ENODEV);
	/* No RX and no TX ring. */
	ASSERT_EQ(xsk_bind_raw(fd, ifx, 0, 0, 0), -EINVAL);
	ASSERT_EQ(xsk_bind_raw(fd, ifx, 0, XDP_COPY, 0), -EINVAL);
	/* An RX ring but no UMEM. */
	ASSERT_OK(xsk_set_ring(fd, XDP_RX_RING, 64));
	ASSERT_EQ(xsk_bind_raw(fd, ifx, 0, 0, 0), -EINVAL);
	ASSERT_EQ(xsk_bind_raw(fd, 0x7fff0000, 0, 0, 0), -ENODEV);
	/* A UMEM but neither fill nor completion ring, then only one of them. */
	ASSERT_OK(xsk_umem_raw(&x, 64, 4096));
	ASSERT_EQ(xsk_bind_raw(fd, ifx, 0, 0, 0), -EINVAL);
	ASSERT_OK(xsk_set_ring(fd, XDP_UMEM_FILL_RING, 64));
	ASSERT_EQ(xsk_bind_raw(fd, ifx, 0, 0, 0), -EINVAL);
	ASSERT_OK(xsk_set_ring(fd, XDP_UMEM_COMPLETION_RING, 64));
	/* Complete now: the device and the queue must still be right. */
	ASSERT_EQ(xsk_bind_raw(fd, 0x7fff0000, 0, 0, 0), -ENODEV);
	ASSERT_EQ(xsk_bind_raw(fd, ifx, 1, 0, 0), -EINVAL);	/* a 1-queue veth */
	ASSERT_EQ(xsk_bind_raw(fd, ifx, 0xffffffff, 0, 0), -EINVAL);
	ASSERT_EQ(xsk_bind_raw(fd, ifx, 0, XDP_COPY | XDP_ZEROCOPY, 0), -EINVAL);
	/* veth has no zero-copy: forcing it fails, and leaves the socket bindable. */
	ASSERT_EQ(xsk_bind_raw(fd, ifx, 0, XDP_ZEROCOPY, 0), -EOPNOTSUPP);
	/* A shared-UMEM bind of a socket with a UMEM of its own. */
	{
		int other = xsk_socket_raw();

		ASSERT_EQ(xsk_bind_raw(fd, ifx, 0, XDP_SHARED_UMEM, other), -EINVAL);
		close(other);
	}
	/* A socket bound to another device with SO_BINDTODEVICE: EINVAL. */
	ASSERT_SYS(setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, "lo", 3));
	ASSERT_EQ(xsk_bind_raw(fd, ifx, 0, XDP_COPY, 0), -EINVAL);
	ASSERT_SYS(setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, env.if_a, strlen(env.if_a) + 1));
	/* Every failure left the socket unbound: now it binds, in copy mode. */
	ASSERT_EQ(xsk_bind_raw(fd, ifx, 0, XDP_COPY, 0), 0);
	xsk_close(&x);
}

TEST(bind_default_mode_falls_back_to_copy, .veth = true)
{
	struct xdp_options opts = { ~0u };
	socklen_t len = sizeof(opts);
	struct xsk x;

	/* No flag and XDP_USE_NEED_WAKEUP: copy mode on veth, silently. */
	xsk_open(&x, env.ifindex_a, 0, true, true, 64, XDP_USE_NEED_WAKEUP, NULL);
	ASSERT_SYS(getsockopt(x.fd, SOL_XDP, XDP_OPTIONS, &opts, &len));
	ASSERT_EQ(opts.flags & XDP_OPTIONS_ZEROCOPY, 0);
	ASSERT_EQ(len, 4);
	/* TX needs a first wakeup: its flag is set from the start. */
	ASSERT_EQ(ring_load(x.tx.flags) & XDP_RING_NEED_WAKEUP, XDP_RING_NEED_WAKEUP);
	xsk_close(&x);
}

TEST(bound_socket_is_frozen, .veth = true)
{
	struct abi_umem_reg mr;
	struct xsk x, y;
	void *p;

	xsk_open(&x, env.ifindex_a, 0, true, false, 64, XDP_COPY, NULL);
	/* A second bind, to the same or another queue/device: EBUSY. */
	ASSERT_EQ(xsk_bind_raw(x.fd, env.ifindex_a, 0, XDP_COPY, 0), -EBUSY);
	ASSERT_EQ(xsk_bind_raw(x.fd, 0x7fff0000, 0, 0, 0), -EBUSY);
	/* Every ring, set or not, is EBUSY after bind. */
	ASSERT_EQ(xsk_set_ring(x.fd, XDP_RX_RING, 64), -EBUSY);
	ASSERT_EQ(xsk_set_ring(x.fd, XDP_TX_RING, 64), -EBUSY);
	ASSERT_EQ(xsk_set_ring(x.fd, XDP_UMEM_FILL_RING, 64), -EBUSY);
	ASSERT_EQ(xsk_set_ring(x.fd, XDP_UMEM_COMPLETION_RING, 64), -EBUSY);
	/* Zero or not a power of two: the state is checked before the size. */
	ASSERT_EQ(xsk_set_ring(x.fd, XDP_TX_RING, 3), -EBUSY);
	mr = (struct abi_umem_reg){ .addr = (uintptr_t)x.area, .len = x.area_size,
				    .chunk_size = 4096 };
	ASSERT_ERRNO(setsockopt(x.fd, SOL_XDP, XDP_UMEM_REG, &mr, sizeof(mr)), EBUSY);

	/* The queue is taken: another socket with a UMEM of its own is EBUSY. */
	xsk_prepare(&y, true, false, 64, NULL, false);
	ASSERT_EQ(xsk_bind_raw(y.fd, env.ifindex_a, 0, XDP_COPY, 0), -EBUSY);
	ASSERT_EQ(xsk_bind_raw(y.fd, env.ifindex_a, 0, 0, 0), -EBUSY);

	/* mmap after bind: the rings that exist map, the missing TX does not. */
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, x.fd, XDP_PGOFF_RX_RING);
	ASSERT_TRUE(p != MAP_FAILED);
	munmap(p, 4096);
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, x.fd, XDP_UMEM_PGOFF_FILL_RING);
	ASSERT_TRUE(p != MAP_FAILED);
	/* The fill ring mapped after bind is the one mapped before. */
	ring_store(x.fq.producer, 5);
	ASSERT_EQ(*(volatile __u32 *)((char *)p + ((char *)x.fq.producer - (char *)x.fq.map)), 5);
	ring_store(x.fq.producer, 0);
	munmap(p, 4096);
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, x.fd, XDP_UMEM_PGOFF_COMPLETION_RING);
	ASSERT_TRUE(p != MAP_FAILED);
	munmap(p, 4096);
	ASSERT_ERRNO(mmap(NULL, 4096, PROT_READ, MAP_SHARED, x.fd, XDP_PGOFF_TX_RING) ==
		     MAP_FAILED ? -1 : 0, EINVAL);
	ASSERT_ERRNO(mmap(NULL, 1 << 20, PROT_READ, MAP_SHARED, x.fd, XDP_PGOFF_RX_RING) ==
		     MAP_FAILED ? -1 : 0, EINVAL);

	/*
	 * After the first socket goes, the queue is free again: not at once
	 * (the kernel releases the buffer pool from a work item), but soon.
	 */
	xsk_close(&x);
	ASSERT_EQ(xsk_bind_retry(y.fd, env.ifindex_a, 0, XDP_COPY, 0), 0);
	xsk_close(&y);
}

TEST(bind_shared_umem_rules, .veth = true, .queues = 2)
{
	int ifx = env.ifindex_a, devnull, udp, unbound;
	struct xsk owner, s, t;

	xsk_open(&owner, ifx, 0, true, true, 64, XDP_COPY, NULL);

	/*
	 * The fd: not open and not a socket are both ENOTSOCK, another
	 * family's socket is ENOPROTOOPT, an unbound AF_XDP socket EBADF.
	 */
	xsk_prepare(&s, true, false, 64, &owner, false);
	ASSERT_EQ(xsk_bind_raw(s.fd, ifx, 0, XDP_SHARED_UMEM, 9999), -ENOTSOCK);
	devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
	ASSERT_EQ(xsk_bind_raw(s.fd, ifx, 0, XDP_SHARED_UMEM, devnull), -ENOTSOCK);
	udp = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	ASSERT_EQ(xsk_bind_raw(s.fd, ifx, 0, XDP_SHARED_UMEM, udp), -ENOPROTOOPT);
	unbound = xsk_socket_raw();
	ASSERT_EQ(xsk_bind_raw(s.fd, ifx, 0, XDP_SHARED_UMEM, unbound), -EBADF);
	/* Itself (unbound). */
	ASSERT_EQ(xsk_bind_raw(s.fd, ifx, 0, XDP_SHARED_UMEM, s.fd), -EBADF);
	close(devnull);
	close(udp);
	close(unbound);
	/* No other flag goes with XDP_SHARED_UMEM. */
	ASSERT_EQ(xsk_bind_raw(s.fd, ifx, 0, XDP_SHARED_UMEM | XDP_COPY, owner.fd), -EINVAL);
	ASSERT_EQ(xsk_bind_raw(s.fd, ifx, 0, XDP_SHARED_UMEM | XDP_ZEROCOPY, owner.fd), -EINVAL);
	ASSERT_EQ(xsk_bind_raw(s.fd, ifx, 0, XDP_SHARED_UMEM | XDP_USE_NEED_WAKEUP, owner.fd),
		  -EINVAL);
	ASSERT_EQ(xsk_bind_raw(s.fd, ifx, 0, XDP_SHARED_UMEM | ABI_XDP_USE_SG, owner.fd),
		  -EINVAL);
	/* Unknown device first, then the queue. */
	ASSERT_EQ(xsk_bind_raw(s.fd, 0x7fff0000, 0, XDP_SHARED_UMEM, owner.fd), -ENODEV);
	/* The same queue, no rings of its own: shares the owner's fill/completion. */
	ASSERT_EQ(xsk_bind_raw(s.fd, ifx, 0, XDP_SHARED_UMEM, owner.fd), 0);
	ASSERT_EQ(xsk_bind_raw(s.fd, ifx, 0, XDP_SHARED_UMEM, owner.fd), -EBUSY);

	/* The same queue with fill/completion rings of its own: EINVAL. */
	xsk_prepare(&t, true, false, 64, &owner, true);
	ASSERT_EQ(xsk_bind_raw(t.fd, ifx, 0, XDP_SHARED_UMEM, owner.fd), -EINVAL);
	/* Another queue needs rings of its own: with them it binds. */
	ASSERT_EQ(xsk_bind_raw(t.fd, ifx, 1, XDP_SHARED_UMEM, owner.fd), 0);
	xsk_close(&t);

	/* Another queue without fill/completion rings: EINVAL. */
	xsk_prepare(&t, true, false, 64, &owner, false);
	ASSERT_EQ(xsk_bind_raw(t.fd, ifx, 1, XDP_SHARED_UMEM, owner.fd), -EINVAL);
	/* ...or beyond the device's queues. */
	ASSERT_EQ(xsk_bind_raw(t.fd, ifx, 2, XDP_SHARED_UMEM, owner.fd), -EINVAL);
	xsk_close(&t);

	/* Sharing a socket that shares: allowed, it is bound. */
	xsk_prepare(&t, true, false, 64, &owner, false);
	ASSERT_EQ(xsk_bind_raw(t.fd, ifx, 0, XDP_SHARED_UMEM, s.fd), 0);
	xsk_close(&t);
	xsk_close(&s);
	xsk_close(&owner);
}

TEST(io_calls_by_state, .veth = true)
{
	struct pollfd pfd;
	struct xsk x, rxonly, txonly;
	char b;
	int fd = xsk_socket_raw();

	/* Unbound: sendto and recv are ENXIO, poll reports nothing. */
	ASSERT_OK(xsk_set_ring(fd, XDP_RX_RING, 64));
	ASSERT_OK(xsk_set_ring(fd, XDP_TX_RING, 64));
	ASSERT_ERRNO(sendto(fd, NULL, 0, MSG_DONTWAIT, NULL, 0), ENXIO);
	ASSERT_ERRNO(recv(fd, &b, 1, MSG_DONTWAIT), ENXIO);
	pfd = (struct pollfd){ .fd = fd, .events = POLLIN | POLLOUT };
	ASSERT_EQ(poll(&pfd, 1, 0), 0);
	close(fd);

	xsk_open(&x, env.ifindex_a, 0, true, true, 64, XDP_COPY, NULL);
	/* Blocking I/O is not supported. */
	ASSERT_ERRNO(sendto(x.fd, NULL, 0, 0, NULL, 0), EOPNOTSUPP);
	ASSERT_ERRNO(recv(x.fd, &b, 1, 0), EOPNOTSUPP);
	/* Non-blocking: fine; nothing to receive is still success. */
	ASSERT_EQ(sendto(x.fd, NULL, 0, MSG_DONTWAIT, NULL, 0), 0);
	ASSERT_EQ(recv(x.fd, &b, 1, MSG_DONTWAIT), 0);
	/* An empty TX ring is writable, an empty RX ring is not readable. */
	pfd = (struct pollfd){ .fd = x.fd, .events = POLLIN | POLLOUT };
	ASSERT_EQ(poll(&pfd, 1, 0), 1);
	ASSERT_EQ(pfd.revents, POLLOUT);
	xsk_close(&x);

	/* Without the ring the call needs: ENOBUFS. */
	xsk_open(&rxonly, env.ifindex_a, 0, true, false, 64, XDP_COPY, NULL);
	ASSERT_ERRNO(sendto(rxonly.fd, NULL, 0, MSG_DONTWAIT, NULL, 0), ENOBUFS);
	ASSERT_EQ(recv(rxonly.fd, &b, 1, MSG_DONTWAIT), 0);
	xsk_close(&rxonly);
	xsk_open(&txonly, env.ifindex_a, 0, false, true, 64, XDP_COPY, NULL);
	ASSERT_ERRNO(recv(txonly.fd, &b, 1, MSG_DONTWAIT), ENOBUFS);
	ASSERT_EQ(sendto(txonly.fd, NULL, 0, MSG_DONTWAIT, NULL, 0), 0);
	xsk_close(&txonly);
}

TEST(device_down_is_enetdown, .veth = true)
{
	struct pollfd pfd;
	struct xsk x;
	char b;

	xsk_open(&x, env.ifindex_a, 0, true, true, 64, XDP_COPY, NULL);
	ASSERT_EQ(run_cmdf("ip -n %s link set %s down", env.ns_a, env.if_a), 0);
	ASSERT_ERRNO(sendto(x.fd, NULL, 0, MSG_DONTWAIT, NULL, 0), ENETDOWN);
	ASSERT_ERRNO(recv(x.fd, &b, 1, MSG_DONTWAIT), ENETDOWN);
	pfd = (struct pollfd){ .fd = x.fd, .events = POLLIN | POLLOUT };
	ASSERT_EQ(poll(&pfd, 1, 0), 0);
	/* Still bound. */
	ASSERT_EQ(xsk_bind_raw(x.fd, env.ifindex_a, 0, XDP_COPY, 0), -EBUSY);
	ASSERT_EQ(run_cmdf("ip -n %s link set %s up", env.ns_a, env.if_a), 0);
	ASSERT_EQ(sendto(x.fd, NULL, 0, MSG_DONTWAIT, NULL, 0), 0);
	xsk_close(&x);
}

/* ETHTOOL_SCHANNELS of env.if_a to @n RX and @n TX queues: 0 or -errno. */
static int set_queues(unsigned int n)
{
	struct ethtool_channels ch = { .cmd = ETHTOOL_GCHANNELS };
	struct ifreq ifr = { 0 };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), err = 0;

	ASSERT_GE(fd, 0);
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", env.if_a);
	ifr.ifr_data = (void *)&ch;
	ASSERT_SYS(ioctl(fd, SIOCETHTOOL, &ifr));
	ch.cmd = ETHTOOL_SCHANNELS;
	ch.rx_count = n;
	ch.tx_count = n;
	if (ioctl(fd, SIOCETHTOOL, &ifr))
		err = -errno;
	close(fd);
	return err;
}

TEST(queue_count_cannot_drop_a_bound_queue, .veth = true, .queues = 4)
{
	struct xsk x;

	/* A socket on queue 3: the device cannot shrink below 4 queues. */
	xsk_open(&x, env.ifindex_a, 3, true, true, 64, XDP_COPY, NULL);
	ASSERT_EQ(set_queues(2), -EINVAL);
	ASSERT_EQ(set_queues(4), 0);
	/* The socket is untouched: still bound, and it sends. */
	ASSERT_EQ(xsk_bind_raw(x.fd, env.ifindex_a, 3, XDP_COPY, 0), -EBUSY);
	ASSERT_EQ(xsk_kick(x.fd), 0);
	/* Closed, its queue no longer holds the count. */
	xsk_close(&x);
	for (int i = 0; i < 200 && set_queues(2) == -EINVAL; i++)
		usleep(5000);
	ASSERT_EQ(set_queues(2), 0);
}
