/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A veth lab: two fresh network namespaces, A and B, joined by a veth
 * pair (vxa in A, vxb in B), with IPv6 off so nothing but our traffic is
 * on the wire.  Used by xsk-lab and by the test suites.
 */
#ifndef VLAB_H
#define VLAB_H

#include <stdbool.h>

struct vlab {
	char ns[2][48];		/* namespace names: [0] = A, [1] = B */
	char ifname[2][16];	/* vxa, vxb */
	int nsfd[2];		/* open namespace fds, -1 when closed */
	int ifindex[2];		/* each in its own namespace */
	unsigned char mac[2][6];
	unsigned int queues;
	unsigned int mtu;
};

enum { VLAB_A = 0, VLAB_B = 1 };

/*
 * Create the lab; names are "PREFIX-PID-TAG-a" and "...-b".  Returns 0, or
 * -1 with a message on stderr (and nothing left behind).
 */
int vlab_create(struct vlab *l, const char *prefix, const char *tag, unsigned int queues,
		unsigned int mtu);
/* Open an existing lab by its namespace names (for a re-exec'd child). */
int vlab_open(struct vlab *l, const char *ns_a, const char *ns_b);
/* Learn ifindexes and MACs; leaves the calling thread in A. */
int vlab_learn(struct vlab *l);
void vlab_destroy(struct vlab *l);

/* Move the calling thread into A or B; returns 0 or -errno. */
int vlab_enter(const struct vlab *l, int side);
/* Move the calling thread back to where it started (the first call records it). */
int vlab_enter_host(void);

/* Delete "PREFIX-PID-*" namespaces whose PID is dead. */
void vlab_sweep_stale(const char *prefix);

/* Turn on GRO of @ifname in the current namespace (veth then runs NAPI). */
int vlab_set_gro(const char *ifname, bool on);

/* Run a command (no shell), stdout discarded; its exit status or -1. */
int vlab_run(const char *const argv[]);
/* The same, printf-built and split on spaces. */
__attribute__((format(printf, 1, 2)))
int vlab_runf(const char *fmt, ...);

#endif /* VLAB_H */
