#!/bin/bash
# Bounded libFuzzer run of the .ttd reader over the seed corpus (TAP).
#   FUZZ_TIME=seconds (default 30)
. "$(dirname "$0")/../lib/tap.sh"
fuzzer=$TTD_ROOT/$BUILD/fuzz/fuzz_reader
secs=${FUZZ_TIME:-30}
plan 1
if [ ! -x "$fuzzer" ]; then
	skip "reader fuzzer not built (needs clang with libFuzzer)"
	exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/seed" "$work/new"
cp "$TTD_ROOT"/selftests/format/corpus/* "$work/seed/"
if "$fuzzer" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
	-max_len=65536 -print_final_stats=1 -artifact_prefix="$work/" \
	"$work/new" "$work/seed" >"$work/log" 2>&1; then
	grep -E 'stat::number_of_executed_units|cov:' "$work/log" |
		tail -2 | sed 's/^/# /'
	ok "reader survives ${secs}s of fuzzing"
else
	tail -40 "$work/log" | sed 's/^/# /'
	not_ok "reader fuzzing found a crash, leak or hang"
fi
