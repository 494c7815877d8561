#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Runs the BPF conformance suite against xbpf-conformance and prints TAP.
# Stands in for the upstream runner binary (not available here), reading
# the pre-assembled suite: conformance.flat (tests/*.data with their
# programs already assembled) and negative/unused-*.data (raw bytes).
#
#   conformance-run.sh [--offline] [--plugin PATH] [--plugin-opt OPT] [--verbose] [SUITE_DIR]
#
# SUITE_DIR defaults to ../shared/bpf_conformance beside the repository.
# --offline passes --offline to the plugin (in-process core, no module);
# --plugin-opt OPT passes one more option to it (repeatable).
# The plugin defaults to $XBPF_CONFORMANCE, else xbpf-conformance beside
# this script, else build/xbpf-conformance of this tree, else $PATH.
#
# A test passes when the plugin exits 0 and prints the expected r0 (hex,
# compared as 64-bit values).  A negative/unused-*.data program (an
# instruction with a reserved field set) passes when the plugin refuses it
# with an ordinary non-zero exit (1..125: a crash is not a refusal).
# Exits 1 if any test failed.
#
# Written for busybox sh and awk: it also runs inside the test VM.

here=$(cd "$(dirname "$0")" && pwd)
offline=
verbose=
popts=
plugin=${XBPF_CONFORMANCE:-}
suite=

while [ $# -gt 0 ]; do
	case "$1" in
	--offline) offline=--offline ;;
	--verbose|-v) verbose=1 ;;
	--plugin) shift; plugin=$1 ;;
	--plugin-opt) shift; popts="$popts $1" ;;
	--plugin=*) plugin=${1#--plugin=} ;;
	-h|--help)
		sed -n '4,23p' "$0" | sed 's/^# \{0,1\}//'
		exit 0 ;;
	-*) echo "conformance-run.sh: unknown option $1" >&2; exit 2 ;;
	*) suite=$1 ;;
	esac
	shift
done

if [ -z "$suite" ]; then
	suite=$here/../../../shared/bpf_conformance
fi
flat=$suite/conformance.flat
if [ ! -r "$flat" ]; then
	echo "conformance-run.sh: no $flat (give the suite directory)" >&2
	exit 2
fi
if [ -z "$plugin" ]; then
	for p in "$here/xbpf-conformance" "$here/../../build/xbpf-conformance"; do
		if [ -x "$p" ]; then
			plugin=$p
			break
		fi
	done
fi
if [ -z "$plugin" ]; then
	plugin=$(command -v xbpf-conformance 2>/dev/null)
fi
if [ -z "$plugin" ] || [ ! -x "$plugin" ]; then
	echo "conformance-run.sh: xbpf-conformance not found (use --plugin)" >&2
	exit 2
fi

# Tests xbpf deliberately does not run, with the reason.  Only features
# outside RFC 9669 belong here; a missing RFC 9669 feature is a failure.
skip_reason() {
	case "$1" in
	tests/callx.data)
		# opcode 0x8d, call with the target in a register: uBPF's
		# extension.  RFC 9669 defines CALL only with src 0 (helper by
		# id), 1 (pc-relative) and 2 (helper by BTF id).
		echo "callx (call by register, 0x8d) is a uBPF extension, not in RFC 9669" ;;
	esac
}

# Tests xbpf refuses at load time on purpose, being Linux-compatible:
# prints the reason when NAME may be refused with stderr matching the
# pattern echoed second.  Such a test is a SKIP only when the plugin did
# refuse it for that reason; if it runs, it is judged like any other.
refusal_reason() {
	case "$1" in
	tests/[al]sh32-imm-high.data|tests/[al]sh32-imm-neg.data|\
	tests/rsh32-imm-high.data|tests/rsh32-imm-neg.data|\
	tests/arsh32-imm-high.data|tests/arsh32-imm-neg.data|\
	tests/[alr]sh64-imm-high.data|tests/[alr]sh64-imm-neg.data|\
	tests/arsh64-imm-high.data|tests/arsh64-imm-neg.data)
		# RFC 9669 masks the shift count; Linux's verifier (and so
		# xbpf's) rejects a constant count outside 0..width-1 with
		# "invalid shift" (kernel/bpf/verifier.c, check_alu_op).
		# Register counts are masked at run time and are tested.
		echo "constant shift count outside 0..width-1: refused at load as Linux does ('invalid shift')"
		echo "invalid shift" ;;
	tests/ldxdw.data|tests/ldxw.data|tests/stxdw.data|tests/stxw.data)
		# r1 is the SYSCALL context here; Linux's verifier (and so
		# xbpf's) refuses a context access not aligned to its size.
		echo "misaligned context access: refused at load as Linux does ('invalid bpf_context access')"
		echo "invalid bpf_context access" ;;
	tests/subnet.data)
		# Loads through r1 after "r1 += r2": Linux refuses any access
		# through a context pointer that was moved.
		echo "access through a moved context pointer: refused at load as Linux does"
		echo "dereference of modified ctx ptr" ;;
	tests/stb.data|tests/sth.data|tests/stw.data|tests/stdw.data|\
	tests/ldxh-same-reg.data)
		# BPF_ST (store of an immediate) into the context: refused by
		# Linux's verifier for every program type, and by xbpf's.
		echo "BPF_ST into the context: refused at load as Linux does"
		echo "BPF_ST stores into R[0-9] ctx is not allowed" ;;
	esac
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/xbpf-conf.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM

# One line per test: NAME EXPECTED MEMHEX|- PROGHEX
awk '
function flush() {
	if (name != "")
		print name, result, (mem == "" ? "-" : mem), prog
	name = ""; result = ""; mem = ""; prog = ""
}
/^-- test / { flush(); name = $3; next }
$1 == "result" { result = $2; next }
$1 == "mem" { for (i = 3; i <= NF; i++) mem = mem $i; next }
$1 == "insns" { next }
NF == 1 && name != "" { prog = prog $1; next }
END { flush() }
' "$flat" > "$tmp/tests"

ls "$suite"/negative/unused-*.data > "$tmp/neg" 2>/dev/null

ntests=$(awk 'END { print NR }' "$tmp/tests")
nneg=$(awk 'END { print NR }' "$tmp/neg")
echo "1..$((ntests + nneg))"

# lowercase hex without 0x and leading zeros: the plugin's own form
norm() {
	v=$(echo "$1" | tr 'A-F' 'a-f')
	v=${v#0x}
	while [ "${v#0}" != "$v" ]; do
		v=${v#0}
	done
	echo "${v:-0}"
}

n=0
pass=0
fail=0
skip=0
both=0

report_fail() {
	echo "not ok $n $1"
	shift
	for line in "$@"; do
		echo "# $line"
	done
	if [ -s "$tmp/err" ]; then
		sed 's/^/#   /' "$tmp/err" | head -n 20
	fi
	fail=$((fail + 1))
}

while read -r name expect mem prog; do
	n=$((n + 1))
	reason=$(skip_reason "$name")
	if [ -n "$reason" ]; then
		echo "ok $n $name # SKIP $reason"
		skip=$((skip + 1))
		continue
	fi
	[ "$mem" = "-" ] && mem=
	out=$(echo "$prog" | "$plugin" "$mem" $offline $popts 2>"$tmp/err")
	rc=$?
	if [ $rc -ne 0 ]; then
		refusal=$(refusal_reason "$name")
		pattern=$(echo "$refusal" | sed -n 2p)
		if [ -n "$pattern" ] && [ $rc -lt 126 ] && grep -q "$pattern" "$tmp/err"; then
			echo "ok $n $name # SKIP $(echo "$refusal" | sed -n 1p)"
			skip=$((skip + 1))
			continue
		fi
		report_fail "$name" "plugin exit $rc, expected r0 $expect"
		continue
	fi
	want=$(norm "$expect")
	got=$(norm "$out")
	if [ "$got" != "$want" ]; then
		report_fail "$name" "r0 0x$got, expected 0x$want"
		continue
	fi
	echo "ok $n $name"
	[ -n "$verbose" ] && echo "# r0 0x$got"
	pass=$((pass + 1))
	# the plugin's --both: the JIT ran it too and agreed
	grep -q 'engines: JIT and interpreter agree' "$tmp/err" && both=$((both + 1))
done < "$tmp/tests"

while read -r f; do
	n=$((n + 1))
	name=negative/${f##*/}
	prog=$(awk '/^-- raw/ { on = 1; next } /^--/ { on = 0 } on && !/^#/ { printf "%s ", $0 }' "$f")
	echo "$prog" | "$plugin" "" $offline $popts >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ $rc -eq 0 ]; then
		report_fail "$name" "accepted and ran (r0 $(cat "$tmp/out")), must be refused"
		continue
	fi
	if [ $rc -gt 125 ]; then
		report_fail "$name" "plugin died with status $rc instead of refusing"
		continue
	fi
	echo "ok $n $name"
	if [ -n "$verbose" ]; then
		head -n 1 "$tmp/err" | sed 's/^/# refused: /'
	fi
	pass=$((pass + 1))
done < "$tmp/neg"

[ $both -gt 0 ] && echo "# $both passed under both engines (JIT-compiled, same r0 as the interpreter)"
echo "# $pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ]
