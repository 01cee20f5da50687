// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libxsk's batched data plane: receive and send in batches without
 * touching the four rings, over a frame pool that owns the UMEM's frames.
 *
 * Frame accounting.  Every frame of a pool is in exactly one place: free
 * in the pool, given to the kernel on the fill ring (in_fill), out on a TX
 * ring until completed (in_tx), or held by the application (received and
 * not yet given back, or taken with xsk_frame_pool__alloc()).  The pool
 * counts the first three; the fourth is what is left.  It also records
 * where each frame is, so that every address handed back is checked: one
 * outside the pool's frames, or a frame that is not the application's
 * (freed twice, still on a ring), is refused with -EINVAL and a message.
 *
 * Addresses.  A frame is known by its base address (the chunk start).
 * The kernel hands back addresses with an offset (aligned mode: base plus
 * headroom, unaligned mode: the offset in the upper bits); frame_base()
 * recovers the base either way.  Frames we transmit are addressed the
 * same way, so their completions map back too.
 *
 * Threads.  Neither pools nor sockets are locked: a pool, and every socket
 * using it, belong to one thread at a time.  To spread a UMEM over
 * threads, give each thread a pool of its own frames (disjoint ranges).
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>

#include "xsk_internal.h"

#define XSK_FILL_BATCH	32	/* refill the fill ring in chunks at least this big */
#define XSK_COMP_BATCH	256

/* Where a frame of a pool is. */
enum frame_place {
	FRAME_FREE,		/* on the pool's free stack */
	FRAME_FILL,		/* on a fill ring */
	FRAME_TX,		/* on a TX ring, until completed */
	FRAME_APP,		/* the application's */
};

static const char *const frame_place_names[] = {
	[FRAME_FREE] = "already free in the pool",
	[FRAME_FILL] = "on the fill ring",
	[FRAME_TX] = "being sent",
	[FRAME_APP] = "the application's",
};

struct xsk_frame_pool {
	struct xsk_umem *umem;
	__u64 *free;		/* a stack of free frame bases */
	__u8 *place;		/* enum frame_place of each frame */
	__u32 first_frame;
	__u32 nr_free;
	__u32 size;
	__u32 in_fill;
	__u32 in_tx;
	__u32 fill_max;		/* what the fill rings may hold: all, or half when sending */
	int users;		/* sockets using the pool */
};

static bool umem_unaligned(const struct xsk_umem *umem)
{
	return umem->geo.flags & XDP_UMEM_UNALIGNED_CHUNK_FLAG;
}

static __u64 frame_base(const struct xsk_umem *umem, __u64 addr)
{
	if (umem_unaligned(umem))
		return xsk_umem__extract_addr(addr);
	return addr & ~((__u64)umem->geo.frame_size - 1);
}

/* An address @off bytes into the frame at @base, as the kernel reads it. */
static __u64 frame_addr_at(const struct xsk_umem *umem, __u64 base, __u32 off)
{
	if (umem_unaligned(umem))
		return base | ((__u64)off << XSK_UNALIGNED_BUF_OFFSET_SHIFT);
	return base + off;
}

static void *data_at(const struct xsk_umem *umem, __u64 addr)
{
	if (umem_unaligned(umem))
		addr = xsk_umem__add_offset_to_addr(addr);
	return (char *)umem->area + addr;
}

/* TX data starts after the metadata area, 8-byte aligned as the kernel wants. */
static __u32 tx_data_offset(const struct xsk_umem *umem)
{
	return (umem->geo.tx_metadata_len + 7) & ~7u;
}

static int64_t ms_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- the frame pool ------------------------------------------------------ */

/* The index of the frame starting at @base in @pool, or -1 for none of its frames. */
static long frame_index(const struct xsk_frame_pool *pool, __u64 base)
{
	__u64 size = pool->umem->geo.frame_size, nr = base / size;

	if (base % size || nr < pool->first_frame || nr - pool->first_frame >= pool->size)
		return -1;
	return (long)(nr - pool->first_frame);
}

/* Record that the frame at @base moved to @place; false if it is not the pool's. */
static bool frame_move(struct xsk_frame_pool *pool, __u64 base, enum frame_place place)
{
	long i = frame_index(pool, base);

	if (i < 0)
		return false;
	pool->place[i] = place;
	return true;
}

/* A frame back on the free stack; the caller checked it is the pool's. */
static void pool_put(struct xsk_frame_pool *pool, __u64 base)
{
	frame_move(pool, base, FRAME_FREE);
	pool->free[pool->nr_free++] = base;
}

/* The frame on top of the free stack, now at @place. */
static __u64 pool_take(struct xsk_frame_pool *pool, enum frame_place place)
{
	__u64 base = pool->free[--pool->nr_free];

	frame_move(pool, base, place);
	return base;
}

/*
 * The application gives back @n frames (addresses in @addrs, or in the
 * addr fields of @frames): each must be one of the pool's, held by the
 * application, and named once.  All or none: on success each is marked
 * FRAME_FREE in place (the caller then puts it where it goes); on failure
 * nothing changed, and the message names the address and what is wrong.
 */
static int frames_give_back(struct xsk_frame_pool *pool, const __u64 *addrs,
			    const struct xsk_frame *frames, __u32 n, const char *fn)
{
	__u32 i, j;

	for (i = 0; i < n; i++) {
		__u64 addr = addrs ? addrs[i] : frames[i].addr;
		long k = frame_index(pool, frame_base(pool->umem, addr));

		enum frame_place where;

		if (k >= 0 && pool->place[k] == FRAME_APP) {
			pool->place[k] = FRAME_FREE;
			continue;
		}
		where = k >= 0 ? pool->place[k] : FRAME_FREE;
		/* Undo the marks: nothing is taken back. */
		for (j = 0; j < i; j++)
			frame_move(pool, frame_base(pool->umem, addrs ? addrs[j] : frames[j].addr),
				   FRAME_APP);
		if (k < 0)
			return xsk_fail(-EINVAL, "%s: address 0x%llx (entry %u) is none of the "
					"pool's frames %u..%u", fn, (unsigned long long)addr, i,
					pool->first_frame, pool->first_frame + pool->size - 1);
		return xsk_fail(-EINVAL, "%s: the frame at 0x%llx (entry %u) is %s, not the "
				"application's%s", fn, (unsigned long long)addr, i,
				frame_place_names[where],
				where == FRAME_FREE ? " (given back twice?)" : "");
	}
	return 0;
}

struct xsk_frame_pool *xsk_frame_pool__create(struct xsk_umem *umem, __u32 first_frame,
					      __u32 nframes)
{
	struct xsk_frame_pool *pool;
	__u64 frame_size, end;
	__u32 i;

	if (!umem || !nframes) {
		errno = -xsk_fail(-EINVAL, "xsk_frame_pool__create: %s", !umem ? "NULL UMEM" :
				  "a pool of 0 frames");
		return NULL;
	}
	frame_size = umem->geo.frame_size;
	end = ((__u64)first_frame + nframes) * frame_size;
	if (end > umem->size) {
		errno = -xsk_fail(-EINVAL, "frames %u..%llu do not fit in the %llu-byte UMEM "
				  "(%llu-byte frames)", first_frame,
				  (unsigned long long)first_frame + nframes - 1,
				  (unsigned long long)umem->size, (unsigned long long)frame_size);
		return NULL;
	}
	pool = calloc(1, sizeof(*pool));
	if (pool) {
		pool->free = malloc(sizeof(*pool->free) * nframes);
		pool->place = calloc(nframes, sizeof(*pool->place));	/* FRAME_FREE */
	}
	if (!pool || !pool->free || !pool->place) {
		if (pool) {
			free(pool->free);
			free(pool->place);
		}
		free(pool);
		errno = -xsk_fail(-ENOMEM, "out of memory for a pool of %u frames", nframes);
		return NULL;
	}
	pool->umem = umem;
	pool->first_frame = first_frame;
	pool->size = nframes;
	pool->fill_max = nframes;
	/* Lowest addresses on top, so frames are handed out in order. */
	for (i = 0; i < nframes; i++)
		pool->free[i] = (__u64)(first_frame + nframes - 1 - i) * frame_size;
	pool->nr_free = nframes;
	return pool;
}

int xsk_frame_pool__delete(struct xsk_frame_pool *pool)
{
	if (!pool)
		return 0;
	if (pool->users)
		return xsk_fail(-EBUSY, "frame pool still used by %d socket%s", pool->users,
				pool->users == 1 ? "" : "s");
	free(pool->free);
	free(pool->place);
	free(pool);
	return 0;
}

int xsk_frame_pool__counts(const struct xsk_frame_pool *pool,
			   struct xsk_frame_pool_counts *counts)
{
	if (!pool || !counts)
		return xsk_fail(-EINVAL, "xsk_frame_pool__counts: NULL %s",
				!pool ? "pool" : "counts");
	counts->size = pool->size;
	counts->free = pool->nr_free;
	counts->in_fill = pool->in_fill;
	counts->in_tx = pool->in_tx;
	counts->held = pool->size - pool->nr_free - pool->in_fill - pool->in_tx;
	return 0;
}

int xsk_frame_pool__alloc(struct xsk_frame_pool *pool, __u64 *addrs, __u32 n)
{
	__u32 i;

	if (!pool || (!addrs && n))
		return xsk_fail(-EINVAL, "xsk_frame_pool__alloc: NULL %s", !pool ? "pool" : "addrs");
	if (pool->nr_free < n)
		return -ENOMEM;		/* all or nothing; not worth a message */
	for (i = 0; i < n; i++)
		addrs[i] = pool_take(pool, FRAME_APP);
	return n;
}

int xsk_frame_pool__free(struct xsk_frame_pool *pool, const __u64 *addrs, __u32 n)
{
	__u32 i;
	int err;

	if (!pool || (!addrs && n))
		return xsk_fail(-EINVAL, "xsk_frame_pool__free: NULL %s", !pool ? "pool" : "addrs");
	err = frames_give_back(pool, addrs, NULL, n, "xsk_frame_pool__free");
	if (err)
		return err;
	for (i = 0; i < n; i++)
		pool_put(pool, frame_base(pool->umem, addrs[i]));
	return 0;
}

static void fill_top_up(struct xsk_socket *xsk);

int xsk_socket__use_frame_pool(struct xsk_socket *xsk, struct xsk_frame_pool *pool)
{
	struct xsk_ctx *ctx;

	if (!xsk || !pool)
		return xsk_fail(-EINVAL, "xsk_socket__use_frame_pool: NULL %s",
				!xsk ? "socket" : "pool");
	ctx = xsk->ctx;
	if (pool->umem != xsk->umem)
		return xsk_fail(-EINVAL, "the frame pool belongs to another UMEM than the socket "
				"of %s queue %u", xsk->ifname, xsk->queue_id);
	/*
	 * The frames on a fill ring come back on whichever socket of the
	 * queue receives them: the sockets sharing a fill and completion ring
	 * pair share one pool.
	 */
	if (ctx->pool && ctx->pool != pool &&
	    ctx->pool_users > (xsk->pool == ctx->pool ? 1 : 0))
		return xsk_fail(-EINVAL, "the fill and completion rings of %s queue %u are fed by "
				"another frame pool (%d socket%s): sockets sharing them share "
				"one pool", xsk->ifname, xsk->queue_id, ctx->pool_users,
				ctx->pool_users == 1 ? "" : "s");
	if (xsk->pool)
		libxsk_batch_socket_gone(xsk);
	xsk->pool = pool;
	pool->users++;
	ctx->pool = pool;
	ctx->pool_users++;
	/* A sending socket needs frames too: the fill rings get half at most. */
	if (xsk->tx && xsk->rx && pool->fill_max > pool->size / 2)
		pool->fill_max = pool->size / 2 ? pool->size / 2 : 1;
	/* Frames may arrive before the first receive call: stock up now. */
	if (xsk->rx)
		fill_top_up(xsk);
	return 0;
}

/* Called when a socket goes (xsk.c). */
void libxsk_batch_socket_gone(struct xsk_socket *xsk)
{
	if (!xsk->pool)
		return;
	xsk->pool->users--;
	if (xsk->ctx && xsk->ctx->pool == xsk->pool && !--xsk->ctx->pool_users)
		xsk->ctx->pool = NULL;
	xsk->pool = NULL;
}

/* ---- receiving ------------------------------------------------------------- */

/* Keep the fill ring stocked from the pool, in chunks. */
static void fill_top_up(struct xsk_socket *xsk)
{
	struct xsk_frame_pool *pool = xsk->pool;
	struct xsk_ring_prod *fill = xsk->ctx->fill;
	__u32 n, i, idx = 0;

	__u32 room = pool->fill_max > pool->in_fill ? pool->fill_max - pool->in_fill : 0;
	__u32 want = pool->nr_free < room ? pool->nr_free : room;

	n = xsk_prod_nb_free(fill, XSK_FILL_BATCH);
	if (n > want)
		n = want;
	if (n < XSK_FILL_BATCH && n < want)
		return;		/* wait for a worthwhile chunk */
	if (!n || xsk_ring_prod__reserve(fill, n, &idx) != n)
		return;
	for (i = 0; i < n; i++)
		*xsk_ring_prod__fill_addr(fill, idx + i) = pool_take(pool, FRAME_FILL);
	xsk_ring_prod__submit(fill, n);
	pool->in_fill += n;
}

/*
 * Wait for the socket until @deadline (ms, -1: forever).  Returns 0 to
 * try again, -ETIMEDOUT, or -EINTR.
 */
static int socket_wait(struct xsk_socket *xsk, short events, int64_t deadline)
{
	struct pollfd pfd = { .fd = xsk->fd, .events = events };
	int timeout = -1, ret;

	if (deadline >= 0) {
		int64_t left = deadline - ms_now();

		if (left <= 0)
			return -ETIMEDOUT;
		timeout = left > 1000 ? 1000 : (int)left;
	}
	ret = poll(&pfd, 1, timeout);
	if (ret < 0)
		return errno == EINTR ? -EINTR : -errno;
	return 0;
}

/* Let the kernel run: needed with need_wakeup set, and to drive busy polling. */
static void rx_kick(struct xsk_socket *xsk)
{
	if (xsk->busy_poll || xsk_ring_prod__needs_wakeup(xsk->ctx->fill))
		recvfrom(xsk->fd, NULL, 0, MSG_DONTWAIT, NULL, NULL);
}

static int64_t deadline_of(int timeout_ms)
{
	return timeout_ms < 0 ? -1 : ms_now() + timeout_ms;
}

static int batch_check(const struct xsk_socket *xsk, const void *array, bool need_rx,
		       const char *fn)
{
	if (!xsk || !array)
		return xsk_fail(-EINVAL, "%s: NULL %s", fn, !xsk ? "socket" : "array");
	if (!xsk->pool)
		return xsk_fail(-EINVAL, "%s: the socket of %s queue %u has no frame pool "
				"(xsk_socket__use_frame_pool)", fn, xsk->ifname, xsk->queue_id);
	if (need_rx ? !xsk->rx : !xsk->tx)
		return xsk_fail(-EINVAL, "%s: the socket of %s queue %u has no %s ring", fn,
				xsk->ifname, xsk->queue_id, need_rx ? "RX" : "TX");
	return 0;
}

int xsk_socket__recv(struct xsk_socket *xsk, struct xsk_frame *frames, __u32 max,
		     int timeout_ms)
{
	int64_t deadline = deadline_of(timeout_ms);
	__u32 idx = 0, n, whole, i;
	int err;

	err = batch_check(xsk, frames, true, "xsk_socket__recv");
	if (err)
		return err;
	if (!max)
		return 0;
	for (;;) {
		fill_top_up(xsk);
		n = xsk_ring_cons__peek(xsk->rx, max, &idx);
		/* Whole packets only: leave an unfinished one for the next call. */
		for (whole = n; whole; whole--)
			if (!(xsk_ring_cons__rx_desc(xsk->rx, idx + whole - 1)->options &
			      XDP_PKT_CONTD))
				break;
		if (whole) {
			xsk_ring_cons__cancel(xsk->rx, n - whole);
			for (i = 0; i < whole; i++) {
				const struct xdp_desc *d = xsk_ring_cons__rx_desc(xsk->rx, idx + i);

				frames[i].addr = d->addr;
				frames[i].data = data_at(xsk->umem, d->addr);
				frames[i].len = d->len;
				frames[i].flags = d->options & XDP_PKT_CONTD ? XSK_FRAME_MORE : 0;
				frame_move(xsk->pool, frame_base(xsk->umem, d->addr), FRAME_APP);
			}
			xsk_ring_cons__release(xsk->rx, whole);
			xsk->pool->in_fill -= whole;
			return whole;
		}
		xsk_ring_cons__cancel(xsk->rx, n);
		if (n == max)
			return xsk_fail(-ENOBUFS, "xsk_socket__recv: a packet on %s queue %u spans "
					"more than the %u frames asked for", xsk->ifname,
					xsk->queue_id, max);
		rx_kick(xsk);
		if (!timeout_ms)
			return -EAGAIN;
		err = socket_wait(xsk, POLLIN, deadline);
		if (err)
			return err;
	}
}

/*
 * Received frames go straight back to the fill ring when it has room and
 * the pool's share for receiving allows (one copy, and the kernel gets
 * them at once, as with the raw rings), to the pool otherwise.
 */
int xsk_socket__recv_done(struct xsk_socket *xsk, const struct xsk_frame *frames, __u32 n)
{
	struct xsk_ring_prod *fill;
	__u32 i, idx;
	int err;

	err = batch_check(xsk, frames, true, "xsk_socket__recv_done");
	if (!err)
		err = frames_give_back(xsk->pool, NULL, frames, n, "xsk_socket__recv_done");
	if (err)
		return err;
	fill = xsk->ctx->fill;
	if (n && xsk->pool->in_fill + n <= xsk->pool->fill_max &&
	    xsk_ring_prod__reserve(fill, n, &idx) == n) {
		for (i = 0; i < n; i++) {
			__u64 base = frame_base(xsk->umem, frames[i].addr);

			*xsk_ring_prod__fill_addr(fill, idx + i) = base;
			frame_move(xsk->pool, base, FRAME_FILL);
		}
		xsk_ring_prod__submit(fill, n);
		xsk->pool->in_fill += n;
		return 0;
	}
	for (i = 0; i < n; i++)
		pool_put(xsk->pool, frame_base(xsk->umem, frames[i].addr));
	return 0;
}

/* ---- sending ----------------------------------------------------------- */

/*
 * Completed frames go straight to the fill ring of a receiving socket when
 * the pool's share for receiving allows (as l2fwd on the raw rings does),
 * to the pool otherwise.
 */
/* Is the completion at @addr one of @pool's frames out for sending? */
static bool completion_is_ours(const struct xsk_frame_pool *pool, __u64 base)
{
	long k = frame_index(pool, base);

	return k >= 0 && pool->place[k] == FRAME_TX;
}

int xsk_socket__complete(struct xsk_socket *xsk)
{
	struct xsk_frame_pool *pool;
	struct xsk_ring_cons *comp;
	__u32 idx = 0, fidx = 0, n, i, own;
	bool to_fill;

	if (!xsk || !xsk->pool)
		return xsk_fail(-EINVAL, "xsk_socket__complete: %s",
				!xsk ? "NULL socket" : "the socket has no frame pool");
	pool = xsk->pool;
	comp = xsk->ctx->comp;
	n = xsk_ring_cons__peek(comp, XSK_COMP_BATCH, &idx);
	if (!n)
		return 0;
	/*
	 * Only frames the pool sent are taken back: anything else (sent on
	 * the raw ring, or twice) would overfill the free stack.
	 */
	for (i = 0, own = 0; i < n; i++)
		own += completion_is_ours(pool, frame_base(xsk->umem,
						*xsk_ring_cons__comp_addr(comp, idx + i)));
	to_fill = xsk->rx && own && pool->in_fill + own <= pool->fill_max &&
		  xsk_ring_prod__reserve(xsk->ctx->fill, own, &fidx) == own;
	for (i = 0; i < n; i++) {
		__u64 base = frame_base(xsk->umem, *xsk_ring_cons__comp_addr(comp, idx + i));

		if (!completion_is_ours(pool, base)) {
			xsk_fail(-EINVAL, "xsk_socket__complete: 0x%llx completed on %s queue %u "
				 "is no frame the pool sent; left alone",
				 (unsigned long long)base, xsk->ifname, xsk->queue_id);
			continue;
		}
		if (to_fill) {
			*xsk_ring_prod__fill_addr(xsk->ctx->fill, fidx++) = base;
			frame_move(pool, base, FRAME_FILL);
		} else {
			pool_put(pool, base);
		}
	}
	xsk_ring_cons__release(comp, n);
	if (to_fill) {
		xsk_ring_prod__submit(xsk->ctx->fill, own);
		pool->in_fill += own;
	}
	pool->in_tx -= own;
	return own;
}

/*
 * Kick when asked to (or always without need_wakeup).  Copy mode sends a
 * bounded batch per sendto() and answers EAGAIN while more is queued, so
 * keep kicking until the kernel has taken everything, within reason: a
 * full device queue also answers EAGAIN.
 */
#define XSK_TX_KICKS_MAX 64

static void tx_kick(struct xsk_socket *xsk)
{
	int kicks;

	for (kicks = 0; kicks < XSK_TX_KICKS_MAX; kicks++) {
		if (!xsk->busy_poll && (xsk->bind_flags & XDP_USE_NEED_WAKEUP) &&
		    !xsk_ring_prod__needs_wakeup(xsk->tx))
			return;
		if (sendto(xsk->fd, NULL, 0, MSG_DONTWAIT, NULL, 0) >= 0 || errno != EAGAIN)
			return;
		/* Acquire: the kernel's consumer index, to see what is left. */
		if (xsk__load_acquire(xsk->tx->consumer) == *xsk->tx->producer)
			return;
	}
}

/* Nothing could be taken: -ENOMEM when no frame will come back, else wait. */
static int tx_wait(struct xsk_socket *xsk, int timeout_ms, int64_t deadline, bool no_frames)
{
	struct timespec pause = { .tv_nsec = 50 * 1000 };

	if (no_frames && !xsk->pool->in_tx)
		return -ENOMEM;
	if (!timeout_ms)
		return -EAGAIN;
	if (deadline >= 0 && ms_now() >= deadline)
		return -ETIMEDOUT;
	/* Completions are not pollable: give the kernel a moment. */
	nanosleep(&pause, NULL);
	return 0;
}

int xsk_socket__send(struct xsk_socket *xsk, const struct iovec *pkts, __u32 n,
		     int timeout_ms)
{
	int64_t deadline = deadline_of(timeout_ms);
	__u32 off, room, taken, frames, i, idx = 0;
	struct xsk_frame_pool *pool;
	int err;

	err = batch_check(xsk, pkts, false, "xsk_socket__send");
	if (err)
		return err;
	/* Nothing to send: nothing to wait for, whatever the timeout. */
	if (!n)
		return 0;
	pool = xsk->pool;
	off = tx_data_offset(xsk->umem);
	room = xsk->umem->geo.frame_size - off;
	for (i = 0; i < n; i++) {
		__u64 need = (pkts[i].iov_len + room - 1) / room;

		if (!pkts[i].iov_len || (pkts[i].iov_len > room && !(xsk->bind_flags & XDP_USE_SG)))
			return xsk_fail(-EINVAL, "xsk_socket__send: packet %u is %zu bytes; a frame "
					"holds %u%s", i, pkts[i].iov_len, room,
					pkts[i].iov_len ? " (larger packets need XDP_USE_SG)" : "");
		/* A packet that can never fit would be waited for forever. */
		if (need > pool->size || need > xsk->tx->size)
			return xsk_fail(-EINVAL, "xsk_socket__send: packet %u needs %llu frames; the "
					"pool has %u and the TX ring %u slots", i,
					(unsigned long long)need, pool->size, xsk->tx->size);
	}
	for (;;) {
		__u32 free_slots;

		xsk_socket__complete(xsk);
		free_slots = xsk_prod_nb_free(xsk->tx, xsk->tx->size);
		/* As many whole packets as frames and TX slots allow. */
		for (taken = 0, frames = 0; taken < n; taken++) {
			__u32 need = (pkts[taken].iov_len + room - 1) / room;

			if (frames + need > pool->nr_free || frames + need > free_slots)
				break;
			frames += need;
		}
		if (taken)
			break;
		tx_kick(xsk);
		err = tx_wait(xsk, timeout_ms, deadline, pool->nr_free < free_slots);
		if (err)
			return err;
	}

	xsk_ring_prod__reserve(xsk->tx, frames, &idx);
	for (i = 0; i < taken; i++) {
		const char *src = pkts[i].iov_base;
		size_t left = pkts[i].iov_len;

		while (left) {
			struct xdp_desc *d = xsk_ring_prod__tx_desc(xsk->tx, idx++);
			__u32 chunk = left < room ? left : room;
			__u64 addr = frame_addr_at(xsk->umem, pool_take(pool, FRAME_TX), off);

			memcpy(data_at(xsk->umem, addr), src, chunk);
			d->addr = addr;
			d->len = chunk;
			left -= chunk;
			src += chunk;
			d->options = left ? XDP_PKT_CONTD : 0;
		}
	}
	xsk_ring_prod__submit(xsk->tx, frames);
	pool->in_tx += frames;
	tx_kick(xsk);
	return taken;
}

int xsk_socket__send_frames(struct xsk_socket *xsk, const struct xsk_frame *frames, __u32 n,
			    int timeout_ms)
{
	int64_t deadline = deadline_of(timeout_ms);
	__u32 whole, free_slots, i, idx = 0;
	int err;

	err = batch_check(xsk, frames, false, "xsk_socket__send_frames");
	if (err)
		return err;
	if (n && (frames[n - 1].flags & XSK_FRAME_MORE))
		return xsk_fail(-EINVAL, "xsk_socket__send_frames: the last of the %u frames "
				"announces more (XSK_FRAME_MORE): give whole packets", n);
	for (;;) {
		xsk_socket__complete(xsk);
		free_slots = xsk_prod_nb_free(xsk->tx, n);
		whole = n < free_slots ? n : free_slots;
		while (whole && (frames[whole - 1].flags & XSK_FRAME_MORE))
			whole--;
		if (whole || !n)
			break;
		tx_kick(xsk);
		err = tx_wait(xsk, timeout_ms, deadline, false);
		if (err)
			return err;
	}
	if (!whole)
		return 0;
	err = frames_give_back(xsk->pool, NULL, frames, whole, "xsk_socket__send_frames");
	if (err)
		return err;
	xsk_ring_prod__reserve(xsk->tx, whole, &idx);
	for (i = 0; i < whole; i++) {
		struct xdp_desc *d = xsk_ring_prod__tx_desc(xsk->tx, idx + i);

		d->addr = frames[i].addr;
		d->len = frames[i].len;
		d->options = frames[i].flags & XSK_FRAME_MORE ? XDP_PKT_CONTD : 0;
		frame_move(xsk->pool, frame_base(xsk->umem, frames[i].addr), FRAME_TX);
	}
	xsk_ring_prod__submit(xsk->tx, whole);
	/* These frames were the application's; they come back to the pool. */
	xsk->pool->in_tx += whole;
	tx_kick(xsk);
	return whole;
}
