/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Transitions between translated application code and the engine.
 *
 * Translated code reaches the engine only through cache_exit, with %rcx
 * pointing at an exit record and the application's %rcx in gs:T_S_RCX.
 * The full application register file is saved into the thread's context
 * (gs:T_CTX), the engine runs on its own stack, and cache_enter restores
 * everything and jumps to the next translated block.  Vector registers
 * are never touched: the engine is built with general registers only.
 */
#include "../thread.h"

#define CTX(r) %gs:(T_CTX + 8 * (r))
#define C_RAX 0
#define C_RBX 1
#define C_RCX 2
#define C_RDX 3
#define C_RSI 4
#define C_RDI 5
#define C_RBP 6
#define C_RSP 7
#define C_R8 8
#define C_R9 9
#define C_R10 10
#define C_R11 11
#define C_R12 12
#define C_R13 13
#define C_R14 14
#define C_R15 15
#define C_RFLAGS 16
#define C_RIP 17

	.text
	.globl cache_exit
	.type cache_exit, @function
cache_exit:
	mov %rsp, CTX(C_RSP)
	mov %gs:T_ENGINE_SP, %rsp
	pushfq
	popq CTX(C_RFLAGS)
	mov %rax, CTX(C_RAX)
	mov %gs:T_S_RCX, %rax
	mov %rax, CTX(C_RCX)
	mov %rbx, CTX(C_RBX)
	mov %rdx, CTX(C_RDX)
	mov %rsi, CTX(C_RSI)
	mov %rdi, CTX(C_RDI)
	mov %rbp, CTX(C_RBP)
	mov %r8, CTX(C_R8)
	mov %r9, CTX(C_R9)
	mov %r10, CTX(C_R10)
	mov %r11, CTX(C_R11)
	mov %r12, CTX(C_R12)
	mov %r13, CTX(C_R13)
	mov %r14, CTX(C_R14)
	mov %r15, CTX(C_R15)
	cld
	mov %rcx, %rdi
	call dispatch_exit
	/* fall through: %rax = code-cache address to run */

	.globl cache_enter
	.type cache_enter, @function
cache_enter:
	mov %rax, %gs:T_S_JMP
	mov %gs:T_ENGINE_SP, %rsp
	pushq CTX(C_RFLAGS)
	popfq
	mov CTX(C_RAX), %rax
	mov CTX(C_RBX), %rbx
	mov CTX(C_RCX), %rcx
	mov CTX(C_RDX), %rdx
	mov CTX(C_RSI), %rsi
	mov CTX(C_RDI), %rdi
	mov CTX(C_RBP), %rbp
	mov CTX(C_R8), %r8
	mov CTX(C_R9), %r9
	mov CTX(C_R10), %r10
	mov CTX(C_R11), %r11
	mov CTX(C_R12), %r12
	mov CTX(C_R13), %r13
	mov CTX(C_R14), %r14
	mov CTX(C_R15), %r15
	mov CTX(C_RSP), %rsp
	.globl cache_enter_jmp
cache_enter_jmp:
	jmp *%gs:T_S_JMP
	.globl cache_enter_end
cache_enter_end:

/* void cache_enter_at(uintptr_t code): enter with the thread's ctx. */
	.globl cache_enter_at
	.type cache_enter_at, @function
cache_enter_at:
	mov %rdi, %rax
	jmp cache_enter

/*
 * Where a signal handler sends a thread whose application state is
 * already in its context (a fault mapped back to the application, or a
 * signal that cut a system call short): continue in the dispatcher.
 */
	.globl signal_resume
	.type signal_resume, @function
signal_resume:
	mov %gs:T_ENGINE_SP, %rsp
	cld
	call signal_resume_c
	jmp cache_enter

/*
 * Indirect-branch lookup missed: rax/rdx/target were spilled by the
 * lookup, the application's rcx is in T_S_RCX.
 */
	.globl ibl_miss
	.type ibl_miss, @function
ibl_miss:
	mov %gs:T_S_RAX, %rax
	mov %gs:T_S_RDX, %rdx
	lea ibl_exit_rec(%rip), %rcx
	jmp cache_exit

/*
 * A lookup-table entry of a flushed block: reached with every
 * application register restored and the target in T_S_TGT.
 */
	.globl ibl_stale
	.type ibl_stale, @function
ibl_stale:
	mov %gs:T_S_RDX, %rdx	/* entered like a block's lookup prefix */
	mov %rcx, %gs:T_S_RCX
	lea ibl_exit_rec(%rip), %rcx
	jmp cache_exit

/*
 * Run the application's system call with its own registers, from one
 * known instruction (app_syscall_insn) so that a signal handler can tell
 * that a signal interrupted it and how the kernel left the restart.
 * long app_syscall(struct ttd_regs *ctx): rdi = ctx
 */
	.globl app_syscall
	.type app_syscall, @function
app_syscall:
	push %rbx
	mov %rdi, %rbx
	mov 0x00(%rbx), %rax
	mov 0x28(%rbx), %rdi
	mov 0x20(%rbx), %rsi
	mov 0x18(%rbx), %rdx
	mov 0x50(%rbx), %r10
	mov 0x40(%rbx), %r8
	mov 0x48(%rbx), %r9
	.globl app_syscall_insn
app_syscall_insn:
	syscall
	.globl app_syscall_after
app_syscall_after:
	pop %rbx
	ret

/* Landing points for a signal that interrupted app_syscall. */
	.globl app_syscall_abort_pushed
app_syscall_abort_pushed:
	pop %rbx
	.globl app_syscall_abort_unpushed
app_syscall_abort_unpushed:
	mov $-4000, %rax	/* ENGINE_ENOTSTARTED */
	ret
	.globl app_syscall_restart
app_syscall_restart:
	pop %rbx
	mov $-4001, %rax	/* ENGINE_ERESTART */
	ret

/* The restorer of the engine's own handlers. */
	.globl sig_restorer
sig_restorer:
	mov $15, %eax		/* __NR_rt_sigreturn */
	syscall
	ud2

/*
 * Start the first thread: %rdi = boot block.  Switch to the boot stack
 * the injector prepared (rsp already points there) and call engine_main.
 */
	.globl ttd_engine_entry
	.type ttd_engine_entry, @function
ttd_engine_entry:
	and $-16, %rsp
	call engine_main
	ud2

/*
 * long clone_trampoline(flags, child_stack(engine), ptid, ctid, tls,
 *			 struct ttd_thread *child)
 * The child starts on its own engine stack, installs its thread state
 * and enters the dispatcher; the parent returns the kernel's result.
 */
	.globl clone_trampoline
	.type clone_trampoline, @function
clone_trampoline:
	mov %rcx, %r10
	mov $56, %eax		/* __NR_clone */
	syscall
	test %rax, %rax
	jnz 1f
	/* child: r11 is clobbered by syscall; the pointer is on our stack */
	mov (%rsp), %rdi
	and $-16, %rsp
	call thread_child_start
	ud2
1:	ret

/* long clone3_trampoline(struct clone_args *, size, struct ttd_thread *) */
	.globl clone3_trampoline
	.type clone3_trampoline, @function
clone3_trampoline:
	mov $435, %eax		/* __NR_clone3 */
	syscall
	test %rax, %rax
	jnz 1f
	mov (%rsp), %rdi
	and $-16, %rsp
	call thread_child_start
	ud2
1:	ret

	.section .data.rel.ro, "aw"
	.balign 8
	.globl ibl_exit_rec
ibl_exit_rec:
	.byte 1			/* EXIT_IBL */
	.fill 63, 1, 0
	.section .note.GNU-stack, "", @progbits
