// SPDX-License-Identifier: GPL-2.0
/*
 * sock_diag for AF_XDP: answers SOCK_DIAG_BY_FAMILY dump requests for
 * AF_XDP (struct xdp_diag_req, uapi/linux/xdp_diag.h), which is how
 * "ss --xdp" lists the XDP sockets of a network namespace.  Each socket
 * gets one struct xdp_diag_msg followed by the attributes that the
 * request's xdiag_show bits ask for.
 *
 * Locking.  A dump round walks net->xdp.list holding net->xdp.lock; a
 * socket leaves that list under the same mutex at the start of its release,
 * so every socket met during the walk stays allocated.  Each socket is then
 * described under its xs->mutex, which keeps its binding (state, dev,
 * queue_id), rings and UMEM from changing underneath.  The order is
 * net->xdp.lock, then xs->mutex, as in the device notifier of xsk.c.  Both
 * are mutexes: dump callbacks run in process context.
 */

#include <linux/module.h>
#include <linux/sock_diag.h>
#include <linux/xdp_diag.h>

#include "xsk.h"
#include "xsk_queue.h"

/* Size of one ring, when the socket has that ring. */
static int xdiag_ring(struct sk_buff *skb, int type, const struct xsk_queue *q)
{
	struct xdp_diag_ring ring = {};

	if (!q)
		return 0;
	ring.entries = q->nentries;
	return nla_put(skb, type, sizeof(ring), &ring);
}

static bool xdiag_bound(const struct xdp_sock *xs)
{
	return READ_ONCE(xs->state) == XSK_BOUND && xs->dev;
}

/* XDP_SHOW_INFO: where the socket is bound (zeroes if it is not), owner. */
static int xdiag_info(struct sk_buff *skb, struct xdp_sock *xs,
		      struct user_namespace *ns)
{
	struct xdp_diag_info info = {};
	uid_t uid;

	if (xdiag_bound(xs)) {
		info.ifindex = xs->dev->ifindex;
		info.queue_id = xs->queue_id;
	}
	if (nla_put(skb, XDP_DIAG_INFO, sizeof(info), &info))
		return -EMSGSIZE;

	uid = from_kuid_munged(ns, sock_i_uid(&xs->sk));
	return nla_put_u32(skb, XDP_DIAG_UID, uid);
}

/* XDP_SHOW_RING_CFG: the socket's own descriptor rings. */
static int xdiag_rings(struct sk_buff *skb, struct xdp_sock *xs)
{
	int err;

	err = xdiag_ring(skb, XDP_DIAG_RX_RING, xs->rx);
	if (!err)
		err = xdiag_ring(skb, XDP_DIAG_TX_RING, xs->tx);
	return err;
}

/* XDP_SHOW_UMEM: the UMEM in use, then the fill and completion rings. */
static int xdiag_umem(struct sk_buff *skb, struct xdp_sock *xs)
{
	const struct xdp_umem *umem = xs->umem;
	int err;

	if (umem) {
		struct xdp_diag_umem du = {
			.size = umem->size,
			.id = umem->id,
			.num_pages = umem->npgs,
			.chunk_size = umem->chunk_size,
			.headroom = umem->headroom,
			.flags = xs->zc ? XDP_DU_F_ZEROCOPY : 0,
			.refs = refcount_read(&umem->users),
		};

		if (xdiag_bound(xs)) {
			du.ifindex = xs->dev->ifindex;
			du.queue_id = xs->queue_id;
		}
		if (nla_put(skb, XDP_DIAG_UMEM, sizeof(du), &du))
			return -EMSGSIZE;
	}

	/* Before bind these are the socket's own rings, after it the pool's. */
	err = xdiag_ring(skb, XDP_DIAG_UMEM_FILL_RING, xsk_fill_queue(xs));
	if (!err)
		err = xdiag_ring(skb, XDP_DIAG_UMEM_COMPLETION_RING,
				 xsk_completion_queue(xs));
	return err;
}

/* XDP_SHOW_STATS: the counters XDP_STATISTICS reports, renamed. */
static int xdiag_stats(struct sk_buff *skb, struct xdp_sock *xs)
{
	struct xdp_statistics st = {};
	struct xdp_diag_stats ds;

	xsk_read_stats(xs, &st);
	ds = (struct xdp_diag_stats) {
		.n_rx_dropped = st.rx_dropped,
		.n_rx_invalid = st.rx_invalid_descs,
		.n_rx_full = st.rx_ring_full,
		.n_fill_ring_empty = st.rx_fill_ring_empty_descs,
		.n_tx_invalid = st.tx_invalid_descs,
		.n_tx_ring_empty = st.tx_ring_empty_descs,
	};
	return nla_put(skb, XDP_DIAG_STATS, sizeof(ds), &ds);
}

/* The attributes of one socket; called with xs->mutex held. */
static int xdiag_attrs(struct sk_buff *skb, struct xdp_sock *xs, u32 show,
		       struct user_namespace *ns)
{
	if ((show & XDP_SHOW_INFO) && xdiag_info(skb, xs, ns))
		return -EMSGSIZE;
	if ((show & XDP_SHOW_RING_CFG) && xdiag_rings(skb, xs))
		return -EMSGSIZE;
	if ((show & XDP_SHOW_UMEM) && xdiag_umem(skb, xs))
		return -EMSGSIZE;
	if ((show & XDP_SHOW_MEMINFO) &&
	    sock_diag_put_meminfo(&xs->sk, skb, XDP_DIAG_MEMINFO))
		return -EMSGSIZE;
	if ((show & XDP_SHOW_STATS) && xdiag_stats(skb, xs))
		return -EMSGSIZE;
	return 0;
}

/*
 * One socket's message.  On -EMSGSIZE nothing of it stays in @skb and the
 * dump resumes with this socket in the next round.
 */
static int xdiag_one(struct sk_buff *skb, struct netlink_callback *cb,
		     struct sock *sk, unsigned long ino)
{
	const struct xdp_diag_req *req = nlmsg_data(cb->nlh);
	struct user_namespace *ns = sk_user_ns(NETLINK_CB(cb->skb).sk);
	struct xdp_diag_msg head = {
		.xdiag_family = AF_XDP,
		.xdiag_type = sk->sk_type,
		.xdiag_ino = ino,
	};
	struct xdp_sock *xs = xdp_sk(sk);
	struct nlmsghdr *nlh;
	int err;

	sock_diag_save_cookie(sk, head.xdiag_cookie);
	nlh = nlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			SOCK_DIAG_BY_FAMILY, sizeof(head), NLM_F_MULTI);
	if (!nlh)
		return -EMSGSIZE;
	memcpy(nlmsg_data(nlh), &head, sizeof(head));

	mutex_lock(&xs->mutex);
	err = xdiag_attrs(skb, xs, req->xdiag_show, ns);
	mutex_unlock(&xs->mutex);

	if (err) {
		nlmsg_cancel(skb, nlh);
		return err;
	}
	nlmsg_end(skb, nlh);
	return 0;
}

/*
 * One round of the dump.  cb->args[0] counts the list positions already
 * dealt with.  Sockets created meanwhile go to the head of the list, so a
 * dump that takes several rounds may show a socket twice or miss a new one,
 * as other position-based dumps do.
 */
static int xdiag_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	const struct xdp_diag_req *req = nlmsg_data(cb->nlh);
	struct net *net = sock_net(skb->sk);
	unsigned long done = cb->args[0];
	unsigned long pos = 0;
	struct sock *sk;

	mutex_lock(&net->xdp.lock);
	sk_for_each(sk, &net->xdp.list) {
		unsigned long ino;

		if (pos < done) {
			pos++;
			continue;
		}
		ino = sock_i_ino(sk);
		/* A request may name one socket by its inode number. */
		if (req->xdiag_ino && req->xdiag_ino != ino) {
			pos++;
			continue;
		}
		if (xdiag_one(skb, cb, sk, ino))
			break;
		pos++;
	}
	mutex_unlock(&net->xdp.lock);

	cb->args[0] = pos;
	return skb->len;
}

static int xdiag_request(struct sk_buff *skb, struct nlmsghdr *nlh)
{
	struct netlink_dump_control ctl = {
		.dump = xdiag_dump,
	};

	/* sock_diag only checked for the common head of the request. */
	if (nlmsg_len(nlh) < sizeof(struct xdp_diag_req))
		return -EINVAL;
	/* Sockets are only listed, never looked up or destroyed one by one. */
	if (!(nlh->nlmsg_flags & NLM_F_DUMP))
		return -EOPNOTSUPP;

	return netlink_dump_start(sock_net(skb->sk)->diag_nlsk, skb, nlh, &ctl);
}

static const struct sock_diag_handler xdiag_handler = {
	.owner = THIS_MODULE,
	.family = AF_XDP,
	.dump = xdiag_request,
};

MODULE_DESCRIPTION("AF_XDP socket monitoring through sock_diag");
MODULE_LICENSE("GPL");
MODULE_ALIAS_NET_PF_PROTO_TYPE(PF_NETLINK, NETLINK_SOCK_DIAG, AF_XDP);

static int __init xdiag_register(void)
{
	return sock_diag_register(&xdiag_handler);
}
module_init(xdiag_register);

static void __exit xdiag_unregister(void)
{
	sock_diag_unregister(&xdiag_handler);
}
module_exit(xdiag_unregister);
