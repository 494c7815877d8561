#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Split what the guest wrote on its second serial port (see guest-init.sh)
# into one TAP file per suite, RESULTS/vm-<suite>.tap, and OUTDIR/dmesg.txt.
# A suite that did not run to its end, exited non-zero without reporting a
# failure, or reported fewer results than it planned gets a "not ok" line
# appended, so nothing that went wrong can read as a pass.
#
#   split-results.sh SERIAL1_LOG RESULTS_DIR OUTDIR
#
# Prints "tainted=N" and "done=0|1" on stdout for the caller.
set -euo pipefail

SERIAL=${1:?} RESULTS=${2:?} OUTDIR=${3:?}
mkdir -p "$RESULTS"

. "$(dirname "$0")/../tap.sh"

suite="" file="" tainted="" done=0 in_dmesg=0
: >"$OUTDIR/dmesg.txt"

while IFS= read -r line || [ -n "$line" ]; do
	line=${line%$'\r'}
	if [ "$in_dmesg" = 1 ]; then
		if [ "$line" = "# xbpf-dmesg-end" ]; then
			in_dmesg=0
		else
			printf '%s\n' "$line" >>"$OUTDIR/dmesg.txt"
		fi
		continue
	fi
	case "$line" in
	"# xbpf-suite-begin "*)
		[ -n "$suite" ] && tap_close "$suite" "$file" ""
		suite=${line#\# xbpf-suite-begin }
		file=$RESULTS/vm-$(tap_file_name "$suite").tap
		: >"$file"
		;;
	"# xbpf-suite-end "*)
		rc=${line##*rc=}
		[ -n "$suite" ] && tap_close "$suite" "$file" "$rc"
		suite="" file=""
		;;
	"# xbpf-tainted "*) tainted=${line#\# xbpf-tainted } ;;
	"# xbpf-dmesg-begin") in_dmesg=1 ;;
	"# xbpf-done") done=1 ;;
	*) [ -n "$file" ] && printf '%s\n' "$line" >>"$file" ;;
	esac
done <"$SERIAL"
[ -n "$suite" ] && tap_close "$suite" "$file" ""

echo "tainted=$tainted"
echo "done=$done"
