#!/bin/bash
# Signals under the engine (TAP): handlers, siginfo, alternate stacks,
# faults recovered with siglongjmp, timers, queued real-time signals,
# per-thread delivery, SA_RESTART/EINTR, SA_RESETHAND/SA_NODEFER,
# sigsuspend, masks, and death by a signal must look exactly as natively
# (stdout, stderr, exit status).
. "$(dirname "$0")/lib.sh"

cases="siginfo altstack segv fpe alarm rt thread restart eintr resethand
nodefer sigsuspend masks abort killself nullderef"
plan $(($(wc -w <<<"$cases") + 3))
CMP_STDERR=1
# Nothing here runs longer than a second natively; a hang fails fast.
ENGINE_TIMEOUT=20
for c in $cases; do
	run_both "signals $c" "$ET/signals" "$c"
done
run_both "shell: kill -SEGV \$\$ gives status 139" bash -c 'kill -SEGV $$'
run_both "shell: a child's death by SIGABRT seen as 134" bash -c \
	'{ "$0" abort; } 2>/dev/null; echo "status $?"' "$ET/signals"
run_both "two queued instances of one real-time signal" "$ET/rt_queue"
