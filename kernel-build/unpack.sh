#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# unpack.sh DEST
#
# Unpacks Debian's linux-source-6.12 into DEST, once: an existing DEST is
# kept as it is.  The tarball is unpacked beside DEST and renamed into place,
# so an interrupted run never leaves a half tree that looks complete.
set -eu

TARBALL=${KERNEL_TARBALL:-/usr/src/linux-source-6.12.tar.xz}
TOPDIR=linux-source-6.12

[ $# = 1 ] || { echo "usage: $0 DEST" >&2; exit 2; }
dest=${1%/}
[ -d "$dest" ] && exit 0
[ -r "$TARBALL" ] || { echo "unpack: $TARBALL is missing (apt-get install linux-source-6.12)" >&2; exit 1; }

tmp=$dest.unpack.tmp
trap 'rm -rf "$tmp"' EXIT
rm -rf "$tmp"
mkdir -p "$tmp"
echo "  UNPACK    $TARBALL -> $dest"
tar -xJf "$TARBALL" -C "$tmp"
[ -f "$tmp/$TOPDIR/Makefile" ] || { echo "unpack: $TARBALL has no $TOPDIR/Makefile" >&2; exit 1; }
mv "$tmp/$TOPDIR" "$dest"
