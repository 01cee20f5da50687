// SPDX-License-Identifier: GPL-2.0
/*
 * Copy mode: packets are copied between the UMEM and the kernel's own
 * buffers.
 *
 * RX: a frame redirected to a socket (native XDP or generic XDP) is copied
 * into buffers taken from the fill ring, one RX descriptor per buffer.
 * Native redirects are published at the end of the NAPI poll
 * (__xsk_map_flush()); generic ones at once, under the pool's rx_lock.
 *
 * TX: sendmsg() (and poll()) turn TX descriptors into skbs sent with
 * __dev_direct_xmit() on the bound queue.  Each frame's completion slot is
 * reserved before it is sent (a batch per call) and filled by the skb
 * destructor, so a buffer is completed only once its frame has left the
 * device (or was dropped).
 * Invalid descriptors are counted and completed at once, in ring order.
 */

#include <linux/filter.h>
#include <linux/if_vlan.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <net/busy_poll.h>
#include <net/sock.h>
#include <net/xdp.h>
#include <net/xdp_sock_drv.h>

#include "xsk.h"
#include "xsk_queue.h"

/* Packets one transmit call sends before it returns -EAGAIN. */
#define XSK_TX_BUDGET		32
/* Descriptors one copy-mode packet may span. */
#define XSK_MAX_FRAGS		(MAX_SKB_FRAGS + 1)

/* ---- RX ---- */

/* A cursor over the bytes of an xdp_buff: the linear part, then each fragment. */
struct xsk_rx_src {
	const u8 *data;
	u32 left;
	u32 next_frag;
	struct skb_shared_info *sinfo;
};

static void xsk_rx_src_init(struct xsk_rx_src *src, struct xdp_buff *xdp)
{
	src->data = xdp->data;
	src->left = xdp->data_end - xdp->data;
	src->next_frag = 0;
	src->sinfo = xdp_buff_has_frags(xdp) ? xdp_get_shared_info_from_buff(xdp) : NULL;
}

/* Copy @len bytes from @src to @to, moving on to fragments as needed. */
static void xsk_rx_src_copy(struct xsk_rx_src *src, u8 *to, u32 len)
{
	while (len) {
		u32 n;

		while (!src->left) {
			skb_frag_t *frag = &src->sinfo->frags[src->next_frag++];

			src->data = skb_frag_address(frag);
			src->left = skb_frag_size(frag);
		}
		n = min(len, src->left);
		memcpy(to, src->data, n);
		to += n;
		src->data += n;
		src->left -= n;
		len -= n;
	}
}

/* The RX descriptor address of data placed in the buffer starting at @base. */
static u64 xsk_rx_handle(struct xsk_buff_pool *pool, u64 base)
{
	u64 off = pool->headroom + XDP_PACKET_HEADROOM;

	if (pool->unaligned)
		return base | (off << XSK_UNALIGNED_BUF_OFFSET_SHIFT);
	return base + off;
}

/*
 * Take @n buffers from the fill ring, all or none.  When the ring runs out
 * part way, the consumer goes back to the first valid entry taken, so the
 * next frame finds those buffers again.  Invalid entries skipped before it
 * stay consumed; those after it are read again later, so their count is
 * rewound with the index: every fill entry is counted once, when it is
 * consumed for good.
 */
static bool xsk_rx_take_buffers(struct xsk_buff_pool *pool, u64 *addrs, u32 n)
{
	struct xsk_queue *fq = pool->fq;
	u64 invalid = 0;
	u32 first = 0, i;

	for (i = 0; i < n; i++) {
		if (!xp_fill_take(pool, &addrs[i])) {
			if (i) {
				fq->cached_cons = first;
				fq->invalid_descs = invalid;
			}
			return false;
		}
		if (!i) {
			first = fq->cached_cons - 1;
			invalid = fq->invalid_descs;
		}
	}
	return true;
}

/**
 * xsk_rcv_copy - copy a frame into a socket's UMEM and RX ring
 * @xs: a bound socket with an RX ring
 * @xdp: the frame
 *
 * Produces the RX descriptors without publishing them: the caller flushes.
 * Metadata in front of the frame (bpf_xdp_adjust_meta()) is copied in front
 * of the data too.
 *
 * Context: the only producer of @xs->rx and consumer of its fill ring at
 * this time (NAPI of the queue, or pool->rx_lock).
 * Return: 0, -ENOSPC when the frame needs more buffers than allowed,
 * -ENOBUFS when the RX ring is full, -ENOMEM when the fill ring is empty.
 */
int xsk_rcv_copy(struct xdp_sock *xs, struct xdp_buff *xdp)
{
	struct xsk_buff_pool *pool = xs->pool;
	u32 len = xdp_get_buff_len(xdp), room = pool->frame_len;
	u32 nbufs = max(DIV_ROUND_UP(len, room), 1U), meta = 0, i;
	u64 addrs[XSK_MAX_FRAGS];
	struct xsk_rx_src src;

	if (nbufs > 1 && (!xs->sg || nbufs > XSK_MAX_FRAGS)) {
		xs->rx_dropped++;
		return -ENOSPC;
	}
	if (xskq_prod_free(xs->rx, nbufs) < nbufs) {
		xs->rx_queue_full++;
		return -ENOBUFS;
	}
	if (!xsk_rx_take_buffers(pool, addrs, nbufs)) {
		xs->rx_dropped++;
		/* Invalid entries skipped on the way are given back now. */
		xskq_cons_publish(pool->fq);
		return -ENOMEM;
	}

	if (!xdp_data_meta_unsupported(xdp))
		meta = xdp->data - xdp->data_meta;

	/* The common case: one linear frame into one buffer. */
	if (likely(nbufs == 1 && !xdp_buff_has_frags(xdp))) {
		u64 handle = xsk_rx_handle(pool, addrs[0]);
		u8 *to = __xp_raw_get_data(pool, handle);

		/* The metadata, when the program left some, sits just before. */
		memcpy(to - meta, xdp->data - meta, meta + len);
		xskq_prod_write_desc(xs->rx, handle, len, 0);
		sk_mark_napi_id_once_xdp(&xs->sk, xdp);
		return 0;
	}

	xsk_rx_src_init(&src, xdp);
	for (i = 0; i < nbufs; i++) {
		u64 handle = xsk_rx_handle(pool, addrs[i]);
		u8 *to = __xp_raw_get_data(pool, handle);
		u32 n = min(len, room);

		if (!i && meta)
			memcpy(to - meta, xdp->data_meta, meta);
		xsk_rx_src_copy(&src, to, n);
		len -= n;
		xskq_prod_write_desc(xs->rx, handle, n, len ? XDP_PKT_CONTD : 0);
	}
	sk_mark_napi_id_once_xdp(&xs->sk, xdp);
	return 0;
}

/* ---- TX ---- */

/* Addresses to complete for a multi-buffer frame. */
struct xsk_tx_addrs {
	u32 n;
	u64 addr[] __counted_by(n);
};

static void xsk_tx_done_one(struct sk_buff *skb)
{
	u64 addr = (uintptr_t)skb_shinfo(skb)->destructor_arg;

	xp_cq_complete(xdp_sk(skb->sk)->pool, &addr, 1);
	sock_wfree(skb);
}

static void xsk_tx_done_many(struct sk_buff *skb)
{
	struct xsk_tx_addrs *done = skb_shinfo(skb)->destructor_arg;

	xp_cq_complete(xdp_sk(skb->sk)->pool, done->addr, done->n);
	kfree(done);
	sock_wfree(skb);
}

/* Forget the completion of an skb that is not sent after all, and free it. */
static void xsk_tx_unwind(struct sk_buff *skb)
{
	if (skb->destructor == xsk_tx_done_many)
		kfree(skb_shinfo(skb)->destructor_arg);
	skb->destructor = sock_wfree;
	kfree_skb(skb);
}

/* Reserve the next batch of completion slots: xsk_tx_hold()'s slow path. */
static noinline bool xsk_tx_hold_more(struct xdp_sock *xs, u32 *held, u32 n)
{
	u32 queued = min(xs->tx->cached_prod - xs->tx->cached_cons, xs->tx->nentries);
	u32 need, batch;

	need = n - *held;
	batch = max(need, min_t(u32, queued, XSK_TX_BUDGET));
	if (!xp_cq_reserve(xs->pool, batch)) {
		if (batch == need || !xp_cq_reserve(xs->pool, need))
			return false;
		batch = need;
	}
	*held += batch;
	return true;
}

/*
 * Hold at least @n completion slots for this transmit call.  Slots are
 * reserved a batch at a time (what the TX ring holds, up to the budget), so
 * the completion lock is taken once per call rather than once per frame;
 * the caller gives back what it did not use.
 */
static __always_inline bool xsk_tx_hold(struct xdp_sock *xs, u32 *held, u32 n)
{
	return likely(*held >= n) || xsk_tx_hold_more(xs, held, n);
}

/* Complete and count one invalid descriptor; later fragments follow it. */
static int xsk_tx_drop_desc(struct xdp_sock *xs, const struct xdp_desc *desc, u32 *held)
{
	if (!xsk_tx_hold(xs, held, 1))
		return -EAGAIN;
	xp_cq_complete(xs->pool, &desc->addr, 1);
	*held -= 1;
	xs->tx->invalid_descs++;
	xs->tx->cached_cons++;
	xs->tx_drop_to_eop = xs->sg && xp_mb_desc(desc);
	return 0;
}

/*
 * The longest frame copy-mode TX hands to @dev: its MTU plus the link-layer
 * header and one VLAN tag, what the stack's own forwarding check admits.
 * Copy-mode skbs carry no GSO, so nothing longer could leave the device.
 */
static u32 xsk_tx_max_len(const struct net_device *dev)
{
	return READ_ONCE(dev->mtu) + dev->hard_header_len + VLAN_HLEN;
}

/*
 * Read the descriptors of the next packet without consuming them.
 *
 * Each valid descriptor is at most a chunk (xp_tx_desc_valid()), and a
 * packet has at most XSK_MAX_FRAGS of them, so @len cannot wrap; it is
 * also held to what the device can send, since it sizes the skb.
 *
 * Return: their number; 0 when the packet is not complete on the ring yet;
 * -EINVAL when it can never be sent: an invalid descriptor, one more than
 * a packet may have or than the ring can hold at once, or a packet longer
 * than the device takes.
 */
static int xsk_tx_peek_packet(struct xdp_sock *xs, struct xdp_desc *descs, u32 *len)
{
	struct xsk_queue *tx = xs->tx;
	u32 max_len = xsk_tx_max_len(xs->dev);
	u32 n = 0;

	BUILD_BUG_ON((u64)XSK_MAX_FRAGS * PAGE_SIZE > U32_MAX);
	*len = 0;
	do {
		if (n == XSK_MAX_FRAGS || n == tx->nentries)
			return -EINVAL;
		if (xskq_cons_avail(tx, n + 1) < n + 1)
			return 0;
		xskq_cons_desc(tx, tx->cached_cons + n, &descs[n]);
		if (!xp_tx_desc_valid(xs->pool, &descs[n], xs->sg))
			return -EINVAL;
		*len += descs[n].len;
		if (*len > max_len)
			return -EINVAL;
	} while (xp_mb_desc(&descs[n++]));
	return n;
}

/*
 * What a frame's TX metadata asks of copy mode, read once: user space may
 * rewrite the metadata at any time, so it is validated and applied from
 * this copy only.
 */
struct xsk_tx_request {
	u64 flags;
	u16 csum_start;
	u16 csum_offset;
};

/*
 * Read the TX metadata of the frame of @desc (@len bytes in all) into @req.
 * Return: 0 (@req->flags is 0 when the frame has none), or -EINVAL for a
 * request that cannot be honoured.
 */
static int xsk_tx_read_request(struct xsk_buff_pool *pool, const struct xdp_desc *desc,
			       u32 len, struct xsk_tx_request *req)
{
	struct xsk_tx_metadata *meta;

	req->flags = 0;
	if (!(desc->options & XDP_TX_METADATA))
		return 0;
	if (!xp_tx_metadata_enabled(pool))
		return -EINVAL;
	meta = __xp_raw_get_data(pool, desc->addr) - pool->tx_metadata_len;
	req->flags = READ_ONCE(meta->flags);
	if (req->flags & ~XDP_TXMD_FLAGS_VALID)
		return -EINVAL;
	if (!(req->flags & XDP_TXMD_FLAGS_CHECKSUM))
		return 0;
	req->csum_start = READ_ONCE(meta->request.csum_start);
	req->csum_offset = READ_ONCE(meta->request.csum_offset);
	if ((u32)req->csum_start + req->csum_offset + sizeof(__sum16) > len)
		return -EINVAL;
	return 0;
}

/* Hand the checksum request of @req to the device, or do it in software. */
static int xsk_tx_apply_request(struct xsk_buff_pool *pool, struct sk_buff *skb,
				const struct xsk_tx_request *req)
{
	if (!(req->flags & XDP_TXMD_FLAGS_CHECKSUM))
		return 0;
	skb->csum_start = skb_headroom(skb) + req->csum_start;
	skb->csum_offset = req->csum_offset;
	skb->ip_summed = CHECKSUM_PARTIAL;
	return pool->tx_sw_csum ? skb_checksum_help(skb) : 0;
}

/* Arrange for the @n buffers of @descs to complete when @skb is freed. */
static int xsk_tx_set_destructor(struct sk_buff *skb, const struct xdp_desc *descs,
				 u32 n)
{
	struct xsk_tx_addrs *done;
	u32 i;

	if (n == 1 && sizeof(void *) >= sizeof(u64)) {
		skb_shinfo(skb)->destructor_arg = (void *)(uintptr_t)descs[0].addr;
		skb->destructor = xsk_tx_done_one;
		return 0;
	}
	done = kmalloc(struct_size(done, addr, n), GFP_KERNEL);
	if (!done)
		return -ENOMEM;
	done->n = n;
	for (i = 0; i < n; i++)
		done->addr[i] = descs[i].addr;
	skb_shinfo(skb)->destructor_arg = done;
	skb->destructor = xsk_tx_done_many;
	return 0;
}

static struct sk_buff *xsk_tx_build_skb(struct xdp_sock *xs,
					const struct xdp_desc *descs, u32 n,
					u32 len, int *err)
{
	struct net_device *dev = xs->dev;
	u32 hr = LL_RESERVED_SPACE(dev), off = 0, i;
	struct sk_buff *skb;

	skb = sock_alloc_send_skb(&xs->sk, hr + len + dev->needed_tailroom, 1, err);
	if (!skb)
		return NULL;
	skb_reserve(skb, hr);
	/* The skb was sized for exactly this. */
	__skb_put(skb, len);
	for (i = 0; i < n; i++) {
		memcpy(skb->data + off, __xp_raw_get_data(xs->pool, descs[i].addr),
		       descs[i].len);
		off += descs[i].len;
	}
	skb->dev = dev;
	skb->priority = READ_ONCE(xs->sk.sk_priority);
	skb->mark = READ_ONCE(xs->sk.sk_mark);
	return skb;
}

/*
 * Send the packet of @descs.  Return: 0 when sent (its descriptors are then
 * consumed), -EBUSY when consumed but dropped by the device, or an error
 * with nothing consumed.
 */
static int xsk_tx_send_packet(struct xdp_sock *xs, const struct xdp_desc *descs,
			      u32 n, u32 len, u32 *held)
{
	struct xsk_tx_request req;
	struct sk_buff *skb;
	int err;

	err = xsk_tx_read_request(xs->pool, &descs[0], len, &req);
	if (err)
		return err;
	if (!xsk_tx_hold(xs, held, n))
		return -EAGAIN;

	skb = xsk_tx_build_skb(xs, descs, n, len, &err);
	if (!skb)
		return err;
	err = xsk_tx_apply_request(xs->pool, skb, &req);
	if (!err)
		err = xsk_tx_set_destructor(skb, descs, n);
	if (err) {
		kfree_skb(skb);
		return err;
	}

	err = __dev_direct_xmit(skb, xs->queue_id);
	if (err == NETDEV_TX_BUSY) {
		xsk_tx_unwind(skb);
		return -EAGAIN;
	}
	/* From here the destructor completes the buffers, sent or dropped. */
	*held -= n;
	xs->tx->cached_cons += n;
	return err == NET_XMIT_DROP ? -EBUSY : 0;
}

/**
 * xsk_generic_xmit - send what a copy-mode socket's TX ring holds
 * @sk: the socket
 *
 * Sends up to XSK_TX_BUDGET packets, then publishes the TX consumer index.
 * Every call that finds the ring empty counts in tx_ring_empty_descs.
 *
 * Context: process context; takes xs->mutex.
 * Return: 0 when the ring was drained; -EAGAIN when the budget ran out or
 * the completion ring, the socket buffer or the device queue is full;
 * -EBUSY when the device dropped a frame; -EINVAL (descriptor kept on the
 * ring) for TX metadata that cannot be honoured; -ENXIO when not bound or
 * bound to a queue without TX; -ENETDOWN when the device is down.
 */
int xsk_generic_xmit(struct sock *sk)
{
	struct xdp_sock *xs = xdp_sk(sk);
	struct xdp_desc descs[XSK_MAX_FRAGS];
	u32 budget = XSK_TX_BUDGET, held = 0, start, len;
	int err = 0, n;

	mutex_lock(&xs->mutex);
	if (xs->state != XSK_BOUND) {
		err = -ENXIO;
		goto out;
	}
	if (!netif_running(xs->dev)) {
		err = -ENETDOWN;
		goto out;
	}
	/* A queue beyond the TX queues (an RX-only queue index) cannot send. */
	if (xs->queue_id >= xs->dev->real_num_tx_queues) {
		err = -ENXIO;
		goto out;
	}

	start = xs->tx->cached_cons;
	for (; budget; budget--) {
		if (!xskq_cons_avail(xs->tx, 1)) {
			xs->tx->queue_empty_descs++;
			break;
		}
		if (xs->tx_drop_to_eop) {
			xskq_cons_desc(xs->tx, xs->tx->cached_cons, &descs[0]);
			err = xsk_tx_drop_desc(xs, &descs[0], &held);
		} else {
			n = xsk_tx_peek_packet(xs, descs, &len);
			if (!n)
				break;
			if (n < 0)
				err = xsk_tx_drop_desc(xs, &descs[0], &held);
			else
				err = xsk_tx_send_packet(xs, descs, n, len, &held);
		}
		if (err)
			break;
	}
	if (!budget)
		err = -EAGAIN;
	if (held)
		xp_cq_cancel(xs->pool, held);
	if (xs->tx->cached_cons != start)
		xskq_cons_publish(xs->tx);
out:
	mutex_unlock(&xs->mutex);
	return err;
}
