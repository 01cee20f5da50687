#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The guest's init (init=), booted by kernel-build/vmtest.sh on the host's
# root filesystem, shared read-only over 9p.  Mounts what the guest needs of
# its own, runs the command the host left in the results share (tag vmout),
# writes its exit status there, reports kmemleak's findings, and powers off.
# Every line of ours on the console starts with "vmtest:".
set -eu
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/tmp TMPDIR=/tmp LANG=C.UTF-8 TERM=dumb
OUT=/tmp/vmout

finish() {
	trap - EXIT
	set +e
	[ -n "${1:-}" ] && echo "vmtest: $1"
	sync
	umount "$OUT" 2>/dev/null
	echo "vmtest: powering off"
	poweroff -f -f 2>/dev/null
	echo o > /proc/sysrq-trigger
	sleep 60
}
trap 'finish "guest-init failed before the suite ended"' EXIT

# Our own /proc, /sys and /dev: without them we would see the host's
# through 9p.  Writable places are tmpfs.
mount -t proc -o nosuid,nodev,noexec proc /proc
mount -t sysfs -o nosuid,nodev,noexec sysfs /sys
mount -t devtmpfs -o nosuid devtmpfs /dev
exec </dev/null >/dev/console 2>&1
mkdir -p /dev/pts /dev/shm
mount -t devpts -o nosuid,noexec devpts /dev/pts
mount -t tmpfs -o nosuid,nodev tmpfs /dev/shm
for d in /tmp /run /var/tmp /var/log; do
	mount -t tmpfs -o nosuid,nodev,mode=0755 tmpfs "$d"
done
chmod 1777 /tmp /var/tmp
mount -t debugfs -o nosuid,nodev,noexec debugfs /sys/kernel/debug
mount -t bpf -o nosuid,nodev,noexec bpf /sys/fs/bpf 2>/dev/null || true
ln -s /proc/self/fd /dev/fd 2>/dev/null || true
hostname vmtest
ip link set lo up

mkdir -p "$OUT"
mount -t 9p -o trans=virtio,version=9p2000.L vmout "$OUT"
[ -r "$OUT/cmd" ] || { finish "no command in the results share"; exit 1; }
# The host's current folder, at its own path (it may lie under a tmpfs here).
work=$(cat "$OUT/workdir")
mkdir -p "$work"
mount -t 9p -o trans=virtio,version=9p2000.L,ro workdir "$work"

echo "vmtest: kernel $(uname -r), $(nproc) CPUs; running: $(sed -n 2p "$OUT/cmd")"
start=$(date +%s)
set +e
sh -eu "$OUT/cmd"
rc=$?
set -e
echo "vmtest: the suite exited with status $rc after $(($(date +%s) - start)) s"

if [ -w /sys/kernel/debug/kmemleak ]; then
	# An object must be unreferenced across two scans, 5 s apart at least.
	echo scan > /sys/kernel/debug/kmemleak
	sleep 6
	echo scan > /sys/kernel/debug/kmemleak
	cat /sys/kernel/debug/kmemleak
	echo "vmtest: kmemleak scan done"
fi
echo "$rc" > "$OUT/status"
finish
