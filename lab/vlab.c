// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>

#include "vlab.h"

extern char **environ;

int vlab_run(const char *const argv[])
{
	posix_spawn_file_actions_t fa;
	int status, err;
	pid_t pid;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
	err = posix_spawnp(&pid, argv[0], &fa, NULL, (char *const *)argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (err)
		return -1;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int vlab_runf(const char *fmt, ...)
{
	const char *argv[64];
	char buf[1024], *save, *tok;
	unsigned int n = 0;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	for (tok = strtok_r(buf, " ", &save); tok && n < 63; tok = strtok_r(NULL, " ", &save))
		argv[n++] = tok;
	argv[n] = NULL;
	return vlab_run(argv);
}

static int host_nsfd = -1;

int vlab_enter_host(void)
{
	if (host_nsfd < 0)
		return 0;
	return setns(host_nsfd, CLONE_NEWNET) ? -errno : 0;
}

int vlab_enter(const struct vlab *l, int side)
{
	if (host_nsfd < 0)
		host_nsfd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (l->nsfd[side] < 0)
		return -EBADF;
	return setns(l->nsfd[side], CLONE_NEWNET) ? -errno : 0;
}

static int netns_open(const char *name)
{
	char path[128];

	snprintf(path, sizeof(path), "/run/netns/%s", name);
	return open(path, O_RDONLY | O_CLOEXEC);
}

static void write_file(const char *path, const char *value)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return;
	if (write(fd, value, strlen(value)) < 0)
		fprintf(stderr, "vlab: writing %s failed: %s\n", path, strerror(errno));
	close(fd);
}

/* Net sysctls are per namespace: those of the namespace we are in. */
static int quiet_ipv6(const struct vlab *l, int side)
{
	int err = vlab_enter(l, side);

	if (err)
		return err;
	write_file("/proc/sys/net/ipv6/conf/all/disable_ipv6", "1");
	write_file("/proc/sys/net/ipv6/conf/default/disable_ipv6", "1");
	return vlab_enter_host();
}

int vlab_open(struct vlab *l, const char *ns_a, const char *ns_b)
{
	memset(l, 0, sizeof(*l));
	snprintf(l->ns[0], sizeof(l->ns[0]), "%s", ns_a);
	snprintf(l->ns[1], sizeof(l->ns[1]), "%s", ns_b);
	snprintf(l->ifname[0], sizeof(l->ifname[0]), "vxa");
	snprintf(l->ifname[1], sizeof(l->ifname[1]), "vxb");
	l->nsfd[0] = netns_open(l->ns[0]);
	l->nsfd[1] = netns_open(l->ns[1]);
	if (l->nsfd[0] < 0 || l->nsfd[1] < 0) {
		fprintf(stderr, "vlab: opening namespaces %s and %s failed: %s\n", ns_a, ns_b,
			strerror(errno));
		return -1;
	}
	return 0;
}

int vlab_create(struct vlab *l, const char *prefix, const char *tag, unsigned int queues,
		unsigned int mtu)
{
	char a[48], b[48];

	snprintf(a, sizeof(a), "%s-%d-%s-a", prefix, (int)getpid(), tag);
	snprintf(b, sizeof(b), "%s-%d-%s-b", prefix, (int)getpid(), tag);
	memset(l, 0, sizeof(*l));
	l->nsfd[0] = l->nsfd[1] = -1;
	if (vlab_runf("ip netns add %s", a) || vlab_runf("ip netns add %s", b) ||
	    vlab_open(l, a, b))
		goto fail;
	l->queues = queues ? queues : 1;
	l->mtu = mtu ? mtu : 1500;
	if (quiet_ipv6(l, VLAB_A) || quiet_ipv6(l, VLAB_B))
		goto fail;
	if (vlab_runf("ip -n %s link add %s numtxqueues %u numrxqueues %u type veth peer name "
		      "%s netns %s numtxqueues %u numrxqueues %u", a, l->ifname[0], l->queues,
		      l->queues, l->ifname[1], b, l->queues, l->queues) ||
	    vlab_runf("ip -n %s link set %s mtu %u up", a, l->ifname[0], l->mtu) ||
	    vlab_runf("ip -n %s link set %s mtu %u up", b, l->ifname[1], l->mtu))
		goto fail;
	return 0;
fail:
	fprintf(stderr, "vlab: creating the veth lab %s/%s failed\n", a, b);
	snprintf(l->ns[0], sizeof(l->ns[0]), "%s", a);
	snprintf(l->ns[1], sizeof(l->ns[1]), "%s", b);
	vlab_destroy(l);
	return -1;
}

static int mac_of(const char *ifname, unsigned char *mac)
{
	struct ifreq ifr = { 0 };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), err;

	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	err = fd < 0 ? -1 : ioctl(fd, SIOCGIFHWADDR, &ifr);
	if (fd >= 0)
		close(fd);
	if (!err)
		memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	return err;
}

int vlab_learn(struct vlab *l)
{
	int side;

	for (side = VLAB_B; side >= VLAB_A; side--) {
		if (vlab_enter(l, side))
			return -1;
		l->ifindex[side] = if_nametoindex(l->ifname[side]);
		if (!l->ifindex[side] || mac_of(l->ifname[side], l->mac[side]))
			return -1;
	}
	return 0;	/* in A */
}

void vlab_destroy(struct vlab *l)
{
	int side;

	for (side = 0; side < 2; side++) {
		if (l->nsfd[side] >= 0)
			close(l->nsfd[side]);
		l->nsfd[side] = -1;
		if (l->ns[side][0])
			vlab_runf("ip netns del %s", l->ns[side]);
		l->ns[side][0] = '\0';
	}
}

void vlab_sweep_stale(const char *prefix)
{
	size_t plen = strlen(prefix);
	DIR *d = opendir("/run/netns");
	struct dirent *de;

	if (!d)
		return;
	while ((de = readdir(d))) {
		int pid;

		if (strncmp(de->d_name, prefix, plen) || de->d_name[plen] != '-')
			continue;
		if (sscanf(de->d_name + plen + 1, "%d-", &pid) == 1 && pid > 0 &&
		    kill(pid, 0) && errno == ESRCH)
			vlab_runf("ip netns del %s", de->d_name);
	}
	closedir(d);
}

int vlab_set_gro(const char *ifname, bool on)
{
	struct ethtool_value ev = { .cmd = ETHTOOL_SGRO, .data = on };
	struct ifreq ifr = { 0 };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), err;

	if (fd < 0)
		return -errno;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	ifr.ifr_data = (void *)&ev;
	err = ioctl(fd, SIOCETHTOOL, &ifr) ? -errno : 0;
	close(fd);
	return err;
}
