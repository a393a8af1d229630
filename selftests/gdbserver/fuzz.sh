#!/bin/bash
# Bounded libFuzzer run of the gdb packet parser and dispatcher (TAP).
#   FUZZ_TIME=seconds (default 20)
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/fuzz.sh"
fuzz_run gdbserver fuzz_gdbserver gdbserver/corpus 16384 \
	"${FUZZ_TIME:-20}" "gdb packet handling"
