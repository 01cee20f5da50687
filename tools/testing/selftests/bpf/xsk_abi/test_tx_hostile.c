// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Copy-mode TX against hostile descriptors: lengths that do not fit a
 * chunk, packets whose lengths sum past 4 GiB, packets longer than the TX
 * ring or than the device takes, and TX metadata rewritten while the
 * kernel reads it.  Each descriptor the kernel consumes must be completed
 * with the address it was given, nothing unsendable may reach the wire,
 * and the queue must keep working afterwards.
 */
#include <poll.h>
#include <pthread.h>
#include <sys/mman.h>
#include <unistd.h>

#include "abi_util.h"

#define MiB (1024ull * 1024)

/* A TX-only copy-mode socket on a UMEM of its own. */
static void tx_socket(struct xsk *x, size_t area, __u32 chunk, __u32 umem_flags,
		      __u32 tx_entries, __u16 bind_flags)
{
	xsk_open_umem(x, (struct abi_umem_reg){ .chunk_size = chunk, .flags = umem_flags },
		      area, false, tx_entries, XDP_COPY | bind_flags);
}

/*
 * Receive test frames at the peer until @want arrived or @ms passed (then
 * 20 ms more); stores up to @max of their lengths in @lens.
 */
static unsigned int peer_frames(int fd, unsigned int *lens, unsigned int max,
				unsigned int want, int ms)
{
	static unsigned char buf[16384];
	uint64_t end = now_ms() + ms;
	unsigned int got = 0;

	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);

		if (n < 0) {
			if (got >= want || now_ms() > end)
				break;
			usleep(1000);
			continue;
		}
		if (frame_seq(buf, n) < 0)
			FAIL("the peer received a damaged or foreign frame of %zd bytes", n);
		if (got < max)
			lens[got] = n;
		got++;
		if (got >= want)
			end = now_ms() + 20;
	}
	return got;
}

/* The @n completions waiting name the first @n TX descriptors, in order; consume them. */
static void expect_completions_in_ring_order(struct xsk *x, __u32 n)
{
	__u32 cq0 = ring_load(x->cq.consumer), i;

	ASSERT_EQ(ring_load(x->cq.producer) - cq0, n);
	for (i = 0; i < n; i++) {
		__u64 a = *ring_addr(&x->cq, cq0 + i);
		__u64 d = ring_desc(&x->tx, ring_load(x->tx.consumer) - n + i)->addr;

		if (a != d)
			FAIL("completion %u is %#llx, its descriptor had %#llx", i,
			     (unsigned long long)a, (unsigned long long)d);
	}
	ring_store(x->cq.consumer, cq0 + n);
}

/* A test frame of @len bytes at UMEM offset @off, split into descriptors of at most @step. */
static unsigned int tx_split_frame(struct xsk *x, __u64 off, __u32 len, __u32 step, __u32 seq)
{
	unsigned int n = 0;
	__u32 done;

	frame_make((char *)x->area + off, len, seq, env.mac_b, env.mac_a);
	for (done = 0; done < len; done += step, n++) {
		__u32 part = len - done < step ? len - done : step;

		tx_put(x, off + done, part, done + part < len ? ABI_XDP_PKT_CONTD : 0);
	}
	return n;
}

/*
 * In unaligned mode a frame still has to fit in one chunk: a descriptor
 * longer than the chunk size is invalid even where the UMEM holds it.
 * (Before that rule, one such descriptor became a linear skb as long as
 * the descriptor said.)
 */
TEST(tx_unaligned_frame_longer_than_a_chunk_is_invalid, .veth = true, .mtu = 9000)
{
	unsigned int lens[8];
	struct abi_stats st;
	struct xsk x;
	int peer = peer_socket();

	tx_socket(&x, 2 * MiB, 2048, ABI_UMEM_UNALIGNED, 64, 0);
	/* A whole chunk's worth at an odd address: valid. */
	frame_make((char *)x.area + 100, 2048, 1, env.mac_b, env.mac_a);
	tx_put(&x, 100, 2048, 0);
	/* One byte more than a chunk. */
	frame_make((char *)x.area + 4096, 2049, 2, env.mac_b, env.mac_a);
	tx_put(&x, 4096, 2049, 0);
	/* Four chunks: the device (MTU 9000) would take it. */
	frame_make((char *)x.area + 8192, 8192, 3, env.mac_b, env.mac_a);
	tx_put(&x, 8192, 8192, 0);
	/* The whole UMEM. */
	tx_put(&x, 0, x.area_size, 0);
	/* Base and offset in the address (offset 7 from 64 KiB): valid. */
	frame_make((char *)x.area + 65536 + 7, FRAME_LEN, 5, env.mac_b, env.mac_a);
	tx_put(&x, 65536 | (7ull << 48), FRAME_LEN, 0);

	ASSERT_EQ(tx_settle(&x), 5);
	expect_completions_in_ring_order(&x, 5);
	st = stats_of(x.fd);
	ASSERT_EQ(st.tx_invalid_descs, 3);
	ASSERT_EQ(peer_frames(peer, lens, 8, 2, 2000), 2);
	ASSERT_EQ(lens[0], 2048);
	ASSERT_EQ(lens[1], FRAME_LEN);
	close(peer);
	xsk_close(&x);
}

/*
 * Sixteen descriptors of 256 MiB each sum to exactly 4 GiB: in a u32 that
 * is 0, so with a 64-byte last one the packet would "be" 64 bytes long and
 * its skb sized for that, then filled with 4 GiB.  Every descriptor is
 * refused (each longer than a chunk), counted and completed; nothing goes
 * out, and the socket sends again afterwards.
 */
TEST(tx_multibuffer_lengths_summing_past_4gib_are_refused, .veth = true, .mtu = 9000,
     .timeout = 120)
{
	const __u32 big = 256 * MiB;
	unsigned int lens[4], i;
	struct xsk x;
	int peer = peer_socket();

	tx_socket(&x, big, 4096, ABI_UMEM_UNALIGNED, 64, ABI_XDP_USE_SG);
	frame_make(x.area, FRAME_LEN, 1, env.mac_b, env.mac_a);
	for (i = 0; i < 16; i++)
		tx_put(&x, 0, big, ABI_XDP_PKT_CONTD);
	tx_put(&x, 0, FRAME_LEN, 0);
	ASSERT_EQ(tx_settle(&x), 17);
	expect_completions_in_ring_order(&x, 17);
	ASSERT_EQ(stats_of(x.fd).tx_invalid_descs, 17);
	ASSERT_EQ(peer_frames(peer, lens, 4, 0, 200), 0);

	/* A sane two-descriptor packet still goes out whole. */
	ASSERT_EQ(tx_split_frame(&x, 8192, 3000, 1500, 2), 2);
	ASSERT_EQ(tx_settle(&x), 2);
	expect_completions_in_ring_order(&x, 2);
	ASSERT_EQ(stats_of(x.fd).tx_invalid_descs, 17);
	ASSERT_EQ(peer_frames(peer, lens, 4, 1, 2000), 1);
	ASSERT_EQ(lens[0], 3000);
	close(peer);
	xsk_close(&x);
}

/*
 * A packet of more descriptors than the TX ring has entries can never be
 * on the ring whole.  The ring must not stall on it: every descriptor is
 * consumed and completed.  Mainline builds such a packet descriptor by
 * descriptor and may send it; ours needs a packet whole on the ring and
 * counts it invalid.  Either way the next packet goes out.
 */
TEST(tx_packet_longer_than_the_ring_does_not_stall_it, .veth = true)
{
	unsigned int lens[4], got, i;
	__u64 invalid;
	struct xsk x;
	int peer = peer_socket();

	tx_socket(&x, 64 * 4096, 4096, 0, 4, ABI_XDP_USE_SG);
	/* 5 descriptors of 16 bytes (one 80-byte frame), 4 on the ring at first. */
	frame_make(x.area, 80, 1, env.mac_b, env.mac_a);
	for (i = 0; i < 4; i++) {
		memcpy((char *)x.area + (i + 1) * 4096, (char *)x.area + i * 16, 16);
		tx_put(&x, (i + 1) * 4096, 16, ABI_XDP_PKT_CONTD);
	}
	/* Consumed; completed at once (ours) or once the packet is built (mainline). */
	got = tx_settle(&x);
	ASSERT_EQ(ring_load(x.tx.consumer), 4);
	if (abi_kernel_is_ours() || got)
		ASSERT_EQ(got, 4);
	memcpy((char *)x.area + 5 * 4096, (char *)x.area + 64, 16);
	tx_put(&x, 5 * 4096, 16, 0);
	/* All five complete, in order (the 4-entry ring itself has wrapped). */
	ASSERT_EQ(tx_settle(&x), 5);
	for (i = 0; i < 5; i++)
		ASSERT_EQ(*ring_addr(&x.cq, i), (i + 1) * 4096);
	ring_store(x.cq.consumer, 5);

	frame_make((char *)x.area + 6 * 4096, FRAME_LEN, 2, env.mac_b, env.mac_a);
	tx_put(&x, 6 * 4096, FRAME_LEN, 0);
	ASSERT_EQ(tx_settle(&x), 1);
	expect_completions_in_ring_order(&x, 1);

	invalid = stats_of(x.fd).tx_invalid_descs;
	got = peer_frames(peer, lens, 4, 2, 1000);
	if (abi_kernel_is_ours() || invalid) {
		ASSERT_EQ(invalid, 5);
		ASSERT_EQ(got, 1);
		ASSERT_EQ(lens[0], FRAME_LEN);
	} else {
		ASSERT_EQ(got, 2);
		ASSERT_EQ(lens[0], 80);
		ASSERT_EQ(lens[1], FRAME_LEN);
	}
	close(peer);
	xsk_close(&x);
}

/*
 * A packet longer than the device's MTU plus its header cannot be sent.
 * Ours refuses it as invalid before building anything; mainline builds it
 * and the device drops it.  It is completed either way and never arrives;
 * a packet of exactly the largest size does.
 */
TEST(tx_packet_longer_than_the_device_takes_never_arrives, .veth = true)
{
	unsigned int lens[4], n;
	__u64 invalid;
	struct xsk x;
	int peer = peer_socket();

	tx_socket(&x, 64 * 4096, 4096, 0, 64, ABI_XDP_USE_SG);
	n = tx_split_frame(&x, 0, 2000, 1000, 1);
	ASSERT_EQ(tx_settle(&x), n);
	expect_completions_in_ring_order(&x, n);
	invalid = stats_of(x.fd).tx_invalid_descs;
	if (abi_kernel_is_ours() || invalid)
		ASSERT_EQ(invalid, n);
	ASSERT_EQ(peer_frames(peer, lens, 4, 0, 200), 0);

	/* 1500 bytes of MTU and a 14-byte Ethernet header. */
	n = tx_split_frame(&x, 8 * 4096, 1514, 1000, 2);
	ASSERT_EQ(tx_settle(&x), n);
	expect_completions_in_ring_order(&x, n);
	ASSERT_EQ(stats_of(x.fd).tx_invalid_descs, invalid);
	ASSERT_EQ(peer_frames(peer, lens, 4, 1, 2000), 1);
	ASSERT_EQ(lens[0], 1514);
	close(peer);
	xsk_close(&x);
}

/* ---- TX metadata rewritten under the kernel ---- */

#define MD_LEN		16
#define MD_FLAG_CSUM	(1u << 1)
#define MD_FRAMES	32

struct md_flipper {
	volatile __u16 *csum_start;	/* of every frame's metadata */
	unsigned int n;
	volatile bool stop;
};

/* Flip every frame's csum_start between one that fits and one that does not. */
static void *md_flip(void *arg)
{
	struct md_flipper *f = arg;
	__u16 v = 0;

	while (!f->stop) {
		v = v ? 0 : FRAME_LEN - 1;
		for (unsigned int i = 0; i < f->n; i++)
			f->csum_start[i * 4096 / sizeof(__u16)] = v;
	}
	return NULL;
}

/*
 * Each frame asks for a software checksum (XDP_UMEM_TX_SW_CSUM) at an
 * offset another thread keeps moving between one inside the frame and one
 * whose checksum would end past it.  The kernel must read the request
 * once: every frame is then either refused (EINVAL, left on the ring) or
 * sent with its checksum inside the frame.  A kernel reading it twice can
 * validate one value and apply the other; the kernel's log then shows
 * skb_checksum_help()'s warning, which fails the guest run.  Mainline 6.12
 * has that race, so the flipping runs on our kernel only (it would warn a
 * host kernel); elsewhere the test checks both values one at a time.
 */
TEST(tx_metadata_is_read_once, .veth = true, .timeout = 120)
{
	struct md_flipper f = { .n = MD_FRAMES };
	unsigned int i, sent = 0, rounds;
	pthread_t thr;
	struct xsk x;
	int peer = peer_socket();

	xsk_open_umem(&x, (struct abi_umem_reg){ .chunk_size = 4096,
						 .flags = ABI_UMEM_TX_METADATA_LEN |
							  ABI_UMEM_TX_SW_CSUM,
						 .tx_metadata_len = MD_LEN },
		      2 * MD_FRAMES * 4096, false, 64, XDP_COPY);

	/* Metadata at chunk start: flags (u64), csum_start, csum_offset; frame after it. */
	for (i = 0; i < MD_FRAMES; i++) {
		char *chunk = (char *)x.area + i * 4096;

		memset(chunk, 0, MD_LEN);
		*(__u64 *)chunk = MD_FLAG_CSUM;
		*(__u16 *)(chunk + 10) = 0;	/* csum_offset */
		frame_make(chunk + MD_LEN, FRAME_LEN, i, env.mac_b, env.mac_a);
	}
	f.csum_start = (volatile __u16 *)((char *)x.area + 8);

	/* One at a time: the value that fits is sent, the one that does not refused. */
	f.csum_start[0] = FRAME_LEN - 1;
	tx_put(&x, MD_LEN, FRAME_LEN, ABI_XDP_TX_METADATA);
	ring_store(x.tx.producer, x.tx.cached);
	ASSERT_EQ(xsk_kick(x.fd), -EINVAL);
	ASSERT_EQ(ring_load(x.tx.consumer), 0);
	f.csum_start[0] = FRAME_LEN - 2;
	ASSERT_EQ(tx_settle(&x), 1);
	ring_store(x.cq.consumer, ring_load(x.cq.producer));
	/* (The checksum overwrote the frame's last two bytes: not a test frame any more.) */
	ASSERT_EQ(stats_of(x.fd).tx_invalid_descs, 0);
	if (!abi_kernel_is_ours()) {
		close(peer);
		xsk_close(&x);
		return;
	}

	/* Racing: kick frames while their requests flip. */
	ASSERT_EQ(pthread_create(&thr, NULL, md_flip, &f), 0);
	for (rounds = 0; rounds < 50; rounds++) {
		__u32 prod = x.tx.cached;

		for (i = 0; i < MD_FRAMES; i++)
			tx_put(&x, i * 4096 + MD_LEN, FRAME_LEN, ABI_XDP_TX_METADATA);
		ring_store(x.tx.producer, x.tx.cached);
		/* Kick until the kernel took them all; refused ones are retried. */
		for (i = 0; ring_load(x.tx.consumer) != x.tx.cached && i < 100000; i++) {
			int err = xsk_kick(x.fd);

			if (err && err != -EAGAIN && err != -EINVAL && err != -EBUSY &&
			    err != -ENOBUFS)
				FAIL("kicking TX: %s", strerror(-err));
			ring_store(x.cq.consumer, ring_load(x.cq.producer));
		}
		ASSERT_EQ(ring_load(x.tx.consumer), x.tx.cached);
		sent += x.tx.cached - prod;
	}
	f.stop = true;
	pthread_join(thr, NULL);
	ASSERT_EQ(stats_of(x.fd).tx_invalid_descs, 0);
	ASSERT_EQ(sent, 50 * MD_FRAMES);
	close(peer);
	xsk_close(&x);
}
