# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# shellcheck shell=bash
#
# TAP-style results for the shell test scripts of this folder (sourced).
# A failure also shows the last lines of $tap_log when the script set it.
passed=0 failed=0 n=0

result() {	# result OK NAME [WHY]
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		passed=$((passed + 1))
		echo "ok $n - $2"
	else
		failed=$((failed + 1))
		echo "not ok $n - $2${3:+: $3}"
		[ -z "${tap_log:-}" ] || sed 's/^/    # /' "$tap_log" | tail -n 5
	fi
}
