# Selftests of the DBT engine: real programs, signals, self-modifying
# code and faults compared with native runs, and exact instruction counts
# and stop points compared with a single-stepping oracle.
ENGINE_T := $(B)/selftests/engine
ENGINE_T_ORACLE := $(ENGINE_T)/oracle
ENGINE_T_ORACLE_OBJS := $(B)/obj/selftests/engine/oracle.o \
	$(B)/obj/selftests/engine/decode-host.o

# Test programs: plain gcc -O2, never sanitized (they run under the
# engine), some static so that they have no dynamic loader at all.
ENGINE_T_PROGS := $(notdir $(basename $(wildcard selftests/engine/progs/*.c)))
ENGINE_T_STATIC := o_rep o_loop o_cpuid o_threads o_sig o_super o_unroll o_flags \
	static_hello
ENGINE_T_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wno-clobbered \
	-Wno-unused-parameter -D_GNU_SOURCE -fno-strict-aliasing
# No libc at all: a handful of instructions, each one accounted for.
ENGINE_T_NOLIBC := o_sigmin
ENGINE_T_BINS := $(ENGINE_T_PROGS:%=$(ENGINE_T)/%)

$(ENGINE_T)/%: selftests/engine/progs/%.c
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  CC      $@")
	$(Q)$(CC) $(ENGINE_T_CFLAGS) $(if $(filter $*,$(ENGINE_T_STATIC)),-static) \
		$(if $(filter $*,$(ENGINE_T_NOLIBC)),-static -nostdlib,-lpthread) \
		-o $@ $<

# The oracle decodes with the engine's own decoder, built as user code.
$(B)/obj/selftests/engine/decode-host.o: libttd-user/engine/x86/decode.c
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  CC      $<")
	$(Q)$(CC) $(CFLAGS_USER) -MMD -MP -c -o $@ $<

$(ENGINE_T_ORACLE): $(ENGINE_T_ORACLE_OBJS)
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS_USER) -o $@ $(ENGINE_T_ORACLE_OBJS)

ALL_TARGETS += $(ENGINE_T_ORACLE) $(ENGINE_T_BINS)

TEST_PROGS += selftests/engine/programs.sh
TEST_PROGS += selftests/engine/oracle.sh
TEST_PROGS += selftests/engine/signals.sh
TEST_PROGS += selftests/engine/smc.sh
TEST_PROGS += selftests/engine/faults.sh
