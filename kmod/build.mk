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

# The same module for two more kernels, each in $(B)/kmod-SET, against a
# kernel unpacked into $(B)/SET-kernel by tools/fetch-kernel (make
# SET-kernel) rather than installed, so that nothing else on the machine
# changes its default kernel:
#
#   rt         Debian's PREEMPT_RT flavour of the same release: there
#              spinlock_t sleeps, the slab allocator must not be entered
#              with preemption off, and irq_work runs in a thread, so code
#              that is fine on the generic kernel can sleep in atomic
#              context.  rt headers installed in /usr/src serve too.
#   backports  the newest generic kernel of the release's backports suite
#              (6.12 for Debian 12): the module is built for every kernel
#              from 6.1 on, and APIs move between them.
#
# make check unpacks them first (quick once done), so that their
# selftests run rather than skip; it must happen while make reads this,
# before the headers are looked for.  Without the archive it says why,
# nothing is built, and those tests skip.

# kmod_kernel_set SET HEADERS-GLOB SYSTEM-GLOB
define kmod_kernel_set
KMOD_$(1)_ROOT := $$(B)/$(1)-kernel
ifneq ($$(filter check,$$(MAKECMDGOALS)),)
$$(shell tools/fetch-kernel $(1) $$(KMOD_$(1)_ROOT) >/dev/null)
endif
KMOD_$(1)_KDIR := $$(patsubst %/Makefile,%,$$(firstword \
	$$(wildcard $$(KMOD_$(1)_ROOT)/usr/src/$(2)/Makefile) \
	$(if $(3),$$(wildcard /usr/src/$(3)/Makefile))))
KMOD_$(1)_DIR := $$(B)/kmod-$(1)

.PHONY: kmod-$(1) $(1)-kernel
$(1)-kernel:
	$$(Q)tools/fetch-kernel $(1) $$(KMOD_$(1)_ROOT) >/dev/null

ifneq ($$(KMOD_$(1)_KDIR),)
kmod-$(1): $$(KMOD_$(1)_DIR)/ttd.ko
all: kmod-$(1)

$$(KMOD_$(1)_DIR)/ttd.ko: $$(KMOD_SRCS) include/uapi/linux/ttd.h kmod/build.mk
	$$(call kmod_build,$$(KMOD_$(1)_DIR),$$(KMOD_$(1)_KDIR),$$(notdir $$(KMOD_$(1)_KDIR)))
else
kmod-$(1):
	@echo "  SKIP    ttd.ko for the $(1) kernel: no headers (make $(1)-kernel)"
endif
endef

$(eval $(call kmod_kernel_set,rt,linux-headers-*-rt-amd64,linux-headers-*-rt-amd64))
$(eval $(call kmod_kernel_set,backports,linux-headers-*-amd64,))
# kmod_tests_on SET, TEST_PROGS: the selftests/kmod/run_vm commands among
# TEST_PROGS, made to boot that set's kernel.
kmod_tests_on = $(subst run_vm\ ,run_vm\ --$(1)\ ,$(2))

CLEAN_EXTRA +=
