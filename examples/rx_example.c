// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Count the packets arriving on one queue: rx_example IFNAME QUEUE SECONDS */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <libxsk/xsk.h>

#define FRAMES XSK_RING_PROD__DEFAULT_NUM_DESCS
#define FRAME_SIZE XSK_UMEM__DEFAULT_FRAME_SIZE

int main(int argc, char **argv)
{
	struct xsk_ring_prod fill;
	struct xsk_ring_cons comp, rx;
	struct xsk_umem *umem;
	struct xsk_socket *xsk;
	unsigned long long packets = 0;
	size_t size = FRAMES * FRAME_SIZE;
	__u32 idx = 0, fidx = 0, n, i;
	void *area;

	if (argc != 4)
		return fprintf(stderr, "usage: %s IFNAME QUEUE SECONDS\n", argv[0]), 2;
	area = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (area == MAP_FAILED || xsk_umem__create(&umem, area, size, &fill, &comp, NULL) ||
	    xsk_socket__create(&xsk, argv[1], atoi(argv[2]), umem, &rx, NULL, NULL))
		return 1;	/* libxsk has said why */

	/* Every frame goes to the kernel to receive into. */
	xsk_ring_prod__reserve(&fill, FRAMES, &idx);
	for (i = 0; i < FRAMES; i++)
		*xsk_ring_prod__fill_addr(&fill, idx + i) = (__u64)i * FRAME_SIZE;
	xsk_ring_prod__submit(&fill, FRAMES);

	for (time_t end = time(NULL) + atoi(argv[3]); time(NULL) < end; packets += n) {
		struct pollfd pfd = { .fd = xsk_socket__fd(xsk), .events = POLLIN };

		n = xsk_ring_cons__peek(&rx, 64, &idx);
		if (!n) {
			poll(&pfd, 1, 100);
			continue;
		}
		/* Received frames go straight back: the kernel freed their fill slots. */
		xsk_ring_prod__reserve(&fill, n, &fidx);
		for (i = 0; i < n; i++)
			*xsk_ring_prod__fill_addr(&fill, fidx + i) =
				xsk_ring_cons__rx_desc(&rx, idx + i)->addr;
		xsk_ring_prod__submit(&fill, n);
		xsk_ring_cons__release(&rx, n);
	}
	printf("%llu packets received on %s queue %s\n", packets, argv[1], argv[2]);
	xsk_socket__delete(xsk);
	xsk_umem__delete(umem);
	return munmap(area, size);
}
