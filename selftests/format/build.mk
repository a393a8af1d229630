# Selftests of the .ttd format: library tests, CLI tests, bounded fuzz run.
FORMAT_TEST := $(B)/selftests/format/format_test
ALL_TARGETS += $(FORMAT_TEST)
TEST_PROGS += $(FORMAT_TEST)
SAN_TEST_PROGS += $(FORMAT_TEST)

$(FORMAT_TEST): $(B)/obj/selftests/format/format_test.o $(FORMAT_LIB)
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS_USER) -o $@ $< $(FORMAT_LIB) $(FORMAT_LDLIBS)
