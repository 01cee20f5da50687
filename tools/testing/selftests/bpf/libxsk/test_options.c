// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * UMEM options reach the kernel: TX metadata (the library sets
 * XDP_UMEM_TX_METADATA_LEN from tx_metadata_len) and XDP_UMEM_TX_SW_CSUM,
 * shown by a checksum the kernel computes in copy mode at our request
 * (made with the header's xsk_umem__tx_metadata() and
 * xsk_tx_metadata__request());
 * and the XSKMAP sized to the device's queues.
 */
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "harness.h"
#include "test_util.h"

#define UDP_DPORT		9001
#define PAYLOAD_LEN		32
#define UDP_FRAME_LEN		(ETH_HLEN + sizeof(struct iphdr) + sizeof(struct udphdr) + PAYLOAD_LEN)
#define DATA_OFFSET		64	/* of the frame in its chunk, after the metadata */

static __u32 sum16(const void *data, size_t len, __u32 sum)
{
	const __u8 *p = data;

	for (; len > 1; len -= 2, p += 2)
		sum += (p[0] << 8) | p[1];
	if (len)
		sum += p[0] << 8;
	return sum;
}

static __u16 fold(__u32 sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (__u16)sum;
}

/* The UDP checksum of a frame, over the pseudo-header and the datagram. */
static __u16 udp_checksum(const __u8 *frame)
{
	const struct iphdr *ip = (const void *)(frame + ETH_HLEN);
	const struct udphdr *udp = (const void *)(ip + 1);
	__u16 ulen = ntohs(udp->len);
	__u32 sum = sum16(&ip->saddr, 8, 0) + IPPROTO_UDP + ulen;

	return fold(sum16(udp, ulen, sum));
}

/*
 * Frames are built and checked 2 bytes into an aligned buffer, so the IP
 * header behind the 14-byte Ethernet header is aligned (NET_IP_ALIGN).
 */
#define IP_ALIGN 2

/*
 * A UDP frame whose checksum field holds only the pseudo-header sum, as
 * for a device finishing CHECKSUM_PARTIAL: the kernel completes it.
 */
static void udp_frame_build(__u8 *dst, __u32 seq)
{
	static __u8 scratch[IP_ALIGN + UDP_FRAME_LEN] __attribute__((aligned(8)));
	__u8 *f = scratch + IP_ALIGN;
	struct ethhdr *eth = (void *)f;
	struct iphdr *ip = (void *)(eth + 1);
	struct udphdr *udp = (void *)(ip + 1);
	__u8 *payload = (__u8 *)(udp + 1);
	unsigned int i;

	memset(f, 0, UDP_FRAME_LEN);
	memcpy(eth->h_dest, env.mac_b, ETH_ALEN);
	memcpy(eth->h_source, env.mac_a, ETH_ALEN);
	eth->h_proto = htons(ETH_P_IP);
	ip->version = 4;
	ip->ihl = 5;
	ip->ttl = 64;
	ip->protocol = IPPROTO_UDP;
	ip->tot_len = htons(UDP_FRAME_LEN - ETH_HLEN);
	ip->saddr = htonl(0x0a000001);
	ip->daddr = htonl(0x0a000002);
	ip->check = htons(~fold(sum16(ip, sizeof(*ip), 0)));
	udp->source = htons(9000);
	udp->dest = htons(UDP_DPORT);
	udp->len = htons(sizeof(*udp) + PAYLOAD_LEN);
	for (i = 0; i < PAYLOAD_LEN; i++)
		payload[i] = (__u8)(seq * 7 + i);
	udp->check = htons(fold(sum16(&ip->saddr, 8, 0) + IPPROTO_UDP + ntohs(udp->len)));
	memcpy(dst, f, UDP_FRAME_LEN);
}

static int udp_peer_open(void)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_IP) };
	int fd;

	env_enter_b();
	fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_IP));
	ASSERT_GE(fd, 0);
	sll.sll_ifindex = env.ifindex_b;
	ASSERT_OK(bind(fd, (struct sockaddr *)&sll, sizeof(sll)));
	env_enter_a();
	return fd;
}

/* Frames of ours that arrive within @ms, and how many had a valid checksum. */
static unsigned int udp_peer_count(int fd, int ms, unsigned int *valid)
{
	uint64_t deadline = now_ms() + ms;
	unsigned int got = 0;
	__u8 space[IP_ALIGN + 256] __attribute__((aligned(8)));
	__u8 *buf = space + IP_ALIGN;

	*valid = 0;
	while (now_ms() < deadline) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		const struct udphdr *udp = (const void *)(buf + ETH_HLEN + sizeof(struct iphdr));
		ssize_t n;

		if (poll(&pfd, 1, 20) <= 0)
			continue;
		n = recv(fd, buf, 256, MSG_DONTWAIT);
		if (n != (ssize_t)UDP_FRAME_LEN || ntohs(udp->dest) != UDP_DPORT)
			continue;
		got++;
		/* A correct checksum sums, with itself, to all ones. */
		if (udp_checksum(buf) == 0xffff)
			(*valid)++;
	}
	return got;
}

struct meta_umem {
	void *area;
	size_t size;
	struct xsk_umem *umem;
	struct xsk_ring_prod fill, tx;
	struct xsk_ring_cons comp;
	struct xsk_socket *xsk;
};

static void meta_umem_create(struct meta_umem *m, __u32 tx_metadata_len, __u32 flags)
{
	struct xsk_umem_opts o = { .sz = sizeof(o), .tx_metadata_len = tx_metadata_len,
				   .flags = flags };
	struct xsk_socket_config cfg = socket_config(0, 0, XSK_LIBXDP_FLAGS__INHIBIT_PROG_LOAD);

	m->size = 256 * 4096;
	m->area = mmap(NULL, m->size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(m->area != MAP_FAILED);
	o.size = m->size;
	m->umem = xsk_umem__create_opts(m->area, &m->fill, &m->comp, &o);
	ASSERT_PTR(m->umem);
	ASSERT_OK(xsk_socket__create(&m->xsk, env.if_a, 0, m->umem, NULL, &m->tx, &cfg));
}

static void meta_umem_destroy(struct meta_umem *m)
{
	xsk_socket__delete(m->xsk);
	ASSERT_OK(xsk_umem__delete(m->umem));
	munmap(m->area, m->size);
}

/* Queue @n frames asking for a checksum through metadata, and kick. */
static int send_with_checksum_request(struct meta_umem *m, unsigned int n)
{
	unsigned int i;
	__u32 idx;
	int ret = 0;

	ASSERT_EQ(xsk_ring_prod__reserve(&m->tx, n, &idx), n);
	for (i = 0; i < n; i++) {
		__u64 chunk = (__u64)i * 4096;
		__u8 *data = xsk_umem__get_data(m->area, chunk + DATA_OFFSET);
		struct xsk_tx_metadata *md = xsk_umem__tx_metadata(m->area, chunk + DATA_OFFSET,
								   sizeof(*md));
		struct xdp_desc *d = xsk_ring_prod__tx_desc(&m->tx, idx + i);

		udp_frame_build(data, i);
		xsk_tx_metadata__request(md, ETH_HLEN + sizeof(struct iphdr),
					 offsetof(struct udphdr, check), 0);
		d->addr = chunk + DATA_OFFSET;
		d->len = UDP_FRAME_LEN;
		d->options = XDP_TX_METADATA;
	}
	xsk_ring_prod__submit(&m->tx, n);
	for (i = 0; i < 8; i++)
		if (sendto(xsk_socket__fd(m->xsk), NULL, 0, MSG_DONTWAIT, NULL, 0) < 0)
			ret = -errno;
	return ret;
}

TEST(tx_metadata_checksum_computed_in_software, .veth = true)
{
	struct meta_umem m;
	unsigned int got, valid;
	int peer = udp_peer_open();

	/* 16 bytes of metadata and software checksums: the library sets both flags. */
	meta_umem_create(&m, sizeof(struct xsk_tx_metadata), XDP_UMEM_TX_SW_CSUM);
	ASSERT_OK(send_with_checksum_request(&m, 16));
	got = udp_peer_count(peer, 500, &valid);
	ASSERT_EQ(got, 16);
	ASSERT_EQ(valid, 16);	/* the kernel completed every checksum */
	meta_umem_destroy(&m);
	close(peer);
}

TEST(tx_metadata_refused_without_metadata_len, .veth = true)
{
	struct meta_umem m;
	unsigned int got, valid;
	int peer = udp_peer_open();

	/* No metadata area: descriptors asking for metadata are invalid. */
	meta_umem_create(&m, 0, 0);
	ASSERT_EQ(send_with_checksum_request(&m, 4), -EINVAL);
	got = udp_peer_count(peer, 300, &valid);
	ASSERT_EQ(got, 0);
	meta_umem_destroy(&m);
	close(peer);
}

TEST(xskmap_sized_to_the_queue_count, .veth = true, .queues = 4)
{
	struct bpf_map_info info = { 0 };
	__u32 len = sizeof(info);
	int map_fd;

	ASSERT_OK(xsk_setup_xdp_prog(env.ifindex_a, &map_fd));
	ASSERT_OK(bpf_obj_get_info_by_fd(map_fd, &info, &len));
	ASSERT_EQ(info.type, BPF_MAP_TYPE_XSKMAP);
	ASSERT_EQ(info.max_entries, 4);
	ASSERT_OK(xsk_release_xdp_prog(env.ifindex_a));
	close(map_fd);
}
