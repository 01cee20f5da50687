// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libxsk's default XDP program and its lifetime.
 *
 * One record per (network namespace, interface) this process uses, shared
 * by all its sockets there, with fds of the program, its XSKMAP and the
 * bpf_link that attaches it.  The link is the lifetime: every process
 * that uses the program holds an fd of it (the one that created it, or
 * one it opened by id), so the kernel detaches the program when the last
 * holder closes its fd, by xsk_socket__delete() or by dying, SIGKILL
 * included.  Nothing is pinned, so bpffs is not needed.
 *
 * A process finding an attached program decides from its name and its
 * single map whether it is a libxsk default program (reuse it) or somebody
 * else's (refuse with -EBUSY, never replace).
 *
 * Locking: xsk_progs_lock guards the table and every record in it; the
 * slow bpf() calls of a first attach run under it too, which serialises
 * first attaches within a process and is harmless on a setup path.
 */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "xsk_internal.h"

#ifndef BPF_F_XDP_HAS_FRAGS
#define BPF_F_XDP_HAS_FRAGS (1U << 5)
#endif

/* The embedded default program, see xsk_def_prog_blob.S. */
extern const char xsk_def_prog_obj[];
extern const char xsk_def_prog_obj_end[];

/*
 * One of our sockets in the XSKMAP.  Several sockets may share a queue
 * (shared UMEM) while its slot holds one: the newest.  When that one goes,
 * the slot passes to the newest remaining socket of the queue.
 */
struct xsk_slot_user {
	struct xsk_slot_user *next;
	__u32 queue_id;
	int fd;
};

struct xsk_prog {
	struct xsk_prog *next;
	__u64 netns;
	int ifindex;
	int prog_fd;
	int map_fd;
	int link_fd;		/* our hold on the attachment, or -1 */
	__u32 prog_id;
	__u32 attach_mode;	/* XDP_ATTACHED_SKB or XDP_ATTACHED_DRV */
	__u32 nr_slots;
	struct xsk_slot_user *slot_users;	/* newest first */
	int users;		/* sockets, plus one for xsk_setup_xdp_prog() */
	bool setup_hold;
};

/* ------------------------------------------------------------------ */

static pthread_mutex_t xsk_progs_lock = PTHREAD_MUTEX_INITIALIZER;
static struct xsk_prog *xsk_progs;	/* under xsk_progs_lock */

static const char *attach_mode_name(__u32 mode)
{
	switch (mode) {
	case XDP_ATTACHED_SKB: return "SKB";
	case XDP_ATTACHED_DRV: return "native";
	case XDP_ATTACHED_HW: return "offload";
	case XDP_ATTACHED_MULTI: return "multiple";
	default: return "no";
	}
}

static __u32 wanted_attach_mode(__u32 xdp_flags)
{
	if (xdp_flags & XDP_FLAGS_SKB_MODE)
		return XDP_ATTACHED_SKB;
	if (xdp_flags & XDP_FLAGS_DRV_MODE)
		return XDP_ATTACHED_DRV;
	return XDP_ATTACHED_NONE;	/* any */
}

/* What is attached to @ifindex: the program id and its mode. */
static int xdp_attached(int ifindex, __u32 *prog_id, __u32 *mode)
{
	LIBBPF_OPTS(bpf_xdp_query_opts, q);
	int err;

	err = bpf_xdp_query(ifindex, 0, &q);
	if (err)
		return err;
	*mode = q.attach_mode;
	if (q.attach_mode == XDP_ATTACHED_MULTI)
		*prog_id = q.drv_prog_id ? q.drv_prog_id : q.skb_prog_id;
	else
		*prog_id = q.prog_id;
	return 0;
}

/* The single map of a program, or 0 if it has none or several. */
static __u32 prog_only_map(int prog_fd, struct bpf_prog_info *info)
{
	__u32 map_ids[2] = { 0 };
	__u32 len = sizeof(*info);

	memset(info, 0, sizeof(*info));
	info->nr_map_ids = 2;
	info->map_ids = (__u64)(uintptr_t)map_ids;
	if (bpf_obj_get_info_by_fd(prog_fd, info, &len))
		return 0;
	return info->nr_map_ids == 1 ? map_ids[0] : 0;
}

/* Our hold on the link that attaches @prog_id to @ifindex, if there is one. */
static int link_fd_find(__u32 prog_id, int ifindex)
{
	__u32 id = 0;

	while (!bpf_link_get_next_id(id, &id)) {
		struct bpf_link_info info;
		__u32 len = sizeof(info);
		int fd = bpf_link_get_fd_by_id(id);

		if (fd < 0)
			continue;	/* gone meanwhile */
		memset(&info, 0, sizeof(info));
		if (!bpf_obj_get_info_by_fd(fd, &info, &len) &&
		    info.type == BPF_LINK_TYPE_XDP && info.prog_id == prog_id &&
		    (int)info.xdp.ifindex == ifindex)
			return fd;
		close(fd);
	}
	return -ENOENT;
}

/*
 * Take a hold on the attached program @prog_id if it is a libxsk default
 * program.  Returns 0, -EBUSY for somebody else's program, or -EAGAIN when
 * it went away while we looked (the caller looks again).
 */
static int prog_adopt(struct xsk_prog *p, const char *ifname, __u32 prog_id,
		      __u32 mode)
{
	struct bpf_prog_info pinfo;
	struct bpf_map_info minfo;
	__u32 len = sizeof(minfo), map_id, now_id, now_mode;
	int err;

	p->prog_fd = bpf_prog_get_fd_by_id(prog_id);
	if (p->prog_fd < 0)
		return p->prog_fd == -ENOENT ? -EAGAIN :
			xsk_fail(p->prog_fd, "opening XDP program %u of %s failed: %s",
				 prog_id, ifname, strerror(-p->prog_fd));

	map_id = prog_only_map(p->prog_fd, &pinfo);
	if (strcmp(pinfo.name, XSK_DEF_PROG_NAME) || !map_id)
		goto foreign;
	p->map_fd = bpf_map_get_fd_by_id(map_id);
	if (p->map_fd < 0)
		return p->map_fd == -ENOENT ? -EAGAIN :
			xsk_fail(p->map_fd, "opening the XSKMAP %u of the program on %s failed: %s",
				 map_id, ifname, strerror(-p->map_fd));
	memset(&minfo, 0, sizeof(minfo));
	if (bpf_obj_get_info_by_fd(p->map_fd, &minfo, &len) ||
	    minfo.type != BPF_MAP_TYPE_XSKMAP || strcmp(minfo.name, XSK_DEF_MAP_NAME))
		goto foreign;

	/*
	 * Hold its link, when it has one (a program attached through netlink,
	 * by an older library, has none: we use it but cannot keep it).
	 */
	p->link_fd = link_fd_find(prog_id, p->ifindex);
	if (p->link_fd < 0)
		p->link_fd = -1;
	/* Still attached now that we hold the link?  Otherwise start over. */
	err = xdp_attached(p->ifindex, &now_id, &now_mode);
	if (err || now_id != prog_id)
		return -EAGAIN;

	p->prog_id = prog_id;
	p->attach_mode = mode;
	p->nr_slots = minfo.max_entries;
	pr_debug("reusing the default XDP program %u on %s (%s mode)", prog_id, ifname,
		 attach_mode_name(mode));
	return 0;

foreign:
	return xsk_fail(-EBUSY, "interface %s already runs XDP program '%s' (id %u, %s mode), "
			"which libxsk did not load and will not replace; remove it, or create "
			"the socket with XSK_LIBXDP_FLAGS__INHIBIT_PROG_LOAD and add it to "
			"that program's XSKMAP", ifname, pinfo.name, prog_id,
			attach_mode_name(mode));
}


static void prog_fds_close(struct xsk_prog *p)
{
	libxsk_close_fd(&p->link_fd);
	libxsk_close_fd(&p->map_fd);
	libxsk_close_fd(&p->prog_fd);
}

/* Open the embedded object with the map sized to @nr_slots and load it. */
static int prog_load(struct xsk_prog *p, const char *ifname, __u32 nr_slots)
{
	size_t obj_len = xsk_def_prog_obj_end - xsk_def_prog_obj;
	bool frags = true;
	int err;

	/*
	 * No RLIMIT_MEMLOCK handling: kernels since 5.11 charge BPF memory to
	 * the memory cgroup, and libxsk never raises limits.
	 */
	for (;;) {
		LIBBPF_OPTS(bpf_object_open_opts, oo, .object_name = "libxsk");
		struct bpf_program *prog;
		struct bpf_object *obj;
		struct bpf_map *map;

		obj = bpf_object__open_mem(xsk_def_prog_obj, obj_len, &oo);
		if (!obj)
			return xsk_fail(-errno, "opening the embedded XDP program failed: %s",
					strerror(errno));
		map = bpf_object__find_map_by_name(obj, XSK_DEF_MAP_NAME);
		prog = bpf_object__find_program_by_name(obj, XSK_DEF_PROG_NAME);
		err = map && prog ? 0 : -ENOENT;
		if (!err)
			err = bpf_map__set_max_entries(map, nr_slots);
		if (!err && !frags)
			err = bpf_program__set_flags(prog, bpf_program__flags(prog) &
						     ~BPF_F_XDP_HAS_FRAGS);
		if (!err)
			err = bpf_object__load(obj);
		if (!err) {
			p->prog_fd = fcntl(bpf_program__fd(prog), F_DUPFD_CLOEXEC, 3);
			p->map_fd = fcntl(bpf_map__fd(map), F_DUPFD_CLOEXEC, 3);
			if (p->prog_fd < 0 || p->map_fd < 0)
				err = -errno;
		}
		bpf_object__close(obj);
		if (!err) {
			p->nr_slots = nr_slots;
			return 0;
		}
		prog_fds_close(p);
		/* Kernels before 5.18 know no frags: load a single-buffer copy. */
		if (!frags || err == -ENOENT)
			break;
		frags = false;
	}
	return xsk_fail(err, "loading the default XDP program for %s failed: %s%s", ifname,
			strerror(-err), err == -EPERM ? " (CAP_BPF and CAP_NET_ADMIN are needed)" : "");
}

/* Attach the loaded program through a link.  -EBUSY: something got there first. */
static int prog_attach(struct xsk_prog *p, const char *ifname, __u32 xdp_flags)
{
	LIBBPF_OPTS(bpf_link_create_opts, lo,
		    .flags = xdp_flags & (XDP_FLAGS_SKB_MODE | XDP_FLAGS_DRV_MODE));
	struct bpf_prog_info info;
	__u32 len = sizeof(info), id, mode;
	int fd, err;

	fd = bpf_link_create(p->prog_fd, p->ifindex, BPF_XDP, &lo);
	if (fd == -EBUSY || fd == -EEXIST)
		return -EBUSY;
	if (fd < 0) {
		err = fd;
		if (err == -EOPNOTSUPP && (xdp_flags & XDP_FLAGS_DRV_MODE))
			return xsk_fail(err, "%s has no native XDP support (XDP_FLAGS_DRV_MODE): "
					"use XDP_FLAGS_SKB_MODE", ifname);
		return xsk_fail(err, "attaching the default XDP program to %s (%s mode) failed: %s",
				ifname, attach_mode_name(wanted_attach_mode(xdp_flags)),
				strerror(-err));
	}
	p->link_fd = fd;

	memset(&info, 0, sizeof(info));
	err = bpf_obj_get_info_by_fd(p->prog_fd, &info, &len);
	if (!err)
		err = xdp_attached(p->ifindex, &id, &mode);
	if (err)
		return xsk_fail(err, "querying the XDP program of %s failed: %s", ifname,
				strerror(-err));
	p->prog_id = info.id;
	p->attach_mode = mode;
	pr_debug("attached the default XDP program %u to %s (%s mode)", info.id, ifname,
		 attach_mode_name(mode));
	return 0;
}

/*
 * Make sure a libxsk default program runs on @ifindex and fill @p with
 * fds to it, its map and its link.  Several processes may race here; the
 * loser of a link_create race finds the winner's program on its next look.
 */
static int prog_find_or_attach(struct xsk_prog *p, const char *ifname, __u32 xdp_flags)
{
	__u32 want = wanted_attach_mode(xdp_flags);
	struct xsk_prog loaded = { .prog_fd = -1, .map_fd = -1, .link_fd = -1 };
	struct xsk_ifqueues q;
	int attempt, err;

	loaded.ifindex = p->ifindex;
	for (attempt = 0; attempt < 8; attempt++) {
		__u32 id, mode;

		err = xdp_attached(p->ifindex, &id, &mode);
		if (err)
			return xsk_fail(err, "querying the XDP program of %s failed: %s", ifname,
					strerror(-err));
		if (id) {
			err = prog_adopt(p, ifname, id, mode);
			if (!err && want && mode != want)
				err = xsk_fail(-EBUSY, "the default XDP program on %s runs in %s mode, "
					       "not the %s mode asked for", ifname,
					       attach_mode_name(mode), attach_mode_name(want));
			if (err != -EAGAIN)
				break;
			prog_fds_close(p);
			continue;
		}
		if (loaded.prog_fd < 0) {
			err = libxsk_ifqueues_get(ifname, &q);
			if (err)
				break;
			err = prog_load(&loaded, ifname, q.max_rx);
			if (err)
				break;
		}
		err = prog_attach(&loaded, ifname, xdp_flags);
		if (err == -EBUSY) {
			libxsk_close_fd(&loaded.link_fd);
			continue;
		}
		if (!err) {
			/* Hand over what the attach produced; the fds move. */
			p->prog_fd = loaded.prog_fd;
			p->map_fd = loaded.map_fd;
			p->link_fd = loaded.link_fd;
			p->prog_id = loaded.prog_id;
			p->attach_mode = loaded.attach_mode;
			p->nr_slots = loaded.nr_slots;
			loaded.prog_fd = loaded.map_fd = loaded.link_fd = -1;
		}
		break;
	}
	if (attempt == 8)
		err = xsk_fail(-EBUSY, "the XDP program of %s keeps changing; gave up", ifname);
	prog_fds_close(&loaded);
	if (err)
		prog_fds_close(p);
	return err;
}

static struct xsk_prog *prog_lookup(__u64 netns, int ifindex)
{
	struct xsk_prog *p;

	for (p = xsk_progs; p; p = p->next)
		if (p->netns == netns && p->ifindex == ifindex)
			return p;
	return NULL;
}

/* Take one use of the default program on (@netns, @ifindex). */
int libxsk_prog_get(__u64 netns, int ifindex, const char *ifname, __u32 xdp_flags,
		    struct xsk_prog **out)
{
	__u32 want = wanted_attach_mode(xdp_flags);
	struct xsk_prog *p;
	int err = 0;

	pthread_mutex_lock(&xsk_progs_lock);
	p = prog_lookup(netns, ifindex);
	if (p) {
		if (want && p->attach_mode != want) {
			err = xsk_fail(-EBUSY, "the default XDP program on %s runs in %s mode, not "
				       "the %s mode asked for", ifname,
				       attach_mode_name(p->attach_mode), attach_mode_name(want));
			goto out;
		}
		p->users++;
		goto out;
	}

	p = calloc(1, sizeof(*p));
	if (!p) {
		err = xsk_fail(-ENOMEM, "out of memory for an XDP program record");
		goto out;
	}
	p->netns = netns;
	p->ifindex = ifindex;
	p->prog_fd = p->map_fd = p->link_fd = -1;
	err = prog_find_or_attach(p, ifname, xdp_flags);
	if (err) {
		free(p);
		p = NULL;
		goto out;
	}
	p->users = 1;
	p->next = xsk_progs;
	xsk_progs = p;
out:
	pthread_mutex_unlock(&xsk_progs_lock);
	*out = err ? NULL : p;
	return err;
}

static void prog_free(struct xsk_prog *p)
{
	struct xsk_slot_user *u;

	while ((u = p->slot_users)) {
		p->slot_users = u->next;
		free(u);
	}
	prog_fds_close(p);
	free(p);
}

/* Drop one use; the last one closes our link fd, which may detach. */
static void prog_put_locked(struct xsk_prog *p)
{
	struct xsk_prog **pp;

	if (--p->users > 0)
		return;
	for (pp = &xsk_progs; *pp; pp = &(*pp)->next) {
		if (*pp == p) {
			*pp = p->next;
			break;
		}
	}
	prog_free(p);
}

void libxsk_prog_put(struct xsk_prog *p)
{
	pthread_mutex_lock(&xsk_progs_lock);
	prog_put_locked(p);
	pthread_mutex_unlock(&xsk_progs_lock);
}

int libxsk_prog_slot_set(struct xsk_prog *p, __u32 queue_id, int fd, const char *ifname)
{
	struct xsk_slot_user *u;
	int err = 0;

	if (queue_id >= p->nr_slots)
		return xsk_fail(-EINVAL, "the XSKMAP of the XDP program on %s has %u slots; queue "
				"%u is beyond it", ifname, p->nr_slots, queue_id);
	u = malloc(sizeof(*u));
	if (!u)
		return xsk_fail(-ENOMEM, "out of memory for an XSKMAP record");
	u->queue_id = queue_id;
	u->fd = fd;

	pthread_mutex_lock(&xsk_progs_lock);
	if (bpf_map_update_elem(p->map_fd, &queue_id, &fd, 0)) {
		err = xsk_fail(-errno, "inserting the socket into the XSKMAP of %s at %u failed: %s",
			       ifname, queue_id, strerror(errno));
		free(u);
	} else {
		u->next = p->slot_users;
		p->slot_users = u;
	}
	pthread_mutex_unlock(&xsk_progs_lock);
	return err;
}

/*
 * Take @fd out of the XSKMAP.  Closing the socket would empty its slot
 * too, but the fd may live on (a UMEM keeps its first socket open while
 * others share it, and the application may hold a dup), and another
 * socket of the queue may be waiting for the slot.
 */
void libxsk_prog_slot_clear(struct xsk_prog *p, __u32 queue_id, int fd)
{
	struct xsk_slot_user **pp, *u, *heir;
	bool held = true;

	pthread_mutex_lock(&xsk_progs_lock);
	for (pp = &p->slot_users; (u = *pp); pp = &u->next) {
		if (u->queue_id != queue_id)
			continue;
		if (u->fd == fd)
			break;
		held = false;	/* a newer socket of the queue holds the slot */
	}
	if (u) {
		*pp = u->next;
		free(u);
		if (held) {
			for (heir = p->slot_users; heir; heir = heir->next)
				if (heir->queue_id == queue_id)
					break;
			if (heir)
				bpf_map_update_elem(p->map_fd, &queue_id, &heir->fd, 0);
			else
				bpf_map_delete_elem(p->map_fd, &queue_id);
		}
	}
	pthread_mutex_unlock(&xsk_progs_lock);
}

/* Free the table at unload, so leak checkers see a clean exit. */
__attribute__((destructor))
static void progs_free_all(void)
{
	struct xsk_prog *p;

	pthread_mutex_lock(&xsk_progs_lock);
	while ((p = xsk_progs)) {
		xsk_progs = p->next;
		prog_free(p);
	}
	pthread_mutex_unlock(&xsk_progs_lock);
}

int xsk_setup_xdp_prog(int ifindex, int *xsks_map_fd)
{
	char ifname[IF_NAMESIZE];
	struct xsk_prog *p;
	int err, fd = -1;

	if (ifindex <= 0 || !if_indextoname(ifindex, ifname))
		return xsk_fail(-ENODEV, "xsk_setup_xdp_prog: no interface with index %d", ifindex);
	err = libxsk_prog_get(libxsk_current_netns(), ifindex, ifname, 0, &p);
	if (err)
		return err;

	if (xsks_map_fd) {
		fd = fcntl(p->map_fd, F_DUPFD_CLOEXEC, 3);
		if (fd < 0) {
			err = xsk_fail(-errno, "duplicating the XSKMAP fd failed: %s",
				       strerror(errno));
			libxsk_prog_put(p);
			return err;
		}
	}

	pthread_mutex_lock(&xsk_progs_lock);
	if (p->setup_hold)
		prog_put_locked(p);	/* one setup hold per interface is enough */
	else
		p->setup_hold = true;
	pthread_mutex_unlock(&xsk_progs_lock);

	if (xsks_map_fd)
		*xsks_map_fd = fd;
	return 0;
}

int xsk_release_xdp_prog(int ifindex)
{
	struct xsk_prog *p;
	int err = 0;

	pthread_mutex_lock(&xsk_progs_lock);
	p = prog_lookup(libxsk_current_netns(), ifindex);
	if (!p || !p->setup_hold) {
		err = xsk_fail(-ENOENT, "xsk_release_xdp_prog: no xsk_setup_xdp_prog() hold on "
			       "ifindex %d in this network namespace", ifindex);
	} else {
		p->setup_hold = false;
		prog_put_locked(p);
	}
	pthread_mutex_unlock(&xsk_progs_lock);
	return err;
}
