/* SPDX-License-Identifier: GPL-2.0 */
/* Declarations shared by the files of net/xdp. */

#ifndef _NET_XDP_XSK_H
#define _NET_XDP_XSK_H

#include <linux/if_xdp.h>
#include <net/xdp_sock.h>
#include <net/xsk_buff_pool.h>

#include "xsk_queue.h"

static inline struct xdp_sock *xdp_sk(struct sock *sk)
{
	return (struct xdp_sock *)sk;
}

/* Every counter of @xs, as XDP_STATISTICS and sock_diag report them. */
void xsk_read_stats(struct xdp_sock *xs, struct xdp_statistics *stats);

/* The fill and completion rings of @xs: its pool's once bound, else its own. */
struct xsk_queue *xsk_fill_queue(struct xdp_sock *xs);
struct xsk_queue *xsk_completion_queue(struct xdp_sock *xs);

/* Release a pool's registration on its device queue (RTNL held). */
void xsk_clear_pool_at_qid(struct net_device *dev, u16 queue_id);
int xsk_reg_pool_at_qid(struct net_device *dev, struct xsk_buff_pool *pool,
			u16 queue_id);
void xsk_clear_orphan_pools(struct net_device *dev);

/* Copy mode (xsk_copy.c). */
int xsk_rcv_copy(struct xdp_sock *xs, struct xdp_buff *xdp);
int xsk_generic_xmit(struct sock *sk);

/* Pool internals used by the socket code (xsk_buff_pool.c). */
bool xp_fill_take(struct xsk_buff_pool *pool, u64 *addr);
bool xp_cq_reserve(struct xsk_buff_pool *pool, u32 n);
void xp_cq_cancel(struct xsk_buff_pool *pool, u32 n);

/**
 * xp_tx_desc_valid - may a TX descriptor be sent?
 * @pool: the pool
 * @desc: the descriptor as read from the TX ring
 * @sg: the socket was bound with XDP_USE_SG (XDP_PKT_CONTD allowed)
 *
 * The frame, and the TX metadata before it when the UMEM has some, must be
 * no longer than a chunk in either mode, and lie inside one chunk
 * (aligned) or inside the UMEM (unaligned, without crossing into a page
 * that is not DMA-contiguous).  So every valid descriptor is at most
 * chunk_size (<= PAGE_SIZE) bytes long: callers summing the lengths of a
 * packet's descriptors rely on it.
 *
 * Inline: it runs for every TX descriptor.
 *
 * Return: true when valid.
 */
static inline bool xp_tx_desc_valid(struct xsk_buff_pool *pool,
				    const struct xdp_desc *desc, bool sg)
{
	u32 allowed = XDP_TX_METADATA | (sg ? XDP_PKT_CONTD : 0);
	u64 start = desc->addr;
	u32 len = desc->len;

	if ((desc->options & ~allowed) || !len)
		return false;
	/* chunk_size >= 2048 > tx_metadata_len: no wrap on either side. */
	if (len > pool->chunk_size - pool->tx_metadata_len)
		return false;
	if (pool->unaligned)
		start = xp_unaligned_add_offset_to_addr(start);
	if (start < pool->tx_metadata_len)
		return false;
	start -= pool->tx_metadata_len;
	len += pool->tx_metadata_len;

	if (start >= pool->addrs_cnt || len > pool->addrs_cnt - start)
		return false;
	if (!pool->unaligned)
		return (start & ~pool->chunk_mask) + len <= pool->chunk_size;
	return !xp_desc_crosses_non_contig_pg(pool, start, len);
}

/*
 * Complete @n reserved frames, in the order given: every TX skb's
 * destructor calls this, so it is inline.
 * Context: any; the slots were reserved with xp_cq_reserve().
 */
static inline void xp_cq_complete(struct xsk_buff_pool *pool, const u64 *addrs, u32 n)
{
	unsigned long flags;
	u32 i;

	spin_lock_irqsave(&pool->cq_lock, flags);
	for (i = 0; i < n; i++)
		xskq_prod_write_addr(pool->cq, addrs[i]);
	pool->cq_inflight -= n;
	xskq_prod_publish(pool->cq);
	spin_unlock_irqrestore(&pool->cq_lock, flags);
}

#endif /* _NET_XDP_XSK_H */
