# Helpers shared by the record/replay selftests.  Source it.
. "$(dirname "${BASH_SOURCE[0]}")/../lib/tap.sh"
case $BUILD in /*) RT=$BUILD/selftests/record ;;
*) RT=$TTD_ROOT/$BUILD/selftests/record ;; esac
case $TTDCTL in /*) ;; *) TTDCTL=$PWD/$TTDCTL ;; esac
WORK=$(mktemp -d "${TMPDIR:-/tmp}/ttd-record.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
# abort() and friends must not leave core files behind or take long.
ulimit -c 0

# Seconds allowed for one record or one replay; a hang fails that test
# only.
REC_TIMEOUT=${REC_TIMEOUT:-60}

# The test programs, by name, sorted.
rec_progs()
{
	local f
	for f in "$RT"/r_*; do
		[ -x "$f" ] && echo "${f##*/}"
	done
}

# capture PREFIX CMD...: run CMD with stdout and stderr to PREFIX.out and
# PREFIX.err and stdin from $STDIN (default /dev/null); return its status.
# The shell's own notice for a command killed by a signal goes nowhere,
# so that PREFIX.err is the command's alone.
capture()
{
	local p=$1; shift
	{ ("$@") >"$p.out" 2>"$p.err" <"${STDIN:-/dev/null}"; } 2>/dev/null
}

# limited PREFIX SECONDS CMD...: capture CMD under timeout(1); return its
# status, and set timed_out to 1 if timeout stopped it.  The statuses
# timeout gives then, 124 (137 once -k had to kill), are ordinary exit
# statuses too: r_exit_random exits 124 one run in 128, and `ttdctl
# record` passes that on.  A run that ended before its time was up was
# not stopped, whatever its status.
limited()
{
	local p=$1 secs=$2 start=$SECONDS st
	shift 2
	capture "$p" timeout -k 5 "$secs" "$@"
	st=$?
	timed_out=0
	if [ $st = 124 ] || [ $st = 137 ]; then
		[ $((SECONDS - start)) -ge "$secs" ] && timed_out=1
	fi
	return $st
}

# record PREFIX CMD...: `ttdctl record -o PREFIX.ttd -- CMD`, output in
# PREFIX.rec.out and PREFIX.rec.err; sets rec_status and rec_timed_out.
record()
{
	local p=$1; shift
	limited "$p.rec" "$REC_TIMEOUT" "$TTDCTL" record -o "$p.ttd" -- "$@"
	rec_status=$?
	rec_timed_out=$timed_out
}

# replay PREFIX [OPTIONS...]: `ttdctl replay PREFIX.ttd`, output in
# PREFIX.rep.out and PREFIX.rep.err; sets rep_status and rep_timed_out.
replay()
{
	local p=$1; shift
	limited "$p.rep" "$REC_TIMEOUT" "$TTDCTL" replay "$@" "$p.ttd"
	rep_status=$?
	rep_timed_out=$timed_out
}

# The replay may add its own notices to stderr: lines that start with
# "ttd:" or "ttdctl:".  Everything else must be the program's.
strip_notices()
{
	grep -av -e '^ttd:' -e '^ttdctl:' "$1"
}

# The exit status a program of progs/ gives natively, judged from its
# output: r_exit_random prints "exit status N", r_kill_random "signal N"
# (128 + N in the shell's terms), r_abort dies of SIGABRT; 0 otherwise.
expected_status()
{
	local name=$1 out=$2 v
	case $name in
	r_exit_random)
		v=$(sed -n 's/^exit status \([0-9]*\)$/\1/p' "$out" | head -1)
		echo "${v:-none}" ;;
	r_kill_random)
		v=$(sed -n 's/^signal \([0-9]*\)$/\1/p' "$out" | head -1)
		[ -n "$v" ] && echo $((128 + v)) || echo none ;;
	r_abort) echo 134 ;;
	*) echo 0 ;;
	esac
}

# show_diff A B: the first lines of a diff, as TAP comments.
show_diff()
{
	diff -a "$1" "$2" | head -${3:-8} | sed 's/^/#   /'
}

# show_err FILE WHAT: the first lines of FILE, as TAP comments.
show_err()
{
	sed -n "1,${3:-5}s/^/#   $2: /p" "$1"
}

# Does this ttdctl have record and replay at all?  Tells once, so that
# the failures that follow are not a mystery.
have_record()
{
	"$TTDCTL" help record >/dev/null 2>&1 &&
		"$TTDCTL" help replay >/dev/null 2>&1
}
note_record()
{
	REC_HAVE=1
	have_record && return 0
	REC_HAVE=0
	diag "$TTDCTL has no record/replay commands: every test below fails"
	return 1
}

# same_stderr A B: the two stderr files agree once the notices of ttd and
# ttdctl are taken out of both.
same_stderr()
{
	cmp -s <(strip_notices "$1") <(strip_notices "$2")
}

# rec_rep NAME WANT CMD...: record CMD into $WORK/NAME.ttd, replay it, and
# print one TAP line: ok when the recorded run exited WANT (a number, or
# "any"; "printed" for a value only known from the output: see
# expected_status), the replay exited 0, and the replay printed the
# recorded run's stdout byte for byte and its stderr up to the notices.
rec_rep()
{
	local name=$1 want=$2 p=$WORK/$1; shift 2
	record "$p" "$@"
	replay "$p"
	[ "$want" = printed ] && want=$(expected_status "$name" "$p.rec.out")
	if [ "$rec_timed_out" = 1 ]; then
		diag "$name: record timed out after ${REC_TIMEOUT}s"
		show_err "$p.rec.err" "record stderr"
		not_ok "$name"
	elif [ "$want" != any ] && [ "$rec_status" != "$want" ]; then
		diag "$name: record exited $rec_status, the program's own status is $want"
		show_err "$p.rec.err" "record stderr"
		not_ok "$name"
	elif [ ! -s "$p.ttd" ]; then
		diag "$name: no recording written"
		show_err "$p.rec.err" "record stderr"
		not_ok "$name"
	elif [ "$rep_status" != 0 ]; then
		diag "$name: replay exited $rep_status$([ "$rep_timed_out" = 1 ] && echo " (timed out)")"
		show_err "$p.rep.err" "replay stderr" 8
		not_ok "$name"
	elif ! cmp -s "$p.rec.out" "$p.rep.out"; then
		diag "$name: stdout differs (recorded $(wc -c <"$p.rec.out") bytes, replayed $(wc -c <"$p.rep.out"))"
		show_diff "$p.rec.out" "$p.rep.out"
		not_ok "$name"
	elif ! same_stderr "$p.rec.err" "$p.rep.err"; then
		diag "$name: stderr differs"
		show_diff <(strip_notices "$p.rec.err") <(strip_notices "$p.rep.err")
		not_ok "$name"
	else
		ok "$name (exit $rec_status, $(wc -c <"$p.rec.out") bytes, recording $(wc -c <"$p.ttd") bytes)"
	fi
}
