#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# vmtest.sh BZIMAGE RUNDIR COMMAND
#
# Boots BZIMAGE under QEMU on the host's root filesystem (virtio-9p,
# read-only) and runs the shell COMMAND in the guest, from the current
# directory, as root.  Exits with COMMAND's status, or 1 when the guest
# printed a kernel report (oops, BUG, WARNING, KASAN, lockdep, kmemleak...)
# or did not finish within VMTEST_TIMEOUT seconds (default 1200).
# RUNDIR keeps serial.log (the whole console) and out/ (the writable share).
#
# Environment: VMTEST_TIMEOUT, VMTEST_ACCEL (default kvm:tcg; "tcg" skips
# KVM), VMTEST_TCG_THREAD (single or multi, default single: see below),
# VMTEST_SMP (2), VMTEST_MEM (2048), VMTEST_QUIET=1 (no live console),
# QEMU (qemu-system-x86_64).
#
# Multi-threaded TCG (QEMU 7.2) can run a stale int3 byte while the guest
# kernel live-patches code another vCPU is executing (the XDP dispatcher,
# rewritten on every XDP attach or detach): "Oops: int3" in
# bpf_dispatcher_xdp_func, on mainline and our kernel alike.  Tests attach
# and detach XDP programs under traffic, so they run on single-threaded TCG;
# benchmarks, which need both vCPUs at once, ask for multi.
set -eu

die() { echo "vmtest: $*" >&2; exit 1; }
[ $# = 3 ] || { echo "usage: $0 BZIMAGE RUNDIR COMMAND" >&2; exit 2; }
kernel=$1 rundir=$2 cmd=$3
here=$(cd "$(dirname "$0")" && pwd)
timeout=${VMTEST_TIMEOUT:-1200}
QEMU=${QEMU:-qemu-system-x86_64}
[ -r "$kernel" ] || die "no kernel image at $kernel (build it first)"
command -v "$QEMU" >/dev/null || die "$QEMU is not installed (setup/install-deps.sh kernel)"

mkdir -p "$rundir"
rundir=$(cd "$rundir" && pwd)
out=$rundir/out log=$rundir/serial.log
rm -rf "$out" "$log"
mkdir -p "$out"
printf 'cd %s\n%s\n' "$(pwd)" "$cmd" > "$out/cmd"
# The guest mounts tmpfs on /tmp, /run, /var/tmp...: a checkout under one of
# them would vanish there, so the current folder comes as a share of its own.
pwd > "$out/workdir"

qpid="" tpid=""
cleanup() {
	[ -n "$qpid" ] && kill "$qpid" 2>/dev/null
	[ -n "$tpid" ] && kill "$tpid" 2>/dev/null
	rm -f "$out/cmd" "$rundir/qemu.err"
}
trap cleanup EXIT
trap 'echo "vmtest: interrupted" >&2; exit 130' INT TERM HUP

# Runs the guest once with accelerator $1; returns QEMU's (or timeout's) status.
run_qemu() {
	: > "$log"
	if [ "$1" = tcg ]; then
		set -- -accel "tcg,thread=${VMTEST_TCG_THREAD:-single}"
	else
		set -- -machine "accel=$1"
	fi
	timeout -k 10 "$timeout" "$QEMU" "$@" -cpu max -smp "${VMTEST_SMP:-2}" \
		-m "${VMTEST_MEM:-2048}" -nodefaults -no-reboot -display none -monitor none \
		-serial "file:$log" \
		-fsdev local,id=root,path=/,security_model=none,readonly=on,multidevs=remap \
		-device virtio-9p-pci,fsdev=root,mount_tag=rootfs \
		-fsdev "local,id=out,path=$out,security_model=none,multidevs=remap" \
		-device virtio-9p-pci,fsdev=out,mount_tag=vmout \
		-fsdev "local,id=work,path=$(pwd),security_model=none,readonly=on,multidevs=remap" \
		-device virtio-9p-pci,fsdev=work,mount_tag=workdir \
		-kernel "$kernel" \
		-append "console=ttyS0 root=rootfs rootfstype=9p ro panic=-1 \
rootflags=trans=virtio,version=9p2000.L,msize=262144 init=$here/vm/guest-init.sh" \
		</dev/null 2>"$rundir/qemu.err" &
	qpid=$!
	if [ "${VMTEST_QUIET:-0}" != 1 ]; then
		tail -n +1 -f --pid="$qpid" "$log" &
		tpid=$!
	fi
	rc=0
	wait "$qpid" || rc=$?
	qpid=""
	[ -z "$tpid" ] || wait "$tpid" || true
	tpid=""
	return "$rc"
}

start=$(date +%s)
accel=${VMTEST_ACCEL:-kvm:tcg}
# Without /dev/kvm QEMU would fall back to multi-threaded TCG by itself.
[ -n "${VMTEST_ACCEL:-}" ] || [ -e /dev/kvm ] || accel=tcg
rc=0
run_qemu "$accel" || rc=$?
# /dev/kvm may be there and KVM still fail before the guest says anything
# ("KVM internal error", a failed MSR assertion...): TCG then.
if [ "$rc" != 0 ] && [ "$accel" != tcg ] && [ ! -s "$log" ]; then
	echo "vmtest: KVM does not work here ($(head -n 1 "$rundir/qemu.err")); retrying with TCG"
	accel=tcg rc=0
	run_qemu tcg || rc=$?
fi
secs=$(($(date +%s) - start))

fail=""
if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
	fail="the guest did not finish within $timeout s (VMTEST_TIMEOUT); QEMU killed"
elif [ "$rc" != 0 ]; then
	fail="QEMU failed with status $rc: $(cat "$rundir/qemu.err")"
fi
# The kernel's reports, whatever the suite said.  Kernel lines carry a
# printk timestamp, so the suite's own output cannot match by accident;
# kmemleak's findings are printed by guest-init.sh.
KREPORTS='Oops|BUG:|WARNING:|Kernel panic|KASAN:|UBSAN:|kernel BUG|general protection fault'
KREPORTS="$KREPORTS|possible circular locking|possible recursive locking|INFO: |Call Trace:"
KREPORTS="$KREPORTS|kmemleak: [0-9]+ new suspected memory leaks"
reports=$(grep -n -E "\[ *[0-9]+\.[0-9]+\] .*($KREPORTS)|^unreferenced object 0x" "$log" |
	head -n 20 || true)
status=$(cat "$out/status" 2>/dev/null || true)

if [ -z "$fail" ] && [ -n "$reports" ]; then
	fail="the guest kernel reported a problem:
$reports"
fi
if [ -z "$fail" ] && [ -z "$status" ]; then
	fail="the guest ended without the suite's status (see $log)"
fi
if [ -z "$fail" ] && [ "$status" != 0 ]; then
	fail="the suite failed in the guest (status $status)"
fi

if [ -n "$fail" ]; then
	echo "vmtest: ---- last 40 lines of $log ----"
	tail -n 40 "$log"
	echo "vmtest: ----"
	echo "vmtest: FAIL after $secs s ($accel): $fail" >&2
	[ -n "$status" ] && [ "$status" != 0 ] && exit "$status"
	exit 1
fi
echo "vmtest: PASS in $secs s ($accel); serial log in $log"
