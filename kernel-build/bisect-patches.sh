#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# bisect-patches.sh PRISTINE PATCHES CONFIG OUT
#
# Builds the kernel after every patch of the series make patches emitted
# (PATCHES: its folder), as a maintainer bisecting it would: a copy of
# PRISTINE under OUT/src gets the patches one at a time, and after each
# OUT/obj is configured from CONFIG (the .config make kernel used; options
# a step's Kconfig does not know are dropped by olddefconfig) and bzImage
# is built, incrementally.  Prints one line per patch and fails at the
# first that does not build; the build log is OUT/build-NNNN.log.
set -eu

die() { echo "bisect-patches: $*" >&2; exit 1; }
[ $# = 4 ] || { echo "usage: $0 PRISTINE PATCHES CONFIG OUT" >&2; exit 2; }
pristine=$(cd "$1" && pwd) patches=$(cd "$2" && pwd) config=$3
mkdir -p "$4"
out=$(cd "$4" && pwd)
[ -f "$pristine/Makefile" ] || die "'$pristine' is not a kernel tree"
[ -r "$config" ] || die "no kernel config at $config (make kernel writes it)"
ls "$patches"/0*.patch >/dev/null 2>&1 || die "no patches in $patches (make patches)"

kbuild() {
	env -u MAKEFLAGS -u MFLAGS make -s -C "$out/src" O="$out/obj" \
		CC="ccache gcc" -j"${KJOBS:-2}" "$@"
}

# Hard links: patch(1) writes a new file for each one it changes, so
# PRISTINE is never written.
rm -rf "$out/src"
cp -al "$pristine" "$out/src"
mkdir -p "$out/obj"

total=0 start=$(date +%s)
for p in "$patches"/0*.patch; do
	case $p in */0000-cover-letter.patch) continue;; esac
	name=$(basename "$p" .patch) num=${name%%-*}
	patch -p1 -d "$out/src" --batch --forward --no-backup-if-mismatch -s < "$p" ||
		die "$name does not apply"
	cp "$config" "$out/obj/.config"
	t=$(date +%s)
	if ! kbuild olddefconfig > "$out/build-$num.log" 2>&1 ||
	   ! kbuild bzImage >> "$out/build-$num.log" 2>&1; then
		tail -n 20 "$out/build-$num.log" >&2
		die "the tree does not build after $name (log: $out/build-$num.log)"
	fi
	xsk=$(grep -c '^CONFIG_XDP_SOCKETS=y' "$out/obj/.config" || true)
	printf 'bisect-patches: %s builds (%3d s)%s\n' "$name" "$(($(date +%s) - t))" \
		"$([ "$xsk" = 1 ] && echo ', with XDP_SOCKETS=y' || echo '')"
	total=$((total + 1))
done
echo "bisect-patches: all $total patches build, in $(($(date +%s) - start)) s"
