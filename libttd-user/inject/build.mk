# The injector: ptrace-based, used by ttdctl (and later ttdd) to start the
# engine inside a process.
INJECT_SRCS := $(wildcard libttd-user/inject/*.c)
INJECT_OBJS := $(INJECT_SRCS:%.c=$(B)/obj/%.o)
INJECT_LIB := $(B)/lib/libttd-inject.a
LIBS += $(INJECT_LIB)
TTDCTL_LIBS += $(INJECT_LIB)

$(INJECT_LIB): $(INJECT_OBJS)
	@mkdir -p $(dir $@)
	$(Q)rm -f $@ && ar rcs $@ $^
