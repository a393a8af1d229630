# libttd-gdbserver: the gdb remote protocol over a backend (no engine).
GDBSERVER_SRCS := $(wildcard tools/gdbserver/*.c)
GDBSERVER_OBJS := $(GDBSERVER_SRCS:%.c=$(B)/obj/%.o)
GDBSERVER_LIB := $(B)/lib/libttd-gdbserver.a
LIBS += $(GDBSERVER_LIB)

$(GDBSERVER_LIB): $(GDBSERVER_OBJS)
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  AR      $@")
	$(Q)rm -f $@ && ar rcs $@ $^
TTDCTL_LIBS += $(GDBSERVER_LIB)
