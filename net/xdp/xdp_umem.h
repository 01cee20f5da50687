/* SPDX-License-Identifier: GPL-2.0 */
/* UMEM registration: pinning, accounting and the kernel mapping. */

#ifndef _NET_XDP_XDP_UMEM_H
#define _NET_XDP_XDP_UMEM_H

#include <net/xdp_sock.h>

struct xdp_umem *xdp_umem_create(struct xdp_umem_reg *mr);
void xdp_get_umem(struct xdp_umem *umem);
void xdp_put_umem(struct xdp_umem *umem, bool defer_cleanup);

#endif /* _NET_XDP_XDP_UMEM_H */
