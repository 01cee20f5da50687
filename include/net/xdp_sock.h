/* SPDX-License-Identifier: GPL-2.0 */
/*
 * AF_XDP sockets: the objects the rest of the kernel sees.
 *
 * net/core reaches an XDP socket through an XSKMAP entry (redirect) and
 * reads its queue_id for BPF programs; everything else about a socket is
 * private to net/xdp.  Drivers see the buffer pool (xsk_buff_pool.h) and
 * the zero-copy helpers (xdp_sock_drv.h), never a socket.
 */

#ifndef _LINUX_XDP_SOCK_H
#define _LINUX_XDP_SOCK_H

#include <linux/bpf.h>
#include <linux/if_xdp.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <net/sock.h>

struct xsk_buff_pool;
struct xdp_buff;
struct net_device;
struct xsk_queue;

/* Kernel-only UMEM flag: bound with XDP_USE_SG (never set by user space). */
#define XDP_UMEM_SG_FLAG	BIT(3)

/**
 * struct xdp_umem - a registered area of user memory
 * @pgs: the pinned pages
 * @npgs: number of pinned pages
 * @addrs: the area mapped contiguously into the kernel (vmap of @pgs)
 * @size: length in bytes
 * @chunk_size: size of one buffer
 * @chunks: number of whole chunks in the area
 * @headroom: bytes the application reserves at the start of each chunk
 * @flags: XDP_UMEM_* flags as registered
 * @tx_metadata_len: bytes of TX metadata before each TX frame (0: none)
 * @users: sockets and buffer pools holding the UMEM
 * @user: the user charged for the pinned pages (NULL with CAP_IPC_LOCK)
 * @id: number shown by sock_diag
 * @work: deferred release, for a last put from atomic context
 */
struct xdp_umem {
	struct page **pgs;
	u32 npgs;
	void *addrs;
	u64 size;
	u32 chunk_size;
	u32 chunks;
	u32 headroom;
	u8 flags;
	u8 tx_metadata_len;
	refcount_t users;
	struct user_struct *user;
	int id;
	struct work_struct work;
};

/**
 * struct xsk_map - BPF_MAP_TYPE_XSKMAP
 * @map: the generic map; must stay first (the verifier uses its BTF id)
 * @lock: serializes updates and deletions of entries
 * @count: entries in use
 * @xsk_map: one RCU-protected socket pointer per index
 */
struct xsk_map {
	struct bpf_map map;
	spinlock_t lock; /* serializes writers of the entries */
	atomic_t count;
	struct xdp_sock __rcu *xsk_map[];
};

/* Socket states; the transitions are described in net/xdp/xsk.c. */
enum xsk_state {
	XSK_READY = 0,
	XSK_BOUND,
	XSK_UNBOUND,
};

/**
 * struct xdp_sock - an AF_XDP socket
 * @sk: the generic socket; must stay first
 * @rx: RX ring (NULL without one)
 * @dev: the bound device (a reference is held while bound)
 * @umem: the UMEM used, own or shared
 * @flush_node: on the per-CPU redirect flush list while RX is pending
 * @pool: the buffer pool of (@dev, @queue_id)
 * @queue_id: the bound queue; BPF programs read it (struct bpf_xdp_sock)
 * @zc: bound in zero-copy mode
 * @sg: bound with XDP_USE_SG
 * @state: enum xsk_state, read locklessly on the data path
 * @rx_dropped: frames that found no buffer or did not fit one
 * @rx_queue_full: frames that found the RX ring full
 * @tx: TX ring (NULL without one)
 * @tx_list: on the pool's list of sockets with a TX ring
 * @tx_drop_to_eop: copy-mode TX is discarding the rest of an invalid packet
 * @map_list: XSKMAP entries referring to this socket
 * @map_list_lock: protects @map_list
 * @mutex: serializes setup calls, bind, sendmsg and release
 * @fq_tmp: fill ring created before bind, handed to the pool at bind
 * @cq_tmp: completion ring created before bind, handed to the pool at bind
 */
struct xdp_sock {
	struct sock sk;
	struct xsk_queue *rx ____cacheline_aligned_in_smp;
	struct net_device *dev;
	struct xdp_umem *umem;
	struct list_head flush_node;
	struct xsk_buff_pool *pool;
	u32 queue_id;
	bool zc;
	bool sg;
	enum xsk_state state;
	u64 rx_dropped;
	u64 rx_queue_full;

	struct xsk_queue *tx ____cacheline_aligned_in_smp;
	struct list_head tx_list;
	bool tx_drop_to_eop;

	struct list_head map_list;
	spinlock_t map_list_lock; /* protects map_list */
	struct mutex mutex; /* setup, bind, unbind and copy-mode TX */
	struct xsk_queue *fq_tmp;
	struct xsk_queue *cq_tmp;
};

/*
 * AF_XDP TX metadata hooks a driver may provide (netdev->xsk_tx_metadata_ops);
 * each may be NULL.
 * @tmo_request_timestamp: the frame asked for a TX timestamp.
 * @tmo_fill_timestamp: at completion of such a frame: return the timestamp.
 * @tmo_request_checksum: the frame asked for checksum offload from
 *	@csum_start, stored at @csum_start + @csum_offset.
 */
struct xsk_tx_metadata_ops {
	void (*tmo_request_timestamp)(void *priv);
	u64 (*tmo_fill_timestamp)(void *priv);
	void (*tmo_request_checksum)(u16 csum_start, u16 csum_offset, void *priv);
};

#ifdef CONFIG_XDP_SOCKETS

int xsk_generic_rcv(struct xdp_sock *xs, struct xdp_buff *xdp);
int __xsk_map_redirect(struct xdp_sock *xs, struct xdp_buff *xdp);
void __xsk_map_flush(struct list_head *flush_list);
void xsk_map_remove_socket(struct xdp_sock *xs);

/**
 * xsk_tx_metadata_to_compl - remember what TX completion must do
 * @meta: the frame's TX metadata, or NULL
 * @compl: driver-kept state, passed to xsk_tx_metadata_complete() later
 *
 * Called by a driver while it prepares an AF_XDP frame for transmission.
 */
static inline void xsk_tx_metadata_to_compl(struct xsk_tx_metadata *meta,
					    struct xsk_tx_metadata_compl *compl)
{
	if (!meta)
		return;
	compl->tx_timestamp = (meta->flags & XDP_TXMD_FLAGS_TIMESTAMP) ?
			      &meta->completion.tx_timestamp : NULL;
}

/**
 * xsk_tx_metadata_request - pass a frame's TX requests to the driver
 * @meta: the frame's TX metadata, or NULL
 * @ops: the driver's hooks
 * @priv: driver data handed to the hooks
 *
 * Called by a driver while it prepares an AF_XDP frame for transmission.
 */
static inline void xsk_tx_metadata_request(const struct xsk_tx_metadata *meta,
					   const struct xsk_tx_metadata_ops *ops,
					   void *priv)
{
	if (!meta)
		return;
	if ((meta->flags & XDP_TXMD_FLAGS_TIMESTAMP) && ops->tmo_request_timestamp)
		ops->tmo_request_timestamp(priv);
	if ((meta->flags & XDP_TXMD_FLAGS_CHECKSUM) && ops->tmo_request_checksum)
		ops->tmo_request_checksum(meta->request.csum_start,
					  meta->request.csum_offset, priv);
}

/**
 * xsk_tx_metadata_complete - finish a frame's TX requests at completion
 * @compl: the state xsk_tx_metadata_to_compl() saved, or NULL
 * @ops: the driver's hooks
 * @priv: driver data handed to the hooks
 *
 * Writes the TX timestamp into the metadata area when one was asked for.
 */
static inline void xsk_tx_metadata_complete(struct xsk_tx_metadata_compl *compl,
					    const struct xsk_tx_metadata_ops *ops,
					    void *priv)
{
	if (compl && compl->tx_timestamp)
		*compl->tx_timestamp = ops->tmo_fill_timestamp(priv);
}

#else

static inline int xsk_generic_rcv(struct xdp_sock *xs, struct xdp_buff *xdp) { return -EOPNOTSUPP; }
static inline int __xsk_map_redirect(struct xdp_sock *xs,
				     struct xdp_buff *xdp) { return -EOPNOTSUPP; }
static inline void __xsk_map_flush(struct list_head *flush_list) { }
static inline void xsk_tx_metadata_to_compl(struct xsk_tx_metadata *meta,
					    struct xsk_tx_metadata_compl *compl) { }
static inline void xsk_tx_metadata_request(struct xsk_tx_metadata *meta,
					   const struct xsk_tx_metadata_ops *ops,
					   void *priv) { }
static inline void xsk_tx_metadata_complete(struct xsk_tx_metadata_compl *compl,
					    const struct xsk_tx_metadata_ops *ops,
					    void *priv) { }

#endif /* CONFIG_XDP_SOCKETS */
#endif /* _LINUX_XDP_SOCK_H */
