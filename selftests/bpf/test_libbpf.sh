#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The libbpf loader against the module (run in the VM by the rig): loads
# clang-built objects with `xbpf prog load` (libbpf's bpf_object__load,
# its bpf(2) calls routed to /dev/xbpf), test-runs them and checks the
# result and the maps; then the by-id commands (prog show, map
# show|dump|lookup|update|delete|create), text and --json.  TAP output.
#
# XBPF: the CLI (default /tools/xbpf, else build/xbpf); OBJDIR: the objects.

XBPF=${XBPF:-/tools/xbpf}
[ -x "$XBPF" ] || XBPF=build/xbpf
OBJDIR=${OBJDIR:-/selftests/bpf}
[ -d "$OBJDIR" ] || OBJDIR=build/selftests/bpf
OBJ=$OBJDIR/test_globals.bpf.o
T=${TMPDIR:-/tmp}/test_libbpf.$$
mkdir -p "$T"

n=0
fails=0
ok() { # ok COND-RC description
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n $2"
	else
		echo "not ok $n $2"
		fails=$((fails + 1))
	fi
}
has() { grep -q -- "$2" "$1"; }

echo "TAP version 13"

# -- load, run once, maps after the run (one process: nothing is pinned)
XBPF_REDIRECT_TRACE=1 "$XBPF" prog load "$OBJ" --run >"$T/run.out" 2>"$T/run.err"
ok $? "prog load --run exits 0"
sed 's/^/# stderr: /' "$T/run.err"
! has "$T/run.err" "Retrying without BTF"; ok $? "every map is created with its BTF (no retry)"
has "$T/run.out" "^prog [0-9][0-9]* test_globals syscall$"; ok $? "the program is listed with its id"
has "$T/run.out" "^retval 49$"; ok $? "r0 is base (.rodata 42) + the subprogram's 7"
has "$T/run.out" "^map [0-9][0-9]* counts array$"; ok $? "array map created"
has "$T/run.out" "^map [0-9][0-9]* seen hash$"; ok $? "hash map created"
has "$T/run.out" "key 01000000 value 0500000000000000"; ok $? "counts[1] += 5 (bpf-to-bpf call)"
has "$T/run.out" "key 07000000 value 8877665544332211"; ok $? "seen{7} updated"
grep -A1 '\.bss array$' "$T/run.out" | has - "key 00000000 value 01000000"
ok $? ".bss: hits = 1"
grep -A1 '\.data array$' "$T/run.out" | has - "key 00000000 value 9500000000000000"
ok $? ".data: total = 100 + 49"
grep -A1 '\.rodata array$' "$T/run.out" | has - "key 00000000 value 2a000000"
ok $? ".rodata: base = 42"
[ "$(grep -c '^map ' "$T/run.out")" -eq 5 ]; ok $? "5 maps: counts, seen, .rodata, .data, .bss"

"$XBPF" prog load "$OBJ" --run --json >"$T/run.json" 2>/dev/null
ok $? "prog load --run --json exits 0"
has "$T/run.json" '"retval": *49'; ok $? "--json: retval 49"
has "$T/run.json" '"name": *"test_globals"'; ok $? "--json: program name"
has "$T/run.json" '"key": *"07000000", *"value": *"8877665544332211"'; ok $? "--json: seen{7}"

"$XBPF" prog loadall "$OBJ" >"$T/all.out" 2>&1
ok $? "prog loadall exits 0"
[ "$(grep -c '^prog ' "$T/all.out")" -eq 2 ]; ok $? "loadall: both programs loaded"

"$XBPF" prog load "$OBJ" --type socket_filter --run --data 0000000000000000000000000000 >"$T/sf.out" 2>&1
ok $? "--type socket_filter: loads and runs on a 14-byte packet"
has "$T/sf.out" "^prog [0-9]* test_globals socket_filter$"; ok $? "--type: the type is overridden"
has "$T/sf.out" "^retval 49$"; ok $? "--type socket_filter: r0 49"

# -- CO-RE against /sys/kernel/btf/vmlinux; the bpf(2) trace of the load
# (libbpf's feature probes and what the module answered) as TAP comments
CORE=$OBJDIR/test_core.bpf.o
XBPF_REDIRECT_TRACE=1 "$XBPF" prog load "$CORE" --run \
	--data 0000000000000000000000000000 >"$T/core.out" 2>"$T/core.err"
ok $? "CO-RE object loads and runs"
sed 's/^/# /' "$T/core.err"
has "$T/core.out" "^prog [0-9]* test_core socket_filter$"; ok $? "CO-RE: a socket filter"
has "$T/core.out" "^retval 41$"; ok $? "CO-RE: field exists, field size and a missing field resolved (41)"
has "$T/core.err" "xbpf-redirect: bpf(18) = [0-9]"; ok $? "the object's BTF is loaded (BTF_LOAD succeeds)"
! has "$T/core.err" "Error loading .BTF"; ok $? "libbpf keeps the object's BTF"

# -- objects kept alive by --hold, inspected from other processes
"$XBPF" prog load "$OBJ" --run --hold >"$T/hold.out" 2>"$T/hold.err" &
hold=$!
i=0
while ! has "$T/hold.out" "^holding$" && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
has "$T/hold.out" "^holding$"; ok $? "prog load --hold keeps the objects"
pid=$(sed -n 's/^prog \([0-9]*\) test_globals .*/\1/p' "$T/hold.out")
counts=$(sed -n 's/^map \([0-9]*\) counts .*/\1/p' "$T/hold.out")
seen=$(sed -n 's/^map \([0-9]*\) seen .*/\1/p' "$T/hold.out")

"$XBPF" prog show id "$pid" >"$T/show.out" 2>&1
ok $? "prog show id N"
has "$T/show.out" "^$pid: syscall  name test_globals  tag [0-9a-f]\{16\}  gpl$"; ok $? "prog show: type, name, tag, gpl"
has "$T/show.out" "map_ids .*$counts"; ok $? "prog show: map ids include counts"
"$XBPF" prog show --json >"$T/show.json" 2>&1
ok $? "prog show --json"
has "$T/show.json" "\"id\": *$pid, *\"type\": *\"syscall\", *\"name\": *\"test_globals\""; ok $? "prog show --json lists the program"

"$XBPF" map show id "$counts" >"$T/ms.out" 2>&1
ok $? "map show id N"
has "$T/ms.out" "^$counts: array  name counts"; ok $? "map show: type and name"
has "$T/ms.out" "key 4B  value 8B  max_entries 4  btf_id [1-9]"; ok $? "map show: sizes and the BTF id"
"$XBPF" map show --json >"$T/ms.json" 2>&1
has "$T/ms.json" "\"id\": *$seen, *\"type\": *\"hash\", *\"name\": *\"seen\""; ok $? "map show --json"

"$XBPF" map dump id "$counts" >"$T/dump.out" 2>&1
ok $? "map dump id N"
has "$T/dump.out" "^Found 4 elements$"; ok $? "map dump: an array has max_entries elements"
has "$T/dump.out" "^key 01000000 value 0500000000000000$"; ok $? "map dump: counts[1] = 5"
"$XBPF" map update id "$counts" key 02000000 value 0900000000000000 >/dev/null 2>&1
ok $? "map update"
"$XBPF" map lookup id "$counts" key 02000000 >"$T/lk.out" 2>&1
has "$T/lk.out" "^key 02000000 value 0900000000000000$"; ok $? "map lookup sees the update"
"$XBPF" map lookup id "$counts" key 02000000 --json >"$T/lk.json" 2>&1
has "$T/lk.json" '"key": *"02000000", *"value": *"0900000000000000"'; ok $? "map lookup --json"
"$XBPF" map update id "$seen" key 08000000 value 0100000000000000 noexist >/dev/null 2>&1
ok $? "map update noexist of a new key"
"$XBPF" map update id "$seen" key 08000000 value 0100000000000000 noexist >/dev/null 2>&1
[ $? -eq 1 ]; ok $? "map update noexist of an existing key: refused (exit 1)"
"$XBPF" map dump id "$seen" --json >"$T/seen.json" 2>&1
has "$T/seen.json" '"key": *"08000000"'; ok $? "map dump --json"
"$XBPF" map delete id "$seen" key 07000000 >/dev/null 2>&1
ok $? "map delete"
"$XBPF" map lookup id "$seen" key 07000000 >/dev/null 2>&1
[ $? -eq 1 ]; ok $? "map lookup of a deleted key: refused (exit 1)"
"$XBPF" map lookup id "$seen" key 0700 >/dev/null 2>&1
[ $? -eq 2 ]; ok $? "map lookup with a short key: usage error (exit 2)"

kill "$hold"
wait "$hold"
ok $? "--hold ends cleanly on SIGTERM"
"$XBPF" map show id "$counts" >/dev/null 2>&1
[ $? -eq 1 ]; ok $? "the objects die with the holder"

# -- map create
"$XBPF" map create type hash key 4 value 8 entries 4 name mc --json >"$T/mc.json" 2>&1
ok $? "map create"
has "$T/mc.json" '"type": *"hash", *"name": *"mc"'; ok $? "map create --json: type and name"

# -- verify an ELF object through libbpf
"$XBPF" verify "$OBJ" >"$T/v.out" 2>&1
ok $? "verify OBJ: accepted"
has "$T/v.out" "^verdict: accepted$"; ok $? "verify prints the verdict"
has "$T/v.out" "processed [0-9]* insns"; ok $? "verify prints the verifier log"
"$XBPF" verify --offline "$OBJ" >/dev/null 2>&1
[ $? -eq 2 ]; ok $? "verify --offline OBJ: not supported for ELF (exit 2)"

rm -rf "$T"
echo "1..$n"
[ $fails -eq 0 ]
