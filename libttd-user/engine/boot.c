// SPDX-License-Identifier: GPL-2.0
/*
 * Engine start-up in a freshly injected process, statistics, and the
 * exact stop at instruction N.
 */
#include "boot.h"
#include "cache.h"
#include "dispatch.h"
#include "heap.h"
#include "lib.h"
#include "thread.h"
#include "translate.h"
#include "linux/signal.h"
#include "linux/syscall.h"
#include "linux/sys.h"
#include <asm/prctl.h>
#include "x86/special.h"
#include "perfmap.h"
#include "ctl.h"
#include "mode.h"

static int stats_printed;

static void print_stats(void)
{
	uint64_t ms = (now_ns() - eopts.start_ns) / 1000000;
	static struct strbuf sb;

	if (stats_printed++)
		return;
	sb.len = 0;
	sb_printf(&sb,
		  "ttd: pid %ld: blocks translated %lu, code cache %lu bytes, "
		  "run time %lu ms\n",
		  sys_getpid(), (unsigned long)stat_blocks,
		  (unsigned long)stat_code_bytes, (unsigned long)ms);
	sb_printf(&sb,
		  "ttd: pid %ld: exits: direct %lu, indirect %lu, syscall %lu, "
		  "emulated %lu, other %lu\n",
		  sys_getpid(), (unsigned long)stat_exits[EXIT_DIRECT],
		  (unsigned long)stat_exits[EXIT_IBL],
		  (unsigned long)stat_exits[EXIT_SYSCALL],
		  (unsigned long)stat_exits[EXIT_SPECIAL],
		  (unsigned long)(stat_exits[EXIT_STOP] +
				  stat_exits[EXIT_FAULT] +
				  stat_exits[EXIT_XBEGIN]));
	sb_printf(&sb,
		  "ttd: pid %ld: translation %lu ms, flushes %lu, blocks "
		  "flushed %lu\n",
		  sys_getpid(), (unsigned long)(stat_translate_ns / 1000000),
		  (unsigned long)stat_flushes, (unsigned long)stat_flushed);
	threads_print_stats(&sb);
	ctl_log(sb.buf, sb.len);
}

void syscall_exit_hook(struct ttd_thread *t, int status)
{
	int live = 0;

	t->exited = 1;
	perfmap_flush();
	for (struct ttd_thread *o = thread_list; o; o = o->next)
		live += !o->exited;
	/* The process ends with exit_group, a fatal signal, or its last
	 * thread's exit. */
	if ((eopts.options & TTD_OPT_STATS) &&
	    (status < 0 || live == 0 || t->ctx.rax == __NR_exit_group))
		print_stats();
}

void stop_report(struct ttd_thread *t)
{
	static const char *names[] = { "rax", "rbx", "rcx", "rdx", "rsi", "rdi",
				       "rbp", "rsp", "r8",  "r9",  "r10", "r11",
				       "r12", "r13", "r14", "r15" };
	static struct strbuf sb;
	uint64_t *r = (uint64_t *)&t->ctx;
	uint64_t fs = 0;

	sys_call2(__NR_arch_prctl, ARCH_GET_FS, &fs);
	sb.len = 0;
	sb_printf(&sb, "icount %lu\n", (unsigned long)thread_icount(t));
	sb_printf(&sb, "rip 0x%lx\n", (unsigned long)t->ctx.rip);
	sb_printf(&sb, "rflags 0x%lx\n", (unsigned long)t->ctx.rflags);
	for (int i = 0; i < 16; i++)
		sb_printf(&sb, "%s 0x%lx\n", names[i], (unsigned long)r[i]);
	sb_printf(&sb, "fs_base 0x%lx\n", (unsigned long)fs);
	ctl_log(sb.buf, sb.len);
	if (eopts.options & TTD_OPT_STATS)
		print_stats();
	sys_exit_group(0);
}

static void detect_cpu(void)
{
	uint32_t v[4], family;
	int amd;

	cpuid_raw(0, 0, v);
	/* AuthenticAMD, HygonGenuine: ebx "Auth", "Hygo" */
	amd = v[1] == 0x68747541 || v[1] == 0x6f677948;
	cpuid_raw(1, 0, v);
	family = (v[0] >> 8) & 15;
	if (family == 15)
		family += (v[0] >> 20) & 255;
	cpuid_raw(7, 0, v);
	cpu_has_bmi2 = !!(v[1] & (1u << 8));
	/* Before Zen 3, pdep is microcoded: hundreds of cycles. */
	cpu_fast_pdep = cpu_has_bmi2 && !(amd && family < 0x19);
}

__attribute__((noreturn)) void engine_main(struct ttd_boot *boot)
{
	struct ttd_thread *t;

	if (boot->magic != TTD_BOOT_MAGIC ||
	    boot->version != TTD_BOOT_VERSION) {
		static const char msg[] = "ttd: the engine image does not "
					  "match this ttdctl (reinstall)\n";
		sys_write(2, msg, sizeof(msg) - 1);
		sys_exit_group(126);
	}
	ctl_init(boot->ctl_name);
	heap_init(boot->engine_base + boot->engine_size, boot->arena_end);
	eopts.options = boot->options;
	eopts.stop_at = boot->stop_at;
	eopts.arena_end = boot->arena_end;
	eopts.start_ns = now_ns();
	eopts.out_dev = boot->out_dev;
	eopts.out_ino = boot->out_ino;
	eopts.err_dev = boot->err_dev;
	eopts.err_ino = boot->err_ino;
	eopts.rec_pid = boot->rec_pid;
	eopts.rec_tid = boot->rec_tid;
	eopts.ring_tail = boot->ring_tail;
	if (boot->options & TTD_OPT_RECORD)
		engine_mode = MODE_RECORD;
	else if (boot->options & TTD_OPT_REPLAY)
		engine_mode = MODE_REPLAY;
	detect_cpu();

	t = thread_new((int)sys_gettid());
	t->ctx = *(struct ttd_regs *)&boot->regs;
	t->icount = boot->icount_base;
	t->budget_mark = t->icount;
	thread_install(t);
	signal_init();
	fpu_mark_in_use();
	if (boot->options & TTD_OPT_STOP_AT) {
		eopts.precise = 1;
		t->target = BUDGET_BIAS + boot->stop_at - thread_icount(t);
	}
	if (engine_mode == MODE_RECORD)
		record_start(t);
	else if (engine_mode == MODE_REPLAY)
		replay_start(t);
	dispatch_start(t);
}
