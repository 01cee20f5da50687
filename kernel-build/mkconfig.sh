#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# mkconfig.sh SRC OBJ FRAGMENT...
#
# Writes OBJ/.config: `make tinyconfig` with the fragments merged over it in
# order, resolved by olddefconfig.  OBJ/.config is replaced only when the
# result differs, so an unchanged configuration rebuilds nothing.  Fails when
# a value a fragment asks for is not in the result (an unmet dependency).
set -eu

[ $# -ge 3 ] || { echo "usage: $0 SRC OBJ FRAGMENT..." >&2; exit 2; }
src=$1 obj=$2
shift 2
frags=""
for f in "$@"; do
	[ -r "$f" ] || { echo "mkconfig: config fragment '$f' is missing" >&2; exit 1; }
	frags="$frags $(cd "$(dirname "$f")" && pwd)/$(basename "$f")"
done
# shellcheck disable=SC2086
set -- $frags
mkdir -p "$obj"
src=$(cd "$src" && pwd) obj=$(cd "$obj" && pwd)

new=.config.new
trap 'rm -f "$obj/$new" "$obj/$new.old" "$obj/.tmp.config."* "$obj/.merge_tmp.config."*' EXIT
kmake() { make -s -C "$src" O="$obj" KCONFIG_CONFIG="$new" "$@"; }

kmake tinyconfig >/dev/null
# merge_config.sh makes its temporary files in the current directory.
(cd "$obj" && KCONFIG_CONFIG="$new" "$src/scripts/kconfig/merge_config.sh" -m -Q "$new" "$@" >/dev/null)
kmake olddefconfig >/dev/null

bad=0
for f in "$@"; do
	sed -n -e 's/^\(CONFIG_[A-Za-z0-9_]*=.*\)/\1/p' \
	       -e 's/^# \(CONFIG_[A-Za-z0-9_]*\) is not set$/\1=n/p' "$f" |
	while IFS= read -r want; do
		sym=${want%%=*} val=${want#*=}
		got=$(sed -n -e "s/^$sym=//p" -e "s/^# $sym is not set$/n/p" "$obj/$new")
		[ -n "$got" ] || got=n
		if [ "$got" != "$val" ]; then
			echo "mkconfig: $f asks for $sym=$val but the config has $sym=$got" \
			     "(a dependency is missing)" >&2
			echo x
		fi
	done
done | grep -q x && bad=1
[ $bad = 0 ] || exit 1

if cmp -s "$obj/$new" "$obj/.config"; then
	echo "  CONFIG    $obj/.config unchanged"
else
	mv "$obj/$new" "$obj/.config"
	echo "  CONFIG    $obj/.config written"
fi
