/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The boot block: what the injector hands to the engine when it starts it
 * inside a stopped process (at exec, at attach).  The injector maps the
 * engine image, writes one of these into the engine arena, and points the
 * thread at the engine's entry with %rdi = the boot block.
 */
#ifndef TTD_ENGINE_BOOT_H
#define TTD_ENGINE_BOOT_H

#include <stdint.h>

#define TTD_BOOT_MAGIC 0x746f6f62647474ULL /* "ttdboot" */
#define TTD_BOOT_VERSION 4

/* Application registers, in the order the engine saves them. */
struct ttd_regs {
	uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp, rsp;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rflags, rip;
	uint64_t fs_base, gs_base;
};

enum {
	TTD_OPT_STATS = 1 << 0, /* print statistics at exit */
	TTD_OPT_STOP_AT = 1 << 1, /* stop the first thread at stop_at */
	TTD_OPT_VERBOSE = 1 << 2,
	TTD_OPT_PERF_MAP = 1 << 3, /* write /tmp/perf-PID.map for perf */
	TTD_OPT_RECORD = 1 << 4, /* record into the supervisor's rings */
	TTD_OPT_REPLAY = 1 << 5, /* replay what the supervisor feeds */
	TTD_OPT_QUIET = 1 << 6, /* replay: do not show the output */
	TTD_OPT_DEBUG = 1 << 7, /* replay: a debugger drives it (agent.c) */
};

struct ttd_boot {
	uint64_t magic;
	uint32_t version;
	uint32_t options; /* TTD_OPT_* */
	uint64_t engine_base; /* where the image is mapped */
	uint64_t engine_size; /* image + boot area */
	uint64_t arena_end; /* end of the reserved engine arena */
	uint64_t stop_at; /* with TTD_OPT_STOP_AT */
	/* Abstract unix socket of the supervisor (without the leading NUL):
	 * the engine keeps no descriptor open in the application. */
	char ctl_name[64];
	uint64_t icount_base; /* instructions before this image */
	/* Recording: the files the user sees as stdout and stderr (st_dev,
	 * st_ino), so that writes to them can be shown at replay. */
	uint64_t out_dev, out_ino, err_dev, err_ino;
	int32_t rec_pid; /* replay: the recorded process to become */
	int32_t rec_tid;
	/* Replay under a debugger: how far the process had read its stream
	 * before this exec (each process reads its own copy). */
	uint64_t ring_tail;
	struct ttd_regs regs; /* the thread's state at injection */
};

#endif
