// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * socket(), setsockopt(), getsockopt() and mmap() of AF_XDP sockets, by
 * raw syscalls, with the exact errno of every refusal.
 */
#include <fcntl.h>
#include <linux/capability.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi_util.h"

static __u64 current_caps(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2] = { 0 };

	if (syscall(SYS_capget, &hdr, data))
		FAIL("capget: %s", strerror(errno));
	return data[0].effective | (__u64)data[1].effective << 32;
}

/* Run @fn in a child that has dropped the capabilities in @drop; asserts it passed. */
static void in_child_without(__u64 drop, void (*fn)(void))
{
	int status;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		if (caps_keep_only(current_caps() & ~drop))
			FAIL("capset: %s", strerror(errno));
		ASSERT_EQ(current_caps() & drop, 0);
		fn();
		fflush(NULL);
		_exit(0);
	}
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		FAIL("the child without capabilities %#llx failed", (unsigned long long)drop);
}

TEST(socket_needs_sock_raw_and_protocol_zero)
{
	int fd;

	ASSERT_ERRNO(socket(AF_XDP, SOCK_DGRAM, 0), ESOCKTNOSUPPORT);
	ASSERT_ERRNO(socket(AF_XDP, SOCK_STREAM, 0), ESOCKTNOSUPPORT);
	ASSERT_ERRNO(socket(AF_XDP, SOCK_SEQPACKET, 0), ESOCKTNOSUPPORT);
	ASSERT_ERRNO(socket(AF_XDP, SOCK_RAW, 1), EPROTONOSUPPORT);
	ASSERT_ERRNO(socket(AF_XDP, SOCK_RAW, 0x0300), EPROTONOSUPPORT);	/* htons(ETH_P_ALL) */
	fd = socket(AF_XDP, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	ASSERT_GE(fd, 0);
	close(fd);
}

static void no_net_raw(void)
{
	ASSERT_ERRNO(socket(AF_XDP, SOCK_RAW, 0), EPERM);
	/* The capability is checked before the type and the protocol. */
	ASSERT_ERRNO(socket(AF_XDP, SOCK_DGRAM, 0), EPERM);
	ASSERT_ERRNO(socket(AF_XDP, SOCK_RAW, 1), EPERM);
}

TEST(socket_needs_cap_net_raw)
{
	/* The same process with the capability succeeds: the child proves the difference. */
	close(xsk_socket_raw());
	in_child_without(1ull << CAP_NET_RAW, no_net_raw);
}

static void ring_opt_errors(int fd, int opt, const char *name)
{
	int entries = 64;
	char small = 0;

	test_log("%s", name);
	ASSERT_ERRNO(setsockopt(fd, SOL_XDP, opt, &small, 1), EINVAL);
	ASSERT_ERRNO(setsockopt(fd, SOL_XDP, opt, &entries, 3), EINVAL);
	ASSERT_ERRNO(setsockopt(fd, SOL_XDP, opt, NULL, 4), EFAULT);
	ASSERT_EQ(xsk_set_ring(fd, opt, 0), -EINVAL);
	ASSERT_EQ(xsk_set_ring(fd, opt, 3), -EINVAL);
	ASSERT_EQ(xsk_set_ring(fd, opt, 48), -EINVAL);
	ASSERT_EQ(xsk_set_ring(fd, opt, -1), -EINVAL);
	ASSERT_EQ(xsk_set_ring(fd, opt, 64), 0);
	/* Once only: a second size (even the same) is refused before bind with EINVAL. */
	ASSERT_EQ(xsk_set_ring(fd, opt, 64), -EINVAL);
	ASSERT_EQ(xsk_set_ring(fd, opt, 128), -EINVAL);
}

TEST(setsockopt_ring_sizes)
{
	int fd = xsk_socket_raw(), fd2;

	ring_opt_errors(fd, XDP_RX_RING, "XDP_RX_RING");
	ring_opt_errors(fd, XDP_TX_RING, "XDP_TX_RING");
	/* Fill and completion rings can be set before (and without) a UMEM. */
	ring_opt_errors(fd, XDP_UMEM_FILL_RING, "XDP_UMEM_FILL_RING");
	ring_opt_errors(fd, XDP_UMEM_COMPLETION_RING, "XDP_UMEM_COMPLETION_RING");
	close(fd);

	/* A longer optlen is fine; one entry is a power of two. */
	fd2 = xsk_socket_raw();
	{
		int big[4] = { 1, 0, 0, 0 };

		ASSERT_SYS(setsockopt(fd2, SOL_XDP, XDP_RX_RING, big, sizeof(big)));
		ASSERT_SYS(setsockopt(fd2, SOL_XDP, XDP_TX_RING, big, sizeof(big)));
	}
	close(fd2);
}

TEST(setsockopt_unknown_options)
{
	int fd = xsk_socket_raw(), v = 64;

	ASSERT_ERRNO(setsockopt(fd, SOL_XDP, 0, &v, sizeof(v)), ENOPROTOOPT);
	ASSERT_ERRNO(setsockopt(fd, SOL_XDP, 99, &v, sizeof(v)), ENOPROTOOPT);
	/* Read-only options are unknown to setsockopt. */
	ASSERT_ERRNO(setsockopt(fd, SOL_XDP, XDP_MMAP_OFFSETS, &v, sizeof(v)), ENOPROTOOPT);
	ASSERT_ERRNO(setsockopt(fd, SOL_XDP, XDP_STATISTICS, &v, sizeof(v)), ENOPROTOOPT);
	ASSERT_ERRNO(setsockopt(fd, SOL_XDP, XDP_OPTIONS, &v, sizeof(v)), ENOPROTOOPT);
	/* Another protocol level. */
	ASSERT_ERRNO(setsockopt(fd, 0 /* SOL_IP */, XDP_RX_RING, &v, sizeof(v)), ENOPROTOOPT);
	close(fd);
}

TEST(getsockopt_mmap_offsets)
{
	struct xdp_mmap_offsets off, again;
	__u64 v1[12];
	int fd = xsk_socket_raw();
	socklen_t len;
	unsigned int i;
	struct xdp_ring_offset *r[4] = { &off.rx, &off.tx, &off.fr, &off.cr };

	/* Full size: 128 bytes, flags included. */
	len = sizeof(off);
	memset(&off, 0xff, sizeof(off));
	ASSERT_SYS(getsockopt(fd, SOL_XDP, XDP_MMAP_OFFSETS, &off, &len));
	ASSERT_EQ(len, 128);
	for (i = 0; i < 4; i++) {
		/* producer, consumer and flags live before the descriptors, each apart. */
		ASSERT_LT(r[i]->producer, r[i]->desc);
		ASSERT_LT(r[i]->consumer, r[i]->desc);
		ASSERT_LT(r[i]->flags, r[i]->desc);
		ASSERT_NE(r[i]->producer, r[i]->consumer);
		ASSERT_NE(r[i]->producer, r[i]->flags);
		ASSERT_NE(r[i]->consumer, r[i]->flags);
		ASSERT_EQ(r[i]->producer % 4, 0);
		ASSERT_EQ(r[i]->desc % 8, 0);
		ASSERT_LT(r[i]->desc, 4096);
	}
	/* Larger buffers get 128 bytes. */
	{
		char big[256];

		len = sizeof(big);
		ASSERT_SYS(getsockopt(fd, SOL_XDP, XDP_MMAP_OFFSETS, big, &len));
		ASSERT_EQ(len, 128);
		ASSERT_EQ(memcmp(big, &off, 128), 0);
	}
	/* v1 (96 bytes, no flags) and anything between: the v1 layout. */
	for (len = 96; len <= 127; len += 31) {
		socklen_t l = len;

		memset(v1, 0xee, sizeof(v1));
		ASSERT_SYS(getsockopt(fd, SOL_XDP, XDP_MMAP_OFFSETS, v1, &l));
		ASSERT_EQ(l, 96);
		for (i = 0; i < 4; i++) {
			ASSERT_EQ(v1[i * 3 + 0], r[i]->producer);
			ASSERT_EQ(v1[i * 3 + 1], r[i]->consumer);
			ASSERT_EQ(v1[i * 3 + 2], r[i]->desc);
		}
	}
	len = 95;
	ASSERT_ERRNO(getsockopt(fd, SOL_XDP, XDP_MMAP_OFFSETS, v1, &len), EINVAL);
	len = 0;
	ASSERT_ERRNO(getsockopt(fd, SOL_XDP, XDP_MMAP_OFFSETS, v1, &len), EINVAL);
	/* The same before and after rings exist. */
	ASSERT_OK(xsk_set_ring(fd, XDP_RX_RING, 64));
	len = sizeof(again);
	ASSERT_SYS(getsockopt(fd, SOL_XDP, XDP_MMAP_OFFSETS, &again, &len));
	ASSERT_EQ(memcmp(&off, &again, sizeof(off)), 0);
	close(fd);
}

TEST(getsockopt_statistics_and_options)
{
	int fd = xsk_socket_raw(), i, neg = -1;
	__u64 st[8];
	socklen_t len;
	struct xdp_options opts;
	static const int sizes[][2] = { { 24, 24 }, { 47, 24 }, { 48, 48 }, { 64, 48 } };

	for (i = 0; i < 4; i++) {
		len = sizes[i][0];
		memset(st, 0xff, sizeof(st));
		ASSERT_SYS(getsockopt(fd, SOL_XDP, XDP_STATISTICS, st, &len));
		ASSERT_EQ(len, sizes[i][1]);
		/* A fresh socket: every counter zero, nothing written past the size. */
		for (int k = 0; k < (int)len / 8; k++)
			ASSERT_EQ(st[k], 0);
		ASSERT_EQ(st[len / 8], ~0ull);
	}
	len = 23;
	ASSERT_ERRNO(getsockopt(fd, SOL_XDP, XDP_STATISTICS, st, &len), EINVAL);
	len = 0;
	ASSERT_ERRNO(getsockopt(fd, SOL_XDP, XDP_STATISTICS, st, &len), EINVAL);

	len = sizeof(opts);
	opts.flags = ~0u;
	ASSERT_SYS(getsockopt(fd, SOL_XDP, XDP_OPTIONS, &opts, &len));
	ASSERT_EQ(len, 4);
	ASSERT_EQ(opts.flags, 0);
	len = 3;
	ASSERT_ERRNO(getsockopt(fd, SOL_XDP, XDP_OPTIONS, &opts, &len), EINVAL);
	len = 16;
	ASSERT_SYS(getsockopt(fd, SOL_XDP, XDP_OPTIONS, st, &len));
	ASSERT_EQ(len, 4);

	/* Negative optlen (valgrind's model of getsockopt cannot take it). */
	if (!strstr(getenv("LD_PRELOAD") ?: "", "vgpreload"))
		ASSERT_ERRNO(syscall(SYS_getsockopt, fd, SOL_XDP, XDP_STATISTICS, st, &neg),
			     EINVAL);
	/* Unknown and set-only options: EOPNOTSUPP from getsockopt (not ENOPROTOOPT). */
	len = sizeof(st);
	ASSERT_ERRNO(getsockopt(fd, SOL_XDP, 99, st, &len), EOPNOTSUPP);
	ASSERT_ERRNO(getsockopt(fd, SOL_XDP, XDP_RX_RING, st, &len), EOPNOTSUPP);
	ASSERT_ERRNO(getsockopt(fd, SOL_XDP, XDP_UMEM_REG, st, &len), EOPNOTSUPP);
	/* Another level: ENOPROTOOPT. */
	ASSERT_ERRNO(getsockopt(fd, 0 /* SOL_IP */, XDP_STATISTICS, st, &len), ENOPROTOOPT);
	close(fd);
}

/* ---- UMEM registration ------------------------------------------------- */

#define AREA_SIZE (64 * 4096)

static int reg(void *area, __u64 len, __u32 chunk, __u32 headroom, __u32 flags, __u32 mdlen,
	       socklen_t optlen)
{
	struct abi_umem_reg mr = {
		.addr = (uintptr_t)area, .len = len, .chunk_size = chunk,
		.headroom = headroom, .flags = flags, .tx_metadata_len = mdlen,
	};
	int fd = xsk_socket_raw(), ret;

	ret = setsockopt(fd, SOL_XDP, XDP_UMEM_REG, &mr, optlen) ? -errno : 0;
	close(fd);
	return ret;
}

#define FULL sizeof(struct abi_umem_reg)

TEST(umem_reg_sizes_chunks_and_flags)
{
	char *area = mmap(NULL, AREA_SIZE + 4096, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char big[64];

	ASSERT_TRUE(area != MAP_FAILED);
	/* Sizes: 24-byte v1, 32-byte full; shorter refused. */
	ASSERT_EQ(reg(area, AREA_SIZE, 4096, 0, 0, 0, 24), 0);
	ASSERT_EQ(reg(area, AREA_SIZE, 4096, 0, 0, 0, FULL), 0);
	ASSERT_EQ(reg(area, AREA_SIZE, 4096, 0, 0, 0, 23), -EINVAL);
	ASSERT_EQ(reg(area, AREA_SIZE, 4096, 0, 0, 0, 0), -EINVAL);
	/* v1 never reads flags: garbage past 24 bytes is ignored. */
	ASSERT_EQ(reg(area, AREA_SIZE, 4096, 0, 0xffffffff, 0xffffffff, 24), 0);
	/* Between v1 and full: read as v1 too. */
	ASSERT_EQ(reg(area, AREA_SIZE, 4096, 0, 0xffffffff, 0, 28), 0);
	/* Longer than the struct, zero-filled: the known part is used. */
	{
		struct abi_umem_reg mr = { .addr = (uintptr_t)area, .len = AREA_SIZE,
					   .chunk_size = 2048 };
		int fd = xsk_socket_raw();

		memset(big, 0, sizeof(big));
		memcpy(big, &mr, sizeof(mr));
		ASSERT_SYS(setsockopt(fd, SOL_XDP, XDP_UMEM_REG, big, sizeof(big)));
		close(fd);
	}

	/* Aligned chunks: powers of two from 2048 to the page size. */
	ASSERT_EQ(reg(area, AREA_SIZE, 2048, 0, 0, 0, FULL), 0);
	ASSERT_EQ(reg(area, AREA_SIZE, 1024, 0, 0, 0, FULL), -EINVAL);
	ASSERT_EQ(reg(area, AREA_SIZE, 8192, 0, 0, 0, FULL), -EINVAL);
	ASSERT_EQ(reg(area, AREA_SIZE, 3072, 0, 0, 0, FULL), -EINVAL);
	ASSERT_EQ(reg(area, AREA_SIZE, 0, 0, 0, 0, FULL), -EINVAL);
	/* Unaligned chunks: any size in that range, and a tail is allowed. */
	ASSERT_EQ(reg(area, AREA_SIZE, 3072, 0, ABI_UMEM_UNALIGNED, 0, FULL), 0);
	ASSERT_EQ(reg(area, AREA_SIZE, 2049, 0, ABI_UMEM_UNALIGNED, 0, FULL), 0);
	ASSERT_EQ(reg(area, AREA_SIZE - 100, 3072, 0, ABI_UMEM_UNALIGNED, 0, FULL), 0);
	ASSERT_EQ(reg(area, AREA_SIZE, 2047, 0, ABI_UMEM_UNALIGNED, 0, FULL), -EINVAL);
	ASSERT_EQ(reg(area, AREA_SIZE, 4097, 0, ABI_UMEM_UNALIGNED, 0, FULL), -EINVAL);
	/* Aligned: the length must be a multiple of the chunk and hold one. */
	ASSERT_EQ(reg(area, AREA_SIZE - 2048, 4096, 0, 0, 0, FULL), -EINVAL);
	ASSERT_EQ(reg(area, AREA_SIZE - 2048, 2048, 0, 0, 0, FULL), 0);
	ASSERT_EQ(reg(area, 0, 2048, 0, 0, 0, FULL), -EINVAL);
	ASSERT_EQ(reg(area, 1024, 2048, 0, ABI_UMEM_UNALIGNED, 0, FULL), -EINVAL);
	/* The address: page-aligned, no wrap-around. */
	ASSERT_EQ(reg(area + 2048, AREA_SIZE, 2048, 0, 0, 0, FULL), -EINVAL);
	ASSERT_EQ(reg(area + 64, AREA_SIZE, 2048, 0, ABI_UMEM_UNALIGNED, 0, FULL), -EINVAL);
	ASSERT_EQ(reg((void *)(uintptr_t)0xfffffffffffff000ull, 0x2000, 4096, 0, 0, 0, FULL),
		  -EINVAL);
	/* Headroom: must leave room for a frame; zero and modest values are fine. */
	ASSERT_EQ(reg(area, AREA_SIZE, 4096, 1024, 0, 0, FULL), 0);
	ASSERT_EQ(reg(area, AREA_SIZE, 4096, 4096, 0, 0, FULL), -EINVAL);
	ASSERT_EQ(reg(area, AREA_SIZE, 2048, 2048, 0, 0, FULL), -EINVAL);
	ASSERT_EQ(reg(area, AREA_SIZE, 2048, 2048 - 256 - 128, 0, 0, FULL), -EINVAL);
	ASSERT_EQ(reg(area, AREA_SIZE, 2048, 0xffffffff, 0, 0, FULL), -EINVAL);
	/* Flags: the three known ones; any other bit is refused. */
	ASSERT_EQ(reg(area, AREA_SIZE, 4096, 0, ABI_UMEM_TX_SW_CSUM, 0, FULL), 0);
	ASSERT_EQ(reg(area, AREA_SIZE, 4096, 0, 1u << 3, 0, FULL), -EINVAL);
	ASSERT_EQ(reg(area, AREA_SIZE, 4096, 0, 1u << 31, 0, FULL), -EINVAL);
	/* tx_metadata_len: with the flag, a multiple of 8 in [16, 256). */
	ASSERT_EQ(reg(area, AREA_SIZE, 4096, 0, ABI_UMEM_TX_METADATA_LEN, 16, FULL), 0);
	ASSERT_EQ(reg(area, AREA_SIZE, 4096, 0, ABI_UMEM_TX_METADATA_LEN, 248, FULL), 0);
	/*
	 * Below 16 (0 and 8): Linux 6.12 refuses them (EINVAL), later kernels
	 * (6.18) accept them; either is the ABI, nothing else.
	 */
	for (int md = 0; md <= 8; md += 8) {
		int r = reg(area, AREA_SIZE, 4096, 0, ABI_UMEM_TX_METADATA_LEN, md, FULL);

		if (r != 0 && r != -EINVAL)
			FAIL("tx_metadata_len %d: %d, expected 0 or -EINVAL", md, r);
		test_log("tx_metadata_len %d with the flag: %s", md, r ? "EINVAL" : "accepted");
	}
	ASSERT_EQ(reg(area, AREA_SIZE, 4096, 0, ABI_UMEM_TX_METADATA_LEN, 20, FULL), -EINVAL);
	ASSERT_EQ(reg(area, AREA_SIZE, 4096, 0, ABI_UMEM_TX_METADATA_LEN, 256, FULL), -EINVAL);
	ASSERT_EQ(reg(area, AREA_SIZE, 4096, 0, ABI_UMEM_TX_METADATA_LEN, 4096, FULL), -EINVAL);
	/* Without the flag the length is not looked at. */
	ASSERT_EQ(reg(area, AREA_SIZE, 4096, 0, 0, 7, FULL), 0);
	/*
	 * Memory that is not mapped cannot be pinned: a hole at the end is
	 * ENOMEM (a partial pin), nothing mapped at all is EFAULT.
	 */
	munmap(area + AREA_SIZE - 4096, 8192);
	ASSERT_EQ(reg(area, AREA_SIZE, 4096, 0, 0, 0, FULL), -ENOMEM);
	ASSERT_EQ(reg(NULL, AREA_SIZE, 4096, 0, 0, 0, FULL), -EFAULT);
	munmap(area, AREA_SIZE - 4096);
}

TEST(umem_reg_once_per_socket)
{
	struct xsk x = { .fd = xsk_socket_raw() };
	struct abi_umem_reg mr;

	ASSERT_OK(xsk_umem_raw(&x, 16, 4096));
	mr = (struct abi_umem_reg){ .addr = (uintptr_t)x.area, .len = x.area_size,
				    .chunk_size = 4096 };
	ASSERT_ERRNO(setsockopt(x.fd, SOL_XDP, XDP_UMEM_REG, &mr, sizeof(mr)), EBUSY);
	/* A short or unreadable second registration: the size and the copy come first. */
	ASSERT_ERRNO(setsockopt(x.fd, SOL_XDP, XDP_UMEM_REG, &mr, 8), EINVAL);
	ASSERT_ERRNO(setsockopt(x.fd, SOL_XDP, XDP_UMEM_REG, NULL, sizeof(mr)), EFAULT);
	xsk_close(&x);
}

static unsigned int memlock_frames;	/* a UMEM of this many pages exceeds the limit */

static void no_ipc_lock(void)
{
	struct xsk x = { .fd = xsk_socket_raw() };
	struct xsk y = { .fd = xsk_socket_raw() };

	/* Beyond RLIMIT_MEMLOCK once pinning is charged: ENOBUFS. */
	ASSERT_EQ(xsk_umem_raw(&x, memlock_frames, 4096), -ENOBUFS);
	/* Well within the limit it works. */
	ASSERT_EQ(xsk_umem_raw(&y, 16, 4096), 0);
	xsk_close(&x);
	xsk_close(&y);
}

TEST(umem_reg_charged_to_memlock_without_cap_ipc_lock)
{
	struct xsk x = { .fd = xsk_socket_raw() };
	struct rlimit rl;

	ASSERT_SYS(getrlimit(RLIMIT_MEMLOCK, &rl));
	if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > (256ull << 20)) {
		test_log("RLIMIT_MEMLOCK is %llu: nothing to exceed, not checked",
			 (unsigned long long)rl.rlim_cur);
		close(x.fd);
		return;
	}
	memlock_frames = rl.rlim_cur / 4096 * 2 + 16;
	/* With CAP_IPC_LOCK it registers. */
	ASSERT_EQ(xsk_umem_raw(&x, memlock_frames, 4096), 0);
	xsk_close(&x);
	in_child_without(1ull << CAP_IPC_LOCK, no_ipc_lock);
}

/* ---- mmap ------------------------------------------------------------------- */

static const struct {
	int opt;
	off_t pgoff;
	size_t esz;
	const char *name;
} rings[4] = {
	{ XDP_RX_RING, XDP_PGOFF_RX_RING, 16, "rx" },
	{ XDP_TX_RING, XDP_PGOFF_TX_RING, 16, "tx" },
	{ XDP_UMEM_FILL_RING, XDP_UMEM_PGOFF_FILL_RING, 8, "fill" },
	{ XDP_UMEM_COMPLETION_RING, XDP_UMEM_PGOFF_COMPLETION_RING, 8, "completion" },
};

TEST(mmap_before_bind)
{
	int fd = xsk_socket_raw(), i;
	void *p;

	/* No ring yet: every offset is EINVAL. */
	for (i = 0; i < 4; i++)
		ASSERT_ERRNO(mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
				  rings[i].pgoff) == MAP_FAILED ? -1 : 0, EINVAL);
	/* Offsets that name no ring. */
	ASSERT_ERRNO(mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 4096) == MAP_FAILED ? -1 : 0,
		     EINVAL);
	ASSERT_ERRNO(mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0x200000000ll) == MAP_FAILED ?
		     -1 : 0, EINVAL);

	for (i = 0; i < 4; i++) {
		struct xdp_mmap_offsets off;
		socklen_t len = sizeof(off);
		__u64 desc, ring_bytes;

		test_log("%s ring", rings[i].name);
		ASSERT_OK(xsk_set_ring(fd, rings[i].opt, 256));
		ASSERT_SYS(getsockopt(fd, SOL_XDP, XDP_MMAP_OFFSETS, &off, &len));
		desc = i == 0 ? off.rx.desc : i == 1 ? off.tx.desc : i == 2 ? off.fr.desc :
			off.cr.desc;
		ring_bytes = desc + 256 * rings[i].esz;
		/* Exactly the ring, and the page-rounded size, map. */
		p = mmap(NULL, ring_bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, rings[i].pgoff);
		ASSERT_TRUE(p != MAP_FAILED);
		munmap(p, ring_bytes);
		p = mmap(NULL, (ring_bytes + 4095) & ~4095ull, PROT_READ | PROT_WRITE, MAP_SHARED,
			 fd, rings[i].pgoff);
		ASSERT_TRUE(p != MAP_FAILED);
		munmap(p, (ring_bytes + 4095) & ~4095ull);
		/* Smaller is fine too; a page more than the ring is EINVAL. */
		p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, rings[i].pgoff);
		ASSERT_TRUE(p != MAP_FAILED);
		munmap(p, 4096);
		ASSERT_ERRNO(mmap(NULL, ((ring_bytes + 4095) & ~4095ull) + 4096, PROT_READ,
				  MAP_SHARED, fd, rings[i].pgoff) == MAP_FAILED ? -1 : 0, EINVAL);
		/* An offset inside the ring is not a ring. */
		ASSERT_ERRNO(mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd,
				  rings[i].pgoff + 4096) == MAP_FAILED ? -1 : 0, EINVAL);
	}
	close(fd);
}
