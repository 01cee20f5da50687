// SPDX-License-Identifier: GPL-2.0
/*
 * BPF_MAP_TYPE_XSKMAP: an array of AF_XDP sockets.  An XDP program picks a
 * slot with bpf_redirect_map() and the frame is queued to that socket's RX
 * ring; bpf_map_lookup_elem() on the map tells the program whether a slot
 * is occupied.  Only the bpf() syscall changes slots, and user space can
 * never read them back.
 *
 * Lifetimes.  A slot does not pin its socket.  Each occupied slot is instead
 * mirrored by a struct xskmap_link on the socket's map_list, and the release
 * of a socket walks that list, emptying every slot that still names it
 * (xsk_map_remove_socket()) before the socket is unbound.  Sockets are
 * SOCK_RCU_FREE, so a program that loaded the pointer just before its slot
 * was emptied keeps using valid memory until the end of its RCU section.
 * In the other direction every link holds a reference on its map: the map
 * cannot be freed while a socket can still reach it through its map_list,
 * whatever happens to the map's file descriptors and programs.  A map is
 * therefore only freed once all its slots are empty.
 *
 * Locking.  xsk_map->lock serializes every writer of the slots and of the
 * count of occupied slots.  xdp_sock->map_list_lock protects one socket's
 * map_list.  The order is map lock first, map_list_lock second; no path
 * holds two map_list_locks, or takes a map lock inside a map_list_lock.
 * Neither lock is taken from the data path or from interrupts; the map lock
 * is BH-safe only as a precaution.
 *
 * Invariant, stable whenever the map lock of @m is held:
 *	m->xsk_map[i] == xs  <=>  xs->map_list holds a link (m, i).
 * So a socket named by a slot has not finished its release yet, which is
 * what makes it safe to touch that socket while holding the map lock.
 */

#include <linux/btf_ids.h>
#include <linux/filter.h>
#include <linux/net.h>
#include <linux/nospec.h>
#include <net/xdp_sock.h>

/*
 * struct xskmap_link - one slot of one map that names a socket
 * @node: on the socket's map_list, under its map_list_lock
 * @owner: the map; the link holds a reference on it
 * @index: the slot
 */
struct xskmap_link {
	struct list_head node;
	struct xsk_map *owner;
	u32 index;
};

static struct xsk_map *to_xskmap(const struct bpf_map *map)
{
	return container_of(map, struct xsk_map, map);
}

static struct xdp_sock *xskmap_slot_locked(struct xsk_map *m, u32 index)
{
	return rcu_dereference_protected(m->xsk_map[index],
					 lockdep_is_held(&m->lock));
}

/* Drops a link taken off its list; may run in atomic context. */
static void xskmap_link_free(struct xskmap_link *link)
{
	struct xsk_map *m;

	if (!link)
		return;
	m = link->owner;
	kfree(link);
	/* The final put defers the freeing of the map to a work item. */
	bpf_map_put(&m->map);
}

/*
 * Takes the link for slot @index of @m off the list of @xs and returns it.
 * Called with the map lock held, while the slot still names @xs (see the
 * invariant at the top of the file, which says such a link exists).
 */
static struct xskmap_link *xskmap_unlink(struct xsk_map *m, u32 index,
					 struct xdp_sock *xs)
{
	struct xskmap_link *pos, *found = NULL;

	lockdep_assert_held(&m->lock);

	spin_lock(&xs->map_list_lock);
	list_for_each_entry(pos, &xs->map_list, node) {
		if (pos->owner == m && pos->index == index) {
			list_del(&pos->node);
			found = pos;
			break;
		}
	}
	spin_unlock(&xs->map_list_lock);

	WARN_ON_ONCE(!found);
	return found;
}

/*
 * Empties slot @index of @m, which names @xs, and returns the link to free
 * once the map lock is dropped.  Readers still holding the old pointer are
 * covered by SOCK_RCU_FREE; storing NULL needs no ordering.
 */
static struct xskmap_link *xskmap_clear_slot(struct xsk_map *m, u32 index,
					     struct xdp_sock *xs)
{
	RCU_INIT_POINTER(m->xsk_map[index], NULL);
	atomic_dec(&m->count);
	return xskmap_unlink(m, index, xs);
}

static struct bpf_map *xskmap_create(union bpf_attr *attr)
{
	const u32 allowed = BPF_F_NUMA_NODE | BPF_F_RDONLY | BPF_F_WRONLY;
	struct xsk_map *m;

	if (attr->key_size != sizeof(u32) || attr->value_size != sizeof(u32) ||
	    !attr->max_entries || (attr->map_flags & ~allowed))
		return ERR_PTR(-EINVAL);

	/* Zeroed: every slot starts empty. */
	m = bpf_map_area_alloc(struct_size(m, xsk_map, attr->max_entries),
			       bpf_map_attr_numa_node(attr));
	if (!m)
		return ERR_PTR(-ENOMEM);

	bpf_map_init_from_attr(&m->map, attr);
	spin_lock_init(&m->lock);
	atomic_set(&m->count, 0);
	return &m->map;
}

static void xskmap_destroy(struct bpf_map *map)
{
	struct xsk_map *m = to_xskmap(map);

	/*
	 * Occupied slots hold references on the map through their links, so
	 * the last reference can only go once every slot is empty.
	 */
	WARN_ON_ONCE(atomic_read(&m->count));
	/* Let redirects that looked a socket up in this map finish. */
	synchronize_net();
	bpf_map_area_free(m);
}

static u64 xskmap_memory(const struct bpf_map *map)
{
	const struct xsk_map *m = to_xskmap(map);
	u64 links = atomic_read(&m->count);

	return struct_size(m, xsk_map, map->max_entries) +
	       links * sizeof(struct xskmap_link);
}

/*
 * Map-in-map: programs built against a template of this map have its
 * bound inlined (xskmap_gen_lookup()), so inner maps must match it too.
 */
static bool xskmap_same_shape(const struct bpf_map *tmpl,
			      const struct bpf_map *map)
{
	if (tmpl->max_entries != map->max_entries)
		return false;
	return bpf_map_meta_equal(tmpl, map);
}

/* Called from the bpf() syscall, inside an RCU read-side section. */
static long xskmap_update(struct bpf_map *map, void *key, void *value,
			  u64 flags)
{
	struct xsk_map *m = to_xskmap(map);
	struct xskmap_link *link, *stale = NULL;
	u32 index = *(u32 *)key;
	struct xdp_sock *xs, *prev;
	struct socket *sock;
	int err;

	if (unlikely(flags > BPF_EXIST))
		return -EINVAL;
	if (unlikely(index >= map->max_entries))
		return -E2BIG;

	sock = sockfd_lookup(*(u32 *)value, &err);
	if (!sock)
		return err;
	if (sock->sk->sk_family != PF_XDP) {
		err = -EOPNOTSUPP;
		goto put_sock;
	}
	/* The file reference keeps the socket out of its release meanwhile. */
	xs = container_of(sock->sk, struct xdp_sock, sk);

	/* No sleeping here: the caller holds rcu_read_lock(). */
	link = bpf_map_kmalloc_node(map, sizeof(*link),
				    GFP_ATOMIC | __GFP_NOWARN, map->numa_node);
	if (!link) {
		err = -ENOMEM;
		goto put_sock;
	}
	link->owner = m;
	link->index = index;

	spin_lock_bh(&m->lock);
	prev = xskmap_slot_locked(m, index);
	if (prev == xs) {
		/* Already there: nothing changes, whatever the flags say. */
		err = 0;
	} else if (prev && flags == BPF_NOEXIST) {
		err = -EEXIST;
	} else if (!prev && flags == BPF_EXIST) {
		err = -ENOENT;
	} else {
		/*
		 * The map reference taken here belongs to the link.  The
		 * link goes on the list before the slot is published, so
		 * the invariant holds again when the map lock is dropped.
		 */
		bpf_map_inc(map);
		spin_lock(&xs->map_list_lock);
		list_add_tail(&link->node, &xs->map_list);
		spin_unlock(&xs->map_list_lock);
		link = NULL;

		/* Release: readers see the socket fully set up. */
		rcu_assign_pointer(m->xsk_map[index], xs);
		if (prev)
			stale = xskmap_unlink(m, index, prev);
		else
			atomic_inc(&m->count);
		err = 0;
	}
	spin_unlock_bh(&m->lock);

	xskmap_link_free(stale);
	kfree(link);
put_sock:
	sockfd_put(sock);
	return err;
}

/* Called from the bpf() syscall only: programs cannot change this map. */
static long xskmap_delete(struct bpf_map *map, void *key)
{
	struct xsk_map *m = to_xskmap(map);
	struct xskmap_link *stale = NULL;
	u32 index = *(u32 *)key;
	struct xdp_sock *xs;

	if (unlikely(index >= map->max_entries))
		return -EINVAL;

	spin_lock_bh(&m->lock);
	xs = xskmap_slot_locked(m, index);
	if (xs)
		stale = xskmap_clear_slot(m, index, xs);
	spin_unlock_bh(&m->lock);

	/* An empty slot is not an error. */
	xskmap_link_free(stale);
	return 0;
}

static int xskmap_next_key(struct bpf_map *map, void *key, void *next_key)
{
	u32 *next = next_key;
	u32 cur;

	if (!key || *(u32 *)key >= map->max_entries) {
		*next = 0;
		return 0;
	}
	cur = *(u32 *)key;
	if (cur + 1 == map->max_entries)
		return -ENOENT;
	*next = cur + 1;
	return 0;
}

/* User space may not learn which sockets a map holds. */
static void *xskmap_syscall_lookup(struct bpf_map *map, void *key)
{
	return ERR_PTR(-EOPNOTSUPP);
}

/*
 * The socket in slot @index, or NULL.  Programs run in NAPI or under
 * rcu_read_lock(), which keeps the socket's memory valid (SOCK_RCU_FREE).
 */
static void *xskmap_slot(struct bpf_map *map, u32 index)
{
	struct xsk_map *m = to_xskmap(map);

	if (unlikely(index >= map->max_entries))
		return NULL;
	index = array_index_nospec(index, map->max_entries);
	return rcu_dereference_check(m->xsk_map[index],
				     rcu_read_lock_bh_held());
}

static void *xskmap_prog_lookup(struct bpf_map *map, void *key)
{
	return xskmap_slot(map, *(u32 *)key);
}

/*
 * bpf_map_lookup_elem() inlined into a program: R1 holds the map, R2 the
 * key's address, and the socket pointer (or NULL) is left in R0:
 *
 *	r0 = *(u32 *)(r2 + 0)
 *	if w0 < max_entries goto hit
 *	r0 = 0
 *	goto out
 * hit:	r0 <<= log2(sizeof(pointer))
 *	r0 += r1
 *	r0 = *(pointer *)(r0 + offsetof(struct xsk_map, xsk_map))
 * out:
 *
 * The bound is tested on 32 bits: the immediate is sign-extended in a
 * 64-bit comparison, which would let any index pass a bound of 2^31 or more.
 */
static int xskmap_gen_lookup(struct bpf_map *map, struct bpf_insn *insn_buf)
{
	const int slots = offsetof(struct xsk_map, xsk_map);
	struct bpf_insn *insn = insn_buf;

	BUILD_BUG_ON(offsetof(struct xsk_map, xsk_map) > S16_MAX);

	*insn++ = BPF_LDX_MEM(BPF_W, BPF_REG_0, BPF_REG_2, 0);
	*insn++ = BPF_JMP32_IMM(BPF_JLT, BPF_REG_0, map->max_entries, 2);
	*insn++ = BPF_MOV64_IMM(BPF_REG_0, 0);
	*insn++ = BPF_JMP_A(3);
	*insn++ = BPF_ALU64_IMM(BPF_LSH, BPF_REG_0,
				ilog2(sizeof(struct xdp_sock *)));
	*insn++ = BPF_ALU64_REG(BPF_ADD, BPF_REG_0, BPF_REG_1);
	*insn++ = BPF_LDX_MEM(BPF_SIZEOF(struct xdp_sock *), BPF_REG_0,
			      BPF_REG_0, slots);
	return insn - insn_buf;
}

/* bpf_redirect_map(): no flags beyond the fallback action. */
static long xskmap_redirect(struct bpf_map *map, u64 index, u64 flags)
{
	/* Keep a 64-bit index from wrapping onto a valid slot. */
	if (unlikely(index > U32_MAX))
		index = U32_MAX;
	return __bpf_xdp_redirect_map(map, index, flags, 0, xskmap_slot);
}

/**
 * xsk_map_remove_socket - empty every XSKMAP slot that names a socket
 * @xs: the socket, being released
 *
 * Called once from the release of @xs, in process context, before the
 * socket is unbound.  On return no map names @xs; programs that found it
 * earlier may still hold the pointer until their RCU section ends.
 *
 * The map lock ranks above @xs->map_list_lock, so a link is only peeked at
 * under the list lock; its map is pinned with a reference of our own (the
 * link's reference may go away with the link as soon as the list lock is
 * dropped), and the slot is then checked again under the map lock.  If an
 * update or a delete emptied or reused the slot in between, it has also
 * taken the link off the list (see the invariant at the top of the file),
 * so every round removes one link and the loop ends.  New links cannot
 * appear: an update needs a file reference to @xs, which is gone.
 */
void xsk_map_remove_socket(struct xdp_sock *xs)
{
	for (;;) {
		struct xskmap_link *link, *stale = NULL;
		struct xsk_map *m;
		u32 index;

		spin_lock(&xs->map_list_lock);
		link = list_first_entry_or_null(&xs->map_list,
						struct xskmap_link, node);
		if (!link) {
			spin_unlock(&xs->map_list_lock);
			return;
		}
		m = link->owner;
		index = link->index;
		/* Safe while the link, and so its reference, exists. */
		bpf_map_inc(&m->map);
		spin_unlock(&xs->map_list_lock);

		spin_lock_bh(&m->lock);
		if (xskmap_slot_locked(m, index) == xs)
			stale = xskmap_clear_slot(m, index, xs);
		spin_unlock_bh(&m->lock);

		xskmap_link_free(stale);
		bpf_map_put(&m->map);
	}
}

BTF_ID_LIST_SINGLE(xskmap_btf_id, struct, xsk_map)

const struct bpf_map_ops xsk_map_ops = {
	.map_alloc = xskmap_create,
	.map_free = xskmap_destroy,
	.map_mem_usage = xskmap_memory,
	.map_btf_id = &xskmap_btf_id[0],
	.map_check_btf = map_check_no_btf,
	.map_meta_equal = xskmap_same_shape,
	.map_update_elem = xskmap_update,
	.map_delete_elem = xskmap_delete,
	.map_get_next_key = xskmap_next_key,
	.map_lookup_elem_sys_only = xskmap_syscall_lookup,
	.map_lookup_elem = xskmap_prog_lookup,
	.map_gen_lookup = xskmap_gen_lookup,
	.map_redirect = xskmap_redirect,
};
