// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libxsk must never raise RLIMIT_MEMLOCK (it cannot be raised on these
 * machines, and an application's limits are not a library's to change).
 * The test binary interposes setrlimit() and prlimit(), which the library
 * and libbpf resolve to, and notes any attempt to raise it.
 */
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "harness.h"
#include "test_util.h"

/*
 * Sanitizer runtimes call setrlimit() while they start, before their own
 * state exists: the interposers must not be instrumented, and they reach
 * the kernel directly instead of looking up libc's functions.
 */
#define NOT_INSTRUMENTED __attribute__((no_sanitize("address", "undefined")))

static bool memlock_raise_seen;

NOT_INSTRUMENTED
static void note_memlock_change(int resource, const struct rlimit *new_limit)
{
	struct rlimit cur;

	if (resource != RLIMIT_MEMLOCK || !new_limit)
		return;
	if (syscall(SYS_prlimit64, 0, RLIMIT_MEMLOCK, NULL, &cur) == 0 &&
	    (new_limit->rlim_cur > cur.rlim_cur || new_limit->rlim_max > cur.rlim_max))
		memlock_raise_seen = true;
}

NOT_INSTRUMENTED
int setrlimit(__rlimit_resource_t resource, const struct rlimit *rlim)
{
	note_memlock_change(resource, rlim);
	return syscall(SYS_prlimit64, 0, resource, rlim, NULL);
}

NOT_INSTRUMENTED
int prlimit(pid_t pid, __rlimit_resource_t resource, const struct rlimit *new_limit,
	    struct rlimit *old_limit)
{
	note_memlock_change(resource, new_limit);
	return syscall(SYS_prlimit64, pid, resource, new_limit, old_limit);
}

TEST(memlock_limit_is_never_raised, .veth = true)
{
	struct rlimit before, after;
	struct fixture f;

	ASSERT_OK(getrlimit(RLIMIT_MEMLOCK, &before));
	fixture_umem(&f, 1024, 0, 0);
	fixture_socket(&f, 0, true, true, 0, 0);	/* loads and attaches the program */
	fixture_destroy(&f);
	ASSERT_OK(getrlimit(RLIMIT_MEMLOCK, &after));
	ASSERT_FALSE(memlock_raise_seen);
	ASSERT_EQ(after.rlim_cur, before.rlim_cur);
	ASSERT_EQ(after.rlim_max, before.rlim_max);
}
