#!/bin/bash
# Record and replay every program of progs/ (TAP).  For each one:
#
#   ttdctl record -o NAME.ttd -- PROG >rec.out 2>rec.err   (rec_status)
#   ttdctl replay NAME.ttd >rep.out 2>rep.err               (rep_status)
#
# ok when rep_status is 0, rep.out equals rec.out byte for byte, rec.err
# and rep.err agree, and rec_status is the program's own status: 0, or
# for r_exit_random the status it printed, for r_kill_random 128 + the
# signal it printed, for r_abort 128 + SIGABRT.
#
# ttd's own notices on stderr, lines starting with "ttd:" or "ttdctl:",
# are taken out of both stderr files before they are compared: ttdctl may
# say what it did (or found), the program's own lines must match.
#
# Each record and each replay runs under `timeout $REC_TIMEOUT` (60 s).
# REC_ONLY="r_a r_b" runs only those programs.
. "$(dirname "$0")/lib.sh"

if [ -n "$REC_ONLY" ]; then
	progs=($REC_ONLY)
else
	progs=($(rec_progs))
fi
if [ ${#progs[@]} = 0 ]; then
	plan 1
	not_ok "no test programs in $RT (make first)"
	exit 0
fi
plan $((${#progs[@]} + 3))
note_record

for name in "${progs[@]}"; do
	rec_rep "$name" printed "$RT/$name"
done

# A recording replays the same way every time, and --quiet changes
# nothing of what the program printed.
for name in r_getrandom r_race_counter8; do
	p=$WORK/$name
	if [ -n "$REC_ONLY" ] && [[ " $REC_ONLY " != *" $name "* ]]; then
		skip "$name: not in REC_ONLY"
		continue
	fi
	if [ ! -s "$p.ttd" ]; then
		not_ok "$name: replayed twice (no recording)"
		continue
	fi
	cp "$p.rep.out" "$p.first.out"
	replay "$p"
	if [ "$rep_status" = 0 ] && cmp -s "$p.first.out" "$p.rep.out"; then
		ok "$name: replayed twice, same output"
	else
		diag "$name: second replay exited $rep_status"
		show_diff "$p.first.out" "$p.rep.out"
		not_ok "$name: replayed twice"
	fi
done
p=$WORK/r_stdio_mix
replay "$p" --quiet
if [ -n "$REC_ONLY" ] && [[ " $REC_ONLY " != *" r_stdio_mix "* ]]; then
	skip "r_stdio_mix: not in REC_ONLY"
elif [ "$rep_status" = 0 ] && [ ! -s "$p.rep.out" ]; then
	ok "r_stdio_mix: replay --quiet"
else
	diag "r_stdio_mix: replay --quiet exited $rep_status"
	show_err "$p.rep.err" "replay stderr"
	not_ok "r_stdio_mix: replay --quiet"
fi
