// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * sock_diag of AF_XDP sockets (what `ss --xdp` shows), by raw netlink.
 */
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/xdp_diag.h>
#include <sys/stat.h>
#include <unistd.h>
#include "abi_util.h"

/* What one socket's dump message said; have_* tell which attributes came. */
struct diag_view {
	bool found, have_info, have_uid, have_umem, have_meminfo, have_stats;
	bool have_rx, have_tx, have_fill, have_compl;
	struct xdp_diag_info info;
	__u32 uid;
	struct xdp_diag_ring rx, tx, fill, compl;
	struct xdp_diag_umem umem;
	struct xdp_diag_stats stats;
};

static void diag_attr(struct diag_view *v, const struct rtattr *a)
{
	const void *d = RTA_DATA(a);
	size_t n = RTA_PAYLOAD(a);

#define TAKE(field, flag) do {						\
		ASSERT_GE(n, sizeof(v->field));				\
		memcpy(&v->field, d, sizeof(v->field));			\
		v->flag = true;						\
	} while (0)
	switch (a->rta_type) {
	case XDP_DIAG_INFO: TAKE(info, have_info); break;
	case XDP_DIAG_UID: TAKE(uid, have_uid); break;
	case XDP_DIAG_RX_RING: TAKE(rx, have_rx); break;
	case XDP_DIAG_TX_RING: TAKE(tx, have_tx); break;
	case XDP_DIAG_UMEM: TAKE(umem, have_umem); break;
	case XDP_DIAG_UMEM_FILL_RING: TAKE(fill, have_fill); break;
	case XDP_DIAG_UMEM_COMPLETION_RING: TAKE(compl, have_compl); break;
	case XDP_DIAG_MEMINFO: v->have_meminfo = n >= 4 * SK_MEMINFO_VARS; break;
	case XDP_DIAG_STATS: TAKE(stats, have_stats); break;
	}
#undef TAKE
}

/*
 * Dump the namespace's AF_XDP sockets with @show; fill @v for the one with
 * inode @ino.  Returns the number of sockets listed, or -ENOENT when the
 * kernel has no sock_diag handler for AF_XDP.
 */
static int diag_dump(__u32 show, ino_t ino, struct diag_view *v)
{
	struct {
		struct nlmsghdr nlh;
		struct xdp_diag_req req;
	} msg = {
		.nlh = { .nlmsg_len = sizeof(msg), .nlmsg_type = SOCK_DIAG_BY_FAMILY,
			 .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP, .nlmsg_seq = 1 },
		.req = { .sdiag_family = AF_XDP, .xdiag_show = show },
	};
	static char buf[32768] __attribute__((aligned(4)));
	int sockets = 0;
	int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	bool done = false;

	ASSERT_GE(fd, 0);
	memset(v, 0, sizeof(*v));
	ASSERT_EQ(send(fd, &msg, sizeof(msg), 0), (ssize_t)sizeof(msg));
	while (!done) {
		ssize_t len = recv(fd, buf, sizeof(buf), 0);
		struct nlmsghdr *h;

		ASSERT_GT(len, 0);
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
			struct xdp_diag_msg *m = NLMSG_DATA(h);
			struct rtattr *a;
			int alen;

			if (h->nlmsg_type == NLMSG_DONE) {
				done = true;
				break;
			}
			if (h->nlmsg_type == NLMSG_ERROR) {
				int err = ((struct nlmsgerr *)NLMSG_DATA(h))->error;

				close(fd);
				if (err == -ENOENT)
					return err;
				FAIL("sock_diag: %s", strerror(-err));
			}
			ASSERT_EQ(m->xdiag_family, AF_XDP);
			ASSERT_EQ(m->xdiag_type, SOCK_RAW);
			sockets++;
			if (m->xdiag_ino != ino)
				continue;
			v->found = true;
			alen = h->nlmsg_len - NLMSG_LENGTH(sizeof(*m));
			for (a = (struct rtattr *)(m + 1); RTA_OK(a, alen); a = RTA_NEXT(a, alen))
				diag_attr(v, a);
		}
	}
	close(fd);
	return sockets;
}

static ino_t inode_of(int fd)
{
	struct stat st;

	ASSERT_SYS(fstat(fd, &st));
	return st.st_ino;
}

#define SHOW_ALL (XDP_SHOW_INFO | XDP_SHOW_RING_CFG | XDP_SHOW_UMEM | XDP_SHOW_MEMINFO | \
		  XDP_SHOW_STATS)

TEST(diag_lists_sockets_with_rings_umem_and_stats, .veth = true)
{
	const char *required = getenv("XSK_ABI_DIAG");
	struct diag_view v;
	struct redirect r;
	struct xsk x;
	int peer = peer_socket(), ready = xsk_socket_raw(), before;

	/* A socket with nothing set up: listed, unbound, nothing else. */
	before = diag_dump(SHOW_ALL, inode_of(ready), &v);
	if (before == -ENOENT) {
		/* Kernels we build have it; a distribution's may not (module). */
		if (required && !strcmp(required, "required"))
			FAIL("no sock_diag for AF_XDP, and XSK_ABI_DIAG=required");
		test_log("this kernel has no AF_XDP sock_diag (CONFIG_XDP_SOCKETS_DIAG): not checked");
		close(ready);
		close(peer);
		return;
	}
	ASSERT_TRUE(v.found);
	ASSERT_GE(before, 1);
	ASSERT_EQ(v.info.ifindex, 0);
	ASSERT_FALSE(v.have_rx);
	ASSERT_FALSE(v.have_umem);
	ASSERT_TRUE(v.have_uid);
	ASSERT_EQ(v.uid, getuid());

	/* Bound, with RX and TX rings of 64 and 128 entries. */
	xsk_open(&x, env.ifindex_a, 0, true, true, 64, XDP_COPY, NULL);
	ASSERT_EQ(diag_dump(SHOW_ALL, inode_of(x.fd), &v), before + 1);
	ASSERT_TRUE(v.found && v.have_info && v.have_meminfo && v.have_stats);
	ASSERT_EQ(v.info.ifindex, env.ifindex_a);
	ASSERT_EQ(v.info.queue_id, 0);
	ASSERT_TRUE(v.have_rx && v.have_tx && v.have_fill && v.have_compl);
	ASSERT_EQ(v.rx.entries, 64);
	ASSERT_EQ(v.tx.entries, 64);
	ASSERT_GE(v.fill.entries, 64);
	ASSERT_GE(v.compl.entries, 64);
	ASSERT_TRUE(v.have_umem);
	ASSERT_EQ(v.umem.size, x.area_size);
	ASSERT_EQ(v.umem.num_pages, x.area_size / 4096);
	ASSERT_EQ(v.umem.chunk_size, x.frame_size);
	ASSERT_EQ(v.umem.headroom, 0);
	ASSERT_EQ(v.umem.ifindex, env.ifindex_a);
	ASSERT_EQ(v.umem.queue_id, 0);
	ASSERT_EQ(v.umem.flags & XDP_DU_F_ZEROCOPY, 0);
	ASSERT_GE(v.umem.refs, 1);
	ASSERT_EQ(v.stats.n_rx_dropped, 0);

	/* Induced drops (an empty fill ring) show in the statistics. */
	redirect_attach(&r, env.ifindex_a, 1, 1);
	xskmap_set(&r, 0, x.fd);
	peer_send_frames(peer, 5, 0);
	WAIT_STAT(x.fd, rx_dropped, 5);
	diag_dump(SHOW_ALL, inode_of(x.fd), &v);
	ASSERT_EQ(v.stats.n_rx_dropped, 5);
	ASSERT_EQ(v.stats.n_fill_ring_empty, 5);
	ASSERT_EQ(v.stats.n_rx_full, 0);
	ASSERT_EQ(v.stats.n_tx_invalid, 0);

	/* Only what was asked for comes back. */
	diag_dump(XDP_SHOW_STATS, inode_of(x.fd), &v);
	ASSERT_TRUE(v.found && v.have_stats);
	ASSERT_FALSE(v.have_info || v.have_umem || v.have_rx || v.have_meminfo);

	/* A closed socket is gone from the dump. */
	redirect_detach(&r);
	{
		ino_t ino = inode_of(x.fd);

		xsk_close(&x);
		diag_dump(SHOW_ALL, ino, &v);
		ASSERT_FALSE(v.found);
	}
	close(ready);
	close(peer);
}
