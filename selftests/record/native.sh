#!/bin/bash
# Every program of progs/ run natively must print something different in
# two runs (stdout, stderr and exit status together): that is what makes
# it a test of the recorder.  Races are probabilistic by nature, so every
# program gets up to five attempts at a run that differs from the first.
# No program is exempt: the exit-status and self-killing ones print the
# random value they exit or die with.
. "$(dirname "$0")/lib.sh"

progs=($(rec_progs))
if [ ${#progs[@]} = 0 ]; then
	plan 1
	not_ok "no test programs in $RT (make first)"
	exit 0
fi
plan ${#progs[@]}

# run_native PREFIX PROG: run it as the recorder tests do, status last;
# sets timed_out.
run_native()
{
	limited "$1" 10 "$2"
	echo "status $?" >>"$1.out"
}

for name in "${progs[@]}"; do
	d=$WORK/$name
	mkdir -p "$d"
	run_native "$d/a" "$RT/$name"
	st=$(tail -1 "$d/a.out")
	if [ "$timed_out" = 1 ]; then
		not_ok "$name: timed out natively"
		continue
	fi
	want=$(expected_status "$name" "$d/a.out")
	if [ "$st" != "status $want" ]; then
		diag "$name: $st, expected $want"
		show_err "$d/a.err" stderr
		not_ok "$name: unexpected exit status natively"
		continue
	fi
	same=1
	for try in 1 2 3 4 5; do
		run_native "$d/b" "$RT/$name"
		if ! cmp -s "$d/a.out" "$d/b.out" ||
			! cmp -s "$d/a.err" "$d/b.err"; then
			same=0
			break
		fi
	done
	if [ $same = 1 ]; then
		diag "$name: five more runs printed exactly the same:"
		sed -n '1,5s/^/#   /p' "$d/a.out"
		not_ok "$name: output does not vary"
	elif [ $try = 1 ]; then
		ok "$name: differs ($(wc -c <"$d/a.out") bytes)"
	else
		ok "$name: differs on attempt $try"
	fi
done
