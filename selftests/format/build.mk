# Selftests of the .ttd format: library tests, CLI tests, bounded fuzz run.
FORMAT_TEST := $(B)/selftests/format/format_test
ALL_TARGETS += $(FORMAT_TEST)
TEST_PROGS += $(FORMAT_TEST)
SAN_TEST_PROGS += $(FORMAT_TEST)

$(FORMAT_TEST): $(B)/obj/selftests/format/format_test.o $(FORMAT_LIB)
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS_USER) -o $@ $< $(FORMAT_LIB) $(FORMAT_LDLIBS)

# ttdctl info/dump on generated and damaged files.
TEST_PROGS += selftests/format/cli.sh

# The reader under libFuzzer (clang), with ASan and UBSan.  `make fuzz`
# runs it for FUZZ_TIME seconds (default 600); make check runs 30 s.
FUZZ_CC ?= clang
FUZZ_READER := $(B)/fuzz/fuzz_reader
FUZZ_LIB_SRCS := $(filter-out %/writer.c %/wio.c,$(FORMAT_SRCS))
ifneq ($(shell command -v $(FUZZ_CC) 2>/dev/null),)
ALL_TARGETS += $(FUZZ_READER)
TEST_PROGS += selftests/format/fuzz.sh
endif
$(FUZZ_READER): selftests/format/fuzz_reader.c $(FUZZ_LIB_SRCS) \
		$(wildcard libttd-user/format/*.h)
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  FUZZ    $@")
	$(Q)$(FUZZ_CC) -std=gnu11 -O1 -g -D_GNU_SOURCE -Iinclude -Ilibttd-user \
		-DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION \
		-fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=undefined -o $@ \
		selftests/format/fuzz_reader.c $(FUZZ_LIB_SRCS) -lzstd -lxxhash \
		-lpthread

FUZZ_TIME ?= 600
.PHONY: fuzz
fuzz: $(FUZZ_READER)
	@mkdir -p $(B)/fuzz/corpus $(B)/fuzz/artifacts
	cp -n selftests/format/corpus/* $(B)/fuzz/corpus/
	$(FUZZ_READER) -max_total_time=$(FUZZ_TIME) -timeout=10 \
		-rss_limit_mb=2048 -max_len=65536 \
		-artifact_prefix=$(B)/fuzz/artifacts/ $(B)/fuzz/corpus

# make bench: writer/reader throughput against zstd and write(2).
FORMAT_BENCH := $(B)/selftests/format/format_bench
ALL_TARGETS += $(FORMAT_BENCH)
BENCH_TARGETS += bench-format
$(FORMAT_BENCH): $(B)/obj/selftests/format/format_bench.o $(FORMAT_LIB)
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS_USER) -o $@ $< $(FORMAT_LIB) $(FORMAT_LDLIBS)
.PHONY: bench-format
bench-format: $(FORMAT_BENCH)
	$(FORMAT_BENCH) $(B) > Documentation/performance-format.md.tmp && \
		mv Documentation/performance-format.md.tmp \
			Documentation/performance-format.md
	@cat Documentation/performance-format.md
