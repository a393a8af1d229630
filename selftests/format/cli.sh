#!/bin/bash
# ttdctl info and dump on a generated recording and on damaged ones (TAP).
. "$(dirname "$0")/../lib/tap.sh"
gen=$TTD_ROOT/$BUILD/selftests/format/format_test
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
plan 14

"$gen" gen-sample "$work/s.ttd" || { not_ok "generate sample"; exit 1; }
out=$("$TTDCTL" info "$work/s.ttd")
check "info: exit 0 on an intact file" test $? = 0
check "info: streams, totals and types shown" \
	grep -q 'syscall_mem' <<<"$out"
check "info: command line shown" grep -q 'arg with space' <<<"$out"

"$TTDCTL" info --json "$work/s.ttd" >"$work/j" 2>&1
check "info --json: valid JSON with the right totals" python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))
assert j["events"] == 12000 and len(j["streams"]) == 4, j["events"]
assert j["complete"] and j["compression_ratio"] > 1
assert sum(j["events_by_type"].values()) == 12000
assert j["argv"][2] == "arg with space"
' "$work/j"

n=$("$TTDCTL" dump "$work/s.ttd" | wc -l)
check "dump: one line per event ($n)" test "$n" = 12000
out=$("$TTDCTL" dump --stream 3 --from 5000 --to 6000 "$work/s.ttd")
check "dump --stream --from --to: only that window" awk '
	{ split($1, s, "="); split($2, i, "=");
	  if (s[2] != 3 || i[2] < 5000 || i[2] > 6000) bad = 1; n++ }
	END { exit bad || n < 10 }' <<<"$out"
check "dump: greppable by type" \
	test "$("$TTDCTL" dump "$work/s.ttd" | grep -c ' rdtsc len=8 ')" -gt 100

head -c 100000 "$work/s.ttd" >"$work/torn.ttd"
"$TTDCTL" info "$work/torn.ttd" >"$work/o" 2>"$work/e"
rc=$?
check "info on a torn file: exit 1, loss reported" \
	test "$rc" = 1 -a -n "$(grep 'incomplete recording' "$work/e")"
check "dump on a torn file: events before the tear" \
	test "$("$TTDCTL" dump "$work/torn.ttd" 2>/dev/null | wc -l)" -gt 1000

printf 'hello, world\n' >"$work/text"
"$TTDCTL" dump "$work/text" 2>"$work/e"
rc=$?
check "not a recording: exit 1 and says so" \
	test "$rc" = 1 -a -n "$(grep 'not a ttd recording' "$work/e")"
"$TTDCTL" info /nonexistent.ttd 2>"$work/e"
check "missing file: exit 1" test $? = 1
"$TTDCTL" dump --from xyz "$work/s.ttd" 2>/dev/null
check "bad option value: exit 2" test $? = 2
"$TTDCTL" dump 2>/dev/null
check "no file: exit 2" test $? = 2

# A flipped byte in the middle of a chunk payload.
cp "$work/s.ttd" "$work/flip.ttd"
printf '\xff' | dd of="$work/flip.ttd" bs=1 seek=200000 conv=notrunc \
	status=none
"$TTDCTL" info "$work/flip.ttd" >/dev/null 2>"$work/e"
check "corrupt chunk: exit 1 with the offset named" \
	test $? = 1 -a -n "$(grep -E 'offset [0-9]+' "$work/e")"
