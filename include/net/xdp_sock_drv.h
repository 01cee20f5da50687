/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a driver uses to give AF_XDP zero-copy: buffers taken from the
 * fill ring as xdp_buffs, TX descriptors taken from the sockets' TX rings,
 * completions, and the need_wakeup flags.  Everything here operates on the
 * struct xsk_buff_pool the driver receives with XDP_SETUP_XSK_POOL.
 */

#ifndef _LINUX_XDP_SOCK_DRV_H
#define _LINUX_XDP_SOCK_DRV_H

#include <net/xdp_sock.h>
#include <net/xsk_buff_pool.h>

/* The smallest chunk a UMEM may have. */
#define XDP_UMEM_MIN_CHUNK_SHIFT 11
#define XDP_UMEM_MIN_CHUNK_SIZE BIT(XDP_UMEM_MIN_CHUNK_SHIFT)

/* What xsk_pool_fill_cb() copies into every buffer's cb: @bytes from @src at @off. */
struct xsk_cb_desc {
	void *src;
	u8 off;
	u8 bytes;
};

/* TX metadata flags this kernel understands. */
#define XDP_TXMD_FLAGS_VALID (XDP_TXMD_FLAGS_TIMESTAMP | XDP_TXMD_FLAGS_CHECKSUM)

#ifdef CONFIG_XDP_SOCKETS

/* TX: descriptors out of the sockets' TX rings, completions back. */
bool xsk_tx_peek_desc(struct xsk_buff_pool *pool, struct xdp_desc *desc);
void xsk_tx_release(struct xsk_buff_pool *pool);
u32 xsk_tx_peek_release_desc_batch(struct xsk_buff_pool *pool, u32 max);
void xsk_tx_completed(struct xsk_buff_pool *pool, u32 nb_entries);

/* The pool bound to a queue of @dev (RX queue if any, else TX queue). */
struct xsk_buff_pool *xsk_get_pool_from_qid(struct net_device *dev,
					    u16 queue_id);

/* need_wakeup: tell user space whether it must kick the kernel. */
bool xsk_uses_need_wakeup(struct xsk_buff_pool *pool);
void xsk_set_rx_need_wakeup(struct xsk_buff_pool *pool);
void xsk_clear_rx_need_wakeup(struct xsk_buff_pool *pool);
void xsk_set_tx_need_wakeup(struct xsk_buff_pool *pool);
void xsk_clear_tx_need_wakeup(struct xsk_buff_pool *pool);

/* ---- geometry of the pool's buffers ---- */

/* Bytes before the packet data of an RX buffer. */
static inline u32 xsk_pool_get_headroom(struct xsk_buff_pool *pool)
{
	return pool->headroom + XDP_PACKET_HEADROOM;
}

/* Bytes after the data kept for skb_shared_info when buffers chain. */
static inline u32 xsk_pool_get_tailroom(bool mbuf)
{
	if (!mbuf)
		return 0;
	return SKB_DATA_ALIGN(sizeof(struct skb_shared_info));
}

static inline u32 xsk_pool_get_chunk_size(struct xsk_buff_pool *pool)
{
	return pool->chunk_size;
}

/* Room for packet data in one chunk, headroom taken away. */
static inline u32 __xsk_pool_get_rx_frame_size(struct xsk_buff_pool *pool)
{
	return pool->chunk_size - xsk_pool_get_headroom(pool);
}

/*
 * The RX buffer size to program into hardware: a multiple of 128, and in a
 * zero-copy multi-buffer pool short of the skb_shared_info tail the XDP core
 * expects at the end of each buffer.
 */
static inline u32 xsk_pool_get_rx_frame_size(struct xsk_buff_pool *pool)
{
	bool chained = pool->dev && (pool->umem->flags & XDP_UMEM_SG_FLAG);
	u32 room = __xsk_pool_get_rx_frame_size(pool) -
		   xsk_pool_get_tailroom(chained);

	return ALIGN_DOWN(room, 128);
}

/* Distance between fragments of one packet: a chunk, or 0 when unaligned. */
static inline u32 xsk_pool_get_rx_frag_step(struct xsk_buff_pool *pool)
{
	if (pool->unaligned)
		return 0;
	return xsk_pool_get_chunk_size(pool);
}

static inline unsigned int xsk_pool_get_napi_id(struct xsk_buff_pool *pool)
{
#ifdef CONFIG_NET_RX_BUSY_POLL
	if (pool->heads && pool->heads[0].xdp.rxq)
		return pool->heads[0].xdp.rxq->napi_id;
#endif
	return 0;
}

/* ---- setup by the driver ---- */

static inline int xsk_pool_dma_map(struct xsk_buff_pool *pool,
				   struct device *dev, unsigned long attrs)
{
	return xp_dma_map(pool, dev, attrs, pool->umem->pgs, pool->umem->npgs);
}

static inline void xsk_pool_dma_unmap(struct xsk_buff_pool *pool,
				      unsigned long attrs)
{
	xp_dma_unmap(pool, attrs);
}

/* Every buffer the pool lends will carry this RX queue info. */
static inline void xsk_pool_set_rxq_info(struct xsk_buff_pool *pool,
					 struct xdp_rxq_info *rxq)
{
	xp_set_rxq_info(pool, rxq);
}

/* ---- RX buffers ---- */

static inline struct xdp_buff_xsk *xsk_buff_to_xskb(const struct xdp_buff *xdp)
{
	return container_of(xdp, struct xdp_buff_xsk, xdp);
}

/* One buffer from the fill ring, or NULL when it is empty. */
static inline struct xdp_buff *xsk_buff_alloc(struct xsk_buff_pool *pool)
{
	return xp_alloc(pool);
}

/* Up to @max buffers into @xdp; returns how many. */
static inline u32 xsk_buff_alloc_batch(struct xsk_buff_pool *pool,
				       struct xdp_buff **xdp, u32 max)
{
	return xp_alloc_batch(pool, xdp, max);
}

/* Could @count buffers be allocated now? */
static inline bool xsk_buff_can_alloc(struct xsk_buff_pool *pool, u32 count)
{
	return xp_can_alloc(pool, count);
}

/* Give a buffer, and the fragments chained to it, back to the pool. */
static inline void xsk_buff_free(struct xdp_buff *xdp)
{
	struct xdp_buff_xsk *head = xsk_buff_to_xskb(xdp);
	struct xdp_buff_xsk *frag, *next;

	if (unlikely(xdp_buff_has_frags(xdp))) {
		list_for_each_entry_safe(frag, next, &head->pool->xskb_list,
					 list_node) {
			list_del_init(&frag->list_node);
			xp_free(frag);
		}
		xdp_get_shared_info_from_buff(xdp)->nr_frags = 0;
	}
	xp_free(head);
}

/* Append @xdp to the fragments of the packet being built. */
static inline void xsk_buff_add_frag(struct xdp_buff *xdp)
{
	struct xdp_buff_xsk *frag = xsk_buff_to_xskb(xdp);

	list_add_tail(&frag->list_node, &frag->pool->xskb_list);
}

/* Take the first fragment off the packet whose head is @first. */
static inline struct xdp_buff *xsk_buff_get_frag(const struct xdp_buff *first)
{
	struct list_head *frags = &xsk_buff_to_xskb(first)->pool->xskb_list;
	struct xdp_buff_xsk *frag;

	frag = list_first_entry_or_null(frags, struct xdp_buff_xsk, list_node);
	if (!frag)
		return NULL;
	list_del_init(&frag->list_node);
	return &frag->xdp;
}

/* The last fragment of the packet whose head is @first. */
static inline struct xdp_buff *xsk_buff_get_tail(struct xdp_buff *first)
{
	struct list_head *frags = &xsk_buff_to_xskb(first)->pool->xskb_list;

	return &list_last_entry(frags, struct xdp_buff_xsk, list_node)->xdp;
}

/* Unlink @tail, a fragment being released by bpf_xdp_adjust_tail(). */
static inline void xsk_buff_del_tail(struct xdp_buff *tail)
{
	list_del_init(&xsk_buff_to_xskb(tail)->list_node);
}

/* Every buffer's driver-private area gets a copy of @desc's bytes. */
static inline void xsk_pool_fill_cb(struct xsk_buff_pool *pool,
				    struct xsk_cb_desc *desc)
{
	xp_fill_cb(pool, desc);
}

static inline bool xsk_is_eop_desc(const struct xdp_desc *desc)
{
	return !xp_mb_desc(desc);
}

/* A received buffer holds @size bytes of data after the XDP headroom. */
static inline void xsk_buff_set_size(struct xdp_buff *xdp, u32 size)
{
	void *data = xdp->data_hard_start + XDP_PACKET_HEADROOM;

	xdp->data = data;
	xdp->data_meta = data;
	xdp->data_end = data + size;
	xdp->flags = 0;
}

static inline dma_addr_t xsk_buff_xdp_get_dma(struct xdp_buff *xdp)
{
	return xsk_buff_to_xskb(xdp)->dma;
}

static inline dma_addr_t xsk_buff_xdp_get_frame_dma(struct xdp_buff *xdp)
{
	return xsk_buff_to_xskb(xdp)->frame_dma;
}

static inline void xsk_buff_dma_sync_for_cpu(struct xdp_buff *xdp)
{
	struct xdp_buff_xsk *xskb = xsk_buff_to_xskb(xdp);

	dma_sync_single_for_cpu(xskb->pool->dev, xskb->dma, xskb->pool->frame_len,
				DMA_BIDIRECTIONAL);
}

/* ---- TX buffers, by descriptor address ---- */

static inline dma_addr_t xsk_buff_raw_get_dma(struct xsk_buff_pool *pool,
					      u64 addr)
{
	return xp_raw_get_dma(pool, addr);
}

static inline void *xsk_buff_raw_get_data(struct xsk_buff_pool *pool, u64 addr)
{
	return xp_raw_get_data(pool, addr);
}

static inline void xsk_buff_raw_dma_sync_for_device(struct xsk_buff_pool *pool,
						    dma_addr_t dma, size_t size)
{
	dma_sync_single_for_device(pool->dev, dma, size, DMA_BIDIRECTIONAL);
}

static inline bool xsk_buff_valid_tx_metadata(const struct xsk_tx_metadata *meta)
{
	return (meta->flags & ~XDP_TXMD_FLAGS_VALID) == 0;
}

/*
 * The TX metadata of the frame at @addr, or NULL when the descriptor has
 * none or it asks for something unknown (the frame is then sent plainly).
 */
static inline struct xsk_tx_metadata *
xsk_buff_get_metadata(struct xsk_buff_pool *pool, u64 addr, u32 options)
{
	struct xsk_tx_metadata *meta;

	if (!(options & XDP_TX_METADATA) || !xp_tx_metadata_enabled(pool))
		return NULL;
	meta = xp_raw_get_data(pool, addr) - pool->tx_metadata_len;
	return xsk_buff_valid_tx_metadata(meta) ? meta : NULL;
}

#else /* !CONFIG_XDP_SOCKETS */

static inline void xsk_tx_completed(struct xsk_buff_pool *pool, u32 nb_entries) { }
static inline bool xsk_tx_peek_desc(struct xsk_buff_pool *pool,
				    struct xdp_desc *desc) { return false; }
static inline u32 xsk_tx_peek_release_desc_batch(struct xsk_buff_pool *pool, u32 max) { return 0; }
static inline void xsk_tx_release(struct xsk_buff_pool *pool) { }
static inline struct xsk_buff_pool *
xsk_get_pool_from_qid(struct net_device *dev, u16 queue_id) { return NULL; }
static inline bool xsk_uses_need_wakeup(struct xsk_buff_pool *pool) { return false; }
static inline void xsk_set_rx_need_wakeup(struct xsk_buff_pool *pool) { }
static inline void xsk_clear_rx_need_wakeup(struct xsk_buff_pool *pool) { }
static inline void xsk_set_tx_need_wakeup(struct xsk_buff_pool *pool) { }
static inline void xsk_clear_tx_need_wakeup(struct xsk_buff_pool *pool) { }
static inline u32 xsk_pool_get_headroom(struct xsk_buff_pool *pool) { return 0; }
static inline u32 xsk_pool_get_chunk_size(struct xsk_buff_pool *pool) { return 0; }
static inline u32 xsk_pool_get_rx_frame_size(struct xsk_buff_pool *pool) { return 0; }
static inline u32 xsk_pool_get_rx_frag_step(struct xsk_buff_pool *pool) { return 0; }
static inline unsigned int xsk_pool_get_napi_id(struct xsk_buff_pool *pool) { return 0; }
static inline int xsk_pool_dma_map(struct xsk_buff_pool *pool,
				   struct device *dev, unsigned long attrs) { return 0; }
static inline void xsk_pool_dma_unmap(struct xsk_buff_pool *pool, unsigned long attrs) { }
static inline void xsk_pool_set_rxq_info(struct xsk_buff_pool *pool, struct xdp_rxq_info *rxq) { }
static inline void xsk_pool_fill_cb(struct xsk_buff_pool *pool, struct xsk_cb_desc *desc) { }
static inline struct xdp_buff *xsk_buff_alloc(struct xsk_buff_pool *pool) { return NULL; }
static inline u32 xsk_buff_alloc_batch(struct xsk_buff_pool *pool,
				       struct xdp_buff **xdp, u32 max) { return 0; }
static inline bool xsk_buff_can_alloc(struct xsk_buff_pool *pool, u32 count) { return false; }
static inline void xsk_buff_free(struct xdp_buff *xdp) { }
static inline void xsk_buff_add_frag(struct xdp_buff *xdp) { }
static inline struct xdp_buff *xsk_buff_get_frag(const struct xdp_buff *first) { return NULL; }
static inline struct xdp_buff *xsk_buff_get_tail(struct xdp_buff *first) { return NULL; }
static inline void xsk_buff_del_tail(struct xdp_buff *tail) { }
static inline bool xsk_is_eop_desc(const struct xdp_desc *desc) { return false; }
static inline void xsk_buff_set_size(struct xdp_buff *xdp, u32 size) { }
static inline dma_addr_t xsk_buff_xdp_get_dma(struct xdp_buff *xdp) { return 0; }
static inline dma_addr_t xsk_buff_xdp_get_frame_dma(struct xdp_buff *xdp) { return 0; }
static inline void xsk_buff_dma_sync_for_cpu(struct xdp_buff *xdp) { }
static inline dma_addr_t xsk_buff_raw_get_dma(struct xsk_buff_pool *pool, u64 addr) { return 0; }
static inline void *xsk_buff_raw_get_data(struct xsk_buff_pool *pool, u64 addr) { return NULL; }
static inline void xsk_buff_raw_dma_sync_for_device(struct xsk_buff_pool *pool,
						    dma_addr_t dma, size_t size) { }
static inline bool xsk_buff_valid_tx_metadata(const struct xsk_tx_metadata *meta) { return false; }
static inline struct xsk_tx_metadata *
xsk_buff_get_metadata(struct xsk_buff_pool *pool, u64 addr, u32 options) { return NULL; }

#endif /* CONFIG_XDP_SOCKETS */

#endif /* _LINUX_XDP_SOCK_DRV_H */
