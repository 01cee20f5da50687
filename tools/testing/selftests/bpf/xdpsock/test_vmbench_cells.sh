#!/bin/bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#
# make vmbench's statistics (lab/vmbench_cells.awk) on runs whose answer is
# worked out by hand below: per-boot medians, paired ratios per round, their
# geometric mean and 95% interval, the flags, failed runs.
#
#   test_vmbench_cells.sh LAB_DIR
set -uo pipefail

cells_awk=$1/vmbench_cells.awk
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# shellcheck source-path=SCRIPTDIR source=tap.sh
. "$(dirname "$0")/tap.sh"

# expect NAME TEXT NEEDLE: NEEDLE is in TEXT.
expect() {
	if grep -qF -- "$3" <<< "$2"; then
		result 0 "$1"
	else
		result 1 "$1" "no '$3' in: $2"
	fi
}

# expect_not NAME TEXT NEEDLE: NEEDLE is not in TEXT.
expect_not() {
	if grep -qF -- "$3" <<< "$2"; then
		result 1 "$1" "'$3' in: $2"
	else
		result 0 "$1"
	fi
}

# rxdrop: round 1, ours 1.0 1.2 1.1 (median 1.1) against mainline 1.0 x3:
# 1.1; round 2, 1.21 against 1.0: 1.21.  Geometric mean sqrt(1.331) =
# 1.154; logs 0.09531 and 0.19062, sd 0.06739, t(1) = 12.706: the
# interval is exp(0.14297 -/+ 0.60551) = [0.630, 2.114].  Ours over all
# its runs (1.0 1.1 1.2 1.21): median 1.15.
# txonly: rounds 0.80 0.82 0.81: the whole interval is under 1.0.
# l2fwd: rounds 0.90 and 1.05 (mean 0.972): under 1.0 within noise.
# native rxdrop: 0.3 against 0.3 in three rounds, a zero-width interval.
# ceiling: ours has a failed run in round 2.
cat > "$tmp/runs.csv" <<'EOF'
kernel,boot,mode,bench,round,lib,mpps,xdpsock_rx_mpps,xdpsock_tx_mpps,source_mpps,sink_mpps,layout_pad
ours,1,skb,rxdrop,1,libxsk,1.0,,,,,0
ours,1,skb,rxdrop,2,libxsk,1.2,,,,,0
ours,1,skb,rxdrop,3,libxsk,1.1,,,,,0
mainline,1,skb,rxdrop,1,libxsk,1.0,,,,,0
mainline,1,skb,rxdrop,2,libxsk,1.0,,,,,0
mainline,1,skb,rxdrop,3,libxsk,1.0,,,,,0
mainline,2,skb,rxdrop,1,libxsk,1.0,,,,,2048
ours,2,skb,rxdrop,1,libxsk,1.21,,,,,2048
ours,1,skb,txonly,1,libxsk,0.80,,,,,0
mainline,1,skb,txonly,1,libxsk,1.0,,,,,0
ours,2,skb,txonly,1,libxsk,0.82,,,,,1360
mainline,2,skb,txonly,1,libxsk,1.0,,,,,1360
ours,3,skb,txonly,1,libxsk,0.81,,,,,2720
mainline,3,skb,txonly,1,libxsk,1.0,,,,,2720
ours,1,skb,l2fwd,1,libxsk,0.90,,,,,0
mainline,1,skb,l2fwd,1,libxsk,1.0,,,,,0
ours,2,skb,l2fwd,1,libxsk,1.05,,,,,2048
mainline,2,skb,l2fwd,1,libxsk,1.0,,,,,2048
ours,1,native,rxdrop,1,libxsk,0.3,,,,,0
mainline,1,native,rxdrop,1,libxsk,0.3,,,,,0
ours,2,native,rxdrop,1,libxsk,0.3,,,,,1360
mainline,2,native,rxdrop,1,libxsk,0.3,,,,,1360
ours,3,native,rxdrop,1,libxsk,0.3,,,,,2720
mainline,3,native,rxdrop,1,libxsk,0.3,,,,,2720
ours,1,ceiling,xdp_drop,1,lab,2.0,,,,,0
mainline,1,ceiling,xdp_drop,1,lab,2.0,,,,,0
ours,2,ceiling,xdp_drop,1,lab,failed,,,,,2048
mainline,2,ceiling,xdp_drop,1,lab,2.0,,,,,2048
EOF

: > "$tmp/cells.csv"
if ! table=$(awk -F, -v modes="skb native" -v benches="rxdrop txonly l2fwd" -v cells="$tmp/cells.csv" \
		-f "$cells_awk" "$tmp/runs.csv" 2>&1); then
	result 1 "the statistics run" "$table"
	echo "vmbench cells: $passed passed, $failed failed"
	exit 1
fi
line() { grep "^$1 *$2 " <<< "$table"; }
row() { grep "^$1,$2," "$tmp/cells.csv"; }

rx=$(line skb rxdrop)
expect "ratio: geometric mean of the rounds' paired ratios" "$rx" " 1.154 "
expect "95% interval from Student's t" "$rx" "[0.630, 2.114]"
expect "ours: median over all runs" "$rx" "1.150"
expect "mainline: median over all runs" "$rx" "1.000"
expect_not "a ratio above 1.0 is not flagged" "$rx" "below"
expect "CSV: medians, ratio, interval, rounds paired" "$(row skb rxdrop)" \
	"skb,rxdrop,1.15,1,1.154,0.630,2.114,2,4/4,4/4,1.0,1.21,1.0,1.0"

tx=$(line skb txonly)
expect "an interval wholly under 1.0 is flagged" "$tx" "   below 1.0"
expect_not "... and not as noise" "$tx" "within noise"

fwd=$(line skb l2fwd)
expect "a ratio under 1.0 whose interval reaches it: within noise" "$fwd" \
	"(below 1.0 within noise)"

expect "equal rounds: ratio 1.0 and a zero-width interval" "$(line native rxdrop)" \
	"1.000  [1.000, 1.000]"
expect "a cell without runs shows none" "$(line native txonly)" "0/0, 0/0"

ceil=$(line ceiling xdp_drop)
expect "a failed run counts in the runs only" "$ceil" "1/2, 2/2"
expect "a round with a failed boot is not paired" "$(row ceiling xdp_drop)" \
	"ceiling,xdp_drop,2,2,1.000,,,1,1/2,2/2,"
expect_not "the control is never flagged" "$ceil" "below"

echo "vmbench cells: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
