# Differential test of the engine's x86-64 decoder against Zydis.  The
# decoder is compiled here a second time, as ordinary user-space code, so
# that the test does not depend on how the engine itself is built.
DECODE_DIFF := $(B)/selftests/decode/decode-diff
DECODE_DIFF_OBJS := $(B)/obj/selftests/decode/decode_diff.o \
	$(B)/obj/selftests/decode/decode-host.o
DECODE_DIFF_FILES := /lib/x86_64-linux-gnu/libc.so.6 \
	/lib64/ld-linux-x86-64.so.2 /usr/bin/python3.11 \
	/usr/lib/x86_64-linux-gnu/libpython3.11.so.1.0 \
	/usr/lib/gcc/x86_64-linux-gnu/12/cc1 \
	/usr/lib/x86_64-linux-gnu/libstdc++.so.6 /usr/bin/perl \
	/usr/lib/x86_64-linux-gnu/libcrypto.so.3 \
	/usr/lib/x86_64-linux-gnu/libz.so.1
DECODE_DIFF_CMD := $(DECODE_DIFF) --sweep --random 2000000 --seed 1 \
	$(DECODE_DIFF_FILES)

$(B)/obj/selftests/decode/decode-host.o: libttd-user/engine/x86/decode.c
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  CC      $<")
	$(Q)$(CC) $(CFLAGS_USER) -MMD -MP -c -o $@ $<

$(DECODE_DIFF): $(DECODE_DIFF_OBJS)
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS_USER) -o $@ $(DECODE_DIFF_OBJS) -lZydis

ALL_TARGETS += $(DECODE_DIFF)
TEST_PROGS += "$(DECODE_DIFF_CMD)"
SAN_TEST_PROGS += "$(DECODE_DIFF_CMD)"
