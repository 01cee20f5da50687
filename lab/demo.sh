#!/bin/bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#
# make demo: rxdrop, txonly and l2fwd on a throw-away veth lab for a few
# seconds each, and one table of Mpps and fraction of the lab's ceiling.
#
#   lab/demo.sh LAB XDPSOCK [SECONDS]
set -euo pipefail

lab=$1 xdpsock=$2 secs=${3:-3}
lock=/tmp/afxdp-heavy.lock
log=$(mktemp /tmp/xsk-demo.XXXXXX.log)
trap 'rm -f "$log"' EXIT

field() { sed -n "s/.*\"$1\":\([0-9.eE+-]*\).*/\1/p" | head -n 1; }

run() {	# run PEER FLAG -> "measured_mpps"
	local out
	out=$(flock "$lock" "$lab" -j -p "$1" -s $((secs + 2)) -- \
		"$xdpsock" -i '{if}' "$2" -N -d "$secs" -Q -j 2>>"$log") || {
		cat "$log" >&2
		echo "demo: xdpsock $2 failed" >&2
		exit 1
	}
	if [ "$2" = -r ]; then
		grep '"type":"summary"' <<< "$out" | field rx_pps | awk '{ printf "%.3f", $1 / 1e6 }'
	else
		grep '^{"seconds"' <<< "$out" | field sink_mpps
	fi
}

echo "demo: xdpsock (libxsk) on a veth lab, native mode, ${secs} s per benchmark"
ceiling=$(flock "$lock" "$lab" --ceiling -s "$secs" -j 2>>"$log" | field sink_mpps)
rxdrop=$(run source -r)
txonly=$(run sink -t)
l2fwd=$(run both -l)

printf '\n%-10s %8s %12s  %s\n' benchmark Mpps "of ceiling" "measured as"
for row in "rxdrop $rxdrop received by xdpsock" "txonly $txonly arrived at the peer" \
	   "l2fwd $l2fwd came back to the peer"; do
	set -- $row
	name=$1 mpps=$2
	shift 2
	awk -v n="$name" -v m="$mpps" -v c="$ceiling" -v w="$*" \
		'BEGIN { printf "%-10s %8.3f %11.0f%%  %s\n", n, m, 100 * m / c, w }'
done
printf '%-10s %8.3f %11s  %s\n' ceiling "$ceiling" 100% "XDP_DROP on the receiving end"
