# Benchmarks.  `make bench-engine` runs real programs natively and under
# ttdctl run, valgrind and qemu-x86_64, and writes the engine table into
# Documentation/performance.md (BENCH_QUICK=1 for a short smoke run);
# `make bench-record` records and replays the same programs with ttdctl
# and writes the record and replay table.
BENCH_ENGINE_PROGS := $(B)/bench/bin/benchgen $(B)/bench/bin/icall
ALL_TARGETS += $(BENCH_ENGINE_PROGS)
BENCH_TARGETS += bench-engine bench-record

$(BENCH_ENGINE_PROGS): $(B)/bench/bin/%: $(B)/obj/tools/bench/engine/%.o
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS_USER) -o $@ $<

.PHONY: bench-engine
bench-engine: $(B)/bin/ttdctl $(ENGINE_SO) $(BENCH_ENGINE_PROGS)
	$(Q)BUILD=$(B) tools/bench/engine.sh

.PHONY: bench-record
bench-record: $(B)/bin/ttdctl $(ENGINE_SO) $(BENCH_ENGINE_PROGS)
	$(Q)BUILD=$(B) tools/bench/record.sh

# `make bench-gdb`: time travel in gdb over a recording of 10^9
# instructions (Documentation/performance-gdb.md).
BENCH_LONGRUN := $(B)/bench/bin/longrun
ALL_TARGETS += $(BENCH_LONGRUN)
BENCH_TARGETS += bench-gdb

$(BENCH_LONGRUN): tools/bench/gdb/longrun.c
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  CC      $@")
	$(Q)$(CC) -std=gnu11 -O1 -g -Wall -Wextra -Werror -o $@ $<

.PHONY: bench-gdb
bench-gdb: $(B)/bin/ttdctl $(ENGINE_SO) $(BENCH_LONGRUN)
	$(Q)BUILD=$(B) tools/bench/gdb.sh
