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

# Build ttd.ko in $(1), a directory of links to kmod/, against the kernel
# build tree $(2); $(3) names that kernel in the progress line.
define kmod_build
	@mkdir -p $(1)
	$(Q)for f in $(KMOD_SRCS); do ln -sf $(abspath $$f) $(1)/; done
	$(if $(Q),@echo "  KMOD    $@ ($(3))")
	+$(Q)$(MAKE) -C $(2) M=$(abspath $(1)) \
		TTD_INCLUDE=$(abspath include) W=1 KCFLAGS=-Werror \
		$(KMOD_SPARSE) $(if $(Q),-s) modules
endef

.PHONY: kmod
ifneq ($(wildcard $(KDIR)/Makefile),)
kmod: $(KMOD_DIR)/ttd.ko

$(KMOD_DIR)/ttd.ko: $(KMOD_SRCS) include/uapi/linux/ttd.h kmod/build.mk
	$(call kmod_build,$(KMOD_DIR),$(KDIR),$(TTD_KREL))
else
kmod:
ifeq ($(origin KDIR),file)
	@echo "  SKIP    ttd.ko: no kernel build tree for $(shell uname -r) and no" \
		"/usr/src/linux-headers-*-amd64 (install linux-headers-amd64)"
else
	@echo "  SKIP    ttd.ko: KDIR=$(KDIR) is not a kernel build tree"
endif
endif

# The same module for Debian's PREEMPT_RT flavour, in $(B)/kmod-rt: there
# spinlock_t sleeps, the slab allocator must not be entered with
# preemption off, and irq_work runs in a thread, so code that is fine on
# the generic kernel can sleep in atomic context.  The flavour is unpacked
# into $(B)/rt-kernel by tools/fetch-kernel (make rt-kernel) rather than
# installed, so that nothing else on the machine changes its default
# kernel; rt headers installed in /usr/src serve when there is none.
# Without either, nothing is built and the PREEMPT_RT selftests skip.
KMOD_RT_ROOT := $(B)/rt-kernel
# make check unpacks it first (quick once done), so that the PREEMPT_RT
# selftests run rather than skip; it must happen while make reads this,
# before the headers are looked for.  Without the archive it says why
# and the tests skip.
ifneq ($(filter check,$(MAKECMDGOALS)),)
$(shell tools/fetch-kernel rt $(KMOD_RT_ROOT) >/dev/null)
endif
KMOD_RT_KDIR := $(patsubst %/Makefile,%,$(firstword \
	$(wildcard $(KMOD_RT_ROOT)/usr/src/linux-headers-*-rt-amd64/Makefile) \
	$(wildcard /usr/src/linux-headers-*-rt-amd64/Makefile)))
KMOD_RT_DIR := $(B)/kmod-rt

.PHONY: kmod-rt rt-kernel
rt-kernel:
	$(Q)tools/fetch-kernel rt $(KMOD_RT_ROOT) >/dev/null

ifneq ($(KMOD_RT_KDIR),)
kmod-rt: $(KMOD_RT_DIR)/ttd.ko
all: kmod-rt

$(KMOD_RT_DIR)/ttd.ko: $(KMOD_SRCS) include/uapi/linux/ttd.h kmod/build.mk
	$(call kmod_build,$(KMOD_RT_DIR),$(KMOD_RT_KDIR),$(notdir $(KMOD_RT_KDIR)))
else
kmod-rt:
	@echo "  SKIP    ttd.ko for PREEMPT_RT: no rt headers (make rt-kernel)"
endif

CLEAN_EXTRA +=
