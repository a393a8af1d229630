# Selftests of `ttdctl record` and `ttdctl replay`: small programs whose
# output differs from run to run (time, randomness, addresses, races,
# signals, I/O timing), recorded and replayed, and real programs too.
REC_T := $(B)/selftests/record

# Test programs: plain gcc -O2, never sanitized (they run under the
# recorder), a few also static so that they have no dynamic loader.
REC_T_PROGS := $(notdir $(basename $(wildcard selftests/record/progs/r_*.c)))
REC_T_STATIC := r_rdtsc r_getrandom r_race_counter r_itimer_real \
	r_fork_wait r_aslr r_pipe_fork r_execve_self
REC_T_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -D_GNU_SOURCE \
	-pthread
# Helpers that sidefx.sh runs with arguments; not nondeterministic.
REC_T_HELPERS := $(notdir $(basename $(wildcard selftests/record/progs/s_*.c)))
REC_T_BINS := $(REC_T_PROGS:%=$(REC_T)/%) $(REC_T_HELPERS:%=$(REC_T)/%)

$(REC_T)/%: selftests/record/progs/%.c
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  CC      $@")
	$(Q)$(CC) $(REC_T_CFLAGS) $(if $(filter $*,$(REC_T_STATIC)),-static) \
		-o $@ $< -lm

ALL_TARGETS += $(REC_T_BINS)

# Each program run natively twice must print something different.
TEST_PROGS += selftests/record/native.sh

# Record and replay: the programs above, side effects and damaged
# recordings, real programs.
TEST_PROGS += selftests/record/progs.sh selftests/record/sidefx.sh \
	selftests/record/real.sh

# The system-call table, built for the host and checked against real
# calls.
RECORD_T := $(REC_T)
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
