# ttdd, the daemon, with its BPF backend.  The BPF program is compiled
# against a vmlinux.h dumped from the running kernel's BTF at build time
# (CO-RE: the object then loads on any kernel with BTF), and its libbpf
# skeleton is generated next to it in $(B)/gen.
TTDD_VERSION := $(shell git describe --always --dirty 2>/dev/null || echo 0.1)
CFLAGS_daemon/ := -Iinclude/uapi -I/usr/include/libnl3 \
	-DTTD_VERSION='"$(TTDD_VERSION)"'

TTDD_SRCS := daemon/ttdd.c daemon/ctl_server.c daemon/session.c \
	daemon/backend.c daemon/backend_bpf.c daemon/backend_kmod.c \
	daemon/perm.c daemon/log.c
TTDD_OBJS := $(TTDD_SRCS:%.c=$(B)/obj/%.o)
# The control protocol and the kernel-event formatters, shared with ttdctl.
TTDD_CTL_SRCS := daemon/ctl_msg.c daemon/ctl_client.c daemon/kev.c
TTDD_CTL_OBJS := $(TTDD_CTL_SRCS:%.c=$(B)/obj/%.o)
TTDD_CTL_LIB := $(B)/lib/libttdd-ctl.a
TTDD_LDLIBS := -lbpf -lelf -lz -luring -lsystemd -lnl-genl-3 -lnl-3 \
	$(FORMAT_LDLIBS)

BPFTOOL ?= bpftool
BPF_CLANG ?= clang
TTDD_BPF_SRC := daemon/bpf/ttd_trace.bpf.c
TTDD_BPF_OBJ := $(B)/gen/ttd_trace.bpf.o
TTDD_SKEL := $(B)/gen/ttd_trace.skel.h
VMLINUX_BTF ?= /sys/kernel/btf/vmlinux

BINS += $(B)/bin/ttdd
LIBS += $(TTDD_CTL_LIB)
# Listed again after ours: kev.o needs the format library's type table.
TTDCTL_LIBS += $(TTDD_CTL_LIB) $(FORMAT_LIB)
TTDCTL_LDLIBS += $(FORMAT_LDLIBS)

$(B)/gen/vmlinux.h:
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  BTF     $@")
	$(Q)test -r $(VMLINUX_BTF) || { echo "ttdd: $(VMLINUX_BTF) missing:" \
		"the BPF backend needs a kernel built with CONFIG_DEBUG_INFO_BTF" >&2; \
		exit 1; }
	$(Q)$(BPFTOOL) btf dump file $(VMLINUX_BTF) format c > $@.tmp && mv $@.tmp $@

$(TTDD_BPF_OBJ): $(TTDD_BPF_SRC) daemon/bpf/ttd_sample.h \
		include/uapi/linux/ttd.h $(B)/gen/vmlinux.h
	$(if $(Q),@echo "  BPF     $@")
	$(Q)$(BPF_CLANG) -target bpf -g -O2 -Wall -Werror -D__TARGET_ARCH_x86 \
		-I$(B)/gen -Iinclude/uapi -Idaemon/bpf -c $< -o $@

$(TTDD_SKEL): $(TTDD_BPF_OBJ)
	$(if $(Q),@echo "  SKEL    $@")
	$(Q)$(BPFTOOL) gen skeleton $< name ttd_trace > $@.tmp && mv $@.tmp $@

$(B)/obj/daemon/backend_bpf.o: $(TTDD_SKEL)

$(TTDD_CTL_LIB): $(TTDD_CTL_OBJS)
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  AR      $@")
	$(Q)rm -f $@ && ar rcs $@ $^

$(B)/bin/ttdd: $(TTDD_OBJS) $(TTDD_CTL_LIB) $(FORMAT_LIB)
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS_USER) -o $@ $(TTDD_OBJS) $(TTDD_CTL_LIB) \
		$(FORMAT_LIB) $(TTDD_LDLIBS)

# make bench: daemon/bench/run.sh writes Documentation/performance-daemon.md.
TTDD_BENCH_BPF_OBJ := $(B)/gen/fill.bpf.o
TTDD_BENCH_SKEL := $(B)/gen/fill.skel.h
CFLAGS_daemon/bench/ := -Idaemon -Iinclude/uapi

$(TTDD_BENCH_BPF_OBJ): daemon/bench/fill.bpf.c daemon/bpf/ttd_sample.h \
		include/uapi/linux/ttd.h $(B)/gen/vmlinux.h
	$(if $(Q),@echo "  BPF     $@")
	$(Q)$(BPF_CLANG) -target bpf -g -O2 -Wall -Werror -D__TARGET_ARCH_x86 \
		-I$(B)/gen -Iinclude/uapi -Idaemon/bpf -c $< -o $@

$(TTDD_BENCH_SKEL): $(TTDD_BENCH_BPF_OBJ)
	$(if $(Q),@echo "  SKEL    $@")
	$(Q)$(BPFTOOL) gen skeleton $< name fill > $@.tmp && mv $@.tmp $@

$(B)/obj/daemon/bench/drain_bench.o: $(TTDD_BENCH_SKEL)

$(B)/bench/daemon/drain_bench: $(B)/obj/daemon/bench/drain_bench.o $(TTDD_CTL_LIB) \
		$(FORMAT_LIB)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(LDFLAGS_USER) -o $@ $< $(TTDD_CTL_LIB) $(FORMAT_LIB) \
		$(TTDD_LDLIBS) -lpthread

$(B)/gen/empty.bpf.o: daemon/bench/empty.bpf.c $(B)/gen/vmlinux.h
	$(if $(Q),@echo "  BPF     $@")
	$(Q)$(BPF_CLANG) -target bpf -g -O2 -Wall -Werror -D__TARGET_ARCH_x86 \
		-I$(B)/gen -c $< -o $@

$(B)/gen/empty.skel.h: $(B)/gen/empty.bpf.o
	$(if $(Q),@echo "  SKEL    $@")
	$(Q)$(BPFTOOL) gen skeleton $< name empty > $@.tmp && mv $@.tmp $@

$(B)/obj/daemon/bench/empty_switch.o: $(B)/gen/empty.skel.h

$(B)/bench/daemon/empty_switch: $(B)/obj/daemon/bench/empty_switch.o
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(LDFLAGS_USER) -o $@ $< -lbpf -lelf -lz

$(B)/bench/daemon/ctxsw: $(B)/obj/daemon/bench/ctxsw.o
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(LDFLAGS_USER) -o $@ $<

.PHONY: bench-daemon
bench-daemon: $(B)/bin/ttdd $(B)/bin/ttdctl $(B)/bench/daemon/ctxsw \
		$(B)/bench/daemon/drain_bench $(B)/bench/daemon/empty_switch
	$(Q)daemon/bench/run.sh $(B) Documentation/performance-daemon.md
BENCH_TARGETS += bench-daemon
