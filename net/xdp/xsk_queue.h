/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The four AF_XDP rings, as the kernel side sees them.
 *
 * Each ring has one producer and one consumer, one of them in user space.
 * Both sides keep private copies of the two indexes (cached_prod,
 * cached_cons) and touch the shared ones only to refresh or publish:
 *
 *   consumer (fill, TX):   refresh producer  -> read entries -> publish consumer
 *   producer (RX, compl.): refresh consumer  -> write entries -> publish producer
 *
 * Ordering: the shared indexes are read with smp_load_acquire() and written
 * with smp_store_release().  A refreshed producer index therefore makes the
 * entries before it visible; a published consumer index is seen only after
 * every read of the entries it frees; and entries are written only after
 * the consumer index that freed them was read.  User space (libxsk) pairs
 * each side with the same primitives.
 *
 * Indexes are free-running u32s.  User space may store anything in its
 * index; every computation here bounds the distance between the indexes
 * by the ring size, so a hostile index costs garbage entries (validated
 * one by one) but never a read or write outside the ring.
 */

#ifndef _NET_XDP_XSK_QUEUE_H
#define _NET_XDP_XSK_QUEUE_H

#include <linux/cache.h>
#include <linux/if_xdp.h>
#include <linux/types.h>
#include <net/xdp_sock.h>

/*
 * The shared header of a mapped ring.  Producer, consumer and flags each
 * get a cache line, with an empty line after each index so the adjacent-
 * line prefetcher of one side does not pull the other side's index.
 */
struct xsk_ring_hdr {
	u32 producer ____cacheline_aligned_in_smp;
	u32 producer_gap ____cacheline_aligned_in_smp;
	u32 consumer ____cacheline_aligned_in_smp;
	u32 consumer_gap ____cacheline_aligned_in_smp;
	u32 flags ____cacheline_aligned_in_smp;
};

/* RX and TX rings carry descriptors. */
struct xsk_desc_ring {
	struct xsk_ring_hdr hdr;
	struct xdp_desc desc[] ____cacheline_aligned_in_smp;
};

/* Fill and completion rings carry UMEM addresses. */
struct xsk_addr_ring {
	struct xsk_ring_hdr hdr;
	u64 desc[] ____cacheline_aligned_in_smp;
};

/**
 * struct xsk_queue - kernel state of one ring
 * @ring: the mapped memory (struct xsk_desc_ring or struct xsk_addr_ring)
 * @cached_cons: consumer index as consumed (kernel consumer), or as last refreshed
 * @cached_prod: producer index as last refreshed, or as produced (kernel producer)
 * @nentries: number of entries, a power of two
 * @ring_mask: @nentries - 1
 * @umem_ring: fill or completion ring (u64 entries)
 * @ring_vmalloc_size: bytes of @ring
 * @queue_empty_descs: times the kernel wanted an entry and found none
 * @invalid_descs: entries refused by validation
 */
struct xsk_queue {
	struct xsk_ring_hdr *ring;
	u32 cached_cons;
	u32 cached_prod;
	u32 nentries;
	u32 ring_mask;
	bool umem_ring;
	size_t ring_vmalloc_size;
	u64 queue_empty_descs;
	u64 invalid_descs;
};

struct xsk_queue *xskq_create(u32 nentries, bool umem_ring);
void xskq_destroy(struct xsk_queue *q);
size_t xskq_ring_size(u32 nentries, bool umem_ring);

static inline struct xdp_desc *xskq_descs(struct xsk_queue *q)
{
	return container_of(q->ring, struct xsk_desc_ring, hdr)->desc;
}

static inline u64 *xskq_addrs(struct xsk_queue *q)
{
	return container_of(q->ring, struct xsk_addr_ring, hdr)->desc;
}

/* ---- the kernel as consumer (fill and TX rings) ---- */

/* Entries available to consume, refreshing the producer index when needed. */
static inline u32 xskq_cons_avail(struct xsk_queue *q, u32 want)
{
	u32 avail = q->cached_prod - q->cached_cons;

	if (avail >= want && avail <= q->nentries)
		return avail;
	/* Pairs with the producer's store-release of the index. */
	q->cached_prod = smp_load_acquire(&q->ring->producer);
	avail = q->cached_prod - q->cached_cons;
	return min(avail, q->nentries);
}

static inline u64 xskq_cons_addr(struct xsk_queue *q, u32 idx)
{
	return READ_ONCE(xskq_addrs(q)[idx & q->ring_mask]);
}

static inline void xskq_cons_desc(struct xsk_queue *q, u32 idx,
				  struct xdp_desc *desc)
{
	*desc = xskq_descs(q)[idx & q->ring_mask];
}

/* Hand consumed entries back to user space. */
static inline void xskq_cons_publish(struct xsk_queue *q)
{
	/* Every read of the consumed entries happens before the index moves. */
	smp_store_release(&q->ring->consumer, q->cached_cons);
}

/* ---- the kernel as producer (RX and completion rings) ---- */

/* Free entries, refreshing the consumer index when fewer than @want. */
static inline u32 xskq_prod_free(struct xsk_queue *q, u32 want)
{
	u32 used = q->cached_prod - q->cached_cons;

	if (used <= q->nentries && q->nentries - used >= want)
		return q->nentries - used;
	/*
	 * Pairs with the consumer's store-release: its reads of the entries
	 * it freed are done before we overwrite them.
	 */
	q->cached_cons = smp_load_acquire(&q->ring->consumer);
	used = q->cached_prod - q->cached_cons;
	return used <= q->nentries ? q->nentries - used : 0;
}

static inline void xskq_prod_write_desc(struct xsk_queue *q, u64 addr,
					u32 len, u32 options)
{
	struct xdp_desc *desc = &xskq_descs(q)[q->cached_prod++ & q->ring_mask];

	desc->addr = addr;
	desc->len = len;
	desc->options = options;
}

static inline void xskq_prod_write_addr(struct xsk_queue *q, u64 addr)
{
	xskq_addrs(q)[q->cached_prod++ & q->ring_mask] = addr;
}

/* Make the entries produced so far visible to user space. */
static inline void xskq_prod_publish(struct xsk_queue *q)
{
	/* The entries are written before the index that exposes them. */
	smp_store_release(&q->ring->producer, q->cached_prod);
}

/* ---- both directions, from the shared indexes (poll) ---- */

static inline bool xskq_shared_empty(struct xsk_queue *q)
{
	return READ_ONCE(q->ring->producer) == READ_ONCE(q->ring->consumer);
}

static inline bool xskq_shared_full(struct xsk_queue *q)
{
	return READ_ONCE(q->ring->producer) - READ_ONCE(q->ring->consumer) >=
	       q->nentries;
}

/* ---- flags word ---- */

static inline void xskq_set_flag(struct xsk_queue *q, u32 flag)
{
	WRITE_ONCE(q->ring->flags, READ_ONCE(q->ring->flags) | flag);
}

static inline void xskq_clear_flag(struct xsk_queue *q, u32 flag)
{
	WRITE_ONCE(q->ring->flags, READ_ONCE(q->ring->flags) & ~flag);
}

#endif /* _NET_XDP_XSK_QUEUE_H */
