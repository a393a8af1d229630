#!/bin/bash
# Exact instruction counts and stop points of the engine against the
# single-stepping oracle (TAP).  Per program: the per-thread counts of
# `ttdctl run --stats` equal the oracle's, and the registers printed by
# `ttdctl run --stop-at N` equal the oracle's at N, for N = 0, 1, 2, 3,
# some round counts, and right before and after several system calls.
#
# Both sides run with the same argv, an empty environment plus PATH and
# ASLR off, so that addresses match.  Registers that differ between two
# engine runs at the same N hold per-run values (pid, tid, stack-guard and
# pointer-guard words from AT_RANDOM, rdtsc, clock values): they are left
# out of the comparison and listed as diagnostics.  In rflags, TF and RF
# (0x10100) are masked: the oracle sees them set by single-stepping.
. "$(dirname "$0")/lib.sh"

oracle=$ET/oracle
progs="o_sigmin o_rep o_loop o_cpuid o_threads o_vdso o_sig o_super o_unroll o_flags"
plan $(($(wc -w <<<"$progs") * 2))

if ! cpuid_ok; then
	for p in $progs; do skip "$p: the CPU has TSX, which the engine hides"
		skip "$p: stop points (TSX)"; done
	exit 0
fi

# The fixed stop points; the oracle adds one before and one after every
# system call of the initial thread.
fixed="0 1 2 3 10 100 1000 3000 10000 30000"

# Points of its own a program adds: for o_super, every count over a
# stretch of its loop, so that stops land on each instruction of its
# superblocks, and counts on both sides of where precise mode stops
# splitting the budget over the count slots (about 32768 left).
extra_points()
{
	[ "$1" = o_super ] || return 0
	seq 60000 60047
	echo 32700 32790 32800 33001 45000 90001 120002 150000
}

# Stop points to try for program $1 from its oracle report $2: the fixed
# ones it reached, its own, and up to 8 syscall points spread over the
# run.  For the threaded program only points before its first clone:
# later, how long the main thread waits in pthread_join depends on
# timing.
pick_points()
{
	local p=$1 rep=$2 limit
	limit=$(awk '$1 == "syscall" && ($3 == 56 || $3 == 435) { print $2; exit }' "$rep")
	[ "$p" = o_threads ] || limit=
	{
		for n in $fixed $(extra_points "$p"); do
			grep -qx "icount $n" "$rep" && echo "$n"
		done
		awk '$1 == "syscall" { print $2; print $2 + 1 }' "$rep" |
			awk -v lim="$limit" 'lim == "" || $1 < lim' |
			awk '{ a[NR] = $1 } END {
				step = NR > 8 ? NR / 8 : 1
				for (i = 1; i <= NR; i += step) print a[int(i)] }'
	} | sort -n -u | while read -r n; do
		grep -qx "icount $n" "$rep" && echo "$n"
	done
}

# The register block the oracle printed for count $2 in report $1.
oracle_regs()
{
	awk -v n="$2" '$1 == "icount" { on = ($2 == n && !done); if (on) done = 1 }
		on && $1 != "syscall" && $1 != "thread"' "$1"
}

# How many engine runs may be needed to see the oracle's path.  The vDSO's
# clock reads loop on a seqlock and on normalising nanoseconds into
# seconds, both timing-dependent; the oracle counts only the first pass
# of any loop in a vDSO call (--discount-vdso-loops), which is what the
# engine's run has when neither loop repeats: usually the first run,
# sometimes a later one.
#
# That covers the loops, not every path: the vDSO also branches on
# whether the TSC read is behind the last update's (vCPUs whose TSCs
# differ slightly), and a nanosecond carry into seconds is one iteration
# of a rotated loop the oracle cannot tell from straight code.  So for
# o_vdso several oracle and engine runs may be needed before one pair
# took the same path: both sides retry, and every other program must
# match on the first runs.
tries_for()
{
	if [ "$1" = o_vdso ]; then echo 4; else echo 1; fi
}

oracle_tries_for()
{
	if [ "$1" = o_vdso ]; then echo 3; else echo 1; fi
}

# The initial thread's count first, then the others'.
thread_counts()
{
	awk '$1 == "thread" && $4 == "instructions" {
		if ($2 == $3) print $5; else w[++n] = $5 }
		END { for (i = 1; i <= n; i++) print w[i] }'
}

# Load "name value" lines from stdin into the associative array named $1,
# rflags without TF and RF.
load_regs()
{
	local -n arr=$1
	local k v
	while read -r k v; do
		[ "$k" = rflags ] && v=$(printf '0x%x' $((v & ~0x10100)))
		arr[$k]=$v
	done
}

# Compare the oracle's registers at N with two engine runs.  Prints the
# differences as diagnostics; returns 1 if any.
compare_stop()
{
	local p=$1 n=$2 rep=$3 k bad=0 perrun=
	local -A o=() a=() b=()
	# stdout is a regular file in all runs: stdio buffers differently
	# for a file, a pipe and /dev/null.
	load_regs o < <(oracle_regs "$rep" "$n")
	load_regs a < <(run_fixed "$TTDCTL" run --stop-at "$n" -- "$ET/$p" \
		2>&1 >"$WORK/stop.out" | regs_only)
	load_regs b < <(run_fixed "$TTDCTL" run --stop-at "$n" -- "$ET/$p" \
		2>&1 >"$WORK/stop.out" | regs_only)
	if [ -z "${a[icount]}" ] || [ -z "${o[icount]}" ]; then
		diag "$p N=$n: no registers (engine '${a[icount]}', oracle '${o[icount]}')"
		return 1
	fi
	for k in icount rip rflags rax rbx rcx rdx rsi rdi rbp rsp r8 r9 r10 \
		 r11 r12 r13 r14 r15 fs_base; do
		if [ "${a[$k]}" != "${b[$k]}" ]; then
			perrun="$perrun $k"
		elif [ "${a[$k]}" != "${o[$k]}" ]; then
			diag "$p N=$n: $k engine ${a[$k]} oracle ${o[$k]}"
			bad=1
		fi
	done
	[ -n "$perrun" ] && diag "$p N=$n: per-run values:$perrun"
	return $bad
}

for p in $progs; do
	rep=$WORK/$p.oracle
	# Pinned to one CPU: single-stepping is about twice as fast.
	for otry in $(seq 1 "$(oracle_tries_for "$p")"); do
		capture "$WORK/$p.1" run_fixed taskset -c 0 "$oracle" \
			--enosys rseq --discount-vdso-loops \
			--dump-syscalls \
			--dump-at "$(echo $fixed $(extra_points "$p") | tr ' ' ,)" \
			--out "$rep" -- "$ET/$p"
		rc1=$?
		o=$(thread_counts <"$rep")
		for try in $(seq 1 "$(tries_for "$p")"); do
			capture "$WORK/$p.2" run_fixed "$TTDCTL" run --stats \
				-- "$ET/$p"
			rc2=$?
			e=$(thread_counts <"$WORK/$p.2.err")
			[ "$(head -1 <<<"$o")" = "$(head -1 <<<"$e")" ] && break 2
		done
	done
	[ "$otry$try" != 11 ] &&
		diag "$p: oracle run $otry, engine run $try took the same path"
	if [ "$p" = o_threads ]; then
		# Workers only: thread order differs, the main thread's count
		# depends on whether pthread_join had to wait.
		diag "$p main thread: oracle $(head -1 <<<"$o"), engine $(head -1 <<<"$e")"
		o=$(tail -n +2 <<<"$o" | sort -n | tr '\n' ' ')
		e=$(tail -n +2 <<<"$e" | sort -n | tr '\n' ' ')
	else
		o=$(tr '\n' ' ' <<<"$o") e=$(tr '\n' ' ' <<<"$e")
	fi
	if [ "$rc1" = "$rc2" ] && [ -n "$o" ] && [ "$o" = "$e" ] &&
	   cmp -s "$WORK/$p.1.out" "$WORK/$p.2.out"; then
		ok "$p: instruction counts equal the oracle's ($o)"
	else
		diag "$p: exit $rc1 vs $rc2, oracle counts: $o, engine: $e"
		cmp -s "$WORK/$p.1.out" "$WORK/$p.2.out" ||
			diag "$p: outputs differ: $(head -c 200 "$WORK/$p.1.out" | tr "\n" " ") vs $(head -c 200 "$WORK/$p.2.out" | tr "\n" " ")"
		not_ok "$p: instruction counts equal the oracle's"
	fi

	points=$(pick_points "$p" "$rep")
	bad=
	for n in $points; do
		for try in $(seq 1 "$(tries_for "$p")"); do
			compare_stop "$p" "$n" "$rep" >"$WORK/diag" && break
		done
		[ "$try" -gt 1 ] && diag "$p N=$n: engine run $try matched"
		grep -q 'engine.*oracle' "$WORK/diag" && bad="$bad $n"
		cat "$WORK/diag"
	done
	if [ -z "$points" ]; then
		not_ok "$p: stop points (the oracle reported none)"
	elif [ -z "$bad" ]; then
		ok "$p: registers at $(wc -w <<<"$points") stop points equal the oracle's"
	else
		not_ok "$p: registers at stop points$bad differ from the oracle's"
	fi
done
