#!/bin/bash
# Faulting and unsupported instructions under the engine (TAP).  What the
# engine cannot run (int $0x80 from 64-bit code) must end the program
# with a message naming the instruction's address, never a crash or a
# silent divergence; faults must reach the program's handlers with the
# program's addresses in siginfo and in the saved context, and kill it
# with the same signal as natively when unhandled.
. "$(dirname "$0")/lib.sh"

plan 5
CMP_STDERR=1

capture "$WORK/int80" run_fixed timeout -k 5 60 "$TTDCTL" run -- \
	"$ET/faults" int80
rc=$?
addr=$(sed -n 's/^int $0x80 at \(0x[0-9a-f]*\)$/\1/p' "$WORK/int80.out")
if [ "$rc" != 0 ] && [ "$rc" -lt 128 ] && [ -n "$addr" ] &&
   grep -q "int.*0x80.*$addr\|$addr.*int.*0x80" "$WORK/int80.err"; then
	ok "int \$0x80: refused with a message naming $addr (exit $rc)"
else
	diag "exit $rc, address '$addr', stderr:"
	sed 's/^/#   /' "$WORK/int80.err" | head -5
	not_ok "int \$0x80: refused with a message naming the address"
fi
run_both "ud2 without a handler dies by SIGILL" "$ET/faults" ud2
run_both "ud2 with a handler: si_addr and rip" "$ET/faults" ud2-handler
run_both "int3 with a handler: rip after it" "$ET/faults" int3-handler
run_both "hlt with a handler: SIGSEGV at it" "$ET/faults" hlt-handler
