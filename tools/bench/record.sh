#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Record and replay benchmark: the engine benchmark's programs run
# natively, under `ttdctl record` and then `ttdctl replay --quiet` of that
# recording, in the same session, as ratios of wall time to native; the
# size of each recording per second of native CPU time; gdb's `record
# full` on a reduced input, and what can be said of rr on this machine.
# Prints a Markdown table and rewrites the record and replay section of
# Documentation/performance.md.
#
# Environment:
#   BUILD=build        build directory holding bin/ttdctl and bench/bin/*
#   BENCH_QUICK=1      small inputs and one run each: a smoke test; the
#                      table is printed but performance.md is left alone
#   BENCH_RUNS=N       timed runs per workload and tool (default 3)
#   BENCH_ONLY="xz cp" run only these workloads (implies no doc update)
#   BENCH_GDB=0        leave out gdb's `record full`
#   BENCH_WRITE=0|1    force not writing / writing performance.md
#
# Inputs are those of engine.sh (tools/bench/lib.sh), generated into
# $BUILD/bench/engine/ and kept between runs.
set -u
set -o pipefail

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

GDB_ON=${BENCH_GDB:-1}
[ "$GDB_ON" = 0 ] && GDB_ON=
TARGET_CPU=2 # record and replay, geometric mean over CPU_SET
TARGET_SYS=3 # the same over SYS_SET
TARGET_MBS=20 # MB of recording per second of native CPU time, CPU_SET

# gdb's `record full` executes some 10^5 times slower than native: it
# records sha256sum of a few kilobytes, not of the full input.
if [ -n "$QUICK" ]; then
	GDB_KB=1
else
	GDB_KB=4
fi
# gdb 13 cannot decode AVX or AVX-512 instructions under `record full`
# and stops there ("Process record does not support instruction 0x62"):
# glibc is told to pick its SSE2 string functions instead, for the native,
# ttd and gdb runs of the reduced input alike.
GDB_TUNABLES=glibc.cpu.hwcaps=-AVX_Fast_Unaligned_Load,-AVX,-AVX2,-AVX512F,-AVX512VL,-AVX512BW,-AVX512DQ,-AVX512CD,-ERMS,-FSRM,-BMI1,-BMI2,-LZCNT,-MOVBE
# rr's published recording slowdowns (Robert O'Callahan et al., "Engineering
# Record And Replay For Deployability", USENIX ATC 2017).
RR_PUBLISHED="cp 1.49×, octane 1.79×, htmltest 1.49×, sambatest 1.57×, make 7.85×"

# ---------------------------------------------------------------- runners

LIMIT=60 # seconds, set per run
TTDCTL_RUN=$TTDCTL # the copy actually run, see make_work
CMDLOG=/dev/null # where run() notes the commands, for repro lines
REC=/dev/null # the recording written by the record tool

# run TOOL PROG ARGS...: one process of the workload under TOOL.
run() {
	local tool=$1 pre=()
	shift
	case $tool in
	record) pre=("$TTDCTL_RUN" record -o "$REC" --) ;;
	esac
	printf '%q ' "${pre[@]/#"$TTDCTL_RUN"/$TTDCTL}" "$@" >>"$CMDLOG"
	echo >>"$CMDLOG"
	timeout -k 5 "$LIMIT" "${pre[@]}" "$@"
}

# The file holding what the workload wrote to its standard output.
stdout_of() {
	case $1 in
	gcc | cp) echo "$2/stdout" ;;
	*) echo "$2/out" ;;
	esac
}

# ---------------------------------------------------------------- timing

declare -A TIMES CPUS SIZES STATUS REF CHECK

# first_line FILE: the first non-empty line of FILE, fit for a table cell.
first_line() {
	grep -m1 . "$1" 2>/dev/null | cut -c1-160 | sed 's/|/\\|/g; s/`/'"'"'/g'
}

# fail W TOOL RC STDERR: the status of a failed run.
fail() {
	local w=$1 tool=$2 rc=$3 err=$4 l
	if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
		STATUS[$w,$tool]="TIMEOUT (>${LIMIT}s)"
		return
	fi
	l=$(first_line "$err")
	STATUS[$w,$tool]="FAILED (exit $rc${l:+: $l})"
}

# timed W TOOL: one measured run, native or record; records time or a
# failure.  A recording is left in $REC for replay.
timed() {
	local w=$1 tool=$2 out h
	out=$WORK/$w-$tool
	rm -rf "$out"
	mkdir -p "$out"
	CMDLOG=$out/cmd
	REC=$WORK/$w.ttd
	rm -f "$REC"
	measure "w_$w" "$tool" "$out" >"$out/stdout" 2>"$out/stderr"
	if [ "$T_RC" != 0 ]; then
		fail "$w" "$tool" "$T_RC" "$out/stderr"
	else
		h=$(hash_of "$w" "$out")
		if [ "$tool" = native ]; then
			if [ -n "${REF[$w]:-}" ] && [ "${REF[$w]}" != "$h" ]; then
				die "$w: native output differs between runs"
			fi
			REF[$w]=$h
		elif [ "$h" != "${REF[$w]}" ]; then
			STATUS[$w,$tool]="FAILED (output differs from native)"
		elif [ ! -s "$REC" ]; then
			STATUS[$w,$tool]="FAILED (no recording written)"
		fi
	fi
	if [ -n "${STATUS[$w,$tool]:-}" ]; then
		keep_failure "$w" "$tool" "$out"
		return
	fi
	TIMES[$w,$tool]+=" $T_WALL"
	CPUS[$w,$tool]+=" $T_CPU"
	[ "$tool" = record ] && SIZES[$w]+=" $(stat -c %s "$REC")"
}

# verify W: once per workload, untimed: `ttdctl replay` of the recording
# must show the standard output of the recorded run.
verify() {
	local w=$1 out=$WORK/$w-record dir=$WORK/$w-verify
	rm -rf "$dir"
	mkdir -p "$dir"
	CMDLOG=$dir/cmd
	echo "$TTDCTL replay RECORDING" >"$CMDLOG"
	timeout -k 5 "$LIMIT" "$TTDCTL_RUN" replay "$REC" >"$dir/stdout" 2>"$dir/stderr"
	T_RC=$?
	if [ "$T_RC" != 0 ]; then
		fail "$w" replay "$T_RC" "$dir/stderr"
	elif ! cmp -s "$dir/stdout" "$(stdout_of "$w" "$out")"; then
		STATUS[$w,replay]="FAILED (replayed output differs from the recorded run's)"
	else
		CHECK[$w]=same
		return 0
	fi
	keep_failure "$w" replay "$dir"
	return 1
}

# timed_replay W: one measured `ttdctl replay --quiet` of $REC.
timed_replay() {
	local w=$1 dir=$WORK/$w-replay
	rm -rf "$dir"
	mkdir -p "$dir"
	CMDLOG=$dir/cmd
	echo "$TTDCTL replay --quiet RECORDING" >"$CMDLOG"
	measure timeout -k 5 "$LIMIT" "$TTDCTL_RUN" replay --quiet "$REC" \
		>"$dir/stdout" 2>"$dir/stderr"
	if [ "$T_RC" != 0 ]; then
		fail "$w" replay "$T_RC" "$dir/stderr"
		keep_failure "$w" replay "$dir"
		return
	fi
	TIMES[$w,replay]+=" $T_WALL"
	CPUS[$w,replay]+=" $T_CPU"
}

keep_failure() {
	local w=$1 tool=$2 out=$3 dir=$B/bench/record/failures
	mkdir -p "$dir"
	cp "$out/stderr" "$dir/$w-$tool.stderr" 2>/dev/null
	{
		echo "workload $w under $tool: ${STATUS[$w,$tool]}"
		echo "repro: BENCH_ONLY=$w ${QUICK:+BENCH_QUICK=1 }tools/bench/record.sh"
		if [ "$tool" = replay ]; then
			echo "recorded with:"
			cat "$WORK/$w-record/cmd"
			echo "(RECORDING is the file given to -o)"
		fi
		echo "commands (stdout went to a file in a scratch directory):"
		cat "$out/cmd"
		echo "stderr (last lines):"
		tail -n 20 "$out/stderr"
	} >"$dir/$w-$tool.txt"
	echo "$PROG: $w under $tool: ${STATUS[$w,$tool]}; see $dir/$w-$tool.txt" >&2
}

bench_workload() {
	local w=$1 r tool est lim
	rm -f "$B/bench/record/failures/$w"-*
	# An untimed native run warms the page cache, sets the reference
	# output and the time limits.
	LIMIT=3600
	timed "$w" native
	[ -n "${STATUS[$w,native]:-}" ] && die "$w fails natively: ${STATUS[$w,native]}"
	est=$(echo "${TIMES[$w,native]}" | median)
	TIMES[$w,native]= CPUS[$w,native]=
	echo "$PROG: $w ($(describe "$w")): native ~${est}s" >&2
	lim=$(awk -v e="$est" 'BEGIN { printf "%d", 10 * e + 60 }')
	# Interleaved, so that drift in machine load hits every tool alike;
	# each round replays the recording it has just made.
	for ((r = 1; r <= RUNS; r++)); do
		LIMIT=3600
		timed "$w" native
		[ -n "${STATUS[$w,record]:-}" ] && continue
		LIMIT=$lim
		timed "$w" record
		if [ -z "${STATUS[$w,record]:-}" ] && [ -z "${STATUS[$w,replay]:-}" ]; then
			if [ -n "${CHECK[$w]:-}" ] || verify "$w"; then
				timed_replay "$w"
			fi
		fi
		rm -rf "$REC" "$WORK/$w"-*
	done
	[ -n "${STATUS[$w,record]:-}" ] && [ -z "${STATUS[$w,replay]:-}" ] &&
		STATUS[$w,replay]="not run: recording failed"
	return 0
}

# ---------------------------------------------------------------- gdb, rr

GDB_ROW= GDB_NOTE= TTD_SMALL_ROW=

# gdb's `record full` of sha256sum over GDB_KB kilobytes, from
# __libc_start_main (sha256sum is stripped: there is no main to break
# on) to exit_group, against the same command natively and under ttd.
bench_gdb() {
	local in=$WORK/gdb-input dir=$WORK/gdb r i n want
	local nat= ttd= gdb= rc= insns= l
	mkdir -p "$dir"
	head -c $((GDB_KB * 1024)) "$DATA/random" >"$in" || die "cannot write $in"
	if ! command -v gdb >/dev/null 2>&1; then
		GDB_ROW="| gdb \`record full\` | not installed | | | |"
		return
	fi
	want=$(GLIBC_TUNABLES=$GDB_TUNABLES "$SHA256SUM" "$in")
	echo "$PROG: gdb record full: sha256sum, $GDB_KB KB" >&2
	for ((r = 1; r <= RUNS; r++)); do
		# Milliseconds natively: ten runs a round.
		for ((i = 0; i < 10; i++)); do
			measure env GLIBC_TUNABLES="$GDB_TUNABLES" "$SHA256SUM" "$in" >"$dir/native"
			nat+=" $T_WALL"
		done
		measure timeout -k 5 60 env GLIBC_TUNABLES="$GDB_TUNABLES" \
			"$TTDCTL_RUN" record -o "$dir/rec.ttd" -- "$SHA256SUM" "$in" \
			>"$dir/ttd" 2>"$dir/ttd.err"
		if [ "$T_RC" = 0 ] && [ "$(cat "$dir/ttd")" = "$want" ]; then
			ttd+=" $T_WALL"
		fi
		rm -f "$dir/rec.ttd"
		measure timeout -k 5 900 env GLIBC_TUNABLES="$GDB_TUNABLES" \
			gdb -nx -batch -ex 'set breakpoint pending on' \
			-ex 'break __libc_start_main' -ex run -ex 'record full' \
			-ex 'set record full insn-number-max unlimited' \
			-ex continue -ex 'info record' \
			--args "$SHA256SUM" "$in" >"$dir/gdb" 2>&1 </dev/null
		rc=$T_RC
		n=$(awk '/^Log contains [0-9]+ instructions/ { print $3 }' "$dir/gdb")
		if [ "$rc" != 0 ] || [ -z "$n" ] || ! grep -qxF "$want" "$dir/gdb" ||
			grep -q 'does not support instruction' "$dir/gdb"; then
			l=$(grep -m1 -e 'does not support' -e 'rror' "$dir/gdb" | cut -c1-160)
			[ -z "$l" ] && l=$(tail -n 1 "$dir/gdb" | cut -c1-160)
			GDB_ROW="| gdb \`record full\`, sha256sum of $GDB_KB KB ² | | | **FAILED (exit $rc: $l)** | |"
			mkdir -p "$B/bench/record/failures"
			cp "$dir/gdb" "$B/bench/record/failures/gdb.txt"
			echo "$PROG: gdb record full: $l" >&2
			return
		fi
		insns=$n
		gdb+=" $T_WALL"
	done
	nat=$(echo "$nat" | median) gdb=$(echo "$gdb" | median)
	GDB_ROW="| gdb \`record full\`, sha256sum of $GDB_KB KB ² | $(printf %.4f "$nat") | $(printf %.2f "$gdb") | **$(awk -v a="$gdb" -v b="$nat" 'BEGIN { printf "%.0f", a / b }')×** | $insns instructions recorded, $(awk -v n="$insns" -v t="$gdb" 'BEGIN { printf "%.0f", n / t }') per second |"
	if [ -n "$ttd" ]; then
		ttd=$(echo "$ttd" | median)
		TTD_SMALL_ROW="| ttd record, the same command | $(printf %.4f "$nat") | $(printf %.3f "$ttd") | $(ratio "$ttd" "$nat")× | |"
	else
		TTD_SMALL_ROW="| ttd record, the same command | | | FAILED ($(first_line "$dir/ttd.err")) | |"
	fi
}

rr_status() {
	local l
	if ! command -v rr >/dev/null 2>&1; then
		echo -n "rr is not installed here"
	else
		l=$(_RR_TRACE_DIR=$WORK/rr timeout 30 rr record /bin/true 2>&1 >/dev/null |
			grep -m1 . | cut -c1-160)
		echo -n "\`rr record /bin/true\` says: ${l:-(nothing)}"
	fi
	if ! ls -d /sys/bus/event_source/devices/cpu* >/dev/null 2>&1; then
		echo -n ", and it could not run: the machine exposes no hardware"
		echo -n " performance counters (no cpu PMU in /sys/bus/event_source),"
		echo -n " which rr needs to count retired branches"
	fi
	echo "."
}

# ---------------------------------------------------------------- report

# med W TOOL: the median wall time.
med() { echo "${TIMES[$1,$2]:-}" | median; }

fmt_ratio() {
	local w=$1 tool=$2
	if [ -n "${STATUS[$w,$tool]:-}" ]; then
		echo "**${STATUS[$w,$tool]}**"
		return
	fi
	echo "$(ratio "$(med "$w" "$tool")" "$(med "$w" native)")×"
}

# MB of recording per second of native user+sys time.
mbs() {
	local w=$1 s c
	[ -n "${STATUS[$1,record]:-}" ] && return
	s=$(echo "${SIZES[$w]:-}" | median)
	c=$(echo "${CPUS[$w,native]}" | median)
	[ -n "$s" ] && awk -v s="$s" -v c="$c" 'BEGIN { if (c < 0.001) c = 0.001; printf "%.1f", s / 1e6 / c }'
}

# geomean SET WHAT: "G N" over workloads that did not fail, or nothing;
# WHAT is record, replay or size.
geomean() {
	local w vals=
	for w in $1; do
		if [ "$2" = size ]; then
			[ -n "${STATUS[$w,record]:-}" ] && continue
			vals+=" $(mbs "$w")"
			continue
		fi
		[ -n "${STATUS[$w,$2]:-}" ] && continue
		[ -z "${TIMES[$w,$2]:-}" ] && continue
		vals+=" $(ratio "$(med "$w" "$2")" "$(med "$w" native)")"
	done
	geomean_of $vals
}

fmt_geomean() {
	local set=$1 what=$2 unit=${3:-×} total g n
	total=$(echo "$set" | wc -w)
	read -r g n <<<"$(geomean "$set" "$what")"
	if [ "$unit" != × ] && [ -n "${g:-}" ]; then
		g=$(awk -v g="$g" 'BEGIN { printf "%.1f", g }')
	fi
	if [ -z "${g:-}" ]; then
		echo "–"
	elif [ "$n" != "$total" ]; then
		echo "$g$unit ($n of $total)"
	else
		echo "$g$unit"
	fi
}

# total_mbs SET: all recordings of SET over all their native CPU time.
total_mbs() {
	local w b= c=
	for w in $1; do
		[ -n "${STATUS[$w,record]:-}" ] && continue
		[ -z "${SIZES[$w]:-}" ] && continue
		b+=" $(echo "${SIZES[$w]}" | median)"
		c+=" $(echo "${CPUS[$w,native]}" | median)"
	done
	[ -z "$b" ] && return
	awk -v b="$b" -v c="$c" 'BEGIN {
		n = split(b, x, " "); split(c, y, " ")
		for (i = 1; i <= n; i++) { sb += x[i]; sc += y[i] }
		if (sc < 0.001) sc = 0.001
		printf "%.1f", sb / 1e6 / sc }'
}

# total_verdict SET TOTAL TARGET
total_verdict() {
	local total n
	total=$(echo "$1" | wc -w)
	n=$(for w in $1; do [ -z "${STATUS[$w,record]:-}" ] && echo; done | wc -l)
	if [ -z "$2" ] || [ "$n" != "$total" ]; then
		echo "not met: workloads FAILED"
	elif awk -v g="$2" -v t="$3" 'BEGIN { exit !(g <= t) }'; then
		echo "met"
	else
		echo "not met"
	fi
}

report() {
	local w set s t name size
	echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') on $(machine)"
	echo "(load average at start: $LOAD0), ttd $REV, by \`make bench-record\`."
	echo "Each time is the median of $RUNS wall-clock run(s) per tool, taken"
	echo "interleaved (native, record, replay of that recording, native, ...),"
	echo "divided by the native median.  Versions: $(prog_versions), $GDB_VERSION."
	echo
	echo "| Workload | Native (s) | Native CPU (s) | ttd record | ttd replay | Recording (MB) | MB per native CPU-s ¹ | Replay output |"
	echo "|---|--:|--:|--:|--:|--:|--:|---|"
	for w in $WORKLOADS; do
		in_set "$w" || continue
		local check=same
		[ -z "${CHECK[$w]:-}" ] && check="**not verified**"
		size=$(echo "${SIZES[$w]:-}" | median)
		[ -n "$size" ] && size=$(awk -v s="$size" 'BEGIN { printf "%.1f", s / 1e6 }')
		echo "| $(describe "$w") | $(printf %.2f "$(med "$w" native)") | $(printf %.2f "$(echo "${CPUS[$w,native]}" | median)") | $(fmt_ratio "$w" record) | $(fmt_ratio "$w" replay) | ${size:-–} | $(mbs "$w") | $check |"
	done
	for set in cpu sys; do
		if [ $set = cpu ]; then
			s=$CPU_SET t=$TARGET_CPU name="CPU-bound"
		else
			s=$SYS_SET t=$TARGET_SYS name="System-call heavy"
		fi
		s=$(for w in $s; do in_set "$w" && echo "$w"; done)
		[ -z "$s" ] && continue
		local size_cell tot
		size_cell=$(fmt_geomean "$s" size " MB/s")
		tot=$(total_mbs "$s")
		if [ $set = cpu ]; then
			size_cell="**$size_cell**, total ${tot:-–} MB/s (target ≤ $TARGET_MBS: geometric mean $(verdict "$s" "$TARGET_MBS" size), total $(total_verdict "$s" "$tot" "$TARGET_MBS"))"
		else
			size_cell="$size_cell, total ${tot:-–} MB/s"
		fi
		echo "| **$name, geometric mean** (target record and replay ≤ ${t}×: $(verdict "$s" "$t" record replay)) | | | **$(fmt_geomean "$s" record)** | **$(fmt_geomean "$s" replay)** | | $size_cell | |"
	done
	echo
	echo "Other recorders, for reference:"
	echo
	echo "| Recorder | Native (s) | Recorder (s) | Slowdown | |"
	echo "|---|--:|--:|--:|---|"
	if [ -n "$GDB_ROW" ]; then
		echo "$GDB_ROW"
		[ -n "$TTD_SMALL_ROW" ] && echo "$TTD_SMALL_ROW"
	else
		echo "| gdb \`record full\` | not run | | | |"
	fi
	echo "| rr | – | – | cannot run here | published (ATC 2017), recording: $RR_PUBLISHED |"
	echo
	echo "¹ Size of the recording divided by the user+system time of the"
	echo "native run; for a set, the geometric mean of the workloads' figures"
	echo "and the total (all recordings over all native CPU time), which the"
	echo "largest recordings dominate."
	if [ -n "$GDB_ROW" ]; then
		echo "² Measured on a reduced input ($GDB_KB KB instead of $SHA_MB MB):"
		echo "gdb records some 10^4 instructions per second.  Both times include"
		echo "process start-up, which is most of the native run at this size, so"
		echo "the ratio understates gdb's cost per instruction.  gdb records from"
		echo "\`__libc_start_main\` to \`exit_group\`; glibc is kept off AVX"
		echo "(GLIBC_TUNABLES), which gdb 13 cannot record, in all three runs."
	fi
	echo "rr: $RR_STATUS"
}

# ---------------------------------------------------------------- main

check_only
gen_inputs
make_work record
"$TTDCTL_RUN" record -o "$WORK/true.ttd" -- /bin/true &&
	"$TTDCTL_RUN" replay --quiet "$WORK/true.ttd" ||
	die "ttdctl record/replay of /bin/true fails"
rm -f "$WORK/true.ttd"
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
REV=$(git describe --always --dirty 2>/dev/null || echo unknown)
GDB_VERSION=$(gdb --version 2>/dev/null | head -n 1 | awk '{ print "gdb " $NF }')
GDB_VERSION=${GDB_VERSION:-no gdb}
T_START=$EPOCHSECONDS

for w in $WORKLOADS; do
	in_set "$w" && bench_workload "$w"
done
if [ -n "$GDB_ON" ] && in_set sha256sum; then
	bench_gdb
fi
RR_STATUS=$(rr_status)

report >"$WORK/table"
cat "$WORK/table"
echo "$PROG: done in $((EPOCHSECONDS - T_START)) s" >&2

write=${BENCH_WRITE:-}
if [ -z "$write" ]; then
	write=1
	[ -n "$QUICK" ] || [ -n "$ONLY" ] || [ -z "$GDB_ON" ] && write=0
fi
if [ "$write" = 1 ]; then
	write_section record-bench "Record and replay" "$WORK/table" &&
		echo "$PROG: wrote $DOC" >&2
fi
fail=0
for w in $WORKLOADS; do
	in_set "$w" || continue
	[ -n "${STATUS[$w,record]:-}${STATUS[$w,replay]:-}" ] && fail=1
done
exit $fail
