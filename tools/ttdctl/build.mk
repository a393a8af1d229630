# ttdctl: the CLI.  Subcommands are any tools/ttdctl/cmd_*.c; components
# that a subcommand needs add their archives to TTDCTL_LIBS.
TTD_VERSION := $(shell git describe --always --dirty 2>/dev/null || echo 0.1)
TTDCTL_SRCS := $(wildcard tools/ttdctl/*.c)
TTDCTL_OBJS := $(TTDCTL_SRCS:%.c=$(B)/obj/%.o)
CFLAGS_tools/ttdctl/ := -DTTD_VERSION='"$(TTD_VERSION)"' -Itools
TTDCTL_LIBS +=
TTDCTL_LDLIBS +=
BINS += $(B)/bin/ttdctl

$(B)/bin/ttdctl: $(TTDCTL_OBJS) $(TTDCTL_LIBS)
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS_USER) -o $@ $(TTDCTL_OBJS) $(TTDCTL_LIBS) $(TTDCTL_LDLIBS)

# gdb commands that `ttdctl debug` loads.
TTD_GDBINIT := $(B)/lib/ttd/ttd.gdb
ALL_TARGETS += $(TTD_GDBINIT)
INSTALL_LIBEXEC += $(TTD_GDBINIT)

$(TTD_GDBINIT): tools/ttdctl/ttd.gdb
	@mkdir -p $(dir $@)
	$(Q)cp $< $@
