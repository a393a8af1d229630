# Bounded libFuzzer runs for TAP test scripts (source after tap.sh).
#
# fuzz_run NAME FUZZER CORPUS MAX_LEN SECS WHAT
#   runs $BUILD/fuzz/FUZZER for SECS seconds over the seed files in
#   selftests/CORPUS (copied: the corpus in the tree stays as it is),
#   inputs up to MAX_LEN bytes; one TAP result about WHAT.
fuzz_run()
{
	local name=$1 fuzzer=$TTD_ROOT/$BUILD/fuzz/$2 corpus=$3 max_len=$4
	local secs=$5 what=$6 work

	plan 1
	if [ ! -x "$fuzzer" ]; then
		skip "$name fuzzer not built (needs clang with libFuzzer)"
		return 0
	fi
	work=$(mktemp -d)
	trap 'rm -rf "$work"' EXIT
	mkdir "$work/seed" "$work/new"
	cp "$TTD_ROOT"/selftests/"$corpus"/* "$work/seed/"
	if "$fuzzer" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-max_len="$max_len" -print_final_stats=1 \
		-artifact_prefix="$work/" "$work/new" "$work/seed" \
		>"$work/log" 2>&1; then
		grep -E 'stat::number_of_executed_units|cov:' "$work/log" |
			tail -2 | sed 's/^/# /'
		ok "$what survives ${secs}s of fuzzing"
	else
		tail -40 "$work/log" | sed 's/^/# /'
		not_ok "$what fuzzing found a crash, leak or hang"
	fi
}
