# ttdd selftests: kselftest harness tests run against a private ttdd.
# kselftest.h and kselftest_harness.h come from Debian's linux-source
# tarball, extracted at build time.
KSELFTEST_TARBALL ?= /usr/src/linux-source-6.1.tar.xz
TTDD_KST := $(B)/gen/kselftest-daemon
TTDD_TEST_CFLAGS := -Wno-sign-compare -Wno-misleading-indentation -Idaemon -Iinclude/uapi -Iselftests/daemon -I$(TTDD_KST)
# The harness compares its operands as given, like the kernel's own tests.
CFLAGS_selftests/daemon/ := $(TTDD_TEST_CFLAGS)
TTDD_TEST_UTIL := $(B)/obj/selftests/daemon/util.o
TTDD_TESTS := $(B)/selftests/daemon/ttdd_test $(B)/selftests/daemon/ctl_test \
	$(B)/selftests/daemon/burst_test

$(TTDD_KST)/kselftest_harness.h:
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  UNTAR   $@")
	$(Q)tar -xJf $(KSELFTEST_TARBALL) -C $(dir $@) --strip-components=4 \
		linux-source-6.1/tools/testing/selftests/kselftest.h \
		linux-source-6.1/tools/testing/selftests/kselftest_harness.h
	$(Q)touch $@

$(B)/obj/selftests/daemon/ttdd_test.o $(B)/obj/selftests/daemon/ctl_test.o \
$(B)/obj/selftests/daemon/burst_test.o \
$(TTDD_TEST_UTIL): $(TTDD_KST)/kselftest_harness.h

$(B)/selftests/daemon/%: $(B)/obj/selftests/daemon/%.o $(TTDD_TEST_UTIL) \
		$(TTDD_CTL_LIB) $(FORMAT_LIB)
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS_USER) -o $@ $< $(TTDD_TEST_UTIL) $(TTDD_CTL_LIB) \
		$(FORMAT_LIB) $(FORMAT_LDLIBS) $(TTDD_TEST_LDLIBS)

# io_uring threads are started through liburing.
$(B)/selftests/daemon/ttdd_test: TTDD_TEST_LDLIBS := -luring

ALL_TARGETS += $(TTDD_TESTS)
TEST_PROGS += $(B)/selftests/daemon/ttdd_test \
	$(B)/selftests/daemon/ctl_test \
	$(B)/selftests/daemon/burst_test
# The same event-level tests against ttd.ko, in a guest that loads it
# (a TAP skip when no guest can be booted or the module is not built).
TTDD_VM_TEST_PROGS := selftests/kmod/run_vm\ --env\ TTDD_BACKEND=kmod\ $(B)/selftests/daemon/ttdd_test
# A burst into small rings, which ttdd keeps up with only when ttd.ko
# wakes it.
TTDD_VM_TEST_PROGS += selftests/kmod/run_vm\ --params\ ring_kb=64\ --env\ TTDD_BACKEND=kmod\ $(B)/selftests/daemon/burst_test
# Both again on the PREEMPT_RT kernel, where the module's wake-ups come
# from a thread and its locks may sleep, and on the backports kernel.
TEST_PROGS += $(TTDD_VM_TEST_PROGS) \
	$(call kmod_tests_on,rt,$(TTDD_VM_TEST_PROGS)) \
	$(call kmod_tests_on,backports,$(TTDD_VM_TEST_PROGS))

SAN_TEST_PROGS += build-san/selftests/daemon/ctl_test
