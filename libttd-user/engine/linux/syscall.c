// SPDX-License-Identifier: GPL-2.0
/* The application's system calls (see syscall.h). */
#include "syscall.h"
#include "signal.h"
#include "exec.h"
#include "smc.h"
#include "procfs.h"
#include "../thread.h"
#include "../cache.h"
#include "../dispatch.h"
#include "../lib.h"
#include "../mode.h"
#include "sys.h"
#include <asm/prctl.h>

#define SYSCALL_INSN_LEN 2

/*
 * Run the call natively.  A signal that arrives before the kernel starts
 * it, or that interrupts a restartable call, makes app_syscall return an
 * ENGINE_* value: the call is then set up to run again after the handler
 * (as the kernel does), or fails with EINTR when the application's
 * handler did not ask for SA_RESTART.
 */
void syscall_run_native(struct ttd_thread *t)
{
	uint64_t nr = t->ctx.rax;
	long ret;

	if (__atomic_load_n(&t->sig_pending, __ATOMIC_SEQ_CST))
		ret = -ENGINE_ENOTSTARTED;
	else
		ret = app_syscall(&t->ctx);
	if (ret == -ENGINE_ENOTSTARTED ||
	    (ret == -ENGINE_ERESTART && t->sig.npend &&
	     signal_app_restarts(t->sig.pend[0].sig))) {
		t->ctx.rax = nr;
		t->ctx.rip -= SYSCALL_INSN_LEN;
		return;
	}
	if (ret == -ENGINE_ERESTART)
		ret = -EINTR;
	t->ctx.rax = (uint64_t)ret;
}

static long sys_arch_prctl(struct ttd_thread *t)
{
	uint64_t code = t->ctx.rdi, addr = t->ctx.rsi;

	switch (code) {
	case ARCH_SET_GS:
		t->app_gs_base = addr;
		return 0;
	case ARCH_GET_GS:
		return app_write(addr, &t->app_gs_base, 8) ? -EFAULT : 0;
	default:
		syscall_run_native(t);
		if (code == ARCH_SET_FS && !t->ctx.rax)
			t->ctx.fs_base = addr;
		return (long)t->ctx.rax;
	}
}

static void maybe_flush(uint64_t start, uint64_t len)
{
	if (!len)
		return;
	smc_range_changed(start, start + ALIGN_UP(len, PAGE_SIZE));
}

static void handle_memory(struct ttd_thread *t, long nr)
{
	uint64_t a = t->ctx.rdi, len = t->ctx.rsi;

	syscall_run_native(t);
	smc_maps_changed();
	if (sys_is_err((long)t->ctx.rax))
		return;
	switch (nr) {
	case __NR_mmap:
		maybe_flush(t->ctx.rax, len);
		break;
	case __NR_munmap:
	case __NR_mprotect:
	case __NR_madvise:
		maybe_flush(a, len);
		break;
	case __NR_mremap:
		maybe_flush(a, len);
		maybe_flush(t->ctx.rax, t->ctx.rdx);
		break;
	}
}

static void sys_open_filtered(struct ttd_thread *t, uint64_t path)
{
	uint64_t rip = t->ctx.rip;

	syscall_run_native(t);
	if (t->ctx.rip == rip) /* it ran (not set up to restart) */
		procfs_after_open(t, path);
}

static void set_result(struct ttd_thread *t, long ret)
{
	t->ctx.rax = (uint64_t)ret;
}

void syscall_handle(struct ttd_thread *t)
{
	switch (engine_mode) {
	case MODE_RECORD:
		record_syscall(t);
		return;
	case MODE_REPLAY:
		replay_syscall(t);
		return;
	default:
		syscall_execute(t);
	}
}

void syscall_execute(struct ttd_thread *t)
{
	long nr = (long)t->ctx.rax;

	/* What the syscall instruction itself does to rcx and r11. */
	t->ctx.rcx = t->ctx.rip;
	t->ctx.r11 = t->ctx.rflags;
	switch (nr) {
	case __NR_rt_sigaction:
		set_result(t, signal_sys_sigaction((int)t->ctx.rdi, t->ctx.rsi,
						   t->ctx.rdx, t->ctx.r10));
		return;
	case __NR_rt_sigreturn:
		signal_sys_sigreturn(t);
		return;
	case __NR_sigaltstack:
		set_result(t,
			   signal_sys_sigaltstack(t, t->ctx.rdi, t->ctx.rsi));
		return;
	case __NR_rt_sigsuspend:
	case __NR_ppoll:
	case __NR_pselect6:
	case __NR_epoll_pwait:
	case __NR_epoll_pwait2:
		syscall_masked_wait(t, nr);
		return;
	case __NR_rt_sigprocmask:
		syscall_run_native(t);
		signal_mask_changed(t);
		return;
	case __NR_open:
	case __NR_openat:
		sys_open_filtered(t, nr == __NR_open ? t->ctx.rdi : t->ctx.rsi);
		return;
	case __NR_rseq:
		/* glibc falls back when rseq is unavailable; an rseq abort
		 * would jump to an untranslated address. */
		set_result(t, -ENOSYS);
		return;
	case __NR_arch_prctl:
		set_result(t, sys_arch_prctl(t));
		return;
	case __NR_mmap:
	case __NR_munmap:
	case __NR_mprotect:
	case __NR_mremap:
	case __NR_madvise:
	case __NR_brk:
	case __NR_shmat:
	case __NR_shmdt:
		handle_memory(t, nr);
		return;
	case __NR_clone:
	case __NR_clone3:
	case __NR_fork:
	case __NR_vfork:
		thread_sys_clone(t, nr);
		return;
	case __NR_execve:
	case __NR_execveat:
		exec_sys_execve(t, nr);
		return;
	case __NR_exit:
		syscall_exit_hook(t, (int)t->ctx.rdi);
		syscall_run_native(t);
		return;
	case __NR_exit_group:
		syscall_exit_hook(t, (int)t->ctx.rdi);
		sys_exit_group((int)t->ctx.rdi);
	default:
		syscall_run_native(t);
	}
}

/*
 * Calls that install a temporary signal mask: a signal they were woken
 * by must be delivered with that mask, and its frame must restore the
 * mask from before the call (the kernel's saved_sigmask).
 */
void syscall_masked_wait(struct ttd_thread *t, long nr)
{
	uint64_t tmp = 0, maskp = 0, before = 0;

	sys_call4(__NR_rt_sigprocmask, 0, NULL, &before, 8);
	switch (nr) {
	case __NR_rt_sigsuspend:
		maskp = t->ctx.rdi;
		break;
	case __NR_ppoll:
		maskp = t->ctx.r10;
		break;
	case __NR_epoll_pwait:
	case __NR_epoll_pwait2:
		maskp = t->ctx.r8;
		break;
	case __NR_pselect6: {
		uint64_t desc[2] = { 0, 0 };
		if (t->ctx.r9 && !app_read(t->ctx.r9, desc, sizeof(desc)))
			maskp = desc[0];
		break;
	}
	}
	if (maskp && app_read(maskp, &tmp, 8))
		maskp = 0;
	syscall_run_native(t);
	if (maskp && (long)t->ctx.rax == -EINTR && t->sig.npend) {
		t->sig.mask_override = 1;
		t->sig.override_mask = tmp;
		t->sig.restore_mask = before;
	}
}
