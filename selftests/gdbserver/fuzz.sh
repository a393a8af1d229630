#!/bin/bash
# Bounded libFuzzer run of the gdb packet parser and dispatcher (TAP).
#   FUZZ_TIME=seconds (default 20)
. "$(dirname "$0")/../lib/tap.sh"
fuzzer=$TTD_ROOT/$BUILD/fuzz/fuzz_gdbserver
secs=${FUZZ_TIME:-20}
plan 1
if [ ! -x "$fuzzer" ]; then
	skip "gdbserver fuzzer not built (needs clang with libFuzzer)"
	exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/seed" "$work/new"
cp "$TTD_ROOT"/selftests/gdbserver/corpus/* "$work/seed/"
if "$fuzzer" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
	-max_len=16384 -print_final_stats=1 -artifact_prefix="$work/" \
	"$work/new" "$work/seed" >"$work/log" 2>&1; then
	grep -E 'stat::number_of_executed_units|cov:' "$work/log" |
		tail -2 | sed 's/^/# /'
	ok "gdb packet handling survives ${secs}s of fuzzing"
else
	tail -40 "$work/log" | sed 's/^/# /'
	not_ok "gdb packet fuzzing found a crash, leak or hang"
fi
