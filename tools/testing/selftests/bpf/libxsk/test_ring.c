// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The inline ring helpers of xsk.h on rings in plain memory, where the
 * test plays the kernel's side.
 */
#include <pthread.h>
#include <sched.h>

#include "harness.h"
#include "test_util.h"

#define RING_MAX 64

/* The shared part of a ring, as the kernel would map it. */
struct fake_ring {
	__u32 producer;
	__u32 consumer;
	__u32 flags;
	struct xdp_desc descs[RING_MAX];
	__u64 addrs[RING_MAX];
};

/* Start both indices at @start, as after @start entries went through. */
static void cons_init(struct xsk_ring_cons *r, struct fake_ring *m, __u32 size, __u32 start,
		      bool descs)
{
	memset(m, 0, sizeof(*m));
	m->producer = m->consumer = start;
	r->producer = &m->producer;
	r->consumer = &m->consumer;
	r->flags = &m->flags;
	r->ring = descs ? (void *)m->descs : (void *)m->addrs;
	r->size = size;
	r->mask = size - 1;
	r->cached_prod = start;
	r->cached_cons = start;
}

/* A producer ring is the same, with its cached consumer one ring ahead. */
static void prod_init(struct xsk_ring_prod *r, struct fake_ring *m, __u32 size, __u32 start,
		      bool descs)
{
	struct xsk_ring_cons c;

	cons_init(&c, m, size, start, descs);
	memcpy(r, &c, sizeof(*r));
	r->cached_cons += size;
}

TEST(ring_layout_matches_classic_api)
{
	/* Applications read these fields: their order is API. */
	ASSERT_EQ(offsetof(struct xsk_ring_prod, cached_prod), 0);
	ASSERT_EQ(offsetof(struct xsk_ring_prod, cached_cons), 4);
	ASSERT_EQ(offsetof(struct xsk_ring_prod, mask), 8);
	ASSERT_EQ(offsetof(struct xsk_ring_prod, size), 12);
	ASSERT_EQ(offsetof(struct xsk_ring_prod, producer), 16);
	ASSERT_EQ(offsetof(struct xsk_ring_prod, consumer), 16 + sizeof(void *));
	ASSERT_EQ(offsetof(struct xsk_ring_prod, ring), 16 + 2 * sizeof(void *));
	ASSERT_EQ(offsetof(struct xsk_ring_prod, flags), 16 + 3 * sizeof(void *));
	ASSERT_EQ(sizeof(struct xsk_ring_prod), sizeof(struct xsk_ring_cons));
	ASSERT_EQ(sizeof(struct xsk_umem_config), 20);
	ASSERT_EQ(offsetof(struct xsk_socket_config, xdp_flags), 12);
	ASSERT_EQ(offsetof(struct xsk_socket_config, bind_flags), 16);
	ASSERT_EQ(XSK_UMEM__DEFAULT_FRAME_SIZE, 4096);
	ASSERT_EQ(XSK_RING_PROD__DEFAULT_NUM_DESCS, 2048);
	ASSERT_EQ(XSK_RING_CONS__DEFAULT_NUM_DESCS, 2048);
}

TEST(ring_reserve_is_all_or_nothing)
{
	struct xsk_ring_prod r;
	struct fake_ring m;
	__u32 idx = 12345;

	prod_init(&r, &m, 8, 0, false);
	ASSERT_EQ(xsk_prod_nb_free(&r, 8), 8);
	ASSERT_EQ(xsk_ring_prod__reserve(&r, 9, &idx), 0);
	ASSERT_EQ(idx, 12345);			/* untouched on failure */
	ASSERT_EQ(xsk_ring_prod__reserve(&r, 5, &idx), 5);
	ASSERT_EQ(idx, 0);
	ASSERT_EQ(xsk_ring_prod__reserve(&r, 4, &idx), 0);	/* 3 left */
	ASSERT_EQ(xsk_ring_prod__reserve(&r, 3, &idx), 3);
	ASSERT_EQ(idx, 5);
	ASSERT_EQ(m.producer, 0);		/* nothing published yet */
	xsk_ring_prod__submit(&r, 8);
	ASSERT_EQ(m.producer, 8);
	ASSERT_EQ(xsk_ring_prod__reserve(&r, 1, &idx), 0);	/* full */

	m.consumer = 3;				/* the kernel took three */
	ASSERT_EQ(xsk_ring_prod__reserve(&r, 4, &idx), 0);
	ASSERT_EQ(xsk_ring_prod__reserve(&r, 3, &idx), 3);
	ASSERT_EQ(idx, 8);
	ASSERT_EQ(idx & r.mask, 0);		/* wrapped into slot 0 */
}

TEST(ring_free_count_reads_consumer_only_when_short)
{
	struct xsk_ring_prod r;
	struct fake_ring m;
	__u32 idx;

	prod_init(&r, &m, 16, 0, false);
	ASSERT_EQ(xsk_ring_prod__reserve(&r, 16, &idx), 16);
	xsk_ring_prod__submit(&r, 16);
	m.consumer = 10;
	/* Asking for nothing is satisfied from the cache: still full there. */
	ASSERT_EQ(xsk_prod_nb_free(&r, 0), 0);
	ASSERT_EQ(r.cached_cons, 16);
	/* Asking for one refreshes it. */
	ASSERT_EQ(xsk_prod_nb_free(&r, 1), 10);
	ASSERT_EQ(r.cached_cons, 26);
	m.consumer = 16;
	/* Enough cached free slots: the shared index is not read again. */
	ASSERT_EQ(xsk_prod_nb_free(&r, 4), 10);
	ASSERT_EQ(xsk_prod_nb_free(&r, 11), 16);
}

TEST(ring_peek_takes_up_to_nb)
{
	struct xsk_ring_cons r;
	struct fake_ring m;
	__u32 idx = 999, i;

	cons_init(&r, &m, 8, 0, true);
	ASSERT_EQ(xsk_ring_cons__peek(&r, 4, &idx), 0);
	ASSERT_EQ(idx, 999);			/* untouched when empty */
	for (i = 0; i < 5; i++)
		m.descs[i] = (struct xdp_desc){ .addr = 100 + i, .len = 60 + i };
	m.producer = 5;
	ASSERT_EQ(xsk_cons_nb_avail(&r, 64), 5);
	ASSERT_EQ(xsk_ring_cons__peek(&r, 3, &idx), 3);
	ASSERT_EQ(idx, 0);
	ASSERT_EQ(xsk_ring_cons__rx_desc(&r, idx + 2)->addr, 102);
	ASSERT_EQ(xsk_ring_cons__peek(&r, 64, &idx), 2);	/* what is left */
	ASSERT_EQ(idx, 3);
	ASSERT_EQ(xsk_ring_cons__rx_desc(&r, idx + 1)->len, 64);
	ASSERT_EQ(xsk_ring_cons__peek(&r, 64, &idx), 0);
	ASSERT_EQ(m.consumer, 0);		/* nothing released yet */
	xsk_ring_cons__release(&r, 5);
	ASSERT_EQ(m.consumer, 5);
}

TEST(ring_cancel_returns_entries)
{
	struct xsk_ring_cons r;
	struct fake_ring m;
	__u32 idx, idx2;

	cons_init(&r, &m, 8, 0, false);
	m.addrs[0] = 7;
	m.addrs[1] = 8;
	m.addrs[2] = 9;
	m.producer = 3;
	ASSERT_EQ(xsk_ring_cons__peek(&r, 3, &idx), 3);
	xsk_ring_cons__cancel(&r, 2);		/* only the first is processed */
	ASSERT_EQ(xsk_ring_cons__peek(&r, 3, &idx2), 2);
	ASSERT_EQ(idx2, idx + 1);
	ASSERT_EQ(*xsk_ring_cons__comp_addr(&r, idx2), 8);
	ASSERT_EQ(*xsk_ring_cons__comp_addr(&r, idx2 + 1), 9);
	xsk_ring_cons__release(&r, 3);
	ASSERT_EQ(m.consumer, 3);
}

TEST(ring_indices_wrap_across_2_pow_32)
{
	struct xsk_ring_prod p;
	struct xsk_ring_cons c;
	struct fake_ring m;
	__u32 idx, i, round, next = 0, expect = 0;

	/*
	 * One shared ring, our producer against our consumer, starting five
	 * entries below 2^32: the indices wrap within the first rounds.
	 */
	prod_init(&p, &m, 8, 0xfffffffbu, false);
	c = (struct xsk_ring_cons){ .cached_prod = 0xfffffffbu, .cached_cons = 0xfffffffbu,
		.mask = 7, .size = 8, .producer = &m.producer, .consumer = &m.consumer,
		.ring = m.addrs, .flags = &m.flags };

	for (round = 0; round < 20; round++) {
		__u32 n = 1 + round % 8;

		ASSERT_EQ(xsk_ring_prod__reserve(&p, n, &idx), n);
		for (i = 0; i < n; i++)
			*xsk_ring_prod__fill_addr(&p, idx + i) = next++;
		xsk_ring_prod__submit(&p, n);
		ASSERT_EQ(xsk_ring_prod__reserve(&p, 9 - n, &idx), 0);	/* one too many */

		ASSERT_EQ(xsk_ring_cons__peek(&c, 8, &idx), n);
		for (i = 0; i < n; i++)
			ASSERT_EQ(*xsk_ring_cons__comp_addr(&c, idx + i), expect++);
		xsk_ring_cons__release(&c, n);
		ASSERT_EQ(xsk_prod_nb_free(&p, 8), 8);
	}
	ASSERT_LT(m.producer, 0xfffffffbu);	/* it did wrap */
	ASSERT_EQ(m.producer, m.consumer);
}

TEST(ring_zero_sized_requests)
{
	struct xsk_ring_prod p;
	struct xsk_ring_cons c;
	struct fake_ring mp, mc;
	__u32 idx = 5;

	prod_init(&p, &mp, 4, 0, false);
	cons_init(&c, &mc, 4, 0, false);
	ASSERT_EQ(xsk_ring_prod__reserve(&p, 0, &idx), 0);
	ASSERT_EQ(p.cached_prod, 0);
	xsk_ring_prod__submit(&p, 0);
	ASSERT_EQ(mp.producer, 0);
	mc.producer = 2;
	ASSERT_EQ(xsk_ring_cons__peek(&c, 0, &idx), 0);
	ASSERT_EQ(c.cached_cons, 0);
}

TEST(ring_exact_batch_boundaries)
{
	struct xsk_ring_prod p;
	struct fake_ring m;
	__u32 idx, total = 0;

	/* 64 slots, batches of 16: four fit exactly, the fifth must wait. */
	prod_init(&p, &m, 64, 0, true);
	while (xsk_ring_prod__reserve(&p, 16, &idx) == 16) {
		ASSERT_EQ(idx, total);
		xsk_ring_prod__tx_desc(&p, idx)->len = total;
		total += 16;
	}
	ASSERT_EQ(total, 64);
	xsk_ring_prod__submit(&p, 64);
	ASSERT_EQ(m.descs[48].len, 48);
	m.consumer = 15;			/* one short of a batch */
	ASSERT_EQ(xsk_ring_prod__reserve(&p, 16, &idx), 0);
	m.consumer = 16;
	ASSERT_EQ(xsk_ring_prod__reserve(&p, 16, &idx), 16);
	ASSERT_EQ(idx & p.mask, 0);
}

TEST(ring_needs_wakeup_reads_flag)
{
	struct xsk_ring_prod p;
	struct fake_ring m;

	prod_init(&p, &m, 4, 0, false);
	ASSERT_FALSE(xsk_ring_prod__needs_wakeup(&p));
	m.flags = XDP_RING_NEED_WAKEUP;
	ASSERT_TRUE(xsk_ring_prod__needs_wakeup(&p));
	m.flags = 0x2;				/* other bits are not the wakeup flag */
	ASSERT_FALSE(xsk_ring_prod__needs_wakeup(&p));
}

TEST(ring_unaligned_address_helpers)
{
	__u64 base = 0x123456789aULL, off = 0x1f0;
	__u64 addr = base | (off << XSK_UNALIGNED_BUF_OFFSET_SHIFT);

	ASSERT_EQ(XSK_UNALIGNED_BUF_OFFSET_SHIFT, 48);
	ASSERT_EQ(xsk_umem__extract_addr(addr), base);
	ASSERT_EQ(xsk_umem__extract_offset(addr), off);
	ASSERT_EQ(xsk_umem__add_offset_to_addr(addr), base + off);
	/* An aligned-mode address has no offset bits. */
	ASSERT_EQ(xsk_umem__extract_offset(base), 0);
	ASSERT_EQ(xsk_umem__add_offset_to_addr(base), base);
	/* The largest offset and address. */
	addr = XSK_UNALIGNED_BUF_ADDR_MASK | (0xffffULL << 48);
	ASSERT_EQ(xsk_umem__extract_addr(addr), XSK_UNALIGNED_BUF_ADDR_MASK);
	ASSERT_EQ(xsk_umem__extract_offset(addr), 0xffff);
	{
		char area[64];

		ASSERT_TRUE(xsk_umem__get_data(area, 17) == area + 17);
	}
}

/*
 * Two threads through one ring with nothing but the helpers: the
 * consumer must see every value in order, which needs the acquire/release
 * pairing on the shared indices (a torn or early read shows as a wrong
 * value).
 */
struct spsc {
	struct fake_ring m;
	__u32 count;
};

static void *spsc_producer(void *arg)
{
	struct spsc *s = arg;
	struct xsk_ring_prod p = { .cached_prod = 0, .cached_cons = 64, .mask = 63, .size = 64,
		.producer = &s->m.producer, .consumer = &s->m.consumer,
		.ring = s->m.addrs, .flags = &s->m.flags };
	__u32 sent = 0, idx, i, n;

	while (sent < s->count) {
		n = s->count - sent < 16 ? s->count - sent : 16;
		if (xsk_ring_prod__reserve(&p, n, &idx) != n) {
			sched_yield();
			continue;
		}
		for (i = 0; i < n; i++)
			*xsk_ring_prod__fill_addr(&p, idx + i) = (__u64)(sent + i) * 2654435761u;
		xsk_ring_prod__submit(&p, n);
		sent += n;
	}
	return NULL;
}

TEST(ring_two_threads_see_every_entry_in_order)
{
	static struct spsc s;
	struct xsk_ring_cons c = { .mask = 63, .size = 64, .producer = &s.m.producer,
		.consumer = &s.m.consumer, .ring = s.m.addrs, .flags = &s.m.flags };
	const char *preload = getenv("LD_PRELOAD");
	__u32 got = 0, idx, i, n;
	pthread_t t;

	memset(&s, 0, sizeof(s));
	/* Far fewer under valgrind, which runs one thread at a time. */
	s.count = preload && strstr(preload, "vgpreload") ? 20000 : 2000000;
	ASSERT_EQ(pthread_create(&t, NULL, spsc_producer, &s), 0);
	while (got < s.count) {
		n = xsk_ring_cons__peek(&c, 32, &idx);
		for (i = 0; i < n; i++)
			if (*xsk_ring_cons__comp_addr(&c, idx + i) != (__u64)(got + i) * 2654435761u)
				FAIL("entry %u read wrong", got + i);
		if (n)
			xsk_ring_cons__release(&c, n);
		else
			sched_yield();
		got += n;
	}
	pthread_join(t, NULL);
	ASSERT_EQ(s.m.producer, s.count);
	ASSERT_EQ(s.m.consumer, s.count);
}
