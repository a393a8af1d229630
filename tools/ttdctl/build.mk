# ttdctl: the CLI.  Subcommands are any tools/ttdctl/cmd_*.c; components
# that a subcommand needs add their archives to TTDCTL_LIBS.
TTD_VERSION := $(shell git describe --always --dirty 2>/dev/null || echo 0.1)
TTDCTL_SRCS := $(wildcard tools/ttdctl/*.c)
TTDCTL_OBJS := $(TTDCTL_SRCS:%.c=$(B)/obj/%.o)
CFLAGS_tools/ttdctl/ := -DTTD_VERSION='"$(TTD_VERSION)"'
TTDCTL_LIBS +=
TTDCTL_LDLIBS +=
BINS += $(B)/bin/ttdctl

$(B)/bin/ttdctl: $(TTDCTL_OBJS) $(TTDCTL_LIBS)
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS_USER) -o $@ $(TTDCTL_OBJS) $(TTDCTL_LIBS) $(TTDCTL_LDLIBS)
