#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Debian's bpftool, unmodified, against xbpf through libxbpf-preload.so
# (tools/preload/): prog load with a pin path, prog show, prog run, map
# show / update / dump / pin, and the kernel's own BPF left untouched.
# Runs in the test VM (busybox sh); TAP on stdout.

BPFTOOL=${BPFTOOL:-/usr/sbin/bpftool}
PRELOAD=${PRELOAD:-/usr/lib/xbpf/libxbpf-preload.so}
OBJ=${OBJ:-/selftests/bpf/preload_sock.bpf.o}
XBPF=${XBPF:-/tools/xbpf}
PIN=/sys/fs/bpf/xbpf-preload-test
MPIN=/sys/fs/bpf/xbpf-preload-test-map
T=${TMPDIR:-/tmp}/test_bpftool.$$

N=0
FAILED=0
ok() { N=$((N + 1)); echo "ok $N $1"; }
nok() { N=$((N + 1)); FAILED=1; echo "not ok $N $1"; }
check() { # check DESCRIPTION COMMAND...: ok when the command succeeds
	d=$1
	shift
	if "$@"; then ok "$d"; else nok "$d"; fi
}
show() { sed 's/^/# /' "$1"; }
xb() { LD_PRELOAD=$PRELOAD "$BPFTOOL" "$@"; }

echo "TAP version 13"
for f in "$BPFTOOL" "$PRELOAD" "$OBJ" "$XBPF"; do
	if [ ! -e "$f" ]; then
		echo "1..1"
		echo "not ok 1 $f is missing from the VM image"
		exit 1
	fi
done
mkdir -p "$T"
echo "1..23"

# the kernel's own programs and maps before (bpf(2) without the preload)
"$BPFTOOL" prog show >"$T/kprog0" 2>&1
"$BPFTOOL" map show >"$T/kmap0" 2>&1

xb prog load "$OBJ" "$PIN" >"$T/load" 2>&1
rc=$?
show "$T/load"
check "bpftool prog load OBJ $PIN (rc $rc)" [ $rc = 0 ]

# the preload answered statfs with BPF_FS_MAGIC: bpftool mounted nothing
check "no bpffs was mounted" sh -c "! grep -q ' bpf ' /proc/mounts"

"$XBPF" pin list >"$T/pins" 2>&1
show "$T/pins"
ID=$(sed -n "s|^$PIN  prog id \([0-9]*\) .*|\1|p" "$T/pins")
check "xbpf pin list shows $PIN as a program (id ${ID:-none})" [ -n "$ID" ]

xb prog show pinned "$PIN" >"$T/show" 2>&1
show "$T/show"
check "bpftool prog show pinned: xbpf's id $ID, socket_filter, preload_prog" \
	grep -q "^$ID: socket_filter  name preload_prog" "$T/show"
MID=$(sed -n 's/.*map_ids \([0-9]*\).*/\1/p' "$T/show")
check "bpftool prog show pinned: the map's id (${MID:-none})" [ -n "$MID" ]

xb prog show >"$T/showall" 2>&1
check "bpftool prog show lists id $ID" grep -q "^$ID: socket_filter  name preload_prog" "$T/showall"

xb map show >"$T/mshow" 2>&1
show "$T/mshow"
check "bpftool map show: id $MID array preload_map" \
	grep -q "^$MID: array  name preload_map  flags 0x0" "$T/mshow"

xb map update id "$MID" key 0 0 0 0 value 9 0 0 0 >"$T/upd" 2>&1
rc=$?
show "$T/upd"
check "bpftool map update id $MID key 0 value 9 (rc $rc)" [ $rc = 0 ]

dd if=/dev/zero of="$T/pkt" bs=64 count=1 2>/dev/null
xb prog run pinned "$PIN" data_in "$T/pkt" repeat 3 >"$T/run" 2>&1
rc=$?
show "$T/run"
check "bpftool prog run pinned (rc $rc)" [ $rc = 0 ]
check "bpftool prog run: the retval is map[0] = 9" grep -q "Return value: 9," "$T/run"

xb map dump id "$MID" >"$T/dump" 2>&1
show "$T/dump"
# with BTF bpftool prints "key": 1, "value": 3; without, hex bytes
tr -d ' \n\t' <"$T/dump" >"$T/dump1"
check "bpftool map dump: key 0 = 9 (the update)" \
	grep -q -e '"key":0,"value":9' -e 'key:00000000value:09000000' "$T/dump1"
check "bpftool map dump: key 1 = 3 (three runs counted)" \
	grep -q -e '"key":1,"value":3' -e 'key:01000000value:03000000' "$T/dump1"

xb map pin id "$MID" "$MPIN" >"$T/mpin" 2>&1 &&
	xb map lookup pinned "$MPIN" key 1 0 0 0 >"$T/mlook" 2>&1
rc=$?
show "$T/mpin"
show "$T/mlook"
tr -d ' \n\t' <"$T/mlook" >"$T/mlook1"
check "bpftool map pin, then map lookup pinned: key 1 = 3" \
	grep -q -e '"value":3' -e 'value:03000000' "$T/mlook1"

# loadall pins each program under a directory (libbpf mkdir()s it: the
# preload answers for paths under the pin root)
xb prog loadall "$OBJ" "$PIN-dir" >"$T/loadall" 2>&1
rc=$?
show "$T/loadall"
"$XBPF" pin list --json >"$T/pins.json" 2>&1
show "$T/pins.json"
check "bpftool prog loadall OBJ DIR pins DIR/preload_prog (rc $rc)" \
	grep -q "\"path\": *\"$PIN-dir/preload_prog\", *\"type\": *\"prog\"" "$T/pins.json"

# pinned objects hold the module, as open fds do
if rmmod xbpf 2>/dev/null; then
	nok "rmmod refused while pins exist"
	insmod /xbpf.ko
else
	ok "rmmod refused while pins exist"
fi

# the kernel's bpf(2) saw none of it
"$BPFTOOL" prog show >"$T/kprog1" 2>&1
"$BPFTOOL" map show >"$T/kmap1" 2>&1
check "the kernel's bpftool prog show is unchanged" cmp -s "$T/kprog0" "$T/kprog1"
check "the kernel's bpftool map show is unchanged" cmp -s "$T/kmap0" "$T/kmap1"
check "no preload_prog in the kernel" sh -c "! grep -q preload_ '$T/kprog1' '$T/kmap1'"

# unpinning (bpftool has none): the pins go, the program with them
"$XBPF" unpin "$PIN" && "$XBPF" unpin "$MPIN" && "$XBPF" unpin "$PIN-dir/preload_prog"
check "xbpf unpin the three pins" [ $? = 0 ]
"$XBPF" unpin "$PIN" 2>"$T/unpin2"
rc=$?
show "$T/unpin2"
check "xbpf unpin of a missing pin: exit 1, ENOENT" \
	sh -c "[ $rc = 1 ] && grep -q ENOENT '$T/unpin2'"
"$XBPF" unpin 2>/dev/null
check "xbpf unpin without a path: exit 2" [ $? = 2 ]
"$XBPF" pin list >"$T/pins2" 2>&1
check "xbpf pin list is empty again" [ ! -s "$T/pins2" ]
xb prog show pinned "$PIN" >"$T/gone" 2>&1
rc=$?
show "$T/gone"
check "bpftool prog show pinned after unpin fails" [ $rc != 0 ]

rm -rf "$T"
exit $FAILED
