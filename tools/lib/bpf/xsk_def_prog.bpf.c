// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The default XDP program of libxsk.
 *
 * One XSKMAP slot per RX queue of the interface.  A frame arriving on a
 * queue whose slot holds an AF_XDP socket goes to that socket; any other
 * frame continues to the network stack.  The program is built for
 * multi-buffer ("xdp.frags") so sockets bound with XDP_USE_SG receive
 * jumbo frames without a program of their own; the loader falls back to
 * a single-buffer load on kernels that lack frags.
 *
 * The map is sized to the interface's queue count at load time.  The
 * names of the program and the map identify it to other processes,
 * which reuse an attached copy instead of loading a second one.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_XSKMAP);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} xsks_map SEC(".maps");

SEC("xdp.frags")
int xsk_def_prog(struct xdp_md *ctx)
{
	/*
	 * The low bits of the flags argument are the verdict when the slot
	 * is empty: an unclaimed queue keeps working as before.
	 */
	return bpf_redirect_map(&xsks_map, ctx->rx_queue_index, XDP_PASS);
}

char _license[] SEC("license") = "Dual BSD/GPL";
