#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Host tests of the loader tools, offline (no module needed): the raw
# format's errors and their line numbers, `xbpf prog run` results, JSON
# validity (python3 -m json.tool), `xbpf verify` exit codes, `xbpf
# feature`, `xbpf map consume|list` and `xbpf prog dump` usage errors, and
# xbpf-conformance
# with its suite runner.  Prints TAP and
# exits non-zero on any failure.
#
#   selftests/tools/test_cli.sh [BUILD_DIR]     (default: build)

cd "$(dirname "$0")/../.." || exit 2
B=${1:-${B:-build}}
XBPF=$B/xbpf
CONF=$B/xbpf-conformance
EX=examples
SUITE=${CONFORMANCE_DATA:-../shared/bpf_conformance}

T=$(mktemp -d "${TMPDIR:-/tmp}/xbpf-cli.XXXXXX") || exit 2
trap 'rm -rf "$T"' EXIT INT TERM

N=0
FAILED=0
have_python=
command -v python3 >/dev/null 2>&1 && have_python=1

ok() {
	N=$((N + 1))
	echo "ok $N $1"
}

not_ok() {
	N=$((N + 1))
	FAILED=$((FAILED + 1))
	echo "not ok $N $1"
	shift
	for l in "$@"; do
		echo "# $l"
	done
	for f in "$T/out" "$T/err"; do
		[ -s "$f" ] && head -n 15 "$f" | sed "s|^|#   ${f##*/}: |"
	done
}

skip() {
	N=$((N + 1))
	echo "ok $N $1 # SKIP $2"
}

# run CMD...: stdout in $T/out, stderr in $T/err, exit status in $RC
run() {
	"$@" >"$T/out" 2>"$T/err"
	RC=$?
}

# expect NAME RC WANT_STDOUT CMD...: exit status and exact stdout
expect() {
	name=$1 want_rc=$2 want_out=$3
	shift 3
	run "$@"
	if [ "$RC" -ne "$want_rc" ]; then
		not_ok "$name" "exit $RC, expected $want_rc"
	elif [ -n "$want_out" ] && [ "$(cat "$T/out")" != "$want_out" ]; then
		not_ok "$name" "stdout '$(head -c 200 "$T/out")', expected '$want_out'"
	else
		ok "$name"
	fi
}

# json_check NAME PY_EXPR: $T/out must be valid JSON and PY_EXPR (over j) true
json_check() {
	if [ -z "$have_python" ]; then
		skip "$1" "python3 not installed"
		return
	fi
	if ! python3 -m json.tool "$T/out" >/dev/null 2>"$T/jerr"; then
		not_ok "$1" "invalid JSON: $(cat "$T/jerr")"
		return
	fi
	if python3 -c "import json,sys; j=json.load(open(sys.argv[1])); sys.exit(0 if ($2) else 1)" \
		"$T/out" 2>"$T/jerr"; then
		ok "$1"
	else
		not_ok "$1" "JSON lacks: $2" "$(cat "$T/jerr")"
	fi
}

# parse_error NAME LINE TEXT: the file must be refused with exit 2 and a
# message naming FILE:LINE (LINE 0: just the file)
parse_error() {
	name=$1 line=$2
	printf '%b' "$3" >"$T/p.xbpf"
	run "$XBPF" prog run --offline "$T/p.xbpf"
	if [ "$line" = 0 ]; then
		where="$T/p.xbpf:"
	else
		where="$T/p.xbpf:$line:"
	fi
	if [ "$RC" -ne 2 ]; then
		not_ok "parse error: $name" "exit $RC, expected 2"
	elif ! grep -qF "$where" "$T/err"; then
		not_ok "parse error: $name" "stderr does not name $where"
	else
		ok "parse error: $name"
	fi
}

if [ ! -x "$XBPF" ] || [ ! -x "$CONF" ]; then
	echo "1..1"
	echo "not ok 1 tools built ($XBPF, $CONF missing: make tools)"
	exit 1
fi

echo "TAP version 13"

# ---- prog run ----
UDP=000000000000000000000000080045000020000000004011000000007f0000017f00000100350035000c00000000
expect "prog run hello (socket filter, array map)" 0 \
	"$(printf '32\nmap 0 key 00000000 value 0300000000000000')" \
	"$XBPF" prog run --offline $EX/hello.xbpf --data "$UDP" --repeat 3 --dump-maps
expect "prog run counter" 0 1 "$XBPF" prog run --offline $EX/counter.xbpf
expect "prog run counter --repeat 5" 0 5 "$XBPF" prog run --offline --repeat 5 $EX/counter.xbpf
expect "prog run counter --dump-maps" 0 "$(printf '3\nmap 0 key 00000000 value 0300000000000000')" \
	"$XBPF" prog run --offline --repeat=3 --dump-maps $EX/counter.xbpf
expect "prog run socket filter LD_ABS (UDP)" 0 17 \
	"$XBPF" prog run --offline $EX/sock_ipproto.xbpf --data "$UDP"
expect "prog run socket filter, spaced hex (TCP)" 0 6 \
	"$XBPF" prog run --offline $EX/sock_ipproto.xbpf --data \
	"000000000000 000000000000 0800 4500001c 00000000 4006 0000 7f000001 7f000001"
expect "socket filter without --data is a usage error" 2 "" \
	"$XBPF" prog run --offline $EX/sock_ipproto.xbpf
expect "socket filter, --data shorter than 14 bytes" 2 "" \
	"$XBPF" prog run --offline $EX/sock_ipproto.xbpf --data 0011
expect "prog run, --data not hex" 2 "" \
	"$XBPF" prog run --offline $EX/sock_ipproto.xbpf --data 0x00zz
expect "prog run, missing file" 2 "" "$XBPF" prog run --offline "$T/nonexistent.xbpf"
expect "prog run, unknown option" 2 "" "$XBPF" prog run --offline --bogus $EX/hello.xbpf
expect "prog run, --repeat not a number" 2 "" "$XBPF" prog run --offline --repeat x $EX/hello.xbpf

run "$XBPF" prog run --offline --json --repeat 2 $EX/sock_ipproto.xbpf --data "$UDP"
json_check "prog run --json" "j['retval'] == 17 and j['r0'] == 17 and j['repeat'] == 2 and \
j['engine'] == 'offline' and 'duration_ns' in j and j['data_out'] == '00'*14 + '$UDP'[28:]"

run "$XBPF" prog run --offline --json --dump-maps $EX/counter.xbpf
json_check "prog run --json --dump-maps" "j['r0'] == 1 and \
j['maps'][0]['entries'] == [{'key': '00000000', 'value': '0100000000000000'}]"

# syscall context: r1 = ctx copy, r2 = its size; the context comes back
cat >"$T/ctx.xbpf" <<'EOT'
prog_type syscall
0x79 3 1 0 0       # r3 = *(u64 *)(r1 + 0)
0x07 3 0 0 1       # r3 += 1
0x7b 1 3 0 0       # *(u64 *)(r1 + 0) = r3
0xbf 0 2 0 0       # r0 = r2 (ctx size)
0x95 0 0 0 0
EOT
run "$XBPF" prog run --offline --json --ctx 0100000000000000aa "$T/ctx.xbpf"
json_check "syscall ctx: r2 = size, ctx written back" \
	"j['r0'] == 9 and j['ctx_out'] == '0200000000000000aa'"

# the full 64-bit r0 offline
printf 'prog_type syscall\n0x18 0 0 0 -1\n0x00 0 0 0 -1\n0x95 0 0 0 0\n' >"$T/wide.xbpf"
expect "prog run: 64-bit r0 offline" 0 18446744073709551615 "$XBPF" prog run --offline "$T/wide.xbpf"

# numeric types, comments at line end, LDDW map value (src 2)
cat >"$T/num.xbpf" <<'EOT'
   # leading blanks and comments
prog_type 31	# syscall, by number
map 2 4 8 1	# array, by number
0x18 1 2 0 0	# r1 = &map0[0] + 0
0x00 0 0 0 0
0x7a 1 0 0 7	# *(u64 *)(r1 + 0) = 7
0x79 0 1 0 0	# r0 = *(u64 *)(r1 + 0)
0x95 0 0 0 0
EOT
expect "numeric prog_type and map type, LDDW map value" 0 7 "$XBPF" prog run --offline "$T/num.xbpf"

# a checked-mode fault (or a verifier rejection, once it knows): exit 1
printf 'prog_type syscall\n0x79 0 1 64 0\n0x95 0 0 0 0\n' >"$T/oob.xbpf"
run "$XBPF" prog run --offline --ctx 0000000000000000 "$T/oob.xbpf"
if [ "$RC" -eq 1 ] && grep -q 'EFAULT\|EACCES\|EINVAL' "$T/err"; then
	ok "out-of-bounds ctx read is refused (exit 1, errno named)"
else
	not_ok "out-of-bounds ctx read is refused (exit 1, errno named)" "exit $RC"
fi

# ---- raw format errors, with line numbers ----
parse_error "four fields" 2 '# c\n0xb7 0 0 0\n0x95 0 0 0 0\n'
parse_error "six fields" 1 '0xb7 0 0 0 1 2\n0x95 0 0 0 0\n'
parse_error "code without 0x" 1 'b7 0 0 0 1\n0x95 0 0 0 0\n'
parse_error "code not hex" 1 '0xg7 0 0 0 1\n'
parse_error "code above 0xff" 3 '\n\n0x1b7 0 0 0 1\n'
parse_error "dst register 16" 1 '0xb7 16 0 0 1\n'
parse_error "src register -1" 1 '0xbf 0 -1 0 0\n'
parse_error "off out of range" 1 '0x05 0 0 32768 0\n'
parse_error "imm out of range" 1 '0xb7 0 0 0 4294967296\n'
parse_error "imm in hex" 1 '0xb7 0 0 0 0x10\n'
parse_error "LDDW at end of file" 2 '0xb7 0 0 0 0\n0x18 0 0 0 1\n'
parse_error "LDDW second half with a code" 3 '0xb7 0 0 0 0\n0x18 0 0 0 1\n0x95 0 0 0 0\n'
parse_error "LDDW names an undeclared map" 2 'map array 4 4 1\n0x18 1 1 0 1\n0x00 0 0 0 0\n'
parse_error "LDDW map value, no maps" 1 '0x18 1 2 0 0\n0x00 0 0 0 0\n'
parse_error "unknown prog_type" 1 'prog_type xdp_turbo\n0x95 0 0 0 0\n'
parse_error "second prog_type" 2 'prog_type syscall\nprog_type syscall\n0x95 0 0 0 0\n'
parse_error "prog_type after instructions" 2 '0xb7 0 0 0 0\nprog_type syscall\n0x95 0 0 0 0\n'
parse_error "unknown map type" 1 'map ringbuffer 4 4 1\n0x95 0 0 0 0\n'
parse_error "map with 3 arguments" 1 'map array 4 4\n0x95 0 0 0 0\n'
parse_error "map size negative" 1 'map array 4 -4 1\n0x95 0 0 0 0\n'
parse_error "map after instructions" 2 '0xb7 0 0 0 0\nmap array 4 4 1\n0x95 0 0 0 0\n'
parse_error "unknown directive" 1 'license GPL\n0x95 0 0 0 0\n'
parse_error "no instructions" 0 '# only a comment\nprog_type syscall\n'
parse_error "empty file" 0 ''

# ---- verify: exit 0 accepted, 1 rejected, 2 usage/I/O ----
run "$XBPF" verify --offline $EX/counter.xbpf
if [ "$RC" -eq 0 ] && grep -q '^verdict: accepted$' "$T/out" &&
   grep -q '^errno: 0$' "$T/out" && grep -q '^stats: processed [0-9]* insns' "$T/out"; then
	ok "verify accepted: exit 0, verdict, errno, stats"
else
	not_ok "verify accepted: exit 0, verdict, errno, stats" "exit $RC"
fi

printf '0xb7 0 0 0 1\n0x07 10 0 0 8\n0x95 0 0 0 0\n' >"$T/r10.xbpf"
run "$XBPF" verify --offline "$T/r10.xbpf"
if [ "$RC" -eq 1 ] && grep -q '^verdict: rejected$' "$T/out" &&
   grep -q '^errno: E[A-Z0-9]* ([0-9]*)$' "$T/out" && grep -q '^log:$' "$T/out"; then
	ok "verify rejected (write to r10): exit 1, errno name and number, log"
else
	not_ok "verify rejected (write to r10): exit 1, errno name and number, log" "exit $RC"
fi

printf '0x95 0 0 0 0\n0xb7 0 0 0 1\n0x95 0 0 0 0\n' >"$T/unreach.xbpf"
expect "verify rejected (unreachable insn): exit 1" 1 "" "$XBPF" verify --offline "$T/unreach.xbpf"
expect "verify missing file: exit 2" 2 "" "$XBPF" verify --offline "$T/nonexistent.xbpf"
expect "verify parse error: exit 2" 2 "" "$XBPF" verify --offline "$T/p.xbpf"
expect "verify without FILE: exit 2" 2 "" "$XBPF" verify --offline
expect "verify unknown option: exit 2" 2 "" "$XBPF" verify --offline --frobnicate $EX/hello.xbpf
expect "verify --log-level 9: exit 2" 2 "" "$XBPF" verify --offline --log-level 9 $EX/hello.xbpf
expect "verify --log-level 0: no log" 0 "$(printf 'verdict: accepted\nerrno: 0\nlog: (empty)\nstats: (none)')" \
	"$XBPF" verify --offline --log-level 0 $EX/hello.xbpf

run "$XBPF" verify --offline --json "$T/r10.xbpf"
json_check "verify --json rejected" "j['verdict'] == 'rejected' and not j['accepted'] and \
j['errno'] > 0 and j['errno_name'].startswith('E') and len(j['log']) > 0"
[ "$RC" -eq 1 ] || not_ok "verify --json rejected: exit 1" "exit $RC"

# a file name that needs escaping: quote, backslash, tab, newline, UTF-8
odd="$T/we\"ird\\	na
me-é.xbpf"
cp $EX/hello.xbpf "$odd"
run "$XBPF" verify --offline --json "$odd"
json_check "verify --json accepted, escaped file name" "j['verdict'] == 'accepted' and \
j['errno'] == 0 and j['errno_name'] is None and j['file'].endswith('we\"ird\\\\\\tna\\nme-\\u00e9.xbpf') and \
j['stats'].startswith('processed ')"

run "$XBPF" verify --offline --unpriv --json $EX/hello.xbpf
if [ "$RC" -le 1 ]; then
	json_check "verify --unpriv --json (exit 0 or 1)" "j['unpriv'] is True"
else
	not_ok "verify --unpriv --json (exit 0 or 1)" "exit $RC"
fi

# ---- feature, help ----
run "$XBPF" feature --offline
if [ "$RC" -eq 0 ] && grep -q '^version: ' "$T/out" && grep -q '^prog_types:.* syscall' "$T/out"; then
	ok "feature --offline"
else
	not_ok "feature --offline" "exit $RC"
fi
run "$XBPF" feature --offline --json
json_check "feature --offline --json" "j['engine'] == 'offline' and j['abi_version'] == 1 and \
'interp' in j['features'] and 'prog_load' in j['cmds'] and 'array' in j['map_types']"
expect "xbpf --help: exit 0" 0 "" "$XBPF" --help
expect "xbpf unknown command: exit 2" 2 "" "$XBPF" frobnicate
expect "xbpf without arguments: exit 2" 2 "" "$XBPF"
XBPF_DEVICE=$T/no-such-device run "$XBPF" feature
if [ "$RC" -eq 2 ] && grep -q 'ENOENT' "$T/err"; then
	ok "missing device: exit 2, errno named"
else
	not_ok "missing device: exit 2, errno named" "exit $RC"
fi

# ---- map consume / map list: usage errors (the VM test streams a real ring) ----
# message_case NAME WANT_RC WANT_STDERR_TEXT CMD...: exit status, empty stdout,
# and the reason on stderr
message_case() {
	name=$1 want_rc=$2 want_err=$3
	shift 3
	run "$@"
	if [ "$RC" -ne "$want_rc" ]; then
		not_ok "$name" "exit $RC, expected $want_rc"
	elif [ -s "$T/out" ]; then
		not_ok "$name" "unexpected stdout"
	elif ! grep -qF -- "$want_err" "$T/err"; then
		not_ok "$name" "stderr lacks '$want_err'"
	else
		ok "$name"
	fi
}
message_case "map without subcommand: exit 2" 2 "needs a subcommand" "$XBPF" map
message_case "map frob: exit 2" 2 "needs a subcommand" "$XBPF" map frob
message_case "map consume without --id: exit 2" 2 "missing --id" "$XBPF" map consume
message_case "map consume --id 0: exit 2" 2 "--id '0'" "$XBPF" map consume --id 0
message_case "map consume --id not a number: exit 2" 2 "--id 'x1'" "$XBPF" map consume --id x1
message_case "map consume --id without value: exit 2" 2 "needs a value" "$XBPF" map consume --id
message_case "map consume --count 0: exit 2" 2 "--count '0'" \
	"$XBPF" map consume --id 1 --count 0
message_case "map consume --timeout-ms -5: exit 2" 2 "--timeout-ms '-5'" \
	"$XBPF" map consume --id 1 --timeout-ms -5
message_case "map consume --timeout-ms too large: exit 2" 2 "--timeout-ms '2147483648'" \
	"$XBPF" map consume --id 1 --timeout-ms=2147483648
message_case "map consume --offline: exit 2, says why" 2 "--offline has no maps" \
	"$XBPF" map consume --id 1 --offline
message_case "map consume, unknown option: exit 2" 2 "unknown option '--repeat'" \
	"$XBPF" map consume --id 1 --repeat 3
message_case "map consume, stray argument: exit 2" 2 "unexpected argument 'file'" \
	"$XBPF" map consume --id 1 file
message_case "map list --offline: exit 2, says why" 2 "--offline has no maps" \
	"$XBPF" map list --offline
message_case "map list --id: exit 2" 2 "unknown option '--id'" "$XBPF" map list --id 1
# prog dump: usage errors (the VM's test_dump runs it against the module)
message_case "prog dump without kind: exit 2" 2 "prog dump xlated|jited id N" "$XBPF" prog dump
message_case "prog dump frob id 1: exit 2" 2 "prog dump xlated|jited id N" \
	"$XBPF" prog dump frob id 1
message_case "prog dump xlated 1 (no 'id'): exit 2" 2 "prog dump xlated|jited id N" \
	"$XBPF" prog dump xlated 1 2
message_case "prog dump xlated id 0: exit 2" 2 "id '0'" "$XBPF" prog dump xlated id 0
message_case "prog dump xlated --raw: exit 2" 2 "--raw is for jited" \
	"$XBPF" prog dump xlated id 1 --raw
message_case "prog dump --offline: exit 2, says why" 2 "--offline has no programs" \
	"$XBPF" prog dump jited id 1 --offline
message_case "prog dump, unknown option: exit 2" 2 "unknown option '--data'" \
	"$XBPF" prog dump jited id 1 --data 00
XBPF_DEVICE=$T/no-such-device run "$XBPF" prog dump xlated id 1
if [ "$RC" -eq 2 ] && grep -q 'ENOENT' "$T/err" && ! grep -q 'use --offline' "$T/err"; then
	ok "prog dump, missing device: exit 2, no --offline hint"
else
	not_ok "prog dump, missing device: exit 2, no --offline hint" "exit $RC"
fi
XBPF_DEVICE=$T/no-such-device run "$XBPF" map consume --id 1 --count 1
if [ "$RC" -eq 2 ] && grep -q 'ENOENT' "$T/err" && ! grep -q 'use --offline' "$T/err"; then
	ok "map consume, missing device: exit 2, no --offline hint"
else
	not_ok "map consume, missing device: exit 2, no --offline hint" "exit $RC"
fi
run "$XBPF" --help
if grep -q 'map consume --id N' "$T/out" && grep -q 'map list' "$T/out"; then
	ok "--help documents map consume and map list"
else
	not_ok "--help documents map consume and map list"
fi
if grep -q 'prog dump xlated id N' "$T/out" && grep -q 'prog dump jited id N' "$T/out"; then
	ok "--help documents prog dump"
else
	not_ok "--help documents prog dump"
fi

# ---- xbpf pin list / unpin (tools/loader/pin_cmds.c; the module only) ----
expect "pin without list: exit 2" 2 "" "$XBPF" pin
expect "pin bogus: exit 2" 2 "" "$XBPF" pin bogus
expect "pin list with a stray argument: exit 2" 2 "" "$XBPF" pin list extra
expect "unpin without a path: exit 2" 2 "" "$XBPF" unpin
expect "unpin with two paths: exit 2" 2 "" "$XBPF" unpin /a /b
XBPF_DEVICE=$T/no-such-device run "$XBPF" pin list
if [ "$RC" -eq 2 ] && grep -q 'ENOENT' "$T/err"; then
	ok "pin list, missing device: exit 2, ENOENT"
else
	not_ok "pin list, missing device: exit 2, ENOENT" "exit $RC"
fi
run "$XBPF" --help
if grep -q 'xbpf pin list' "$T/out" && grep -q 'xbpf unpin PATH | --all' "$T/out"; then
	ok "--help documents pin list and unpin"
else
	not_ok "--help documents pin list and unpin"
fi

# ---- xbpf-conformance ----
# add.data: mov32 r0,0; mov32 r1,2; add32 r0,1; add32 r0,r1; add32 r0,r0; add32 r0,-3; exit
ADD="b4 00 00 00 00 00 00 00 b4 01 00 00 02 00 00 00 04 00 00 00 01 00 00 00
0c 10 00 00 00 00 00 00 0c 00 00 00 00 00 00 00 04 00 00 00 fd ff ff ff
95 00 00 00 00 00 00 00"
run sh -c 'printf "%s\n" "$1" | "$2" "" --offline' sh "$ADD" "$CONF"
[ "$RC" -eq 0 ] && [ "$(cat "$T/out")" = 3 ] && ok "conformance plugin: add -> 3" ||
	not_ok "conformance plugin: add -> 3" "exit $RC"
# ldxdw r0, [r1+8] on the memory (aligned: r1 is the context, and a
# misaligned context load is refused as Linux refuses it); options after
# the memory
LDX="79 10 08 00 00 00 00 00 95 00 00 00 00 00 00 00"
run sh -c 'printf "%s\n" "$1" | "$2" "aa  bb  cc  dd  ee  ff  00  01  11  22  33  44  55  66  77  88  " "--offline --interpret"' \
	sh "$LDX" "$CONF"
[ "$RC" -eq 0 ] && [ "$(cat "$T/out")" = 8877665544332211 ] &&
	ok "conformance plugin: memory argument, 64-bit r0" ||
	not_ok "conformance plugin: memory argument, 64-bit r0" "exit $RC"
run sh -c 'printf "%s\n" "$1" | "$2" "aabbccddeeff0001112233445566778899" --offline --32bit-retval' sh "$LDX" "$CONF"
[ "$RC" -eq 0 ] && [ "$(cat "$T/out")" = 8877665544332211 ] &&
	ok "conformance plugin: upper half through the wrapper (module path)" ||
	not_ok "conformance plugin: upper half through the wrapper (module path)" "exit $RC"
R2="bf 20 00 00 00 00 00 00 95 00 00 00 00 00 00 00"
run sh -c 'printf "%s\n" "$1" | "$2" "0102030405" --offline' sh "$R2" "$CONF"
[ "$RC" -eq 0 ] && [ "$(cat "$T/out")" = 5 ] && ok "conformance plugin: r2 = memory length" ||
	not_ok "conformance plugin: r2 = memory length" "exit $RC"
run sh -c 'printf "%s\n" "$1" | "$2" "" --offline --jit' sh "$ADD" "$CONF"
[ "$RC" -ne 0 ] && grep -q 'need the module' "$T/err" &&
	ok "conformance plugin: --offline --jit refused (no JIT offline)" ||
	not_ok "conformance plugin: --offline --jit refused (no JIT offline)" "exit $RC"
run sh -c 'printf "%s\n" "$1" | "$2" "" --offline --both' sh "$ADD" "$CONF"
[ "$RC" -ne 0 ] && grep -q 'need the module' "$T/err" &&
	ok "conformance plugin: --offline --both refused" ||
	not_ok "conformance plugin: --offline --both refused" "exit $RC"
run sh -c 'printf "b4 00 00\n" | "$1" "" --offline' sh "$CONF"
[ "$RC" -ne 0 ] && [ -s "$T/err" ] && ok "conformance plugin: partial instruction refused" ||
	not_ok "conformance plugin: partial instruction refused" "exit $RC"
run sh -c 'printf "zz\n" | "$1" "" --offline' sh "$CONF"
[ "$RC" -ne 0 ] && ok "conformance plugin: non-hex program refused" ||
	not_ok "conformance plugin: non-hex program refused" "exit $RC"
run sh -c 'printf "" | "$1" "" --offline' sh "$CONF"
[ "$RC" -ne 0 ] && ok "conformance plugin: empty program refused" ||
	not_ok "conformance plugin: empty program refused" "exit $RC"
run sh -c 'printf "07 00 01 00 01 00 00 00 95 00 00 00 00 00 00 00\n" | "$1" "" --offline' sh "$CONF"
[ "$RC" -eq 1 ] && grep -q 'EINVAL' "$T/err" && ok "conformance plugin: reserved field set -> refused" ||
	not_ok "conformance plugin: reserved field set -> refused" "exit $RC"

# ---- libbpf commands: ELF objects and ids are the module's; host checks
# cover what needs no module (usage errors and --offline refusals) ----
ELF=$B/selftests/bpf/test_globals.bpf.o
# make check runs this before `make selftests`: build the object here then
if [ ! -r "$ELF" ] && command -v clang >/dev/null 2>&1; then
	ELF=$T/test_globals.bpf.o
	clang -O2 -g -target bpf -I/usr/include/$(gcc -print-multiarch 2>/dev/null) \
		-c selftests/bpf/test_globals.bpf.c -o "$ELF" 2>"$T/clang.err" || ELF=
fi
if [ -n "$ELF" ] && [ -r "$ELF" ]; then
	run "$XBPF" verify --offline "$ELF"
	[ "$RC" -eq 2 ] && grep -q 'not supported' "$T/err" &&
		ok "verify --offline of an ELF object: not supported (exit 2)" ||
		not_ok "verify --offline of an ELF object: not supported (exit 2)" "exit $RC"
	run "$XBPF" prog load "$ELF" --offline
	[ "$RC" -eq 2 ] && grep -q 'not supported for ELF' "$T/err" &&
		ok "prog load --offline: not supported (exit 2)" ||
		not_ok "prog load --offline: not supported (exit 2)" "exit $RC"
else
	skip "verify --offline of an ELF object" "$ELF not built (make selftests)"
	skip "prog load --offline" "$ELF not built (make selftests)"
fi
expect "prog load without a file is a usage error" 2 "" "$XBPF" prog load
expect "prog load of a raw program (not ELF) is a usage error" 2 "" \
	"$XBPF" prog load $EX/counter.xbpf
expect "map lookup without an id is a usage error" 2 "" "$XBPF" map lookup key 00
expect "map create without sizes is a usage error" 2 "" "$XBPF" map create type hash

# ---- the whole conformance suite, offline ----
if [ -r "$SUITE/conformance.flat" ]; then
	run tools/loader/conformance-run.sh --offline --plugin "$CONF" "$SUITE"
	summary=$(tail -n 1 "$T/out")
	if [ "$RC" -eq 0 ] && ! grep -q '^not ok' "$T/out"; then
		ok "conformance suite offline ($summary)"
	else
		grep '^not ok' "$T/out" >"$T/err"
		not_ok "conformance suite offline ($summary)" "exit $RC"
	fi
else
	skip "conformance suite offline" "$SUITE/conformance.flat not found"
fi

echo "1..$N"
echo "# $((N - FAILED)) passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
