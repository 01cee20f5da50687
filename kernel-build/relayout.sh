#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# relayout.sh OBJ COPY PAD [MATCH_OBJ OBJECT...]
#
# Builds in COPY the kernel of the object folder OBJ (same source, config and
# objects) with its text moved by PAD bytes from arch/x86/kernel/early-quirks.o
# on, and prints the path of COPY's bzImage.  COPY is first made a copy of
# OBJ again (rsync), then only the padded objects are recompiled, with
# kernel-build/layout-pad.h forced in, and vmlinux relinked: about 10 s.
#
# With MATCH_OBJ and OBJECTs (paths inside the object folders, in link order,
# e.g. kernel/bpf/offload.o), each OBJECT is padded too, so that the text
# linked from it on falls at the page offsets it has in MATCH_OBJ: its pad is
# what moves OBJECT's first global function from its offset in OBJ (plus the
# pads of the OBJECTs before it) to its offset in MATCH_OBJ (both as built,
# unpadded), modulo a page.
#
# Why: under TCG a guest kernel's speed depends on where its hot functions
# sit on guest pages (QEMU chains translated blocks directly only within a
# page), so two kernels that differ in one subsystem also differ, by several
# per cent, in code they share.  lab/vmbench.sh measures both kernels of a
# round at the same PAD, our kernel matched to mainline's layout after the
# objects VMBENCH_MATCH lists, and changes PAD from round to round
# (kernel-build/README.md, "Code layout under TCG").
#
# PAD: a multiple of 16 (the functions' alignment) from 0 to 4080.  The
# padding goes after the last object whose text is page-aligned in the link
# order (arch/x86/kernel/acpi/madt_playdead.o), so that it moves everything
# from there on: the rest of arch/x86, kernel/, mm/, net/ and drivers/.
set -eu

[ $# = 3 ] || [ $# -ge 5 ] || { echo "usage: $0 OBJ COPY PAD [MATCH_OBJ OBJECT...]" >&2; exit 2; }
obj=${1%/} copy=${2%/} pad=$3 match=${4:-}
shift 3
[ $# = 0 ] || shift
here=$(cd "$(dirname "$0")" && pwd)
die() { echo "relayout: $*" >&2; exit 1; }

case $pad in
''|*[!0-9]*) die "PAD must be a number of bytes, not '$pad'" ;;
esac
[ "$pad" -lt 4096 ] && [ $((pad % 16)) = 0 ] ||
	die "PAD must be a multiple of 16 below 4096, not $pad"
for d in "$obj" ${match:+"$match"}; do
	[ -f "$d/vmlinux" ] && [ -f "$d/System.map" ] && [ -L "$d/source" ] ||
		die "$d is not a built kernel object folder (no vmlinux, System.map or source link)"
done
src=$(readlink "$obj/source")
[ -f "$obj/arch/x86/kernel/early-quirks.o" ] ||
	die "$obj has no arch/x86/kernel/early-quirks.o to pad after"

# The address of text symbol $1 in System.map $2, as a number.
sym_addr() {
	awk -v s="$1" '$3 == s && $2 ~ /^[tT]$/ { print $1; exit }' "$2" |
		sed -n 's/^ffffffff\(.*\)/\1/p' | { read -r a && echo $((0x$a)); }
}

# The OBJECTs' pads, each bringing the text from it on to MATCH_OBJ's offsets.
objects="$*" padded=0 pads="" wants=""
for match_at in $objects; do
	[ -f "$obj/$match_at" ] || die "$obj has no $match_at to match $match from"
	base=${match_at##*/}
	[ "$(find "$obj" -name "$base" | wc -l)" = 1 ] ||
		die "more than one $base in $obj: CFLAGS_$base would pad them all"
	sym=$(nm --defined-only "$obj/$match_at" | awk '$2 == "T" { print $3; exit }')
	[ -n "$sym" ] || die "$match_at defines no global function to match on"
	a=$(sym_addr "$sym" "$obj/System.map") && [ -n "$a" ] ||
		die "$sym ($match_at) is not in $obj/System.map"
	b=$(sym_addr "$sym" "$match/System.map") && [ -n "$b" ] ||
		die "$sym ($match_at) is not in $match/System.map"
	want=$(( ((b - a) % 4096 + 4096) % 4096 ))
	this=$(( ((want - padded) % 4096 + 4096) % 4096 ))
	[ $((this % 16)) = 0 ] ||
		die "$sym is $want bytes (mod 4096) off in $match: not a multiple of 16"
	pads="$pads $base=$this" wants="$wants $(( (pad + want) % 4096 ))" padded=$want
	echo "relayout: $match_at padded by $this bytes to match $match" >&2
done

# make's arguments: one CFLAGS_<object> per pad.
set -- "CFLAGS_early-quirks.o=-include $here/layout-pad.h -DAFXDP_LAYOUT_PAD=$pad"
for p in $pads; do
	set -- "$@" "CFLAGS_${p%%=*}=-include $here/layout-pad.h -DAFXDP_LAYOUT_PAD=${p#*=}"
done

mkdir -p "$copy"
rsync -a --delete "$obj/" "$copy/"
env -u MAKEFLAGS -u MFLAGS make -s -C "$src" O="$(cd "$copy" && pwd)" CC="ccache gcc" \
	-j"${KJOBS:-2}" "$@" bzImage >&2 ||
	die "rebuilding $copy with PAD=$pad failed"

# Most of the text (all of it after early-quirks.o) must have moved by PAD,
# or by PAD plus an OBJECT's match: an alignment after a pad would absorb it
# otherwise.
moved=$(awk -v moves="$pad$wants" '
	function addr(hex,   i, v) {
		v = 0
		for (i = 1; i <= length(hex); i++)
			v = v * 16 + index("0123456789abcdef", substr(hex, i, 1)) - 1
		return v
	}
	BEGIN { n = split(moves, m, " "); for (i = 1; i <= n; i++) expected[m[i]] = 1; n = 0 }
	$2 !~ /^[tT]$/ { next }
	FNR == NR { if (!($3 in before)) before[$3] = addr(substr($1, 9)); next }
	($3 in before) && !($3 in seen) {
		seen[$3] = 1; n++
		d = (addr(substr($1, 9)) - before[$3]) % 4096
		if (d < 0) d += 4096
		if (d in expected) k++
	}
	END { printf "%d", n ? 100 * k / n : 0 }' "$obj/System.map" "$copy/System.map")
[ "$pad$wants" = "$pad" ] && [ "$pad" = 0 ] || [ "$moved" -ge 50 ] ||
	die "the pads moved only $moved% of the text symbols in $copy as expected"
echo "$copy/arch/x86/boot/bzImage"
