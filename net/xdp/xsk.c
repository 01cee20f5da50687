// SPDX-License-Identifier: GPL-2.0
/*
 * AF_XDP sockets: the address family, socket setup and its state machine,
 * and the entry points of the data path.
 *
 * States (xs->state), changed under xs->mutex (bind and the device
 * notifier also hold RTNL; close does not):
 *
 *            bind()                  device unregistered
 *    READY ---------> BOUND ---------------------------------> UNBOUND
 *
 *   READY    The UMEM and each ring may be set up, once each.  mmap() of a
 *            ring that exists works.  sendmsg()/recvmsg() are ENXIO, poll()
 *            reports nothing.  A failed bind() leaves the socket READY.
 *   BOUND    Bound to (device, queue) through a buffer pool.  Setup calls
 *            and bind() are EBUSY; mmap() of the rings that exist works;
 *            I/O works, ENETDOWN while the device is down.
 *   UNBOUND  The device went away: sk_err reported ENETDOWN once, the
 *            device and queue are released.  Setup calls, bind() and mmap()
 *            are EBUSY, I/O is ENXIO, poll() reports nothing; mapped rings
 *            and statistics stay readable.  Only close() remains.
 *
 * The data path reads the state locklessly: xsk_is_bound() pairs with the
 * release in xsk_bind_locked(), so a socket seen BOUND has its rings, pool and
 * device in place.
 *
 * close() never waits for RTNL nor for an RCU grace period: the socket
 * leaves its pool under xs->mutex, keeps its device reference until its
 * destructor (which runs a grace period later, SOCK_RCU_FREE), and the
 * queue is given back at once only when RTNL is free.  Otherwise the
 * pool, which no socket uses any more, stays registered until the next
 * bind() of that queue, the device's unregistration or the pool's last put
 * clears it, all of which hold RTNL anyway.
 *
 * Lock order: RTNL -> net->xdp.lock -> xs->mutex.  mmap() runs under the
 * mm's mmap_lock and therefore takes no socket lock (UMEM registration
 * takes mmap_lock under xs->mutex).
 */

#include <linux/capability.h>
#include <linux/if_xdp.h>
#include <linux/init.h>
#include <linux/net.h>
#include <linux/netdevice.h>
#include <linux/rculist.h>
#include <linux/sockptr.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <net/busy_poll.h>
#include <net/net_namespace.h>
#include <net/netns/xdp.h>
#include <net/sock.h>
#include <net/xdp.h>
#include <net/xdp_sock_drv.h>

#include "xsk.h"
#include "xsk_queue.h"
#include "xdp_umem.h"

#define XSK_BIND_FLAGS (XDP_SHARED_UMEM | XDP_COPY | XDP_ZEROCOPY | \
			XDP_USE_NEED_WAKEUP | XDP_USE_SG)

/* Sizes of the first versions of the structures, still accepted. */
#define XDP_UMEM_REG_V1_SIZE	offsetof(struct xdp_umem_reg, flags)
#define XDP_STATISTICS_V1_SIZE	offsetof(struct xdp_statistics, rx_ring_full)
#define XDP_RING_OFFSET_V1_SIZE	offsetof(struct xdp_ring_offset, flags)
#define XDP_MMAP_OFFSETS_V1_SIZE (4 * XDP_RING_OFFSET_V1_SIZE)

static bool xsk_is_bound(struct xdp_sock *xs)
{
	/* Pairs with smp_store_release() in xsk_bind_locked(). */
	return smp_load_acquire(&xs->state) == XSK_BOUND;
}

/**
 * xsk_fill_queue - the fill ring of a socket
 * @xs: the socket
 *
 * Return: the pool's fill ring once bound (shared by the sockets of the
 * pool), the socket's own before, or NULL.
 */
struct xsk_queue *xsk_fill_queue(struct xdp_sock *xs)
{
	/* Pairs with the release in xsk_bind_locked(): a bound socket has its pool. */
	if (smp_load_acquire(&xs->state) != XSK_READY)
		return xs->pool->fq;
	/* Pairs with the release in xsk_set_ring(): the ring is initialized. */
	return smp_load_acquire(&xs->fq_tmp);
}
EXPORT_SYMBOL_GPL(xsk_fill_queue);

/**
 * xsk_completion_queue - the completion ring of a socket
 * @xs: the socket
 *
 * Return: as xsk_fill_queue(), for the completion ring.
 */
struct xsk_queue *xsk_completion_queue(struct xdp_sock *xs)
{
	/* As in xsk_fill_queue(). */
	if (smp_load_acquire(&xs->state) != XSK_READY)
		return xs->pool->cq;
	/* As in xsk_fill_queue(). */
	return smp_load_acquire(&xs->cq_tmp);
}
EXPORT_SYMBOL_GPL(xsk_completion_queue);

/**
 * xsk_read_stats - the counters of a socket
 * @xs: the socket
 * @stats: filled in
 */
void xsk_read_stats(struct xdp_sock *xs, struct xdp_statistics *stats)
{
	struct xsk_queue *fq = xsk_fill_queue(xs);

	memset(stats, 0, sizeof(*stats));
	stats->rx_dropped = READ_ONCE(xs->rx_dropped);
	stats->rx_ring_full = READ_ONCE(xs->rx_queue_full);
	/*
	 * The kernel writes the RX ring itself: the entries the application
	 * gives for receiving, and may get wrong, are its fill ring's.
	 */
	if (fq) {
		stats->rx_invalid_descs = READ_ONCE(fq->invalid_descs);
		stats->rx_fill_ring_empty_descs = READ_ONCE(fq->queue_empty_descs);
	}
	if (xs->tx) {
		stats->tx_invalid_descs = READ_ONCE(xs->tx->invalid_descs);
		stats->tx_ring_empty_descs = READ_ONCE(xs->tx->queue_empty_descs);
	}
}
EXPORT_SYMBOL_GPL(xsk_read_stats);

/* ---- RX entry points (net/core/filter.c) ---- */

static int xsk_rcv_check(struct xdp_sock *xs, struct xdp_buff *xdp)
{
	if (!xsk_is_bound(xs))
		return -ENXIO;
	if (!xs->rx || READ_ONCE(xs->dev) != xdp->rxq->dev ||
	    xs->queue_id != xdp->rxq->queue_index)
		return -EINVAL;
	return 0;
}

/*
 * Publish what was received and what was taken from the fill ring.  XDP
 * sockets never replace sk_data_ready: call it directly, since generic
 * receive flushes once per frame.
 */
static void xsk_flush(struct xdp_sock *xs)
{
	xskq_prod_publish(xs->rx);
	xskq_cons_publish(xs->pool->fq);
	sock_def_readable(&xs->sk);
}

/**
 * xsk_generic_rcv - receive a frame redirected by generic (SKB-mode) XDP
 * @xs: the target socket
 * @xdp: the frame, backed by an skb the caller frees
 *
 * The frame is copied and published at once.
 *
 * Return: 0, or a negative errno when the frame was not received.
 */
int xsk_generic_rcv(struct xdp_sock *xs, struct xdp_buff *xdp)
{
	int err;

	err = xsk_rcv_check(xs, xdp);
	if (err)
		return err;

	/* Several CPUs may run generic XDP for one queue. */
	spin_lock_bh(&xs->pool->rx_lock);
	err = xsk_rcv_copy(xs, xdp);
	if (!err)
		xsk_flush(xs);
	spin_unlock_bh(&xs->pool->rx_lock);
	return err;
}

/**
 * __xsk_map_redirect - receive a frame redirected by native XDP
 * @xs: the target socket
 * @xdp: the frame; on success it is consumed
 *
 * The RX descriptors are published by __xsk_map_flush() at the end of the
 * NAPI poll.
 *
 * Context: NAPI of the bound queue.
 * Return: 0, or a negative errno (the caller then frees the frame).
 */
int __xsk_map_redirect(struct xdp_sock *xs, struct xdp_buff *xdp)
{
	int err;

	err = xsk_rcv_check(xs, xdp);
	if (err)
		return err;
	err = xsk_rcv_copy(xs, xdp);
	if (err)
		return err;

	xdp_return_buff(xdp);
	if (list_empty(&xs->flush_node))
		list_add(&xs->flush_node, bpf_net_ctx_get_xskmap_flush_list());
	return 0;
}

/**
 * __xsk_map_flush - publish the frames redirected during a NAPI poll
 * @flush_list: the sockets that received some
 */
void __xsk_map_flush(struct list_head *flush_list)
{
	struct xdp_sock *xs, *next;

	list_for_each_entry_safe(xs, next, flush_list, flush_node) {
		xsk_flush(xs);
		list_del_init(&xs->flush_node);
	}
}

/* ---- I/O calls ---- */

/* Common checks of sendmsg() and recvmsg(); @ring is the ring the call needs. */
static int xsk_io_check(struct xdp_sock *xs, struct xsk_queue *ring, bool blocking)
{
	struct net_device *dev = xsk_is_bound(xs) ? READ_ONCE(xs->dev) : NULL;

	/*
	 * The caller holds rcu_read_lock(): the device reference is dropped
	 * a grace period after the socket leaves BOUND at the earliest.
	 */
	if (!dev)
		return -ENXIO;
	if (!netif_running(dev))
		return -ENETDOWN;
	if (blocking)
		return -EOPNOTSUPP;
	if (!ring)
		return -ENOBUFS;
	return 0;
}

static int xsk_sendmsg(struct socket *sock, struct msghdr *m, size_t total_len)
{
	struct sock *sk = sock->sk;
	struct xdp_sock *xs = xdp_sk(sk);
	int err;

	rcu_read_lock();
	err = xsk_io_check(xs, xs->tx, !(m->msg_flags & MSG_DONTWAIT));
	rcu_read_unlock();
	if (err)
		return err;

	if (sk_can_busy_loop(sk))
		sk_busy_loop(sk, 1);
	return xsk_generic_xmit(sk);
}

static int xsk_recvmsg(struct socket *sock, struct msghdr *m, size_t len,
		       int flags)
{
	struct sock *sk = sock->sk;
	struct xdp_sock *xs = xdp_sk(sk);
	int err;

	rcu_read_lock();
	err = xsk_io_check(xs, xs->rx, !(flags & MSG_DONTWAIT));
	rcu_read_unlock();
	if (err)
		return err;

	/* Copy mode receives in softirq context: nothing to kick. */
	if (sk_can_busy_loop(sk))
		sk_busy_loop(sk, 1);
	return 0;
}

static __poll_t xsk_poll(struct file *file, struct socket *sock,
			 struct poll_table_struct *wait)
{
	struct xdp_sock *xs = xdp_sk(sock->sk);
	struct net_device *dev;
	__poll_t mask = 0;
	bool up;

	sock_poll_wait(file, sock, wait);

	rcu_read_lock();
	dev = xsk_is_bound(xs) ? READ_ONCE(xs->dev) : NULL;
	up = dev && netif_running(dev);
	rcu_read_unlock();
	if (!up)
		return 0;

	/* Copy-mode TX is driven by the application: poll() kicks it too. */
	if (xs->tx)
		xsk_generic_xmit(sock->sk);

	if (xs->rx && !xskq_shared_empty(xs->rx))
		mask |= EPOLLIN | EPOLLRDNORM;
	if (xs->tx && !xskq_shared_full(xs->tx))
		mask |= EPOLLOUT | EPOLLWRNORM;
	return mask;
}

/* ---- setsockopt ---- */

/* A ring of @entries for @slot, which must be empty; xs->mutex held. */
static int xsk_create_ring(struct xdp_sock *xs, struct xsk_queue **slot,
			   bool umem_ring, u32 entries)
{
	struct xsk_queue *q;

	if (!entries || !is_power_of_2(entries) || *slot)
		return -EINVAL;
	q = xskq_create(entries, umem_ring);
	if (!q)
		return -ENOMEM;
	/* A new TX ring asks for its first kick, need_wakeup or not. */
	if (slot == &xs->tx)
		xskq_set_flag(q, XDP_RING_NEED_WAKEUP);
	/* mmap() reads the pointer without the mutex: publish a ready ring. */
	smp_store_release(slot, q);
	return 0;
}

static int xsk_set_ring(struct xdp_sock *xs, struct xsk_queue **slot,
			bool umem_ring, sockptr_t optval, unsigned int optlen)
{
	u32 entries;
	int err;

	if (optlen < sizeof(entries))
		return -EINVAL;
	if (copy_from_sockptr(&entries, optval, sizeof(entries)))
		return -EFAULT;

	mutex_lock(&xs->mutex);
	/* The state is checked before the size: a bound socket says EBUSY. */
	err = xs->state == XSK_READY ?
	      xsk_create_ring(xs, slot, umem_ring, entries) : -EBUSY;
	mutex_unlock(&xs->mutex);
	return err;
}

static int xsk_reg_umem(struct xdp_sock *xs, sockptr_t optval, unsigned int optlen)
{
	struct xdp_umem_reg mr = {};
	struct xdp_umem *umem;
	size_t len;
	int err = 0;

	if (optlen < XDP_UMEM_REG_V1_SIZE)
		return -EINVAL;
	/* A registration shorter than the full structure has no flags. */
	len = optlen < sizeof(mr) ? XDP_UMEM_REG_V1_SIZE : sizeof(mr);
	if (copy_from_sockptr(&mr, optval, len))
		return -EFAULT;

	mutex_lock(&xs->mutex);
	if (xs->state != XSK_READY || xs->umem) {
		err = -EBUSY;
		goto out;
	}
	umem = xdp_umem_create(&mr);
	if (IS_ERR(umem)) {
		err = PTR_ERR(umem);
		goto out;
	}
	WRITE_ONCE(xs->umem, umem);
out:
	mutex_unlock(&xs->mutex);
	return err;
}

static int xsk_setsockopt(struct socket *sock, int level, int optname,
			  sockptr_t optval, unsigned int optlen)
{
	struct xdp_sock *xs = xdp_sk(sock->sk);

	if (level != SOL_XDP)
		return -ENOPROTOOPT;

	switch (optname) {
	case XDP_RX_RING:
		return xsk_set_ring(xs, &xs->rx, false, optval, optlen);
	case XDP_TX_RING:
		return xsk_set_ring(xs, &xs->tx, false, optval, optlen);
	case XDP_UMEM_FILL_RING:
		return xsk_set_ring(xs, &xs->fq_tmp, true, optval, optlen);
	case XDP_UMEM_COMPLETION_RING:
		return xsk_set_ring(xs, &xs->cq_tmp, true, optval, optlen);
	case XDP_UMEM_REG:
		return xsk_reg_umem(xs, optval, optlen);
	default:
		return -ENOPROTOOPT;
	}
}

/* ---- getsockopt ---- */

static void xsk_ring_offsets(struct xdp_ring_offset *off, bool umem_ring)
{
	off->producer = offsetof(struct xsk_ring_hdr, producer);
	off->consumer = offsetof(struct xsk_ring_hdr, consumer);
	off->flags = offsetof(struct xsk_ring_hdr, flags);
	off->desc = umem_ring ? offsetof(struct xsk_addr_ring, desc) :
				offsetof(struct xsk_desc_ring, desc);
}

/* Copy @size bytes of @val out and report @size as the option length. */
static int xsk_put_opt(char __user *optval, int __user *optlen,
		       const void *val, int size)
{
	if (copy_to_user(optval, val, size) || put_user(size, optlen))
		return -EFAULT;
	return 0;
}

static int xsk_get_mmap_offsets(char __user *optval, int __user *optlen, int len)
{
	struct xdp_mmap_offsets off = {};
	struct xdp_ring_offset *rings[] = { &off.rx, &off.tx, &off.fr, &off.cr };
	u64 v1[4 * 3];
	int i;

	xsk_ring_offsets(&off.rx, false);
	xsk_ring_offsets(&off.tx, false);
	xsk_ring_offsets(&off.fr, true);
	xsk_ring_offsets(&off.cr, true);

	if (len >= sizeof(off))
		return xsk_put_opt(optval, optlen, &off, sizeof(off));
	if (len < XDP_MMAP_OFFSETS_V1_SIZE)
		return -EINVAL;

	/* The first layout had no flags member. */
	for (i = 0; i < ARRAY_SIZE(rings); i++) {
		v1[i * 3 + 0] = rings[i]->producer;
		v1[i * 3 + 1] = rings[i]->consumer;
		v1[i * 3 + 2] = rings[i]->desc;
	}
	BUILD_BUG_ON(sizeof(v1) != XDP_MMAP_OFFSETS_V1_SIZE);
	return xsk_put_opt(optval, optlen, v1, sizeof(v1));
}

static int xsk_get_statistics(struct xdp_sock *xs, char __user *optval,
			      int __user *optlen, int len)
{
	struct xdp_statistics stats;

	if (len < XDP_STATISTICS_V1_SIZE)
		return -EINVAL;

	mutex_lock(&xs->mutex);
	xsk_read_stats(xs, &stats);
	mutex_unlock(&xs->mutex);

	if (len >= sizeof(stats))
		return xsk_put_opt(optval, optlen, &stats, sizeof(stats));
	/* The first layout had no ring-full counter: those count as dropped. */
	stats.rx_dropped += stats.rx_ring_full;
	return xsk_put_opt(optval, optlen, &stats, XDP_STATISTICS_V1_SIZE);
}

static int xsk_getsockopt(struct socket *sock, int level, int optname,
			  char __user *optval, int __user *optlen)
{
	struct xdp_sock *xs = xdp_sk(sock->sk);
	struct xdp_options opts = {};
	int len = 0;

	if (level != SOL_XDP)
		return -ENOPROTOOPT;
	if (get_user(len, optlen) || len < 0)
		return len < 0 ? -EINVAL : -EFAULT;

	switch (optname) {
	case XDP_MMAP_OFFSETS:
		return xsk_get_mmap_offsets(optval, optlen, len);
	case XDP_STATISTICS:
		return xsk_get_statistics(xs, optval, optlen, len);
	case XDP_OPTIONS:
		if (len < sizeof(opts))
			return -EINVAL;
		if (READ_ONCE(xs->zc))
			opts.flags |= XDP_OPTIONS_ZEROCOPY;
		return xsk_put_opt(optval, optlen, &opts, sizeof(opts));
	default:
		return -EOPNOTSUPP;
	}
}

/* ---- mmap ---- */

static struct xsk_queue *xsk_ring_at(struct xdp_sock *xs, loff_t offset)
{
	switch (offset) {
	case XDP_PGOFF_RX_RING:
		/* Pairs with the release in xsk_set_ring(). */
		return smp_load_acquire(&xs->rx);
	case XDP_PGOFF_TX_RING:
		/* Pairs with the release in xsk_set_ring(). */
		return smp_load_acquire(&xs->tx);
	case XDP_UMEM_PGOFF_FILL_RING:
		return xsk_fill_queue(xs);
	case XDP_UMEM_PGOFF_COMPLETION_RING:
		return xsk_completion_queue(xs);
	default:
		return NULL;
	}
}

static int xsk_mmap(struct file *file, struct socket *sock,
		    struct vm_area_struct *vma)
{
	loff_t offset = (loff_t)vma->vm_pgoff << PAGE_SHIFT;
	struct xdp_sock *xs = xdp_sk(sock->sk);
	struct xsk_queue *q;

	if (READ_ONCE(xs->state) == XSK_UNBOUND)
		return -EBUSY;
	q = xsk_ring_at(xs, offset);
	if (!q)
		return -EINVAL;
	/* Refuses a mapping larger than the ring's pages. */
	return remap_vmalloc_range(vma, q->ring, 0);
}

/* ---- bind and unbind ---- */

/*
 * The socket behind @fd, with a file reference, if it is a bound AF_XDP
 * socket.  Any fd that is no socket, closed or not, is ENOTSOCK.
 */
static struct socket *xsk_lookup_umem_owner(u32 fd)
{
	struct socket *sock;
	int err;

	sock = sockfd_lookup(fd, &err);
	if (!sock)
		return ERR_PTR(-ENOTSOCK);
	err = sock->sk->sk_family != PF_XDP ? -ENOPROTOOPT :
	      !xsk_is_bound(xdp_sk(sock->sk)) ? -EBADF : 0;
	if (!err)
		return sock;
	sockfd_put(sock);
	return ERR_PTR(err);
}

/*
 * May a new pool take (@dev, @queue_id)?  A pool left there by sockets that
 * all closed without RTNL (see the top of the file) is cleared now: no
 * socket can join it any more.
 *
 * Context: RTNL held.
 * Return: 0, or -EBUSY when a bound socket uses the queue.
 */
static int xsk_claim_queue(struct net_device *dev, u32 queue_id)
{
	struct xsk_buff_pool *pool = xsk_get_pool_from_qid(dev, queue_id);

	if (!pool)
		return 0;
	if (atomic_read(&pool->xsk_bound))
		return -EBUSY;
	xp_clear_dev(pool);
	return 0;
}

/*
 * XDP_SHARED_UMEM: use the UMEM of the socket behind @fd.  On its device
 * and queue the socket joins that socket's pool (and must bring no fill or
 * completion ring); elsewhere it needs both and gets a pool of its own.
 */
static int xsk_bind_shared(struct xdp_sock *xs, u32 fd, struct net_device *dev,
			   u32 queue_id)
{
	struct xsk_buff_pool *pool;
	struct xdp_sock *owner;
	struct socket *sock;
	int err = 0;

	if (xs->umem)
		return -EINVAL;
	sock = xsk_lookup_umem_owner(fd);
	if (IS_ERR(sock))
		return PTR_ERR(sock);
	owner = xdp_sk(sock->sk);

	if (owner->dev == dev && owner->queue_id == queue_id) {
		if (xs->fq_tmp || xs->cq_tmp) {
			err = -EINVAL;
			goto out;
		}
		pool = owner->pool;
		xp_get_pool(pool);
		/*
		 * The owner stays bound while we hold its file and RTNL (close
		 * and the notifier are excluded), so the count is not zero.
		 */
		atomic_inc(&pool->xsk_bound);
	} else {
		if (!xs->fq_tmp || !xs->cq_tmp) {
			err = -EINVAL;
			goto out;
		}
		err = xsk_claim_queue(dev, queue_id);
		if (err)
			goto out;
		pool = xp_create_and_assign_umem(xs, owner->umem);
		if (!pool) {
			err = -ENOMEM;
			goto out;
		}
		err = xp_assign_dev(pool, dev, queue_id, owner->pool->uses_need_wakeup ?
				    XDP_USE_NEED_WAKEUP : 0);
		if (err) {
			xp_put_pool(pool);
			goto out;
		}
	}
	xdp_get_umem(owner->umem);
	xs->umem = owner->umem;
	xs->pool = pool;
	xs->sg = owner->umem->flags & XDP_UMEM_SG_FLAG;
out:
	sockfd_put(sock);
	return err;
}

/* A socket with a UMEM, fill and completion rings of its own. */
static int xsk_bind_own(struct xdp_sock *xs, u16 flags, struct net_device *dev,
			u32 queue_id)
{
	struct xsk_buff_pool *pool;
	int err;

	if (!xs->umem || !xs->fq_tmp || !xs->cq_tmp)
		return -EINVAL;
	if ((flags & XDP_COPY) && (flags & XDP_ZEROCOPY))
		return -EINVAL;
	if (flags & XDP_ZEROCOPY) {
		net_info_ratelimited("%s: AF_XDP zero-copy is not implemented yet (queue %u); bind with XDP_COPY or no mode flag\n",
				     dev->name, queue_id);
		return -EOPNOTSUPP;
	}
	err = xsk_claim_queue(dev, queue_id);
	if (err)
		return err;

	pool = xp_create_and_assign_umem(xs, xs->umem);
	if (!pool)
		return -ENOMEM;
	err = xp_assign_dev(pool, dev, queue_id, flags);
	if (err) {
		xp_put_pool(pool);
		return err;
	}
	xs->pool = pool;
	xs->sg = flags & XDP_USE_SG;
	return 0;
}

/* bind() of a READY socket; RTNL and xs->mutex held. */
static int xsk_bind_locked(struct xdp_sock *xs, const struct sockaddr_xdp *sxdp)
{
	struct sock *sk = &xs->sk;
	u32 queue_id = sxdp->sxdp_queue_id;
	u16 flags = sxdp->sxdp_flags;
	struct net_device *dev;
	int err = -EINVAL;

	dev = dev_get_by_index(sock_net(sk), sxdp->sxdp_ifindex);
	if (!dev)
		return -ENODEV;
	if (!xs->rx && !xs->tx)
		goto out_put;
	if (sk->sk_bound_dev_if && sk->sk_bound_dev_if != dev->ifindex)
		goto out_put;
	if (queue_id >= max(dev->real_num_rx_queues, dev->real_num_tx_queues))
		goto out_put;

	if (flags & XDP_SHARED_UMEM)
		err = xsk_bind_shared(xs, sxdp->sxdp_shared_umem_fd, dev, queue_id);
	else
		err = xsk_bind_own(xs, flags, dev, queue_id);
	if (err)
		goto out_put;

	/* The device reference taken above is the socket's from here on. */
	xs->dev = dev;
	xs->queue_id = queue_id;
	xs->zc = false;
	xp_add_xsk(xs->pool, xs);
	/* A socket joining a pool takes its TX wakeup state. */
	if (xs->tx && !(xs->pool->cached_need_wakeup & XDP_WAKEUP_TX))
		xskq_clear_flag(xs->tx, XDP_RING_NEED_WAKEUP);
	/* Everything above is visible to whoever sees BOUND. */
	smp_store_release(&xs->state, XSK_BOUND);
	return 0;

out_put:
	dev_put(dev);
	return err;
}

static int xsk_bind(struct socket *sock, struct sockaddr *addr, int addr_len)
{
	struct sockaddr_xdp *sxdp = (struct sockaddr_xdp *)addr;
	struct xdp_sock *xs = xdp_sk(sock->sk);
	int err;

	/* The address alone, before any lock. */
	if (addr_len < sizeof(*sxdp) || sxdp->sxdp_family != AF_XDP)
		return -EINVAL;
	if (sxdp->sxdp_flags & ~XSK_BIND_FLAGS)
		return -EINVAL;
	if ((sxdp->sxdp_flags & XDP_SHARED_UMEM) &&
	    (sxdp->sxdp_flags & ~XDP_SHARED_UMEM))
		return -EINVAL;

	rtnl_lock();
	mutex_lock(&xs->mutex);
	err = xs->state == XSK_READY ? xsk_bind_locked(xs, sxdp) : -EBUSY;
	mutex_unlock(&xs->mutex);
	rtnl_unlock();
	return err;
}

/*
 * Leave the pool: the data path and I/O calls stop at the new state, and
 * the TX ring leaves the pool's list.  xs->dev stays: lockless readers that
 * saw the socket BOUND may still be using it.
 *
 * Context: xs->mutex held, the socket BOUND.
 * Return: true when @xs was the last socket bound through its pool; the
 * caller then gives the queue back (xp_clear_dev(), under RTNL).
 */
static bool xsk_leave_pool(struct xdp_sock *xs)
{
	WRITE_ONCE(xs->state, XSK_UNBOUND);
	xp_del_xsk(xs->pool, xs);
	return atomic_dec_and_test(&xs->pool->xsk_bound);
}

/* close() of a bound socket: RTNL only if nobody holds it. */
static void xsk_unbind_on_close(struct xdp_sock *xs)
{
	bool last = false;

	mutex_lock(&xs->mutex);
	if (xs->state == XSK_BOUND)
		last = xsk_leave_pool(xs);
	mutex_unlock(&xs->mutex);

	if (last && rtnl_trylock()) {
		xp_clear_dev(xs->pool);
		rtnl_unlock();
	}
}

/* ---- socket life ---- */

/* Make @sk visible to sock_diag and the device notifier, or hide it again. */
static void xsk_list_update(struct net *net, struct sock *sk, bool add)
{
	mutex_lock(&net->xdp.lock);
	if (add)
		sk_add_node_rcu(sk, &net->xdp.list);
	else
		sk_del_node_init_rcu(sk);
	mutex_unlock(&net->xdp.lock);
	sock_prot_inuse_add(net, sk->sk_prot, add ? 1 : -1);
}

static int xsk_release(struct socket *sock)
{
	struct sock *sk = sock->sk;
	struct xdp_sock *xs;
	struct net *net;

	if (!sk)
		return 0;
	xs = xdp_sk(sk);
	net = sock_net(sk);

	xsk_list_update(net, sk, false);

	/* No new redirect finds the socket once it is out of every XSKMAP. */
	xsk_map_remove_socket(xs);
	xsk_unbind_on_close(xs);

	sock_orphan(sk);
	sock->sk = NULL;
	sock_put(sk);
	return 0;
}

/*
 * The last reference is gone, an RCU grace period after release (the
 * socket is SOCK_RCU_FREE), so no redirect can still hold it.  May run in
 * softirq context: the pool and UMEM are freed from work items.
 */
static void xsk_destruct(struct sock *sk)
{
	struct xdp_sock *xs = xdp_sk(sk);

	if (!sock_flag(sk, SOCK_DEAD))
		return;
	xskq_destroy(xs->rx);
	xskq_destroy(xs->tx);
	xskq_destroy(xs->fq_tmp);
	xskq_destroy(xs->cq_tmp);
	xp_put_pool(xs->pool);
	xdp_put_umem(xs->umem, true);
	/* Closed while bound: the reference kept for lockless readers. */
	dev_put(xs->dev);
}

/* "XDP" in /proc/net/protocols, with the count of sockets in use. */
static struct proto xsk_proto = {
	.obj_size	= sizeof(struct xdp_sock),
	.name		= "XDP",
	.owner		= THIS_MODULE,
};

/* What an XDP socket does; everything else is refused by the generic stubs. */
static const struct proto_ops xsk_proto_ops = {
	.bind		= xsk_bind,
	.setsockopt	= xsk_setsockopt,
	.getsockopt	= xsk_getsockopt,
	.mmap		= xsk_mmap,
	.poll		= xsk_poll,
	.sendmsg	= xsk_sendmsg,
	.recvmsg	= xsk_recvmsg,
	.release	= xsk_release,
	.ioctl		= sock_no_ioctl,
	.getname	= sock_no_getname,
	.listen		= sock_no_listen,
	.accept		= sock_no_accept,
	.connect	= sock_no_connect,
	.shutdown	= sock_no_shutdown,
	.socketpair	= sock_no_socketpair,
	.family		= PF_XDP,
	.owner		= THIS_MODULE,
};

/* Who may open an XDP socket: CAP_NET_RAW first, then type and protocol. */
static int xsk_may_create(struct net *net, struct socket *sock, int protocol)
{
	if (!ns_capable(net->user_ns, CAP_NET_RAW))
		return -EPERM;
	if (sock->type != SOCK_RAW)
		return -ESOCKTNOSUPPORT;
	return protocol ? -EPROTONOSUPPORT : 0;
}

static int xsk_create(struct net *net, struct socket *sock, int protocol,
		      int kern)
{
	struct xdp_sock *xs;
	struct sock *sk;
	int err;

	err = xsk_may_create(net, sock, protocol);
	if (err)
		return err;
	sk = sk_alloc(net, PF_XDP, GFP_KERNEL, &xsk_proto, kern);
	if (!sk)
		return -ENOBUFS;

	/* sk_alloc() set the family; sock_init_data() the default callbacks. */
	sock_init_data(sock, sk);
	sk->sk_destruct = xsk_destruct;
	/* Redirects look sockets up under RCU: free them after a grace period. */
	sock_set_flag(sk, SOCK_RCU_FREE);
	sock->ops = &xsk_proto_ops;
	sock->state = SS_UNCONNECTED;

	xs = xdp_sk(sk);
	INIT_LIST_HEAD(&xs->flush_node);
	INIT_LIST_HEAD(&xs->tx_list);
	INIT_LIST_HEAD(&xs->map_list);
	spin_lock_init(&xs->map_list_lock);
	mutex_init(&xs->mutex);
	xs->state = XSK_READY;

	xsk_list_update(net, sk, true);
	return 0;
}

static const struct net_proto_family xsk_family_ops = {
	.family = PF_XDP,
	.create = xsk_create,
	.owner	= THIS_MODULE,
};

/*
 * A device going away unbinds every socket bound to it: each leaves its
 * pool and reports ENETDOWN; one grace period later, when no lockless
 * reader can still see the device through them, their references go.
 *
 * Context: RTNL held; net->xdp.lock keeps the sockets (close waits for it).
 */
static void xsk_unbind_dev_sockets(struct net *net, struct net_device *dev)
{
	bool any = false;
	struct sock *sk;

	sk_for_each(sk, &net->xdp.list) {
		struct xdp_sock *xs = xdp_sk(sk);

		mutex_lock(&xs->mutex);
		if (xs->state == XSK_BOUND && xs->dev == dev) {
			WRITE_ONCE(sk->sk_err, ENETDOWN);
			if (!sock_flag(sk, SOCK_DEAD))
				sk_error_report(sk);
			if (xsk_leave_pool(xs))
				xp_clear_dev(xs->pool);
			any = true;
		}
		mutex_unlock(&xs->mutex);
	}
	if (!any)
		return;

	synchronize_net();
	sk_for_each(sk, &net->xdp.list) {
		struct xdp_sock *xs = xdp_sk(sk);

		mutex_lock(&xs->mutex);
		if (xs->state == XSK_UNBOUND && xs->dev == dev) {
			WRITE_ONCE(xs->dev, NULL);
			dev_put(dev);
		}
		mutex_unlock(&xs->mutex);
	}
}

static int xsk_netdev_event(struct notifier_block *nb, unsigned long event,
			    void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct net *net = dev_net(dev);

	if (event != NETDEV_UNREGISTER)
		return NOTIFY_DONE;

	mutex_lock(&net->xdp.lock);
	xsk_unbind_dev_sockets(net, dev);
	mutex_unlock(&net->xdp.lock);
	xsk_clear_orphan_pools(dev);
	return NOTIFY_DONE;
}

static struct notifier_block xsk_netdev_notifier = {
	.notifier_call = xsk_netdev_event,
};

/* Every namespace keeps its XDP sockets on a list, for sock_diag and the notifier. */
static int __net_init xsk_net_init(struct net *net)
{
	INIT_HLIST_HEAD(&net->xdp.list);
	mutex_init(&net->xdp.lock);
	return 0;
}

static struct pernet_operations xsk_net_ops = {
	.init = xsk_net_init,
};

/*
 * The namespace lists and the notifier come first: both must exist before
 * the first socket can.
 */
static int __init xsk_init(void)
{
	int err;

	err = register_pernet_subsys(&xsk_net_ops);
	if (err)
		return err;
	err = register_netdevice_notifier(&xsk_netdev_notifier);
	if (err)
		goto err_pernet;
	err = proto_register(&xsk_proto, 0);
	if (err)
		goto err_notifier;
	err = sock_register(&xsk_family_ops);
	if (!err)
		return 0;

	proto_unregister(&xsk_proto);
err_notifier:
	unregister_netdevice_notifier(&xsk_netdev_notifier);
err_pernet:
	unregister_pernet_subsys(&xsk_net_ops);
	return err;
}

fs_initcall(xsk_init);
