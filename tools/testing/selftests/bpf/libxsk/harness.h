/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The libxsk regression suite: test registration, assertions, and the
 * per-test network environment.
 *
 * Each test runs in a child process of its own.  A test that asks for a
 * veth gets two fresh network namespaces, A and B, joined by a veth pair
 * (env.if_a in A, env.if_b in B); the child starts inside A.  The parent
 * deletes both namespaces when the child is done, whatever happened.
 *
 * After a test function returns, the harness fails it if it left fds or
 * ring mappings open, and the parent fails it if an XDP program is still
 * attached to either end of the veth.
 */
#ifndef LIBXSK_TEST_HARNESS_H
#define LIBXSK_TEST_HARNESS_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct test_case {
	const char *name;
	void (*fn)(void);
	bool veth;		/* needs the namespace pair */
	unsigned int queues;	/* veth queues (default 1) */
	unsigned int mtu;	/* veth MTU (default 1500) */
	unsigned int timeout;	/* seconds (default 60) */
	struct test_case *next;
};

void test_register(struct test_case *tc);

/*
 * TEST(name, options...) { body }
 * Options are struct test_case fields: .veth = true, .queues = 4, ...
 */
#define TEST(tname, ...)							\
	static void test_fn_##tname(void);					\
	static struct test_case test_case_##tname = {				\
		.name = #tname, .fn = test_fn_##tname, __VA_ARGS__		\
	};									\
	__attribute__((constructor)) static void test_reg_##tname(void)	\
	{									\
		test_register(&test_case_##tname);				\
	}									\
	static void test_fn_##tname(void)

/* The environment of the running test. */
struct test_env {
	char ns_a[48], ns_b[48];
	char if_a[16], if_b[16];
	int ifindex_a, ifindex_b;	/* each in its own namespace */
	unsigned char mac_a[6], mac_b[6];
	int nsfd_a, nsfd_b;
	unsigned int queues;
	unsigned int mtu;
};

extern struct test_env env;

/* Run the rest of the calling thread in namespace A or B. */
void env_enter_a(void);
void env_enter_b(void);

__attribute__((noreturn, format(printf, 3, 4)))
void test_fail(const char *file, int line, const char *fmt, ...);
__attribute__((format(printf, 1, 2)))
void test_log(const char *fmt, ...);

#define FAIL(fmt, ...) test_fail(__FILE__, __LINE__, fmt, ##__VA_ARGS__)

#define ASSERT_TRUE(cond)							\
	do {									\
		if (!(cond))							\
			FAIL("expected true: %s", #cond);			\
	} while (0)

#define ASSERT_FALSE(cond) ASSERT_TRUE(!(cond))

#define ASSERT_CMP(a, op, b)							\
	do {									\
		long long __a = (long long)(a), __b = (long long)(b);		\
		if (!(__a op __b))						\
			FAIL("expected %s %s %s: %lld vs %lld", #a, #op, #b,	\
			     __a, __b);						\
	} while (0)

#define ASSERT_EQ(a, b) ASSERT_CMP(a, ==, b)
#define ASSERT_NE(a, b) ASSERT_CMP(a, !=, b)
#define ASSERT_GE(a, b) ASSERT_CMP(a, >=, b)
#define ASSERT_GT(a, b) ASSERT_CMP(a, >, b)
#define ASSERT_LE(a, b) ASSERT_CMP(a, <=, b)
#define ASSERT_LT(a, b) ASSERT_CMP(a, <, b)

#define ASSERT_OK(expr)								\
	do {									\
		long long __r = (long long)(expr);				\
		if (__r)							\
			FAIL("%s failed: %lld (%s); last message: %s", #expr,	\
			     __r, strerror(__r < 0 ? (int)-__r : errno),	\
			     msg_last());					\
	} while (0)

#define ASSERT_PTR(ptr)								\
	do {									\
		if (!(ptr))							\
			FAIL("%s is NULL (errno %d, %s); last message: %s",	\
			     #ptr, errno, strerror(errno), msg_last());		\
	} while (0)

/*
 * Messages of the library, captured: tests check that an error names the
 * value at fault.
 */
void msg_reset(void);
const char *msg_last(void);
bool msg_contains(const char *needle);

#define ASSERT_MSG(needle)							\
	do {									\
		if (!msg_contains(needle))					\
			FAIL("no library message contains \"%s\"; last: %s",	\
			     needle, msg_last());				\
	} while (0)

/* Resource counts, for leak checks. */
int count_open_fds(void);
int count_socket_maps(void);

/* Milliseconds on the monotonic clock. */
uint64_t now_ms(void);

/* Run a command (no shell); returns its exit status, or -1. */
int run_cmd(const char *const argv[]);
/* The same, printf-built and split on spaces. */
__attribute__((format(printf, 1, 2)))
int run_cmdf(const char *fmt, ...);

#endif /* LIBXSK_TEST_HARNESS_H */
