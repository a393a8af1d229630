# Selftests of debugging recordings with gdb: small programs recorded,
# then driven forwards and backwards by the real gdb.
GDB_T := $(B)/selftests/gdb
GDB_T_PROGS := $(notdir $(basename $(wildcard selftests/gdb/progs/g_*.c)))
# -O0 so that every line has code of its own to stop at.
GDB_T_CFLAGS := -std=gnu11 -O0 -g -Wall -Wextra -Werror -D_GNU_SOURCE \
	-pthread
GDB_T_BINS := $(GDB_T_PROGS:%=$(GDB_T)/%)

$(GDB_T)/%: selftests/gdb/progs/%.c
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  CC      $@")
	$(Q)$(CC) $(GDB_T_CFLAGS) -o $@ $<

ALL_TARGETS += $(GDB_T_BINS)
TEST_PROGS += selftests/gdb/gdb.sh
