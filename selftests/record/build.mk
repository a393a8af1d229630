# Selftests of the recorder: the system-call table, built for the host
# and checked against real calls.
RECORD_T := $(B)/selftests/record
SYSTAB_TEST := $(RECORD_T)/systab_test
SYSTAB_TEST_OBJS := $(B)/obj/selftests/record/systab_test.o \
	$(B)/obj/selftests/record/systab-host.o

# The table is freestanding engine code; on the host it only needs the
# engine's headers, and the test supplies app_read().
$(B)/obj/selftests/record/systab-host.o: libttd-user/record/systab.c
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  CC      $<")
	$(Q)$(CC) $(CFLAGS_USER) -Ilibttd-user/engine -MMD -MP -c -o $@ $<

$(SYSTAB_TEST): $(SYSTAB_TEST_OBJS)
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS_USER) -o $@ $(SYSTAB_TEST_OBJS)

ALL_TARGETS += $(SYSTAB_TEST)
TEST_PROGS += $(SYSTAB_TEST)
SAN_TEST_PROGS += $(SYSTAB_TEST)
