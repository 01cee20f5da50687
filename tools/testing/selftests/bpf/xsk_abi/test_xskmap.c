// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* BPF_MAP_TYPE_XSKMAP from user space: creation, updates, lookups, lifetime. */
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/bpf.h>

#include <bpf/bpf.h>

#include "abi_util.h"

static int xdp_in_use(void)
{
	FILE *f = fopen("/proc/net/protocols", "r");
	char line[512], name[32];
	int size, n = -1;

	ASSERT_PTR(f);
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%31s %d %d", name, &size, &n) == 3 && !strcmp(name, "XDP"))
			break;
	fclose(f);
	return n;
}

/* A libbpf call's result as -errno (libbpf returns -errno and sets errno). */
#define LERR(expr) ({ errno = 0; long __r = (expr); __r < 0 ? -errno : __r; })

/* BPF_MAP_GET_NEXT_KEY with the whole attr zeroed (libbpf's short attr upsets valgrind). */
static int next_key(int map, const __u32 *key, __u32 *next)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_fd = map;
	attr.key = (uintptr_t)key;
	attr.next_key = (uintptr_t)next;
	return syscall(SYS_bpf, BPF_MAP_GET_NEXT_KEY, &attr, sizeof(attr));
}

static int update(int map, __u32 key, int fd, __u64 flags)
{
	__u32 v = fd;

	return bpf_map_update_elem(map, &key, &v, flags) ? -errno : 0;
}

TEST(xskmap_create_update_delete, .veth = true)
{
	LIBBPF_OPTS(bpf_map_create_opts, nopre, .map_flags = BPF_F_NO_PREALLOC);
	int map, a = xsk_socket_raw(), b = xsk_socket_raw(), udp, devnull;
	__u32 key, next, v;

	/* Keys and values are 4 bytes, at least one entry, no other flags. */
	ASSERT_EQ(LERR(bpf_map_create(BPF_MAP_TYPE_XSKMAP, NULL, 8, 4, 4, NULL)), -EINVAL);
	ASSERT_EQ(LERR(bpf_map_create(BPF_MAP_TYPE_XSKMAP, NULL, 4, 8, 4, NULL)), -EINVAL);
	ASSERT_EQ(LERR(bpf_map_create(BPF_MAP_TYPE_XSKMAP, NULL, 4, 4, 0, NULL)), -EINVAL);
	ASSERT_EQ(LERR(bpf_map_create(BPF_MAP_TYPE_XSKMAP, NULL, 4, 4, 4, &nopre)), -EINVAL);
	map = bpf_map_create(BPF_MAP_TYPE_XSKMAP, NULL, 4, 4, 4, NULL);
	ASSERT_GE(map, 0);

	/* What may go in: AF_XDP sockets (bound or not), at an existing index. */
	ASSERT_EQ(update(map, 4, a, BPF_ANY), -E2BIG);
	ASSERT_EQ(update(map, 0, 9999, BPF_ANY), -EBADF);
	devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
	ASSERT_EQ(update(map, 0, devnull, BPF_ANY), -ENOTSOCK);
	udp = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	ASSERT_EQ(update(map, 0, udp, BPF_ANY), -EOPNOTSUPP);
	ASSERT_EQ(update(map, 0, a, BPF_EXIST + 1), -EINVAL);
	ASSERT_EQ(update(map, 0, a, BPF_EXIST), -ENOENT);
	ASSERT_FALSE(xskmap_has(map, 0));
	ASSERT_EQ(update(map, 0, a, BPF_NOEXIST), 0);
	ASSERT_TRUE(xskmap_has(map, 0));
	ASSERT_EQ(update(map, 0, b, BPF_NOEXIST), -EEXIST);
	/* The same socket again is not a conflict. */
	ASSERT_EQ(update(map, 0, a, BPF_NOEXIST), 0);
	ASSERT_EQ(update(map, 0, b, BPF_EXIST), 0);
	ASSERT_EQ(update(map, 1, a, BPF_ANY), 0);
	ASSERT_EQ(update(map, 2, a, BPF_ANY), 0);

	/* User space cannot read sockets back. */
	key = 0;
	ASSERT_EQ(LERR(bpf_map_lookup_elem(map, &key, &v)), -EOPNOTSUPP);
	key = 9;
	ASSERT_EQ(LERR(bpf_map_lookup_elem(map, &key, &v)), -EOPNOTSUPP);
	/* Keys: 0 first (after an index out of range), ENOENT after the last. */
	key = 0xffffffff;
	ASSERT_SYS(next_key(map, &key, &next));
	ASSERT_EQ(next, 0);
	key = 2;
	ASSERT_SYS(next_key(map, &key, &next));
	ASSERT_EQ(next, 3);
	key = 3;
	ASSERT_ERRNO(next_key(map, &key, &next), ENOENT);
	/* Delete: any index in range, empty or not. */
	key = 4;
	ASSERT_EQ(LERR(bpf_map_delete_elem(map, &key)), -EINVAL);
	key = 3;
	ASSERT_SYS(bpf_map_delete_elem(map, &key));
	key = 2;
	ASSERT_SYS(bpf_map_delete_elem(map, &key));
	ASSERT_FALSE(xskmap_has(map, 2));
	ASSERT_TRUE(xskmap_has(map, 1));

	/* Closing a socket takes it out of every slot; the map holds no reference. */
	ASSERT_EQ(update(map, 3, a, BPF_ANY), 0);
	ASSERT_EQ(xdp_in_use(), 2);
	close(a);
	ASSERT_EQ(xdp_in_use(), 1);
	ASSERT_FALSE(xskmap_has(map, 1));
	ASSERT_FALSE(xskmap_has(map, 3));
	ASSERT_TRUE(xskmap_has(map, 0));
	/* The map going first is fine too. */
	close(map);
	ASSERT_EQ(xdp_in_use(), 1);
	close(b);
	ASSERT_EQ(xdp_in_use(), 0);
	close(udp);
	close(devnull);
}
