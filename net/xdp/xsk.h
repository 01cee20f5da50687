/* SPDX-License-Identifier: GPL-2.0 */
/* Declarations shared by the files of net/xdp. */

#ifndef _NET_XDP_XSK_H
#define _NET_XDP_XSK_H

#include <linux/if_xdp.h>
#include <net/xdp_sock.h>

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

/* Copy mode (xsk_copy.c). */
int xsk_rcv_copy(struct xdp_sock *xs, struct xdp_buff *xdp);
int xsk_generic_xmit(struct sock *sk);

/* Pool internals used by the socket code (xsk_buff_pool.c). */
struct xsk_buff_pool;
bool xp_fill_take(struct xsk_buff_pool *pool, u64 *addr);
bool xp_tx_desc_valid(struct xsk_buff_pool *pool, const struct xdp_desc *desc,
		      bool sg);
bool xp_cq_reserve(struct xsk_buff_pool *pool, u32 n);
void xp_cq_cancel(struct xsk_buff_pool *pool, u32 n);
void xp_cq_complete(struct xsk_buff_pool *pool, const u64 *addrs, u32 n);

#endif /* _NET_XDP_XSK_H */
