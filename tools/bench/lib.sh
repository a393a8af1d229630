# SPDX-License-Identifier: GPL-2.0
#
# Shared code of the benchmarks that run real programs (engine.sh,
# record.sh): settings, the generated inputs, the workloads themselves,
# timing, statistics and the rewriting of Documentation/performance.md.
# Sourced, not run.
#
# The sourcing script defines run TOOL PROG ARGS..., which runs one process
# of a workload under TOOL; tools that do not follow execve are listed in
# NO_EXECVE, and the script then defines w_gcc_steps TOOL OUT for them.
#
# Environment (see each script for its own):
#   BUILD=build        build directory holding bin/ttdctl and bench/bin/*
#   BENCH_QUICK=1      small inputs and one run each, no doc update
#   BENCH_RUNS=N       timed runs per workload and tool (default 3)
#   BENCH_ONLY="xz cp" run only these workloads (implies no doc update)

PROG=${0##*/}
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

WORKLOADS="xz bzip2 python sha256sum gcc icall find cp"
CPU_SET="xz bzip2 python sha256sum gcc icall"
SYS_SET="find cp"

# Sizes.  The full engine run takes about 20 minutes on a 2-core machine
# with all four tools, most of it xz -6 on its 50 MB (about 1 MB/s here).
if [ -n "$QUICK" ]; then
	TEXT_MB=4 XZ_MB=1 SHA_MB=50 CSRC_FUNCS=25 PY_N=300000
	ICALL_ROUNDS=60 FIND_FILES=5000 FIND_PASSES=2 CP_FILES=2000
else
	TEXT_MB=50 XZ_MB=50 SHA_MB=500 CSRC_FUNCS=200 PY_N=20000000
	ICALL_ROUNDS=800 FIND_FILES=50000 FIND_PASSES=8 CP_FILES=20000
fi

die() {
	echo "$PROG: $*" >&2
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
need xz bzip2 gcc sha256sum find cp timeout awk
PYTHON=/usr/bin/python3 # Debian's interpreter, not whatever is first on PATH
[ -x "$PYTHON" ] || die "$PYTHON not found"
XZ=$(command -v xz) BZIP2=$(command -v bzip2) GCC=$(command -v gcc)
SHA256SUM=$(command -v sha256sum) FIND=$(command -v find) CP=$(command -v cp)

in_set() {
	[ -z "$ONLY" ] && return 0
	case " $ONLY " in *" $1 "*) return 0 ;; esac
	return 1
}

check_only() {
	local w
	for w in $ONLY; do
		case " $WORKLOADS " in *" $w "*) ;; *) die "unknown workload '$w' (one of: $WORKLOADS)" ;; esac
	done
}

# ---------------------------------------------------------------- inputs

# Both benchmarks read the same inputs, generated once.
DATA=$B/bench/engine/data${QUICK:+-quick}

# The stamp names everything the inputs depend on; any change regenerates.
stamp_want() {
	echo "benchgen $(sha256sum <"$BENCHGEN" | cut -c1-16)"
	echo "text $TEXT_MB xz $XZ_MB sha $SHA_MB csrc $CSRC_FUNCS"
	echo "find $FIND_FILES cp $CP_FILES"
}

gen_inputs() {
	local mb=1000000
	mkdir -p "$DATA" || die "cannot create $DATA"
	if [ "$(stamp_want)" = "$(cat "$DATA/stamp" 2>/dev/null)" ]; then
		return 0
	fi
	echo "$PROG: generating inputs in $DATA" >&2
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

# ---------------------------------------------------------------- workloads

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
# Tools that do not follow execve run the driver's steps themselves.
NO_EXECVE=
w_gcc() {
	case " $NO_EXECVE " in *" $1 "*)
		w_gcc_steps "$1" "$2"
		return
		;;
	esac
	run "$1" "$GCC" -O2 -c "$DATA/big.c" -o "$2/out.o"
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

prog_versions() {
	echo "$("$XZ" --version | head -n 1), bzip2 $("$BZIP2" --help 2>&1 | head -n 1 | sed 's/.*Version \([^,]*\).*/\1/'), $("$PYTHON" --version), gcc $("$GCC" -dumpfullversion), coreutils $("$CP" --version | head -n 1 | awk '{ print $NF }'), findutils $("$FIND" --version | head -n 1 | awk '{ print $NF }')"
}

# ---------------------------------------------------------------- scratch

WORK=
cleanup() { [ -n "$WORK" ] && rm -rf "$WORK"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

# make_work NAME: the scratch directory WORK, in memory when possible: cp
# and the compressors would otherwise measure the disk's writeback, not the
# programs.  Then a private copy of ttdctl and the engine in it, TTDCTL_RUN:
# the tree may be rebuilt while the benchmark runs, and a half-written
# binary is not a result.
make_work() {
	if [ "$(stat -f -c %T /dev/shm 2>/dev/null)" = tmpfs ] && [ -w /dev/shm ]; then
		WORK=$(mktemp -d "/dev/shm/ttd-bench-$1.XXXXXX")
	else
		mkdir -p "$B/bench/$1" || die "cannot create $B/bench/$1"
		WORK=$(mktemp -d "$B/bench/$1/run.XXXXXX")
	fi
	[ -n "$WORK" ] || die "mktemp failed"
	mkdir -p "$WORK/ttd/bin" "$WORK/ttd/lib" &&
		cp "$TTDCTL" "$WORK/ttd/bin/ttdctl" &&
		cp -r "$B/lib/ttd" "$WORK/ttd/lib/ttd" || die "cannot copy ttdctl"
	TTDCTL_RUN=$WORK/ttd/bin/ttdctl
}

# ---------------------------------------------------------------- timing

# Children's user+sys seconds so far, from the shell's own accounting
# (the builtin must run in this shell: a subshell has no children yet).
child_cpu() {
	times >"$WORK/times"
	awk 'END {
		n = split($0, f, /[ ms]+/); s = 0
		for (i = 1; i + 1 <= n; i += 2) if (f[i] != "") s += f[i] * 60 + f[i + 1]
		printf "%.3f", s }' "$WORK/times"
}

# measure CMD...: run CMD in this shell; sets T_RC, T_WALL (seconds of
# wall time) and T_CPU (user+sys seconds of the processes it waited for).
measure() {
	local t0 t1 c0 c1
	child_cpu >"$WORK/c0"
	t0=$EPOCHREALTIME
	"$@"
	T_RC=$?
	t1=$EPOCHREALTIME
	child_cpu >"$WORK/c1"
	c0=$(cat "$WORK/c0") c1=$(cat "$WORK/c1")
	T_WALL=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", b - a }')
	T_CPU=$(awk -v a="$c0" -v b="$c1" 'BEGIN { printf "%.3f", b - a }')
}

# ---------------------------------------------------------------- statistics

median() {
	tr ' ' '\n' | grep . | sort -g | awk '{ v[++n] = $1 } END {
		if (!n) exit
		if (n % 2) printf "%.4f", v[(n + 1) / 2]
		else printf "%.4f", (v[n / 2] + v[n / 2 + 1]) / 2 }'
}

ratio() {
	[ -n "$1" ] && [ -n "$2" ] && awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'
}

# geomean_of VALUES...: "G N", the geometric mean of N values, or nothing.
geomean_of() {
	echo "$*" | awk '{ for (i = 1; i <= NF; i++) s += log($i)
		if (NF) printf "%.2f %d", exp(s / NF), NF }'
}

# ---------------------------------------------------------------- report

machine() {
	local cpu cores
	cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
	cores=$(nproc)
	echo "$cpu, $cores cores, $(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo) RAM, Linux $(uname -r)"
}

# write_section NAME TITLE TABLE: replace what lies between the markers
# <!-- NAME:begin --> and <!-- NAME:end --> in performance.md with the
# file TABLE; a page without them gets a section TITLE at its end.
write_section() {
	local name=$1 title=$2 table=$3 tmp=$DOC.tmp
	if [ ! -f "$DOC" ] || ! grep -q "^<!-- $name:begin -->\$" "$DOC"; then
		printf '\n## %s\n\n<!-- %s:begin -->\n<!-- %s:end -->\n' \
			"$title" "$name" "$name" >>"$DOC" || return
	fi
	awk -v tf="$table" -v b="<!-- $name:begin -->" -v e="<!-- $name:end -->" '
		$0 == b { print; while ((getline l < tf) > 0) print l; skip = 1; next }
		$0 == e { skip = 0 }
		!skip' "$DOC" >"$tmp" && mv "$tmp" "$DOC" || return
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

# verdict SET TARGET WHAT...: met when every WHAT's geomean is ≤ TARGET.
verdict() {
	local set=$1 target=$2 what total g n
	shift 2
	total=$(echo "$set" | wc -w)
	local met=met
	for what in "$@"; do
		read -r g n <<<"$(geomean "$set" "$what")"
		if [ -z "${g:-}" ] || [ "$n" != "$total" ]; then
			echo "not met: workloads FAILED"
			return
		fi
		awk -v g="$g" -v t="$target" 'BEGIN { exit !(g <= t) }' || met="not met"
	done
	echo "$met"
}
