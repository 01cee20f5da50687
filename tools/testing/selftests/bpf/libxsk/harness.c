// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The test runner.
 *
 *   libxsk_test [--list] [--wrap "CMD ARGS"] [PATTERN...]
 *
 * PATTERNs select tests by name (shell globs; a plain word matches as a
 * substring).  --wrap runs each test child under a command, e.g. valgrind:
 * the child is then exec'd as "CMD ARGS libxsk_test --run-one NAME".
 *
 * Per test, the parent: creates the namespaces and veth the test asks
 * for, starts the child, enforces the timeout, checks that no XDP program
 * was left attached, and deletes the namespaces.
 */
#include <dirent.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <net/if.h>
#include <signal.h>
#include <stdarg.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/if_link.h>

#include <bpf/libbpf.h>
#ifndef HARNESS_NO_LIBXSK	/* suites that do not link libxsk (xsk_abi) */
#include <libxsk/xsk.h>
#endif

#include "harness.h"
#include "vlab.h"

struct test_env env;

static struct test_case *tests;
static unsigned int nr_tests;
static volatile sig_atomic_t interrupted;	/* SIGINT/SIGTERM to the runner */
static const char *self_path;
static const char *current_test = "?";

void test_register(struct test_case *tc)
{
	struct test_case **pp = &tests;

	/* Keep the order of definition (constructors run in that order). */
	while (*pp)
		pp = &(*pp)->next;
	*pp = tc;
	nr_tests++;
}

/* ---- messages and assertions ---------------------------------------- */

static char msgs[16][512];
static unsigned int msg_next;

#ifndef HARNESS_NO_LIBXSK
static int msg_capture(enum libxsk_print_level level, const char *fmt, va_list ap)
{
	char *slot = msgs[msg_next++ % 16];

	vsnprintf(slot, sizeof(msgs[0]), fmt, ap);
	slot[strcspn(slot, "\n")] = '\0';
	if (getenv("LIBXSK_TEST_VERBOSE"))
		fprintf(stderr, "    [%s] %s\n", level == LIBXSK_WARN ? "warn" : "info", slot);
	return 0;
}
#endif

void msg_reset(void)
{
	memset(msgs, 0, sizeof(msgs));
	msg_next = 0;
}

const char *msg_last(void)
{
	return msg_next ? msgs[(msg_next - 1) % 16] : "(none)";
}

bool msg_contains(const char *needle)
{
	unsigned int i;

	for (i = 0; i < 16; i++)
		if (strstr(msgs[i], needle))
			return true;
	return false;
}

void test_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "    FAIL %s at %s:%d: ", current_test, file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fflush(stderr);
	_exit(1);
}

void test_log(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "    # ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* ---- small utilities -------------------------------------------------- */

uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int count_open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	int n = 0;

	if (!d)
		return -1;
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n - 1;	/* the directory's own fd */
}

int count_socket_maps(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];
	int n = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strstr(line, "socket:["))
			n++;
	fclose(f);
	return n;
}

int run_cmd(const char *const argv[])
{
	return vlab_run(argv);
}

int run_cmdf(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return vlab_runf("%s", buf);
}

/* ---- the network environment ------------------------------------------ */

static struct vlab lab = { .nsfd = { -1, -1 } };

static void enter_or_die(int side)
{
	int err = vlab_enter(&lab, side);

	if (err) {
		fprintf(stderr, "harness: entering netns %s failed: %s\n", lab.ns[side],
			strerror(-err));
		_exit(2);
	}
}

void env_enter_a(void)
{
	enter_or_die(VLAB_A);
}

void env_enter_b(void)
{
	enter_or_die(VLAB_B);
}

static void env_reset(const struct test_case *tc)
{
	memset(&env, 0, sizeof(env));
	env.nsfd_a = env.nsfd_b = -1;
	env.queues = tc->queues ? tc->queues : 1;
	env.mtu = tc->mtu ? tc->mtu : 1500;
}

/* Copy what a test reads from the lab into env. */
static void env_from_lab(void)
{
	snprintf(env.ns_a, sizeof(env.ns_a), "%s", lab.ns[VLAB_A]);
	snprintf(env.ns_b, sizeof(env.ns_b), "%s", lab.ns[VLAB_B]);
	snprintf(env.if_a, sizeof(env.if_a), "%s", lab.ifname[VLAB_A]);
	snprintf(env.if_b, sizeof(env.if_b), "%s", lab.ifname[VLAB_B]);
	env.nsfd_a = lab.nsfd[VLAB_A];
	env.nsfd_b = lab.nsfd[VLAB_B];
	env.ifindex_a = lab.ifindex[VLAB_A];
	env.ifindex_b = lab.ifindex[VLAB_B];
	memcpy(env.mac_a, lab.mac[VLAB_A], 6);
	memcpy(env.mac_b, lab.mac[VLAB_B], 6);
}

static void env_destroy(void)
{
	vlab_destroy(&lab);
	env.nsfd_a = env.nsfd_b = -1;
}

static int env_create(const struct test_case *tc, unsigned int serial)
{
	char tag[16];

	env_reset(tc);
	if (!tc->veth)
		return 0;
	snprintf(tag, sizeof(tag), "%u", serial);
	if (vlab_create(&lab, "lxt", tag, env.queues, env.mtu))
		return -1;
	env_from_lab();
	return 0;
}

/* In the child: learn indexes and MACs, then settle in namespace A. */
static void env_child_setup(void)
{
	if (lab.nsfd[VLAB_A] < 0)
		return;
	if (vlab_learn(&lab)) {
		fprintf(stderr, "harness: the veth ends are missing\n");
		_exit(2);
	}
	env_from_lab();
}

/* In the parent, after the child: is an XDP program left on the veth? */
static int env_leftover_progs(void)
{
	int left = 0, side;

	if (lab.nsfd[VLAB_A] < 0)
		return 0;
	for (side = VLAB_A; side <= VLAB_B; side++) {
		LIBBPF_OPTS(bpf_xdp_query_opts, q);
		int ifindex;

		enter_or_die(side);
		ifindex = if_nametoindex(lab.ifname[side]);
		if (ifindex && !bpf_xdp_query(ifindex, 0, &q) && q.attach_mode) {
			fprintf(stderr, "    FAIL %s: an XDP program (id %u) is still attached to %s\n",
				current_test, q.prog_id ? q.prog_id : q.skb_prog_id,
				lab.ifname[side]);
			left++;
		}
	}
	vlab_enter_host();
	return left;
}

/* ---- running tests ------------------------------------------------------ */

static void run_in_child(const struct test_case *tc)
{
	int fds, maps;

	current_test = tc->name;
	env_child_setup();
#ifndef HARNESS_NO_LIBXSK
	libxsk_set_print(msg_capture);
#endif
	fds = count_open_fds();
	maps = count_socket_maps();
	tc->fn();
	if (count_open_fds() != fds)
		FAIL("fd leak: %d open before the test, %d after", fds, count_open_fds());
	if (count_socket_maps() != maps)
		FAIL("mapping leak: %d socket mappings before the test, %d after", maps,
		     count_socket_maps());
	fflush(NULL);
	exit(0);
}

static void exec_wrapped(const char *wrap, const struct test_case *tc)
{
	char *argv[64], *copy = strdup(wrap), *save, *tok, nsa[64], nsb[64];
	unsigned int n = 0;

	for (tok = strtok_r(copy, " ", &save); tok && n < 50; tok = strtok_r(NULL, " ", &save))
		argv[n++] = tok;
	argv[n++] = (char *)self_path;
	argv[n++] = "--run-one";
	argv[n++] = (char *)tc->name;
	snprintf(nsa, sizeof(nsa), "--ns=%s", env.ns_a[0] ? env.ns_a : "-");
	snprintf(nsb, sizeof(nsb), "--ns=%s", env.ns_b[0] ? env.ns_b : "-");
	argv[n++] = nsa;
	argv[n++] = nsb;
	argv[n] = NULL;
	execvp(argv[0], argv);
	fprintf(stderr, "harness: exec %s failed: %s\n", argv[0], strerror(errno));
	_exit(2);
}

/* Returns 0 on success. */
static int run_one(const struct test_case *tc, unsigned int serial, const char *wrap)
{
	unsigned int timeout = tc->timeout ? tc->timeout : 60;
	uint64_t start = now_ms(), deadline = start + timeout * 1000ULL;
	int status = 0, failed = 0;
	pid_t pid, r;

	current_test = tc->name;
	if (env_create(tc, serial)) {
		env_destroy();
		return 1;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		env_destroy();
		return 1;
	}
	if (pid == 0) {
		/* The runner's dispositions are not the test's (nor its children's). */
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGPIPE, SIG_DFL);
		if (wrap)
			exec_wrapped(wrap, tc);
		run_in_child(tc);
	}

	while ((r = waitpid(pid, &status, WNOHANG)) == 0) {
		if (interrupted) {
			fprintf(stderr, "    FAIL %s: interrupted\n", tc->name);
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			failed = 1;
			break;
		}
		if (now_ms() > deadline) {
			fprintf(stderr, "    FAIL %s: timed out after %u s\n", tc->name, timeout);
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			failed = 1;
			break;
		}
		usleep(2000);
	}
	if (!failed && !(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
		if (WIFSIGNALED(status))
			fprintf(stderr, "    FAIL %s: killed by signal %d\n", tc->name,
				WTERMSIG(status));
		failed = 1;
	}
	if (env_leftover_progs())
		failed = 1;
	env_destroy();
	printf("%s %u - %s (%.2f s)\n", failed ? "not ok" : "ok", serial, tc->name,
	       (now_ms() - start) / 1000.0);
	fflush(stdout);
	return failed;
}

static void on_interrupt(int sig)
{
	interrupted = 1;
}

/* Does @name match one of @pats (substrings, or globs when they have * ? [)? */
static bool matches(const char *name, int npat, char **pats)
{
	char glob[256];
	int i;

	for (i = 0; i < npat; i++) {
		if (strpbrk(pats[i], "*?["))
			snprintf(glob, sizeof(glob), "%s", pats[i]);
		else
			snprintf(glob, sizeof(glob), "*%s*", pats[i]);
		if (!fnmatch(glob, name, 0))
			return true;
	}
	return false;
}

/* Selected: matching a pattern (or no pattern given), and no --exclude. */
static bool selected(const char *name, int npat, char **pats, int nexcl, char **excl)
{
	return (!npat || matches(name, npat, pats)) && !matches(name, nexcl, excl);
}

/* --run-one NAME --ns=A --ns=B: the child side of --wrap. */
static int run_one_exec(int argc, char **argv)
{
	struct test_case *tc;
	const char *ns[2] = { "-", "-" };
	int i, k = 0;

	for (i = 3; i < argc && k < 2; i++)
		if (!strncmp(argv[i], "--ns=", 5))
			ns[k++] = argv[i] + 5;
	for (tc = tests; tc; tc = tc->next)
		if (!strcmp(tc->name, argv[2]))
			break;
	if (!tc)
		return 2;
	env_reset(tc);
	if (strcmp(ns[0], "-") && vlab_open(&lab, ns[0], ns[1]))
		return 2;
	run_in_child(tc);
	return 0;
}

int main(int argc, char **argv)
{
	const char *wrap = NULL;
	unsigned int serial = 0, failed = 0, ran = 0;
	struct test_case *tc;
	char **pats = NULL, **excl = NULL;
	int i, npat = 0, nexcl = 0;

	self_path = argv[0];
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc >= 3 && !strcmp(argv[1], "--run-one"))
		return run_one_exec(argc, argv);

	pats = calloc(argc, sizeof(*pats));
	excl = calloc(argc, sizeof(*excl));
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--list")) {
			for (tc = tests; tc; tc = tc->next)
				printf("%s\n", tc->name);
			free(pats);
	free(excl);
			return 0;
		} else if (!strcmp(argv[i], "--wrap") && i + 1 < argc) {
			wrap = argv[++i];
		} else if (!strcmp(argv[i], "--exclude") && i + 1 < argc) {
			excl[nexcl++] = argv[++i];
		} else if (argv[i][0] == '-') {
			fprintf(stderr, "usage: %s [--list] [--wrap CMD] [--exclude PATTERN]... [PATTERN...]\n",
				argv[0]);
			free(pats);
	free(excl);
			return 2;
		} else {
			pats[npat++] = argv[i];
		}
	}

	if (geteuid() != 0) {
		fprintf(stderr, "%s: the suite needs root (namespaces, veth, XDP)\n",
			program_invocation_short_name);
		free(pats);
	free(excl);
		return 2;
	}
	vlab_sweep_stale("lxt");
	signal(SIGPIPE, SIG_IGN);
	/* Interrupted, the runner still removes the running test's namespaces. */
	signal(SIGINT, on_interrupt);
	signal(SIGTERM, on_interrupt);

	for (tc = tests; tc; tc = tc->next)
		if (selected(tc->name, npat, pats, nexcl, excl))
			ran++;
	printf("1..%u\n", ran);
	for (tc = tests; tc; tc = tc->next) {
		if (!selected(tc->name, npat, pats, nexcl, excl))
			continue;
		failed += run_one(tc, ++serial, wrap) != 0;
		if (interrupted)
			break;
	}
	if (wrap || interrupted)
		printf("# %s%s\n", wrap ? "each test wrapped in: " : "", wrap ? wrap : "interrupted");
	printf("%s: %u passed, %u failed\n", program_invocation_short_name, serial - failed,
	       failed);
	free(pats);
	free(excl);
	return interrupted ? 130 : failed ? 1 : 0;
}
