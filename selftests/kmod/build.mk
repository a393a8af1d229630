# ttd.ko selftests: kselftest-harness programs built on the host and run in
# a qemu guest by tools/vmtest (selftests/kmod/run_vm), which loads
# $(B)/kmod/ttd.ko first.  kselftest.h and kselftest_harness.h are the
# kernel's own, extracted once from Debian's linux-source tarball.
KMOD_KST_TAR := $(lastword $(sort $(wildcard /usr/src/linux-source-*.tar.xz)))
KMOD_KST := $(B)/kselftest
KMOD_TESTS := ttd_ctl_test ttd_events_test ttd_ring_test ttd_poll_test \
	ttd_fault_test ttd_perm_test ttd_fuzz_test ttd_load_test ttd_fork_test
KMOD_TEST_BINS := $(KMOD_TESTS:%=$(B)/selftests/kmod/%)
KMOD_TEST_LIB := $(B)/obj/selftests/kmod/ttd_kmod.o
# The harness macros compare mixed-sign values by design.
CFLAGS_selftests/kmod/ := -I$(KMOD_KST) -pthread -Wno-sign-compare \
	-Wno-misleading-indentation

$(KMOD_KST)/kselftest_harness.h:
	@mkdir -p $(KMOD_KST)
	$(if $(Q),@echo "  EXTRACT $@")
	$(Q)test -n "$(KMOD_KST_TAR)" || { echo "no /usr/src/linux-source-*.tar.xz" \
		"(install linux-source-6.1)" >&2; exit 1; }
	$(Q)tar -xJf $(KMOD_KST_TAR) -C $(KMOD_KST) --strip-components=4 \
		--wildcards '*/tools/testing/selftests/kselftest.h' \
		'*/tools/testing/selftests/kselftest_harness.h'
	$(Q)touch $@

$(KMOD_TESTS:%=$(B)/obj/selftests/kmod/%.o) $(KMOD_TEST_LIB): \
	$(KMOD_KST)/kselftest_harness.h

$(B)/selftests/kmod/%: $(B)/obj/selftests/kmod/%.o $(KMOD_TEST_LIB)
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS_USER) -pthread -o $@ $^ $(KMOD_TEST_LDLIBS)

# io_uring threads are started through liburing.
$(B)/selftests/kmod/ttd_fork_test: KMOD_TEST_LDLIBS := -luring

ALL_TARGETS += $(KMOD_TEST_BINS)
# One guest per program: an oops in one cannot hide the others' results.
# The ring and poll tests want small rings to overflow them quickly.
KMOD_TEST_PROGS := selftests/kmod/run_vm\ $(B)/selftests/kmod/ttd_ctl_test \
	selftests/kmod/run_vm\ $(B)/selftests/kmod/ttd_events_test \
	selftests/kmod/run_vm\ --params\ ring_kb=16\ $(B)/selftests/kmod/ttd_ring_test \
	selftests/kmod/run_vm\ --params\ ring_kb=64\ $(B)/selftests/kmod/ttd_poll_test \
	selftests/kmod/run_vm\ $(B)/selftests/kmod/ttd_fault_test \
	selftests/kmod/run_vm\ $(B)/selftests/kmod/ttd_perm_test \
	selftests/kmod/run_vm\ $(B)/selftests/kmod/ttd_fuzz_test \
	selftests/kmod/run_vm\ $(B)/selftests/kmod/ttd_fork_test \
	selftests/kmod/run_vm\ --no-load\ $(B)/selftests/kmod/ttd_load_test
# The same again on Debian's PREEMPT_RT kernel and on the newest kernel
# of the backports suite, with the module built for each
# (kmod/build.mk); they skip when it is not there.  Each set takes a
# minute or two.
KMOD_rt_TEST_PROGS := $(call kmod_tests_on,rt,$(KMOD_TEST_PROGS))
KMOD_backports_TEST_PROGS := $(call kmod_tests_on,backports,$(KMOD_TEST_PROGS))
TEST_PROGS += $(KMOD_TEST_PROGS) $(KMOD_rt_TEST_PROGS) \
	$(KMOD_backports_TEST_PROGS)

# make check-kmod-rt, check-kmod-backports: unpack that kernel when
# missing (network), build the module for it and run only its tests.
.PHONY: check-kmod-rt check-kmod-backports
check-kmod-rt check-kmod-backports: check-kmod-%: $(KMOD_TEST_BINS)
	$(Q)$(MAKE) $*-kernel
	$(Q)$(MAKE) kmod-$*
	@printf '%s\n' $(KMOD_$*_TEST_PROGS) > $(B)/selftests-kmod-$*.list
	$(Q)BUILD=$(B) selftests/run $(B)/selftests-kmod-$*.list

# make bench: context-switch cost in the guest, with and without tracing.
KMOD_BENCH := $(B)/selftests/kmod/ttd_pingpong_bench
ALL_TARGETS += $(KMOD_BENCH)
# It includes ttd_kmod.h, which includes the harness.
$(B)/obj/selftests/kmod/ttd_pingpong_bench.o: $(KMOD_KST)/kselftest_harness.h
BENCH_TARGETS += bench-kmod
.PHONY: bench-kmod
bench-kmod: $(KMOD_BENCH) kmod kmod-backports
	$(Q)BUILD=$(B) selftests/kmod/bench.sh $(KMOD_BENCH) \
		Documentation/performance-kmod.md
