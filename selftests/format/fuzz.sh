#!/bin/bash
# Bounded libFuzzer run of the .ttd reader over the seed corpus (TAP).
#   FUZZ_TIME=seconds (default 30)
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/fuzz.sh"
fuzz_run reader fuzz_reader format/corpus 65536 "${FUZZ_TIME:-30}" reader
