// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Count the packets arriving on one queue: rx_example IFNAME QUEUE SECONDS */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <libxsk/xsk.h>

#define FRAMES 4096

int main(int argc, char **argv)
{
	size_t size = (size_t)FRAMES * XSK_UMEM__DEFAULT_FRAME_SIZE;
	struct xsk_ring_prod fill;
	struct xsk_ring_cons comp, rx;
	struct xsk_frame frames[64];
	struct xsk_frame_pool *pool = NULL;
	struct xsk_umem *umem;
	struct xsk_socket *xsk;
	unsigned long long packets = 0;
	void *area;

	if (argc != 4)
		return fprintf(stderr, "usage: %s IFNAME QUEUE SECONDS\n", argv[0]), 2;
	area = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (area == MAP_FAILED || xsk_umem__create(&umem, area, size, &fill, &comp, NULL) ||
	    xsk_socket__create(&xsk, argv[1], atoi(argv[2]), umem, &rx, NULL, NULL) ||
	    !(pool = xsk_frame_pool__create(umem, 0, FRAMES)) || xsk_socket__use_frame_pool(xsk, pool))
		return 1;	/* libxsk has said why */

	/* Frames point into the UMEM: no copy.  The library keeps the kernel supplied. */
	for (time_t end = time(NULL) + atoi(argv[3]); time(NULL) < end;) {
		int n = xsk_socket__recv(xsk, frames, 64, 100);	/* waits up to 100 ms */

		if (n > 0) {
			packets += n;
			xsk_socket__recv_done(xsk, frames, n);
		}
	}
	printf("%llu packets received on %s queue %s\n", packets, argv[1], argv[2]);
	xsk_socket__delete(xsk);
	xsk_frame_pool__delete(pool);
	xsk_umem__delete(umem);
	return munmap(area, size);
}
