// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * close() of bound AF_XDP sockets while another task holds RTNL: it must
 * not wait for it, and the queue must still be usable afterwards.
 *
 * RTNL is held from user space by an ethtool ETHTOOL_SCHANNELS request
 * whose argument straddles a page that a userfaultfd leaves missing: the
 * kernel takes RTNL, then faults copying the argument in, and waits for us
 * to supply the page.
 */
#include <fcntl.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <linux/userfaultfd.h>
#include <net/if.h>
#include <poll.h>
#include <pthread.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "abi_util.h"

struct rtnl_holder {
	int uffd;
	char *area;		/* two pages: the second is missing */
	long page;
	pthread_t thread;
	int ret, err;
};

static void *rtnl_holder_ioctl(void *arg)
{
	struct rtnl_holder *h = arg;
	struct ifreq ifr = {};
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", env.if_a);
	/* The command word ends the first page; the rest of the request is missing. */
	ifr.ifr_data = h->area + h->page - sizeof(__u32);
	h->ret = ioctl(fd, SIOCETHTOOL, &ifr);
	h->err = errno;
	close(fd);
	return NULL;
}

/* An ioctl that takes RTNL, SIOCSIFMTU to the current MTU; sets *done after. */
struct rtnl_probe {
	pthread_t thread;
	volatile int done;
};

static void *rtnl_probe_ioctl(void *arg)
{
	struct rtnl_probe *p = arg;
	struct ifreq ifr = {};
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", env.if_a);
	if (!ioctl(fd, SIOCGIFMTU, &ifr))
		ioctl(fd, SIOCSIFMTU, &ifr);
	close(fd);
	__atomic_store_n(&p->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

/* Wait up to @ms for *@flag; returns its value. */
static int wait_flag(volatile int *flag, int ms)
{
	for (uint64_t end = now_ms() + ms; now_ms() < end; usleep(1000))
		if (__atomic_load_n(flag, __ATOMIC_ACQUIRE))
			return 1;
	return __atomic_load_n(flag, __ATOMIC_ACQUIRE);
}

/* Returns once the ethtool request is parked in its fault, holding RTNL. */
static void rtnl_hold(struct rtnl_holder *h, struct rtnl_probe *probe)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = {};
	struct pollfd pfd;
	struct uffd_msg msg;
	__u32 cmd = ETHTOOL_SCHANNELS;

	h->page = sysconf(_SC_PAGESIZE);
	h->area = mmap(NULL, 2 * h->page, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(h->area != MAP_FAILED);
	memcpy(h->area + h->page - sizeof(cmd), &cmd, sizeof(cmd));
	h->uffd = syscall(__NR_userfaultfd, O_CLOEXEC);
	ASSERT_GE(h->uffd, 0);
	ASSERT_SYS(ioctl(h->uffd, UFFDIO_API, &api));
	reg.range.start = (uintptr_t)h->area + h->page;
	reg.range.len = h->page;
	reg.mode = UFFDIO_REGISTER_MODE_MISSING;
	ASSERT_SYS(ioctl(h->uffd, UFFDIO_REGISTER, &reg));
	ASSERT_EQ(pthread_create(&h->thread, NULL, rtnl_holder_ioctl, h), 0);

	/* The fault arrives: the request is inside ethtool, under RTNL. */
	pfd = (struct pollfd){ .fd = h->uffd, .events = POLLIN };
	ASSERT_EQ(poll(&pfd, 1, 5000), 1);
	ASSERT_EQ(read(h->uffd, &msg, sizeof(msg)), sizeof(msg));
	ASSERT_EQ(msg.event, UFFD_EVENT_PAGEFAULT);
	ASSERT_EQ(msg.arg.pagefault.address & ~(__u64)(h->page - 1), reg.range.start);

	/* Proof that RTNL is held: an MTU change waits. */
	probe->done = 0;
	ASSERT_EQ(pthread_create(&probe->thread, NULL, rtnl_probe_ioctl, probe), 0);
	ASSERT_EQ(wait_flag(&probe->done, 200), 0);
}

/* Supply the missing page: the request fails on its zero counts, RTNL is free. */
static void rtnl_release(struct rtnl_holder *h, struct rtnl_probe *probe)
{
	struct uffdio_zeropage zp = {
		.range = { .start = (uintptr_t)h->area + h->page, .len = h->page },
	};

	ASSERT_SYS(ioctl(h->uffd, UFFDIO_ZEROPAGE, &zp));
	pthread_join(h->thread, NULL);
	pthread_join(probe->thread, NULL);
	ASSERT_EQ(h->ret, -1);
	ASSERT_EQ(h->err, EINVAL);
	close(h->uffd);
	munmap(h->area, 2 * h->page);
}

struct closer {
	pthread_t thread;
	int fds[4];
	int n;
	volatile int done;
};

static void *close_all(void *arg)
{
	struct closer *c = arg;

	for (int i = 0; i < c->n; i++)
		close(c->fds[i]);
	__atomic_store_n(&c->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

/*
 * Ring mappings hold the socket's file: with them, close() would only drop
 * the fd and the release would run at munmap().  Unmap them first.
 */
static void xsk_unmap_rings(struct xsk *x)
{
	xsk_unmap_ring(&x->rx);
	xsk_unmap_ring(&x->tx);
	xsk_unmap_ring(&x->fq);
	xsk_unmap_ring(&x->cq);
}

/* The fd of @x was closed already: unmap the rest. */
static void xsk_close_closed(struct xsk *x)
{
	x->fd = -1;
	xsk_close(x);
}

TEST(close_does_not_wait_for_rtnl, .veth = true, .queues = 2)
{
	struct rtnl_holder h;
	struct rtnl_probe probe;
	struct closer c = { .n = 3 };
	struct xsk own, shared, other, again;
	bool ours = abi_kernel_is_ours();
	int closed;

	/* A pool of one socket on queue 0, and a pool of two on queue 1. */
	xsk_open(&own, env.ifindex_a, 0, true, true, 64, XDP_COPY, NULL);
	xsk_open(&other, env.ifindex_a, 1, true, true, 64, XDP_COPY, NULL);
	xsk_open(&shared, env.ifindex_a, 1, true, false, 64, 0, &other);
	c.fds[0] = own.fd;
	c.fds[1] = shared.fd;
	c.fds[2] = other.fd;
	xsk_unmap_rings(&own);
	xsk_unmap_rings(&shared);
	xsk_unmap_rings(&other);

	rtnl_hold(&h, &probe);
	ASSERT_EQ(pthread_create(&c.thread, NULL, close_all, &c), 0);
	closed = wait_flag(&c.done, 3000);
	rtnl_release(&h, &probe);
	pthread_join(c.thread, NULL);
	if (!closed)
		FAIL("close() of bound sockets waited for RTNL");
	xsk_close_closed(&own);
	xsk_close_closed(&shared);
	xsk_close_closed(&other);

	/*
	 * Both queues can be bound again.  Ours gives a queue back at the
	 * next bind; mainline may take a moment (a work item).
	 */
	xsk_prepare(&again, true, false, 64, NULL, true);
	if (ours)
		ASSERT_OK(xsk_bind_raw(again.fd, env.ifindex_a, 0, XDP_COPY, 0));
	else
		ASSERT_OK(xsk_bind_retry(again.fd, env.ifindex_a, 0, XDP_COPY, 0));
	xsk_close(&again);
	xsk_prepare(&again, true, false, 64, NULL, true);
	if (ours)
		ASSERT_OK(xsk_bind_raw(again.fd, env.ifindex_a, 1, XDP_COPY, 0));
	else
		ASSERT_OK(xsk_bind_retry(again.fd, env.ifindex_a, 1, XDP_COPY, 0));
	xsk_close(&again);
}

TEST(device_deleted_after_close_under_rtnl, .veth = true)
{
	struct rtnl_holder h;
	struct rtnl_probe probe;
	struct closer c = { .n = 1 };
	struct xsk x;

	/*
	 * The queue of a socket closed while RTNL was held may still name its
	 * pool; deleting the device must still complete and free it.
	 */
	xsk_open(&x, env.ifindex_a, 0, true, true, 64, XDP_COPY, NULL);
	c.fds[0] = x.fd;
	xsk_unmap_rings(&x);
	rtnl_hold(&h, &probe);
	ASSERT_EQ(pthread_create(&c.thread, NULL, close_all, &c), 0);
	wait_flag(&c.done, 3000);
	rtnl_release(&h, &probe);
	pthread_join(c.thread, NULL);
	xsk_close_closed(&x);
	ASSERT_EQ(run_cmdf("ip -n %s link del %s", env.ns_a, env.if_a), 0);
	ASSERT_NE(if_nametoindex(env.if_a), env.ifindex_a);
}
