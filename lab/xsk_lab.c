// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * xsk-lab: run an AF_XDP program on a private veth pair, with an
 * in-kernel traffic source and sink on the far end.  No NIC needed.
 *
 *   xsk-lab [OPTIONS] [-- COMMAND [ARGS...]]
 *
 * The lab is two fresh network namespaces joined by a veth: COMMAND runs
 * in namespace A on vxa (every "{if}" in its arguments becomes vxa); the
 * peer vxb in namespace B carries the lab's side:
 *
 *   source  BPF_PROG_RUN with BPF_F_TEST_XDP_LIVE_FRAMES runs an XDP_TX
 *           program on vxb: every run is a real frame sent to vxa, at
 *           in-kernel speed, flat out or at --rate.
 *   sink    an XDP program on vxb counts and drops what arrives from vxa.
 *
 * --ceiling runs no command: the source against an XDP_DROP sink on vxa,
 * the most any receiver on vxa can see in this lab.
 *
 * The lab removes its namespaces, veth and programs on every exit path
 * (normal end, error, SIGINT/SIGTERM).  With COMMAND and --seconds, the
 * source stops after that time, then the command gets SIGINT, then SIGKILL
 * 5 s later.  With --wait-xdp the source starts, and the seconds count,
 * only once vxa has an XDP program (the command's): no program is then
 * attached or detached on vxa while the source runs.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <net/if.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_link.h>
#include <linux/ip.h>
#include <linux/udp.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "lab_progs.skel.h"
#include "vlab.h"

enum peer_role { PEER_NONE = 0, PEER_SOURCE = 1, PEER_SINK = 2, PEER_BOTH = 3 };

struct lab_opts {
	double seconds;		/* 0: until the command ends */
	unsigned long rate;	/* frames per second, 0: flat out */
	unsigned int frame_len;
	unsigned int queues;
	unsigned int mtu;
	int source_cpu;		/* -1: the last CPU */
	enum peer_role peer;
	bool ceiling;
	bool json;
	bool native_sink;	/* sink in native mode (default) or SKB */
	bool wait_xdp;		/* start once vxa has an XDP program */
	char **command;
};

static struct vlab lab = { .nsfd = { -1, -1 } };
static struct lab_progs *progs;
/* The lab's XDP attachments, detached by cleanup(). */
static struct attachment {
	int side, ifindex;
	__u32 flags;
} attachments[2];
static int nattached;
static volatile sig_atomic_t stop_requested;
static atomic_bool source_stop;

/* ---- messages ---------------------------------------------------------- */

__attribute__((format(printf, 1, 2), noreturn))
static void die(const char *fmt, ...);

/*
 * Programs are detached here, while no traffic flows, rather than with their
 * namespace: that happens later, in a kworker, maybe while the next lab
 * runs, and under TCG an XDP program coming or going while another vCPU
 * runs XDP can hit a stale int3 of the kernel's code patching.
 */
static void cleanup(void)
{
	while (nattached > 0) {
		struct attachment *a = &attachments[--nattached];

		if (!vlab_enter(&lab, a->side))
			bpf_xdp_detach(a->ifindex, a->flags, NULL);
	}
	if (progs)
		lab_progs__destroy(progs);
	progs = NULL;
	vlab_enter_host();
	vlab_destroy(&lab);
}

static void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "xsk-lab: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	cleanup();
	exit(1);
}

static int libbpf_quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return level == LIBBPF_WARN ? vfprintf(stderr, fmt, ap) : 0;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- the source ---------------------------------------------------------- */

struct source {
	pthread_t thread;
	const struct lab_opts *opts;
	/* Built 2 bytes in, so the IP header behind Ethernet is aligned. */
	unsigned char frame_buf[2 + 9216] __attribute__((aligned(8)));
	unsigned char *frame;
	unsigned long long sent;
	double started, stopped;
	int err;
	atomic_bool done;	/* the thread has left its loop */
	bool running;
};

static __u16 ip_checksum(const void *hdr, size_t len)
{
	const __u16 *p = hdr;
	__u32 sum = 0;

	for (; len > 1; len -= 2)
		sum += *p++;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (__u16)~sum;
}

/* A UDP/IPv4 frame from vxb to vxa, @len bytes without FCS. */
static void frame_template(unsigned char *f, unsigned int len)
{
	struct ethhdr *eth = (void *)f;
	struct iphdr *ip = (void *)(eth + 1);
	struct udphdr *udp = (void *)(ip + 1);
	unsigned int i;

	memset(f, 0, len);
	memcpy(eth->h_dest, lab.mac[VLAB_A], ETH_ALEN);
	memcpy(eth->h_source, lab.mac[VLAB_B], ETH_ALEN);
	eth->h_proto = htons(ETH_P_IP);
	ip->version = 4;
	ip->ihl = 5;
	ip->ttl = 64;
	ip->protocol = IPPROTO_UDP;
	ip->tot_len = htons(len - sizeof(*eth));
	ip->saddr = htonl(0xc0a86402);	/* 192.168.100.2 */
	ip->daddr = htonl(0xc0a86401);	/* 192.168.100.1 */
	ip->check = ip_checksum(ip, sizeof(*ip));
	udp->source = htons(9000);
	udp->dest = htons(9001);
	udp->len = htons(len - sizeof(*eth) - sizeof(*ip));
	for (i = sizeof(*eth) + sizeof(*ip) + sizeof(*udp); i < len; i++)
		f[i] = (unsigned char)i;
}

static int source_run_once(struct source *s, int repeat)
{
	struct xdp_md ctx = {
		.data_end = s->opts->frame_len,
		.ingress_ifindex = lab.ifindex[VLAB_B],
	};
	LIBBPF_OPTS(bpf_test_run_opts, o,
		    .data_in = s->frame,
		    .data_size_in = s->opts->frame_len,
		    .ctx_in = &ctx,
		    .ctx_size_in = sizeof(ctx),
		    .repeat = repeat,
		    .flags = BPF_F_TEST_XDP_LIVE_FRAMES,
		    .batch_size = 64);

	return bpf_prog_test_run_opts(bpf_program__fd(progs->progs.lab_source), &o);
}

static void pin_to_cpu(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

/*
 * The generating thread lives in namespace B (the live-frames run looks up
 * ingress_ifindex in the caller's namespace) and on its own CPU, where the
 * receiver's NAPI will also run.  Each BPF_PROG_RUN call costs the kernel
 * a page-pool setup and teardown (tens of milliseconds), so the calls are
 * long: about half a second of runs each.  The program counts what it
 * actually sent.
 */
#define SOURCE_RUNS_PER_CALL (1 << 22)

static void *source_main(void *arg)
{
	struct source *s = arg;
	sigset_t lab_signals;

	/* The lab's own signals are the main thread's to take. */
	sigemptyset(&lab_signals);
	sigaddset(&lab_signals, SIGINT);
	sigaddset(&lab_signals, SIGTERM);
	sigaddset(&lab_signals, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &lab_signals, NULL);

	if (vlab_enter(&lab, VLAB_B)) {
		s->err = -errno;
		return NULL;
	}
	pin_to_cpu(s->opts->source_cpu);
	s->started = now_s();
	while (!atomic_load(&source_stop)) {
		int err = source_run_once(s, SOURCE_RUNS_PER_CALL);

		/* source_stop_now() interrupts a call with a signal. */
		if (err == -EINTR && atomic_load(&source_stop))
			break;
		if (err) {
			s->err = err;
			break;
		}
	}
	s->stopped = now_s();
	s->sent = progs->bss->sent_frames;
	atomic_store(&s->done, true);
	return NULL;
}

static void on_source_signal(int sig)
{
}

static void source_start(struct source *s)
{
	struct sigaction sa = { .sa_handler = on_source_signal };

	/* No SA_RESTART: the signal ends the BPF_PROG_RUN call in progress. */
	sigaction(SIGUSR1, &sa, NULL);
	s->running = !pthread_create(&s->thread, NULL, source_main, s);
	if (!s->running)
		fprintf(stderr, "xsk-lab: starting the source thread failed\n");
}

/*
 * A call runs for about half a second on fast machines, but for many
 * seconds under emulation: the thread is signalled (again and again, in case
 * a signal lands just before a call starts) until it has stopped.
 */
static void source_stop_now(struct source *s)
{
	atomic_store(&source_stop, true);
	if (!s->running)
		return;
	while (!atomic_load(&s->done)) {
		pthread_kill(s->thread, SIGUSR1);
		usleep(1000);
	}
	pthread_join(s->thread, NULL);
	s->running = false;
}

/*
 * Each BPF_PROG_RUN call of more than one run adds the program to the
 * kernel's XDP dispatcher and removes it at the end, and each change
 * rewrites the dispatcher's code (text_poke) while the receiver may run
 * XDP through it: under TCG another vCPU can then execute a stale int3 and
 * oops.  Attached (SKB mode) to lo in namespace B, where no traffic goes,
 * the source stays in the dispatcher and the calls change nothing.
 */
static void source_pin(void)
{
	int err;

	if (vlab_enter(&lab, VLAB_B))
		die("entering namespace %s: %s", lab.ns[VLAB_B], strerror(errno));
	err = bpf_xdp_attach(1, bpf_program__fd(progs->progs.lab_source), XDP_FLAGS_SKB_MODE,
			     NULL);
	vlab_enter_host();
	if (err)
		fprintf(stderr, "xsk-lab: keeping the source in the XDP dispatcher (lo): %s\n",
			strerror(-err));
	else
		attachments[nattached++] = (struct attachment){ VLAB_B, 1, XDP_FLAGS_SKB_MODE };
}

/*
 * Refuse early, and clearly: where live frames are missing (before 5.18),
 * and for frames the source cannot carry (a frame must fit one page with
 * its headroom and tail room: no jumbo frames).
 */
static void source_probe(struct source *s)
{
	const struct lab_opts *real = s->opts;
	struct lab_opts small = *real;
	struct utsname u;
	int err;

	if (vlab_enter(&lab, VLAB_B))
		die("entering namespace %s: %s", lab.ns[VLAB_B], strerror(errno));
	small.frame_len = 64;
	s->opts = &small;
	err = source_run_once(s, 1);
	s->opts = real;
	if (!err && real->frame_len > 64)
		err = source_run_once(s, 1) ? -EMSGSIZE : 0;
	vlab_enter_host();
	progs->bss->sent_frames = 0;
	if (err == -EMSGSIZE)
		die("the traffic source cannot send %u-byte frames: live frames fit one page "
		    "(about 3500 bytes at most)", real->frame_len);
	if (err == -EINVAL || err == -EOPNOTSUPP || err == -E2BIG) {
		uname(&u);
		die("this kernel (%s) cannot run the traffic source: BPF_PROG_RUN with "
		    "BPF_F_TEST_XDP_LIVE_FRAMES needs Linux 5.18 or later (%s)", u.release,
		    strerror(-err));
	}
	if (err)
		die("the traffic source failed on %s: %s", lab.ifname[VLAB_B], strerror(-err));
}

/* ---- the sink ---------------------------------------------------------- */

static void sink_attach(int side, bool native)
{
	__u32 flags = native ? XDP_FLAGS_DRV_MODE : XDP_FLAGS_SKB_MODE;
	int err;

	if (vlab_enter(&lab, side))
		die("entering namespace %s: %s", lab.ns[side], strerror(errno));
	err = bpf_xdp_attach(lab.ifindex[side], bpf_program__fd(progs->progs.lab_sink), flags,
			     NULL);
	vlab_enter_host();
	if (err)
		die("attaching the sink to %s: %s", lab.ifname[side], strerror(-err));
	attachments[nattached++] = (struct attachment){ side, lab.ifindex[side], flags };
}

static unsigned long long sink_count(void)
{
	int ncpu = libbpf_num_possible_cpus(), i;
	unsigned long long total = 0;
	__u64 *values;
	__u32 key = 0;

	values = calloc(ncpu > 0 ? ncpu : 1, sizeof(*values));
	if (!values || bpf_map_lookup_elem(bpf_map__fd(progs->maps.sink_count), &key, values)) {
		free(values);
		return 0;
	}
	for (i = 0; i < ncpu; i++)
		total += values[i];
	free(values);
	return total;
}

/* ---- the command ----------------------------------------------------------- */

static pid_t command_start(const struct lab_opts *o)
{
	cpu_set_t set;
	pid_t pid;
	int i, cpu, ncpu = sysconf(_SC_NPROCESSORS_ONLN);

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid)
		return pid;

	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	if (vlab_enter(&lab, VLAB_A)) {
		fprintf(stderr, "xsk-lab: entering %s: %s\n", lab.ns[VLAB_A], strerror(errno));
		_exit(127);
	}
	/* Keep the command off the source's CPU when there is another. */
	CPU_ZERO(&set);
	for (cpu = 0; cpu < ncpu; cpu++)
		if (cpu != o->source_cpu || ncpu == 1)
			CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
	setenv("XSK_LAB_IF", lab.ifname[VLAB_A], 1);
	for (i = 0; o->command[i]; i++)
		if (!strcmp(o->command[i], "{if}"))
			o->command[i] = lab.ifname[VLAB_A];
	execvp(o->command[0], o->command);
	fprintf(stderr, "xsk-lab: cannot run %s: %s\n", o->command[0], strerror(errno));
	_exit(127);
}

/*
 * Wait for the command, or for --seconds, or for a signal; returns its status.
 * The source stops before the command is interrupted, and *end is when the
 * command was interrupted (its teardown is not the lab's time) or ended.
 */
static int command_wait(pid_t pid, const struct lab_opts *o, double start, struct source *s,
			double *end)
{
	bool interrupted = false;
	double kill_at = 0;
	int status;

	*end = now_s();
	for (;;) {
		pid_t r = waitpid(pid, &status, WNOHANG);
		double t = now_s();

		if (r == pid) {
			if (!interrupted)
				*end = t;
			break;
		}
		if (!interrupted && (stop_requested || (o->seconds && t - start >= o->seconds))) {
			source_stop_now(s);
			kill(pid, SIGINT);
			*end = now_s();
			interrupted = true;
			kill_at = t + 5;
		} else if (interrupted && t >= kill_at) {
			kill(pid, SIGKILL);
			kill_at = t + 3600;
		}
		usleep(10000);
	}
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	/* Stopped by our SIGINT is a normal end. */
	return interrupted && WTERMSIG(status) == SIGINT ? 0 : 128 + WTERMSIG(status);
}

/*
 * --wait-xdp: wait until the command has an XDP program on vxa (or has
 * ended, or the lab is interrupted).  Returns false when it never came.
 */
static bool command_wait_xdp(pid_t pid)
{
	double give_up = now_s() + 60;
	bool attached = false, ended = false;

	if (vlab_enter(&lab, VLAB_A))
		die("entering namespace %s: %s", lab.ns[VLAB_A], strerror(errno));
	while (!stop_requested && now_s() < give_up) {
		LIBBPF_OPTS(bpf_xdp_query_opts, q);
		siginfo_t info = { 0 };

		if (!bpf_xdp_query(lab.ifindex[VLAB_A], 0, &q) && q.attach_mode != XDP_ATTACHED_NONE) {
			attached = true;
			break;
		}
		if (!waitid(P_PID, pid, &info, WEXITED | WNOHANG | WNOWAIT) && info.si_pid == pid) {
			ended = true;	/* it has said why, if it failed */
			break;
		}
		usleep(2000);
	}
	vlab_enter_host();
	if (!attached && !ended && !stop_requested)
		fprintf(stderr, "xsk-lab: --wait-xdp: no XDP program appeared on %s\n",
			lab.ifname[VLAB_A]);
	return attached;
}

/* ---- main ------------------------------------------------------------------ */

static void usage(FILE *f)
{
	fprintf(f,
		"usage: xsk-lab [OPTIONS] [-- COMMAND [ARGS...]]\n"
		"  Runs COMMAND in a private namespace on the veth end vxa (\"{if}\" in ARGS\n"
		"  becomes vxa, and $XSK_LAB_IF is set); the lab works the other end.\n"
		"  -p, --peer ROLE     source (default), sink, both or none\n"
		"  -c, --ceiling       no command: source against XDP_DROP on vxa\n"
		"  -s, --seconds S     run time (with a command: SIGINT after S seconds)\n"
		"  -r, --rate PPS      source rate in frames/s, evenly spaced; the achieved\n"
		"                      rate is reported (default: flat out)\n"
		"  -l, --len BYTES     source frame length, 60..MTU (default 64)\n"
		"  -q, --queues N      veth queues (default 1)\n"
		"  -m, --mtu N         veth MTU (default 1500)\n"
		"  -C, --source-cpu N  CPU of the source (default: the last one)\n"
		"  -S, --skb-sink      attach the sink in SKB mode instead of native\n"
		"  -w, --wait-xdp      start the source (and count the seconds) once the\n"
		"                      command has an XDP program on vxa\n"
		"  -j, --json          one JSON line of results\n"
		"  -h, --help\n");
}

static unsigned long parse_num(const char *opt, const char *arg, unsigned long lo,
			       unsigned long hi)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(arg, &end, 10);
	if (errno || *end || end == arg || v < lo || v > hi) {
		fprintf(stderr, "xsk-lab: %s: '%s' is not a number from %lu to %lu\n", opt, arg,
			lo, hi);
		usage(stderr);
		exit(2);
	}
	return v;
}

static void parse_args(int argc, char **argv, struct lab_opts *o)
{
	static const struct option longopts[] = {
		{ "peer", required_argument, NULL, 'p' },
		{ "ceiling", no_argument, NULL, 'c' },
		{ "seconds", required_argument, NULL, 's' },
		{ "rate", required_argument, NULL, 'r' },
		{ "len", required_argument, NULL, 'l' },
		{ "queues", required_argument, NULL, 'q' },
		{ "mtu", required_argument, NULL, 'm' },
		{ "source-cpu", required_argument, NULL, 'C' },
		{ "skb-sink", no_argument, NULL, 'S' },
		{ "wait-xdp", no_argument, NULL, 'w' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	char *end;

	*o = (struct lab_opts){ .frame_len = 64, .queues = 1, .mtu = 1500,
				.source_cpu = ncpu - 1, .peer = PEER_SOURCE, .native_sink = true };
	while ((c = getopt_long(argc, argv, "+p:cs:r:l:q:m:C:Swjh", longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			if (!strcmp(optarg, "source"))
				o->peer = PEER_SOURCE;
			else if (!strcmp(optarg, "sink"))
				o->peer = PEER_SINK;
			else if (!strcmp(optarg, "both"))
				o->peer = PEER_BOTH;
			else if (!strcmp(optarg, "none"))
				o->peer = PEER_NONE;
			else {
				fprintf(stderr, "xsk-lab: --peer: unknown role '%s' (source, sink, "
					"both, none)\n", optarg);
				exit(2);
			}
			break;
		case 'c':
			o->ceiling = true;
			break;
		case 's':
			o->seconds = strtod(optarg, &end);
			if (*end || end == optarg || o->seconds <= 0 || o->seconds > 86400) {
				fprintf(stderr, "xsk-lab: --seconds: '%s' is not a duration in seconds\n",
					optarg);
				exit(2);
			}
			break;
		case 'r':
			o->rate = parse_num("--rate", optarg, 1, 100000000);
			break;
		case 'l':
			o->frame_len = parse_num("--len", optarg, 60, 9000);
			break;
		case 'q':
			o->queues = parse_num("--queues", optarg, 1, 64);
			break;
		case 'm':
			o->mtu = parse_num("--mtu", optarg, 68, 9000);
			break;
		case 'C':
			o->source_cpu = parse_num("--source-cpu", optarg, 0, ncpu - 1);
			break;
		case 'S':
			o->native_sink = false;
			break;
		case 'w':
			o->wait_xdp = true;
			break;
		case 'j':
			o->json = true;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			exit(2);
		}
	}
	if (optind < argc)
		o->command = argv + optind;
	if (o->ceiling && o->command) {
		fprintf(stderr, "xsk-lab: --ceiling runs no command\n");
		exit(2);
	}
	if (!o->ceiling && !o->command) {
		fprintf(stderr, "xsk-lab: give a command after --, or --ceiling\n");
		usage(stderr);
		exit(2);
	}
	if (o->ceiling && !o->seconds)
		o->seconds = 3;
	if (o->wait_xdp && !o->command) {
		fprintf(stderr, "xsk-lab: --wait-xdp waits for a command's program: give one\n");
		exit(2);
	}
	if (o->frame_len > o->mtu + ETH_HLEN) {
		fprintf(stderr, "xsk-lab: --len %u exceeds the MTU %u plus the Ethernet header\n",
			o->frame_len, o->mtu);
		exit(2);
	}
}

static void on_signal(int sig)
{
	stop_requested = 1;
}

static void report(const struct lab_opts *o, const struct source *s, bool had_source,
		   unsigned long long sunk, double secs, int status)
{
	double src_mpps = had_source && secs > 0 ? s->sent / secs / 1e6 : 0;
	double sink_mpps = secs > 0 ? sunk / secs / 1e6 : 0;
	bool had_sink = o->ceiling || (o->peer & PEER_SINK);

	if (o->json) {
		printf("{\"seconds\":%.3f,\"frame_len\":%u,\"source_frames\":%llu,"
		       "\"source_mpps\":%.4f,\"sink_frames\":%llu,\"sink_mpps\":%.4f,"
		       "\"ceiling\":%s,\"status\":%d}\n", secs, o->frame_len,
		       had_source ? s->sent : 0, src_mpps, sunk, sink_mpps,
		       o->ceiling ? "true" : "false", status);
		return;
	}
	printf("xsk-lab: %.2f s", secs);
	if (had_source)
		printf(", source sent %llu frames of %u bytes (%.3f Mpps)", s->sent, o->frame_len,
		       src_mpps);
	if (had_sink)
		printf(", %s received %llu (%.3f Mpps)", o->ceiling ? "XDP_DROP on vxa" : "peer",
		       sunk, sink_mpps);
	printf("\n");
}

int main(int argc, char **argv)
{
	static struct source src;
	struct lab_opts o;
	bool had_source;
	double start, end;
	int status = 0;
	pid_t pid = -1;

	parse_args(argc, argv, &o);
	if (geteuid() != 0) {
		fprintf(stderr, "xsk-lab: needs root (network namespaces, veth, XDP); "
			"run it with sudo\n");
		return 2;
	}
	libbpf_set_print(libbpf_quiet);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);

	vlab_sweep_stale("xsklab");
	if (vlab_create(&lab, "xsklab", "lab", o.queues, o.mtu))
		return 1;
	if (vlab_learn(&lab))
		die("the veth ends are missing");
	vlab_enter_host();
	/* NAPI on both ends, so XDP frames are received in any attach mode. */
	vlab_enter(&lab, VLAB_A);
	vlab_set_gro(lab.ifname[VLAB_A], true);
	vlab_enter(&lab, VLAB_B);
	vlab_set_gro(lab.ifname[VLAB_B], true);
	vlab_enter_host();

	progs = lab_progs__open();
	if (!progs)
		die("opening the lab's BPF programs failed: %s", strerror(errno));
	progs->rodata->pace_ns = o.rate ? 1000000000ULL / o.rate : 0;
	if (lab_progs__load(progs))
		die("loading the lab's BPF programs failed: %s", strerror(errno));

	had_source = o.ceiling || (o.peer & PEER_SOURCE);
	src.opts = &o;
	src.frame = src.frame_buf + 2;
	frame_template(src.frame, o.frame_len);
	if (had_source) {
		source_probe(&src);
		source_pin();
	}
	if (o.ceiling)
		sink_attach(VLAB_A, true);
	else if (o.peer & PEER_SINK)
		sink_attach(VLAB_B, o.native_sink);

	if (o.command)
		pid = command_start(&o);
	if (pid > 0 && o.wait_xdp && !command_wait_xdp(pid))
		had_source = false;
	start = now_s();
	if (had_source) {
		source_start(&src);
		had_source = src.running;
	}

	if (pid > 0) {
		status = command_wait(pid, &o, start, &src, &end);
	} else {
		while (!stop_requested && now_s() - start < o.seconds)
			usleep(10000);
		end = now_s();
	}
	source_stop_now(&src);
	if (src.err)
		fprintf(stderr, "xsk-lab: the source stopped: %s\n", strerror(-src.err));

	/* One window for every rate: the source's, when it ran. */
	if (had_source && src.stopped > src.started)
		end = start + (src.stopped - src.started);
	report(&o, &src, had_source, (o.ceiling || (o.peer & PEER_SINK)) ? sink_count() : 0,
	       end - start, status);
	cleanup();
	return status ? status : (src.err ? 1 : 0);
}
