# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#
# AF_XDP end to end: libxsk (tools/lib/bpf), its tests
# (tools/testing/selftests/bpf/libxsk) and the demo.
#
#   make                 build libxsk.so.1, libxsk.a, libxsk.pc
#   make demo            rxdrop, txonly, l2fwd for a few seconds on a throw-away veth lab
#   make bench           xdpsock on libxsk vs libxdp, side by side (results/)
#   make check           every test (host suite, sanitizers, valgrind)
#   make install PREFIX=/usr/local
#
# SANITIZE=1 builds with AddressSanitizer and UBSan (into build/sanitize).

VERSION		:= 1.0.0
SOVERSION	:= 1

PREFIX		?= /usr/local
LIBDIR		?= $(PREFIX)/lib
INCLUDEDIR	?= $(PREFIX)/include
DESTDIR		?=

CC		?= cc
CLANG		?= clang
LLVM_STRIP	?= llvm-strip
PKG_CONFIG	?= pkg-config

O		?= build
ifeq ($(SANITIZE),1)
B		:= $(O)/sanitize
SAN_FLAGS	:= -fsanitize=address,undefined -fno-sanitize-recover=undefined \
		   -fno-omit-frame-pointer
else
B		:= $(O)/default
SAN_FLAGS	:=
endif

# V=1 shows every command.
ifeq ($(V),1)
Q		:=
msg		=
else
Q		:= @
msg		= @printf '  %-9s %s\n' '$(1)' '$(2)';
endif

LIBSRC		:= tools/lib/bpf
TESTSRC		:= tools/testing/selftests/bpf/libxsk

WARN_FLAGS	:= -Wall -Wextra -Wno-unused-parameter -Wshadow -Wformat=2 \
		   -Wstrict-prototypes -Wmissing-prototypes -Werror
CFLAGS		?= -O2 -g
ALL_CFLAGS	:= $(CFLAGS) $(WARN_FLAGS) $(SAN_FLAGS) -std=gnu11 -D_GNU_SOURCE
BPF_LIBS	:= $(shell $(PKG_CONFIG) --libs libbpf 2>/dev/null || echo -lbpf)

LIB_OBJS	:= $(B)/lib/xsk.o $(B)/lib/xsk_prog.o $(B)/lib/xsk_batch.o \
		   $(B)/lib/xsk_def_prog_blob.o
LIB_SO		:= $(B)/libxsk.so.$(VERSION)
LIB_A		:= $(B)/libxsk.a
LIB_PC		:= $(B)/libxsk.pc
# The public header as applications include it: <libxsk/xsk.h>
PUB_HDR		:= $(B)/include/libxsk/xsk.h

.PHONY: all lib lab samples deps demo bench check check-build check-host check-xdpsock check-sanitize check-valgrind \
	test-build install clean help

all: lib

help:
	@sed -n 's/^#   //p' Makefile

deps:
	@setup/install-deps.sh lib test bench

lib: $(LIB_SO) $(LIB_A) $(LIB_PC) $(PUB_HDR)

# ---- the default XDP program, compiled for BPF and embedded ----------

BPF_CFLAGS	:= -O2 -g -target bpf -Wall -Werror \
		   -I/usr/include/$(shell $(CC) -dumpmachine)

$(B)/bpf/xsk_def_prog.bpf.o: $(LIBSRC)/xsk_def_prog.bpf.c | $(B)/bpf
	$(call msg,CLANG-BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@.tmp
	$(Q)$(LLVM_STRIP) -g $@.tmp	# drop DWARF, keep the BTF the maps need
	$(Q)mv $@.tmp $@

$(B)/lib/xsk_def_prog_blob.o: $(LIBSRC)/xsk_def_prog_blob.S $(B)/bpf/xsk_def_prog.bpf.o | $(B)/lib
	$(call msg,AS,$@)
	$(Q)$(CC) -c -fPIC -DXSK_DEF_PROG_OBJ='"$(B)/bpf/xsk_def_prog.bpf.o"' $< -o $@

# ---- the library -----------------------------------------------------

$(B)/lib/%.o: $(LIBSRC)/%.c $(LIBSRC)/xsk.h $(LIBSRC)/xsk_internal.h | $(B)/lib
	$(call msg,CC,$@)
	$(Q)$(CC) $(ALL_CFLAGS) -fPIC -fvisibility=hidden -I$(LIBSRC) -c $< -o $@

$(LIB_SO): $(LIB_OBJS) $(LIBSRC)/libxsk.map
	$(call msg,LD,$@)
	$(Q)$(CC) $(SAN_FLAGS) -shared -Wl,-soname,libxsk.so.$(SOVERSION) \
		-Wl,--version-script=$(LIBSRC)/libxsk.map -Wl,-z,defs \
		-o $@ $(LIB_OBJS) $(BPF_LIBS) -lpthread
	$(Q)ln -sf libxsk.so.$(VERSION) $(B)/libxsk.so.$(SOVERSION)
	$(Q)ln -sf libxsk.so.$(SOVERSION) $(B)/libxsk.so

$(LIB_A): $(LIB_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@
	$(Q)ar rcs $@ $^

$(LIB_PC): $(LIBSRC)/libxsk.pc.template Makefile | $(B)
	$(call msg,GEN,$@)
	$(Q)sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
	    -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' -e 's|@VERSION@|$(VERSION)|' $< > $@

$(PUB_HDR): $(LIBSRC)/xsk.h
	$(Q)mkdir -p $(dir $@)
	$(Q)cp $< $@

$(B) $(B)/lib $(B)/bpf $(B)/tests:
	$(Q)mkdir -p $@

install: lib
	install -d $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCLUDEDIR)/libxsk
	install -m 644 $(LIBSRC)/xsk.h $(DESTDIR)$(INCLUDEDIR)/libxsk/xsk.h
	install -m 755 $(LIB_SO) $(DESTDIR)$(LIBDIR)/
	ln -sf libxsk.so.$(VERSION) $(DESTDIR)$(LIBDIR)/libxsk.so.$(SOVERSION)
	ln -sf libxsk.so.$(SOVERSION) $(DESTDIR)$(LIBDIR)/libxsk.so
	install -m 644 $(LIB_A) $(DESTDIR)$(LIBDIR)/
	install -m 644 $(LIB_PC) $(DESTDIR)$(LIBDIR)/pkgconfig/

# ---- tests -----------------------------------------------------------

TEST_SRCS	:= $(wildcard $(TESTSRC)/*.c) lab/vlab.c
TEST_HDRS	:= $(wildcard $(TESTSRC)/*.h) lab/vlab.h
TEST_BIN	:= $(B)/tests/libxsk_test
EXAMPLE_BIN	:= $(B)/tests/rx_example

# The tests link the static library, so a test binary runs from the build
# tree and valgrind sees the library's code with its symbols.
$(TEST_BIN): $(TEST_SRCS) $(TEST_HDRS) $(LIB_A) $(PUB_HDR) | $(B)/tests
	$(call msg,CC,$@)
	$(Q)$(CC) $(ALL_CFLAGS) -I$(B)/include -Ilab -o $@ $(TEST_SRCS) $(LIB_A) $(BPF_LIBS) -lpthread

$(EXAMPLE_BIN): examples/rx_example.c $(LIB_A) $(PUB_HDR) | $(B)/tests
	$(call msg,CC,$@)
	$(Q)$(CC) $(ALL_CFLAGS) -I$(B)/include -o $@ $< $(LIB_A) $(BPF_LIBS) -lpthread

test-build: $(TEST_BIN) $(EXAMPLE_BIN)

# ---- build-level checks ----------------------------------------------------
#
# The installed tree works through pkg-config; the .so exports exactly the
# versioned API; the header builds as C++; one classic-API program builds
# unchanged against libxsk and against libxdp.

STAGE		:= $(B)/stage
COMPAT_SRC	:= $(TESTSRC)/compat/classic_api.c
API_SYMBOLS	:= $(shell sed -n 's/^\t\t\([a-z_]*\);$$/\1/p' $(LIBSRC)/libxsk.map)

check-build: deps lib
	rm -rf $(STAGE)
	$(MAKE) --no-print-directory -B $(LIB_PC) install PREFIX=$(abspath $(STAGE))
	PKG_CONFIG_PATH=$(abspath $(STAGE))/lib/pkgconfig sh -c '$(CC) -Wall -Werror \
		-o $(STAGE)/rx_example examples/rx_example.c $$($(PKG_CONFIG) --cflags --libs libxsk)'
	LD_LIBRARY_PATH=$(STAGE)/lib $(STAGE)/rx_example 2>/dev/null; test $$? -eq 2
	$(MAKE) --no-print-directory -B $(LIB_PC)
	nm -D --defined-only $(LIB_SO) | awk '$$2 == "T" { print $$3 }' | sort > $(B)/exported.txt
	printf '%s\n' $(addsuffix @@LIBXSK_1.0,$(API_SYMBOLS)) | sort > $(B)/expected.txt
	diff -u $(B)/expected.txt $(B)/exported.txt
	echo '#include <libxsk/xsk.h>' | g++ -x c++ -Wall -Werror -I$(B)/include -c - -o /dev/null
	$(CC) -Wall -Werror -I$(B)/include -o $(B)/compat_libxsk $(COMPAT_SRC) $(LIB_A) $(BPF_LIBS) -lpthread
	$(CC) -Wall -Werror -DUSE_LIBXDP -o $(B)/compat_libxdp $(COMPAT_SRC) -lxdp $(BPF_LIBS)
	$(B)/compat_libxsk --dry-run
	$(B)/compat_libxdp --dry-run
	sed -n '/<!-- example:begin examples\/rx_example.c -->/,/<!-- example:end -->/p' README.md \
		| sed '1,2d;$$d' | sed '$$d' | diff -u examples/rx_example.c - \
		|| { echo "check-build: README's example differs from examples/rx_example.c"; false; }
	rst2html --halt=warning --report=warning Documentation/networking/af_xdp.rst > /dev/null
	@echo "check-build: install, exports, C++ and classic-API builds, docs are fine"

# TESTS="pattern ..." selects tests by name.
check-host: deps test-build
	$(TEST_BIN) $(TESTS)

check-sanitize: deps
	$(MAKE) --no-print-directory SANITIZE=1 test-build
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		$(O)/sanitize/tests/libxsk_test $(TESTS)

VALGRIND	:= valgrind --quiet --leak-check=full --show-leak-kinds=definite,indirect \
		   --errors-for-leak-kinds=definite,indirect --error-exitcode=99 \
		   --suppressions=$(TESTSRC)/valgrind.supp
# valgrind notes every bpf() command it has no model for; those notes are not errors.
check-valgrind: deps test-build
	bash -o pipefail -c '$(TEST_BIN) --wrap "$(VALGRIND)" $(TESTS) 2>&1 | \
		sed -u "/WARNING: unhandled eBPF command/d"'

include tools/testing/selftests/bpf/xsk_abi/abi.mk
include tools/testing/selftests/bpf/xsk_fuzz/fuzz.mk

check: check-build check-host check-abi check-xdpsock check-sanitize check-valgrind check-kernel \
       check-fuzz check-patches
	@echo "check: all suites passed"

# ---- the veth lab ------------------------------------------------------

BPFTOOL		?= bpftool
LAB_BIN		:= $(B)/lab/xsk-lab

$(B)/lab:
	$(Q)mkdir -p $@

$(B)/lab/lab_progs.bpf.o: lab/lab_progs.bpf.c | $(B)/lab
	$(call msg,CLANG-BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(B)/lab/lab_progs.skel.h: $(B)/lab/lab_progs.bpf.o
	$(call msg,SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name lab_progs > $@.tmp
	$(Q)mv $@.tmp $@

$(LAB_BIN): lab/xsk_lab.c lab/vlab.c lab/vlab.h $(B)/lab/lab_progs.skel.h
	$(call msg,CC,$@)
	$(Q)$(CC) $(ALL_CFLAGS) -I$(B)/lab -Ilab -o $@ lab/xsk_lab.c lab/vlab.c $(BPF_LIBS) -lpthread

lab: $(LAB_BIN)

# ---- xdpsock, built against libxsk and against libxdp ---------------------

XDPSOCK		:= $(B)/samples/xdpsock
XDPSOCK_LIBXDP	:= $(B)/samples/xdpsock-libxdp
XDPSOCK_DEPS	:= samples/bpf/xdpsock_user.c $(B)/samples/xdpsock.skel.h

$(B)/samples:
	$(Q)mkdir -p $@

$(B)/samples/xdpsock.bpf.o: samples/bpf/xdpsock.bpf.c | $(B)/samples
	$(call msg,CLANG-BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(B)/samples/xdpsock.skel.h: $(B)/samples/xdpsock.bpf.o
	$(call msg,SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name xdpsock_bpf > $@.tmp
	$(Q)mv $@.tmp $@

$(XDPSOCK): $(XDPSOCK_DEPS) $(LIB_SO) $(PUB_HDR)
	$(call msg,CC,$@)
	$(Q)$(CC) $(ALL_CFLAGS) -I$(B)/include -I$(B)/samples -o $@ $< \
		-L$(B) -Wl,-rpath,$(abspath $(B)) -lxsk $(BPF_LIBS) -lpthread

$(XDPSOCK_LIBXDP): $(XDPSOCK_DEPS)
	$(call msg,CC,$@)
	$(Q)$(CC) $(ALL_CFLAGS) -DUSE_LIBXDP -I$(B)/samples -o $@ $< -lxdp $(BPF_LIBS) -lpthread

samples: $(XDPSOCK) $(XDPSOCK_LIBXDP)

check-xdpsock: deps $(XDPSOCK) $(LAB_BIN)
	tools/testing/selftests/bpf/xdpsock/test_xdpsock.sh $(XDPSOCK) $(LAB_BIN)
	tools/testing/selftests/bpf/xdpsock/test_vmbench_cells.sh lab

# ---- demo ------------------------------------------------------------

demo: deps $(LAB_BIN) $(XDPSOCK)
	@lab/demo.sh $(LAB_BIN) $(XDPSOCK) 3

# ---- side by side against libxdp ------------------------------------------

RESULTS		?= results
bench: deps $(LAB_BIN) $(XDPSOCK) $(XDPSOCK_LIBXDP)
	lab/bench.sh $(LAB_BIN) $(XDPSOCK) $(XDPSOCK_LIBXDP) $(RESULTS)

include kernel-build/kernel.mk

clean:
	rm -rf $(O)
