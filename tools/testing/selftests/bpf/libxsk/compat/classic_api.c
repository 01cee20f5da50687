// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * One source, two libraries: this file uses the whole classic xsk.h API
 * and must compile unchanged against libxsk (<libxsk/xsk.h>) and against
 * libxdp (<xdp/xsk.h>, with -DUSE_LIBXDP).  It is compiled, linked and run
 * with --dry-run by `make check-build`; it never touches the network.
 */
#ifdef USE_LIBXDP
#include <xdp/xsk.h>
#else
#include <libxsk/xsk.h>
#endif
#include <linux/if_link.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>

/* Every inline helper, with the classic signatures. */
static __u32 use_ring_helpers(struct xsk_ring_prod *fill, struct xsk_ring_cons *comp,
			      struct xsk_ring_prod *tx, struct xsk_ring_cons *rx, void *area)
{
	__u32 idx = 0, n = 0;

	if (xsk_ring_prod__reserve(fill, 1, &idx) == 1) {
		*xsk_ring_prod__fill_addr(fill, idx) = 0;
		xsk_ring_prod__submit(fill, 1);
	}
	n += xsk_prod_nb_free(fill, 1) + xsk_cons_nb_avail(comp, 1);
	if (xsk_ring_cons__peek(comp, 1, &idx)) {
		n += (__u32)*xsk_ring_cons__comp_addr(comp, idx);
		xsk_ring_cons__release(comp, 1);
	}
	if (xsk_ring_prod__reserve(tx, 1, &idx)) {
		xsk_ring_prod__tx_desc(tx, idx)->len = 60;
		xsk_ring_prod__submit(tx, 1);
	}
	if (xsk_ring_prod__needs_wakeup(tx))
		n++;
	if (xsk_ring_cons__peek(rx, 1, &idx)) {
		const struct xdp_desc *d = xsk_ring_cons__rx_desc(rx, idx);
		__u64 a = xsk_umem__add_offset_to_addr(d->addr);

		n += *(char *)xsk_umem__get_data(area, xsk_umem__extract_addr(a)) +
		     (__u32)xsk_umem__extract_offset(d->addr);
		xsk_ring_cons__cancel(rx, 1);
	}
	return n;
}

/* Every control function, as the classic API declares it. */
static int use_control_path(void *area, __u64 size, const char *ifname)
{
	struct xsk_umem_config ucfg = {
		.fill_size = XSK_RING_PROD__DEFAULT_NUM_DESCS,
		.comp_size = XSK_RING_CONS__DEFAULT_NUM_DESCS,
		.frame_size = XSK_UMEM__DEFAULT_FRAME_SIZE,
		.frame_headroom = XSK_UMEM__DEFAULT_FRAME_HEADROOM,
		.flags = XSK_UMEM__DEFAULT_FLAGS,
	};
	struct xsk_socket_config scfg = {
		.rx_size = XSK_RING_CONS__DEFAULT_NUM_DESCS,
		.tx_size = XSK_RING_PROD__DEFAULT_NUM_DESCS,
		.libbpf_flags = XSK_LIBBPF_FLAGS__INHIBIT_PROG_LOAD,
		.xdp_flags = XDP_FLAGS_SKB_MODE,
		.bind_flags = XDP_USE_NEED_WAKEUP,
	};
	struct xsk_ring_prod fill, tx, fill2;
	struct xsk_ring_cons comp, rx, comp2;
	struct xsk_umem *umem;
	struct xsk_socket *xsk, *xsk2;
	int map_fd, err;

	scfg.libxdp_flags = XSK_LIBXDP_FLAGS__INHIBIT_PROG_LOAD;
	err = xsk_umem__create(&umem, area, size, &fill, &comp, &ucfg);
	if (err)
		return err;
	err = xsk_socket__create(&xsk, ifname, 0, umem, &rx, &tx, &scfg);
	if (!err)
		err = xsk_socket__create_shared(&xsk2, ifname, 1, umem, &rx, &tx, &fill2, &comp2,
						&scfg);
	if (!err)
		err = xsk_setup_xdp_prog(if_nametoindex(ifname), &map_fd);
	if (!err)
		err = xsk_socket__update_xskmap(xsk, map_fd);
	if (!err)
		err = xsk_socket__fd(xsk) + xsk_umem__fd(umem);
	if (!err) {
		xsk_socket__delete(xsk2);
		xsk_socket__delete(xsk);
	}
	return err ? err : xsk_umem__delete(umem) + (int)use_ring_helpers(&fill, &comp, &tx, &rx,
									   area);
}

int main(int argc, char **argv)
{
	/* Linked and loaded, not run: the suites exercise the behaviour. */
	if (argc == 2 && !strcmp(argv[1], "--dry-run")) {
		printf("classic_api: built against %s\n",
#ifdef USE_LIBXDP
		       "libxdp"
#else
		       "libxsk"
#endif
		       );
		return 0;
	}
	return use_control_path(NULL, 0, argc > 1 ? argv[1] : "lo") ? 1 : 0;
}
