#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Reverse debugging benchmark: a recording of about 10^9 instructions is
# served to gdb; gdb runs to its end, jumps to random instruction counts
# ("monitor goto"), and from the end reverse-continues to a watchpoint
# on a variable written only at the start.  Writes
# Documentation/performance-gdb.md (BENCH_QUICK=1: a tenth of the
# length, table on stdout only).
#
# Environment: BUILD (build directory), BENCH_RUNS (gdb sessions, 3),
# BENCH_GOTOS (random points per session, 20).
. "$(dirname "$0")/lib.sh"
LONGRUN=$B/bench/bin/longrun
PAGE=$ROOT/Documentation/performance-gdb.md
GOTOS=${BENCH_GOTOS:-20}
ITERS=200000000 PY_ITERS=400000
[ -n "$QUICK" ] && ITERS=20000000 PY_ITERS=40000
need gdb
[ -x "$LONGRUN" ] || die "build $LONGRUN first (make bench-gdb)"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
median() { tr ' ' '\n' | sed '/^$/d' | sort -g | awk '{ v[NR] = $1 }
	END { if (NR) print v[int((NR + 1) / 2)] }'; }

# One gdb session on recording REC of program PROG: stamps between the
# commands, in the transcript; FAR... are the commands that set the
# break- or watchpoint far back.
session() {
	local out=$1 seed=$2 rec=$3 prog=$4 len=$5 cmds=(-ex 'set pagination off')
	shift 5
	cmds+=(-ex "target remote | $TTDCTL replay --gdb-stdio $rec")
	cmds+=(-ex 'echo @stamp start\n' -ex 'shell date +%s.%N')
	cmds+=(-ex continue -ex 'echo @stamp end\n' -ex 'shell date +%s.%N')
	cmds+=(-ex 'monitor when')
	for n in $(awk -v s="$seed" -v k="$GOTOS" -v m="$len" \
		'BEGIN { srand(s); for (i = 0; i < k; i++)
			printf "%d\n", rand() * m }'); do
		cmds+=(-ex "monitor goto $n" -ex 'echo @stamp goto\n'
			-ex 'shell date +%s.%N')
	done
	for c in "$@"; do cmds+=(-ex "$c"); done
	cmds+=(-ex 'echo @stamp far\n' -ex 'shell date +%s.%N'
		-ex reverse-continue
		-ex 'echo @stamp back\n' -ex 'shell date +%s.%N'
		-ex 'monitor when' -ex 'monitor info')
	timeout 600 gdb -batch -nx "${cmds[@]}" "$prog" >"$out" 2>&1
}

# stamps OUT: "label seconds-since-previous" for each stamp.
stamps() {
	awk '/^@stamp / { l = $2; next }
		l && /^[0-9]+\.[0-9]+$/ { if (p) print l, $1 - p; p = $1; l = "" }' "$1"
}

worst() { tr ' ' '\n' | sed '/^$/d' | sort -g | tail -1; }

# workload NAME WHAT EXPECT -- PROG ARGS... -- FAR...: a table row set.
workload() {
	local name=$1 what=$2 expect=$3 prog native=() fwd=() gotos=()
	local back=() ckpts=() kbs=() args=() far=() t0 out n kb i
	shift 4
	while [ "$1" != -- ]; do args+=("$1"); shift; done
	shift
	far=("$@")
	prog=${args[0]}
	for i in $(seq "$RUNS"); do
		t0=$(now)
		"${args[@]}" >/dev/null
		native+=("$(secs "$t0" "$(now)")")
	done
	t0=$(now)
	"$TTDCTL" record -o "$WORK/$name.ttd" -- "${args[@]}" >/dev/null ||
		die "cannot record $name"
	local rec_time rec_mb len
	rec_time=$(secs "$t0" "$(now)")
	rec_mb=$(du -m "$WORK/$name.ttd" | cut -f1)
	# The length, from a first session's end.
	len=$(session "$WORK/$name.len" 0 "$WORK/$name.ttd" "$prog" 1 \
		"${far[@]}" && grep -m1 '^Current instruction:' \
		"$WORK/$name.len" | awk '{ print $3 }')
	for i in $(seq "$RUNS"); do
		out=$WORK/$name.$i
		session "$out" "$i" "$WORK/$name.ttd" "$prog" "$len" "${far[@]}"
		grep -Eq -- "$expect" "$out" ||
			die "$name: session $i did not get back (see below)
$(tail -20 "$out")"
		fwd+=("$(stamps "$out" | awk '$1 == "end" { print $2 }')")
		gotos+=($(stamps "$out" | awk '$1 == "goto" { print $2 }'))
		back+=("$(stamps "$out" | awk '$1 == "back" { print $2 }')")
		read -r n kb <<<"$(sed -n 's/^\([0-9]*\) checkpoints, \([0-9]*\) kB.*/\1 \2/p' "$out")"
		ckpts+=("$n") kbs+=("$kb")
	done
	local back_to dist
	back_to=$(grep '^Current instruction:' "$WORK/$name.1" | tail -1 |
		awk '{ print $3 }')
	dist=$((len - back_to))
	printf '| %s | %s | %.3f s | %.3f s, %s MB | %.3f s | %.3f / %.3f s | %s: %.3f / %.3f s | %s, %.1f MB |\n' \
		"$name" "$len" "$(echo "${native[*]}" | median)" "$rec_time" \
		"$rec_mb" "$(echo "${fwd[*]}" | median)" \
		"$(echo "${gotos[*]}" | median)" "$(echo "${gotos[*]}" | worst)" \
		"$what $dist instructions back" \
		"$(echo "${back[*]}" | median)" "$(echo "${back[*]}" | worst)" \
		"$(echo "${ckpts[*]}" | median)" \
		"$(awk -v k="$(echo "${kbs[*]}" | median)" 'BEGIN { printf "%.1f", k / 1024 }')"
	echo "${gotos[*]}" | worst >>"$WORK/goto_worst"
	echo "${back[*]}" | worst >>"$WORK/back_worst"
}

table=$WORK/table
{
	echo "| Recording | Instructions | Native | Record, size | Replay to the end | goto: median / worst | reverse-continue: median / worst | Checkpoints at the end |"
	echo "|---|--:|--:|--:|--:|--:|--:|--:|"
	workload longrun "watchpoint" 'Old value = 42' -- \
		"$LONGRUN" "$ITERS" -- 'watch target'
	workload python "breakpoint" 'Py_InitializeFromConfig' -- \
		/usr/bin/python3 "$ROOT/tools/bench/gdb/dictloop.py" \
		"$PY_ITERS" -- 'break Py_InitializeFromConfig'
} >"$table"
g_max=$(worst <"$WORK/goto_worst")
b_max=$(worst <"$WORK/back_worst")
verdict_goto=$(awk -v m="$g_max" 'BEGIN { print (m <= 2) ? "met" : "not met" }')
verdict_back=$(awk -v m="$b_max" 'BEGIN { print (m <= 10) ? "met" : "not met" }')
{
	echo
	echo "Targets: any instruction reached in at most 2 s (worst goto: ${g_max} s, $verdict_goto); reverse-continue to a watchpoint 10^9 instructions back in at most 10 s (worst: ${b_max} s, $verdict_back)."
} >>"$table"
cat "$table"
[ -n "$QUICK" ] && exit 0

cat >"$PAGE" <<EOF
# Reverse debugging: time travel in gdb

Measured $(date -u +%Y-%m-%d) with \`make bench-gdb\` (script:
\`tools/bench/gdb.sh\`) on $(machine), revision
$(git -C "$ROOT" describe --always --dirty 2>/dev/null), load average
$(cut -d' ' -f1-3 /proc/loadavg) at the start.

Two recordings of about 10^9 instructions: \`tools/bench/gdb/longrun.c\`,
a C loop that writes a variable once at its start, and Debian's python3
running \`tools/bench/gdb/dictloop.py\`, a dictionary-heavy loop.  gdb,
in batch mode over \`target remote | ttdctl replay --gdb-stdio\`, runs
each to its end, goes to $GOTOS random instruction counts with \`monitor
goto\`, then sets a watchpoint on the variable (longrun) or a
breakpoint on \`Py_InitializeFromConfig\`, which python calls once at
start-up, and reverse-continues to it.  Figures are medians (and the
worst) over $RUNS sessions, timed by gdb's own \`shell date\` between
commands, so they include gdb's work after each stop (reading registers
and the stack).

$(cat "$table")

## Reading the figures

- Checkpoints are forks of the replaying process, taken every 50
  million instructions as the replay first goes by.  A goto forks the
  nearest checkpoint before the target and replays forward from it, so
  it costs at most 50 million instructions of replay, whatever the
  distance.
- Going back to a watchpoint searches the checkpoint intervals from the
  latest backwards, each in a fresh fork of its checkpoint, until one
  saw the write; then it replays to the write.  The cost grows with the
  distance (here the whole recording) at the replay's speed.
- Memory: a checkpoint holds only the pages the program changed since
  the one before, shared copy-on-write with its neighbours; this
  program changes few.
- Peers: rr cannot run on this machine (no performance counters).
  gdb's own \`record full\` records about 16,500 instructions per
  second here (Documentation/performance.md), so it would need about
  17 hours to record what this benchmark travels through.
EOF
echo "wrote $PAGE"
link_other_pages
