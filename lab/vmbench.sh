#!/bin/bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#
# make vmbench: our kernel against mainline 6.12, with the benchmark of
# make bench (lab/bench.sh: xdpsock on libxsk in the veth lab; rxdrop,
# txonly and l2fwd in SKB and native mode, and the lab's XDP_DROP ceiling)
# run inside a QEMU guest (kernel-build/vmtest.sh).  The host boots the two
# kernels in rounds, ABBA, each boot running every cell VMBENCH_REPEAT times,
# collects each boot's CSV from the guest's share (/tmp/vmout), and prints
# per cell the median Mpps on each kernel and the ratio ours/mainline with
# its 95% interval (lab/vmbench_cells.awk); it writes a CSV of every run, a
# CSV of the cells and a chart to the results folder.
#
#   lab/vmbench.sh OURS_OBJ MAINLINE_OBJ LAB XDPSOCK RESULTS_DIR RUN_DIR
#   OURS_OBJ, MAINLINE_OBJ: the kernels' built object folders (make kernel
#        kernel-mainline)
#   env: VMBENCH_ROUNDS (boots of each kernel, default 5), VMBENCH_REPEAT
#        (runs of each cell per boot, default 3), VMBENCH_SECONDS
#        (per run, default 3), VMBENCH_LAYOUTS (1, default: move the code
#        each round, see below; 0: boot the images as built), VMBENCH_MATCH
#        (see below), MODES, BENCHES
#        (as for bench.sh), and kernel-build/vmtest.sh's VMTEST_*
#        (VMTEST_QUIET=0 shows the consoles)
#
# Code layout: under TCG a kernel's speed depends on where its hot functions
# fall on guest pages, and our kernel's code outside net/xdp sits at other
# page offsets than mainline's (the XSKMAP links from kernel/bpf/, 0x690
# bytes before mm/, drivers/ and net/), which alone moved SKB rxdrop and the
# XDP_DROP control by 5-15%.  So (kernel-build/relayout.sh, a relink of a
# copy of each object folder in RUN_DIR):
# - our kernel is padded in the objects VMBENCH_MATCH lists (default
#   "kernel/bpf/offload.o net/socket.o": right after the XSKMAP, and where
#   net/ starts, after drivers/ whose inlines of our headers differ in size;
#   empty: no matching) so that the code linked after each sits at
#   mainline's page offsets again: mm/, drivers/net/veth.c and net/core/dev.c
#   exactly, the rest of net/core within 32 bytes;
# - round r moves both kernels' text by the same pad, (r - 1) * 4096 /
#   ROUNDS bytes: each kernel is measured at placements spread across a page.
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
ours_obj=$1 mainline_obj=$2 lab=$3 xdpsock=$4 out=$5 rundir=$6
rounds=${VMBENCH_ROUNDS:-5}
layouts=${VMBENCH_LAYOUTS:-1}
repeat=${VMBENCH_REPEAT:-3}
match_at=${VMBENCH_MATCH-kernel/bpf/offload.o net/socket.o}
secs=${VMBENCH_SECONDS:-3}
modes=${MODES:-"skb native"}
benches=${BENCHES:-"rxdrop txonly l2fwd"}
here=$(cd "$(dirname "$0")/.." && pwd)
lock=/tmp/afxdp-heavy.lock
# Both vCPUs must run at once for a benchmark: multi-threaded TCG (the lab
# changes no XDP program while traffic flows, see kernel-build/vmtest.sh).
export VMTEST_QUIET=${VMTEST_QUIET:-1} VMTEST_TIMEOUT=${VMTEST_TIMEOUT:-900}
export VMTEST_TCG_THREAD=${VMTEST_TCG_THREAD:-multi}

image=arch/x86/boot/bzImage
for d in "$ours_obj" "$mainline_obj"; do
	[ -r "$d/$image" ] || { echo "vmbench: no kernel image at $d/$image (make kernel kernel-mainline)" >&2; exit 1; }
done
case $layouts in
0|1) ;;
*) echo "vmbench: VMBENCH_LAYOUTS must be 0 or 1, not '$layouts'" >&2; exit 2 ;;
esac
for v in "rounds=$rounds" "repeat=$repeat" "secs=$secs"; do
	case ${v#*=} in
	''|0|*[!0-9]*) echo "vmbench: ${v%%=*} must be a whole number above 0, not '${v#*=}'" >&2
		exit 2 ;;
	esac
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
echo "kernel,boot,mode,bench,round,lib,mpps,xdpsock_rx_mpps,xdpsock_tx_mpps,source_mpps,sink_mpps,layout_pad" \
	> "$runs_csv"

# The guest's command: $repeat rounds of every cell, on libxsk, quiesced,
# going on past a cell that fails; bench.sh writes its CSVs to the share.
guest_cmd="ROUNDS=$repeat RUN_SECONDS=$secs MODES='$modes' BENCHES='$benches' BENCH_LIBS=libxsk \
BENCH_QUIESCE=1 BENCH_KEEP_GOING=1 BENCH_CHART=0 \
$here/lab/bench.sh $lab $xdpsock $xdpsock /tmp/vmout"

ncells=$(($(wc -w <<< "$modes") * $(wc -w <<< "$benches") + 1))
minutes=$((rounds * 2 * (20 + 12 * layouts + ncells * repeat * (secs + 3)) / 60 + 1))
echo "vmbench: $rounds boots of each kernel (ABBA: ours, mainline, mainline, ours, ...)," \
	"$ncells cells $repeat times ${secs} s per boot, under TCG; about $minutes min; log in $log"

# The pad of round $1: spread evenly over a page, 16-byte steps; 0 without layouts.
layout_pad() {
	[ "$layouts" = 1 ] || { echo 0; return; }
	echo $(( ($1 - 1) * 4096 / rounds / 16 * 16 ))
}

failures=()
boot_one() {	# boot_one KERNEL OBJ ROUND
	local k=$1 obj=$2 r=$3 dir=$rundir/vmbench-$1 rc=0 t0 res why csv img pad
	t0=$(date +%s)
	pad=$(layout_pad "$r")
	img=$obj/$image
	if [ "$layouts" = 1 ]; then
		local matching=()
		# shellcheck disable=SC2206 # a list of object paths
		[ "$k" = ours ] && [ -n "$match_at" ] && matching=("$mainline_obj" $match_at)
		img=$(flock "$lock" "$here/kernel-build/relayout.sh" "$obj" \
			"$rundir/vmbench-layout-$k" "$pad" "${matching[@]}" 2>>"$log") || {
			echo "vmbench: round $r/$rounds, $k FAILED: no kernel with pad $pad:" \
				"$(grep '^relayout: ' "$log" | tail -n 1)" >&2
			failures+=("$k boot $r: relayout.sh $obj (pad $pad) failed")
			return
		}
	fi
	res=$(flock "$lock" "$here/kernel-build/vmtest.sh" "$img" "$dir" "$guest_cmd" 2>&1) || rc=$?
	# vmtest.sh's verdict, then the guest's own lines (bench.sh's table...)
	# and the lab's and xdpsock's messages; the kernel's are in serial-rN.log.
	{
		echo "==== round $r, $k: $img (layout pad $pad)"
		echo "$res"
		grep -av '^\[ *[0-9]*\.[0-9]*\]' "$dir/serial.log" 2>/dev/null |
			sed -n '/^vmtest: kernel/,$p'
		cat "$dir"/out/bench-*.log 2>/dev/null
	} >> "$log"
	cp "$dir/serial.log" "$dir/serial-r$r.log" 2>/dev/null || true
	csv=$(ls "$dir"/out/bench-*-runs.csv 2>/dev/null | head -n 1)
	[ -z "$csv" ] || sed "1d; s/^/$k,$r,/; s/\$/,$pad/" "$csv" >> "$runs_csv"
	# What the guest's bench could not run, and why (bench.sh said so).
	grep -a '^bench: .* failed: ' "$dir/serial.log" 2>/dev/null | sed "s/^/vmbench: $k boot $r: /" |
		tee -a "$log" >&2 || true
	if [ "$rc" = 0 ]; then
		printf 'vmbench: round %s/%s, %-8s (pad %4d) done in %3d s\n' "$r" "$rounds" "$k" \
			"$pad" $(($(date +%s) - t0))
	else
		why=$(grep -a 'vmtest: FAIL' <<< "$res" | tail -n 1)
		echo "$res" | grep -a -A 20 'the guest kernel reported' | head -n 22 >&2 || true
		echo "vmbench: round $r/$rounds, $k FAILED: ${why:-vmtest.sh status $rc}" \
			"(console: $dir/serial-r$r.log)" >&2
		failures+=("$k boot $r: ${why:-vmtest.sh status $rc} ($dir/serial-r$r.log)")
	fi
}

# ABBA: odd rounds boot ours first, even rounds mainline first, so that a
# drift over the run does not favour one kernel.
for r in $(seq "$rounds"); do
	if [ $((r % 2)) = 1 ]; then
		boot_one ours "$ours_obj" "$r"
		boot_one mainline "$mainline_obj" "$r"
	else
		boot_one mainline "$mainline_obj" "$r"
		boot_one ours "$ours_obj" "$r"
	fi
done

# Per cell: each boot's median over its repeats; per round, the ratio of the
# two kernels' boots (paired: same layout pad); the cell's ratio is the
# geometric mean of its rounds' ratios, with a 95% interval.
echo "mode,bench,ours_mpps,mainline_mpps,ratio,ratio_ci_low,ratio_ci_high,rounds_paired," \
	"ours_runs,mainline_runs,ours_min,ours_max,mainline_min,mainline_max" | tr -d ' ' > "$cells_csv"
printf '\n%-7s %-8s %9s %9s %14s %15s %7s %s\n' mode bench ours mainline ours/mainline \
	"95% interval" spread "runs (ours, mainline)"
awk -F, -v modes="$modes" -v benches="$benches" -v cells="$cells_csv" \
	-f "$here/lab/vmbench_cells.awk" "$runs_csv"
cat <<-EOF

	Mpps are medians over runs, measured in the guest under TCG (no KVM): only the
	ratios mean anything.  ours/mainline: the geometric mean over rounds of each
	round's ratio (both kernels' medians of $repeat runs, at the same layout pad),
	with its 95% interval.  spread: the widest (max - min) / median of the two
	kernels' runs.  ceiling is the lab's XDP_DROP on veth, no AF_XDP: a control,
	whose ratio shows what noise alone does.
EOF
[ "$layouts" = 0 ] || echo "Round r moved both kernels' code by the same pad: layout_pad in the runs CSV."

if [ "${VMBENCH_CHART:-1}" != 0 ] && command -v gnuplot > /dev/null; then
	chart=$out/vmbench-$stamp.png
	awk -F, 'NR > 1 && $1 != "ceiling" { printf "\"%s %s\" %s %s\n", $1, $2,
		$3 == "" ? "0" : $3, $4 == "" ? "0" : $4 }' "$cells_csv" > "$out/vmbench-$stamp.dat"
	gnuplot <<-EOF
		set terminal pngcairo size 900,500
		set output "$chart"
		set title noenhanced "xdpsock in a TCG guest: ours vs mainline 6.12 (median of $rounds boots x $repeat runs)"
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
