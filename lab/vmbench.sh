#!/bin/bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#
# make vmbench: our kernel against mainline 6.12, with the benchmark of
# make bench (lab/bench.sh: xdpsock on libxsk in the veth lab; rxdrop,
# txonly and l2fwd in SKB and native mode, and the lab's XDP_DROP ceiling)
# run inside a QEMU guest (kernel-build/vmtest.sh).  The host boots ours,
# mainline, ours, mainline ..., one short bench per boot, collects each
# boot's CSV from the guest's share (/tmp/vmout), and prints per cell the
# median Mpps on each kernel and the ratio ours/mainline; it writes a CSV of
# every run, a CSV of the cells and a chart to the results folder.
#
#   lab/vmbench.sh OURS_BZIMAGE MAINLINE_BZIMAGE LAB XDPSOCK RESULTS_DIR RUN_DIR
#   env: VMBENCH_ROUNDS (boots of each kernel, default 5), VMBENCH_SECONDS
#        (per run, default 3), MODES, BENCHES (as for bench.sh), and
#        kernel-build/vmtest.sh's VMTEST_* (VMTEST_QUIET=0 shows the consoles)
#
# The guest has no KVM here: its figures are TCG figures, far below the
# host's, and meaningful only as ratios between the two kernels.  In the
# guest the lab is quiesced (xsk-lab --wait-xdp): under TCG, attaching or
# detaching an XDP program while another vCPU runs XDP can hit a stale
# int3 of the kernel's code patching (an oops in bpf_dispatcher_xdp_func,
# on mainline as on ours; kernel-build/README.md).  A run that cannot be
# done in the guest is reported as failed, with its reason; the kernel
# reports vmtest.sh finds in a boot's console (oops, WARNING, ...) fail
# that boot, and make vmbench.
set -euo pipefail

[ $# = 6 ] || { sed -n 's/^#   //p' "$0" >&2; exit 2; }
ours_img=$1 mainline_img=$2 lab=$3 xdpsock=$4 out=$5 rundir=$6
rounds=${VMBENCH_ROUNDS:-5}
secs=${VMBENCH_SECONDS:-3}
modes=${MODES:-"skb native"}
benches=${BENCHES:-"rxdrop txonly l2fwd"}
here=$(cd "$(dirname "$0")/.." && pwd)
lock=/tmp/afxdp-heavy.lock
# Both vCPUs must run at once for a benchmark: multi-threaded TCG (the lab
# changes no XDP program while traffic flows, see kernel-build/vmtest.sh).
export VMTEST_QUIET=${VMTEST_QUIET:-1} VMTEST_TIMEOUT=${VMTEST_TIMEOUT:-900}
export VMTEST_TCG_THREAD=${VMTEST_TCG_THREAD:-multi}

for f in "$ours_img" "$mainline_img"; do
	[ -r "$f" ] || { echo "vmbench: no kernel image at $f (make kernel kernel-mainline)" >&2; exit 1; }
done
for f in "$lab" "$xdpsock"; do
	[ -x "$f" ] || { echo "vmbench: $f is not built (make lab samples)" >&2; exit 1; }
done
lab=$(realpath "$lab") xdpsock=$(realpath "$xdpsock")
mkdir -p "$out"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
runs_csv=$out/vmbench-$stamp-runs.csv
cells_csv=$out/vmbench-$stamp.csv
log=$out/vmbench-$stamp.log
: > "$log"
echo "kernel,boot,mode,bench,round,lib,mpps,xdpsock_rx_mpps,xdpsock_tx_mpps,source_mpps,sink_mpps" \
	> "$runs_csv"

# The guest's command: one round of every cell, on libxsk, quiesced, going
# on past a cell that fails; bench.sh writes its CSVs to the share.
guest_cmd="ROUNDS=1 RUN_SECONDS=$secs MODES='$modes' BENCHES='$benches' BENCH_LIBS=libxsk \
BENCH_QUIESCE=1 BENCH_KEEP_GOING=1 BENCH_CHART=0 \
$here/lab/bench.sh $lab $xdpsock $xdpsock /tmp/vmout"

ncells=$(($(wc -w <<< "$modes") * $(wc -w <<< "$benches") + 1))
echo "vmbench: $rounds boots of each kernel (ours, mainline, ours, ...), $ncells cells of ${secs} s" \
	"per boot, under TCG; about $((rounds * 2 * (20 + ncells * (secs + 3)) / 60 + 1)) min;" \
	"log in $log"

failures=()
boot_one() {	# boot_one KERNEL IMAGE ROUND
	local k=$1 img=$2 r=$3 dir=$rundir/vmbench-$1 rc=0 t0 res why csv
	t0=$(date +%s)
	res=$(flock "$lock" "$here/kernel-build/vmtest.sh" "$img" "$dir" "$guest_cmd" 2>&1) || rc=$?
	# vmtest.sh's verdict, then the guest's own lines (bench.sh's table...)
	# and the lab's and xdpsock's messages; the kernel's are in serial-rN.log.
	{
		echo "==== round $r, $k: $img"
		echo "$res"
		grep -av '^\[ *[0-9]*\.[0-9]*\]' "$dir/serial.log" 2>/dev/null |
			sed -n '/^vmtest: kernel/,$p'
		cat "$dir"/out/bench-*.log 2>/dev/null
	} >> "$log"
	cp "$dir/serial.log" "$dir/serial-r$r.log" 2>/dev/null || true
	csv=$(ls "$dir"/out/bench-*-runs.csv 2>/dev/null | head -n 1)
	[ -z "$csv" ] || sed "1d; s/^/$k,$r,/" "$csv" >> "$runs_csv"
	# What the guest's bench could not run, and why (bench.sh said so).
	grep -a '^bench: .* failed: ' "$dir/serial.log" 2>/dev/null | sed "s/^/vmbench: $k boot $r: /" |
		tee -a "$log" >&2 || true
	if [ "$rc" = 0 ]; then
		printf 'vmbench: round %s/%s, %-8s done in %3d s\n' "$r" "$rounds" "$k" \
			$(($(date +%s) - t0))
	else
		why=$(grep -a 'vmtest: FAIL' <<< "$res" | tail -n 1)
		echo "$res" | grep -a -A 20 'the guest kernel reported' | head -n 22 >&2 || true
		echo "vmbench: round $r/$rounds, $k FAILED: ${why:-vmtest.sh status $rc}" \
			"(console: $dir/serial-r$r.log)" >&2
		failures+=("$k boot $r: ${why:-vmtest.sh status $rc} ($dir/serial-r$r.log)")
	fi
}

for r in $(seq "$rounds"); do
	boot_one ours "$ours_img" "$r"
	boot_one mainline "$mainline_img" "$r"
done

# Per cell: the median of each kernel over its boots, and the ratio.
echo "mode,bench,ours_mpps,mainline_mpps,ratio,ours_runs,mainline_runs,ours_min,ours_max," \
	"mainline_min,mainline_max" | tr -d ' ' > "$cells_csv"
printf '\n%-7s %-8s %9s %9s %14s %7s %s\n' mode bench ours mainline ours/mainline spread \
	"runs (ours, mainline)"
awk -F, -v modes="$modes" -v benches="$benches" -v cells="$cells_csv" '
	function median(list, n,   v, i, j, t) {
		n = split(list, v, " ")
		for (i = 2; i <= n; i++)
			for (j = i; j > 1 && v[j - 1] + 0 > v[j] + 0; j--) {
				t = v[j]; v[j] = v[j - 1]; v[j - 1] = t
			}
		lo = v[1]; hi = v[n]
		return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
	}
	NR > 1 {
		key = $3 SUBSEP $4 SUBSEP $1
		if ($7 ~ /^[0-9.]+$/)
			vals[key] = vals[key] " " $7
		else
			failed[key]++
	}
	function cell(mode, bench,   k, m, n, med, mn, mx, spread, ratio, shown, runs) {
		spread = 0
		for (k = 1; k <= 2; k++) {
			name = k == 1 ? "ours" : "mainline"
			key = mode SUBSEP bench SUBSEP name
			n = split(vals[key], tmp, " ")
			runs[k] = n "/" (n + failed[key])
			if (n) {
				med[k] = median(vals[key]); mn[k] = lo; mx[k] = hi
				shown[k] = sprintf("%9.3f", med[k])
				if (med[k] > 0 && (hi - lo) / med[k] > spread)
					spread = (hi - lo) / med[k]
			} else {
				med[k] = ""; mn[k] = ""; mx[k] = ""
				shown[k] = sprintf("%9s", (n + failed[key]) ? "failed" : "-")
			}
		}
		if (med[1] != "" && med[2] != "" && med[2] > 0)
			ratio = sprintf("%.3f", med[1] / med[2])
		else
			ratio = "n/a"
		printf "%-7s %-8s %s %s %14s %6.0f%% %s, %s%s\n", mode, bench, shown[1], shown[2],
			ratio, 100 * spread, runs[1], runs[2],
			ratio != "n/a" && ratio + 0 < 1 && mode != "ceiling" ? "   below 1.0" : ""
		printf "%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n", mode, bench, med[1], med[2],
			ratio == "n/a" ? "" : ratio, runs[1], runs[2], mn[1], mx[1], mn[2], mx[2] >> cells
	}
	END {
		nm = split(modes, M, " "); nb = split(benches, B, " ")
		for (i = 1; i <= nm; i++)
			for (j = 1; j <= nb; j++)
				cell(M[i], B[j])
		cell("ceiling", "xdp_drop")
	}' "$runs_csv"
cat <<-EOF

	Mpps are medians over boots, measured in the guest under TCG (no KVM): only the
	ratio ours/mainline means anything.  spread: the widest (max - min) / median of
	the two kernels' runs.  ceiling is the lab's XDP_DROP on veth, no AF_XDP: a control.
EOF

if [ "${VMBENCH_CHART:-1}" != 0 ] && command -v gnuplot > /dev/null; then
	chart=$out/vmbench-$stamp.png
	awk -F, 'NR > 1 && $1 != "ceiling" { printf "\"%s %s\" %s %s\n", $1, $2,
		$3 == "" ? "0" : $3, $4 == "" ? "0" : $4 }' "$cells_csv" > "$out/vmbench-$stamp.dat"
	gnuplot <<-EOF
		set terminal pngcairo size 900,500
		set output "$chart"
		set title noenhanced "xdpsock in a TCG guest: ours vs mainline 6.12 (median of $rounds boots)"
		set ylabel "Mpps (TCG)"
		set style data histograms
		set style histogram clustered gap 1
		set style fill solid 0.8 border -1
		set yrange [0:*]
		set key outside right top
		set xtics rotate by -20
		plot "$out/vmbench-$stamp.dat" using 2:xtic(1) title "ours", '' using 3 title "mainline"
	EOF
	rm -f "$out/vmbench-$stamp.dat"
	echo "vmbench: chart $chart"
fi
echo "vmbench: runs in $runs_csv, cells in $cells_csv"
if [ ${#failures[@]} != 0 ]; then
	echo "vmbench: ${#failures[@]} boot(s) failed:" >&2
	printf '  %s\n' "${failures[@]}" >&2
	exit 1
fi
