# The replay stub (libttd-user/replay/stub): an empty static program the
# replay execs for each replayed image.  The engine-side replay code in
# this directory is built into the engine image (libttd-user/engine).
REPLAY_STUB := $(B)/lib/ttd/ttd-replay-stub
ALL_TARGETS += $(REPLAY_STUB)
INSTALL_LIBEXEC += $(REPLAY_STUB)

$(REPLAY_STUB): libttd-user/replay/stub/stub.S
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  LD      $@")
	$(Q)$(CC) -nostdlib -static -no-pie -Wl,-Ttext-segment=0x10000 \
		-Wl,-z,noexecstack -o $@ $<
