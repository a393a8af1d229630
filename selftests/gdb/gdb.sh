#!/bin/bash
# Reverse debugging of real recordings with the real gdb (TAP): a heap
# corruption found backwards from the crash with a watchpoint, stepping
# both ways across calls, a signal handler and thread switches,
# breakpoint hit counts in both directions, threads and their
# registers, vector registers, the libraries and auxv, refused writes,
# hostile packets, TCP and `ttdctl debug`.
. "$(dirname "$0")/../lib/tap.sh"
progs=$TTD_ROOT/$BUILD/selftests/gdb
src=$TTD_ROOT/selftests/gdb/progs
N=43
plan $N
if ! command -v gdb >/dev/null; then
	for i in $(seq $N); do skip "gdb is not installed"; done
	exit 0
fi
work=$(mktemp -d)
[ -n "$GDB_T_KEEP" ] || trap 'rm -rf "$work"' EXIT

# The line of PROG's source that carries the comment /* MARK */.
line() {
	grep -n "/\* $2 \*/" "$src/$1.c" | cut -d: -f1
}

# record PROG [STATUS]: record PROG, which must exit with STATUS (0).
# g_heap dies of SIGSEGV by design, and so does the recorder with it; the
# shell's report of that death is not news, so it goes to /dev/null too.
record() {
	local want=${2:-0} rc
	{ "$TTDCTL" record -o "$work/$1.ttd" -- "$progs/$1" >/dev/null 2>&1; } \
		2>/dev/null
	rc=$?
	[ "$rc" = "$want" ] && return 0
	diag "recording $1 exited with status $rc, not $want"
	return 1
}

# run_gdb OUT PROG cmds...: gdb on PROG's recording, in batch mode.
run_gdb() {
	local out=$1 prog=$2 cmds=()
	shift 2
	for c in "$@"; do cmds+=(-ex "$c"); done
	timeout 300 gdb -batch -nx -ex 'set pagination off' \
		-ex 'set confirm off' \
		-ex "target remote | $TTDCTL replay --gdb-stdio $work/$prog.ttd" \
		"${cmds[@]}" "$progs/$prog" >"$out" 2>&1
	echo "exit $?" >>"$out"
}

# after MARK REGEX: the transcript, after "@@MARK" (up to the next
# marker), matches REGEX.
after() {
	sed -n "/^@@$1\$/,/^@@/p" "$t" | grep -Eq -- "$2"
}

# expect DESC MARK REGEX
expect() {
	if after "$2" "$3"; then
		ok "$1"
	else
		not_ok "$1"
		diag "after @@$2, no match for: $3"
		sed -n "/^@@$2\$/,/^@@/p" "$t" | head -20 | sed 's/^/#   /'
	fi
}

record g_heap 139
for p in g_calls g_threads g_procs g_spin; do
	record $p
done

# ---- a heap pointer corrupted, found from the crash ----
t=$work/heap
heap_cmds=(
	'echo @@crash\n' 'continue' 'bt 1'
	'watch -l r->link' 'echo @@rc1\n' 'reverse-continue'
	'echo @@rc2\n' 'reverse-continue'
	'delete' 'echo @@start\n' 'reverse-continue' 'monitor when'
	'break fill' 'continue' 'watch -l r->link' 'echo @@fwd\n' 'continue'
	'echo @@end\n'
)
run_gdb "$t" g_heap "${heap_cmds[@]}"
expect "the crash stops at the bad dereference" crash \
	"received signal SIGSEGV|^$(line g_heap CRASH)[[:space:]]"
expect "watch -l and reverse-continue stop at the corrupting line" rc1 \
	"^$(line g_heap CORRUPT)[[:space:]].*CORRUPT"
expect "the watchpoint shows the pointer before and after the write" rc1 \
	'Old value = \(struct node \*\) 0xfa7'
expect "going back further finds where the pointer was set" rc2 \
	"^$(line g_heap LINK)[[:space:]].*LINK"
expect "reverse-continue to the start: no more history" start \
	'No more reverse-execution history'
expect "the start is instruction 0" start '^Current instruction: 0$'
expect "a watchpoint going forward stops after the write" fwd \
	'New value = \(struct node \*\) 0xfa7'
run_gdb "$t.2" g_heap "${heap_cmds[@]}"
if diff -q "$t" "$t.2" >/dev/null; then
	ok "the same gdb script gives the same transcript twice"
else
	not_ok "the same gdb script gives the same transcript twice"
	diff "$t" "$t.2" | head -20 | sed 's/^/#   /'
fi

# ---- stepping both ways: calls, a signal handler, hit counts ----
t=$work/calls
run_gdb "$t" g_calls 'handle SIGUSR1 nostop noprint pass' \
	"break g_calls.c:$(line g_calls AFTER)" 'continue' \
	'echo @@rstep\n' 'reverse-step' \
	'echo @@rfinish\n' 'reverse-finish' \
	'next' 'echo @@rnext\n' 'reverse-next' \
	'delete' "break g_calls.c:$(line g_calls HANDLER)" \
	'echo @@handler\n' 'continue' \
	'echo @@rhandler\n' 'reverse-step' 'bt' \
	'delete' "break g_calls.c:$(line g_calls BACK)" 'continue' \
	'echo @@rraise\n' 'reverse-next' \
	'delete' 'break leaf' 'echo @@hits\n' \
	'continue' 'continue' 'continue' 'continue' 'continue' \
	'info breakpoints' 'echo @@rhits\n' \
	'reverse-continue' 'p x' 'reverse-continue' 'p x' \
	'info breakpoints' \
	'delete' 'break marker' 'continue' 'echo @@vec\n' \
	'p $ymm1.v8_int32' 'p $ymm2.v8_int32' 'echo @@end\n'
expect "reverse-next steps back over a call" rnext \
	"^$(line g_calls CALL)[[:space:]].*CALL"
expect "reverse-step enters the call at its end" rstep \
	'^mid \(x=3\) at .*g_calls\.c:'
expect "reverse-finish returns to the call site" rfinish \
	"^$(line g_calls CALL)[[:space:]].*CALL"
expect "a breakpoint in the signal handler" handler \
	"^$(line g_calls HANDLER)[[:space:]].*HANDLER"
if after rhandler 'raise' && ! after rhandler '^#0 .*on_usr1' &&
	after rhandler ' main \(\)'; then
	ok "reverse-step from the handler goes back into the interrupted code"
else
	not_ok "reverse-step from the handler goes back into the interrupted code"
fi
expect "reverse-next steps back over the signal and its handler" rraise \
	"^$(line g_calls RAISE)[[:space:]].*RAISE"
expect "breakpoints going forward see each call" hits \
	'leaf \(x=4\)'
expect "the hit count counts forward hits" hits 'already hit 5 times'
if after rhits '^\$[0-9]+ = 3$' && after rhits '^\$[0-9]+ = 2$' &&
	after rhits 'already hit 7 times'; then
	ok "breakpoints going backward hit in reverse order and count"
else
	not_ok "breakpoints going backward hit in reverse order and count"
fi
expect "AVX registers of the replayed program (all ones)" vec \
	'= \{-1, -1, -1, -1, -1, -1, -1, -1\}'
expect "AVX registers of the replayed program (zeros)" vec \
	'= \{0, 0, 0, 0, 0, 0, 0, 0\}'

# ---- threads ----
t=$work/threads
run_gdb "$t" g_threads "break g_threads.c:$(line g_threads WORK)" \
	'continue' 'echo @@second\n' 'continue' 'info threads' \
	'echo @@sp\n' 'thread apply all p/x $sp' \
	'echo @@main\n' 'thread 1' 'bt' \
	'echo @@cur\n' 'thread' 'delete' \
	"break g_threads.c:$(line g_threads DONE)" 'continue' \
	'echo @@done\n' 'thread' 'echo @@rfin\n' 'reverse-finish' 'thread' \
	'bt 1' 'monitor when' 'monitor goto 150000' \
	'maintenance flush register-cache' 'echo @@goto\n' 'info threads' \
	'echo @@end\n'
if after second 'hit Breakpoint 1, work \(id=' &&
	[ "$(sed -n '/^@@second$/,/^@@/p' "$t" |
		grep -Ec '^[ *] +[0-9]+ +Thread [0-9]+\.[0-9]+')" -eq 5 ]; then
	ok "a breakpoint in a worker; all five threads listed"
else
	not_ok "a breakpoint in a worker; all five threads listed"
fi
n=$(sed -n '/^@@sp$/,/^@@/p' "$t" | grep -Eo '= 0x[0-9a-f]+' | sort -u | wc -l)
check "each thread has its own registers ($n stack pointers)" [ "$n" -eq 5 ]
expect "the main thread's stack at the same moment" main ' main \(\)'
fin_thread=$(sed -n '/^@@done$/,/^@@/p' "$t" | grep -o 'Current thread is [0-9]*')
if [ -n "$fin_thread" ] && after rfin "$fin_thread" && after rfin ' run \('; then
	ok "reverse-finish across thread switches stays in the thread"
else
	not_ok "reverse-finish across thread switches stays in the thread"
fi
expect "monitor goto to any instruction; threads there" goto \
	'Thread [0-9]+\.[0-9]+'

# ---- one process of several: a forked child, an exec'd one ----
pids=($("$TTDCTL" info "$work/g_procs.ttd" |
	awk '$2 == "process" { print $3 }'))
t=$work/procs
debug_pid() {
	timeout 120 "$TTDCTL" debug --pid "$1" "$work/g_procs.ttd" -- -batch \
		-nx -ex 'break child_work' -ex continue -ex 'bt' \
		-ex 'info inferiors' >"$t.$1" 2>&1
}
if [ ${#pids[@]} -eq 3 ] && debug_pid "${pids[1]}" && debug_pid "${pids[2]}"; then
	t1=$t.${pids[1]} t2=$t.${pids[2]}
	check "--pid: the forked child's own breakpoint hit" \
		grep -q 'child_work (k=1)' "$t1"
	check "--pid: the child that exec'd, from its new image" \
		grep -q 'child_work (k=7)' "$t2"
	check "--pid: gdb finds the exec'd program and its arguments" \
		grep -Eq 'main \(argc=2' "$t2"
else
	for i in 1 2 3; do not_ok "--pid (pids: ${pids[*]})"; done
fi

# ---- following forks in one session ----
t=$work/forks
run_gdb "$t" g_procs 'echo @@detach\n' 'break child_work' 'continue' \
	'echo @@both\n' 'set detach-on-fork off' 'monitor goto 0' \
	'maintenance flush register-cache' 'info inferiors' \
	'echo @@none\n' 'echo @@end\n'
expect "a fork: gdb lets the child go by default" detach \
	'Detaching after fork from child process'
expect "...and the parent runs to its end" detach \
	'No more reverse-execution history'
t=$work/forks2
run_gdb "$t" g_procs 'set detach-on-fork off' 'break child_work' \
	'continue' 'echo @@inferiors\n' 'info inferiors' 'inferior 2' \
	'echo @@child\n' 'continue' 'bt 2' 'echo @@childback\n' \
	'reverse-continue' 'echo @@end\n'
if after inferiors 'process [0-9]+.*g_procs' &&
	[ "$(sed -n '/^@@inferiors$/,/^@@/p' "$t" | grep -c '  process ')" -ge 1 ] &&
	after child 'hit Breakpoint 1\.[0-9], child_work \(k=1\)'; then
	ok "detach-on-fork off: both processes, the child's own breakpoint"
else
	not_ok "detach-on-fork off: both processes, the child's own breakpoint"
fi
expect "the child's history begins at its fork" childback \
	'No more reverse-execution history'
t=$work/forks3
run_gdb "$t" g_procs 'set follow-fork-mode child' 'break child_work' \
	'echo @@follow\n' 'continue' 'info inferiors' 'echo @@end\n'
expect "follow-fork-mode child: gdb goes on in the child" follow \
	'Thread 2\.1 hit Breakpoint 1, child_work \(k=1\)'

# ---- what gdb reads besides registers and memory ----
t=$work/objects
run_gdb "$t" g_heap 'break fill' 'continue' 'echo @@libs\n' \
	'info sharedlibrary' 'echo @@auxv\n' 'info auxv' \
	'echo @@write\n' 'set var $rax = 1' 'set var r->vals[0] = 1' \
	'echo @@end\n'
expect "the libraries come from the replayed link map" libs \
	'libc\.so\.6'
expect "auxv of the recorded process" auxv 'AT_PHDR'
if after write 'Could not write register' &&
	after write 'Cannot access memory'; then
	ok "register and memory writes are refused"
else
	not_ok "register and memory writes are refused"
fi

# ---- hostile packets on the replay's server ----
pkt() {
	local d=$1 s=0 i
	for ((i = 0; i < ${#d}; i++)); do
		s=$(((s + $(printf '%d' "'${d:i:1}")) % 256))
	done
	printf '$%s#%02x' "$d" "$s"
}
t=$work/hostile
{
	printf '$m0,4#00'
	pkt QStartNoAckMode
	printf '+'
	pkt "m$(head -c 20000 /dev/zero | tr '\0' a)"
	pkt 'mzz,4'
	pkt 'm0,ffffffffffffffff'
	pkt 'M0,4:00000000'
	pkt 'Z2,0,100000'
	pkt 'vCont;x'
	pkt 'qXfer:features:read:target.xml:ffffffffffff,ffffffff'
	pkt '?'
	pkt 'k'
} >"$t.in"
timeout 120 "$TTDCTL" replay --gdb-stdio "$work/g_heap.ttd" <"$t.in" \
	>"$t" 2>"$t.err"
rc=$?
check "a bad checksum is refused" [ "$(head -c 1 "$t")" = - ]
check "an overlong packet gets an error" grep -q 'E0' "$t"
check "bad hex and huge lengths get errors, not crashes" \
	[ "$(grep -o '\$E[0-9.]' "$t" | wc -l)" -ge 3 ]
check "the server still answers afterwards" grep -q 'T05thread' "$t"
check "no crash, no hang (exit $rc)" [ "$rc" -lt 124 ]

# ---- gdb's Ctrl-C while the replay runs ----
t=$work/interrupt
{
	pkt 'vCont;c'
	sleep 0.5
	printf '\003'
	sleep 2
	pkt 'k'
} | timeout 120 "$TTDCTL" replay --gdb-stdio "$work/g_spin.ttd" >"$t" 2>&1
check "an interrupt stops a running replay (SIGINT stop reply)" \
	grep -q 'T02thread' "$t"

# ---- TCP and ttdctl debug ----
t=$work/tcp
port=$((20000 + RANDOM % 20000))
"$TTDCTL" replay --gdb "127.0.0.1:$port" "$work/g_heap.ttd" \
	2>"$t.server" &
srv=$!
for i in $(seq 50); do
	grep -q waiting "$t.server" 2>/dev/null && break
	sleep 0.1
done
timeout 120 gdb -batch -nx -ex "target remote 127.0.0.1:$port" \
	-ex continue -ex kill "$progs/g_heap" >"$t" 2>&1
wait $srv
expect_tcp() { grep -q 'received signal SIGSEGV' "$t"; }
check "--gdb serves gdb over TCP" expect_tcp
t=$work/debug
timeout 120 "$TTDCTL" debug "$work/g_heap.ttd" -- -batch -nx \
	-ex continue -ex 'ttd-when' >"$t" 2>&1
debug_ok() {
	grep -q 'received signal SIGSEGV' "$t" &&
		grep -q '^Current instruction: [1-9]' "$t"
}
check "ttdctl debug starts gdb on the recording" debug_ok
