#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# ttdd benchmarks (make bench): the cost the BPF backend adds to a context
# switch, and the rate at which ttdd drains records.  Writes a Markdown
# table to $2.   usage: run.sh BUILD_DIR OUTPUT.md
set -e
B=$1
OUT=$2
RUNS=${RUNS:-21}
ROUNDS=${ROUNDS:-200000}
DRAIN_COUNT=${DRAIN_COUNT:-4000000}
T=$(mktemp -d /tmp/ttdd-bench.XXXXXX)
TTDD_PID=
cleanup() {
	[ -n "$TTDD_PID" ] && kill "$TTDD_PID" 2>/dev/null && wait "$TTDD_PID" || true
	jobs -p | xargs -r kill 2>/dev/null || true
	rm -rf "$T"
}
trap cleanup EXIT
export TTD_SOCKET=$T/sock

[ "$(id -u)" = 0 ] || { echo "bench: ttdd needs root" >&2; exit 1; }

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# quartiles: "p25 p50 p75" of the numbers on stdin (linear interpolation).
quartiles() {
	sort -g | awk '{ v[NR] = $1 }
	function q(f,  x, i) { x = f * (NR - 1) + 1; i = int(x);
		return i < NR ? v[i] + (x - i) * (v[i + 1] - v[i]) : v[NR] }
	END { printf "%.1f %.1f %.1f\n", q(0.25), q(0.5), q(0.75) }'
}
# Per-round added cost in % of that round's own baseline (files of one
# number per line, same order).
rel() { paste "$1" "$2" | awk '{ printf "%.2f\n", ($1 - $2) * 100 / $2 }'; }

# start_ttdd RING_SIZE CPU
start_ttdd() {
	taskset -c "$2" "$B/bin/ttdd" --foreground --socket "$T/sock" \
		--ring-size "$1" 2>>"$T/ttdd.log" &
	TTDD_PID=$!
	for _ in $(seq 100); do
		"$B/bin/ttdctl" status >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	echo "bench: ttdd did not start" >&2; cat "$T/ttdd.log" >&2; exit 1
}

stop_ttdd() {
	kill -TERM "$TTDD_PID"; wait "$TTDD_PID" || true; TTDD_PID=
}

ctx_plain() {
	for _ in $(seq "$RUNS"); do "$B/bench/daemon/ctxsw" "$ROUNDS"; done | median
}

ctx_traced() {
	for i in $(seq "$RUNS"); do
		"$B/bench/daemon/ctxsw" -s "$ROUNDS" > "$T/ctx.$i" &
		p=$!
		while ! grep -q '^State:.*T' /proc/$p/status; do sleep 0.01; done
		"$B/bin/ttdctl" trace -q --detach -p "$p" -o "$T/ctx.$i.ttd" >/dev/null
		kill -CONT "$p"
		wait "$p"
		cat "$T/ctx.$i"
	done | median
}

# ttdd on the other CPU than the ping-pong, as the scheduler would put it.
# The VM's switch cost drifts between runs, so the three cases are
# interleaved and each reported as its median.  With no session ttdd's
# programs are detached: the same as no ttdd at all.
# The floor: an empty program on sched_switch, attached as ttdd attaches.
ctx_empty_prog() {
	rm -f "$T/empty.in"; mkfifo "$T/empty.in"
	: > "$T/empty.out"
	"$B/bench/daemon/empty_switch" < "$T/empty.in" > "$T/empty.out" &
	local ep=$!
	exec 3> "$T/empty.in"
	while ! grep -q ready "$T/empty.out"; do
		kill -0 "$ep" 2>/dev/null || { echo "bench: empty_switch failed" >&2; exit 1; }
		sleep 0.01
	done
	"$B/bench/daemon/ctxsw" "$ROUNDS"
	exec 3>&-
	wait "$ep"
}

start_ttdd 4M 1
: > "$T/base"; : > "$T/empty"; : > "$T/untraced"; : > "$T/traced"
for _ in $(seq "$RUNS"); do
	"$B/bench/daemon/ctxsw" "$ROUNDS" >> "$T/base"
	ctx_empty_prog >> "$T/empty"
	sleep 1000 &
	idle=$!
	id=$("$B/bin/ttdctl" trace -q --detach -p "$idle" -o "$T/idle.ttd")
	"$B/bench/daemon/ctxsw" "$ROUNDS" >> "$T/untraced"
	"$B/bin/ttdctl" stop "$id"
	kill "$idle"; wait "$idle" 2>/dev/null || true
	"$B/bench/daemon/ctxsw" -s "$ROUNDS" > "$T/ctx" &
	p=$!
	while ! grep -q '^State:.*T' /proc/$p/status; do sleep 0.01; done
	"$B/bin/ttdctl" trace -q --detach -p "$p" -o "$T/ctx.ttd" >/dev/null
	kill -CONT "$p"
	wait "$p"
	cat "$T/ctx" >> "$T/traced"
done
read -r base_lo base base_hi < <(quartiles < "$T/base")
read -r empty_lo empty empty_hi < <(quartiles < "$T/empty")
read -r empty_rel_lo empty_rel empty_rel_hi < <(rel "$T/empty" "$T/base" | quartiles)
read -r untr_lo untraced untr_hi < <(quartiles < "$T/untraced")
read -r tr_lo traced tr_hi < <(quartiles < "$T/traced")
read -r untr_rel_lo untr_rel untr_rel_hi < <(rel "$T/untraced" "$T/base" | quartiles)
read -r tr_rel_lo tr_rel tr_rel_hi < <(rel "$T/traced" "$T/base" | quartiles)
stop_ttdd

echo "bench: drain rate, ttdd" >&2
start_ttdd 256M 0
sleep 1000 &
idle=$!
"$B/bin/ttdctl" trace -q --detach -p "$idle" -o "$T/drain.ttd" >/dev/null
ttdd_rate=$(for _ in $(seq 3); do
	"$B/bench/daemon/drain_bench" ttdd "$T/sock" "$TTDD_PID" "$DRAIN_COUNT" |
		cut -d' ' -f1
done | median)
kill "$idle"
stop_ttdd
drain_size=$(stat -c %s "$T/drain.ttd")
echo "bench: drain rate, read()+write() loop" >&2
loop_rate=$(for _ in $(seq 3); do
	"$B/bench/daemon/drain_bench" loop "$DRAIN_COUNT" "$T/loop.bin" \
		$((256 << 20)) | cut -d' ' -f1
done | median)

mps() { awk -v r="$1" 'BEGIN { printf "%.2f", r / 1e6 }'; }

cat > "$OUT" <<EOM
# ttdd performance

Measured by \`make bench\` (daemon/bench/run.sh) on $(date -u +%Y-%m-%d).
Machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'),
$(nproc) CPUs, kernel $(uname -r); backend: BPF (no ttd.ko on this host).

## Context switch cost

Two processes pinned to CPU 0 pass a byte through two pipes
($ROUNDS round trips per run); every hop is a context switch and, when
traced, one TTD_REC_SWITCH record.  ttdd runs on CPU 1.  Times are the
CPU time both processes used (CLOCK_THREAD_CPUTIME_ID; the switch and
the hooks in it are charged to one of them), so other work competing
for CPU 0 on this shared machine does not count.  The four cases
are interleaved, $RUNS rounds; the added cost is computed in each round
against that round's own baseline, and its median and interquartile
range (IQR) over the rounds are given.

| case | CPU ns per switch, median | IQR | added cost, median | IQR |
|------|----------------------:|----:|-------------------:|----:|
| no ttdd | $base | $base_lo–$base_hi | | |
| floor: an empty program on sched_switch, no ttdd | $empty | $empty_lo–$empty_hi | $(printf '%+.1f%%' "$empty_rel") | $(printf '%+.1f%% to %+.1f%%' "$empty_rel_lo" "$empty_rel_hi") |
| ttdd tracing another process (untraced tasks) | $untraced | $untr_lo–$untr_hi | $(printf '%+.1f%%' "$untr_rel") | $(printf '%+.1f%% to %+.1f%%' "$untr_rel_lo" "$untr_rel_hi") |
| the ping-pong processes traced | $traced | $tr_lo–$tr_hi | $(printf '%+.1f%%' "$tr_rel") | $(printf '%+.1f%% to %+.1f%%' "$tr_rel_lo" "$tr_rel_hi") |

Targets: at most +5% for traced tasks, nothing measurable for untraced
ones.

## Drain rate

A BPF program run with BPF_PROG_TEST_RUN writes $DRAIN_COUNT
context-switch records into one 256 MiB ring while the consumer waits
(ttdd is SIGSTOPped); then the consumer, pinned to CPU 0 (ttdd with
\`taskset -c 0\`, its zstd writer thread included), is timed until it
has them all (median of 3).  ttdd's figure includes up to one 2 ms
status poll and its event-loop wake-up.

| consumer | records/s |
|----------|----------:|
| ttdd: io_uring event loop, per-CPU streams of a .ttd file (zstd, CRC32C, io_uring writes) | $(mps "$ttdd_rate") M |
| classic loop: epoll, copy each record, write() 1 MiB buffers, raw file | $(mps "$loop_rate") M |

Target: ttdd drains at least 5 million records per second on one core.
The ttdd recording of the drain runs was $((drain_size >> 20)) MiB for
$((3 * DRAIN_COUNT)) records.
EOM
echo "bench: wrote $OUT" >&2
