/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * libxsk: AF_XDP sockets from userspace.
 *
 * This header is source-compatible with the classic xsk.h of libbpf 0.x
 * and of libxdp: a program written against either builds against this
 * one by changing its include to <libxsk/xsk.h> and linking with -lxsk.
 *
 * Two halves:
 *  - the control path (UMEM and socket setup, the default XDP program),
 *    implemented in xsk.c and exported from libxsk.so;
 *  - the data path, the ring helpers below, which are inline so that a
 *    packet never costs a function call into the library.
 *
 * Every function that can fail returns a negative errno (or NULL with
 * errno set, for the *_opts constructors) and reports what was wrong,
 * with the offending value, through the callback set by
 * libxsk_set_print().
 *
 * Thread rules: the objects (struct xsk_umem, struct xsk_socket) are not
 * locked; one thread at a time may set up or delete a given object, and
 * each ring has one producer thread and one consumer thread at most (the
 * kernel being the other side).  The process-wide table of attached XDP
 * programs is locked internally, so sockets on different interfaces may
 * be created from different threads.
 */
#ifndef __LIBXSK_XSK_H
#define __LIBXSK_XSK_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/uio.h>
#include <linux/if_xdp.h>
#include <linux/if_link.h>
#include <linux/types.h>
/* As the classic headers did: programs written against them rely on it. */
#include <bpf/libbpf.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Constants newer than the oldest <linux/if_xdp.h> we build against.  The
 * values are kernel ABI and never change.
 */
#ifndef XDP_USE_SG
#define XDP_USE_SG (1 << 4)
#endif
#ifndef XDP_UMEM_TX_SW_CSUM
#define XDP_UMEM_TX_SW_CSUM (1 << 1)
#endif
#ifndef XDP_UMEM_TX_METADATA_LEN
#define XDP_UMEM_TX_METADATA_LEN (1 << 2)
#endif
#ifndef XDP_PKT_CONTD
#define XDP_PKT_CONTD (1 << 0)
#endif
#ifndef XDP_TX_METADATA
#define XDP_TX_METADATA (1 << 1)
#endif
#ifndef XSK_UNALIGNED_BUF_OFFSET_SHIFT
#define XSK_UNALIGNED_BUF_OFFSET_SHIFT 48
#endif
#ifndef XSK_UNALIGNED_BUF_ADDR_MASK
#define XSK_UNALIGNED_BUF_ADDR_MASK ((1ULL << XSK_UNALIGNED_BUF_OFFSET_SHIFT) - 1)
#endif

#ifdef __GNUC__
#define XSK_INLINE static inline __attribute__((__always_inline__))
#define LIBXSK_API __attribute__((visibility("default")))
#else
#define XSK_INLINE static inline
#define LIBXSK_API
#endif

/*
 * A ring as this process sees it.  The layout is part of the API:
 * applications read these fields directly, so their order is fixed.
 *
 * @cached_prod, @cached_cons: this side's private copies of the indices.
 *   They run freely over the whole u32 range; only (index & @mask)
 *   selects a slot, so wrap-around at 2^32 needs no special case.  On a
 *   producer ring @cached_cons is kept at (consumer + @size), which makes
 *   (cached_cons - cached_prod) the number of free slots.
 * @mask, @size: @size is the number of slots (a power of two), @mask is
 *   @size - 1.
 * @producer, @consumer, @flags: the words shared with the kernel.
 * @ring: the first slot (u64 addresses for fill and completion rings,
 *   struct xdp_desc for RX and TX rings).
 */
#define DEFINE_XSK_RING(name) \
struct name { \
	__u32 cached_prod; \
	__u32 cached_cons; \
	__u32 mask; \
	__u32 size; \
	__u32 *producer; \
	__u32 *consumer; \
	void *ring; \
	__u32 *flags; \
}

DEFINE_XSK_RING(xsk_ring_prod);
DEFINE_XSK_RING(xsk_ring_cons);

struct xsk_umem;
struct xsk_socket;

/*
 * Memory ordering on the shared words.
 *
 * Producer: write the slots, then publish them with a store-release of
 * the producer index, so the kernel (which loads the index with acquire
 * semantics) never sees an index ahead of the slots it covers.
 *
 * Consumer: load the producer index with acquire semantics before reading
 * the slots it covers, and hand the slots back with a store-release of
 * the consumer index, so the kernel never overwrites a slot still being
 * read.
 *
 * On x86 both compile to plain moves; on weakly ordered CPUs they are the
 * barriers the kernel side pairs with.
 */
XSK_INLINE __u32 xsk__load_acquire(const __u32 *word)
{
	return __atomic_load_n(word, __ATOMIC_ACQUIRE);
}

XSK_INLINE void xsk__store_release(__u32 *word, __u32 value)
{
	__atomic_store_n(word, value, __ATOMIC_RELEASE);
}

/**
 * xsk_ring_prod__fill_addr() - slot @idx of a fill ring
 * @fill: the fill ring
 * @idx: a free-running index obtained from xsk_ring_prod__reserve()
 *
 * Returns a pointer to the UMEM address to write into that slot.
 */
XSK_INLINE __u64 *xsk_ring_prod__fill_addr(struct xsk_ring_prod *fill,
					   __u32 idx)
{
	__u64 *addrs = (__u64 *)fill->ring;

	return &addrs[idx & fill->mask];
}

/**
 * xsk_ring_cons__comp_addr() - slot @idx of a completion ring
 * @comp: the completion ring
 * @idx: a free-running index obtained from xsk_ring_cons__peek()
 *
 * Returns a pointer to the UMEM address of a frame whose transmission
 * has completed; the frame is the application's again.
 */
XSK_INLINE const __u64 *
xsk_ring_cons__comp_addr(const struct xsk_ring_cons *comp, __u32 idx)
{
	const __u64 *addrs = (const __u64 *)comp->ring;

	return &addrs[idx & comp->mask];
}

/**
 * xsk_ring_prod__tx_desc() - slot @idx of a TX ring
 * @tx: the TX ring
 * @idx: a free-running index obtained from xsk_ring_prod__reserve()
 *
 * Returns the descriptor to fill in: UMEM address, length and options
 * (XDP_PKT_CONTD when more fragments of the same packet follow,
 * XDP_TX_METADATA when a struct xsk_tx_metadata precedes the frame).
 */
XSK_INLINE struct xdp_desc *xsk_ring_prod__tx_desc(struct xsk_ring_prod *tx,
						   __u32 idx)
{
	struct xdp_desc *descs = (struct xdp_desc *)tx->ring;

	return &descs[idx & tx->mask];
}

/**
 * xsk_ring_cons__rx_desc() - slot @idx of an RX ring
 * @rx: the RX ring
 * @idx: a free-running index obtained from xsk_ring_cons__peek()
 *
 * Returns the descriptor of a received frame.  In unaligned mode the
 * address carries the data offset in its upper bits: pass it through
 * xsk_umem__add_offset_to_addr() before xsk_umem__get_data().
 */
XSK_INLINE const struct xdp_desc *
xsk_ring_cons__rx_desc(const struct xsk_ring_cons *rx, __u32 idx)
{
	const struct xdp_desc *descs = (const struct xdp_desc *)rx->ring;

	return &descs[idx & rx->mask];
}

/**
 * xsk_ring_prod__needs_wakeup() - whether the kernel asks for a kick
 * @r: a fill or TX ring of a socket bound with XDP_USE_NEED_WAKEUP
 *
 * Returns non-zero when the kernel has stopped processing the ring and
 * must be woken: with sendto() for a TX ring, with recvfrom() or poll()
 * for a fill ring.  Without XDP_USE_NEED_WAKEUP the flag promises
 * nothing and the application must kick after every submit.
 */
XSK_INLINE int xsk_ring_prod__needs_wakeup(const struct xsk_ring_prod *r)
{
	return *(const volatile __u32 *)r->flags & XDP_RING_NEED_WAKEUP;
}

/**
 * xsk_prod_nb_free() - free slots of a producer ring
 * @r: a fill or TX ring
 * @nb: the number of slots the caller wants
 *
 * Returns the number of free slots.  The shared consumer index is only
 * read when the cached view shows fewer than @nb free slots, so a caller
 * working in batches touches the shared cache line once per batch.
 */
XSK_INLINE __u32 xsk_prod_nb_free(struct xsk_ring_prod *r, __u32 nb)
{
	__u32 free_slots = r->cached_cons - r->cached_prod;

	if (free_slots >= nb)
		return free_slots;

	/* Acquire: the kernel has finished with every slot below consumer. */
	r->cached_cons = xsk__load_acquire(r->consumer) + r->size;
	return r->cached_cons - r->cached_prod;
}

/**
 * xsk_cons_nb_avail() - entries ready on a consumer ring
 * @r: an RX or completion ring
 * @nb: the most entries the caller will take
 *
 * Returns min(@nb, entries ready).  The shared producer index is only
 * read when the cached view is empty.
 */
XSK_INLINE __u32 xsk_cons_nb_avail(struct xsk_ring_cons *r, __u32 nb)
{
	__u32 ready = r->cached_prod - r->cached_cons;

	if (ready == 0) {
		/* Acquire: pairs with the kernel's release of producer. */
		r->cached_prod = xsk__load_acquire(r->producer);
		ready = r->cached_prod - r->cached_cons;
	}
	return ready < nb ? ready : nb;
}

/**
 * xsk_ring_prod__reserve() - claim slots on a producer ring
 * @prod: a fill or TX ring
 * @nb: the number of slots wanted
 * @idx: set to the index of the first claimed slot
 *
 * All or nothing: returns @nb and sets *@idx when @nb slots are free,
 * otherwise returns 0 and leaves *@idx untouched.  The slots are private
 * to the caller until xsk_ring_prod__submit().
 */
XSK_INLINE __u32 xsk_ring_prod__reserve(struct xsk_ring_prod *prod, __u32 nb,
					__u32 *idx)
{
	if (xsk_prod_nb_free(prod, nb) < nb)
		return 0;

	*idx = prod->cached_prod;
	prod->cached_prod += nb;
	return nb;
}

/**
 * xsk_ring_prod__submit() - hand reserved slots to the kernel
 * @prod: a fill or TX ring
 * @nb: how many of the oldest reserved slots to publish
 *
 * The slots must have been written.  A TX ring may still need a kick,
 * see xsk_ring_prod__needs_wakeup().
 */
XSK_INLINE void xsk_ring_prod__submit(struct xsk_ring_prod *prod, __u32 nb)
{
	/* Release: the slots are written before the index that covers them. */
	xsk__store_release(prod->producer, *prod->producer + nb);
}

/**
 * xsk_ring_cons__peek() - look at ready entries of a consumer ring
 * @cons: an RX or completion ring
 * @nb: the most entries wanted
 * @idx: set to the index of the first entry when any is returned
 *
 * Returns how many entries (up to @nb) may now be read, starting at
 * *@idx.  They stay owned by the caller until xsk_ring_cons__release();
 * xsk_ring_cons__cancel() puts back entries not yet processed.
 */
XSK_INLINE __u32 xsk_ring_cons__peek(struct xsk_ring_cons *cons, __u32 nb,
				     __u32 *idx)
{
	__u32 ready = xsk_cons_nb_avail(cons, nb);

	if (ready > 0) {
		*idx = cons->cached_cons;
		cons->cached_cons += ready;
	}
	return ready;
}

/**
 * xsk_ring_cons__cancel() - give back entries taken by a peek
 * @cons: an RX or completion ring
 * @nb: how many of the most recently peeked entries to give back
 *
 * They will be returned again by the next xsk_ring_cons__peek().
 */
XSK_INLINE void xsk_ring_cons__cancel(struct xsk_ring_cons *cons, __u32 nb)
{
	cons->cached_cons -= nb;
}

/**
 * xsk_ring_cons__release() - tell the kernel entries have been consumed
 * @cons: an RX or completion ring
 * @nb: how many of the oldest peeked entries are done
 *
 * The kernel may reuse those slots afterwards.
 */
XSK_INLINE void xsk_ring_cons__release(struct xsk_ring_cons *cons, __u32 nb)
{
	/* Release: our reads of the slots happen before the kernel reuses them. */
	xsk__store_release(cons->consumer, *cons->consumer + nb);
}

/**
 * xsk_umem__get_data() - pointer to a UMEM address
 * @umem_area: the area registered with xsk_umem__create()
 * @addr: an address (without offset bits) inside it
 */
XSK_INLINE void *xsk_umem__get_data(void *umem_area, __u64 addr)
{
	return &((char *)umem_area)[addr];
}

/**
 * xsk_umem__extract_addr() - the base address of an unaligned-mode address
 * @addr: an address as found in an RX descriptor in unaligned mode
 */
XSK_INLINE __u64 xsk_umem__extract_addr(__u64 addr)
{
	return addr & XSK_UNALIGNED_BUF_ADDR_MASK;
}

/**
 * xsk_umem__extract_offset() - the data offset of an unaligned-mode address
 * @addr: an address as found in an RX descriptor in unaligned mode
 */
XSK_INLINE __u64 xsk_umem__extract_offset(__u64 addr)
{
	return addr >> XSK_UNALIGNED_BUF_OFFSET_SHIFT;
}

/**
 * xsk_umem__add_offset_to_addr() - flatten an unaligned-mode address
 * @addr: an address as found in an RX descriptor in unaligned mode
 *
 * Returns base + offset: the address of the first byte of data.
 */
XSK_INLINE __u64 xsk_umem__add_offset_to_addr(__u64 addr)
{
	return xsk_umem__extract_addr(addr) + xsk_umem__extract_offset(addr);
}

/* ------------------------------------------------------------------ */
/* Control path                                                        */
/* ------------------------------------------------------------------ */

#define XSK_RING_CONS__DEFAULT_NUM_DESCS	2048
#define XSK_RING_PROD__DEFAULT_NUM_DESCS	2048
#define XSK_UMEM__DEFAULT_FRAME_SHIFT		12 /* 4096 bytes */
#define XSK_UMEM__DEFAULT_FRAME_SIZE		(1 << XSK_UMEM__DEFAULT_FRAME_SHIFT)
#define XSK_UMEM__DEFAULT_FRAME_HEADROOM	0
#define XSK_UMEM__DEFAULT_FLAGS			0
#define XSK_UMEM__DEFAULT_TX_METADATA_LEN	0

/**
 * struct xsk_umem_config - UMEM geometry
 * @fill_size: fill ring slots (power of two)
 * @comp_size: completion ring slots (power of two)
 * @frame_size: bytes per frame (chunk); a power of two from 2048 to the
 *   page size, or any size from 2048 with XDP_UMEM_UNALIGNED_CHUNK_FLAG
 * @frame_headroom: bytes the kernel leaves free before received data
 * @flags: XDP_UMEM_UNALIGNED_CHUNK_FLAG, XDP_UMEM_TX_SW_CSUM
 *
 * Passing NULL instead of a config selects the defaults (2048, 2048,
 * 4096, 0, 0).  The layout is fixed: newer options are in
 * struct xsk_umem_opts.
 */
struct xsk_umem_config {
	__u32 fill_size;
	__u32 comp_size;
	__u32 frame_size;
	__u32 frame_headroom;
	__u32 flags;
};

/**
 * struct xsk_umem_opts - options of xsk_umem__create_opts()
 * @sz: sizeof(struct xsk_umem_opts), for ABI growth
 * @fd: an AF_XDP socket to register the UMEM on; 0 means "create one"
 *   (so zero-initialised opts do the expected thing; pass the fd itself,
 *   never 0, which is stdin)
 * @size: bytes of the UMEM area (required)
 * @fill_size, @comp_size, @frame_size, @frame_headroom, @flags: as in
 *   struct xsk_umem_config; 0 selects the default
 * @tx_metadata_len: bytes of struct xsk_tx_metadata reserved before
 *   each TX frame (a multiple of 8 below 256); when non-zero the library
 *   sets XDP_UMEM_TX_METADATA_LEN itself
 */
struct xsk_umem_opts {
	size_t sz;
	int fd;
	__u64 size;
	__u32 fill_size;
	__u32 comp_size;
	__u32 frame_size;
	__u32 frame_headroom;
	__u32 flags;
	__u32 tx_metadata_len;
	size_t :0;
};
#define xsk_umem_opts__last_field tx_metadata_len

/* Flags for the libbpf_flags/libxdp_flags field. */
#define XSK_LIBBPF_FLAGS__INHIBIT_PROG_LOAD (1 << 0)
#define XSK_LIBXDP_FLAGS__INHIBIT_PROG_LOAD (1 << 0)

/**
 * struct xsk_socket_config - socket options
 * @rx_size: RX ring slots (power of two), used when an RX ring is asked for
 * @tx_size: TX ring slots (power of two), used when a TX ring is asked for
 * @libbpf_flags, @libxdp_flags: XSK_LIBXDP_FLAGS__INHIBIT_PROG_LOAD to
 *   leave the XDP side to the application (see
 *   xsk_socket__update_xskmap())
 * @xdp_flags: XDP_FLAGS_SKB_MODE or XDP_FLAGS_DRV_MODE to force the
 *   attach mode of the default program; 0 lets the kernel choose
 * @bind_flags: XDP_COPY, XDP_ZEROCOPY, XDP_USE_NEED_WAKEUP, XDP_USE_SG
 *   (XDP_SHARED_UMEM is set by the library when needed).  A socket that
 *   shares a UMEM inherits the flags of the UMEM's first socket: flags
 *   left out are inherited, a contradicting one is -EINVAL.
 *
 * Passing NULL selects the defaults: 2048-slot rings, no flags.
 */
struct xsk_socket_config {
	__u32 rx_size;
	__u32 tx_size;
	union {
		__u32 libbpf_flags;
		__u32 libxdp_flags;
	};
	__u32 xdp_flags;
	__u16 bind_flags;
};

/**
 * struct xsk_socket_opts - options of xsk_socket__create_opts()
 * @sz: sizeof(struct xsk_socket_opts), for ABI growth
 * @rx, @tx: the rings to set up; at least one
 * @fill, @comp: the fill and completion rings for a queue the UMEM is not
 *   yet used on; both NULL means "the ones given to xsk_umem__create()"
 * @rx_size, @tx_size, @libxdp_flags, @xdp_flags, @bind_flags: as in
 *   struct xsk_socket_config; 0 selects the default
 */
struct xsk_socket_opts {
	size_t sz;
	struct xsk_ring_cons *rx;
	struct xsk_ring_prod *tx;
	struct xsk_ring_prod *fill;
	struct xsk_ring_cons *comp;
	__u32 rx_size;
	__u32 tx_size;
	__u32 libxdp_flags;
	__u32 xdp_flags;
	__u16 bind_flags;
	size_t :0;
};
#define xsk_socket_opts__last_field bind_flags

/**
 * xsk_umem__create() - register a UMEM and map its fill and completion rings
 * @umem: set to the new UMEM on success
 * @umem_area: page-aligned memory, @size bytes, owned by the caller and
 *   kept alive until xsk_umem__delete()
 * @size: bytes of @umem_area
 * @fill: filled in to describe the fill ring
 * @comp: filled in to describe the completion ring
 * @config: geometry, or NULL for the defaults
 *
 * The pages are pinned by the kernel, charged to RLIMIT_MEMLOCK unless
 * the caller has CAP_IPC_LOCK.  The fill ring may be populated at once;
 * the first socket created on this UMEM uses these rings.
 *
 * Returns 0, or -EFAULT for a NULL pointer, -EINVAL for a bad geometry,
 * -ENOMEM, -EPERM, or the kernel's error.
 */
LIBXSK_API int xsk_umem__create(struct xsk_umem **umem, void *umem_area, __u64 size,
				struct xsk_ring_prod *fill, struct xsk_ring_cons *comp,
				const struct xsk_umem_config *config);

/**
 * xsk_umem__create_with_fd() - xsk_umem__create() on a given AF_XDP socket
 * @umem: set to the new UMEM on success
 * @fd: an unbound AF_XDP socket without a UMEM; on success ownership
 *   passes to the UMEM, which closes it; on failure it stays the caller's
 * @umem_area: see xsk_umem__create()
 * @size: see xsk_umem__create()
 * @fill: see xsk_umem__create()
 * @comp: see xsk_umem__create()
 * @config: see xsk_umem__create()
 *
 * For callers that receive the socket from a privileged helper.
 * Returns as xsk_umem__create(); -EBADF for a negative @fd.
 */
LIBXSK_API int xsk_umem__create_with_fd(struct xsk_umem **umem, int fd, void *umem_area,
					__u64 size, struct xsk_ring_prod *fill,
					struct xsk_ring_cons *comp,
					const struct xsk_umem_config *config);

/**
 * xsk_umem__create_opts() - create a UMEM from an options struct
 * @umem_area: page-aligned memory of @opts->size bytes
 * @fill: filled in to describe the fill ring
 * @comp: filled in to describe the completion ring
 * @opts: see struct xsk_umem_opts; @opts->sz must be set
 *
 * Returns the UMEM, or NULL with errno set (as xsk_umem__create(), and
 * -EINVAL for unknown non-zero trailing option bytes).
 */
LIBXSK_API struct xsk_umem *xsk_umem__create_opts(void *umem_area,
						  struct xsk_ring_prod *fill,
						  struct xsk_ring_cons *comp,
						  struct xsk_umem_opts *opts);

/**
 * xsk_socket__create() - create and bind an AF_XDP socket
 * @xsk: set to the new socket on success
 * @ifname: the interface, in the caller's current network namespace
 * @queue_id: the RX/TX queue to bind to
 * @umem: the UMEM frames live in; may already serve other sockets
 * @rx: filled in to describe the RX ring, or NULL for a TX-only socket
 * @tx: filled in to describe the TX ring, or NULL for an RX-only socket
 * @config: options, or NULL for the defaults
 *
 * Unless XSK_LIBXDP_FLAGS__INHIBIT_PROG_LOAD is given, the library makes
 * sure its default XDP program runs on @ifname (loading and attaching it
 * through a bpf_link, or reusing the one already attached by this or any
 * other process) and, when the socket has an RX ring, inserts it into
 * the program's XSKMAP at @queue_id (a TX-only socket leaves the queue's
 * traffic to the stack, as with libxdp).  The program redirects a frame to the socket of its RX queue and passes
 * it to the stack when there is none; it is detached automatically when
 * the last socket using it is deleted or its processes exit, even when
 * killed.  A program the library did not load is never replaced.
 *
 * A second socket on the same UMEM shares it (XDP_SHARED_UMEM): on the
 * same interface and queue it shares the fill and completion rings;
 * elsewhere it needs rings of its own, see xsk_socket__create_shared().
 *
 * Returns 0, or -EFAULT for NULL pointers or neither @rx nor @tx,
 * -ENODEV for an unknown interface, -EINVAL for a queue beyond the
 * interface's queues, a ring size that is not a power of two or unknown
 * flags, -EBUSY when the queue is bound by another UMEM or another XDP
 * program is attached, -EOPNOTSUPP for zero-copy on a device without it,
 * or the kernel's error.
 */
LIBXSK_API int xsk_socket__create(struct xsk_socket **xsk, const char *ifname,
				  __u32 queue_id, struct xsk_umem *umem,
				  struct xsk_ring_cons *rx, struct xsk_ring_prod *tx,
				  const struct xsk_socket_config *config);

/**
 * xsk_socket__create_shared() - create a socket with its own fill and
 *   completion rings
 * @xsk: set to the new socket on success
 * @ifname: the interface
 * @queue_id: the queue to bind to
 * @umem: the UMEM to share
 * @rx: the RX ring, or NULL
 * @tx: the TX ring, or NULL
 * @fill: the fill ring for (@ifname, @queue_id): set up and mapped here
 *   when the UMEM is not yet used on that queue, otherwise it must be the
 *   one already in use there
 * @comp: the completion ring, likewise
 * @config: options, or NULL for the defaults
 *
 * Use it to bind one UMEM to several queues or devices.
 * Returns as xsk_socket__create().
 */
LIBXSK_API int xsk_socket__create_shared(struct xsk_socket **xsk, const char *ifname,
					 __u32 queue_id, struct xsk_umem *umem,
					 struct xsk_ring_cons *rx,
					 struct xsk_ring_prod *tx,
					 struct xsk_ring_prod *fill,
					 struct xsk_ring_cons *comp,
					 const struct xsk_socket_config *config);

/**
 * xsk_socket__create_opts() - create a socket from an options struct
 * @ifname: the interface
 * @queue_id: the queue to bind to
 * @umem: the UMEM
 * @opts: see struct xsk_socket_opts; @opts->sz must be set
 *
 * Returns the socket, or NULL with errno set (as xsk_socket__create()).
 */
LIBXSK_API struct xsk_socket *xsk_socket__create_opts(const char *ifname, __u32 queue_id,
						      struct xsk_umem *umem,
						      struct xsk_socket_opts *opts);

/**
 * xsk_umem__delete() - unregister a UMEM and free it
 * @umem: the UMEM, or NULL
 *
 * Unmaps its rings and closes its socket; the caller's memory is left
 * alone.  Returns 0, or -EBUSY (and changes nothing) while sockets still
 * use it.
 */
LIBXSK_API int xsk_umem__delete(struct xsk_umem *umem);

/**
 * xsk_socket__delete() - close a socket and free it
 * @xsk: the socket, or NULL
 *
 * Unmaps its rings, removes it from the XSKMAP, and drops its hold on the
 * default XDP program (detaching it if this was the last user).  When it
 * was the last socket of its UMEM, the UMEM's fill and completion rings
 * start afresh on the next socket: every frame is the application's again.
 */
LIBXSK_API void xsk_socket__delete(struct xsk_socket *xsk);

/**
 * xsk_umem__fd() - the AF_XDP socket the UMEM is registered on
 * @umem: the UMEM
 *
 * Returns the fd, or -EINVAL for NULL.
 */
LIBXSK_API int xsk_umem__fd(const struct xsk_umem *umem);

/**
 * xsk_socket__fd() - the socket's fd, for poll(), sendto() and recvfrom()
 * @xsk: the socket
 *
 * Returns the fd, or -EINVAL for NULL.
 */
LIBXSK_API int xsk_socket__fd(const struct xsk_socket *xsk);

/**
 * xsk_setup_xdp_prog() - attach the default XDP program, for other processes
 * @ifindex: the interface, in the caller's network namespace
 * @xsks_map_fd: set to a new fd of the program's XSKMAP, owned by the
 *   caller (may be NULL)
 *
 * For a privileged process that prepares an interface for applications
 * that create their sockets with XSK_LIBXDP_FLAGS__INHIBIT_PROG_LOAD.
 * The program stays attached while this process lives (or until
 * xsk_release_xdp_prog()), and while any socket uses it.
 *
 * Returns 0, -ENODEV for an unknown @ifindex, -EBUSY when another XDP
 * program is attached, or the kernel's error.
 */
LIBXSK_API int xsk_setup_xdp_prog(int ifindex, int *xsks_map_fd);

/**
 * xsk_release_xdp_prog() - drop the hold taken by xsk_setup_xdp_prog()
 * @ifindex: the interface given to xsk_setup_xdp_prog()
 *
 * The program is detached once no socket of any process uses it.
 * Returns 0, or -ENOENT when this process holds no such setup.
 */
LIBXSK_API int xsk_release_xdp_prog(int ifindex);

/**
 * xsk_socket__update_xskmap() - insert a socket into an XSKMAP
 * @xsk: the socket
 * @xsks_map_fd: an XSKMAP fd, e.g. from xsk_setup_xdp_prog()
 *
 * Stores the socket at the index of its queue.  Returns 0, -EINVAL for a
 * NULL socket or a negative fd, or the kernel's error (-EPERM when the
 * caller lacks CAP_BPF and kernel.unprivileged_bpf_disabled is set).
 */
LIBXSK_API int xsk_socket__update_xskmap(struct xsk_socket *xsk, int xsks_map_fd);

/* ------------------------------------------------------------------ */
/* The batched data plane                                              */
/* ------------------------------------------------------------------ */

/*
 * Receive and send in batches without touching the four rings: a frame
 * pool owns the UMEM's frames, xsk_socket__recv() keeps the fill ring
 * stocked from it and hands out received frames in place (no copy),
 * xsk_socket__send() copies packets into pool frames and reaps
 * completions, xsk_socket__send_frames() sends received frames on as
 * they are.  need_wakeup and busy polling are handled inside.
 *
 * Thread rules: a pool and the sockets using it belong to one thread at
 * a time; to spread a UMEM over threads, give each its own pool (its own
 * range of frames).  Sockets that share a queue (and so its fill and
 * completion rings) must share a pool.
 *
 * Timeouts: 0 returns -EAGAIN at once when nothing can be done, a
 * negative value waits for as long as it takes, a positive one waits up
 * to that many milliseconds and then returns -ETIMEDOUT.  A signal ends
 * a wait with -EINTR.
 */
struct xsk_frame_pool;

/**
 * struct xsk_frame - one received frame, or one to send on
 * @data: its first byte, in the UMEM
 * @len: its length
 * @flags: XSK_FRAME_MORE when the packet continues in the next frame
 *   (multi-buffer, XDP_USE_SG)
 * @addr: its UMEM address: what gives it back
 */
struct xsk_frame {
	void *data;
	__u32 len;
	__u32 flags;
	__u64 addr;
};

#define XSK_FRAME_MORE (1U << 0)

/**
 * struct xsk_frame_pool_counts - where a pool's frames are
 * @size: frames the pool owns
 * @free: in the pool
 * @in_fill: given to the kernel to receive into
 * @in_tx: on a TX ring, not yet completed
 * @held: with the application (received and not given back, or
 *   allocated): @size minus the others
 */
struct xsk_frame_pool_counts {
	__u32 size;
	__u32 free;
	__u32 in_fill;
	__u32 in_tx;
	__u32 held;
};

/**
 * xsk_frame_pool__create() - a free list of a UMEM's frames
 * @umem: the UMEM
 * @first_frame: the first frame (frame i starts at i * frame_size)
 * @nframes: how many frames, from @first_frame on
 *
 * Returns the pool, or NULL with errno (EINVAL for frames beyond the UMEM).
 */
LIBXSK_API struct xsk_frame_pool *xsk_frame_pool__create(struct xsk_umem *umem,
							 __u32 first_frame, __u32 nframes);

/**
 * xsk_frame_pool__delete() - free a pool
 * @pool: the pool, or NULL
 *
 * Returns 0, or -EBUSY while sockets use it.
 */
LIBXSK_API int xsk_frame_pool__delete(struct xsk_frame_pool *pool);

/**
 * xsk_frame_pool__counts() - where the pool's frames are
 * @pool: the pool
 * @counts: filled in
 *
 * Every frame is accounted for: size = free + in_fill + in_tx + held.
 */
LIBXSK_API int xsk_frame_pool__counts(const struct xsk_frame_pool *pool,
				      struct xsk_frame_pool_counts *counts);

/**
 * xsk_frame_pool__alloc() - take free frames, for data of the application's
 * @pool: the pool
 * @addrs: set to the frames' base addresses
 * @n: how many
 *
 * All or nothing: returns @n, or -ENOMEM when fewer are free.
 */
LIBXSK_API int xsk_frame_pool__alloc(struct xsk_frame_pool *pool, __u64 *addrs, __u32 n);

/**
 * xsk_frame_pool__free() - give frames back
 * @pool: the pool
 * @addrs: the frames' addresses (any address inside a frame will do)
 * @n: how many
 *
 * Each must be a frame of @pool that the application holds (taken with
 * xsk_frame_pool__alloc() or received), named once.  All or none: returns
 * 0, or -EINVAL with a message naming the first address at fault (not the
 * pool's, already free, on a ring) and nothing given back.
 */
LIBXSK_API int xsk_frame_pool__free(struct xsk_frame_pool *pool, const __u64 *addrs, __u32 n);

/**
 * xsk_socket__use_frame_pool() - the pool a socket's batched calls use
 * @xsk: the socket
 * @pool: a pool of the socket's UMEM
 *
 * The fill ring is stocked from the pool at once.  While the pool serves
 * a socket that also sends, the fill rings hold at most half its frames,
 * so sending never starves.  Sockets sharing a fill and completion ring
 * (a UMEM's sockets on one queue) must share one pool.
 *
 * Returns 0, or -EINVAL for NULL arguments, another UMEM's pool, or a
 * pool other than the one already feeding the socket's fill ring.
 */
LIBXSK_API int xsk_socket__use_frame_pool(struct xsk_socket *xsk,
					  struct xsk_frame_pool *pool);

/**
 * xsk_socket__recv() - receive a batch of frames
 * @xsk: a socket with an RX ring and a frame pool
 * @frames: filled in with up to @max frames, pointing into the UMEM
 * @max: how many at most
 * @timeout_ms: see the timeout rules above
 *
 * Refills the fill ring from the pool first.  Only whole packets are
 * returned: a multi-buffer packet is frames with XSK_FRAME_MORE up to one
 * without, never split between calls.  Give the frames back with
 * xsk_socket__recv_done() or send them on with xsk_socket__send_frames().
 *
 * Returns the number of frames, -EAGAIN, -ETIMEDOUT, -EINTR, -ENOBUFS
 * when one packet has more than @max frames, or -EINVAL.
 */
LIBXSK_API int xsk_socket__recv(struct xsk_socket *xsk, struct xsk_frame *frames, __u32 max,
				int timeout_ms);

/**
 * xsk_socket__recv_done() - give received frames back to the pool
 * @xsk: the socket
 * @frames: frames from xsk_socket__recv()
 * @n: how many
 *
 * The frames go back to the fill ring or the pool.  Returns 0, or -EINVAL
 * (nothing given back) when one of them is not the application's to give:
 * given back already, another pool's, or no frame at all.
 */
LIBXSK_API int xsk_socket__recv_done(struct xsk_socket *xsk, const struct xsk_frame *frames,
				     __u32 n);

/**
 * xsk_socket__send() - send a batch of packets, copied into pool frames
 * @xsk: a socket with a TX ring and a frame pool
 * @pkts: one packet per iovec; longer than a frame needs XDP_USE_SG
 * @n: how many
 * @timeout_ms: see the timeout rules above
 *
 * Reaps completions into the pool, takes as many whole packets as free
 * frames and TX slots allow, and kicks the kernel when it asks for it.
 *
 * Returns the number of packets taken (the first ones), -EAGAIN or
 * -ETIMEDOUT when none could be, -ENOMEM when the pool is empty and no
 * transmission will refill it, or -EINVAL.
 */
LIBXSK_API int xsk_socket__send(struct xsk_socket *xsk, const struct iovec *pkts, __u32 n,
				int timeout_ms);

/**
 * xsk_socket__send_frames() - send frames on as they are (no copy)
 * @xsk: a socket with a TX ring and a frame pool
 * @frames: frames of this UMEM, e.g. received ones (l2fwd)
 * @n: how many; the last must not carry XSK_FRAME_MORE
 * @timeout_ms: see the timeout rules above
 *
 * Once transmitted, the frames go back to the fill ring (a receiving
 * socket) or to the pool.  Returns the number of frames taken (whole
 * packets), -EAGAIN, -ETIMEDOUT or -EINVAL.
 */
LIBXSK_API int xsk_socket__send_frames(struct xsk_socket *xsk, const struct xsk_frame *frames,
				       __u32 n, int timeout_ms);

/**
 * xsk_socket__complete() - reap TX completions into the pool
 * @xsk: the socket
 *
 * The send calls do it themselves; call it when no more is being sent.
 * Completed frames go to the fill ring of a receiving socket while its
 * share allows, to the pool otherwise.  Returns the number of frames
 * completed, or -EINVAL.
 */
LIBXSK_API int xsk_socket__complete(struct xsk_socket *xsk);

/* ------------------------------------------------------------------ */
/* What the classic API never had                                      */
/* ------------------------------------------------------------------ */

/**
 * struct xsk_socket_stats - the kernel's counters of a socket
 * @sz: set by the caller to sizeof(struct xsk_socket_stats)
 * @rx_dropped: frames dropped for lack of a fill buffer or of RX room
 * @rx_invalid_descs: invalid RX descriptors
 * @tx_invalid_descs: invalid TX descriptors (bad address, length, options)
 * @rx_ring_full: frames dropped because the RX ring was full
 * @rx_fill_ring_empty_descs: times the fill ring was found empty
 * @tx_ring_empty_descs: times the TX ring was found empty on a kick
 * @nr_fields: how many of the counters above the kernel reported: 3 on
 *   kernels before 5.9 (the rest are 0), 6 otherwise
 */
struct xsk_socket_stats {
	size_t sz;
	__u64 rx_dropped;
	__u64 rx_invalid_descs;
	__u64 tx_invalid_descs;
	__u64 rx_ring_full;
	__u64 rx_fill_ring_empty_descs;
	__u64 tx_ring_empty_descs;
	__u32 nr_fields;
	size_t :0;
};
#define xsk_socket_stats__last_field nr_fields

/**
 * xsk_socket__stats() - read a socket's kernel statistics (XDP_STATISTICS)
 * @xsk: the socket
 * @stats: filled in; @stats->sz must be set
 *
 * Returns 0, -EINVAL for NULL pointers or a bad @stats->sz, or the
 * kernel's error.
 */
LIBXSK_API int xsk_socket__stats(const struct xsk_socket *xsk, struct xsk_socket_stats *stats);

/**
 * xsk_socket__zerocopy() - whether a socket runs in zero-copy mode
 * @xsk: the socket
 *
 * Returns 1 for zero-copy, 0 for copy mode, or -errno (-EINVAL for NULL,
 * -ENOPROTOOPT on kernels before 5.3, which have no XDP_OPTIONS).
 */
LIBXSK_API int xsk_socket__zerocopy(const struct xsk_socket *xsk);

/**
 * xsk_socket__xdp_mode() - how the XDP program of a socket's interface runs
 * @xsk: the socket
 *
 * Returns XDP_ATTACHED_DRV (native), XDP_ATTACHED_SKB (generic),
 * XDP_ATTACHED_HW or XDP_ATTACHED_MULTI, XDP_ATTACHED_NONE when nothing
 * is attached, or -errno.  Call it in the socket's network namespace.
 */
LIBXSK_API int xsk_socket__xdp_mode(const struct xsk_socket *xsk);

/**
 * struct xsk_busy_poll_opts - busy polling of a socket
 * @sz: set by the caller to sizeof(struct xsk_busy_poll_opts)
 * @usecs: SO_BUSY_POLL, microseconds to busy-poll in a blocking call;
 *   0 turns busy polling off
 * @budget: SO_BUSY_POLL_BUDGET, packets per busy-poll round (0: the
 *   kernel's default of 8 is kept)
 * @prefer: SO_PREFER_BUSY_POLL, let busy polling defer the device's
 *   interrupts (softirq processing) while the application keeps polling
 */
struct xsk_busy_poll_opts {
	size_t sz;
	__u32 usecs;
	__u32 budget;
	bool prefer;
	size_t :0;
};
#define xsk_busy_poll_opts__last_field prefer

/**
 * xsk_socket__set_busy_poll() - set SO_BUSY_POLL, SO_BUSY_POLL_BUDGET and
 *   SO_PREFER_BUSY_POLL in one call
 * @xsk: the socket
 * @opts: see struct xsk_busy_poll_opts
 *
 * With busy polling, drive the socket with sendto()/recvfrom()/poll()
 * even when no wakeup is asked for: the calls run the device's NAPI.
 * Returns 0, -EINVAL for bad arguments, -EOPNOTSUPP where the kernel
 * lacks an option (SO_PREFER_BUSY_POLL and SO_BUSY_POLL_BUDGET: 5.11+),
 * -EPERM for a budget above the kernel's limit without CAP_NET_ADMIN.
 */
LIBXSK_API int xsk_socket__set_busy_poll(struct xsk_socket *xsk,
					 const struct xsk_busy_poll_opts *opts);

/*
 * TX metadata: with tx_metadata_len set (struct xsk_umem_opts), each TX
 * frame may be preceded by a struct xsk_tx_metadata, used when its
 * descriptor carries XDP_TX_METADATA.  The layout is kernel ABI.
 */
#ifndef XDP_TXMD_FLAGS_TIMESTAMP
#define XDP_TXMD_FLAGS_TIMESTAMP	(1 << 0)
#define XDP_TXMD_FLAGS_CHECKSUM		(1 << 1)

struct xsk_tx_metadata {
	__u64 flags;
	union {
		struct {
			__u16 csum_start;	/* from the frame's start */
			__u16 csum_offset;	/* from csum_start */
		} request;
		struct {
			__u64 tx_timestamp;
		} completion;
	};
};
#endif

/**
 * xsk_umem__tx_metadata() - the metadata area in front of a TX frame
 * @umem_area: the UMEM area
 * @addr: the address the TX descriptor will carry (the frame's start)
 * @tx_metadata_len: the UMEM's tx_metadata_len
 *
 * Returns a pointer @tx_metadata_len bytes before the frame, where the
 * kernel reads struct xsk_tx_metadata.  The frame must start at least
 * that far into its chunk.
 */
XSK_INLINE struct xsk_tx_metadata *xsk_umem__tx_metadata(void *umem_area, __u64 addr,
							 __u32 tx_metadata_len)
{
	return (struct xsk_tx_metadata *)((char *)umem_area + addr - tx_metadata_len);
}

/**
 * xsk_tx_metadata__request() - ask for checksum offload and/or a timestamp
 * @md: the frame's metadata, from xsk_umem__tx_metadata()
 * @csum_start: where checksumming starts, from the frame's start
 * @csum_offset: where the checksum goes, from @csum_start
 * @timestamp: ask for the transmit time, read back on completion
 *
 * Pass @csum_offset 0 for no checksum.  The descriptor must then carry
 * XDP_TX_METADATA.  In copy mode a checksum is computed in software only
 * when the UMEM has XDP_UMEM_TX_SW_CSUM; the checksum field must hold the
 * pseudo-header sum, as for any CHECKSUM_PARTIAL offload.
 */
XSK_INLINE void xsk_tx_metadata__request(struct xsk_tx_metadata *md, __u16 csum_start,
					 __u16 csum_offset, int timestamp)
{
	md->flags = (csum_offset ? XDP_TXMD_FLAGS_CHECKSUM : 0) |
		    (timestamp ? XDP_TXMD_FLAGS_TIMESTAMP : 0);
	md->request.csum_start = csum_start;
	md->request.csum_offset = csum_offset;
}

/**
 * xsk_tx_metadata__timestamp() - the transmit time of a completed frame
 * @md: the frame's metadata, read after its address came back on the
 *   completion ring
 *
 * Returns the timestamp the device stored, in nanoseconds, or 0 when no
 * timestamp was asked for.  Only a device that timestamps AF_XDP TX stores
 * one; copy mode does not, and the field then still holds the request.
 */
XSK_INLINE __u64 xsk_tx_metadata__timestamp(const struct xsk_tx_metadata *md)
{
	return md->flags & XDP_TXMD_FLAGS_TIMESTAMP ? md->completion.tx_timestamp : 0;
}

/* ------------------------------------------------------------------ */
/* Messages                                                            */
/* ------------------------------------------------------------------ */

enum libxsk_print_level {
	LIBXSK_WARN,
	LIBXSK_INFO,
	LIBXSK_DEBUG,
};

typedef int (*libxsk_print_fn_t)(enum libxsk_print_level level,
				 const char *format, va_list args);

/**
 * libxsk_set_print() - route the library's messages
 * @fn: the callback, or NULL for silence
 *
 * Every error the library returns is also described, with the value at
 * fault, through this callback at LIBXSK_WARN.  The default callback
 * prints warnings to stderr.  Returns the previous callback.
 */
LIBXSK_API libxsk_print_fn_t libxsk_set_print(libxsk_print_fn_t fn);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* __LIBXSK_XSK_H */
