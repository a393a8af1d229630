# SPDX-License-Identifier: GPL-2.0
#
# Top-level build for ttd.  Every directory contributes a build.mk fragment
# that appends to the variables below, so adding a component never means
# editing this file.
#
#   make               user space into build/, ttd.ko into build/kmod/
#   make check         build, then run every selftest (TAP) and summarise
#   make check-san     the non-engine tests again under ASan+UBSan
#   make bench         performance tables (Documentation/performance.md)
#   make install       PREFIX=/usr/local DESTDIR=
#   make demo          the bundled example

V ?= 0
ifeq ($(V),0)
Q := @
MAKEFLAGS += --no-print-directory
endif

SANITIZE ?= 0
ifeq ($(SANITIZE),1)
BUILD ?= build-san
else
BUILD ?= build
endif
B := $(BUILD)

PREFIX ?= /usr/local
DESTDIR ?=
KDIR ?= /lib/modules/$(shell uname -r)/build

CC ?= cc
# Plain user space: tools, daemon, format library, tests.
CFLAGS_USER := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wno-unused-parameter \
	-D_GNU_SOURCE -Iinclude -Ilibttd-user -I$(B)/gen -fno-strict-aliasing
LDFLAGS_USER :=
ifeq ($(SANITIZE),1)
CFLAGS_USER += -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=undefined
LDFLAGS_USER += -fsanitize=address,undefined
endif

BINS :=
LIBS :=
TEST_PROGS :=
SAN_TEST_PROGS :=
ALL_TARGETS :=
BENCH_TARGETS :=
MAN_PAGES :=
CLEAN_EXTRA :=

# Install missing Debian packages before anything is parsed: fragments
# look for kernel headers, clang and libraries while make reads them, so
# a fresh machine must have them before that, not after.  Once per run.
ifeq ($(TTD_DEPS_DONE)$(filter clean format format-check deps,$(MAKECMDGOALS)),)
TTD_DEPS_FAILED := $(shell tools/install-deps >&2 || echo failed)
ifneq ($(TTD_DEPS_FAILED),)
$(error tools/install-deps failed; see above)
endif
export TTD_DEPS_DONE := 1
endif

.PHONY: all
all: user kmod

# Fragments, in data-flow order.
include $(sort $(wildcard kmod/build.mk))
include $(sort $(wildcard libttd-user/*/build.mk))
include $(sort $(wildcard daemon/build.mk daemon/*/build.mk))
include $(sort $(wildcard tools/*/build.mk tools/build.mk))
include $(sort $(wildcard selftests/*/build.mk))
include $(sort $(wildcard Documentation/build.mk))

.PHONY: user
user: $(BINS) $(LIBS) $(ALL_TARGETS)

# Generic rule: every user-space object under $(B)/obj mirrors its source.
$(B)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  CC      $<")
	$(Q)$(CC) $(CFLAGS_USER) $(CFLAGS_$(dir $<)) -MMD -MP -c -o $@ $<

-include $(shell test -d $(B)/obj && find $(B)/obj -name '*.d')

.PHONY: deps
deps:
	$(Q)tools/install-deps

# The selftests: a list of commands, one per line, run by selftests/run.
$(B)/selftests.list: FORCE
	@mkdir -p $(B)
	@printf '%s\n' $(TEST_PROGS) > $@.tmp && \
		(cmp -s $@.tmp $@ || mv $@.tmp $@); rm -f $@.tmp
$(B)/selftests-san.list: FORCE
	@mkdir -p $(B)
	@printf '%s\n' $(SAN_TEST_PROGS) > $@

.PHONY: check check-only check-san
# The last lines name every failed program of both passes and the totals.
check: all $(B)/selftests.list
	$(Q)tally=$(abspath $(B)/check.tally); rm -f $$tally; \
	TALLY=$$tally BUILD=$(B) selftests/run $(B)/selftests.list; \
	if [ "$(SANITIZE)" = 0 ] && [ -z "$(NO_SAN)" ]; then \
		if $(MAKE) check-san-build; then TALLY=$$tally \
			BUILD=build-san selftests/run $(BUILD_SAN_LIST); \
		else printf 'counts 0 1 0\nfailed %s\n' \
			"the sanitizer build (make check-san)" >>$$tally; fi; \
	fi; \
	echo "# === all of the above"; selftests/run --total $$tally
# Run the tests without rebuilding; T= picks tests by substring.
check-only: $(B)/selftests.list
	$(Q)BUILD=$(B) T="$(T)" selftests/run $(B)/selftests.list
check-san: check-san-build
	$(Q)BUILD=build-san selftests/run $(BUILD_SAN_LIST)
.PHONY: check-san-build
check-san-build:
	$(Q)$(MAKE) SANITIZE=1 user
	$(Q)$(MAKE) SANITIZE=1 $(BUILD_SAN_LIST)
BUILD_SAN_LIST := build-san/selftests-san.list

.PHONY: bench
bench: all $(BENCH_TARGETS)

.PHONY: demo
demo: all
	$(Q)tools/demo

KMOD_UTS = $(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"/\1/p' \
	$(KDIR)/include/generated/utsrelease.h 2>/dev/null)

.PHONY: install
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/sbin \
		$(DESTDIR)$(PREFIX)/lib/ttd $(DESTDIR)$(PREFIX)/lib/systemd/system \
		$(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/man/man8
	install -m 0755 $(B)/bin/ttdctl $(DESTDIR)$(PREFIX)/bin/ttdctl
	install -m 0755 $(B)/bin/ttdd $(DESTDIR)$(PREFIX)/sbin/ttdd
	for f in $(INSTALL_LIBEXEC); do \
		install -m 0644 $$f $(DESTDIR)$(PREFIX)/lib/ttd/; done
	sed 's|@SBINDIR@|$(PREFIX)/sbin|g' daemon/ttdd.service.in \
		> $(DESTDIR)$(PREFIX)/lib/systemd/system/ttdd.service
	install -m 0644 Documentation/man/ttdctl.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 0644 Documentation/man/ttdd.8 $(DESTDIR)$(PREFIX)/share/man/man8/
	# The module goes with the kernel it was built for (its vermagic).
	if [ -f $(B)/kmod/ttd.ko ] && [ -n "$(KMOD_UTS)" ]; then \
		install -d $(DESTDIR)/lib/modules/$(KMOD_UTS)/extra && \
		install -m 0644 $(B)/kmod/ttd.ko \
			$(DESTDIR)/lib/modules/$(KMOD_UTS)/extra/; fi

.PHONY: format-check format
FORMAT_FILES = $(shell git ls-files '*.c' '*.h' | grep -v '^selftests/.*/corpus')
format-check:
	$(Q)clang-format --dry-run --Werror $(FORMAT_FILES)
format:
	$(Q)clang-format -i $(FORMAT_FILES)

.PHONY: clean
clean:
	rm -rf build build-san $(CLEAN_EXTRA)

.PHONY: FORCE
FORCE:
