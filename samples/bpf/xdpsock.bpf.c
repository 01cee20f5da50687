// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * xdpsock's own XDP program, for -M: several sockets share one queue, so
 * frames are spread over them in turn instead of by queue.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define MAX_SOCKS 16

struct {
	__uint(type, BPF_MAP_TYPE_XSKMAP);
	__uint(max_entries, MAX_SOCKS);
	__type(key, __u32);
	__type(value, __u32);
} xsks_map SEC(".maps");

/* Set before load. */
const volatile __u32 num_socks = 1;

/* One CPU runs this for a queue; a lost update only skews the turn. */
__u32 next_sock;

SEC("xdp")
int xdpsock_rr(struct xdp_md *ctx)
{
	__u32 sock = next_sock;

	next_sock = sock + 1 < num_socks ? sock + 1 : 0;
	return bpf_redirect_map(&xsks_map, sock, XDP_DROP);
}

char _license[] SEC("license") = "Dual BSD/GPL";
