// SPDX-License-Identifier: GPL-2.0
/*
 * UMEM: the user memory an AF_XDP socket registers with XDP_UMEM_REG.
 *
 * Registration validates the geometry, charges the pages to the user's
 * RLIMIT_MEMLOCK (unless CAP_IPC_LOCK), pins them long-term and maps them
 * contiguously into the kernel, so copy mode can address a frame as
 * umem->addrs + offset.  A UMEM is shared by reference between the
 * sockets and buffer pools using it; the last put undoes all of this.
 */

#include <linux/capability.h>
#include <linux/idr.h>
#include <linux/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <net/xdp.h>
#include <net/xdp_sock_drv.h>

#include "xdp_umem.h"

#define XDP_UMEM_KNOWN_FLAGS (XDP_UMEM_UNALIGNED_CHUNK_FLAG | \
			      XDP_UMEM_TX_SW_CSUM | XDP_UMEM_TX_METADATA_LEN)

/* TX metadata: a multiple of 8 bytes, at least struct xsk_tx_metadata, < 256. */
#define XDP_TX_METADATA_MIN	16
#define XDP_TX_METADATA_LIMIT	256

static DEFINE_IDA(umem_ida);

/* Bytes a chunk must keep free besides the headroom: XDP headroom, tail, a frame. */
static u32 umem_reserved_room(void)
{
	return XDP_PACKET_HEADROOM +
	       SKB_DATA_ALIGN(sizeof(struct skb_shared_info)) + 128;
}

static int umem_check_geometry(const struct xdp_umem_reg *mr, u64 *chunks)
{
	bool unaligned = mr->flags & XDP_UMEM_UNALIGNED_CHUNK_FLAG;
	u32 rem;

	if (mr->chunk_size < XDP_UMEM_MIN_CHUNK_SIZE || mr->chunk_size > PAGE_SIZE)
		return -EINVAL;
	if (!unaligned && !is_power_of_2(mr->chunk_size))
		return -EINVAL;
	if (mr->flags & ~XDP_UMEM_KNOWN_FLAGS)
		return -EINVAL;
	if (!PAGE_ALIGNED(mr->addr) || mr->addr + mr->len < mr->addr)
		return -EINVAL;
	if (DIV_ROUND_UP_ULL(mr->len, PAGE_SIZE) > U32_MAX)
		return -EINVAL;

	*chunks = div_u64_rem(mr->len, mr->chunk_size, &rem);
	if (!*chunks || *chunks > U32_MAX)
		return -EINVAL;
	if (!unaligned && rem)
		return -EINVAL;

	if (mr->headroom > mr->chunk_size - umem_reserved_room())
		return -EINVAL;

	if (mr->flags & XDP_UMEM_TX_METADATA_LEN) {
		if (mr->tx_metadata_len < XDP_TX_METADATA_MIN ||
		    mr->tx_metadata_len >= XDP_TX_METADATA_LIMIT ||
		    mr->tx_metadata_len % 8)
			return -EINVAL;
	}
	return 0;
}

/* Charge the pages to the user's locked memory, unless CAP_IPC_LOCK. */
static int umem_account(struct xdp_umem *umem)
{
	unsigned long limit, old, new;

	if (capable(CAP_IPC_LOCK))
		return 0;

	limit = rlimit(RLIMIT_MEMLOCK) >> PAGE_SHIFT;
	umem->user = get_uid(current_user());
	old = atomic_long_read(&umem->user->locked_vm);
	do {
		new = old + umem->npgs;
		if (new > limit) {
			free_uid(umem->user);
			umem->user = NULL;
			return -ENOBUFS;
		}
	} while (!atomic_long_try_cmpxchg(&umem->user->locked_vm, &old, new));
	return 0;
}

static void umem_unaccount(struct xdp_umem *umem)
{
	if (!umem->user)
		return;
	atomic_long_sub(umem->npgs, &umem->user->locked_vm);
	free_uid(umem->user);
	umem->user = NULL;
}

static void umem_unpin(struct xdp_umem *umem, u32 npgs)
{
	unpin_user_pages_dirty_lock(umem->pgs, npgs, true);
	kvfree(umem->pgs);
	umem->pgs = NULL;
}

/* Pin every page; a partial pin is undone and reported as -ENOMEM. */
static int umem_pin(struct xdp_umem *umem, unsigned long start)
{
	long pinned;

	umem->pgs = kvcalloc(umem->npgs, sizeof(*umem->pgs),
			     GFP_KERNEL | __GFP_NOWARN);
	if (!umem->pgs)
		return -ENOMEM;

	mmap_read_lock(current->mm);
	pinned = pin_user_pages(start, umem->npgs,
				FOLL_WRITE | FOLL_LONGTERM, umem->pgs);
	mmap_read_unlock(current->mm);

	if (pinned == umem->npgs)
		return 0;
	if (pinned > 0)
		umem_unpin(umem, pinned);
	else
		kvfree(umem->pgs);
	umem->pgs = NULL;
	return pinned < 0 ? pinned : -ENOMEM;
}

static int umem_map(struct xdp_umem *umem)
{
	umem->addrs = vmap(umem->pgs, umem->npgs, VM_MAP, PAGE_KERNEL);
	return umem->addrs ? 0 : -ENOMEM;
}

static void umem_release(struct xdp_umem *umem)
{
	vunmap(umem->addrs);
	umem_unpin(umem, umem->npgs);
	umem_unaccount(umem);
	ida_free(&umem_ida, umem->id);
	kfree(umem);
}

static void umem_release_work(struct work_struct *work)
{
	umem_release(container_of(work, struct xdp_umem, work));
}

/**
 * xdp_umem_create - register user memory
 * @mr: the registration, flags already zero for a v1 (24-byte) request
 *
 * Context: process context of the registering task (pins its memory).
 * Return: the UMEM with one reference, or an ERR_PTR: -EINVAL for a bad
 * geometry, -ENOBUFS beyond RLIMIT_MEMLOCK, -EFAULT or -ENOMEM when the
 * memory cannot be pinned.
 */
struct xdp_umem *xdp_umem_create(struct xdp_umem_reg *mr)
{
	struct xdp_umem *umem;
	u64 chunks;
	int err;

	err = umem_check_geometry(mr, &chunks);
	if (err)
		return ERR_PTR(err);

	umem = kzalloc(sizeof(*umem), GFP_KERNEL);
	if (!umem)
		return ERR_PTR(-ENOMEM);

	umem->id = ida_alloc(&umem_ida, GFP_KERNEL);
	if (umem->id < 0) {
		err = umem->id;
		goto out_free;
	}
	umem->size = mr->len;
	umem->chunk_size = mr->chunk_size;
	umem->chunks = chunks;
	umem->headroom = mr->headroom;
	umem->flags = mr->flags;
	if (mr->flags & XDP_UMEM_TX_METADATA_LEN)
		umem->tx_metadata_len = mr->tx_metadata_len;
	umem->npgs = DIV_ROUND_UP_ULL(mr->len, PAGE_SIZE);
	refcount_set(&umem->users, 1);

	err = umem_account(umem);
	if (err)
		goto out_ida;
	err = umem_pin(umem, (unsigned long)mr->addr);
	if (err)
		goto out_unaccount;
	err = umem_map(umem);
	if (err)
		goto out_unpin;
	return umem;

out_unpin:
	umem_unpin(umem, umem->npgs);
out_unaccount:
	umem_unaccount(umem);
out_ida:
	ida_free(&umem_ida, umem->id);
out_free:
	kfree(umem);
	return ERR_PTR(err);
}

/**
 * xdp_get_umem - take a reference on a UMEM
 * @umem: the UMEM
 */
void xdp_get_umem(struct xdp_umem *umem)
{
	refcount_inc(&umem->users);
}

/**
 * xdp_put_umem - drop a reference on a UMEM
 * @umem: the UMEM, or NULL
 * @defer_cleanup: the caller may not sleep; release from a work item
 *
 * The last reference unmaps, unpins and unaccounts the memory.
 */
void xdp_put_umem(struct xdp_umem *umem, bool defer_cleanup)
{
	if (!umem || !refcount_dec_and_test(&umem->users))
		return;
	if (defer_cleanup) {
		INIT_WORK(&umem->work, umem_release_work);
		schedule_work(&umem->work);
		return;
	}
	umem_release(umem);
}
