#!/bin/bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#
# xdpsock's tests: option parsing and error paths, and short lab runs of
# each benchmark asserting that packets flowed and nothing was left behind.
#
#   test_xdpsock.sh XDPSOCK XSK_LAB
set -uo pipefail

xdpsock=$1 lab=$2
lock=/tmp/afxdp-heavy.lock
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
# shellcheck source-path=SCRIPTDIR source=tap.sh
. "$(dirname "$0")/tap.sh"
tap_log=$err

# expect_usage NAME NEEDLE ARGS...: exit 2 and a message containing NEEDLE.
expect_usage() {
	local name=$1 needle=$2 rc
	shift 2
	"$xdpsock" "$@" > "$out" 2> "$err"
	rc=$?
	if [ $rc -ne 2 ]; then
		result 1 "$name" "exit $rc, expected 2"
	elif ! grep -qF -- "$needle" "$err"; then
		result 1 "$name" "no '$needle' in the message"
	else
		result 0 "$name"
	fi
}

field() { sed -n "s/.*\"$1\":\([0-9.eE+-]*\).*/\1/p" | head -n 1; }

lab_left() { ip netns list | grep -c '^xsklab-' || true; }

# in_lab NAME PEER FLOOR_FIELD FLOOR [LAB_ARGS --] XDPSOCK_ARGS...
in_lab() {
	local name=$1 peer=$2 what=$3 floor=$4 labargs=() v rc before
	shift 4
	while [ $# -gt 0 ] && [ "$1" != -- ]; do labargs+=("$1"); shift; done
	shift
	before=$(lab_left)
	flock "$lock" "$lab" -j -p "$peer" -s 4 "${labargs[@]}" -- "$xdpsock" -i '{if}' \
		-d 2 -Q -j "$@" > "$out" 2> "$err"
	rc=$?
	case $what in
	sink_frames) v=$(grep '^{"seconds"' "$out" | field sink_frames) ;;
	*) v=$(grep '"type":"summary"' "$out" | field "$what") ;;
	esac
	if [ $rc -ne 0 ]; then
		result 1 "$name" "exit $rc"
	elif [ -z "$v" ] || awk -v v="$v" -v f="$floor" 'BEGIN { exit !(v < f) }'; then
		result 1 "$name" "$what is ${v:-missing}, below $floor"
	elif [ "$(lab_left)" != "$before" ]; then
		result 1 "$name" "the lab left namespaces behind"
	else
		result 0 "$name ($what $v)"
	fi
}

echo "1..33"

# ---- options --------------------------------------------------------------
"$xdpsock" -h > "$out" 2> "$err"; result $? "-h prints usage and succeeds"
expect_usage "no interface" "-i: an interface is required"
expect_usage "unknown short option" "-y: unknown option" -i lo -y
expect_usage "unknown long option" "--bogus: unknown option" -i lo --bogus
expect_usage "missing argument" "-q: needs an argument" -i lo -q
expect_usage "queue not a number" "-q: expects a number" -i lo -q x
expect_usage "batch 0" "-b: expects a number from 1 to 256" -i lo -b 0
expect_usage "batch 257" "-b: expects a number from 1 to 256" -i lo -b 257
expect_usage "duration 0" "-d: expects a number" -i lo -d 0
expect_usage "frame 3000 aligned" "-f: frame size must be a power of two without -u" -i lo -f 3000
expect_usage "frame 1024" "-f: expects a number from 2048" -i lo -f 1024
expect_usage "copy and zero-copy" "-c/-z: copy and zero-copy exclude each other" -i lo -c -z
expect_usage "jumbo without -F" "-s: frames larger than the frame size need -F" -i lo -t -s 9000
expect_usage "-M 1" "-M: expects a number from 2 to 16" -i lo --shared-umem=1
expect_usage "bad pattern" "-P: expects a number" -i lo -P zz
expect_usage "interface name too long" "-i: interface name too long" -i an-interface-name-too-long
expect_usage "stray argument" "extra: unexpected argument" -i lo extra
expect_usage "-M with txonly" "-M: runs rxdrop and l2fwd" -i lo -t -M
expect_usage "unknown --api" "--api: is 'rings' or 'batch'" -i lo --api=fast
expect_usage "--api=batch with txonly" "--api: batch runs rxdrop and l2fwd" -i lo -t --api=batch

# ---- error paths ------------------------------------------------------------
"$xdpsock" -i nosuchif0 -d 1 > "$out" 2> "$err"
rc=$?
if [ $rc -eq 1 ] && grep -q "nosuchif0" "$err"; then
	result 0 "unknown interface fails, naming it"
else
	result 1 "unknown interface fails, naming it" "exit $rc"
fi
flock "$lock" "$lab" -p none -s 3 -- "$xdpsock" -i '{if}' -z -d 1 > "$out" 2> "$err"
rc=$?
if [ $rc -eq 1 ] && grep -q "zero-copy" "$err"; then
	result 0 "zero-copy on veth fails with the reason"
else
	result 1 "zero-copy on veth fails with the reason" "exit $rc"
fi

# ---- the benchmarks in the lab ----------------------------------------------
in_lab "rxdrop native" source rx_packets 100000 -- -r -N
in_lab "rxdrop skb, poll" source rx_packets 50000 -- -r -S -p
in_lab "txonly native" sink sink_frames 50000 -- -t -N
in_lab "txonly skb, no need_wakeup" sink sink_frames 50000 -- -t -S -m
in_lab "l2fwd native" both sink_frames 20000 -- -l -N
in_lab "rxdrop unaligned 3K frames" source rx_packets 50000 -- -r -u -f 3072
in_lab "txonly multi-buffer 9000-byte frames" sink sink_frames 10000 -m 9000 -- -t -N -F -s 9000
in_lab "rxdrop 4 sockets sharing a UMEM" source rx_packets 50000 -- -r -M -x -a
in_lab "rxdrop on the batched API" source rx_packets 100000 -- -r -N --api=batch
in_lab "l2fwd on the batched API" both sink_frames 20000 -- -l -N --api=batch

# SIGINT (the lab sends it after -s) ends xdpsock with its final statistics.
flock "$lock" "$lab" -p source -s 2 -- "$xdpsock" -i '{if}' -Q > "$out" 2> "$err"
rc=$?
if [ $rc -eq 0 ] && grep -q "rxdrop on vxa queue 0" "$out"; then
	result 0 "SIGINT ends it cleanly with the summary"
else
	result 1 "SIGINT ends it cleanly with the summary" "exit $rc"
fi

echo "xdpsock: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
