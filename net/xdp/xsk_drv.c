// SPDX-License-Identifier: GPL-2.0
/*
 * The driver side of AF_XDP: which pool a queue has, the need_wakeup flags,
 * and zero-copy TX (descriptors out of the sockets' TX rings, completions
 * back).  Copy mode uses only the queue registration.
 */

#include <linux/netdevice.h>
#include <linux/rculist.h>
#include <net/netdev_rx_queue.h>
#include <net/xdp_sock_drv.h>

#include "xsk.h"
#include "xsk_queue.h"

/* ---- pools on device queues ---- */

/**
 * xsk_get_pool_from_qid - the pool bound to a queue
 * @dev: the device
 * @queue_id: the queue (RX queue when it exists, else TX queue)
 *
 * Context: RTNL held, or the caller otherwise keeps the binding stable.
 * Return: the pool, or NULL when no socket is bound there.
 */
struct xsk_buff_pool *xsk_get_pool_from_qid(struct net_device *dev,
					    u16 queue_id)
{
	struct xsk_buff_pool *pool = NULL;

	/* Registration puts the pool on both queues where both exist. */
	if (queue_id < dev->real_num_tx_queues)
		pool = dev->_tx[queue_id].pool;
	if (!pool && queue_id < dev->real_num_rx_queues)
		pool = dev->_rx[queue_id].pool;
	return pool;
}
EXPORT_SYMBOL(xsk_get_pool_from_qid);

/**
 * xsk_reg_pool_at_qid - bind a pool to a queue
 * @dev: the device
 * @pool: the pool
 * @queue_id: the queue
 *
 * Context: RTNL held.
 * Return: 0; -EINVAL when the device has no such queue; -EBUSY when a
 * pool is bound there already.
 */
int xsk_reg_pool_at_qid(struct net_device *dev, struct xsk_buff_pool *pool,
			u16 queue_id)
{
	ASSERT_RTNL();
	if (queue_id >= max(dev->real_num_rx_queues, dev->real_num_tx_queues))
		return -EINVAL;
	if (xsk_get_pool_from_qid(dev, queue_id))
		return -EBUSY;
	if (queue_id < dev->real_num_rx_queues)
		dev->_rx[queue_id].pool = pool;
	if (queue_id < dev->real_num_tx_queues)
		dev->_tx[queue_id].pool = pool;
	return 0;
}

/**
 * xsk_clear_pool_at_qid - unbind the pool of a queue
 * @dev: the device
 * @queue_id: the queue
 *
 * Context: RTNL held.
 */
void xsk_clear_pool_at_qid(struct net_device *dev, u16 queue_id)
{
	ASSERT_RTNL();
	if (queue_id < dev->num_rx_queues)
		dev->_rx[queue_id].pool = NULL;
	if (queue_id < dev->num_tx_queues)
		dev->_tx[queue_id].pool = NULL;
}

/**
 * xsk_clear_orphan_pools - give back the queues of pools no socket uses
 * @dev: a device being unregistered
 *
 * A socket closed while RTNL was busy leaves its pool registered (see
 * net/xdp/xsk.c); clearing it drops the pool's device reference.
 *
 * Context: RTNL held.
 */
void xsk_clear_orphan_pools(struct net_device *dev)
{
	u32 q, n = max(dev->num_rx_queues, dev->num_tx_queues);

	ASSERT_RTNL();
	for (q = 0; q < n; q++) {
		struct xsk_buff_pool *pool = NULL;

		if (q < dev->num_rx_queues)
			pool = dev->_rx[q].pool;
		if (!pool && q < dev->num_tx_queues)
			pool = dev->_tx[q].pool;
		if (pool && !atomic_read(&pool->xsk_bound))
			xp_clear_dev(pool);
	}
}

/* ---- need_wakeup ---- */

/**
 * xsk_uses_need_wakeup - did the sockets bind with XDP_USE_NEED_WAKEUP?
 * @pool: the pool
 *
 * Return: true when the driver should maintain the need_wakeup flags.
 */
bool xsk_uses_need_wakeup(struct xsk_buff_pool *pool)
{
	return pool->uses_need_wakeup;
}
EXPORT_SYMBOL(xsk_uses_need_wakeup);

/**
 * xsk_set_rx_need_wakeup - ask user space to kick RX (fill ring flag)
 * @pool: the pool
 */
void xsk_set_rx_need_wakeup(struct xsk_buff_pool *pool)
{
	if (pool->cached_need_wakeup & XDP_WAKEUP_RX)
		return;
	xskq_set_flag(pool->fq, XDP_RING_NEED_WAKEUP);
	pool->cached_need_wakeup |= XDP_WAKEUP_RX;
}
EXPORT_SYMBOL(xsk_set_rx_need_wakeup);

/**
 * xsk_clear_rx_need_wakeup - RX makes progress without a kick
 * @pool: the pool
 */
void xsk_clear_rx_need_wakeup(struct xsk_buff_pool *pool)
{
	if (!(pool->cached_need_wakeup & XDP_WAKEUP_RX))
		return;
	xskq_clear_flag(pool->fq, XDP_RING_NEED_WAKEUP);
	pool->cached_need_wakeup &= ~XDP_WAKEUP_RX;
}
EXPORT_SYMBOL(xsk_clear_rx_need_wakeup);

static void xsk_tx_flag_all(struct xsk_buff_pool *pool, bool set)
{
	struct xdp_sock *xs;

	rcu_read_lock();
	list_for_each_entry_rcu(xs, &pool->xsk_tx_list, tx_list) {
		if (set)
			xskq_set_flag(xs->tx, XDP_RING_NEED_WAKEUP);
		else
			xskq_clear_flag(xs->tx, XDP_RING_NEED_WAKEUP);
	}
	rcu_read_unlock();
}

/**
 * xsk_set_tx_need_wakeup - ask user space to kick TX (every TX ring's flag)
 * @pool: the pool
 */
void xsk_set_tx_need_wakeup(struct xsk_buff_pool *pool)
{
	if (pool->cached_need_wakeup & XDP_WAKEUP_TX)
		return;
	xsk_tx_flag_all(pool, true);
	pool->cached_need_wakeup |= XDP_WAKEUP_TX;
}
EXPORT_SYMBOL(xsk_set_tx_need_wakeup);

/**
 * xsk_clear_tx_need_wakeup - TX makes progress without a kick
 * @pool: the pool
 */
void xsk_clear_tx_need_wakeup(struct xsk_buff_pool *pool)
{
	if (!(pool->cached_need_wakeup & XDP_WAKEUP_TX))
		return;
	xsk_tx_flag_all(pool, false);
	pool->cached_need_wakeup &= ~XDP_WAKEUP_TX;
}
EXPORT_SYMBOL(xsk_clear_tx_need_wakeup);

/* ---- zero-copy TX ---- */

/*
 * Zero-copy TX writes each frame's address into the completion ring when
 * the frame is taken, and publishes completions in that order when the
 * driver reports them done (xsk_tx_completed()).
 */

/* Take one valid descriptor from @xs, reserving its completion. */
static bool xsk_tx_take(struct xdp_sock *xs, struct xsk_buff_pool *pool,
			struct xdp_desc *desc)
{
	struct xsk_queue *tx = xs->tx;
	u32 tries = tx->nentries;

	while (tries-- && xskq_cons_avail(tx, 1)) {
		xskq_cons_desc(tx, tx->cached_cons, desc);
		if (!xp_tx_desc_valid(pool, desc, xs->sg)) {
			tx->invalid_descs++;
			tx->cached_cons++;
			continue;
		}
		if (xskq_prod_free(pool->cq, 1) < 1)
			return false;
		xskq_prod_write_addr(pool->cq, desc->addr);
		tx->cached_cons++;
		return true;
	}
	tx->queue_empty_descs++;
	return false;
}

/**
 * xsk_tx_peek_desc - the next descriptor to send, from any socket of the pool
 * @pool: the pool
 * @desc: where to store it
 *
 * Its completion slot is reserved; xsk_tx_release() publishes the TX
 * consumer indexes.
 *
 * Context: the driver's TX path for the pool's queue (one at a time).
 * Return: false when no socket has anything to send, or the completion
 * ring is full.
 */
bool xsk_tx_peek_desc(struct xsk_buff_pool *pool, struct xdp_desc *desc)
{
	struct xdp_sock *xs;
	bool found = false;

	rcu_read_lock();
	list_for_each_entry_rcu(xs, &pool->xsk_tx_list, tx_list) {
		if (xsk_tx_take(xs, pool, desc)) {
			found = true;
			break;
		}
	}
	rcu_read_unlock();
	return found;
}
EXPORT_SYMBOL(xsk_tx_peek_desc);

/**
 * xsk_tx_release - publish the TX consumer index of every socket of the pool
 * @pool: the pool
 */
void xsk_tx_release(struct xsk_buff_pool *pool)
{
	struct xdp_sock *xs;

	rcu_read_lock();
	list_for_each_entry_rcu(xs, &pool->xsk_tx_list, tx_list) {
		xskq_cons_publish(xs->tx);
		xs->sk.sk_write_space(&xs->sk);
	}
	rcu_read_unlock();
}
EXPORT_SYMBOL(xsk_tx_release);

/**
 * xsk_tx_peek_release_desc_batch - take up to @max descriptors at once
 * @pool: the pool
 * @max: how many at most
 *
 * The descriptors are stored in pool->tx_descs and their consumer indexes
 * published.
 *
 * Return: the number taken.
 */
u32 xsk_tx_peek_release_desc_batch(struct xsk_buff_pool *pool, u32 max)
{
	u32 n = 0;

	max = min(max, pool->tx_descs_nentries);
	while (n < max && xsk_tx_peek_desc(pool, &pool->tx_descs[n]))
		n++;
	if (n)
		xsk_tx_release(pool);
	return n;
}
EXPORT_SYMBOL(xsk_tx_peek_release_desc_batch);

/**
 * xsk_tx_completed - the oldest @nb_entries frames taken have been sent
 * @pool: the pool
 * @nb_entries: how many
 */
void xsk_tx_completed(struct xsk_buff_pool *pool, u32 nb_entries)
{
	struct xsk_ring_hdr *ring = pool->cq->ring;

	/* The addresses were written at xsk_tx_take(); expose them. */
	smp_store_release(&ring->producer, READ_ONCE(ring->producer) + nb_entries);
}
EXPORT_SYMBOL(xsk_tx_completed);
