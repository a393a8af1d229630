/* SPDX-License-Identifier: GPL-2.0 */
/* The dispatcher: where translated code returns to the engine. */
#ifndef TTD_ENGINE_DISPATCH_H
#define TTD_ENGINE_DISPATCH_H

#include <stdint.h>
#include "thread.h"

struct exit_rec;

/* Called from cache_exit; returns the code-cache address to continue. */
uintptr_t dispatch_exit(struct exit_rec *rec);
/* Deliver signals and pick the block for t->ctx.rip. */
uintptr_t dispatch_resume(struct ttd_thread *t);
/* Enter the code cache for the thread's ctx; never returns. */
__attribute__((noreturn)) void dispatch_start(struct ttd_thread *t);

/* Engine-wide options (from the boot block). */
struct engine_opts {
	uint32_t options;
	uint64_t stop_at;
	int precise;
	uint64_t arena_end;
	uint64_t start_ns;
	uint64_t out_dev, out_ino, err_dev, err_ino; /* see struct ttd_boot */
	int rec_pid, rec_tid;
	uint64_t ring_tail; /* see struct ttd_boot */
};
extern struct engine_opts eopts;
extern uint64_t stat_exits[8];

void stop_report(struct ttd_thread *t);
uint64_t now_ns(void);

/* entry.S */
extern char cache_enter[], cache_enter_jmp[], cache_enter_end[];
extern char ibl_stale[], app_syscall_insn[], app_syscall_after[];
long app_syscall(struct ttd_regs *ctx);
__attribute__((noreturn)) void cache_enter_at(uintptr_t code);

#endif
