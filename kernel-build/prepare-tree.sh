#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# prepare-tree.sh PRISTINE TREE REPO
#
# Makes TREE (a copy of the linux-source-6.12 tree, unpacked by unpack.sh)
# the mainline tree with our AF_XDP in place of its own:
#   1. the tree's AF_XDP implementation (UPSTREAM_AFXDP below) is removed;
#   2. our files (OURS below, at their kernel-tree paths in REPO) are put in;
#   3. REPO/kernel-build/patches/*.patch (unified diffs, -p1) are applied to
#      PRISTINE's copy of the files they touch.
# The wanted content of every overlaid file is assembled in a scratch folder
# first and copied into TREE only where it differs, so unchanged files keep
# their timestamps and kbuild rebuilds only what depends on an edited file.
# A file that was overlaid last time and no longer is goes back to PRISTINE's
# content (or away, if PRISTINE has no such file).  PRISTINE is never written.
set -eu

# The tree's own AF_XDP: files, or folders whose every file goes.
UPSTREAM_AFXDP="net/xdp include/net/xdp_sock.h include/net/xdp_sock_drv.h
	include/net/xsk_buff_pool.h include/uapi/linux/if_xdp.h
	Documentation/networking/af_xdp.rst kernel/bpf/xskmap.c"
# Ours, copied in when present in REPO: files, or folders copied whole.
OURS="net/xdp include/net include/uapi/linux/if_xdp.h kernel/bpf/xskmap.c
	Documentation/networking/af_xdp.rst"

die() { echo "prepare-tree: $*" >&2; exit 1; }

[ $# = 3 ] || { echo "usage: $0 PRISTINE TREE REPO" >&2; exit 2; }
pristine=$(cd "$1" && pwd) tree=$(cd "$2" && pwd) repo=$(cd "$3" && pwd)
[ -f "$pristine/Makefile" ] || die "'$pristine' is not a kernel tree"
[ -f "$tree/Makefile" ] || die "'$tree' is not a kernel tree"
[ "$pristine" != "$tree" ] || die "PRISTINE and TREE are the same folder"
[ -n "$(find "$repo/net/xdp" -type f 2>/dev/null | head -n 1)" ] ||
	die "the repository has no net/xdp/ (our AF_XDP kernel sources) yet;" \
	    "nothing to build: 'make kernel-mainline' builds the mainline reference"

manifest=$tree.overlay	# what the last run put in, beside TREE
stage=$(mktemp -d "$tree.stage.XXXXXX")
trap 'rm -rf "$stage" "$manifest.new"' EXIT

# Files, relative to $1, under each of the paths in $2.
files_under() {
	for p in $2; do
		if [ -d "$1/$p" ]; then
			(cd "$1" && find "$p" -type f)
		elif [ -f "$1/$p" ]; then
			echo "$p"
		fi
	done
}

# 1 and 2: ours into the stage.
files_under "$repo" "$OURS" | while IFS= read -r f; do
	mkdir -p "$stage/$(dirname "$f")"
	cp "$repo/$f" "$stage/$f"
done

# 3: patches, applied in the stage to ours or to PRISTINE's copy.
for p in "$repo"/kernel-build/patches/*.patch; do
	[ -f "$p" ] || continue
	sed -n 's|^+++ [^/]*/\([^[:space:]]*\).*|\1|p' "$p" | while IFS= read -r f; do
		[ -f "$stage/$f" ] && continue
		mkdir -p "$stage/$(dirname "$f")"
		if [ -f "$pristine/$f" ]; then
			cp "$pristine/$f" "$stage/$f"
		fi
	done
	patch -p1 -d "$stage" --batch --forward --no-backup-if-mismatch -s < "$p" ||
		die "$(basename "$p") does not apply to the 6.12 tree"
done
find "$stage" -name '*.orig' -o -name '*.rej' | grep -q . && die "patch left .orig/.rej files"

(cd "$stage" && find . -type f | sed 's|^\./||' | sort) > "$manifest.new"

# Upstream AF_XDP files we do not replace go.
files_under "$pristine" "$UPSTREAM_AFXDP" | while IFS= read -r f; do
	grep -qxF "$f" "$manifest.new" || rm -f "$tree/$f"
done

# Last run's files that are no longer ours: back to mainline, or away.
if [ -f "$manifest" ]; then
	removed=$(files_under "$pristine" "$UPSTREAM_AFXDP")
	while IFS= read -r f; do
		grep -qxF "$f" "$manifest.new" && continue
		if [ -f "$pristine/$f" ] && ! echo "$removed" | grep -qxF "$f"; then
			cp "$pristine/$f" "$tree/$f"
			echo "  RESTORE   $f"
		else
			rm -f "$tree/$f"
			echo "  REMOVE    $f"
		fi
	done < "$manifest"
fi

# The stage into the tree, where it differs.
while IFS= read -r f; do
	cmp -s "$stage/$f" "$tree/$f" && continue
	mkdir -p "$tree/$(dirname "$f")"
	cp "$stage/$f" "$tree/$f"
	echo "  UPDATE    $f"
done < "$manifest.new"
mv "$manifest.new" "$manifest"
