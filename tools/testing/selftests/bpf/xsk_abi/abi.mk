# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#
# The AF_XDP kernel ABI suite (raw syscalls, no libxsk), included by the
# root Makefile:
#
#   make abi-test-build    build $(B)/tests/xsk_abi_test
#   make check-abi         run it on the host kernel (TESTS=pattern narrows it)
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
