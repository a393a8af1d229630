#!/bin/bash
# The real gdb against the fake backend over "target remote | ..." (TAP):
# registers, memory, threads, breakpoints, watchpoints, reverse
# execution to both ends of the history, monitor commands, qXfer objects,
# refused writes.
. "$(dirname "$0")/../lib/tap.sh"
fake=$TTD_ROOT/$BUILD/selftests/gdbserver/fake_server
plan 26
if ! command -v gdb >/dev/null; then
	for i in $(seq 26); do skip "gdb is not installed"; done
	exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# run_gdb OUT FAKE-ARGS -- gdb commands...
run_gdb() {
	local out=$1 args=$2 cmds=()
	shift 2
	for c in "$@"; do cmds+=(-ex "$c"); done
	timeout 120 gdb -batch -nx -ex 'set architecture i386:x86-64' \
		-ex 'set pagination off' \
		-ex "target remote | $fake $args 2>$out.server" \
		"${cmds[@]}" >"$out" 2>&1
	echo "exit $?" >>"$out"
}

# expect DESC REGEX: the transcript matches (extended regex).
expect() {
	if grep -Eq -- "$2" "$t"; then
		ok "$1"
	else
		not_ok "$1"
		diag "no match for: $2"
	fi
}

t=$work/main
run_gdb "$t" "" \
	'info registers rip' 'x/4xb 0x1000' 'info threads' \
	'stepi' 'echo after-stepi\n' 'info registers rip' \
	'reverse-stepi' 'echo after-reverse-stepi\n' 'info registers rip' \
	'break *0x1020' 'continue' \
	'reverse-continue' 'echo at-begin\n' 'info registers rip' \
	'p $eflags' 'p $xmm1.v16_int8' 'p/x $ymm0.v32_int8' \
	'p/x $orig_rax' 'p/x $fs_base' 'p $st0' 'p/x $mxcsr' \
	'monitor where' 'monitor help' 'monitor nonsense' \
	'info auxv' 'p $_siginfo.si_signo' \
	'delete' 'watch *(long *)0x3000' 'continue' 'reverse-continue' \
	'delete' 'continue' 'echo at-end\n' 'info registers rip' \
	'set var $rax = 1' 'set {char}0x1000 = 1' 'detach'
sed 's/^/# /' "$t"
expect "connects and reads rip" '^rip +0x1010 '
expect "x/4xb reads memory" '^0x1000:.0x00.0x01.0x02.0x03$'
expect "info threads: three threads with names" \
	'Thread 100.103 "worker2" 0x0+2067'
expect "info threads: the current one" '^\* 1 +Thread 100.101 "main"'
grep -A1 after-stepi "$t" | grep -q '0x1014' &&
	ok "stepi moves forward" || not_ok "stepi moves forward"
grep -A1 after-reverse-stepi "$t" | grep -q '0x1010' &&
	ok "reverse-stepi moves back" || not_ok "reverse-stepi moves back"
expect "continue stops at a breakpoint in another thread" \
	'Thread 2 "w<1>&" hit Breakpoint 1, 0x0+1020'
expect "reverse-continue reaches the beginning" \
	'^No more reverse-execution history\.'
grep -A2 at-begin "$t" | grep -q '^rip .*0x1000' &&
	ok "at the beginning rip is the first instruction" ||
	not_ok "at the beginning rip is the first instruction"
expect "eflags decoded from the description" '= \[ PF ZF IF \]'
expect "xmm1 as 16 bytes" '= \{16, 17, 18, 19, 20, 21, 22, 23, 24, 25'
expect "ymm0 joins xmm0 and ymm0h" \
	'= \{0x0, 0x1, 0x2, .*0xf, 0x80, 0x81, .*0x8f\}'
expect "orig_rax" '= 0xffffffffffffffff'
expect "fs_base" '= 0x7f0000000065'
expect "st0 as an 80-bit float" '^\$[0-9]+ = 1$'
expect "mxcsr" '= 0x1f80'
expect "monitor output" '^position 0 of 64$'
expect "monitor errors" 'unknown command: nonsense'
expect "auxv" 'AT_PAGESZ +System page size +4096'
expect "siginfo" '^\$[0-9]+ = 5$'
grep -A1 'Old value = 0' "$t" | grep -q 'New value = 1' &&
	ok "a watchpoint forward sees the write" ||
	not_ok "a watchpoint forward sees the write"
grep -A3 'Old value = 1' "$t" | grep -q 'New value = 0' &&
	ok "the watchpoint in reverse undoes the write" ||
	not_ok "the watchpoint in reverse undoes the write"
grep -B1 -A2 at-end "$t" | grep -q '0x10fc' &&
	grep -c 'No more reverse-execution history' "$t" | grep -q 2 &&
	ok "continue reaches the end of the history" ||
	not_ok "continue reaches the end of the history"
grep -q 'Could not write register "rax"' "$t" &&
	grep -q 'Cannot access memory at address 0x1000' "$t" &&
	ok "register and memory writes are refused" ||
	not_ok "register and memory writes are refused"
grep -q 'detached' "$t" && grep -q 'fake_server: end 1 ' "$t.server" &&
	ok "detach ends the session" || not_ok "detach ends the session"

t=$work/avx512
run_gdb "$t" "--avx512" 'p/x $k3' 'p $zmm0.v64_int8[40]' \
	'p $zmm31.v16_int32[0]' 'p $xmm16.v16_int8[1]' 'kill'
sed 's/^/# /' "$t"
grep -q '= 0x3$' "$t" && grep -q '^\$2 = 8$' "$t" &&
	grep -q '^\$4 = 1$' "$t" && grep -q 'fake_server: end 2' "$t.server" &&
	ok "AVX-512: k and zmm registers, kill ends the server" ||
	not_ok "AVX-512: k and zmm registers, kill ends the server"
