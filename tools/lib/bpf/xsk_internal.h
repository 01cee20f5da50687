/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What the files of libxsk share and applications never see: messages,
 * a few helpers, and the interface between sockets (xsk.c) and the
 * default XDP program they use (xsk_prog.c).
 */
#ifndef __LIBXSK_XSK_INTERNAL_H
#define __LIBXSK_XSK_INTERNAL_H

#include <stdbool.h>
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

#endif /* __LIBXSK_XSK_INTERNAL_H */
