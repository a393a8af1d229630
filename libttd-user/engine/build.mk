# The freestanding DBT engine, linked as a position-independent image
# ($(B)/lib/ttd/ttd-engine.so) that the injector maps into a process.
# No libc, no vector registers, no stack protector, no dynamic symbols
# it depends on: it runs inside programs that may be in any state.
ENGINE_DIR := libttd-user/engine
ENGINE_SRCS := $(wildcard $(ENGINE_DIR)/*.c $(ENGINE_DIR)/x86/*.c \
	$(ENGINE_DIR)/linux/*.c) \
	$(wildcard libttd-user/record/*.c libttd-user/replay/*.c)
ENGINE_ASM := $(wildcard $(ENGINE_DIR)/x86/*.S)
ENGINE_OBJS := $(ENGINE_SRCS:%.c=$(B)/eobj/%.o) $(ENGINE_ASM:%.S=$(B)/eobj/%.o)
ENGINE_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wno-unused-parameter \
	-ffreestanding -fno-builtin -fPIC -fvisibility=hidden \
	-fno-stack-protector -fno-stack-clash-protection -mgeneral-regs-only \
	-fcf-protection=none -fno-asynchronous-unwind-tables -fno-plt \
	-fno-strict-aliasing -mno-red-zone -I$(ENGINE_DIR) -Ilibttd-user/record -Ilibttd-user \
	-Iinclude
ENGINE_SO := $(B)/lib/ttd/ttd-engine.so
ALL_TARGETS += $(ENGINE_SO)
INSTALL_LIBEXEC += $(ENGINE_SO)

$(B)/eobj/%.o: %.c
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  CC [E]  $<")
	$(Q)$(CC) $(ENGINE_CFLAGS) -MMD -MP -c -o $@ $<

$(B)/eobj/%.o: %.S
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  AS [E]  $<")
	$(Q)$(CC) $(ENGINE_CFLAGS) -MMD -MP -c -o $@ $<

$(ENGINE_SO): $(ENGINE_OBJS)
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  LD [E]  $@")
	$(Q)$(CC) -nostdlib -shared -Wl,-Bsymbolic -Wl,-z,noexecstack \
		-Wl,--no-undefined -Wl,-z,max-page-size=4096 \
		-Wl,-e,ttd_engine_entry -Wl,--hash-style=gnu -o $@ $(ENGINE_OBJS)
	$(Q)if readelf -r $@ | grep -q 'R_X86_64_\(GLOB_DAT\|JUMP_SLOT\|64 \)'; then \
		echo "engine image needs symbol relocations" >&2; rm -f $@; exit 1; fi

-include $(shell test -d $(B)/eobj && find $(B)/eobj -name '*.d')
