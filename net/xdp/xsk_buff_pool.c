// SPDX-License-Identifier: GPL-2.0
/*
 * The buffer pool of one (device, queue): its fill and completion rings,
 * the UMEM they index, and, for zero-copy drivers, the DMA mapping and the
 * xdp_buff_xsk descriptors lent out for RX.
 *
 * Contexts:
 *  - setup and teardown run in process context under RTNL (bind, unbind,
 *    device unregister);
 *  - the fill ring is consumed by exactly one context at a time: the NAPI
 *    poll of the queue, or generic receive under pool->rx_lock;
 *  - the completion ring is produced under pool->cq_lock, since copy-mode
 *    frames complete from whatever context frees their skb.
 */

#include <linux/dma-mapping.h>
#include <linux/netdevice.h>
#include <linux/slab.h>
#include <net/xdp_sock_drv.h>

#include "xsk.h"
#include "xsk_queue.h"
#include "xdp_umem.h"

/* ---- creation and teardown ---- */

static int pool_alloc_heads(struct xsk_buff_pool *pool)
{
	u32 i;

	pool->heads_cnt = pool->umem->chunks;
	pool->heads = kvcalloc(pool->heads_cnt, sizeof(*pool->heads), GFP_KERNEL);
	pool->free_heads = kvcalloc(pool->heads_cnt, sizeof(*pool->free_heads),
				    GFP_KERNEL);
	if (!pool->heads || !pool->free_heads)
		return -ENOMEM;

	for (i = 0; i < pool->heads_cnt; i++) {
		struct xdp_buff_xsk *xskb = &pool->heads[i];

		xskb->pool = pool;
		xskb->xdp.frame_sz = pool->chunk_size - pool->headroom;
		INIT_LIST_HEAD(&xskb->list_node);
		pool->free_heads[i] = xskb;
	}
	pool->free_heads_cnt = pool->heads_cnt;
	return 0;
}

static void pool_free(struct xsk_buff_pool *pool)
{
	kvfree(pool->heads);
	kvfree(pool->free_heads);
	kvfree(pool->tx_descs);
	xskq_destroy(pool->fq);
	xskq_destroy(pool->cq);
	xdp_put_umem(pool->umem, false);
	kfree(pool);
}

/**
 * xp_create_and_assign_umem - create the pool of a socket's own rings
 * @xs: the binding socket; its fill and completion rings move to the pool
 * @umem: the UMEM the rings index (the pool takes a reference)
 *
 * Context: process context, xs->mutex held.
 * Return: the pool with one user, or NULL when out of memory (the rings
 * then stay with @xs).
 */
struct xsk_buff_pool *xp_create_and_assign_umem(struct xdp_sock *xs,
						struct xdp_umem *umem)
{
	struct xsk_buff_pool *pool;

	pool = kzalloc(sizeof(*pool), GFP_KERNEL);
	if (!pool)
		return NULL;

	pool->umem = umem;
	pool->addrs = umem->addrs;
	pool->addrs_cnt = umem->size;
	pool->chunk_size = umem->chunk_size;
	pool->chunk_shift = ffs(umem->chunk_size) - 1;
	pool->chunk_mask = ~((u64)umem->chunk_size - 1);
	pool->headroom = umem->headroom;
	pool->frame_len = umem->chunk_size - umem->headroom - XDP_PACKET_HEADROOM;
	pool->unaligned = umem->flags & XDP_UMEM_UNALIGNED_CHUNK_FLAG;
	pool->tx_sw_csum = umem->flags & XDP_UMEM_TX_SW_CSUM;
	pool->tx_metadata_len = umem->tx_metadata_len;
	refcount_set(&pool->users, 1);
	INIT_LIST_HEAD(&pool->xsk_tx_list);
	INIT_LIST_HEAD(&pool->xskb_list);
	spin_lock_init(&pool->xsk_tx_list_lock);
	spin_lock_init(&pool->rx_lock);
	spin_lock_init(&pool->cq_lock);

	if (pool_alloc_heads(pool))
		goto err;
	if (xs->tx) {
		pool->tx_descs_nentries = xs->tx->nentries;
		pool->tx_descs = kvcalloc(xs->tx->nentries, sizeof(*pool->tx_descs),
					  GFP_KERNEL);
		if (!pool->tx_descs)
			goto err;
	}

	xdp_get_umem(umem);
	pool->fq = xs->fq_tmp;
	pool->cq = xs->cq_tmp;
	xs->fq_tmp = NULL;
	xs->cq_tmp = NULL;
	return pool;

err:
	pool->umem = NULL;
	pool_free(pool);
	return NULL;
}

/**
 * xp_assign_dev - register a pool on a device queue
 * @pool: a new pool
 * @dev: the device (the pool takes a reference)
 * @queue_id: the queue
 * @flags: the bind flags (XDP_USE_NEED_WAKEUP, XDP_USE_SG, XDP_ZEROCOPY)
 *
 * Context: RTNL held.
 * Return: 0; -EOPNOTSUPP for zero-copy, which this kernel does not do yet;
 * -EBUSY when the queue already has a pool.
 */
int xp_assign_dev(struct xsk_buff_pool *pool, struct net_device *dev,
		  u16 queue_id, u16 flags)
{
	int err;

	ASSERT_RTNL();
	if (flags & XDP_ZEROCOPY) {
		net_info_ratelimited("%s: AF_XDP zero-copy is not implemented (queue %u); bind without XDP_ZEROCOPY to use copy mode\n",
				     dev->name, queue_id);
		return -EOPNOTSUPP;
	}

	err = xsk_reg_pool_at_qid(dev, pool, queue_id);
	if (err)
		return err;

	dev_hold(dev);
	pool->netdev = dev;
	pool->queue_id = queue_id;
	/* The binding socket is the pool's first. */
	atomic_set(&pool->xsk_bound, 1);
	pool->uses_need_wakeup = flags & XDP_USE_NEED_WAKEUP;
	/*
	 * TX rings are created asking for a kick; copy-mode TX runs only from
	 * sendmsg() and poll(), so they keep asking.
	 */
	pool->cached_need_wakeup = XDP_WAKEUP_TX;
	if (flags & XDP_USE_SG)
		pool->umem->flags |= XDP_UMEM_SG_FLAG;
	return 0;
}

/**
 * xp_clear_dev - unregister a pool from its device queue
 * @pool: the pool
 *
 * Drops the pool's device reference; frames still in flight keep the pool
 * itself alive until its last put.
 *
 * Context: RTNL held.
 */
void xp_clear_dev(struct xsk_buff_pool *pool)
{
	ASSERT_RTNL();
	if (!pool->netdev)
		return;
	xsk_clear_pool_at_qid(pool->netdev, pool->queue_id);
	dev_put(pool->netdev);
	/* pool_release_work() peeks without RTNL. */
	WRITE_ONCE(pool->netdev, NULL);
}

static void pool_release_work(struct work_struct *work)
{
	struct xsk_buff_pool *pool = container_of(work, struct xsk_buff_pool, work);

	/* A pool whose queue was given back needs no RTNL to go. */
	if (READ_ONCE(pool->netdev)) {
		rtnl_lock();
		xp_clear_dev(pool);
		rtnl_unlock();
	}
	pool_free(pool);
}

/**
 * xp_get_pool - take a reference on a pool
 * @pool: the pool
 */
void xp_get_pool(struct xsk_buff_pool *pool)
{
	refcount_inc(&pool->users);
}

/**
 * xp_put_pool - drop a reference on a pool
 * @pool: the pool, or NULL
 *
 * The last reference frees the pool from a work item: puts come from socket
 * destructors, which may run in softirq context.
 *
 * Return: true when this was the last reference.
 */
bool xp_put_pool(struct xsk_buff_pool *pool)
{
	if (!pool || !refcount_dec_and_test(&pool->users))
		return false;
	INIT_WORK(&pool->work, pool_release_work);
	schedule_work(&pool->work);
	return true;
}

/*
 * The pool's list of TX rings changes only in process context (bind and
 * unbind); the driver's zero-copy TX walks it under RCU.
 */
static void pool_tx_list_update(struct xsk_buff_pool *pool, struct xdp_sock *xs,
				bool add)
{
	if (!xs->tx)
		return;
	spin_lock(&pool->xsk_tx_list_lock);
	if (add)
		list_add_rcu(&xs->tx_list, &pool->xsk_tx_list);
	else
		list_del_rcu(&xs->tx_list);
	spin_unlock(&pool->xsk_tx_list_lock);
}

/**
 * xp_add_xsk - make a socket's TX ring a source of the pool
 * @pool: the pool
 * @xs: the socket; nothing happens without a TX ring
 */
void xp_add_xsk(struct xsk_buff_pool *pool, struct xdp_sock *xs)
{
	pool_tx_list_update(pool, xs, true);
}

/**
 * xp_del_xsk - stop using a socket's TX ring
 * @pool: the pool
 * @xs: the socket
 *
 * The caller waits for an RCU grace period before freeing the ring.
 */
void xp_del_xsk(struct xsk_buff_pool *pool, struct xdp_sock *xs)
{
	pool_tx_list_update(pool, xs, false);
}

/* ---- the fill ring ---- */

/* Turn a fill-ring entry into the start of the buffer it names, if valid. */
static bool pool_fill_addr_valid(struct xsk_buff_pool *pool, u64 *addr)
{
	u64 start;

	if (!pool->unaligned) {
		if (*addr >= pool->addrs_cnt)
			return false;
		*addr &= pool->chunk_mask;
		return true;
	}

	start = xp_unaligned_add_offset_to_addr(*addr);
	if (start + pool->chunk_size > pool->addrs_cnt ||
	    xp_desc_crosses_non_contig_pg(pool, start, pool->chunk_size))
		return false;
	*addr = start;
	return true;
}

/**
 * xp_fill_take - take the next valid buffer from the fill ring
 * @pool: the pool
 * @addr: the buffer's start (UMEM offset)
 *
 * Invalid entries on the way are consumed and counted, at most one ring's
 * worth per call (user space may move its producer index anywhere).  The
 * consumer index is only published by xskq_cons_publish().
 *
 * Context: the single consumer of the fill ring (see the top of the file).
 * Return: false when the ring holds no valid entry (counted as empty).
 */
bool xp_fill_take(struct xsk_buff_pool *pool, u64 *addr)
{
	struct xsk_queue *fq = pool->fq;
	u32 tries = fq->nentries;

	while (tries-- && xskq_cons_avail(fq, 1)) {
		*addr = xskq_cons_addr(fq, fq->cached_cons++);
		if (pool_fill_addr_valid(pool, addr))
			return true;
		fq->invalid_descs++;
	}
	fq->queue_empty_descs++;
	return false;
}

/* ---- the completion ring ---- */

/**
 * xp_cq_reserve - promise completion slots to frames about to be sent
 * @pool: the pool
 * @n: slots
 *
 * Return: false when the completion ring cannot take @n more entries.
 */
bool xp_cq_reserve(struct xsk_buff_pool *pool, u32 n)
{
	unsigned long flags;
	bool ok;

	spin_lock_irqsave(&pool->cq_lock, flags);
	ok = xskq_prod_free(pool->cq, pool->cq_inflight + n) >= pool->cq_inflight + n;
	if (ok)
		pool->cq_inflight += n;
	spin_unlock_irqrestore(&pool->cq_lock, flags);
	return ok;
}

/**
 * xp_cq_cancel - give back slots of frames that were not sent
 * @pool: the pool
 * @n: slots
 */
void xp_cq_cancel(struct xsk_buff_pool *pool, u32 n)
{
	unsigned long flags;

	spin_lock_irqsave(&pool->cq_lock, flags);
	pool->cq_inflight -= n;
	spin_unlock_irqrestore(&pool->cq_lock, flags);
}

/* ---- the zero-copy driver API ---- */

/**
 * xp_set_rxq_info - set the RX queue info of every buffer
 * @pool: the pool
 * @rxq: the driver's RX queue info
 */
void xp_set_rxq_info(struct xsk_buff_pool *pool, struct xdp_rxq_info *rxq)
{
	struct xdp_buff_xsk *xskb, *end = pool->heads + pool->heads_cnt;

	for (xskb = pool->heads; xskb < end; xskb++)
		xskb->xdp.rxq = rxq;
}
EXPORT_SYMBOL(xp_set_rxq_info);

/**
 * xp_fill_cb - copy driver data into the private area of every buffer
 * @pool: the pool
 * @desc: what to copy, and where in the cb
 */
void xp_fill_cb(struct xsk_buff_pool *pool, struct xsk_cb_desc *desc)
{
	struct xdp_buff_xsk *xskb, *end = pool->heads + pool->heads_cnt;

	if (WARN_ON_ONCE(desc->off + desc->bytes > XSK_PRIV_MAX))
		return;
	for (xskb = pool->heads; xskb < end; xskb++)
		memcpy(xskb->cb + desc->off, desc->src, desc->bytes);
}
EXPORT_SYMBOL(xp_fill_cb);

static void pool_unmap_pages(struct device *dev, dma_addr_t *dma, u32 n,
			     unsigned long attrs)
{
	u32 i;

	for (i = 0; i < n; i++)
		dma_unmap_page_attrs(dev, dma[i] & ~XSK_NEXT_PG_CONTIG_MASK,
				     PAGE_SIZE, DMA_BIDIRECTIONAL, attrs);
}

/**
 * xp_dma_map - map the UMEM for a device's DMA
 * @pool: the pool
 * @dev: the DMA device
 * @attrs: DMA attributes
 * @pages: the UMEM's pages
 * @nr_pages: their number
 *
 * Each page's entry records whether the next page follows it in DMA space,
 * so that buffers crossing a page boundary can be checked.
 *
 * Return: 0, -EBUSY when already mapped, or -ENOMEM.
 */
int xp_dma_map(struct xsk_buff_pool *pool, struct device *dev,
	       unsigned long attrs, struct page **pages, u32 nr_pages)
{
	dma_addr_t *dma;
	u32 i;

	if (pool->dma_pages)
		return -EBUSY;
	dma = kvcalloc(nr_pages, sizeof(*dma), GFP_KERNEL);
	if (!dma)
		return -ENOMEM;

	for (i = 0; i < nr_pages; i++) {
		dma[i] = dma_map_page_attrs(dev, pages[i], 0, PAGE_SIZE,
					    DMA_BIDIRECTIONAL, attrs);
		if (dma_mapping_error(dev, dma[i])) {
			pool_unmap_pages(dev, dma, i, attrs);
			kvfree(dma);
			return -ENOMEM;
		}
	}
	for (i = 0; i + 1 < nr_pages; i++)
		if (dma[i] + PAGE_SIZE == dma[i + 1])
			dma[i] |= XSK_NEXT_PG_CONTIG_MASK;

	pool->dev = dev;
	pool->dma_pages = dma;
	pool->dma_pages_cnt = nr_pages;
	return 0;
}
EXPORT_SYMBOL(xp_dma_map);

/**
 * xp_dma_unmap - undo xp_dma_map()
 * @pool: the pool
 * @attrs: DMA attributes, as given to xp_dma_map()
 */
void xp_dma_unmap(struct xsk_buff_pool *pool, unsigned long attrs)
{
	if (!pool->dma_pages)
		return;
	pool_unmap_pages(pool->dev, pool->dma_pages, pool->dma_pages_cnt, attrs);
	kvfree(pool->dma_pages);
	pool->dma_pages = NULL;
	pool->dma_pages_cnt = 0;
	pool->dev = NULL;
}
EXPORT_SYMBOL(xp_dma_unmap);

static dma_addr_t pool_dma_of(struct xsk_buff_pool *pool, u64 addr)
{
	return (pool->dma_pages[addr >> PAGE_SHIFT] & ~XSK_NEXT_PG_CONTIG_MASK) +
	       (addr & ~PAGE_MASK);
}

/* Lend the buffer at UMEM offset @addr; the fill entry was taken. */
static struct xdp_buff *pool_lend(struct xsk_buff_pool *pool, u64 addr)
{
	struct xdp_buff_xsk *xskb = pool->free_heads[--pool->free_heads_cnt];
	void *start = pool->addrs + addr + pool->headroom;

	xskb->xdp.data_hard_start = start;
	xskb->xdp.data = start + XDP_PACKET_HEADROOM;
	xskb->xdp.data_meta = xskb->xdp.data;
	xskb->xdp.data_end = xskb->xdp.data;
	xskb->xdp.flags = 0;
	if (pool->dma_pages) {
		xskb->frame_dma = pool_dma_of(pool, addr);
		xskb->dma = xskb->frame_dma + pool->headroom + XDP_PACKET_HEADROOM;
		dma_sync_single_for_device(pool->dev, xskb->dma, pool->frame_len,
					   DMA_BIDIRECTIONAL);
	}
	return &xskb->xdp;
}

/**
 * xp_alloc_batch - take up to @max buffers from the fill ring
 * @pool: the pool
 * @xdp: where to store them
 * @max: how many at most
 *
 * Context: the NAPI poll of the pool's queue.
 * Return: the number stored, 0 when the fill ring is empty.
 */
u32 xp_alloc_batch(struct xsk_buff_pool *pool, struct xdp_buff **xdp, u32 max)
{
	u32 n = 0;
	u64 addr;

	while (n < max && pool->free_heads_cnt && xp_fill_take(pool, &addr))
		xdp[n++] = pool_lend(pool, addr);
	/* Entries are read; user space may reuse their slots. */
	xskq_cons_publish(pool->fq);
	return n;
}
EXPORT_SYMBOL(xp_alloc_batch);

/**
 * xp_alloc - take one buffer from the fill ring
 * @pool: the pool
 *
 * Return: the buffer, or NULL when the fill ring has none.
 */
struct xdp_buff *xp_alloc(struct xsk_buff_pool *pool)
{
	struct xdp_buff *xdp;

	return xp_alloc_batch(pool, &xdp, 1) ? xdp : NULL;
}
EXPORT_SYMBOL(xp_alloc);

/**
 * xp_can_alloc - are @count buffers available?
 * @pool: the pool
 * @count: how many
 *
 * Return: true when the fill ring holds at least @count entries and the
 * pool has descriptors to lend for them.
 */
bool xp_can_alloc(struct xsk_buff_pool *pool, u32 count)
{
	return pool->free_heads_cnt >= count &&
	       xskq_cons_avail(pool->fq, count) >= count;
}
EXPORT_SYMBOL(xp_can_alloc);

/**
 * xp_free - return a lent buffer to the pool
 * @xskb: the buffer
 *
 * The UMEM chunk itself goes back to user space through the fill ring,
 * not through here: this only recycles the descriptor.
 */
void xp_free(struct xdp_buff_xsk *xskb)
{
	if (!list_empty(&xskb->list_node))
		list_del_init(&xskb->list_node);
	xp_release(xskb);
}
EXPORT_SYMBOL(xp_free);

/**
 * xp_raw_get_data - kernel address of a TX descriptor's data
 * @pool: the pool
 * @addr: the descriptor address (with its offset in unaligned mode)
 *
 * Return: the address in the UMEM's kernel mapping.
 */
void *xp_raw_get_data(struct xsk_buff_pool *pool, u64 addr)
{
	return __xp_raw_get_data(pool, addr);
}
EXPORT_SYMBOL(xp_raw_get_data);

/**
 * xp_raw_get_dma - DMA address of a TX descriptor's data
 * @pool: the pool, DMA-mapped
 * @addr: the descriptor address (with its offset in unaligned mode)
 *
 * Return: the DMA address.
 */
dma_addr_t xp_raw_get_dma(struct xsk_buff_pool *pool, u64 addr)
{
	if (pool->unaligned)
		addr = xp_unaligned_add_offset_to_addr(addr);
	return pool_dma_of(pool, addr);
}
EXPORT_SYMBOL(xp_raw_get_dma);
