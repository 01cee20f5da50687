// SPDX-License-Identifier: GPL-2.0
/* Allocation of the AF_XDP rings; the ring operations are in xsk_queue.h. */

#include <linux/log2.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "xsk_queue.h"

/**
 * xskq_ring_size - bytes of a mapped ring
 * @nentries: number of entries
 * @umem_ring: fill or completion ring (u64 entries) rather than RX or TX
 *
 * Return: the size of the header plus the entries.
 */
size_t xskq_ring_size(u32 nentries, bool umem_ring)
{
	if (umem_ring)
		return struct_size_t(struct xsk_addr_ring, desc, nentries);
	return struct_size_t(struct xsk_desc_ring, desc, nentries);
}

/**
 * xskq_create - allocate a ring that user space can map
 * @nentries: number of entries, a power of two
 * @umem_ring: fill or completion ring rather than RX or TX
 *
 * The ring memory is zeroed vmalloc memory, mapped later with
 * remap_vmalloc_range().
 *
 * Return: the queue, or NULL when out of memory.
 */
struct xsk_queue *xskq_create(u32 nentries, bool umem_ring)
{
	size_t size = xskq_ring_size(nentries, umem_ring);
	struct xsk_queue *q = kzalloc(sizeof(*q), GFP_KERNEL);
	void *ring = vmalloc_user(size);

	if (q && ring) {
		q->ring = ring;
		q->nentries = nentries;
		q->ring_mask = nentries - 1;
		q->ring_vmalloc_size = size;
		q->umem_ring = umem_ring;
		return q;
	}
	vfree(ring);
	kfree(q);
	return NULL;
}

/**
 * xskq_destroy - free a ring
 * @q: the ring, or NULL
 *
 * User mappings keep their pages: vmalloc_user() memory is freed only when
 * the last mapping goes.
 */
void xskq_destroy(struct xsk_queue *q)
{
	if (q)
		vfree(q->ring);
	kfree(q);
}
