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
# into $BUILD/bench/engine/ and kept between runs.
set -u
set -o pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT" || exit 1
BUILD=${BUILD:-build}
case $BUILD in
/*) B=$BUILD ;;
*) B=$ROOT/$BUILD ;;
esac
TTDCTL=$B/bin/ttdctl
BENCHGEN=$B/bench/bin/benchgen
ICALL=$B/bench/bin/icall
DOC=$ROOT/Documentation/performance.md
QUICK=${BENCH_QUICK:-0}
[ "$QUICK" = 0 ] && QUICK=
if [ -n "$QUICK" ]; then
	RUNS=${BENCH_RUNS:-1}
else
	RUNS=${BENCH_RUNS:-3}
fi
ONLY=${BENCH_ONLY:-}
TOOLS=${BENCH_TOOLS:-native ttd valgrind qemu}
TOOLS=$(echo $TOOLS) # normalised spacing, compared below
case " $TOOLS " in
*" native "*) ;;
*) TOOLS="native $TOOLS" ;;
esac

WORKLOADS="xz bzip2 python sha256sum gcc icall find cp"
CPU_SET="xz bzip2 python sha256sum gcc icall"
SYS_SET="find cp"
TARGET_CPU=1.5
TARGET_SYS=2

# Sizes.  The full run fits in about 15 minutes on a 2-core machine with
# all four tools; xz -6 compresses about 1 MB/s here, hence its smaller
# input (see Documentation/performance.md).
if [ -n "$QUICK" ]; then
	TEXT_MB=4 XZ_MB=1 SHA_MB=50 CSRC_FUNCS=25 PY_N=300000
	ICALL_ROUNDS=60 FIND_FILES=5000 FIND_PASSES=2 CP_FILES=2000
else
	TEXT_MB=50 XZ_MB=5 SHA_MB=500 CSRC_FUNCS=200 PY_N=20000000
	ICALL_ROUNDS=800 FIND_FILES=50000 FIND_PASSES=8 CP_FILES=20000
fi

die() {
	echo "engine.sh: $*" >&2
	exit 1
}

need() {
	local p
	for p in "$@"; do
		command -v "$p" >/dev/null 2>&1 || die "$p not found (run tools/install-deps)"
	done
}

[ -x "$TTDCTL" ] || die "$TTDCTL missing (make $BUILD/bin/ttdctl)"
[ -f "$B/lib/ttd/ttd-engine.so" ] || die "$B/lib/ttd/ttd-engine.so missing"
[ -x "$BENCHGEN" ] && [ -x "$ICALL" ] || die "bench programs missing (make bench-engine)"
need xz bzip2 gcc sha256sum find cp timeout awk valgrind qemu-x86_64
PYTHON=/usr/bin/python3 # Debian's interpreter, not whatever is first on PATH
[ -x "$PYTHON" ] || die "$PYTHON not found"
XZ=$(command -v xz) BZIP2=$(command -v bzip2) GCC=$(command -v gcc)
SHA256SUM=$(command -v sha256sum) FIND=$(command -v find) CP=$(command -v cp)

# ---------------------------------------------------------------- inputs

DATA=$B/bench/engine/data${QUICK:+-quick}
mkdir -p "$DATA" || die "cannot create $DATA"

# The stamp names everything the inputs depend on; any change regenerates.
stamp_want() {
	echo "benchgen $(sha256sum <"$BENCHGEN" | cut -c1-16)"
	echo "text $TEXT_MB xz $XZ_MB sha $SHA_MB csrc $CSRC_FUNCS"
	echo "find $FIND_FILES cp $CP_FILES"
}

gen_inputs() {
	local mb=1000000
	if [ "$(stamp_want)" = "$(cat "$DATA/stamp" 2>/dev/null)" ]; then
		return 0
	fi
	echo "engine.sh: generating inputs in $DATA" >&2
	rm -rf "$DATA"/* || die "cannot clean $DATA"
	"$BENCHGEN" text $((TEXT_MB * mb)) >"$DATA/text" &&
		head -c $((XZ_MB * mb)) "$DATA/text" >"$DATA/text-xz" &&
		"$BENCHGEN" random $((SHA_MB * mb)) >"$DATA/random" &&
		"$BENCHGEN" csrc "$CSRC_FUNCS" >"$DATA/big.c" &&
		"$BENCHGEN" tree "$DATA/tree-find" "$FIND_FILES" &&
		"$BENCHGEN" tree "$DATA/tree-cp" "$CP_FILES" ||
		die "generating inputs failed"
	stamp_want >"$DATA/stamp"
}

# gcc's driver runs cc1 and as through execve, which qemu-x86_64 does not
# follow (the children would run natively); the qemu column runs the same
# two commands, as the driver spells them, each under qemu.
gcc_steps() {
	"$GCC" -O2 -c "$DATA/big.c" -o TTDBENCHOUT.o -### 2>&1 | grep '^ ' |
		sed 's|[^ ]*/cc[A-Za-z0-9]*\.s|TTDBENCHOUT.s|g'
}

# ---------------------------------------------------------------- runners

ALL_TOOLS="native ttd valgrind qemu"
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

# w_NAME TOOL OUT: the workload, output into directory OUT.
w_xz() { run "$1" "$XZ" -6 -T1 -c "$DATA/text-xz" >"$2/out"; }
w_bzip2() { run "$1" "$BZIP2" -9 -c "$DATA/text" >"$2/out"; }
w_python() {
	PYTHONHASHSEED=0 run "$1" "$PYTHON" -I "$ROOT/tools/bench/engine/pyloop.py" \
		"$PY_N" >"$2/out"
}
w_sha256sum() { run "$1" "$SHA256SUM" "$DATA/random" >"$2/out"; }
w_icall() { run "$1" "$ICALL" "$ICALL_ROUNDS" >"$2/out"; }
# One find over the same tree FIND_PASSES times: a single process doing
# hundreds of thousands of getdents and lstat calls.
w_find() {
	local t=() i
	for ((i = 0; i < FIND_PASSES; i++)); do t+=("$DATA/tree-find"); done
	run "$1" "$FIND" "${t[@]}" -printf '%s %p\n' >"$2/out"
}
w_cp() { run "$1" "$CP" -r "$DATA/tree-cp" "$2/tree"; }
w_gcc() {
	local tool=$1 dir=$2 step
	if [ "$tool" != qemu ]; then
		run "$tool" "$GCC" -O2 -c "$DATA/big.c" -o "$dir/out.o"
		return
	fi
	while read -r step; do
		step=${step//TTDBENCHOUT/$dir/out}
		eval "set -- $step"
		[ "${1#/}" = "$1" ] && set -- "$(command -v "$1")" "${@:2}"
		run qemu "$@" || return
	done <"$DATA/gcc-steps"
}

# h_NAME OUT: a hash of what the workload produced.
h_default() { sha256sum <"$1/out" | cut -c1-16; }
h_gcc() { sha256sum <"$1/out.o" | cut -c1-16; }
h_cp() {
	(cd "$1/tree" && find . -printf '%y %m %s %p\n' | LC_ALL=C sort &&
		find . -type f -print0 | LC_ALL=C sort -z | xargs -0 cat) |
		sha256sum | cut -c1-16
}
hash_of() {
	case $1 in
	gcc | cp) "h_$1" "$2" ;;
	*) h_default "$2" ;;
	esac
}

describe() {
	case $1 in
	xz) echo "xz -6 -T1, $XZ_MB MB text+random" ;;
	bzip2) echo "bzip2 -9, $TEXT_MB MB text+random" ;;
	python) echo "python3 loop, dict ops (N=$PY_N)" ;;
	sha256sum) echo "sha256sum, $SHA_MB MB" ;;
	gcc) echo "gcc -O2 -c, $(wc -l <"$DATA/big.c") lines" ;;
	icall) echo "indirect calls ($ICALL_ROUNDS rounds)" ;;
	find) echo "find -printf '%s %p', $FIND_PASSES × $FIND_FILES files" ;;
	cp) echo "cp -r, $CP_FILES small files, to tmpfs" ;;
	esac
}

# ---------------------------------------------------------------- timing

WORK=
cleanup() { [ -n "$WORK" ] && rm -rf "$WORK"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

declare -A TIMES CPUS STATUS REF NATIVE_EST

# Children's user+sys seconds so far, from the shell's own accounting
# (the builtin must run in this shell: a subshell has no children yet).
child_cpu() {
	times >"$WORK/times"
	awk 'END {
		n = split($0, f, /[ ms]+/); s = 0
		for (i = 1; i + 1 <= n; i += 2) if (f[i] != "") s += f[i] * 60 + f[i + 1]
		printf "%.3f", s }' "$WORK/times"
}

# timed W TOOL: one measured run; records time or a failure.
timed() {
	local w=$1 tool=$2 out t0 t1 c0 c1 rc h
	out=$WORK/$w-$tool
	rm -rf "$out"
	mkdir -p "$out"
	CMDLOG=$out/cmd
	child_cpu >"$WORK/c0"
	t0=$EPOCHREALTIME
	"w_$w" "$tool" "$out" 2>"$out/stderr"
	rc=$?
	t1=$EPOCHREALTIME
	child_cpu >"$WORK/c1"
	c0=$(cat "$WORK/c0") c1=$(cat "$WORK/c1")
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
		TIMES[$w,$tool]+=" $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", b - a }')"
		CPUS[$w,$tool]+=" $(awk -v a="$c0" -v b="$c1" 'BEGIN { printf "%.3f", b - a }')"
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

median() {
	tr ' ' '\n' | grep . | sort -g | awk '{ v[++n] = $1 } END {
		if (!n) exit
		if (n % 2) printf "%.4f", v[(n + 1) / 2]
		else printf "%.4f", (v[n / 2] + v[n / 2 + 1]) / 2 }'
}

ratio() {
	[ -n "$1" ] && [ -n "$2" ] && awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'
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
	echo "$vals" | awk '{ for (i = 1; i <= NF; i++) s += log($i)
		if (NF) printf "%.2f %d", exp(s / NF), NF }'
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

verdict() {
	local set=$1 target=$2 total g n
	total=$(echo "$set" | wc -w)
	read -r g n <<<"$(geomean "$set" ttd)"
	if [ -z "${g:-}" ] || [ "$n" != "$total" ]; then
		echo "not met: workloads FAILED"
	elif awk -v g="$g" -v t="$target" 'BEGIN { exit !(g <= t) }'; then
		echo "met"
	else
		echo "not met"
	fi
}

machine() {
	local cpu cores
	cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
	cores=$(nproc)
	echo "$cpu, $cores cores, $(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo) RAM, Linux $(uname -r)"
}

versions() {
	echo "$("$XZ" --version | head -n 1), bzip2 $("$BZIP2" --help 2>&1 | head -n 1 | sed 's/.*Version \([^,]*\).*/\1/'), $("$PYTHON" --version), gcc $("$GCC" -dumpfullversion), coreutils $("$CP" --version | head -n 1 | awk '{ print $NF }'), findutils $("$FIND" --version | head -n 1 | awk '{ print $NF }'), $(valgrind --version), qemu $(qemu-x86_64 --version | head -n 1 | awk '{ print $3 }')"
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
		echo "| **$name, geometric mean** (target ttd ≤ ${t}×: $(verdict "$s" "$t")) | | **$(fmt_geomean "$s" ttd)** | $(fmt_geomean "$s" valgrind) | $(fmt_geomean "$s" qemu) | | |"
	done
	in_set gcc || return 0
	echo
	echo "¹ qemu-x86_64 does not follow execve: for gcc, the qemu column runs"
	echo "the driver's two steps (cc1, then as) directly, each under qemu."
	echo "valgrind follows the driver's children (--trace-children=yes) and"
	echo "ttdctl run follows execs itself."
}

in_set() {
	[ -z "$ONLY" ] && return 0
	case " $ONLY " in *" $1 "*) return 0 ;; esac
	return 1
}

write_doc() {
	local table=$1 tmp=$DOC.tmp
	if [ ! -f "$DOC" ] || ! grep -q '^<!-- engine-bench:begin -->$' "$DOC"; then
		printf '\n## Engine\n\n<!-- engine-bench:begin -->\n<!-- engine-bench:end -->\n' \
			>>"$DOC" || return
	fi
	awk -v tf="$table" '
		/^<!-- engine-bench:begin -->$/ {
			print; while ((getline l < tf) > 0) print l; skip = 1; next }
		/^<!-- engine-bench:end -->$/ { skip = 0 }
		!skip' "$DOC" >"$tmp" && mv "$tmp" "$DOC"
	link_other_pages
}

# The other areas' pages, listed between their own markers.
link_other_pages() {
	local tmp=$DOC.tmp list=$WORK/pages f t
	: >"$list"
	for f in "$ROOT"/Documentation/performance-*.md; do
		[ -f "$f" ] || continue
		t=$(grep -m1 '^# ' "$f" | sed 's/^# //')
		echo "- [${t:-$(basename "$f")}]($(basename "$f"))" >>"$list"
	done
	[ -s "$list" ] || echo "- (none yet)" >"$list"
	awk -v tf="$list" '
		/^<!-- perf-pages:begin -->$/ {
			print; while ((getline l < tf) > 0) print l; skip = 1; next }
		/^<!-- perf-pages:end -->$/ { skip = 0 }
		!skip' "$DOC" >"$tmp" && mv "$tmp" "$DOC"
}

# ---------------------------------------------------------------- main

for w in $ONLY; do
	case " $WORKLOADS " in *" $w "*) ;; *) die "unknown workload '$w' (one of: $WORKLOADS)" ;; esac
done
for t in $TOOLS; do
	case " $ALL_TOOLS " in *" $t "*) ;; *) die "unknown tool '$t' (one of: $ALL_TOOLS)" ;; esac
done

gen_inputs
gcc_steps >"$DATA/gcc-steps" || die "cannot get gcc's steps"
# Outputs go to memory when possible: cp and the compressors would
# otherwise measure the disk's writeback, not the programs.
if [ "$(stat -f -c %T /dev/shm 2>/dev/null)" = tmpfs ] && [ -w /dev/shm ]; then
	WORK=$(mktemp -d /dev/shm/ttd-bench-engine.XXXXXX)
else
	WORK=$(mktemp -d "$B/bench/engine/run.XXXXXX")
fi
[ -n "$WORK" ] || die "mktemp failed"

# Run a private copy of ttdctl and the engine: the tree may be rebuilt
# while the benchmark runs, and a half-written binary is not a result.
mkdir -p "$WORK/ttd/bin" "$WORK/ttd/lib" &&
	cp "$TTDCTL" "$WORK/ttd/bin/ttdctl" &&
	cp -r "$B/lib/ttd" "$WORK/ttd/lib/ttd" || die "cannot copy ttdctl"
TTDCTL_RUN=$WORK/ttd/bin/ttdctl
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
	write_doc "$WORK/table" && echo "engine.sh: wrote $DOC" >&2
fi
fail=0
for w in $WORKLOADS; do
	in_set "$w" && [ -n "${STATUS[$w,ttd]:-}" ] && fail=1
done
exit $fail
