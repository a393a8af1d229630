# The supervisor's side of recording and replay: event rings shared with
# the engines, drained into or fed from recording files.
SESSION_SRCS := $(wildcard libttd-user/session/*.c)
SESSION_OBJS := $(SESSION_SRCS:%.c=$(B)/obj/%.o)
SESSION_LIB := $(B)/lib/libttd-session.a
LIBS += $(SESSION_LIB)
# Before the libraries it uses, for the static link.
TTDCTL_LIBS := $(SESSION_LIB) $(TTDCTL_LIBS)

$(SESSION_LIB): $(SESSION_OBJS)
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  AR      $@")
	$(Q)rm -f $@ && ar rcs $@ $^
