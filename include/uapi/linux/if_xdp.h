/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * AF_XDP: the user-visible interface of XDP sockets.
 *
 * An XDP socket exchanges packets with an XDP program through a UMEM, a
 * user memory area cut into equal chunks, and four single-producer,
 * single-consumer rings mapped into the process: RX and TX (per socket,
 * struct xdp_desc entries) and fill and completion (per UMEM and queue,
 * u64 buffer addresses).  See Documentation/networking/af_xdp.rst.
 */

#ifndef _LINUX_IF_XDP_H
#define _LINUX_IF_XDP_H

#include <linux/types.h>

/* bind() flags, in sockaddr_xdp.sxdp_flags. */
#define XDP_SHARED_UMEM		(1 << 0) /* use the UMEM of sxdp_shared_umem_fd */
#define XDP_COPY		(1 << 1) /* insist on copy mode */
#define XDP_ZEROCOPY		(1 << 2) /* insist on zero-copy mode */
#define XDP_USE_NEED_WAKEUP	(1 << 3) /* the kernel says when it needs a syscall */
#define XDP_USE_SG		(1 << 4) /* packets may span several buffers */

/* xdp_umem_reg.flags */
#define XDP_UMEM_UNALIGNED_CHUNK_FLAG	(1 << 0) /* buffers may start anywhere */
#define XDP_UMEM_TX_SW_CSUM		(1 << 1) /* checksum requests done in software */
#define XDP_UMEM_TX_METADATA_LEN	(1 << 2) /* tx_metadata_len is valid */

/*
 * In unaligned mode a descriptor address carries the buffer's base in its
 * low 48 bits and the offset of the data from that base in the high 16.
 */
#define XSK_UNALIGNED_BUF_OFFSET_SHIFT	48
#define XSK_UNALIGNED_BUF_ADDR_MASK \
	((1ULL << XSK_UNALIGNED_BUF_OFFSET_SHIFT) - 1)

struct sockaddr_xdp {
	__u16 sxdp_family;		/* AF_XDP */
	__u16 sxdp_flags;		/* XDP_SHARED_UMEM, XDP_COPY, ... */
	__u32 sxdp_ifindex;
	__u32 sxdp_queue_id;
	__u32 sxdp_shared_umem_fd;	/* with XDP_SHARED_UMEM only */
};

/* xdp_ring_offset.flags word: the kernel needs a syscall to make progress. */
#define XDP_RING_NEED_WAKEUP	(1 << 0)

/* Where, in a mapped ring, its parts live (byte offsets). */
struct xdp_ring_offset {
	__u64 producer;
	__u64 consumer;
	__u64 desc;
	__u64 flags;
};

struct xdp_mmap_offsets {
	struct xdp_ring_offset rx;
	struct xdp_ring_offset tx;
	struct xdp_ring_offset fr;	/* fill */
	struct xdp_ring_offset cr;	/* completion */
};

/* An RX or TX ring entry. */
struct xdp_desc {
	__u64 addr;
	__u32 len;
	__u32 options;
};

/* xdp_desc.options */
#define XDP_PKT_CONTD		(1 << 0) /* the packet continues in the next entry */
#define XDP_TX_METADATA		(1 << 1) /* TX metadata precedes the data */

/* mmap() offsets of the four rings. */
#define XDP_PGOFF_RX_RING			  0
#define XDP_PGOFF_TX_RING		 0x80000000
#define XDP_UMEM_PGOFF_FILL_RING	0x100000000ULL
#define XDP_UMEM_PGOFF_COMPLETION_RING	0x180000000ULL

/* Socket options, level SOL_XDP. */
#define XDP_MMAP_OFFSETS		1
#define XDP_RX_RING			2
#define XDP_TX_RING			3
#define XDP_UMEM_REG			4
#define XDP_UMEM_FILL_RING		5
#define XDP_UMEM_COMPLETION_RING	6
#define XDP_STATISTICS			7
#define XDP_OPTIONS			8

/*
 * UMEM registration.  A 24-byte structure (before flags existed) is still
 * accepted and means flags == 0.
 */
struct xdp_umem_reg {
	__u64 addr;		/* page-aligned start */
	__u64 len;		/* bytes */
	__u32 chunk_size;
	__u32 headroom;
	__u32 flags;
	__u32 tx_metadata_len;	/* with XDP_UMEM_TX_METADATA_LEN */
};

/* A 24-byte read returns the first three counters only. */
struct xdp_statistics {
	__u64 rx_dropped;		/* dropped for another reason than invalid descs */
	__u64 rx_invalid_descs;		/* invalid descriptors on RX */
	__u64 tx_invalid_descs;		/* invalid descriptors on TX */
	__u64 rx_ring_full;		/* dropped because the RX ring was full */
	__u64 rx_fill_ring_empty_descs;	/* times the fill ring had no buffer */
	__u64 tx_ring_empty_descs;	/* times the TX ring had nothing to send */
};

struct xdp_options {
	__u32 flags;
};

/* xdp_options.flags */
#define XDP_OPTIONS_ZEROCOPY	(1 << 0)

/* xsk_tx_metadata.flags: what the application asks of a TX frame. */
#define XDP_TXMD_FLAGS_TIMESTAMP	(1 << 0)
#define XDP_TXMD_FLAGS_CHECKSUM		(1 << 1)

/*
 * TX metadata, placed tx_metadata_len bytes before the frame's data when
 * the descriptor carries XDP_TX_METADATA.
 */
struct xsk_tx_metadata {
	__u64 flags;

	union {
		struct {
			/* XDP_TXMD_FLAGS_CHECKSUM: checksum from csum_start to
			 * the end, stored at csum_start + csum_offset.
			 */
			__u16 csum_start;
			__u16 csum_offset;
		} request;

		struct {
			/* XDP_TXMD_FLAGS_TIMESTAMP: written at completion. */
			__u64 tx_timestamp;
		} completion;
	};
};

/* Fill and completion rings hold plain u64 addresses. */

#endif /* _LINUX_IF_XDP_H */
