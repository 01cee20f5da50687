// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The default program's lifetime: shared by the sockets of a process and
 * across processes, detached when the last user goes (even by SIGKILL),
 * never replacing a program it did not load; create/destroy churn; and
 * the split between a privileged helper and an application that has only
 * CAP_NET_RAW.
 */
#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/bpf.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "harness.h"
#include "test_util.h"

#define N 128

/* ---- talking to a child ------------------------------------------------- */

struct child {
	pid_t pid;
	int to_child;		/* parent writes */
	int from_child;		/* parent reads */
};

static void put_word(int fd, long v)
{
	if (write(fd, &v, sizeof(v)) != sizeof(v))
		FAIL("pipe write: %s", strerror(errno));
}

static long get_word(int fd)
{
	long v;

	if (read(fd, &v, sizeof(v)) != sizeof(v))
		FAIL("pipe read: the other side went away");
	return v;
}

/* Fork; in the child, run @fn(to_parent, from_parent) and exit with its result. */
static void child_start(struct child *c, int (*fn)(int out, int in))
{
	int down[2], up[2];

	ASSERT_OK(pipe2(down, O_CLOEXEC));
	ASSERT_OK(pipe2(up, O_CLOEXEC));
	fflush(NULL);
	c->pid = fork();
	ASSERT_GE(c->pid, 0);
	if (c->pid == 0) {
		close(down[1]);
		close(up[0]);
		exit(fn(up[1], down[0]));
	}
	close(down[0]);
	close(up[1]);
	c->to_child = down[1];
	c->from_child = up[0];
}

static int child_finish(struct child *c)
{
	int status;

	close(c->to_child);
	close(c->from_child);
	ASSERT_EQ(waitpid(c->pid, &status, 0), c->pid);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* ---- tests ---------------------------------------------------------------- */

TEST(prog_shared_by_the_sockets_of_a_process, .veth = true, .queues = 2)
{
	struct xsk_ring_prod fill1;
	struct xsk_ring_cons comp1, rx1;
	struct xsk_socket *s1;
	struct fixture f;
	struct xsk_socket_config cfg = socket_config(0, 0, 0);
	__u32 id;

	fixture_umem(&f, 2048, 0, 0);
	fixture_socket(&f, 0, true, false, 0, 0);
	id = xdp_prog_id(env.ifindex_a);
	ASSERT_NE(id, 0);
	ASSERT_OK(xsk_socket__create_shared(&s1, env.if_a, 1, f.umem, &rx1, NULL, &fill1, &comp1,
					    &cfg));
	ASSERT_EQ(xdp_prog_id(env.ifindex_a), id);
	xsk_socket__delete(f.xsk);
	f.xsk = NULL;
	ASSERT_EQ(xdp_prog_id(env.ifindex_a), id);	/* s1 still uses it */
	xsk_socket__delete(s1);
	ASSERT_EQ(xdp_prog_id(env.ifindex_a), 0);
	fixture_destroy(&f);
}

/* A second process: its own UMEM and socket on queue 1. */
static int second_process(int out, int in)
{
	struct fixture f;

	get_word(in);				/* the parent's socket exists */
	fixture_umem(&f, 1024, 0, 0);
	fixture_socket(&f, 1, true, false, 0, 0);
	put_word(out, xdp_prog_id(env.ifindex_a));
	get_word(in);				/* the parent is gone */
	put_word(out, xdp_prog_id(env.ifindex_a));
	fixture_destroy(&f);
	return 0;
}

TEST(prog_reused_by_another_process, .veth = true, .queues = 2)
{
	struct fixture f;
	struct child c;
	__u32 id;

	/* Forked first, so the child starts with no knowledge of ours. */
	child_start(&c, second_process);
	fixture_umem(&f, 1024, 0, 0);
	fixture_socket(&f, 0, true, false, 0, 0);
	id = xdp_prog_id(env.ifindex_a);
	put_word(c.to_child, 1);
	ASSERT_EQ(get_word(c.from_child), id);	/* reused, not a second load */

	fixture_destroy(&f);
	ASSERT_EQ(xdp_prog_id(env.ifindex_a), id);	/* the child holds it now */
	put_word(c.to_child, 1);
	ASSERT_EQ(get_word(c.from_child), id);
	ASSERT_EQ(child_finish(&c), 0);
	ASSERT_EQ(xdp_prog_id(env.ifindex_a), 0);
}

static unsigned int child_queue;

static int bound_then_wait(int out, int in)
{
	struct fixture f;

	fixture_umem(&f, 1024, 0, 0);
	fixture_socket(&f, child_queue, true, true, 0, 0);
	put_word(out, xdp_prog_id(env.ifindex_a));
	get_word(in);				/* killed before this returns */
	return 3;
}

TEST(prog_detached_when_the_process_is_killed, .veth = true)
{
	struct fixture f;
	struct child c;
	int status;

	child_start(&c, bound_then_wait);
	ASSERT_NE(get_word(c.from_child), 0);
	ASSERT_NE(xdp_prog_id(env.ifindex_a), 0);
	kill(c.pid, SIGKILL);
	ASSERT_EQ(waitpid(c.pid, &status, 0), c.pid);
	ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	close(c.to_child);
	close(c.from_child);
	ASSERT_EQ(xdp_prog_id(env.ifindex_a), 0);

	/* The queue is free again at once. */
	fixture_umem(&f, 1024, 0, 0);
	fixture_socket(&f, 0, true, false, 0, 0);
	fixture_destroy(&f);
}

TEST(prog_kept_while_another_process_uses_it, .veth = true, .queues = 2)
{
	struct fixture f, q0;
	struct child c;
	int status;
	__u32 id;

	fixture_umem(&f, 2048, 0, 0);
	fixture_socket(&f, 0, true, false, 0, 0);
	fixture_fill(&f, &f.fill, 1024);
	id = xdp_prog_id(env.ifindex_a);
	child_queue = 1;
	child_start(&c, bound_then_wait);	/* its own UMEM and socket, on queue 1 */
	ASSERT_EQ(get_word(c.from_child), id);
	kill(c.pid, SIGKILL);
	waitpid(c.pid, &status, 0);
	close(c.to_child);
	close(c.from_child);
	ASSERT_EQ(xdp_prog_id(env.ifindex_a), id);
	/* Still redirecting: frames for queue 0 reach our socket. */
	sender_open(&q0, 0);
	ASSERT_EQ(fixture_tx(&q0, N, 64, 0, 5000), N);
	ASSERT_EQ(fixture_rx(&f, N, 64, 5000, NULL, 0), N);
	sender_close(&q0);
	fixture_destroy(&f);
	ASSERT_EQ(xdp_prog_id(env.ifindex_a), 0);
}

/* XDP_PASS, loaded by "somebody else". */
static int foreign_prog_load(void)
{
	struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = XDP_PASS },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	int fd = bpf_prog_load(BPF_PROG_TYPE_XDP, "foreign_prog", "GPL", insns, 2, NULL);

	ASSERT_GE(fd, 0);
	return fd;
}

TEST(foreign_prog_is_never_replaced, .veth = true)
{
	struct fixture f;
	struct xsk_socket_config cfg = socket_config(0, 0, 0);
	struct xsk_socket *s = NULL;
	int fd = foreign_prog_load();
	__u32 id;

	ASSERT_OK(bpf_xdp_attach(env.ifindex_a, fd, XDP_FLAGS_DRV_MODE, NULL));
	id = xdp_prog_id(env.ifindex_a);
	fixture_umem(&f, 1024, 0, 0);

	msg_reset();
	ASSERT_EQ(xsk_socket__create(&s, env.if_a, 0, f.umem, &f.rx, NULL, &cfg), -EBUSY);
	ASSERT_MSG("interface vxa already runs XDP program 'foreign_prog'");
	ASSERT_TRUE(s == NULL);
	ASSERT_EQ(xdp_prog_id(env.ifindex_a), id);
	cfg.xdp_flags = XDP_FLAGS_SKB_MODE;
	ASSERT_EQ(xsk_socket__create(&s, env.if_a, 0, f.umem, &f.rx, NULL, &cfg), -EBUSY);
	ASSERT_EQ(xdp_prog_id(env.ifindex_a), id);

	/* With INHIBIT_PROG_LOAD the application brings its own program. */
	cfg = socket_config(0, 0, XSK_LIBXDP_FLAGS__INHIBIT_PROG_LOAD);
	ASSERT_OK(xsk_socket__create(&s, env.if_a, 0, f.umem, &f.rx, NULL, &cfg));
	xsk_socket__delete(s);
	ASSERT_EQ(xdp_prog_id(env.ifindex_a), id);

	ASSERT_OK(bpf_xdp_detach(env.ifindex_a, XDP_FLAGS_DRV_MODE, NULL));
	close(fd);
	fixture_destroy(&f);
}

TEST(prog_mode_conflict_is_refused, .veth = true, .queues = 2)
{
	struct xsk_ring_prod fill1;
	struct xsk_ring_cons comp1, rx1;
	struct xsk_socket *s1 = NULL;
	struct fixture f;
	struct xsk_socket_config cfg = socket_config(XDP_FLAGS_DRV_MODE, 0, 0);

	fixture_umem(&f, 1024, 0, 0);
	fixture_socket(&f, 0, true, false, XDP_FLAGS_SKB_MODE, 0);
	ASSERT_EQ(xsk_socket__create_shared(&s1, env.if_a, 1, f.umem, &rx1, NULL, &fill1, &comp1,
					    &cfg), -EBUSY);
	ASSERT_MSG("runs in SKB mode, not the native mode");
	/* No mode asked for: whatever runs is fine. */
	cfg.xdp_flags = 0;
	ASSERT_OK(xsk_socket__create_shared(&s1, env.if_a, 1, f.umem, &rx1, NULL, &fill1, &comp1,
					    &cfg));
	xsk_socket__delete(s1);
	fixture_destroy(&f);
}

TEST(cycles_200_umem_and_socket, .veth = true, .timeout = 120)
{
	int fds = count_open_fds(), i;

	for (i = 0; i < 200; i++) {
		struct fixture f;

		fixture_umem(&f, 256, 0, 0);
		fixture_socket(&f, 0, true, true, 0, 0);
		ASSERT_NE(xdp_prog_id(env.ifindex_a), 0);
		fixture_destroy(&f);
		ASSERT_EQ(xdp_prog_id(env.ifindex_a), 0);
		ASSERT_EQ(count_open_fds(), fds);
	}
}

TEST(cycles_200_sockets_on_one_umem, .veth = true, .timeout = 120)
{
	struct fixture f;
	int peer = peer_open(), fds, i;

	fixture_umem(&f, 1024, 0, 0);
	fds = count_open_fds();
	for (i = 0; i < 200; i++) {
		fixture_socket(&f, 0, true, true, i % 2 ? XDP_FLAGS_SKB_MODE : 0, 0);
		if (i % 50 == 0) {
			/* The UMEM is registered afresh each time: it must work. */
			fixture_fill(&f, &f.fill, 512);
			peer_send(peer, 16, 64, 0);
			ASSERT_EQ(fixture_rx(&f, 16, 64, 3000, NULL, 0), 16);
		}
		xsk_socket__delete(f.xsk);
		f.xsk = NULL;
		ASSERT_EQ(xdp_prog_id(env.ifindex_a), 0);
		ASSERT_EQ(count_open_fds(), fds);
		/* Every frame is the application's again. */
		f.nr_free = 0;
		for (unsigned int k = 0; k < f.nframes; k++)
			f.free_addrs[f.nr_free++] = fixture_frame_addr(&f, k);
	}
	fixture_destroy(&f);
	close(peer);
}

TEST(setup_xdp_prog_and_release, .veth = true)
{
	struct bpf_map_info info = { 0 };
	__u32 len = sizeof(info), id;
	struct fixture f;
	int map_fd = -1;

	ASSERT_OK(xsk_setup_xdp_prog(env.ifindex_a, &map_fd));
	ASSERT_GE(map_fd, 0);
	ASSERT_OK(bpf_obj_get_info_by_fd(map_fd, &info, &len));
	ASSERT_EQ(info.type, BPF_MAP_TYPE_XSKMAP);
	id = xdp_prog_id(env.ifindex_a);
	ASSERT_NE(id, 0);

	/* A socket reuses it; the program outlives the release while used. */
	fixture_umem(&f, 1024, 0, 0);
	fixture_socket(&f, 0, true, false, 0, 0);
	ASSERT_EQ(xdp_prog_id(env.ifindex_a), id);
	ASSERT_OK(xsk_release_xdp_prog(env.ifindex_a));
	ASSERT_EQ(xdp_prog_id(env.ifindex_a), id);
	fixture_destroy(&f);
	ASSERT_EQ(xdp_prog_id(env.ifindex_a), 0);
	ASSERT_EQ(xsk_release_xdp_prog(env.ifindex_a), -ENOENT);
	ASSERT_MSG("no xsk_setup_xdp_prog() hold");

	/* Twice set up, once released: one hold per interface. */
	ASSERT_OK(xsk_setup_xdp_prog(env.ifindex_a, NULL));
	ASSERT_OK(xsk_setup_xdp_prog(env.ifindex_a, NULL));
	ASSERT_OK(xsk_release_xdp_prog(env.ifindex_a));
	ASSERT_EQ(xdp_prog_id(env.ifindex_a), 0);
	close(map_fd);
}

/* ---- a privileged helper and an application with CAP_NET_RAW only -------- */

static void send_fd(int sock, int fd)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 }, byte = 1;
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
			      .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);

	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	if (sendmsg(sock, &msg, 0) != 1)
		FAIL("sending an fd: %s", strerror(errno));
}

static int recv_fd(int sock)
{
	char cbuf[CMSG_SPACE(sizeof(int))], byte;
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
			      .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cm;
	int fd;

	if (recvmsg(sock, &msg, MSG_CMSG_CLOEXEC) != 1)
		FAIL("receiving an fd: %s", strerror(errno));
	cm = CMSG_FIRSTHDR(&msg);
	ASSERT_TRUE(cm && cm->cmsg_type == SCM_RIGHTS);
	memcpy(&fd, CMSG_DATA(cm), sizeof(int));
	return fd;
}

static int unix_sock[2];
static int nonpriv_map_fd = -1;

static int unprivileged_app(int out, int in)
{
	struct xsk_socket_config cfg = socket_config(0, XDP_USE_NEED_WAKEUP,
						     XSK_LIBXDP_FLAGS__INHIBIT_PROG_LOAD);
	struct fixture f;
	int err;

	drop_to_net_raw();
	/* 1 MiB, pinned and charged to RLIMIT_MEMLOCK: no CAP_IPC_LOCK now. */
	fixture_umem(&f, 256, 0, 0);
	ASSERT_OK(xsk_socket__create(&f.xsk, env.if_a, 0, f.umem, &f.rx, NULL, &cfg));
	fixture_fill(&f, &f.fill, 256);

	/*
	 * Inserting into an existing map needs no privilege since Linux 6.5;
	 * before, kernel.unprivileged_bpf_disabled closed bpf() entirely.
	 */
	err = xsk_socket__update_xskmap(f.xsk, nonpriv_map_fd);
	put_word(out, err);
	if (err) {
		ASSERT_EQ(err, -EPERM);
		ASSERT_MSG("unprivileged_bpf_disabled");
		send_fd(unix_sock[1], xsk_socket__fd(f.xsk));
	}
	get_word(in);				/* traffic is on its way */
	put_word(out, fixture_rx(&f, N, 64, 5000, NULL, 0));
	get_word(in);
	fixture_destroy(&f);
	return 0;
}

TEST(nonprivileged_app_with_privileged_helper, .veth = true)
{
	struct child c;
	int peer = peer_open(), disabled = 0;
	long err;
	FILE *sysctl = fopen("/proc/sys/kernel/unprivileged_bpf_disabled", "r");
	struct utsname uts;
	int major = 0, minor = 0;
	bool closed;

	if (sysctl) {
		if (fscanf(sysctl, "%d", &disabled) != 1)
			disabled = 0;
		fclose(sysctl);
	}
	uname(&uts);
	sscanf(uts.release, "%d.%d", &major, &minor);
	closed = disabled && (major < 6 || (major == 6 && minor < 5));
	/* The privileged side: program and map. */
	ASSERT_OK(xsk_setup_xdp_prog(env.ifindex_a, &nonpriv_map_fd));
	ASSERT_OK(socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, unix_sock));

	child_start(&c, unprivileged_app);
	err = get_word(c.from_child);
	test_log("kernel %s, unprivileged_bpf_disabled=%d: the application's own update gave %ld",
		 uts.release, disabled, err);
	ASSERT_EQ(err, closed ? -EPERM : 0);
	if (err) {
		/* The helper inserts the socket the application sent it. */
		int xfd = recv_fd(unix_sock[0]);
		__u32 key = 0;

		ASSERT_OK(bpf_map_update_elem(nonpriv_map_fd, &key, &xfd, 0));
		close(xfd);
	}
	peer_send(peer, N, 64, 0);
	put_word(c.to_child, 1);
	ASSERT_EQ(get_word(c.from_child), N);
	put_word(c.to_child, 1);
	ASSERT_EQ(child_finish(&c), 0);

	ASSERT_OK(xsk_release_xdp_prog(env.ifindex_a));
	ASSERT_EQ(xdp_prog_id(env.ifindex_a), 0);
	close(nonpriv_map_fd);
	close(unix_sock[0]);
	close(unix_sock[1]);
	close(peer);
}

static int unprivileged_big_umem(int out, int in)
{
	size_t size = 16 << 20;		/* twice the 8 MiB limit */
	struct xsk_ring_prod fill;
	struct xsk_ring_cons comp;
	struct xsk_umem *umem = NULL;
	void *area;
	int err;

	drop_to_net_raw();
	area = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(area != MAP_FAILED);
	msg_reset();
	err = xsk_umem__create(&umem, area, size, &fill, &comp, NULL);
	put_word(out, err);
	put_word(out, msg_contains("RLIMIT_MEMLOCK"));
	munmap(area, size);
	return 0;
}

TEST(umem_pinning_is_charged_to_memlock_without_cap_ipc_lock)
{
	struct child c;

	child_start(&c, unprivileged_big_umem);
	ASSERT_EQ(get_word(c.from_child), -ENOBUFS);
	ASSERT_TRUE(get_word(c.from_child));
	ASSERT_EQ(child_finish(&c), 0);
}
