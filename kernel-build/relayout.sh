#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# relayout.sh OBJ COPY PAD
#
# Builds in COPY the kernel of the object folder OBJ (same source, config and
# objects) with its text moved by PAD bytes from arch/x86/kernel/early-quirks.o
# on, and prints the path of COPY's bzImage.  COPY is first made a copy of
# OBJ again (rsync), then only early-quirks.o is recompiled, with
# kernel-build/layout-pad.h forced in, and vmlinux relinked: about 10 s.
#
# Why: under TCG a guest kernel's speed depends on where its hot functions
# sit on guest pages (QEMU chains translated blocks directly only within a
# page), so two kernels that differ in one subsystem also differ, by several
# per cent, in code they share.  lab/vmbench.sh measures both kernels of a
# round at the same PAD and changes PAD from round to round
# (kernel-build/README.md, "Code layout under TCG").
#
# PAD: a multiple of 16 (the functions' alignment) from 0 to 4080.  The
# padding goes after the last object whose text is page-aligned in the link
# order (arch/x86/kernel/acpi/madt_playdead.o), so that it moves everything
# from there on: the rest of arch/x86, kernel/, mm/, net/ and drivers/.
set -eu

[ $# = 3 ] || { echo "usage: $0 OBJ COPY PAD" >&2; exit 2; }
obj=${1%/} copy=${2%/} pad=$3
here=$(cd "$(dirname "$0")" && pwd)
die() { echo "relayout: $*" >&2; exit 1; }

case $pad in
''|*[!0-9]*) die "PAD must be a number of bytes, not '$pad'" ;;
esac
[ "$pad" -lt 4096 ] && [ $((pad % 16)) = 0 ] ||
	die "PAD must be a multiple of 16 below 4096, not $pad"
[ -f "$obj/vmlinux" ] && [ -L "$obj/source" ] ||
	die "$obj is not a built kernel object folder (no vmlinux or source link)"
src=$(readlink "$obj/source")
[ -f "$obj/arch/x86/kernel/early-quirks.o" ] ||
	die "$obj has no arch/x86/kernel/early-quirks.o to pad after"

mkdir -p "$copy"
rsync -a --delete "$obj/" "$copy/"
env -u MAKEFLAGS -u MFLAGS make -s -C "$src" O="$(cd "$copy" && pwd)" CC="ccache gcc" \
	-j"${KJOBS:-2}" \
	"CFLAGS_early-quirks.o=-include $here/layout-pad.h -DAFXDP_LAYOUT_PAD=$pad" bzImage >&2 ||
	die "rebuilding $copy with PAD=$pad failed"
echo "$copy/arch/x86/boot/bzImage"
