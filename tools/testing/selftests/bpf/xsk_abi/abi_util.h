/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The AF_XDP kernel ABI suite: raw-syscall helpers.  Nothing here uses
 * libxsk or libbpf's xsk helpers; libbpf is only used for bpf() (the
 * XSKMAP, the program and its link).
 */
#ifndef XSK_ABI_UTIL_H
#define XSK_ABI_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <linux/if_xdp.h>
#include <linux/types.h>

#include "harness.h"

#ifndef AF_XDP
#define AF_XDP 44
#endif
#ifndef SOL_XDP
#define SOL_XDP 283
#endif

/* Newer uapi than Debian 12's headers: spelled out with the ABI values. */
#define ABI_XDP_USE_SG			(1 << 4)
#define ABI_UMEM_UNALIGNED		(1 << 0)
#define ABI_UMEM_TX_SW_CSUM		(1 << 1)
#define ABI_UMEM_TX_METADATA_LEN	(1 << 2)
#define ABI_XDP_PKT_CONTD		(1 << 0)
#define ABI_XDP_TX_METADATA		(1 << 1)

/* The full registration and statistics, as the ABI defines them. */
struct abi_umem_reg {
	__u64 addr;
	__u64 len;
	__u32 chunk_size;
	__u32 headroom;
	__u32 flags;
	__u32 tx_metadata_len;
};

struct abi_stats {
	__u64 rx_dropped;
	__u64 rx_invalid_descs;
	__u64 tx_invalid_descs;
	__u64 rx_ring_full;
	__u64 rx_fill_ring_empty_descs;
	__u64 tx_ring_empty_descs;
};

_Static_assert(sizeof(struct abi_umem_reg) == 32, "xdp_umem_reg is 32 bytes");
_Static_assert(sizeof(struct abi_stats) == 48, "xdp_statistics is 48 bytes");
_Static_assert(sizeof(struct sockaddr_xdp) == 16, "sockaddr_xdp is 16 bytes");
_Static_assert(sizeof(struct xdp_mmap_offsets) == 128, "xdp_mmap_offsets is 128 bytes");

/* Assert that @expr fails with exactly errno @err. */
#define ASSERT_ERRNO(expr, err)							\
	do {									\
		errno = 0;							\
		long long __r = (long long)(expr);				\
		int __e = errno;						\
		if (__r != -1 || __e != (err))					\
			FAIL("%s: expected -1/%s, got %lld/%s", #expr,		\
			     strerrorname_np(err) ?: "?", __r,			\
			     __e ? (strerrorname_np(__e) ?: "?") : "0");	\
	} while (0)

#define ASSERT_SYS(expr)							\
	do {									\
		errno = 0;							\
		long long __r = (long long)(expr);				\
		if (__r < 0)							\
			FAIL("%s failed: %s", #expr, strerror(errno));		\
	} while (0)

/* ---- one ring, mapped ------------------------------------------------- */

struct ring {
	void *map;
	size_t map_len;
	__u32 *producer, *consumer, *flags;
	void *desc;
	__u32 size;
	__u32 cached;		/* our own index (prod for fill/tx, cons for rx/comp) */
};

static inline struct xdp_desc *ring_desc(struct ring *r, __u32 idx)
{
	return &((struct xdp_desc *)r->desc)[idx & (r->size - 1)];
}

static inline __u64 *ring_addr(struct ring *r, __u32 idx)
{
	return &((__u64 *)r->desc)[idx & (r->size - 1)];
}

static inline __u32 ring_load(const __u32 *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static inline void ring_store(__u32 *p, __u32 v)
{
	__atomic_store_n(p, v, __ATOMIC_RELEASE);
}

/* ---- a socket with optional UMEM of its own --------------------------- */

struct xsk {
	int fd;
	void *area;		/* the UMEM, when this socket registered it */
	size_t area_size;
	unsigned int frame_size;
	unsigned int nframes;
	struct ring rx, tx, fq, cq;
};

int xsk_socket_raw(void);
/* Map and register an area of @nframes * @frame_size; returns 0 or -errno. */
int xsk_umem_raw(struct xsk *x, unsigned int nframes, unsigned int frame_size);
/* setsockopt(SOL_XDP, @opt, &entries): 0 or -errno. */
int xsk_set_ring(int fd, int opt, int entries);
/* mmap the ring @opt (XDP_RX_RING...) of @entries entries into @r; 0 or -errno. */
int xsk_map_ring(int fd, int opt, __u32 entries, struct ring *r);
void xsk_unmap_ring(struct ring *r);
/* bind(): 0 or -errno. */
int xsk_bind_raw(int fd, int ifindex, __u32 queue, __u16 flags, __u32 shared_fd);
/* The same, retrying EBUSY for up to 10 s (a closed socket's queue frees asynchronously). */
int xsk_bind_retry(int fd, int ifindex, __u32 queue, __u16 flags, __u32 shared_fd);
int xsk_stats(int fd, struct abi_stats *st);

/*
 * A complete socket: UMEM (unless @shared, whose UMEM it shares), fill and
 * completion rings of @ring entries, RX and/or TX of @ring entries, all
 * mapped, bound to @ifindex queue @queue.  Fails the test on error.
 */
void xsk_open(struct xsk *x, int ifindex, __u32 queue, bool rx, bool tx, __u32 ring,
	      __u16 bind_flags, const struct xsk *shared);
/* An unbound socket set up to just before bind(). */
void xsk_prepare(struct xsk *x, bool rx, bool tx, __u32 ring, const struct xsk *shared,
		 bool own_fq);
void xsk_close(struct xsk *x);
/*
 * A socket on a UMEM of its own of @area bytes, registered with @mr's
 * chunk_size, headroom, flags and tx_metadata_len (addr and len are filled
 * in); fill and completion rings of 64 entries, an RX ring of 64 when @rx,
 * a TX ring of @tx_entries unless 0, all mapped, bound to env.ifindex_a
 * queue 0 with @bind_flags.  Fails the test on error.
 */
void xsk_open_umem(struct xsk *x, struct abi_umem_reg mr, size_t area, bool rx,
		   __u32 tx_entries, __u16 bind_flags);

/* Put frames [@first, @first + @n) on the fill ring @fq; returns how many fit. */
unsigned int xsk_fill(struct xsk *owner, struct ring *fq, unsigned int first, unsigned int n);
/* Take what is on RX; returns the number of entries, checks each is a test frame. */
unsigned int xsk_rx_drain(struct xsk *owner, struct ring *rx, bool check);
/* Wait until RX has @n entries (or @ms passed); returns the entries available. */
unsigned int xsk_rx_wait(struct ring *rx, unsigned int n, int ms);
/* Kick TX: sendto(fd, NULL, 0, MSG_DONTWAIT) and return its result (-errno). */
int xsk_kick(int fd);
/* Put a TX descriptor at @x's TX producer (not yet published). */
void tx_put(struct xsk *x, __u64 addr, __u32 len, __u32 options);
/*
 * Publish TX and kick until the consumer reaches the producer (3 s at most).
 * Returns the completions waiting on the completion ring.
 */
__u32 tx_settle(struct xsk *x);

/* The socket's statistics (full size); fails the test on error. */
static inline struct abi_stats stats_of(int fd)
{
	struct abi_stats st;

	ASSERT_OK(xsk_stats(fd, &st));
	return st;
}

/* Wait until @field of the socket's statistics reaches @want (or 3 s passed). */
#define WAIT_STAT(fd, field, want)						\
	({									\
		uint64_t __end = now_ms() + 3000;				\
		struct abi_stats __st;						\
		for (;;) {							\
			__st = stats_of(fd);					\
			if (__st.field >= (want) || now_ms() > __end)		\
				break;						\
			usleep(2000);						\
		}								\
		usleep(50000);	/* nothing more may come */			\
		stats_of(fd);							\
	})


/* ---- frames, the peer --------------------------------------------------- */

#define TEST_ETHERTYPE	0x88b5
#define FRAME_LEN	64

void frame_make(void *buf, size_t len, uint32_t seq, const unsigned char *dst,
		const unsigned char *src);
/* Returns the seq of a test frame, or -1. */
long frame_seq(const void *buf, size_t len);

/* AF_PACKET on env.if_b in namespace B (calling thread returns to A). */
int peer_socket(void);
void peer_send_frames(int fd, unsigned int count, uint32_t first);
/*
 * Count the FRAME_LEN test frames the peer receives, until @want arrived or
 * @ms passed; whatever arrives in the 20 ms after counts too.
 */
unsigned int peer_count(int fd, unsigned int want, int ms);

/* ---- bpf: the XSKMAP and a redirect program ----------------------------- */

struct redirect {
	int map_fd, prog_fd, link_fd;
};

/*
 * An XSKMAP of @entries and a native-mode XDP program (raw instructions)
 * on @ifindex that sends frames of TEST_ETHERTYPE to
 * map[rx_queue_index * @spread + (seq & (@spread - 1))] (XDP_PASS when the
 * slot is empty) and passes everything else.  @spread is a power of two;
 * 1 gives map[rx_queue_index].  Held through a bpf_link.
 */
void redirect_attach(struct redirect *r, int ifindex, unsigned int entries, unsigned int spread);
/* The same, multi-buffer capable (BPF_F_XDP_HAS_FRAGS) when @frags. */
void redirect_attach_frags(struct redirect *r, int ifindex, unsigned int entries,
			   unsigned int spread, bool frags);
/*
 * The same (spread 1), the program first putting META_BYTES of metadata in
 * front of each frame with bpf_xdp_adjust_meta(): META_WORD0 then META_WORD1.
 */
#define META_BYTES	8
#define META_WORD0	0x5a5aa5a5
#define META_WORD1	0x01020304
void redirect_attach_meta(struct redirect *r, int ifindex, unsigned int entries);
/* Does a BPF lookup of XSKMAP[@key] find a socket?  (Run with BPF_PROG_TEST_RUN.) */
int xskmap_has(int map_fd, __u32 key);
void redirect_detach(struct redirect *r);
void xskmap_set(struct redirect *r, __u32 key, int fd);

/*
 * Where kernels differ in a detail no application depends on, a test accepts
 * either outcome, and pins ours when XSK_ABI_KERNEL=ours (the guest runs on
 * our kernel set it).
 */
bool abi_kernel_is_ours(void);

/* Drop every capability except those in @keep (a mask of CAP_* bits). */
int caps_keep_only(__u64 keep);

#endif /* XSK_ABI_UTIL_H */
