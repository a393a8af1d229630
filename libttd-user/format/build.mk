# libttd-format: the .ttd recording file writer and reader.
FORMAT_SRCS := $(wildcard libttd-user/format/*.c)
FORMAT_OBJS := $(FORMAT_SRCS:%.c=$(B)/obj/%.o)
FORMAT_LIB := $(B)/lib/libttd-format.a
FORMAT_LDLIBS := -lzstd -luring -lxxhash -lpthread
CFLAGS_libttd-user/format/ := -DTTD_VERSION='"$(shell git describe --always --dirty 2>/dev/null || echo 0.1)"'
LIBS += $(FORMAT_LIB)
TTDCTL_LIBS += $(FORMAT_LIB)
TTDCTL_LDLIBS += $(FORMAT_LDLIBS)

$(FORMAT_LIB): $(FORMAT_OBJS)
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  AR      $@")
	$(Q)rm -f $@ && ar rcs $@ $^
