# ttd.ko, built out of tree against KDIR in $(B)/kmod (a directory of links
# to kmod/, so that the source tree stays free of build products).
#
# KDIR defaults to the running kernel's build tree; when that is missing
# (kernels without modules) the newest installed Debian linux-headers-*-amd64
# tree of the generic flavour is used, which is the kernel tools/vmtest
# boots.  The rt and cloud flavours of a release sort after it, and must
# not take its place just because they are installed too.
TTD_KDIR_FALLBACK := $(lastword $(sort $(filter-out %-rt-amd64 %-cloud-amd64, \
	$(wildcard /usr/src/linux-headers-*-amd64))))
ifeq ($(origin KDIR),file)
ifeq ($(wildcard $(KDIR)/Makefile),)
KDIR := $(TTD_KDIR_FALLBACK)
endif
endif
# The kernel release the module is built for (vmtest boots the same one).
TTD_KREL := $(if $(wildcard $(KDIR)/include/config/kernel.release),$(shell cat $(KDIR)/include/config/kernel.release))

KMOD_SRCS := $(wildcard kmod/*.c kmod/*.h) kmod/Kbuild
KMOD_DIR := $(B)/kmod
KMOD_SPARSE := $(if $(shell command -v sparse 2>/dev/null),C=1 CF=-Wsparse-error)

.PHONY: kmod
ifneq ($(wildcard $(KDIR)/Makefile),)
kmod: $(KMOD_DIR)/ttd.ko

$(KMOD_DIR)/ttd.ko: $(KMOD_SRCS) include/uapi/linux/ttd.h kmod/build.mk
	@mkdir -p $(KMOD_DIR)
	$(Q)for f in $(KMOD_SRCS); do ln -sf $(abspath $$f) $(KMOD_DIR)/; done
	$(if $(Q),@echo "  KMOD    $@ ($(TTD_KREL))")
	$(Q)$(MAKE) -C $(KDIR) M=$(abspath $(KMOD_DIR)) \
		TTD_INCLUDE=$(abspath include) W=1 KCFLAGS=-Werror \
		$(KMOD_SPARSE) $(if $(Q),-s) modules
else
kmod:
ifeq ($(origin KDIR),file)
	@echo "  SKIP    ttd.ko: no kernel build tree for $(shell uname -r) and no" \
		"/usr/src/linux-headers-*-amd64 (install linux-headers-amd64)"
else
	@echo "  SKIP    ttd.ko: KDIR=$(KDIR) is not a kernel build tree"
endif
endif

CLEAN_EXTRA +=
