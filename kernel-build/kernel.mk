# SPDX-License-Identifier: GPL-2.0
#
# The kernel build-and-boot pipeline (kernel-build/README.md), included by the
# root Makefile.
#
#   make kernel-mainline   build bzImage from linux-source-6.12 as it is
#   make kernel            the same tree with our AF_XDP in place of its own
#   make vmtest-mainline   boot it under QEMU and run the libxsk suite in it
#   make vmtest            the same on our kernel
#   make vmbench           xdpsock's benchmarks in the guest, ours vs mainline
#   make patches           our AF_XDP as a git format-patch series, proven to
#                          apply to 6.12 and to give the tree make kernel builds
#   make bisect-patches    build the kernel after every patch of that series
#
# DEBUG=1 builds and boots the KASAN/lockdep/kmemleak variant (separate build
# folders).  VMTEST_CMD is the shell command run in the guest (default: the
# libxsk suite, narrowed by TESTS); VMTEST_TIMEOUT bounds a run (seconds).

KDIR		:= $(abspath $(O))/kernel
KSRC_MAINLINE	:= $(KDIR)/src-mainline
KSRC_OURS	:= $(KDIR)/src-ours
KFRAGMENTS	:= $(CURDIR)/kernel-build/config.fragment
ifeq ($(DEBUG),1)
KVARIANT	:= -debug
KFRAGMENTS	+= $(CURDIR)/kernel-build/config-debug.fragment
else
KVARIANT	:=
endif
KOBJ_MAINLINE	:= $(KDIR)/obj-mainline$(KVARIANT)
KOBJ_OURS	:= $(KDIR)/obj-ours$(KVARIANT)
KIMAGE		:= arch/x86/boot/bzImage
# Where our kernel-tree paths (net/xdp/, include/net/...) are taken from.
AFXDP_SRC	?= $(CURDIR)

# Every CPU-heavy job on this machine takes this lock (benchmarks share it).
HEAVY		:= flock /tmp/afxdp-heavy.lock
KJOBS		?= 2
# Our own make flags (O=, DEBUG=, TESTS=...) must not reach kbuild.
KBUILD		= env -u MAKEFLAGS -u MFLAGS make -s -C $(1) O=$(2) \
		  CC="ccache gcc" -j$(KJOBS) $(if $(V),V=$(V)) bzImage

# The in-guest suite: the raw-syscall ABI tests, then the libxsk tests.
# Our kernels have sock_diag for AF_XDP built in: its test must run there.
# The ring_* tests are user-space unit tests of libxsk's inline ring helpers
# (the host runs them three times); one of them needs two CPUs at once,
# which the guest's single-threaded TCG does not give (kernel-build/vmtest.sh).
VMTEST_CMD	?= XSK_ABI_DIAG=required $(CURDIR)/$(ABI_BIN) $(TESTS) && \
		   $(CURDIR)/$(TEST_BIN) --exclude ring_ $(TESTS)
# Through the environment, so the command may hold any quote.
export VMTEST_CMD
VMTEST		:= $(CURDIR)/kernel-build/vmtest.sh

.PHONY: kernel-deps kernel-mainline kernel vmtest-mainline vmtest check-kernel vmbench \
	patches check-patches bisect-patches

kernel-deps:
	@setup/install-deps.sh kernel

# $(1): source tree, $(2): output folder.
define kernel_build
	@kernel-build/mkconfig.sh $(1) $(2) $(KFRAGMENTS)
	@echo "  KBUILD    $(2)/$(KIMAGE)"
	@start=$$(date +%s); $(HEAVY) $(call KBUILD,$(1),$(2)) && \
		echo "  KBUILD    done in $$(($$(date +%s) - start)) s: $(2)/$(KIMAGE)"
endef

kernel-mainline: kernel-deps
	@$(HEAVY) kernel-build/unpack.sh $(KSRC_MAINLINE)
	$(call kernel_build,$(KSRC_MAINLINE),$(KOBJ_MAINLINE))

kernel: kernel-deps
	@$(HEAVY) kernel-build/unpack.sh $(KSRC_MAINLINE)
	@$(HEAVY) kernel-build/unpack.sh $(KSRC_OURS)
	@kernel-build/prepare-tree.sh $(KSRC_MAINLINE) $(KSRC_OURS) $(AFXDP_SRC)
	$(call kernel_build,$(KSRC_OURS),$(KOBJ_OURS))

# $(1): the kernel's output folder, $(2): the run's folder, $(3): shell
# words run before the command (the suites' environment).
define kernel_vmtest
	$(HEAVY) $(VMTEST) $(1)/$(KIMAGE) $(2) "$(3)$$VMTEST_CMD"
endef

vmtest-mainline: kernel-mainline test-build abi-test-build
	$(call kernel_vmtest,$(KOBJ_MAINLINE),$(KDIR)/vmtest-mainline$(KVARIANT))

# XSK_ABI_KERNEL=ours: where kernels may differ, the ABI suite pins our outcome.
vmtest: kernel test-build abi-test-build
	$(call kernel_vmtest,$(KOBJ_OURS),$(KDIR)/vmtest-ours$(KVARIANT),export XSK_ABI_KERNEL=ours; )

# The kernel part of `make check`: our kernel must pass the in-guest suite.
check-kernel: vmtest

# make bench's benchmark in the guest, booting ours and mainline alternately
# (VMBENCH_ROUNDS boots of each, VMBENCH_SECONDS per run): lab/vmbench.sh.
vmbench: deps kernel kernel-mainline $(LAB_BIN) $(XDPSOCK)
	lab/vmbench.sh $(KOBJ_OURS) $(KOBJ_MAINLINE) $(LAB_BIN) $(XDPSOCK) \
		$(RESULTS)/vmbench $(KDIR)

# The series (kernel-build/series/, kernel-build/mkpatches.sh): into
# build/kernel/patches/patches/, checked with git am and checkpatch.
PATCHES_OUT	:= $(KDIR)/patches

patches: kernel
	kernel-build/mkpatches.sh $(KSRC_MAINLINE) $(KSRC_OURS) $(PATCHES_OUT)

check-patches: patches

# A kernel build after every patch (about a minute per patch once the
# first, cold, build is done): build/kernel/bisect/.
bisect-patches: patches
	$(HEAVY) kernel-build/bisect-patches.sh $(KSRC_MAINLINE) $(PATCHES_OUT)/patches \
		$(KOBJ_OURS)/.config $(KDIR)/bisect
