/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The AF_XDP buffer pool: one per (device, queue) that sockets are bound
 * to.  It joins a UMEM to the fill and completion rings of that queue and,
 * in zero-copy mode, hands the driver UMEM chunks as xdp_buffs.
 *
 * Drivers read some members directly (umem, frame_len, chunk_size,
 * unaligned, tx_descs): their names and meaning are part of the driver API.
 */

#ifndef XSK_BUFF_POOL_H_
#define XSK_BUFF_POOL_H_

#include <linux/bpf.h>
#include <linux/dma-mapping.h>
#include <linux/if_xdp.h>
#include <linux/types.h>
#include <net/xdp.h>

struct device;
struct page;
struct xdp_desc;
struct xdp_rxq_info;
struct xdp_sock;
struct xdp_umem;
struct xsk_buff_pool;
struct xsk_cb_desc;
struct xsk_queue;

/* Bytes a driver may keep in xdp_buff_xsk.cb (checked by XSK_CHECK_PRIV_TYPE). */
#define XSK_PRIV_MAX 24

/**
 * struct xdp_buff_xsk - a UMEM chunk lent to a zero-copy driver
 * @xdp: the buffer the driver and XDP programs work on
 * @cb: driver-private bytes
 * @dma: DMA address of the packet data
 * @frame_dma: DMA address of the chunk's first byte
 * @pool: the pool the chunk belongs to
 * @list_node: links the fragments of a multi-buffer packet
 */
struct xdp_buff_xsk {
	struct xdp_buff xdp;
	u8 cb[XSK_PRIV_MAX];
	dma_addr_t dma;
	dma_addr_t frame_dma;
	struct xsk_buff_pool *pool;
	struct list_head list_node;
};

/* A driver's buffer type @t overlays xdp_buff_xsk no further than cb's end. */
#define XSK_CHECK_PRIV_TYPE(t) \
	BUILD_BUG_ON(sizeof(t) > offsetof(struct xdp_buff_xsk, cb) + XSK_PRIV_MAX)
/* A driver's @t can hold the completion part of the TX metadata. */
#define XSK_TX_COMPL_FITS(t) \
	BUILD_BUG_ON(sizeof(t) < sizeof(struct xsk_tx_metadata_compl))

/* Low bit of a dma_pages entry: the next page follows in DMA space too. */
#define XSK_NEXT_PG_CONTIG_SHIFT 0
#define XSK_NEXT_PG_CONTIG_MASK BIT_ULL(XSK_NEXT_PG_CONTIG_SHIFT)

/**
 * struct xsk_buff_pool - buffers of one (device, queue)
 *
 * Members are grouped by who touches them: the copy-mode RX path first,
 * then completions, then what only zero-copy drivers use, then setup.
 *
 * @fq: fill ring
 * @addrs: the UMEM's kernel mapping
 * @addrs_cnt: size of the UMEM in bytes
 * @chunk_mask: mask giving an aligned chunk's start
 * @chunk_size: UMEM chunk size
 * @headroom: UMEM headroom
 * @frame_len: bytes of packet data one chunk holds
 * @tx_metadata_len: from the UMEM
 * @unaligned: unaligned chunk mode
 * @tx_sw_csum: XDP_UMEM_TX_SW_CSUM
 * @cq: completion ring
 * @cq_lock: protects @cq and @cq_inflight; frames complete in any context
 * @cq_inflight: completion slots promised to frames still in flight
 * @heads: buffer descriptors lent to the driver (zero-copy)
 * @free_heads: stack of unused @heads
 * @free_heads_cnt: entries on the @free_heads stack
 * @heads_cnt: number of @heads
 * @xskb_list: fragments of the multi-buffer packet a driver is building
 * @dma_pages: this pool's DMA page table (zero-copy)
 * @dma_pages_cnt: entries in @dma_pages
 * @tx_descs: scratch array for xsk_tx_peek_release_desc_batch()
 * @tx_descs_nentries: entries in @tx_descs
 * @cached_need_wakeup: XDP_WAKEUP_* flags currently set on the rings
 * @uses_need_wakeup: bound with XDP_USE_NEED_WAKEUP
 * @chunk_shift: log2 of @chunk_size (aligned mode)
 * @dev: DMA device (zero-copy only)
 * @netdev: the bound device
 * @queue_id: the bound queue
 * @umem: the UMEM
 * @users: sockets holding the pool
 * @xsk_bound: sockets bound through this pool; once 0 it takes no more
 * @xsk_tx_list: sockets with a TX ring using the pool (RCU readers)
 * @xsk_tx_list_lock: protects writers of @xsk_tx_list
 * @rx_lock: serializes generic (SKB-mode) receive into the pool's sockets
 * @work: frees the pool in process context after the last put
 */
struct xsk_buff_pool {
	struct xsk_queue *fq ____cacheline_aligned_in_smp;
	void *addrs;
	u64 addrs_cnt;
	u64 chunk_mask;
	u32 chunk_size;
	u32 headroom;
	u32 frame_len;
	u8 tx_metadata_len;
	bool unaligned;
	bool tx_sw_csum;

	struct xsk_queue *cq ____cacheline_aligned_in_smp;
	spinlock_t cq_lock; /* cq and cq_inflight */
	u32 cq_inflight;

	struct xdp_buff_xsk *heads ____cacheline_aligned_in_smp;
	struct xdp_buff_xsk **free_heads;
	u32 free_heads_cnt;
	u32 heads_cnt;
	struct list_head xskb_list;
	dma_addr_t *dma_pages;
	u32 dma_pages_cnt;
	struct xdp_desc *tx_descs;
	u32 tx_descs_nentries;
	u8 cached_need_wakeup;
	bool uses_need_wakeup;
	u32 chunk_shift;

	struct device *dev;
	struct net_device *netdev;
	u16 queue_id;
	struct xdp_umem *umem;
	refcount_t users;
	atomic_t xsk_bound;
	struct list_head xsk_tx_list;
	spinlock_t xsk_tx_list_lock; /* writers of xsk_tx_list */
	spinlock_t rx_lock; /* generic receive */
	struct work_struct work;
};

/* AF_XDP core (net/xdp). */
struct xsk_buff_pool *xp_create_and_assign_umem(struct xdp_sock *xs,
						struct xdp_umem *umem);
int xp_assign_dev(struct xsk_buff_pool *pool, struct net_device *dev,
		  u16 queue_id, u16 flags);
void xp_get_pool(struct xsk_buff_pool *pool);
bool xp_put_pool(struct xsk_buff_pool *pool);
void xp_clear_dev(struct xsk_buff_pool *pool);
void xp_add_xsk(struct xsk_buff_pool *pool, struct xdp_sock *xs);
void xp_del_xsk(struct xsk_buff_pool *pool, struct xdp_sock *xs);

/* AF_XDP core and XDP core. */
void xp_free(struct xdp_buff_xsk *xskb);

/* Zero-copy drivers, through xdp_sock_drv.h. */
void xp_set_rxq_info(struct xsk_buff_pool *pool, struct xdp_rxq_info *rxq);
void xp_fill_cb(struct xsk_buff_pool *pool, struct xsk_cb_desc *desc);
int xp_dma_map(struct xsk_buff_pool *pool, struct device *dev,
	       unsigned long attrs, struct page **pages, u32 nr_pages);
void xp_dma_unmap(struct xsk_buff_pool *pool, unsigned long attrs);
struct xdp_buff *xp_alloc(struct xsk_buff_pool *pool);
u32 xp_alloc_batch(struct xsk_buff_pool *pool, struct xdp_buff **xdp, u32 max);
bool xp_can_alloc(struct xsk_buff_pool *pool, u32 count);
void *xp_raw_get_data(struct xsk_buff_pool *pool, u64 addr);
dma_addr_t xp_raw_get_dma(struct xsk_buff_pool *pool, u64 addr);

/* The byte an unaligned descriptor address designates: base plus offset. */
static inline u64 xp_unaligned_add_offset_to_addr(u64 addr)
{
	return (addr & XSK_UNALIGNED_BUF_ADDR_MASK) +
	       (addr >> XSK_UNALIGNED_BUF_OFFSET_SHIFT);
}

/* The kernel address of a descriptor's data (xp_raw_get_data(), inline). */
static inline void *__xp_raw_get_data(struct xsk_buff_pool *pool, u64 addr)
{
	if (pool->unaligned)
		addr = xp_unaligned_add_offset_to_addr(addr);
	return pool->addrs + addr;
}

/* More descriptors of the same packet follow this one. */
static inline bool xp_mb_desc(const struct xdp_desc *desc)
{
	return desc->options & XDP_PKT_CONTD;
}

/*
 * Would [addr, addr + len) run from its page into one that does not follow
 * it in DMA space?  Never true for a pool that is not DMA-mapped.
 */
static inline bool xp_desc_crosses_non_contig_pg(struct xsk_buff_pool *pool,
						 u64 addr, u32 len)
{
	bool next_page = (addr & ~PAGE_MASK) + len > PAGE_SIZE;

	return next_page && pool->dma_pages &&
	       !(pool->dma_pages[addr >> PAGE_SHIFT] & XSK_NEXT_PG_CONTIG_MASK);
}

/* A lent buffer's descriptor becomes free again (its chunk stays in use). */
static inline void xp_release(struct xdp_buff_xsk *xskb)
{
	xskb->pool->free_heads[xskb->pool->free_heads_cnt++] = xskb;
}

static inline bool xp_tx_metadata_enabled(const struct xsk_buff_pool *pool)
{
	return pool->tx_metadata_len > 0;
}

#endif /* XSK_BUFF_POOL_H_ */
