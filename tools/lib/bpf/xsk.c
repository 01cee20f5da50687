// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libxsk control path: UMEM registration and socket setup.  The default
 * XDP program and its lifetime are in xsk_prog.c.
 *
 * Object model
 * ------------
 * struct xsk_umem     the caller's packet memory, registered on one AF_XDP
 *                     socket (umem->fd), with the fill and completion rings
 *                     the caller passed to xsk_umem__create().
 * struct xsk_ctx      one (network namespace, ifindex, queue) the UMEM is
 *                     bound to, with the fill/completion rings used there.
 *                     Sockets on the same queue share it.
 * struct xsk_socket   one bound socket with its RX and/or TX ring, and its
 *                     hold on the default program of its interface.
 *
 * The first socket of a UMEM is umem->fd itself.  Later sockets are new
 * fds bound with XDP_SHARED_UMEM to umem->fd, which therefore stays open
 * (and bound) until the UMEM's last socket is gone, even if the socket
 * that bound it was deleted first.  When the last socket goes, umem->fd is
 * closed and a fresh registration is made, so the UMEM is again as it was
 * just after xsk_umem__create() and can serve a new first socket.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <net/if.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "xsk_internal.h"

#ifndef AF_XDP
#define AF_XDP 44
#endif
#ifndef SOL_XDP
#define SOL_XDP 283
#endif
#ifndef SO_NETNS_COOKIE
#define SO_NETNS_COOKIE 71
#endif
#ifndef SO_PREFER_BUSY_POLL
#define SO_PREFER_BUSY_POLL 69
#endif
#ifndef SO_BUSY_POLL_BUDGET
#define SO_BUSY_POLL_BUDGET 70
#endif

/* The kernel's internal ENOTSUPP, which some ethtool paths return. */
#define XSK_ENOTSUPP		524

#define XSK_MIN_FRAME_SIZE	2048
#define XSK_PACKET_HEADROOM	256	/* XDP_PACKET_HEADROOM of the kernel */
#define XSK_MAX_TX_METADATA	256

#define XSK_KNOWN_UMEM_FLAGS	(XDP_UMEM_UNALIGNED_CHUNK_FLAG | XDP_UMEM_TX_SW_CSUM)
#define XSK_KNOWN_BIND_FLAGS	(XDP_COPY | XDP_ZEROCOPY | XDP_USE_NEED_WAKEUP | XDP_USE_SG)
#define XSK_KNOWN_XDP_FLAGS	(XDP_FLAGS_UPDATE_IF_NOEXIST | XDP_FLAGS_SKB_MODE | \
				 XDP_FLAGS_DRV_MODE)
#define XSK_KNOWN_LIB_FLAGS	XSK_LIBXDP_FLAGS__INHIBIT_PROG_LOAD

/* UMEM registration with every field the kernel knows (32 bytes). */
struct xsk_umem_reg_full {
	__u64 addr;
	__u64 len;
	__u32 chunk_size;
	__u32 headroom;
	__u32 flags;
	__u32 tx_metadata_len;
};

/* XDP_MMAP_OFFSETS as kernels before 5.4 return it (no flags word). */
struct xsk_ring_offset_v1 {
	__u64 producer;
	__u64 consumer;
	__u64 desc;
};

struct xsk_mmap_offsets_v1 {
	struct xsk_ring_offset_v1 rx, tx, fr, cr;
};

/* Resolved socket options (struct xsk_socket_config with defaults). */
struct xsk_socket_settings {
	__u32 rx_size;
	__u32 tx_size;
	__u32 lib_flags;
	__u32 xdp_flags;
	__u16 bind_flags;
};

/* ------------------------------------------------------------------ */
/* Messages                                                            */
/* ------------------------------------------------------------------ */

static int xsk_default_print(enum libxsk_print_level level, const char *format,
			     va_list args)
{
	if (level != LIBXSK_WARN)
		return 0;
	return vfprintf(stderr, format, args);
}

static libxsk_print_fn_t xsk_print_fn = xsk_default_print;

libxsk_print_fn_t libxsk_set_print(libxsk_print_fn_t fn)
{
	libxsk_print_fn_t old = xsk_print_fn;

	xsk_print_fn = fn;
	return old;
}

void libxsk_print(enum libxsk_print_level level, const char *format, ...)
{
	libxsk_print_fn_t fn = xsk_print_fn;
	int saved_errno = errno;
	va_list args;

	if (!fn)
		return;
	va_start(args, format);
	fn(level, format, args);
	va_end(args);
	errno = saved_errno;
}

/* ------------------------------------------------------------------ */
/* Small helpers                                                       */
/* ------------------------------------------------------------------ */

static bool is_power_of_2(__u64 n)
{
	return n && !(n & (n - 1));
}

void libxsk_close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

static void unmap_area(struct xsk_map_area *area)
{
	if (area->addr)
		munmap(area->addr, area->len);
	area->addr = NULL;
	area->len = 0;
}

static int sleep_ms(unsigned int ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };

	return nanosleep(&ts, NULL);
}

/*
 * The netns cookie where the kernel has one (5.14+), else the inode of
 * /proc/self/ns/net with the top bit set, so the two never collide.
 */
__u64 libxsk_current_netns(void)
{
	socklen_t len = sizeof(__u64);
	__u64 cookie = 0;
	struct stat st;
	int fd;

	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd >= 0) {
		int err = getsockopt(fd, SOL_SOCKET, SO_NETNS_COOKIE, &cookie, &len);

		close(fd);
		if (!err)
			return cookie;
	}
	if (!stat("/proc/self/ns/net", &st))
		return (__u64)st.st_ino | (1ULL << 63);
	return 0;
}

int libxsk_ifqueues_get(const char *ifname, struct xsk_ifqueues *q)
{
	struct ethtool_channels ch = { .cmd = ETHTOOL_GCHANNELS };
	struct ifreq ifr = { 0 };
	int fd, err;

	memset(q, 0, sizeof(*q));
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;

	ifr.ifr_data = (void *)&ch;
	memcpy(ifr.ifr_name, ifname, strnlen(ifname, IFNAMSIZ - 1));
	err = ioctl(fd, SIOCETHTOOL, &ifr) ? -errno : 0;
	close(fd);

	if (err == -EOPNOTSUPP || err == -XSK_ENOTSUPP) {
		q->max_rx = 1;
		return 0;
	}
	if (err)
		return err;

	q->known = true;
	q->rx = ch.rx_count + ch.combined_count;
	q->tx = ch.tx_count + ch.combined_count;
	q->max_rx = ch.max_rx + ch.max_combined;
	if (q->max_rx < q->rx)
		q->max_rx = q->rx;
	if (q->max_rx == 0)
		q->max_rx = 1;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Rings                                                               */
/* ------------------------------------------------------------------ */

static int mmap_offsets_get(int fd, struct xdp_mmap_offsets *off)
{
	socklen_t len = sizeof(*off);
	struct xsk_mmap_offsets_v1 v1;

	if (getsockopt(fd, SOL_XDP, XDP_MMAP_OFFSETS, off, &len))
		return -errno;
	if (len == sizeof(*off))
		return 0;
	if (len != sizeof(v1))
		return -EINVAL;

	/* A v1 kernel keeps the flags word right after the consumer index. */
	memcpy(&v1, off, sizeof(v1));
#define XSK_OFF_FROM_V1(r) do { \
		off->r.producer = v1.r.producer; \
		off->r.consumer = v1.r.consumer; \
		off->r.desc = v1.r.desc; \
		off->r.flags = v1.r.consumer + sizeof(__u32); \
	} while (0)
	XSK_OFF_FROM_V1(rx);
	XSK_OFF_FROM_V1(tx);
	XSK_OFF_FROM_V1(fr);
	XSK_OFF_FROM_V1(cr);
#undef XSK_OFF_FROM_V1
	return 0;
}

static const char *ring_name(int optname)
{
	switch (optname) {
	case XDP_RX_RING: return "RX";
	case XDP_TX_RING: return "TX";
	case XDP_UMEM_FILL_RING: return "fill";
	case XDP_UMEM_COMPLETION_RING: return "completion";
	default: return "?";
	}
}

static int ring_size_set(int fd, int optname, __u32 size)
{
	if (!is_power_of_2(size))
		return xsk_fail(-EINVAL, "%s ring size %u is not a power of two",
				ring_name(optname), size);
	if (setsockopt(fd, SOL_XDP, optname, &size, sizeof(size)))
		return xsk_fail(-errno, "setting the %s ring size to %u failed: %s",
				ring_name(optname), size, strerror(errno));
	return 0;
}

/*
 * Map one ring and describe it in the caller's struct.  The producer and
 * consumer structs have one layout; the ring kind decides only the slot
 * size and which cached index starts "full".
 */
struct xsk_ring_view {
	__u32 *cached_prod;
	__u32 *cached_cons;
	__u32 *mask;
	__u32 *size;
	__u32 **producer;
	__u32 **consumer;
	void **ring;
	__u32 **flags;
};

#define XSK_RING_VIEW(r) ((struct xsk_ring_view){ &(r)->cached_prod, \
	&(r)->cached_cons, &(r)->mask, &(r)->size, &(r)->producer, \
	&(r)->consumer, &(r)->ring, &(r)->flags })

static int ring_map(int fd, int optname, __u32 size,
		    const struct xdp_ring_offset *off, struct xsk_ring_view v,
		    struct xsk_map_area *area)
{
	static const struct { __u64 pgoff; size_t slot; bool producer; } kind[] = {
		[XDP_RX_RING] = { XDP_PGOFF_RX_RING, sizeof(struct xdp_desc), false },
		[XDP_TX_RING] = { XDP_PGOFF_TX_RING, sizeof(struct xdp_desc), true },
		[XDP_UMEM_FILL_RING] = { XDP_UMEM_PGOFF_FILL_RING, sizeof(__u64), true },
		[XDP_UMEM_COMPLETION_RING] = { XDP_UMEM_PGOFF_COMPLETION_RING,
					       sizeof(__u64), false },
	};
	size_t len = off->desc + (size_t)size * kind[optname].slot;
	char *map;

	map = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE,
		   fd, kind[optname].pgoff);
	if (map == MAP_FAILED)
		return xsk_fail(-errno, "mapping the %s ring (%zu bytes) failed: %s",
				ring_name(optname), len, strerror(errno));

	area->addr = map;
	area->len = len;
	*v.mask = size - 1;
	*v.size = size;
	*v.producer = (__u32 *)(map + off->producer);
	*v.consumer = (__u32 *)(map + off->consumer);
	*v.flags = (__u32 *)(map + off->flags);
	*v.ring = map + off->desc;
	*v.cached_prod = *(*v.producer);
	/* A producer's cached consumer runs one ring ahead: see xsk.h. */
	*v.cached_cons = *(*v.consumer) + (kind[optname].producer ? size : 0);
	return 0;
}

/* Set a ring's size on @fd and map it into @v. */
static int ring_create(int fd, int optname, __u32 size, struct xsk_ring_view v,
		       struct xsk_map_area *area)
{
	struct xdp_mmap_offsets off;
	const struct xdp_ring_offset *ro;
	int err;

	err = ring_size_set(fd, optname, size);
	if (err)
		return err;
	err = mmap_offsets_get(fd, &off);
	if (err)
		return xsk_fail(err, "reading XDP_MMAP_OFFSETS failed: %s", strerror(-err));

	switch (optname) {
	case XDP_RX_RING: ro = &off.rx; break;
	case XDP_TX_RING: ro = &off.tx; break;
	case XDP_UMEM_FILL_RING: ro = &off.fr; break;
	default: ro = &off.cr; break;
	}
	return ring_map(fd, optname, size, ro, v, area);
}

/* ------------------------------------------------------------------ */
/* UMEM                                                                */
/* ------------------------------------------------------------------ */

static int umem_geometry_check(const void *area, __u64 size,
			       const struct xsk_umem_geometry *g)
{
	long page = sysconf(_SC_PAGESIZE);
	bool unaligned = g->flags & XDP_UMEM_UNALIGNED_CHUNK_FLAG;

	if ((uintptr_t)area & (page - 1))
		return xsk_fail(-EINVAL, "UMEM area %p is not page-aligned (page size %ld)",
				area, page);
	if (size == 0)
		return xsk_fail(-EINVAL, "UMEM size is 0");
	if (g->flags & ~XSK_KNOWN_UMEM_FLAGS)
		return xsk_fail(-EINVAL, "unknown UMEM flags 0x%x", g->flags & ~XSK_KNOWN_UMEM_FLAGS);
	if (g->frame_size < XSK_MIN_FRAME_SIZE)
		return xsk_fail(-EINVAL, "frame size %u is below the minimum of %u",
				g->frame_size, XSK_MIN_FRAME_SIZE);
	if (!unaligned && !is_power_of_2(g->frame_size))
		return xsk_fail(-EINVAL, "frame size %u is not a power of two, which aligned mode "
				"requires (use XDP_UMEM_UNALIGNED_CHUNK_FLAG)", g->frame_size);
	if (!unaligned && g->frame_size > page)
		return xsk_fail(-EINVAL, "frame size %u exceeds the page size %ld in aligned mode",
				g->frame_size, page);
	if (g->frame_size > size)
		return xsk_fail(-EINVAL, "frame size %u exceeds the UMEM size %llu",
				g->frame_size, (unsigned long long)size);
	if (!unaligned && size % g->frame_size)
		return xsk_fail(-EINVAL, "UMEM size %llu is not a multiple of the frame size %u",
				(unsigned long long)size, g->frame_size);
	if (g->frame_headroom + XSK_PACKET_HEADROOM >= g->frame_size)
		return xsk_fail(-EINVAL, "frame headroom %u leaves no room for data in %u-byte "
				"frames (the kernel keeps %u more)", g->frame_headroom,
				g->frame_size, XSK_PACKET_HEADROOM);
	if (g->tx_metadata_len % 8 || g->tx_metadata_len >= XSK_MAX_TX_METADATA)
		return xsk_fail(-EINVAL, "TX metadata length %u must be a multiple of 8 below %u",
				g->tx_metadata_len, XSK_MAX_TX_METADATA);
	if (!is_power_of_2(g->fill_size))
		return xsk_fail(-EINVAL, "fill ring size %u is not a power of two", g->fill_size);
	if (!is_power_of_2(g->comp_size))
		return xsk_fail(-EINVAL, "completion ring size %u is not a power of two",
				g->comp_size);
	return 0;
}

static int umem_register(struct xsk_umem *umem, int fd)
{
	struct xsk_umem_reg_full reg = {
		.addr = (uintptr_t)umem->area,
		.len = umem->size,
		.chunk_size = umem->geo.frame_size,
		.headroom = umem->geo.frame_headroom,
		.flags = umem->geo.flags,
		.tx_metadata_len = umem->geo.tx_metadata_len,
	};

	if (reg.tx_metadata_len)
		reg.flags |= XDP_UMEM_TX_METADATA_LEN;
	if (setsockopt(fd, SOL_XDP, XDP_UMEM_REG, &reg, sizeof(reg))) {
		int err = -errno;

		if (err == -ENOBUFS || err == -ENOMEM || err == -EPERM)
			return xsk_fail(err, "registering a %llu-byte UMEM failed: %s (pinned pages "
					"count against RLIMIT_MEMLOCK without CAP_IPC_LOCK)",
					(unsigned long long)umem->size, strerror(-err));
		return xsk_fail(err, "registering the UMEM (%llu bytes, frame %u, headroom %u, "
				"flags 0x%x) failed: %s", (unsigned long long)umem->size,
				reg.chunk_size, reg.headroom, reg.flags, strerror(-err));
	}
	return 0;
}

static void umem_rings_unmap(struct xsk_umem *umem)
{
	unmap_area(&umem->fill_map);
	unmap_area(&umem->comp_map);
}

/*
 * Make umem->fd a fresh AF_XDP socket with the UMEM registered and its
 * fill and completion rings mapped into the caller's structs.  @fd is an
 * fd to use instead of a new socket (ownership passes on success), or -1.
 */
static int umem_open(struct xsk_umem *umem, int fd)
{
	bool own_fd = fd < 0;
	int err;

	if (own_fd) {
		fd = socket(AF_XDP, SOCK_RAW | SOCK_CLOEXEC, 0);
		if (fd < 0)
			return xsk_fail(-errno, "creating an AF_XDP socket failed: %s%s",
					strerror(errno), errno == EPERM ?
					" (CAP_NET_RAW is required)" : "");
	}

	err = umem_register(umem, fd);
	if (!err)
		err = ring_create(fd, XDP_UMEM_FILL_RING, umem->geo.fill_size,
				  XSK_RING_VIEW(umem->fill_save), &umem->fill_map);
	if (!err)
		err = ring_create(fd, XDP_UMEM_COMPLETION_RING, umem->geo.comp_size,
				  XSK_RING_VIEW(umem->comp_save), &umem->comp_map);
	if (err) {
		umem_rings_unmap(umem);
		if (own_fd)
			close(fd);	/* a caller's fd stays the caller's */
		return err;
	}
	umem->fd = fd;
	umem->fd_ctx = NULL;
	return 0;
}

static void umem_close(struct xsk_umem *umem)
{
	umem_rings_unmap(umem);
	libxsk_close_fd(&umem->fd);
	umem->fd_ctx = NULL;
}

/*
 * Return the UMEM to its freshly created state: a new, unbound
 * registration.  @keep_fill carries over the addresses the application
 * put on the fill ring and the kernel never took (after a first socket
 * failed to bind, so that a retry, say in copy mode after zero-copy was
 * refused, finds the ring as it was).  Otherwise the rings start empty:
 * the last socket is gone and every frame is the application's again.
 */
static void umem_reset(struct xsk_umem *umem, bool keep_fill)
{
	struct xsk_ring_prod *fill = umem->fill_save;
	__u64 *pending = NULL;
	__u32 n = 0, i, idx;

	if (keep_fill && umem->fill_map.addr) {
		__u32 cons = *fill->consumer;

		n = *fill->producer - cons;
		pending = n && n <= fill->size ? malloc(sizeof(*pending) * n) : NULL;
		if (!pending)
			n = 0;
		for (i = 0; i < n; i++)
			pending[i] = *xsk_ring_prod__fill_addr(fill, cons + i);
	}

	umem_close(umem);
	if (umem_open(umem, -1)) {
		pr_warn("re-registering the UMEM failed; the next socket will try again");
	} else if (n && xsk_ring_prod__reserve(fill, n, &idx) == n) {
		for (i = 0; i < n; i++)
			*xsk_ring_prod__fill_addr(fill, idx + i) = pending[i];
		xsk_ring_prod__submit(fill, n);
	}
	free(pending);
}

static int umem_new(struct xsk_umem **out, void *area, __u64 size, int fd,
		    struct xsk_ring_prod *fill, struct xsk_ring_cons *comp,
		    const struct xsk_umem_geometry *geo)
{
	struct xsk_umem *umem;
	int err;

	*out = NULL;
	if (!area || !fill || !comp)
		return xsk_fail(-EFAULT, "xsk_umem__create: NULL %s",
				!area ? "UMEM area" : !fill ? "fill ring" : "completion ring");
	if (fill == (void *)comp)
		return xsk_fail(-EINVAL, "the fill and completion rings are the same struct");
	err = umem_geometry_check(area, size, geo);
	if (err)
		return err;

	umem = calloc(1, sizeof(*umem));
	if (!umem)
		return xsk_fail(-ENOMEM, "out of memory for a UMEM");
	umem->area = area;
	umem->size = size;
	umem->geo = *geo;
	umem->fill_save = fill;
	umem->comp_save = comp;
	umem->fd = -1;

	err = umem_open(umem, fd);
	if (err) {
		free(umem);
		return err;
	}
	*out = umem;
	return 0;
}

static void geometry_from_config(struct xsk_umem_geometry *g,
				 const struct xsk_umem_config *c)
{
	*g = (struct xsk_umem_geometry){
		.fill_size = XSK_RING_PROD__DEFAULT_NUM_DESCS,
		.comp_size = XSK_RING_CONS__DEFAULT_NUM_DESCS,
		.frame_size = XSK_UMEM__DEFAULT_FRAME_SIZE,
		.frame_headroom = XSK_UMEM__DEFAULT_FRAME_HEADROOM,
		.flags = XSK_UMEM__DEFAULT_FLAGS,
	};
	if (c) {
		g->fill_size = c->fill_size;
		g->comp_size = c->comp_size;
		g->frame_size = c->frame_size;
		g->frame_headroom = c->frame_headroom;
		g->flags = c->flags;
	}
}

int xsk_umem__create_with_fd(struct xsk_umem **umem_ptr, int fd, void *umem_area,
			     __u64 size, struct xsk_ring_prod *fill,
			     struct xsk_ring_cons *comp,
			     const struct xsk_umem_config *config)
{
	struct xsk_umem_geometry geo;

	if (!umem_ptr)
		return xsk_fail(-EFAULT, "xsk_umem__create: NULL result pointer");
	if (fd < 0)
		return xsk_fail(-EBADF, "xsk_umem__create_with_fd: bad fd %d", fd);
	geometry_from_config(&geo, config);
	return umem_new(umem_ptr, umem_area, size, fd, fill, comp, &geo);
}

int xsk_umem__create(struct xsk_umem **umem_ptr, void *umem_area, __u64 size,
		     struct xsk_ring_prod *fill, struct xsk_ring_cons *comp,
		     const struct xsk_umem_config *config)
{
	struct xsk_umem_geometry geo;

	if (!umem_ptr)
		return xsk_fail(-EFAULT, "xsk_umem__create: NULL result pointer");
	geometry_from_config(&geo, config);
	return umem_new(umem_ptr, umem_area, size, -1, fill, comp, &geo);
}

/*
 * Options structs grow at the end.  A caller built against a newer header
 * may pass a bigger struct: that is fine as long as every byte we do not
 * know is zero.
 */
static bool opts_valid(const void *opts, size_t known, size_t sz, const char *name)
{
	const char *bytes = opts;
	size_t i;

	if (sz < sizeof(size_t)) {
		pr_warn("%s: sz %zu is too small (set it to sizeof(struct %s))", name, sz, name);
		return false;
	}
	for (i = known; i < sz; i++) {
		if (bytes[i]) {
			pr_warn("%s: unknown option at byte %zu (sz %zu, known %zu) is non-zero",
				name, i, sz, known);
			return false;
		}
	}
	return true;
}

#define offsetofend(type, field) (offsetof(type, field) + sizeof(((type *)0)->field))

/* Whether the caller's struct is big enough to have @field. */
#define OPT_HAS(opts, field) \
	((opts)->sz >= offsetofend(typeof(*(opts)), field))

/* A field's value, or @fallback when it is absent or zero. */
#define OPT_GET(opts, field, fallback) \
	(OPT_HAS(opts, field) && (opts)->field ? (opts)->field : (fallback))

struct xsk_umem *xsk_umem__create_opts(void *umem_area, struct xsk_ring_prod *fill,
				       struct xsk_ring_cons *comp,
				       struct xsk_umem_opts *opts)
{
	struct xsk_umem_geometry geo;
	struct xsk_umem *umem;
	int fd, err;

	if (!opts) {
		errno = -xsk_fail(-EFAULT, "xsk_umem__create_opts: NULL opts");
		return NULL;
	}
	if (!opts_valid(opts, offsetofend(struct xsk_umem_opts, xsk_umem_opts__last_field),
			opts->sz, "xsk_umem_opts")) {
		errno = EINVAL;
		return NULL;
	}
	/* fd 0 means "unset" so that zero-initialised opts create a socket. */
	fd = OPT_GET(opts, fd, -1);
	if (fd < -1 || (OPT_HAS(opts, fd) && opts->fd < 0)) {
		errno = -xsk_fail(-EBADF, "xsk_umem_opts: bad fd %d", opts->fd);
		return NULL;
	}
	geometry_from_config(&geo, NULL);
	geo.fill_size = OPT_GET(opts, fill_size, geo.fill_size);
	geo.comp_size = OPT_GET(opts, comp_size, geo.comp_size);
	geo.frame_size = OPT_GET(opts, frame_size, geo.frame_size);
	geo.frame_headroom = OPT_GET(opts, frame_headroom, geo.frame_headroom);
	geo.flags = OPT_GET(opts, flags, geo.flags);
	geo.tx_metadata_len = OPT_GET(opts, tx_metadata_len, 0);

	err = umem_new(&umem, umem_area, OPT_GET(opts, size, 0), fd, fill, comp, &geo);
	if (err)
		errno = -err;
	return umem;
}

int xsk_umem__delete(struct xsk_umem *umem)
{
	if (!umem)
		return 0;
	if (umem->refcount)
		return xsk_fail(-EBUSY, "UMEM still has %d socket%s: delete them first",
				umem->refcount, umem->refcount == 1 ? "" : "s");
	umem_close(umem);
	free(umem);
	return 0;
}

int xsk_umem__fd(const struct xsk_umem *umem)
{
	return umem ? umem->fd : -EINVAL;
}

/* ------------------------------------------------------------------ */
/* Per-queue contexts                                                  */
/* ------------------------------------------------------------------ */

static struct xsk_ctx *ctx_find(struct xsk_umem *umem, __u64 netns, int ifindex,
				__u32 queue_id)
{
	struct xsk_ctx *ctx;

	for (ctx = umem->ctxs; ctx; ctx = ctx->next)
		if (ctx->netns == netns && ctx->ifindex == ifindex &&
		    ctx->queue_id == queue_id)
			return ctx;
	return NULL;
}

static struct xsk_ctx *ctx_new(struct xsk_umem *umem, __u64 netns, int ifindex,
			       __u32 queue_id)
{
	struct xsk_ctx *ctx = calloc(1, sizeof(*ctx));

	if (!ctx)
		return NULL;
	ctx->netns = netns;
	ctx->ifindex = ifindex;
	ctx->queue_id = queue_id;
	ctx->refcount = 1;
	ctx->next = umem->ctxs;
	umem->ctxs = ctx;
	return ctx;
}

static void ctx_put(struct xsk_umem *umem, struct xsk_ctx *ctx)
{
	struct xsk_ctx **pp;

	if (--ctx->refcount > 0)
		return;
	for (pp = &umem->ctxs; *pp; pp = &(*pp)->next) {
		if (*pp == ctx) {
			*pp = ctx->next;
			break;
		}
	}
	unmap_area(&ctx->fill_map);
	unmap_area(&ctx->comp_map);
	free(ctx);
}

/* ------------------------------------------------------------------ */
/* Sockets                                                             */
/* ------------------------------------------------------------------ */

static int settings_resolve(struct xsk_socket_settings *s,
			    const struct xsk_socket_config *c)
{
	*s = (struct xsk_socket_settings){
		.rx_size = XSK_RING_CONS__DEFAULT_NUM_DESCS,
		.tx_size = XSK_RING_PROD__DEFAULT_NUM_DESCS,
	};
	if (c) {
		s->rx_size = c->rx_size;
		s->tx_size = c->tx_size;
		s->lib_flags = c->libxdp_flags;
		s->xdp_flags = c->xdp_flags;
		s->bind_flags = c->bind_flags;
	}

	if (s->lib_flags & ~XSK_KNOWN_LIB_FLAGS)
		return xsk_fail(-EINVAL, "unknown libxdp_flags 0x%x",
				s->lib_flags & ~XSK_KNOWN_LIB_FLAGS);
	if (s->xdp_flags & ~XSK_KNOWN_XDP_FLAGS)
		return xsk_fail(-EINVAL, "unsupported xdp_flags 0x%x (only XDP_FLAGS_SKB_MODE, "
				"XDP_FLAGS_DRV_MODE and XDP_FLAGS_UPDATE_IF_NOEXIST apply)",
				s->xdp_flags & ~XSK_KNOWN_XDP_FLAGS);
	if ((s->xdp_flags & XDP_FLAGS_SKB_MODE) && (s->xdp_flags & XDP_FLAGS_DRV_MODE))
		return xsk_fail(-EINVAL, "xdp_flags 0x%x ask for both SKB and native mode",
				s->xdp_flags);
	if (s->bind_flags & XDP_SHARED_UMEM)
		return xsk_fail(-EINVAL, "bind_flags must not contain XDP_SHARED_UMEM: the library "
				"sets it when a UMEM is shared");
	if (s->bind_flags & ~XSK_KNOWN_BIND_FLAGS)
		return xsk_fail(-EINVAL, "unknown bind_flags 0x%x",
				s->bind_flags & ~XSK_KNOWN_BIND_FLAGS);
	if ((s->bind_flags & XDP_COPY) && (s->bind_flags & XDP_ZEROCOPY))
		return xsk_fail(-EINVAL, "bind_flags 0x%x ask for both XDP_COPY and XDP_ZEROCOPY",
				s->bind_flags);
	return 0;
}

static int ifname_resolve(const char *ifname, int *ifindex)
{
	if (!ifname)
		return xsk_fail(-EFAULT, "NULL interface name");
	if (strnlen(ifname, IF_NAMESIZE) >= IF_NAMESIZE)
		return xsk_fail(-EINVAL, "interface name '%.*s...' is longer than %d bytes",
				IF_NAMESIZE, ifname, IF_NAMESIZE - 1);
	*ifindex = if_nametoindex(ifname);
	if (!*ifindex)
		return xsk_fail(-ENODEV, "interface '%s' not found in this network namespace",
				ifname);
	return 0;
}

static int queue_check(const char *ifname, __u32 queue_id, bool rx, bool tx)
{
	struct xsk_ifqueues q;
	int err;

	err = libxsk_ifqueues_get(ifname, &q);
	if (err)
		return xsk_fail(err, "reading the queue count of %s failed: %s", ifname,
				strerror(-err));
	if (!q.known)
		return 0;	/* the kernel's bind checks */
	if (rx && queue_id >= q.rx)
		return xsk_fail(-EINVAL, "queue %u is out of range: %s has %u RX queue%s",
				queue_id, ifname, q.rx, q.rx == 1 ? "" : "s");
	if (tx && queue_id >= q.tx)
		return xsk_fail(-EINVAL, "queue %u is out of range: %s has %u TX queue%s",
				queue_id, ifname, q.tx, q.tx == 1 ? "" : "s");
	return 0;
}

/*
 * Bind, riding out the moment after a socket on the same queue was
 * closed: the kernel frees an AF_XDP socket after an RCU grace period and
 * then releases its queue from a workqueue, so for some tens of
 * milliseconds a re-bind sees EBUSY.  Poll in small steps for up to a
 * second (grace periods stretch on a loaded machine) before calling the
 * queue taken.
 */
#define XSK_BIND_BUSY_WAIT_MS	1000

static int xsk_bind(struct xsk_socket *xsk, __u16 flags, int shared_fd)
{
	struct sockaddr_xdp sxdp = {
		.sxdp_family = AF_XDP,
		.sxdp_flags = flags,
		.sxdp_ifindex = xsk->ifindex,
		.sxdp_queue_id = xsk->queue_id,
		.sxdp_shared_umem_fd = shared_fd,
	};
	unsigned int waited = 0, step = 1;
	int err;

	for (;;) {
		if (!bind(xsk->fd, (struct sockaddr *)&sxdp, sizeof(sxdp)))
			return 0;
		err = -errno;
		if (err != -EBUSY || waited >= XSK_BIND_BUSY_WAIT_MS)
			break;
		sleep_ms(step);
		waited += step;
		if (step < 4)
			step *= 2;
	}
	if (waited)
		pr_debug("binding to %s queue %u: EBUSY for %u ms", xsk->ifname, xsk->queue_id,
			 waited);

	switch (err) {
	case -EBUSY:
		return xsk_fail(err, "queue %u of %s is already bound to an AF_XDP socket of "
				"another UMEM (still busy after %u ms)", xsk->queue_id,
				xsk->ifname, waited);
	case -EOPNOTSUPP:
		if (flags & XDP_ZEROCOPY)
			return xsk_fail(err, "%s does not support zero-copy (XDP_ZEROCOPY) on "
					"queue %u", xsk->ifname, xsk->queue_id);
		if (flags & XDP_USE_SG)
			return xsk_fail(err, "%s does not support multi-buffer (XDP_USE_SG) in "
					"this mode", xsk->ifname);
		break;
	case -ENODEV:
		return xsk_fail(err, "interface %s (index %d) vanished", xsk->ifname,
				xsk->ifindex);
	default:
		break;
	}
	return xsk_fail(err, "binding to %s queue %u (flags 0x%x) failed: %s", xsk->ifname,
			xsk->queue_id, flags, strerror(-err));
}

/*
 * Find or make the context of (netns, ifindex, queue) for @xsk, deciding
 * which fill and completion rings that queue uses.
 */
static int ctx_attach(struct xsk_socket *xsk, __u64 netns, struct xsk_ring_prod *fill,
		      struct xsk_ring_cons *comp, bool on_umem_fd)
{
	struct xsk_umem *umem = xsk->umem;
	struct xsk_ctx *ctx;
	int err;

	if (!fill != !comp)
		return xsk_fail(-EFAULT, "a fill ring was given without a completion ring, or "
				"the other way round");

	ctx = ctx_find(umem, netns, xsk->ifindex, xsk->queue_id);
	if (ctx) {
		if ((fill && fill != ctx->fill) || (comp && comp != ctx->comp))
			return xsk_fail(-EINVAL, "queue %u of %s already has fill and completion "
					"rings for this UMEM: pass NULL or those rings",
					xsk->queue_id, xsk->ifname);
		ctx->refcount++;
		xsk->ctx = ctx;
		return 0;
	}

	if (on_umem_fd) {
		/* The first socket uses the rings registered with the UMEM. */
		fill = fill ? fill : umem->fill_save;
		comp = comp ? comp : umem->comp_save;
		ctx = ctx_new(umem, netns, xsk->ifindex, xsk->queue_id);
		if (!ctx)
			return xsk_fail(-ENOMEM, "out of memory for a queue context");
		if (fill != umem->fill_save)
			*fill = *umem->fill_save;
		if (comp != umem->comp_save)
			*comp = *umem->comp_save;
		ctx->fill = fill;
		ctx->comp = comp;
		xsk->ctx = ctx;
		return 0;
	}

	if (!fill)
		return xsk_fail(-EFAULT, "queue %u of %s is new to this UMEM, whose own rings "
				"serve another queue: give it fill and completion rings "
				"(xsk_socket__create_shared)", xsk->queue_id, xsk->ifname);
	for (ctx = umem->ctxs; ctx; ctx = ctx->next)
		if (fill == ctx->fill || comp == ctx->comp || fill == umem->fill_save ||
		    comp == umem->comp_save)
			return xsk_fail(-EINVAL, "the fill and completion rings given for %s queue "
					"%u already serve another queue of this UMEM",
					xsk->ifname, xsk->queue_id);

	ctx = ctx_new(umem, netns, xsk->ifindex, xsk->queue_id);
	if (!ctx)
		return xsk_fail(-ENOMEM, "out of memory for a queue context");
	xsk->ctx = ctx;
	err = ring_create(xsk->fd, XDP_UMEM_FILL_RING, umem->geo.fill_size,
			  XSK_RING_VIEW(fill), &ctx->fill_map);
	if (!err)
		err = ring_create(xsk->fd, XDP_UMEM_COMPLETION_RING, umem->geo.comp_size,
				  XSK_RING_VIEW(comp), &ctx->comp_map);
	if (err)
		return err;	/* socket_undo() puts the ctx */
	ctx->fill = fill;
	ctx->comp = comp;
	return 0;
}

/*
 * A socket sharing a UMEM inherits the bind flags of the UMEM's first
 * socket: the kernel refuses any of its own.  Flags the caller leaves out
 * are inherited; a flag that contradicts what the UMEM runs with is an
 * error rather than silently dropped.
 */
static int shared_bind_flags_check(struct xsk_socket *xsk, __u16 asked)
{
	struct xsk_umem *umem = xsk->umem;
	struct xdp_options opts = { 0 };
	socklen_t len = sizeof(opts);
	__u16 have = umem->fd_bind_flags;
	bool zc;

	if (getsockopt(umem->fd, SOL_XDP, XDP_OPTIONS, &opts, &len))
		opts.flags = 0;		/* kernels before 5.3: copy mode */
	zc = opts.flags & XDP_OPTIONS_ZEROCOPY;
	if ((asked & XDP_ZEROCOPY) && !zc)
		return xsk_fail(-EINVAL, "sockets sharing this UMEM run in copy mode, which %s "
				"queue %u would inherit: XDP_ZEROCOPY cannot be had",
				xsk->ifname, xsk->queue_id);
	if ((asked & XDP_COPY) && zc)
		return xsk_fail(-EINVAL, "sockets sharing this UMEM run in zero-copy mode, which "
				"%s queue %u would inherit: XDP_COPY cannot be had",
				xsk->ifname, xsk->queue_id);
	if ((asked & ~have) & (XDP_USE_NEED_WAKEUP | XDP_USE_SG))
		return xsk_fail(-EINVAL, "a socket sharing a UMEM inherits the bind flags of its "
				"first socket (0x%x); 0x%x was asked for", have, asked);
	return 0;
}

/* How far socket_create() got: socket_undo() undoes any prefix of it. */
enum xsk_stage {
	XSK_STAGE_NEW,		/* nothing done to umem->fd */
	XSK_STAGE_CONFIGURED,	/* rings may have been set on umem->fd */
	XSK_STAGE_BOUND,	/* bound and counted in umem->refcount */
};

static void socket_undo(struct xsk_socket *xsk, enum xsk_stage stage)
{
	struct xsk_umem *umem = xsk->umem;
	bool on_umem_fd = xsk->fd >= 0 && xsk->fd == umem->fd;

	libxsk_batch_socket_gone(xsk);
	/* Out of the map first, so nothing is redirected to a closing socket. */
	if (xsk->prog) {
		if (stage == XSK_STAGE_BOUND && xsk->rx)
			libxsk_prog_slot_clear(xsk->prog, xsk->queue_id, xsk->fd);
		libxsk_prog_put(xsk->prog);
	}
	unmap_area(&xsk->rx_map);
	unmap_area(&xsk->tx_map);
	if (xsk->ctx)
		ctx_put(umem, xsk->ctx);
	if (!on_umem_fd)
		libxsk_close_fd(&xsk->fd);

	if (stage == XSK_STAGE_BOUND && --umem->refcount == 0) {
		/* umem->fd stayed bound for the others; now it can go. */
		ctx_put(umem, umem->fd_ctx);
		umem->fd_ctx = NULL;
		umem_reset(umem, false);
	} else if (stage == XSK_STAGE_CONFIGURED && on_umem_fd) {
		umem_reset(umem, true);
	}
	free(xsk);
}

static int socket_create(struct xsk_socket **out, const char *ifname, __u32 queue_id,
			 struct xsk_umem *umem, struct xsk_ring_cons *rx,
			 struct xsk_ring_prod *tx, struct xsk_ring_prod *fill,
			 struct xsk_ring_cons *comp, const struct xsk_socket_settings *s)
{
	enum xsk_stage stage = XSK_STAGE_NEW;
	__u16 bind_flags = s->bind_flags;
	struct xsk_socket *xsk;
	bool on_umem_fd;
	__u64 netns;
	int err;

	*out = NULL;
	if (!umem)
		return xsk_fail(-EFAULT, "NULL UMEM");
	if (!rx && !tx)
		return xsk_fail(-EFAULT, "a socket needs an RX ring, a TX ring or both; both are "
				"NULL");
	if ((void *)rx == (void *)tx)
		return xsk_fail(-EINVAL, "the RX and TX rings are the same struct");
	xsk = calloc(1, sizeof(*xsk));
	if (!xsk)
		return xsk_fail(-ENOMEM, "out of memory for a socket");
	xsk->umem = umem;
	xsk->queue_id = queue_id;
	xsk->fd = -1;

	err = ifname_resolve(ifname, &xsk->ifindex);
	if (err)
		goto fail;
	memcpy(xsk->ifname, ifname, strlen(ifname) + 1);
	err = queue_check(ifname, queue_id, rx, tx);
	if (err)
		goto fail;

	/* The program first: refusing a foreign one leaves the UMEM untouched. */
	netns = libxsk_current_netns();
	if (!(s->lib_flags & XSK_LIBXDP_FLAGS__INHIBIT_PROG_LOAD)) {
		err = libxsk_prog_get(netns, xsk->ifindex, ifname, s->xdp_flags, &xsk->prog);
		if (err)
			goto fail;
	}

	if (umem->fd < 0) {
		/* An earlier re-registration failed; try again now. */
		err = umem_open(umem, -1);
		if (err)
			goto fail;
	}
	on_umem_fd = umem->refcount == 0;
	if (on_umem_fd) {
		xsk->fd = umem->fd;
	} else {
		err = shared_bind_flags_check(xsk, bind_flags);
		if (err)
			goto fail;
		xsk->fd = socket(AF_XDP, SOCK_RAW | SOCK_CLOEXEC, 0);
		if (xsk->fd < 0) {
			err = xsk_fail(-errno, "creating an AF_XDP socket failed: %s",
				       strerror(errno));
			goto fail;
		}
		bind_flags = XDP_SHARED_UMEM;
	}

	err = ctx_attach(xsk, netns, fill, comp, on_umem_fd);
	if (err)
		goto fail;

	stage = XSK_STAGE_CONFIGURED;
	if (rx) {
		err = ring_create(xsk->fd, XDP_RX_RING, s->rx_size, XSK_RING_VIEW(rx),
				  &xsk->rx_map);
		if (err)
			goto fail;
		xsk->rx = rx;
	}
	if (tx) {
		err = ring_create(xsk->fd, XDP_TX_RING, s->tx_size, XSK_RING_VIEW(tx),
				  &xsk->tx_map);
		if (err)
			goto fail;
		xsk->tx = tx;
	}

	err = xsk_bind(xsk, bind_flags, on_umem_fd ? 0 : umem->fd);
	if (err)
		goto fail;
	stage = XSK_STAGE_BOUND;
	xsk->bind_flags = on_umem_fd ? bind_flags : umem->fd_bind_flags;
	umem->refcount++;
	if (on_umem_fd) {
		/* The UMEM keeps this queue's ctx while umem->fd is bound there. */
		umem->fd_ctx = xsk->ctx;
		umem->fd_bind_flags = bind_flags;
		xsk->ctx->refcount++;
	}

	/*
	 * A socket without RX takes no slot (as in libxdp): redirected there,
	 * its queue's frames would be dropped instead of reaching the stack.
	 */
	if (xsk->prog && rx) {
		err = libxsk_prog_slot_set(xsk->prog, queue_id, xsk->fd, ifname);
		if (err)
			goto fail;
	}
	*out = xsk;
	return 0;

fail:
	socket_undo(xsk, stage);
	return err;
}

int xsk_socket__create_shared(struct xsk_socket **xsk_ptr, const char *ifname,
			      __u32 queue_id, struct xsk_umem *umem,
			      struct xsk_ring_cons *rx, struct xsk_ring_prod *tx,
			      struct xsk_ring_prod *fill, struct xsk_ring_cons *comp,
			      const struct xsk_socket_config *config)
{
	struct xsk_socket_settings s;
	int err;

	if (!xsk_ptr)
		return xsk_fail(-EFAULT, "xsk_socket__create: NULL result pointer");
	*xsk_ptr = NULL;
	err = settings_resolve(&s, config);
	if (err)
		return err;
	return socket_create(xsk_ptr, ifname, queue_id, umem, rx, tx, fill, comp, &s);
}

int xsk_socket__create(struct xsk_socket **xsk_ptr, const char *ifname, __u32 queue_id,
		       struct xsk_umem *umem, struct xsk_ring_cons *rx,
		       struct xsk_ring_prod *tx, const struct xsk_socket_config *config)
{
	return xsk_socket__create_shared(xsk_ptr, ifname, queue_id, umem, rx, tx, NULL, NULL,
					 config);
}

struct xsk_socket *xsk_socket__create_opts(const char *ifname, __u32 queue_id,
					   struct xsk_umem *umem,
					   struct xsk_socket_opts *opts)
{
	struct xsk_socket_settings s;
	struct xsk_socket_config c;
	struct xsk_socket *xsk = NULL;
	int err;

	if (!opts) {
		errno = -xsk_fail(-EFAULT, "xsk_socket__create_opts: NULL opts");
		return NULL;
	}
	if (!opts_valid(opts, offsetofend(struct xsk_socket_opts, xsk_socket_opts__last_field),
			opts->sz, "xsk_socket_opts")) {
		errno = EINVAL;
		return NULL;
	}
	c = (struct xsk_socket_config){
		.rx_size = OPT_GET(opts, rx_size, XSK_RING_CONS__DEFAULT_NUM_DESCS),
		.tx_size = OPT_GET(opts, tx_size, XSK_RING_PROD__DEFAULT_NUM_DESCS),
		.libxdp_flags = OPT_GET(opts, libxdp_flags, 0),
		.xdp_flags = OPT_GET(opts, xdp_flags, 0),
		.bind_flags = OPT_GET(opts, bind_flags, 0),
	};
	err = settings_resolve(&s, &c);
	if (!err)
		err = socket_create(&xsk, ifname, queue_id, umem, OPT_GET(opts, rx, NULL),
				    OPT_GET(opts, tx, NULL), OPT_GET(opts, fill, NULL),
				    OPT_GET(opts, comp, NULL), &s);
	if (err)
		errno = -err;
	return xsk;
}

void xsk_socket__delete(struct xsk_socket *xsk)
{
	if (xsk)
		socket_undo(xsk, XSK_STAGE_BOUND);
}

int xsk_socket__fd(const struct xsk_socket *xsk)
{
	return xsk ? xsk->fd : -EINVAL;
}

int xsk_socket__update_xskmap(struct xsk_socket *xsk, int xsks_map_fd)
{
	if (!xsk)
		return xsk_fail(-EINVAL, "xsk_socket__update_xskmap: NULL socket");
	if (xsks_map_fd < 0)
		return xsk_fail(-EINVAL, "xsk_socket__update_xskmap: bad map fd %d", xsks_map_fd);
	if (bpf_map_update_elem(xsks_map_fd, &xsk->queue_id, &xsk->fd, 0)) {
		int err = -errno;

		return xsk_fail(err, "inserting the socket of %s queue %u into XSKMAP fd %d "
				"failed: %s%s", xsk->ifname, xsk->queue_id, xsks_map_fd,
				strerror(-err), err == -EPERM ? " (the bpf() syscall needs "
				"CAP_BPF while kernel.unprivileged_bpf_disabled is set: let the "
				"privileged process insert xsk_socket__fd())" : "");
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* What the classic API never had                                      */
/* ------------------------------------------------------------------ */

/* XDP_STATISTICS as kernels before 5.9 return it. */
struct xsk_statistics_v1 {
	__u64 rx_dropped;
	__u64 rx_invalid_descs;
	__u64 tx_invalid_descs;
};

int xsk_socket__stats(const struct xsk_socket *xsk, struct xsk_socket_stats *stats)
{
	struct xdp_statistics st = { 0 };
	socklen_t len = sizeof(st);
	size_t sz;

	if (!xsk || !stats)
		return xsk_fail(-EINVAL, "xsk_socket__stats: NULL %s", !xsk ? "socket" : "stats");
	sz = stats->sz;
	if (!opts_valid(stats, offsetofend(struct xsk_socket_stats, xsk_socket_stats__last_field),
			sz, "xsk_socket_stats"))
		return -EINVAL;
	if (getsockopt(xsk->fd, SOL_XDP, XDP_STATISTICS, &st, &len))
		return xsk_fail(-errno, "reading XDP_STATISTICS of %s queue %u failed: %s",
				xsk->ifname, xsk->queue_id, strerror(errno));
	memset(stats, 0, sz);
	stats->sz = sz;
	/* Copy only what the caller's struct has room for. */
#define XSK_STAT_PUT(field, value) do { \
		if (sz >= offsetofend(struct xsk_socket_stats, field)) \
			stats->field = (value); \
	} while (0)
	XSK_STAT_PUT(rx_dropped, st.rx_dropped);
	XSK_STAT_PUT(rx_invalid_descs, st.rx_invalid_descs);
	XSK_STAT_PUT(tx_invalid_descs, st.tx_invalid_descs);
	if (len > sizeof(struct xsk_statistics_v1)) {
		XSK_STAT_PUT(rx_ring_full, st.rx_ring_full);
		XSK_STAT_PUT(rx_fill_ring_empty_descs, st.rx_fill_ring_empty_descs);
		XSK_STAT_PUT(tx_ring_empty_descs, st.tx_ring_empty_descs);
	}
	XSK_STAT_PUT(nr_fields, len > sizeof(struct xsk_statistics_v1) ? 6 : 3);
#undef XSK_STAT_PUT
	return 0;
}

int xsk_socket__zerocopy(const struct xsk_socket *xsk)
{
	struct xdp_options opts = { 0 };
	socklen_t len = sizeof(opts);

	if (!xsk)
		return xsk_fail(-EINVAL, "xsk_socket__zerocopy: NULL socket");
	if (getsockopt(xsk->fd, SOL_XDP, XDP_OPTIONS, &opts, &len))
		return xsk_fail(-errno, "reading XDP_OPTIONS of %s queue %u failed: %s%s",
				xsk->ifname, xsk->queue_id, strerror(errno),
				errno == ENOPROTOOPT ? " (kernels before 5.3 lack it)" : "");
	return !!(opts.flags & XDP_OPTIONS_ZEROCOPY);
}

int xsk_socket__xdp_mode(const struct xsk_socket *xsk)
{
	LIBBPF_OPTS(bpf_xdp_query_opts, q);
	int err;

	if (!xsk)
		return xsk_fail(-EINVAL, "xsk_socket__xdp_mode: NULL socket");
	err = bpf_xdp_query(xsk->ifindex, 0, &q);
	if (err)
		return xsk_fail(err, "querying the XDP program of %s failed: %s", xsk->ifname,
				strerror(-err));
	return q.attach_mode;
}

static int sockopt_set(const struct xsk_socket *xsk, int name, const char *what, int value)
{
	int err;

	if (!setsockopt(xsk->fd, SOL_SOCKET, name, &value, sizeof(value)))
		return 0;
	err = -errno;
	if (err == -ENOPROTOOPT)
		err = -EOPNOTSUPP;
	return xsk_fail(err, "setting %s to %d on %s queue %u failed: %s%s", what, value,
			xsk->ifname, xsk->queue_id, strerror(errno),
			err == -EOPNOTSUPP ? " (this kernel lacks it: 5.11+ needed)" :
			err == -EPERM ? " (raising it above net.core.busy_poll needs CAP_NET_ADMIN)" :
			"");
}

int xsk_socket__set_busy_poll(struct xsk_socket *xsk, const struct xsk_busy_poll_opts *opts)
{
	int err;

	if (!xsk || !opts)
		return xsk_fail(-EINVAL, "xsk_socket__set_busy_poll: NULL %s",
				!xsk ? "socket" : "opts");
	if (!opts_valid(opts, offsetofend(struct xsk_busy_poll_opts,
					  xsk_busy_poll_opts__last_field), opts->sz,
			"xsk_busy_poll_opts"))
		return -EINVAL;
	if (OPT_GET(opts, usecs, 0) > INT_MAX || OPT_GET(opts, budget, 0) > 0xffff)
		return xsk_fail(-EINVAL, "busy poll usecs %u or budget %u out of range",
				OPT_GET(opts, usecs, 0), OPT_GET(opts, budget, 0));

	err = sockopt_set(xsk, SO_BUSY_POLL, "SO_BUSY_POLL", OPT_GET(opts, usecs, 0));
	if (!err && OPT_GET(opts, budget, 0))
		err = sockopt_set(xsk, SO_BUSY_POLL_BUDGET, "SO_BUSY_POLL_BUDGET",
				  OPT_GET(opts, budget, 0));
	if (!err && OPT_HAS(opts, prefer))
		err = sockopt_set(xsk, SO_PREFER_BUSY_POLL, "SO_PREFER_BUSY_POLL", opts->prefer);
	if (!err)
		xsk->busy_poll = OPT_GET(opts, usecs, 0) != 0;
	return err;
}
