// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The lab's traffic programs.
 *
 * lab_source: run by BPF_PROG_RUN with BPF_F_TEST_XDP_LIVE_FRAMES on the
 * peer end of the veth, it turns runs into real frames sent to the other
 * end (XDP_TX), at in-kernel speed.  With pace_ns set it keeps a rate:
 * a run that comes before the next frame is due is dropped unsent, so the
 * frames leave evenly spaced.  It runs on one CPU only, the generator's,
 * so its globals need no atomics.
 *
 * lab_sink: attached to an end, counts what arrives and drops it: the
 * receiver for txonly, the counter of frames l2fwd sends back, and the
 * XDP_DROP ceiling of the lab.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} sink_count SEC(".maps");

/* Set before load: nanoseconds between frames, 0 for flat out. */
const volatile __u64 pace_ns;

__u64 next_due_ns;
__u64 sent_frames;

/* Falling behind (between two runs of the generator) is made up, but never
 * by more than this, so the output stays smooth. */
#define CATCH_UP_NS 1000000

SEC("xdp")
int lab_source(struct xdp_md *ctx)
{
	if (pace_ns) {
		__u64 now = bpf_ktime_get_ns();

		if (now < next_due_ns)
			return XDP_DROP;
		if (now - next_due_ns > CATCH_UP_NS)
			next_due_ns = now;
		next_due_ns += pace_ns;
	}
	sent_frames++;
	return XDP_TX;
}

/* Frags-capable, so it also attaches to a veth with a jumbo MTU. */
SEC("xdp.frags")
int lab_sink(struct xdp_md *ctx)
{
	__u32 key = 0;
	__u64 *count = bpf_map_lookup_elem(&sink_count, &key);

	if (count)
		(*count)++;
	return XDP_DROP;
}

char _license[] SEC("license") = "Dual BSD/GPL";
