/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Helpers the tests share: test frames, an AF_PACKET peer on the B end of
 * the veth, and a UMEM + socket fixture built on the public libxsk API.
 */
#ifndef LIBXSK_TEST_UTIL_H
#define LIBXSK_TEST_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <libxsk/xsk.h>

/* Frames carry an ethertype of their own, so stray traffic is ignored. */
#define TEST_ETHERTYPE	0x88b5
#define TEST_MAGIC	0x78736b21u	/* "xsk!" */
#define FRAME_HDR_LEN	22		/* Ethernet header + magic + seq */

/* Build frame @seq of @len bytes from @src to @dst. */
void frame_build(void *buf, size_t len, uint32_t seq, const unsigned char *dst,
		 const unsigned char *src);
/* Check a frame built by frame_build(); returns its seq or -1. */
long frame_check(const void *buf, size_t len);

/* ---- the B end, seen through AF_PACKET ---------------------------------- */

/* A packet socket on @ifname in namespace B (or A), for TEST_ETHERTYPE. */
int peer_open_on(bool in_b, const char *ifname);
/* The usual peer: env.if_b in namespace B. */
int peer_open(void);
/* Send @count frames of @len bytes, seq @first.., from B to A. */
void peer_send(int fd, unsigned int count, size_t len, uint32_t first);
/* Receive test frames until @count arrived or @timeout_ms passed; returns how many. */
unsigned int peer_recv(int fd, unsigned int count, size_t len, int timeout_ms,
		       uint8_t *seen, unsigned int seen_size);

/* ---- a UMEM with one socket ------------------------------------------- */

struct fixture {
	void *area;
	size_t size;
	unsigned int nframes;
	unsigned int frame_size;
	unsigned int headroom;
	bool unaligned;
	__u16 bind_flags;
	struct xsk_umem *umem;
	struct xsk_ring_prod fill;
	struct xsk_ring_cons comp;
	struct xsk_ring_cons rx;
	struct xsk_ring_prod tx;
	struct xsk_socket *xsk;
	/* A stack of free frame addresses, for TX and refills. */
	uint64_t *free_addrs;
	unsigned int nr_free;
};

/* Map the area and create the UMEM (frame_size 0: the default). */
void fixture_umem(struct fixture *f, unsigned int nframes, unsigned int frame_size,
		  unsigned int umem_flags);
/* Create the socket on env.if_a queue @queue. */
void fixture_socket(struct fixture *f, unsigned int queue, bool rx, bool tx,
		    __u32 xdp_flags, __u16 bind_flags);
/* A socket config with default ring sizes. */
struct xsk_socket_config socket_config(__u32 xdp_flags, __u16 bind_flags, __u32 lib_flags);
void fixture_destroy(struct fixture *f);

/* The address of frame @i (unaligned mode: a deliberately odd spot in it). */
uint64_t fixture_frame_addr(const struct fixture *f, unsigned int i);
/* Give @n free frames to the fill ring @fill (of f's UMEM). */
void fixture_fill(struct fixture *f, struct xsk_ring_prod *fill, unsigned int n);
/*
 * Receive test frames on socket @xsk's @rx until @count arrived or
 * @timeout_ms passed, refilling @fill with the frames as they are
 * consumed.  Records each seq in @seen (if not NULL) and returns how many
 * arrived.
 */
unsigned int fixture_rx_on(struct fixture *f, struct xsk_socket *xsk,
			   struct xsk_ring_cons *rx, struct xsk_ring_prod *fill,
			   unsigned int count, size_t len, int timeout_ms, uint8_t *seen,
			   unsigned int seen_size);
#define fixture_rx(f, count, len, timeout_ms, seen, seen_size) \
	fixture_rx_on(f, (f)->xsk, &(f)->rx, &(f)->fill, count, len, timeout_ms, seen, seen_size)
/*
 * Transmit @count frames of @len bytes on socket @xsk's @tx, reaping
 * @comp, until all completed or @timeout_ms passed; returns completions.
 */
unsigned int fixture_tx_on(struct fixture *f, struct xsk_socket *xsk,
			   struct xsk_ring_prod *tx, struct xsk_ring_cons *comp,
			   unsigned int count, size_t len, uint32_t first, int timeout_ms);
#define fixture_tx(f, count, len, first, timeout_ms) \
	fixture_tx_on(f, (f)->xsk, &(f)->tx, &(f)->comp, count, len, first, timeout_ms)

/*
 * A TX-only AF_XDP socket on queue @queue of env.if_b: copy-mode TX keeps
 * the queue, so its frames (sent with fixture_tx()) arrive on the same RX
 * queue of env.if_a, which an AF_PACKET sender cannot promise.
 */
void sender_open(struct fixture *s, unsigned int queue);
void sender_close(struct fixture *s);

/* XDP program id attached to @ifindex in the current namespace (0: none). */
__u32 xdp_prog_id(int ifindex);

/* Drop every capability but CAP_NET_RAW (the calling process only). */
void drop_to_net_raw(void);

#endif /* LIBXSK_TEST_UTIL_H */
