# Selftests of the gdb remote protocol layer: framing and dispatch over a
# socketpair, the real gdb against a fake backend, a bounded fuzz run.
GDBS_TEST := $(B)/selftests/gdbserver/gdbserver_test
GDBS_FAKE := $(B)/selftests/gdbserver/fake_server
GDBS_FAKE_OBJ := $(B)/obj/selftests/gdbserver/fake.o
CFLAGS_selftests/gdbserver/ := -Itools
ALL_TARGETS += $(GDBS_TEST) $(GDBS_FAKE)
TEST_PROGS += $(GDBS_TEST) selftests/gdbserver/gdb.sh
SAN_TEST_PROGS += $(GDBS_TEST) selftests/gdbserver/gdb.sh

$(GDBS_TEST): $(B)/obj/selftests/gdbserver/gdbserver_test.o $(GDBS_FAKE_OBJ) \
		$(GDBSERVER_LIB)
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS_USER) -o $@ $^ -lpthread

$(GDBS_FAKE): $(B)/obj/selftests/gdbserver/fake_server.o $(GDBS_FAKE_OBJ) \
		$(GDBSERVER_LIB)
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS_USER) -o $@ $^

# The packet parser and dispatcher under libFuzzer (clang), with ASan
# and UBSan.  `make fuzz-gdbserver` runs it for FUZZ_TIME seconds;
# make check runs 20 s.
FUZZ_CC ?= clang
FUZZ_TIME ?= 600
GDBS_FUZZER := $(B)/fuzz/fuzz_gdbserver
ifneq ($(shell command -v $(FUZZ_CC) 2>/dev/null),)
ALL_TARGETS += $(GDBS_FUZZER)
TEST_PROGS += selftests/gdbserver/fuzz.sh
endif
$(GDBS_FUZZER): selftests/gdbserver/fuzz_server.c selftests/gdbserver/fake.c \
		$(GDBSERVER_SRCS) $(wildcard tools/gdbserver/*.h) \
		selftests/gdbserver/fake.h
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  FUZZ    $@")
	$(Q)$(FUZZ_CC) -std=gnu11 -O1 -g -D_GNU_SOURCE -Itools \
		-DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION \
		-fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=undefined -o $@ \
		selftests/gdbserver/fuzz_server.c selftests/gdbserver/fake.c \
		$(GDBSERVER_SRCS)

.PHONY: fuzz-gdbserver
fuzz-gdbserver: $(GDBS_FUZZER)
	@mkdir -p $(B)/fuzz/gdbserver-corpus $(B)/fuzz/gdbserver-artifacts
	cp -n selftests/gdbserver/corpus/* $(B)/fuzz/gdbserver-corpus/
	$(GDBS_FUZZER) -max_total_time=$(FUZZ_TIME) -timeout=10 \
		-rss_limit_mb=2048 -max_len=65536 \
		-artifact_prefix=$(B)/fuzz/gdbserver-artifacts/ \
		$(B)/fuzz/gdbserver-corpus
