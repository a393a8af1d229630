#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# bench.sh BENCH_PROGRAM OUTPUT.md: run the ping-pong benchmark in a
# tools/vmtest guest and write the table, with machine and date, to OUTPUT.
set -e
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${BUILD:-build}
prog=$1 out=$2
ko=$BUILD/kmod/ttd.ko
if ! reason=$("$ROOT/tools/vmtest" --check 2>&1); then
	echo "bench-kmod: skipped: ${reason#vmtest: }" >&2
	exit 0
fi
[ -f "$ko" ] || { echo "bench-kmod: skipped: $ko not built" >&2; exit 0; }
table=$(TTD_KO=$ko "$ROOT/tools/vmtest" --timeout 1200 --smp 1 -- env TTD_KO="$ko" "$prog" 20000 "${RUNS:-21}")
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
kver=$(modinfo -F vermagic "$ko" | cut -d' ' -f1)
{
	echo "# ttd.ko: context-switch cost"
	echo
	echo "Measured $(date -u +%Y-%m-%d) with \`make bench\` (target bench-kmod)."
	echo "Host: $cpu, $(nproc) CPUs. Guest: Debian kernel $kver under qemu"
	echo "with software emulation (\`-accel tcg -cpu max\`, 1 vCPU), so"
	echo "absolute times are those of an emulated CPU, many times slower than"
	echo "hardware; the relative cost is the figure to read."
	echo
	echo "Two processes pinned to CPU 0 exchange one byte over a pair of pipes;"
	echo "each round trip is two context switches (plus two pipe writes and"
	echo "reads, which are part of every row). Traced processes record every"
	echo "event class, in overwrite mode so that each switch writes a record."
	echo
	echo "$table"
} > "$out"
cat "$out"
