/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What the files of libxsk share and applications never see: messages,
 * a few helpers, and the interface between sockets (xsk.c) and the
 * default XDP program they use (xsk_prog.c).
 */
#ifndef __LIBXSK_XSK_INTERNAL_H
#define __LIBXSK_XSK_INTERNAL_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#include "xsk.h"

#define LIBXSK_HIDDEN __attribute__((visibility("hidden")))

#define XSK_DEF_PROG_NAME	"xsk_def_prog"
#define XSK_DEF_MAP_NAME	"xsks_map"

LIBXSK_HIDDEN __attribute__((format(printf, 2, 3)))
void libxsk_print(enum libxsk_print_level level, const char *format, ...);

#define pr_warn(fmt, ...)  libxsk_print(LIBXSK_WARN, "libxsk: " fmt "\n", ##__VA_ARGS__)
#define pr_debug(fmt, ...) libxsk_print(LIBXSK_DEBUG, "libxsk: " fmt "\n", ##__VA_ARGS__)

/* Report an error and return it, so every failure is one statement. */
#define xsk_fail(err, fmt, ...) ({ pr_warn(fmt, ##__VA_ARGS__); (err); })

LIBXSK_HIDDEN void libxsk_close_fd(int *fd);

/* ---- the objects (see xsk.c for the model) ---------------------------- */

/* A mapping this library made and must undo. */
struct xsk_map_area {
	void *addr;
	size_t len;
};

struct xsk_umem_geometry {
	__u32 fill_size;
	__u32 comp_size;
	__u32 frame_size;
	__u32 frame_headroom;
	__u32 flags;
	__u32 tx_metadata_len;
};

struct xsk_ctx {
	struct xsk_ctx *next;
	struct xsk_ring_prod *fill;
	struct xsk_ring_cons *comp;
	struct xsk_map_area fill_map;	/* only for rings of this ctx's own */
	struct xsk_map_area comp_map;
	__u64 netns;
	int ifindex;
	__u32 queue_id;
	int refcount;
	/* The one frame pool feeding these rings (xsk_batch.c), and its users here. */
	struct xsk_frame_pool *pool;
	int pool_users;
};

struct xsk_umem {
	void *area;
	__u64 size;
	struct xsk_umem_geometry geo;
	struct xsk_ring_prod *fill_save;
	struct xsk_ring_cons *comp_save;
	struct xsk_map_area fill_map;	/* the rings registered on umem->fd */
	struct xsk_map_area comp_map;
	int fd;			/* -1 only if a re-registration failed */
	struct xsk_ctx *fd_ctx;	/* where umem->fd is bound, NULL if unbound */
	__u16 fd_bind_flags;	/* what umem->fd was bound with */
	struct xsk_ctx *ctxs;
	int refcount;		/* live sockets */
};


struct xsk_socket {
	struct xsk_ring_cons *rx;
	struct xsk_ring_prod *tx;
	struct xsk_map_area rx_map;
	struct xsk_map_area tx_map;
	struct xsk_umem *umem;
	struct xsk_ctx *ctx;
	struct xsk_prog *prog;
	int fd;
	int ifindex;
	__u32 queue_id;
	__u16 bind_flags;	/* as bound (shared sockets: the UMEM's) */
	bool busy_poll;		/* set by xsk_socket__set_busy_poll() */
	/* The batched data plane (xsk_batch.c). */
	struct xsk_frame_pool *pool;
	__u32 tx_outstanding;	/* frames on TX not yet completed */
	char ifname[IF_NAMESIZE];
};


/*
 * An id of the calling thread's network namespace.  ifindexes repeat
 * across namespaces, so every per-interface record is keyed by
 * (netns, ifindex).
 */
LIBXSK_HIDDEN __u64 libxsk_current_netns(void);

/* Queue counts of an interface, from ETHTOOL_GCHANNELS. */
struct xsk_ifqueues {
	bool known;	/* false: the driver does not report channels */
	__u32 rx;	/* RX queues in use (rx + combined channels) */
	__u32 tx;	/* TX queues in use (tx + combined channels) */
	__u32 max_rx;	/* RX queues the device can have, at least 1 */
};

LIBXSK_HIDDEN int libxsk_ifqueues_get(const char *ifname, struct xsk_ifqueues *q);

/*
 * The default XDP program of one interface, shared by every socket of the
 * process on it (see xsk_prog.c).
 */
struct xsk_prog;

LIBXSK_HIDDEN int libxsk_prog_get(__u64 netns, int ifindex, const char *ifname,
				  __u32 xdp_flags, struct xsk_prog **out);
LIBXSK_HIDDEN void libxsk_prog_put(struct xsk_prog *p);
LIBXSK_HIDDEN int libxsk_prog_slot_set(struct xsk_prog *p, __u32 queue_id, int fd,
				       const char *ifname);
LIBXSK_HIDDEN void libxsk_prog_slot_clear(struct xsk_prog *p, __u32 queue_id, int fd);

/* The batched data plane (xsk_batch.c): a socket is going away. */
LIBXSK_HIDDEN void libxsk_batch_socket_gone(struct xsk_socket *xsk);

#endif /* __LIBXSK_XSK_INTERNAL_H */
