# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#
# make vmbench's cells (lab/vmbench.sh): reads the runs CSV
# (kernel,boot,mode,bench,round,lib,mpps,...), prints one line per cell and
# appends one CSV row per cell to the file named by -v cells=FILE.
#
#   awk -F, -v modes="skb native" -v benches="rxdrop txonly l2fwd" \
#       -v cells=CELLS_CSV -f lab/vmbench_cells.awk RUNS_CSV
#
# Per cell: the median Mpps of each kernel over all its runs; each boot's
# median over its repeats; per round (boot number), the ratio of the two
# kernels' boots; the cell's ratio is the geometric mean of those, with a
# 95% interval from Student's t on their logarithms.  A failed run (mpps
# not a number) counts in the runs column only.
function median(list,   v, n, i, j, t) {
	n = split(list, v, " ")
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && v[j - 1] + 0 > v[j] + 0; j--) {
			t = v[j]; v[j] = v[j - 1]; v[j - 1] = t
		}
	lo = v[1]; hi = v[n]
	return n % 2 ? v[(n + 1) / 2] + 0 : (v[n / 2] + v[n / 2 + 1]) / 2
}
# Two-sided 95% quantile of Student t with df degrees of freedom.
function t975(df) {
	split("12.706 4.303 3.182 2.776 2.571 2.447 2.365 2.306 2.262 2.228 " \
	      "2.201 2.179 2.160 2.145 2.131 2.120 2.110 2.101 2.093 2.086", T, " ")
	return df <= 20 ? T[df] : (df <= 30 ? 2.042 : 1.96)
}
NR > 1 {
	# kernel,boot,mode,bench,round,lib,mpps,...
	key = $3 SUBSEP $4 SUBSEP $1
	if ($7 ~ /^[0-9.]+$/) {
		vals[key] = vals[key] " " $7
		boot[key SUBSEP $2] = boot[key SUBSEP $2] " " $7
		boots[$2] = 1
	} else
		failed[key]++
}
function cell(mode, bench,   k, n, med, mn, mx, spread, ratio, shown, runs, b, x, y,
	      np, sum, sumsq, mean, sd, h, ci, name, key, flag, lo_r, hi_r, tmp) {
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
	np = 0; sum = 0; sumsq = 0
	for (b in boots) {
		x = boot[mode SUBSEP bench SUBSEP "ours" SUBSEP b]
		y = boot[mode SUBSEP bench SUBSEP "mainline" SUBSEP b]
		if (x == "" || y == "")
			continue
		x = median(x); y = median(y)
		if (x <= 0 || y <= 0)
			continue
		np++; sum += log(x / y); sumsq += log(x / y) ^ 2
	}
	ratio = "n/a"; lo_r = ""; hi_r = ""; ci = "-"
	if (np) {
		mean = sum / np
		ratio = sprintf("%.3f", exp(mean))
		if (np > 1) {
			# Rounding can leave equal ratios a hair below zero variance.
			sd = sumsq - np * mean * mean
			sd = sd > 0 ? sqrt(sd / (np - 1)) : 0
			h = t975(np - 1) * sd / sqrt(np)
			lo_r = sprintf("%.3f", exp(mean - h)); hi_r = sprintf("%.3f", exp(mean + h))
			ci = sprintf("[%s, %s]", lo_r, hi_r)
		}
	}
	flag = ""
	if (mode != "ceiling" && hi_r != "" && hi_r + 0 < 1)
		flag = "   below 1.0"
	else if (mode != "ceiling" && ratio != "n/a" && ratio + 0 < 1)
		flag = "   (below 1.0 within noise)"
	printf "%-7s %-8s %s %s %14s %15s %6.0f%% %s, %s%s\n", mode, bench, shown[1], shown[2],
		ratio, ci, 100 * spread, runs[1], runs[2], flag
	printf "%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n", mode, bench, med[1], med[2],
		ratio == "n/a" ? "" : ratio, lo_r, hi_r, np, runs[1], runs[2], mn[1], mx[1],
		mn[2], mx[2] >> cells
}
END {
	nm = split(modes, M, " "); nb = split(benches, B, " ")
	for (i = 1; i <= nm; i++)
		for (j = 1; j <= nb; j++)
			cell(M[i], B[j])
	cell("ceiling", "xdp_drop")
}
