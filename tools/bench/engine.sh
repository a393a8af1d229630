#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Engine benchmark: real programs run natively, under `ttdctl run` (the
# binary translator, no recording), under `valgrind --tool=none` and under
# `qemu-x86_64`, all in the same session, as ratios of wall time to native.
# Prints a Markdown table and rewrites the engine section of
# Documentation/performance.md.
#
# Environment:
#   BUILD=build        build directory holding bin/ttdctl and bench/bin/*
#   BENCH_QUICK=1      small inputs and one run each: a smoke test; the
#                      table is printed but performance.md is left alone
#   BENCH_RUNS=N       timed runs per workload and tool (default 3)
#   BENCH_ONLY="xz cp" run only these workloads (implies no doc update)
#   BENCH_TOOLS="native ttd"  subset of native ttd valgrind qemu
#   BENCH_WRITE=0|1    force not writing / writing performance.md
#
# Inputs are generated deterministically (tools/bench/engine/benchgen.c)
# into $BUILD/bench/engine/ and kept between runs.  The workloads, their
# inputs and the statistics are shared with record.sh (lib.sh).
set -u
set -o pipefail

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TOOLS=${BENCH_TOOLS:-native ttd valgrind qemu}
TOOLS=$(echo $TOOLS) # normalised spacing, compared below
case " $TOOLS " in
*" native "*) ;;
*) TOOLS="native $TOOLS" ;;
esac
TARGET_CPU=1.5
TARGET_SYS=2

need valgrind qemu-x86_64

# gcc's driver runs cc1 and as through execve, which qemu-x86_64 does not
# follow (the children would run natively); the qemu column runs the same
# two commands, as the driver spells them, each under qemu.
gcc_steps() {
	"$GCC" -O2 -c "$DATA/big.c" -o TTDBENCHOUT.o -### 2>&1 | grep '^ ' |
		sed 's|[^ ]*/cc[A-Za-z0-9]*\.s|TTDBENCHOUT.s|g'
}

# ---------------------------------------------------------------- runners

ALL_TOOLS="native ttd valgrind qemu"
NO_EXECVE=qemu
LIMIT=60 # seconds, set per run
TTDCTL_RUN=$TTDCTL # the copy actually run, see below
CMDLOG=/dev/null # where run() notes the commands, for repro lines

# run TOOL PROG ARGS...: one process of the workload under TOOL.
run() {
	local tool=$1 pre=()
	shift
	case $tool in
	ttd) pre=("$TTDCTL_RUN" run --) ;;
	valgrind) pre=(valgrind --tool=none --trace-children=yes -q) ;;
	qemu) pre=(qemu-x86_64) ;;
	esac
	printf '%q ' "${pre[@]/#"$TTDCTL_RUN"/$TTDCTL}" "$@" >>"$CMDLOG"
	echo >>"$CMDLOG"
	timeout -k 5 "$LIMIT" "${pre[@]}" "$@"
}

# w_gcc_steps qemu OUT: gcc's driver steps, as gcc_steps spelt them.
w_gcc_steps() {
	local tool=$1 dir=$2 step
	while read -r step; do
		step=${step//TTDBENCHOUT/$dir/out}
		eval "set -- $step"
		[ "${1#/}" = "$1" ] && set -- "$(command -v "$1")" "${@:2}"
		run "$tool" "$@" || return
	done <"$DATA/gcc-steps"
}

# ---------------------------------------------------------------- timing

declare -A TIMES CPUS STATUS REF NATIVE_EST

# timed W TOOL: one measured run; records time or a failure.
timed() {
	local w=$1 tool=$2 out rc h
	out=$WORK/$w-$tool
	rm -rf "$out"
	mkdir -p "$out"
	CMDLOG=$out/cmd
	measure "w_$w" "$tool" "$out" 2>"$out/stderr"
	rc=$T_RC
	if [ $rc = 124 ] || [ $rc = 137 ]; then
		STATUS[$w,$tool]="TIMEOUT (>${LIMIT}s)"
	elif [ $rc != 0 ]; then
		STATUS[$w,$tool]="FAILED (exit $rc)"
	else
		h=$(hash_of "$w" "$out")
		if [ "$tool" = native ]; then
			if [ -n "${REF[$w]:-}" ] && [ "${REF[$w]}" != "$h" ]; then
				die "$w: native output differs between runs"
			fi
			REF[$w]=$h
		elif [ "$h" != "${REF[$w]}" ]; then
			STATUS[$w,$tool]="FAILED (output differs)"
		fi
	fi
	if [ -n "${STATUS[$w,$tool]:-}" ]; then
		keep_failure "$w" "$tool" "$out"
	else
		TIMES[$w,$tool]+=" $T_WALL"
		CPUS[$w,$tool]+=" $T_CPU"
	fi
	rm -rf "$out"
}

keep_failure() {
	local w=$1 tool=$2 out=$3 dir=$B/bench/engine/failures
	mkdir -p "$dir"
	cp "$out/stderr" "$dir/$w-$tool.stderr" 2>/dev/null
	{
		echo "workload $w under $tool: ${STATUS[$w,$tool]}"
		echo "repro: BENCH_ONLY=$w BENCH_TOOLS=$tool ${QUICK:+BENCH_QUICK=1 }tools/bench/engine.sh"
		echo "commands (stdout went to a file in a scratch directory):"
		cat "$out/cmd"
		echo "stderr (last lines):"
		tail -n 20 "$out/stderr"
	} >"$dir/$w-$tool.txt"
	echo "engine.sh: $w under $tool: ${STATUS[$w,$tool]}; see $dir/$w-$tool.txt" >&2
}

bench_workload() {
	local w=$1 r tool est
	for tool in $TOOLS; do
		rm -f "$B/bench/engine/failures/$w-$tool".*
	done
	# An untimed native run warms the page cache, sets the reference
	# output and the time limits.
	LIMIT=3600
	timed "$w" native
	[ -n "${STATUS[$w,native]:-}" ] && die "$w fails natively: ${STATUS[$w,native]}"
	est=$(echo "${TIMES[$w,native]}" | median)
	TIMES[$w,native]= CPUS[$w,native]=
	NATIVE_EST[$w]=$est
	echo "engine.sh: $w ($(describe "$w")): native ~${est}s" >&2
	# Interleaved, so that drift in machine load hits every tool alike.
	for ((r = 1; r <= RUNS; r++)); do
		for tool in $TOOLS; do
			[ -n "${STATUS[$w,$tool]:-}" ] && continue
			case $tool in
			native) LIMIT=3600 ;;
			ttd) LIMIT=$(awk -v e="$est" 'BEGIN { printf "%d", 10 * e + 30 }') ;;
			*) LIMIT=$(awk -v e="$est" 'BEGIN { printf "%d", 40 * e + 60 }') ;;
			esac
			timed "$w" "$tool"
		done
	done
}

# ---------------------------------------------------------------- report

fmt_ratio() {
	local w=$1 tool=$2 m n
	if [ -n "${STATUS[$w,$tool]:-}" ]; then
		echo "${STATUS[$w,$tool]}"
		return
	fi
	case " $TOOLS " in *" $tool "*) ;; *)
		echo "–"
		return
		;;
	esac
	m=$(echo "${TIMES[$w,$tool]}" | median)
	n=$(echo "${TIMES[$w,native]}" | median)
	echo "$(ratio "$m" "$n")×"
}

fmt_cpu_ratio() {
	local w=$1 m n
	[ -n "${STATUS[$w,ttd]:-}" ] && { echo "–"; return; }
	m=$(echo "${CPUS[$w,ttd]}" | median)
	n=$(echo "${CPUS[$w,native]}" | median)
	ratio "$m" "$n" | sed 's/$/×/'
}

# geomean SET TOOL: "G N" over workloads that did not fail, or nothing.
geomean() {
	local w m n vals=
	for w in $1; do
		[ -n "${STATUS[$w,$2]:-}" ] && continue
		[ -z "${TIMES[$w,$2]:-}" ] && continue
		m=$(echo "${TIMES[$w,$2]}" | median)
		n=$(echo "${TIMES[$w,native]}" | median)
		vals+=" $(ratio "$m" "$n")"
	done
	geomean_of $vals
}

fmt_geomean() {
	local set=$1 tool=$2 total g
	total=$(echo "$set" | wc -w)
	read -r g n <<<"$(geomean "$set" "$tool")"
	if [ -z "${g:-}" ]; then
		echo "–"
	elif [ "$n" != "$total" ]; then
		echo "${g}× ($n of $total)"
	else
		echo "${g}×"
	fi
}

versions() {
	echo "$(prog_versions), $(valgrind --version), qemu $(qemu-x86_64 --version | head -n 1 | awk '{ print $3 }')"
}

report() {
	local w set
	echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') on $(machine)"
	echo "(load average at start: $LOAD0), ttd $REV."
	echo "Each figure is the median of $RUNS wall-clock run(s) per tool, taken"
	echo "interleaved (native, ttd, valgrind, qemu, native, ...), divided by the"
	echo "native median.  Versions: $(versions)."
	echo
	echo "| Workload | Native (s) | ttd | valgrind | qemu | ttd CPU time | ttd output |"
	echo "|---|--:|--:|--:|--:|--:|---|"
	for w in $WORKLOADS; do
		in_set "$w" || continue
		local check=same q
		case ${STATUS[$w,ttd]:-} in
		"") case " $TOOLS " in *" ttd "*) ;; *) check="not run" ;; esac ;;
		*) check="**FAILED**" ;;
		esac
		q=$(fmt_ratio "$w" qemu)
		[ "$w" = gcc ] && [ "$q" != – ] && q="$q ¹"
		echo "| $(describe "$w") | $(printf %.2f "$(echo "${TIMES[$w,native]}" | median)") | $(fmt_ratio "$w" ttd) | $(fmt_ratio "$w" valgrind) | $q | $(fmt_cpu_ratio "$w") | $check |"
	done
	for set in cpu sys; do
		local s t name
		if [ $set = cpu ]; then
			s=$CPU_SET t=$TARGET_CPU name="CPU-bound"
		else
			s=$SYS_SET t=$TARGET_SYS name="System-call heavy"
		fi
		s=$(for w in $s; do in_set "$w" && echo "$w"; done)
		[ -z "$s" ] && continue
		echo "| **$name, geometric mean** (target ttd ≤ ${t}×: $(verdict "$s" "$t" ttd)) | | **$(fmt_geomean "$s" ttd)** | $(fmt_geomean "$s" valgrind) | $(fmt_geomean "$s" qemu) | | |"
	done
	in_set gcc || return 0
	echo
	echo "¹ qemu-x86_64 does not follow execve: for gcc, the qemu column runs"
	echo "the driver's two steps (cc1, then as) directly, each under qemu."
	echo "valgrind follows the driver's children (--trace-children=yes) and"
	echo "ttdctl run follows execs itself."
}

# ---------------------------------------------------------------- main

check_only
for t in $TOOLS; do
	case " $ALL_TOOLS " in *" $t "*) ;; *) die "unknown tool '$t' (one of: $ALL_TOOLS)" ;; esac
done

gen_inputs
gcc_steps >"$DATA/gcc-steps" || die "cannot get gcc's steps"
make_work engine
"$TTDCTL_RUN" run -- /bin/true || die "ttdctl run -- /bin/true fails"
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
REV=$(git describe --always --dirty 2>/dev/null || echo unknown)
T_START=$EPOCHSECONDS

for w in $WORKLOADS; do
	in_set "$w" && bench_workload "$w"
done

report >"$WORK/table"
cat "$WORK/table"
echo "engine.sh: done in $((EPOCHSECONDS - T_START)) s" >&2

write=${BENCH_WRITE:-}
if [ -z "$write" ]; then
	write=1
	[ -n "$QUICK" ] || [ -n "$ONLY" ] || [ "$TOOLS" != "$ALL_TOOLS" ] && write=0
fi
if [ "$write" = 1 ]; then
	write_section engine-bench Engine "$WORK/table" && echo "engine.sh: wrote $DOC" >&2
fi
fail=0
for w in $WORKLOADS; do
	in_set "$w" && [ -n "${STATUS[$w,ttd]:-}" ] && fail=1
done
exit $fail
