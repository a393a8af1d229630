#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# bench.sh BENCH_PROGRAM OUTPUT.md: run the ping-pong benchmark in a
# tools/vmtest guest and write the table, with machine and date, to OUTPUT;
# then again on the backports kernel when it and its module are there
# (make backports-kernel kmod-backports).
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
# Guest time is counted in instructions (qemu -icount): each one advances
# the guest's clocks by 2^ICOUNT ns, so the host's load and the emulator's
# speed do not enter the figures.  ICOUNT= (empty) measures wall-clock time
# of the emulated guest instead, which on a shared host is far noisier.
icount=${ICOUNT-3}
vmopts=() insn_ns=0
if [ -n "$icount" ]; then
	vmopts=(--icount "$icount")
	insn_ns=$((1 << icount))
fi
# measure KO [VMTEST OPTIONS]: the table for that module and kernel.
measure() {
	local k=$1

	shift
	TTD_KO=$k "$ROOT/tools/vmtest" --timeout 1200 --smp 1 "${vmopts[@]}" \
		"$@" -- env TTD_KO="$k" "$prog" "${ROUNDS:-20000}" \
		"${RUNS:-21}" "$insn_ns"
}
table=$(measure "$ko")
bko=$BUILD/kmod-backports/ttd.ko
btable=""
if [ -f "$bko" ] && ls "$BUILD"/backports-kernel/boot/vmlinuz-* >/dev/null 2>&1
then
	btable=$(measure "$bko" --kernel-root "$BUILD/backports-kernel")
fi
# The reading of the figures is written by hand: keep it.
notes=$(sed -n '/^## Reading the figures/,$p' "$out" 2>/dev/null)
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
kver=$(modinfo -F vermagic "$ko" | cut -d' ' -f1)
{
	echo "# ttd.ko: context-switch cost"
	echo
	echo "Measured $(date -u +%Y-%m-%d) with \`make bench\` (target bench-kmod)."
	echo "Host: $cpu, $(nproc) CPUs. Guest: Debian kernel $kver under qemu"
	echo "with software emulation (\`-accel tcg -cpu max\`, 1 vCPU)."
	if [ -n "$icount" ]; then
		echo "The guest's clocks count instructions (\`-icount shift=$icount\`:"
		echo "every guest instruction takes $insn_ns ns of guest time, a"
		echo "string instruction once per iteration), so the figures are"
		echo "instruction counts scaled, independent of the host's load:"
		echo "reproducible to a few hundredths of a percent, but blind to"
		echo "what instructions cost on hardware (cache misses, mispredicted"
		echo "branches)."
	else
		echo "Guest time is the host's wall-clock time: absolute figures are"
		echo "those of an emulated CPU and include the host's other load."
	fi
	echo
	echo "Two processes pinned to CPU 0 exchange one byte over a pair of pipes;"
	echo "each round trip is two context switches (plus two pipe writes and"
	echo "reads, which are part of every row). Traced processes record every"
	echo "event class, in overwrite mode so that each switch writes a record."
	echo
	echo "$table"
	if [ -n "$btable" ]; then
		echo
		echo "## On a newer kernel"
		echo
		echo "The same, with the same qemu settings, on Debian's backports kernel"
		echo "$(modinfo -F vermagic "$bko" | cut -d' ' -f1) and the module built for it."
		echo
		echo "$btable"
	fi
	[ -z "$notes" ] || printf '\n%s\n' "$notes"
} > "$out"
cat "$out"
