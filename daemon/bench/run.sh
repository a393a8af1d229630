#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# ttdd benchmarks (make bench): the cost the BPF backend adds to a context
# switch, and the rate at which ttdd drains records.  Writes a Markdown
# table to $2.   usage: run.sh BUILD_DIR OUTPUT.md
set -e
B=$1
OUT=$2
RUNS=${RUNS:-9}
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
start_ttdd 4M 1
: > "$T/base"; : > "$T/untraced"; : > "$T/traced"
for _ in $(seq "$RUNS"); do
	"$B/bench/daemon/ctxsw" "$ROUNDS" >> "$T/base"
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
base=$(median < "$T/base")
untraced=$(median < "$T/untraced")
traced=$(median < "$T/traced")
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

pct() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%+.1f%%", (a - b) * 100 / b }'; }
mps() { awk -v r="$1" 'BEGIN { printf "%.2f", r / 1e6 }'; }

cat > "$OUT" <<EOM
# ttdd performance

Measured by \`make bench\` (daemon/bench/run.sh) on $(date -u +%Y-%m-%d).
Machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'),
$(nproc) CPUs, kernel $(uname -r); backend: BPF (no ttd.ko on this host).

## Context switch cost

Two processes pinned to CPU 0 pass a byte through two pipes
($ROUNDS round trips, median of $RUNS runs); every hop is a context
switch and, when traced, one TTD_REC_SWITCH record.  ttdd runs on CPU 1.

| case | ns per switch | vs. no ttdd |
|------|--------------:|------------:|
| no ttdd | $base | |
| ttdd tracing another process (untraced tasks) | $untraced | $(pct "$untraced" "$base") |
| the ping-pong processes traced | $traced | $(pct "$traced" "$base") |

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
