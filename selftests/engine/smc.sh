#!/bin/bash
# Self-modifying code under the engine (TAP): code rewritten in RWX pages,
# across mprotect transitions, on the page that is running, inside the
# running block, and through a second (writable) mapping of the same
# memory must run exactly as natively.
. "$(dirname "$0")/lib.sh"

cases="rwx mprotect samepage sameblock dualmap"
plan $(wc -w <<<"$cases")
CMP_STDERR=1
# Nothing here runs longer than a second natively; a hang fails fast.
ENGINE_TIMEOUT=20
for c in $cases; do
	run_both "smc $c" "$ET/smc" "$c"
done
