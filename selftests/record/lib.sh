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
# only (timeout's status 124, or 137 once -k had to kill it).
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

# record PREFIX CMD...: `ttdctl record -o PREFIX.ttd -- CMD`, output in
# PREFIX.rec.out and PREFIX.rec.err; sets rec_status.
record()
{
	local p=$1; shift
	capture "$p.rec" timeout -k 5 "$REC_TIMEOUT" \
		"$TTDCTL" record -o "$p.ttd" -- "$@"
	rec_status=$?
}

# replay PREFIX [OPTIONS...]: `ttdctl replay PREFIX.ttd`, output in
# PREFIX.rep.out and PREFIX.rep.err; sets rep_status.
replay()
{
	local p=$1; shift
	capture "$p.rep" timeout -k 5 "$REC_TIMEOUT" \
		"$TTDCTL" replay "$@" "$p.ttd"
	rep_status=$?
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
	have_record && return 0
	diag "$TTDCTL has no record/replay commands: every test below fails"
	return 1
}
