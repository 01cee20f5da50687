# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#
# The AF_XDP kernel ABI suite (raw syscalls, no libxsk), included by the
# root Makefile:
#
#   make abi-test-build    build $(B)/tests/xsk_abi_test
#   make check-abi         run it on the host kernel (TESTS=pattern narrows it)
#   make check-abi-sanitize / check-abi-valgrind   the same with ASan+UBSan / valgrind
#
# It links the libxsk suite's harness (built without its libxsk hook) and
# the veth lab helpers.

ABISRC		:= tools/testing/selftests/bpf/xsk_abi
ABI_SRCS	:= $(wildcard $(ABISRC)/*.c) $(TESTSRC)/harness.c lab/vlab.c
ABI_HDRS	:= $(wildcard $(ABISRC)/*.h) $(TESTSRC)/harness.h lab/vlab.h
ABI_BIN		:= $(B)/tests/xsk_abi_test

$(ABI_BIN): $(ABI_SRCS) $(ABI_HDRS) | $(B)/tests
	$(call msg,CC,$@)
	$(Q)$(CC) $(ALL_CFLAGS) -DHARNESS_NO_LIBXSK -I$(ABISRC) -I$(TESTSRC) -Ilab \
		-o $@ $(ABI_SRCS) $(BPF_LIBS) -lpthread

.PHONY: abi-test-build check-abi

abi-test-build: $(ABI_BIN)

check-abi: deps abi-test-build
	$(ABI_BIN) $(TESTS)

# The same suite with AddressSanitizer+UBSan, and under valgrind (leaks fatal),
# as the libxsk suite is run.
check-abi-sanitize: deps
	$(MAKE) --no-print-directory SANITIZE=1 abi-test-build
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		$(O)/sanitize/tests/xsk_abi_test $(TESTS)

check-abi-valgrind: deps abi-test-build
	bash -o pipefail -c '$(ABI_BIN) --wrap "$(VALGRIND)" $(TESTS) 2>&1 | \
		sed -u "/WARNING: unhandled eBPF command/d"'

.PHONY: check-abi-sanitize check-abi-valgrind
