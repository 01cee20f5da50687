# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#
# The socket-family fuzzer (xsk_fuzz.c), included by the root Makefile:
#
#   make fuzz-build    build $(B)/tests/xsk_fuzz
#   make fuzz          run it in the guest on the DEBUG=1 kernel (KASAN,
#                      lockdep, kmemleak, DEBUG_ATOMIC_SLEEP):
#                      FUZZ_SEQUENCES (100000), FUZZ_SEED (1), FUZZ_KERNEL
#                      (ours or mainline), FUZZ_ARGS (more xsk_fuzz options)
#   make check-fuzz    a short run in the guest on our plain kernel (make check)
#
# A failure prints the seed and sequence that reproduce it; the run ends
# with a table of the (socket state, call) pairs reached.  The guest's
# serial log is kept in build/kernel/fuzz-<kernel>[-debug]/serial.log.

FUZZSRC		:= tools/testing/selftests/bpf/xsk_fuzz
FUZZ_BIN	:= $(B)/tests/xsk_fuzz
FUZZ_SEQUENCES	?= 100000
FUZZ_SEED	?= 1
FUZZ_KERNEL	?= ours
FUZZ_ARGS	?=
# kmemleak scans (two, 6 s apart) every this many sequences of make fuzz.
FUZZ_LEAK_EVERY	?= 10000
# Sequences of the short run in make check.
CHECK_FUZZ_SEQUENCES ?= 300

$(FUZZ_BIN): $(FUZZSRC)/xsk_fuzz.c lab/vlab.c lab/vlab.h | $(B)/tests
	$(call msg,CC,$@)
	$(Q)$(CC) $(ALL_CFLAGS) -Ilab -o $@ $(FUZZSRC)/xsk_fuzz.c lab/vlab.c \
		$(BPF_LIBS) -lpthread

.PHONY: fuzz-build fuzz fuzz-run check-fuzz

fuzz-build: $(FUZZ_BIN)

# The kernel variables (build folders) depend on DEBUG when the makefiles
# are read: the run itself is a second make with DEBUG=1.
fuzz: deps fuzz-build
	$(MAKE) --no-print-directory DEBUG=1 fuzz-run

FUZZ_KOBJ	= $(if $(filter mainline,$(FUZZ_KERNEL)),$(KOBJ_MAINLINE),$(KOBJ_OURS))
FUZZ_CMD	= $(CURDIR)/$(FUZZ_BIN) --seed $(FUZZ_SEED) --sequences $(FUZZ_SEQUENCES) \
		  --leak-every $(FUZZ_LEAK_EVERY) $(FUZZ_ARGS)

fuzz-run: $(if $(filter mainline,$(FUZZ_KERNEL)),kernel-mainline,kernel)
	VMTEST_TIMEOUT=$${VMTEST_TIMEOUT:-21600} $(HEAVY) $(VMTEST) $(FUZZ_KOBJ)/$(KIMAGE) \
		$(KDIR)/fuzz-$(FUZZ_KERNEL)$(KVARIANT) "$(FUZZ_CMD)"

check-fuzz: deps kernel fuzz-build
	VMTEST_QUIET=1 $(HEAVY) $(VMTEST) $(KOBJ_OURS)/$(KIMAGE) $(KDIR)/fuzz-check \
		"$(CURDIR)/$(FUZZ_BIN) --seed $(FUZZ_SEED) --sequences $(CHECK_FUZZ_SEQUENCES) --quiet"
