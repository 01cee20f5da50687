#!/bin/bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#
# Side-by-side benchmark: one xdpsock source built against libxsk and
# against libxdp, run alternately (A B A B ...) in the same veth lab, for
# rxdrop, txonly and l2fwd in SKB and native mode, plus the lab's XDP_DROP
# ceiling; and libxsk's batched API (xdpsock --api=batch) for rxdrop and
# l2fwd in the same rounds.  Prints per cell the median Mpps of each, the
# ratio libxsk/libxdp and the ratio batch/libxsk; writes a CSV of every
# run, a CSV of the cells and a chart to the results folder.
#
#   lab/bench.sh LAB XDPSOCK XDPSOCK_LIBXDP RESULTS_DIR
#   env: ROUNDS (default 5), RUN_SECONDS (default 3), MODES ("skb native"),
#        BENCHES ("rxdrop txonly l2fwd"), BENCH_LIBS ("libxsk libxdp batch"),
#        BENCH_QUIESCE=1 (xsk-lab --wait-xdp: the source runs only while
#        xdpsock's program is attached, and the lab ends xdpsock),
#        BENCH_KEEP_GOING=1 (a run that fails is recorded as "failed", with
#        its reason, and the benchmark goes on), BENCH_CHART=0 (no chart)
#
# lab/vmbench.sh runs it in a guest with all three set.
#
# What is measured: rxdrop, what xdpsock received; txonly, what arrived
# at the peer's XDP_DROP sink; l2fwd, what came back to the peer.
set -euo pipefail

lab=$1 ours=$2 theirs=$3 out=$4
rounds=${ROUNDS:-5}
secs=${RUN_SECONDS:-3}
modes=${MODES:-"skb native"}
benches=${BENCHES:-"rxdrop txonly l2fwd"}
libs=${BENCH_LIBS:-"libxsk libxdp batch"}
quiesce=${BENCH_QUIESCE:-0}
keep_going=${BENCH_KEEP_GOING:-0}
lock=/tmp/afxdp-heavy.lock

mkdir -p "$out"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
runs_csv=$out/bench-$stamp-runs.csv
cells_csv=$out/bench-$stamp.csv
log=$out/bench-$stamp.log
: > "$log"
echo "mode,bench,round,lib,mpps,xdpsock_rx_mpps,xdpsock_tx_mpps,source_mpps,sink_mpps" > "$runs_csv"

json_field() {	# json_field FIELD < line
	sed -n "s/.*\"$1\":\([0-9.eE+-]*\).*/\1/p" | head -n 1
}

# A failed run: its reason (the last line of its errors) on stderr; returns 1.
run_failed() {	# run_failed WHAT ERRFILE OUTPUT
	local why
	cat "$2" >> "$log"
	echo "$3" >> "$log"
	why=$(grep -v '^[[:space:]]*$' "$2" | tail -n 1)
	echo "bench: $1 failed: ${why:-no message}; see $log" >&2
	rm -f "$2"
	return 1
}

# One measured run; prints "mpps xdpsock_rx xdpsock_tx source sink".
run_one() {
	local lib=$1 mode=$2 bench=$3 bin peer flag out_run summary labline api=() err
	local timing=(-s $((secs + 2))) duration=(-d "$secs")
	# Quiesced, no XDP program comes or goes on vxa while the source runs.
	if [ "$quiesce" = 1 ]; then
		timing=(-w -s "$secs")
		duration=()
	fi
	bin=$ours
	[ "$lib" = libxdp ] && bin=$theirs
	[ "$lib" = batch ] && api=(--api=batch)
	case $bench in
	rxdrop) peer=source; flag=-r ;;
	txonly) peer=sink; flag=-t ;;
	l2fwd) peer=both; flag=-l ;;
	esac
	case $mode in
	skb) mflag=-S ;;
	native) mflag=-N ;;
	esac
	err=$(mktemp)
	out_run=$(flock "$lock" "$lab" -j -p "$peer" "${timing[@]}" -- \
		"$bin" -i '{if}' "$flag" "$mflag" "${duration[@]}" -Q -j "${api[@]}" 2>"$err") ||
		run_failed "$lib $bench ($mode)" "$err" "$out_run" || return 1
	summary=$(grep '"type":"summary"' <<< "$out_run") &&
		labline=$(grep '^{"seconds"' <<< "$out_run") ||
		run_failed "$lib $bench ($mode) (no summary)" "$err" "$out_run" || return 1
	cat "$err" >> "$log"
	rm -f "$err"
	local rx tx src sink mpps
	rx=$(json_field rx_pps <<< "$summary")
	tx=$(json_field tx_pps <<< "$summary")
	src=$(json_field source_mpps <<< "$labline")
	sink=$(json_field sink_mpps <<< "$labline")
	rx=$(awk -v v="$rx" 'BEGIN { printf "%.4f", v / 1e6 }')
	tx=$(awk -v v="$tx" 'BEGIN { printf "%.4f", v / 1e6 }')
	case $bench in
	rxdrop) mpps=$rx ;;
	*) mpps=$sink ;;
	esac
	echo "$mpps $rx $tx $src $sink"
}

median() {	# median < numbers
	sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2];
		else printf "%.4f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

echo "bench: $rounds rounds of ${secs} s per cell, alternating $libs; log in $log"
ceilings=()
for r in $(seq "$rounds"); do
	err=$(mktemp)
	if line=$(flock "$lock" "$lab" --ceiling -s "$secs" -j 2>"$err"); then
		cat "$err" >> "$log"
		rm -f "$err"
		sink=$(json_field sink_mpps <<< "$line")
		src=$(json_field source_mpps <<< "$line")
		ceilings+=("$sink")
		echo "ceiling,xdp_drop,$r,lab,$sink,,,$src,$sink" >> "$runs_csv"
	else
		run_failed "the ceiling (xsk-lab --ceiling)" "$err" "$line" || true
		[ "$keep_going" = 1 ] || exit 1
		echo "ceiling,xdp_drop,$r,lab,failed,,,," >> "$runs_csv"
	fi
done
ceiling=n/a
[ ${#ceilings[@]} = 0 ] || ceiling=$(printf '%s\n' "${ceilings[@]}" | median)
frac() {	# frac MPPS: the fraction of the ceiling
	awk -v a="$1" -v c="$ceiling" 'BEGIN { if (c + 0 > 0) printf "%.3f", a / c; else print "n/a" }'
}

echo "mode,bench,lib,median_mpps,ratio,fraction_of_ceiling" > "$cells_csv"
printf '\n%-7s %-7s' mode bench
for lib in $libs; do printf ' %10s' "$lib"; done
printf ' %8s %8s %9s\n' ratio batch/raw "ceiling"
for mode in $modes; do
	for bench in $benches; do
		declare -A vals=() failed=()
		for r in $(seq "$rounds"); do
			for lib in $libs; do
				# The batched API has no txonly.
				[ "$lib" = batch ] && [ "$bench" = txonly ] && continue
				if ! res=$(run_one "$lib" "$mode" "$bench"); then
					[ "$keep_going" = 1 ] || exit 1
					failed[$lib]=1
					echo "$mode,$bench,$r,$lib,failed,,,," >> "$runs_csv"
					continue
				fi
				read -r mpps rx tx src sink <<< "$res"
				vals[$lib]+="$mpps "
				echo "$mode,$bench,$r,$lib,$mpps,$rx,$tx,$src,$sink" >> "$runs_csv"
			done
		done
		printf '%-7s %-7s' "$mode" "$bench"
		declare -A med=()
		for lib in $libs; do
			if [ -z "${vals[$lib]:-}" ]; then
				if [ -n "${failed[$lib]:-}" ]; then
					printf ' %10s' failed
					echo "$mode,$bench,$lib,failed,," >> "$cells_csv"
				else
					printf ' %10s' -
				fi
				continue
			fi
			med[$lib]=$(tr ' ' '\n' <<< "${vals[$lib]}" | grep . | median)
			printf ' %10.3f' "${med[$lib]}"
		done
		ratio=$(awk -v a="${med[libxsk]:-0}" -v b="${med[libxdp]:-0}" \
			'BEGIN { if (b > 0) printf "%.3f", a / b; else print "n/a" }')
		bratio=$(awk -v a="${med[batch]:-0}" -v b="${med[libxsk]:-0}" \
			'BEGIN { if (a > 0 && b > 0) printf "%.3f", a / b; else print "-" }')
		frac=-
		[ -z "${med[libxsk]:-}" ] || frac=$(frac "${med[libxsk]}")
		printf ' %7sx %8s %9s\n' "$ratio" "$bratio" "$frac"
		for lib in $libs; do
			[ -z "${med[$lib]:-}" ] && continue
			f=$(frac "${med[$lib]}")
			r=$ratio
			[ "$lib" = libxdp ] && r=1.000
			[ "$lib" = batch ] && r=$bratio
			echo "$mode,$bench,$lib,${med[$lib]},$r,$f" >> "$cells_csv"
		done
		unset vals med failed
	done
done
if [ "$ceiling" = n/a ]; then
	printf '%-15s %10s      (the lab could not run its XDP_DROP ceiling)\n' ceiling n/a
else
	printf '%-15s %10.3f Mpps (XDP_DROP on the receiving end, median of %s)\n' ceiling \
		"$ceiling" "${#ceilings[@]}"
fi
echo "ceiling,xdp_drop,lab,$ceiling,,1.000" >> "$cells_csv"

if [ "${BENCH_CHART:-1}" != 0 ] && [ "$ceiling" != n/a ] && command -v gnuplot > /dev/null; then
	chart=$out/bench-$stamp.png
	awk -F, 'NR > 1 && $3 == "libxsk" { k = $1 " " $2; a[k] = $4; o[++n] = k }
		 NR > 1 && $3 == "libxdp" { b[$1 " " $2] = $4 }
		 END { for (i = 1; i <= n; i++) print "\"" o[i] "\"", a[o[i]], b[o[i]] }' \
		"$cells_csv" > "$out/bench-$stamp.dat"
	gnuplot <<-EOF
		set terminal pngcairo size 900,500
		set output "$chart"
		set title noenhanced "xdpsock on a veth lab: libxsk vs libxdp (median of $rounds, ceiling $ceiling Mpps)"
		set ylabel "Mpps"
		set style data histograms
		set style histogram clustered gap 1
		set style fill solid 0.8 border -1
		set yrange [0:*]
		set key outside right top
		set xtics rotate by -20
		plot "$out/bench-$stamp.dat" using 2:xtic(1) title "libxsk", '' using 3 title "libxdp", \
		     $ceiling with lines lw 2 title "XDP_DROP ceiling" noenhanced
	EOF
	rm -f "$out/bench-$stamp.dat"
	echo "bench: chart $chart"
fi
echo "bench: runs in $runs_csv, cells in $cells_csv"
