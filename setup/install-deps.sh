#!/bin/sh
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#
# Install, with apt, every Debian 12 package the build and the tests need
# and that is missing.  Idempotent and quiet when nothing is missing, so
# every make target that needs packages can call it.
#
#   setup/install-deps.sh [GROUP...]     groups: lib test bench kernel (default: all)
set -eu

pkgs_lib="gcc make clang llvm libbpf-dev libelf-dev zlib1g-dev pkg-config"
pkgs_test="iproute2 valgrind procps python3-docutils"
pkgs_bench="libxdp-dev bpftool gnuplot-nox"
pkgs_kernel="linux-source-6.12 qemu-system-x86 ccache flex bison bc libssl-dev cpio xz-utils
	git rsync"

groups=${*:-lib test bench kernel}
wanted=""
for g in $groups; do
	case $g in
	lib) wanted="$wanted $pkgs_lib" ;;
	test) wanted="$wanted $pkgs_test" ;;
	bench) wanted="$wanted $pkgs_bench" ;;
	kernel) wanted="$wanted $pkgs_kernel" ;;
	*) echo "install-deps: unknown group '$g' (lib, test, bench, kernel)" >&2; exit 2 ;;
	esac
done

missing=""
for p in $wanted; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "install-deps: missing packages:$missing; run as root to install them" >&2
	exit 1
fi
echo "install-deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing >/dev/null
