# Helpers shared by the engine's shell selftests.  Source it.
. "$(dirname "${BASH_SOURCE[0]}")/../lib/tap.sh"
case $BUILD in /*) ET=$BUILD/selftests/engine ;;
*) ET=$TTD_ROOT/$BUILD/selftests/engine ;; esac
case $TTDCTL in /*) ;; *) TTDCTL=$PWD/$TTDCTL ;; esac
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# Run with ASLR off and a fixed, minimal environment, so that two runs
# (native, oracle, engine) see the same addresses and the same stack.
# It replaces the calling (sub)shell: call it in ( ) or a pipeline.
run_fixed()
{
	exec setarch -R env -i PATH=/usr/bin:/bin LANG=C LC_ALL=C TZ=UTC "$@"
}

# The register lines of a `--stop-at` report.
regs_only()
{
	grep -E '^(icount|rip|rflags|rax|rbx|rcx|rdx|rsi|rdi|rbp|rsp|r8|r9|r1[0-5]|fs_base) '
}

# The engine hides TSX from cpuid; the oracle runs natively.  Where the
# CPU has TSX, glibc would take other paths in the two.
cpuid_ok()
{
	! grep -qw -e rtm -e hle /proc/cpuinfo
}

# capture PREFIX CMD...: run CMD with stdout and stderr to PREFIX.out and
# PREFIX.err and stdin from $STDIN (default /dev/null); return its status.
# The shell's own "Segmentation fault" notice for a command killed by a
# signal goes nowhere, so that PREFIX.err is the command's alone.
capture()
{
	local p=$1; shift
	{ ("$@") >"$p.out" 2>"$p.err" <"${STDIN:-/dev/null}"; } 2>/dev/null
}

# run_both NAME CMD...: run CMD natively and under the engine, in $WORK,
# with the same fixed environment; compare stdout and exit status (and
# stderr when $CMP_STDERR is set).  Prints one TAP line.
run_both()
{
	local name=$1; shift
	local d=$WORK/cmp.$_tap_n rn re
	mkdir -p "$d"
	capture "$d/n" run_fixed "$@"
	rn=$?
	# A hang under the engine fails this test only (status 124).
	capture "$d/e" run_fixed timeout -k 5 "${ENGINE_TIMEOUT:-120}" \
		"$TTDCTL" run -- "$@"
	re=$?
	if [ "$rn" != "$re" ]; then
		diag "$name: exit status native $rn, engine $re"
		sed -n '1,5s/^/#   engine stderr: /p' "$d/e.err"
		not_ok "$name"
	elif ! cmp -s "$d/n.out" "$d/e.out"; then
		diag "$name: stdout differs (native $(wc -c <"$d/n.out") bytes, engine $(wc -c <"$d/e.out"))"
		diff "$d/n.out" "$d/e.out" | head -8 | sed 's/^/#   /'
		sed -n '1,5s/^/#   engine stderr: /p' "$d/e.err"
		not_ok "$name"
	elif [ -n "$CMP_STDERR" ] && ! cmp -s "$d/n.err" "$d/e.err"; then
		diag "$name: stderr differs"
		diff "$d/n.err" "$d/e.err" | head -8 | sed 's/^/#   /'
		not_ok "$name"
	else
		ok "$name (exit $rn, $(wc -c <"$d/n.out") bytes)"
	fi
}
