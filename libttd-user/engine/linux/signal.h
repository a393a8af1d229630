/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Signals.  The engine owns the real handlers; the application's
 * handlers, masks and alternate stacks are emulated.  Faults are mapped
 * back to application state, asynchronous signals are queued and
 * delivered at the next block boundary, and signal frames are built
 * exactly as the kernel builds them.
 */
#ifndef TTD_ENGINE_SIGNAL_H
#define TTD_ENGINE_SIGNAL_H

#include <stdint.h>

struct ttd_thread;

#define NSIG_ 65
#define SIGHUP 1
#define SIGINT 2
#define SIGILL 4
#define SIGTRAP 5
#define SIGABRT 6
#define SIGBUS 7
#define SIGFPE 8
#define SIGKILL 9
#define SIGSEGV 11
#define SIGPIPE 13
#define SIGALRM 14
#define SIGCHLD 17
#define SIGCONT 18
#define SIGSTOP 19
#define SIGTSTP 20
#define SIGTTIN 21
#define SIGTTOU 22
#define SIGURG 23
#define SIGWINCH 28
#define SIGSYS 31

#define SA_SIGINFO 0x00000004UL
#define SA_RESTORER 0x04000000UL
#define SA_ONSTACK 0x08000000UL
#define SA_RESTART 0x10000000UL
#define SA_NODEFER 0x40000000UL
#define SA_RESETHAND 0x80000000UL

#define SIG_DFL_ 0UL
#define SIG_IGN_ 1UL

struct k_sigaction {
	uint64_t handler;
	uint64_t flags;
	uint64_t restorer;
	uint64_t mask;
};

void signal_init(void);
void signal_thread_init(struct ttd_thread *t);
/* Emulated system calls. */
long signal_sys_sigaction(int sig, uint64_t act, uint64_t oact, uint64_t sz);
long signal_sys_sigaltstack(struct ttd_thread *t, uint64_t ss, uint64_t oss);
void signal_sys_sigreturn(struct ttd_thread *t);
/* Deliver queued signals by building frames on the application stack. */
void signal_deliver_pending(struct ttd_thread *t);
struct pending_sig;
void signal_queue_replayed(struct ttd_thread *t, const struct pending_sig *p);
/* The real mask changed: are queued signals deliverable now? */
void signal_mask_changed(struct ttd_thread *t);
/* The application jumped to code that cannot be read or decoded. */
void signal_code_fault(struct ttd_thread *t, uint64_t pc, int kind);
/* Block every signal; returns the previous real mask. */
uint64_t signal_block_all(void);
/* The vector and FP state, in an area of xstate_size bytes (64-aligned). */
extern uint32_t xstate_size;
void xsave_current(uint8_t *area);
void xrstor_area(const uint8_t *area);
void fpu_mark_in_use(void);
void signal_set_mask(uint64_t mask);
int signal_app_restarts(int sig);
void signal_after_fork(void);

/* ERESTART-like values returned by app_syscall when a signal arrived. */
#define ENGINE_ENOTSTARTED 4000 /* the syscall did not run: run it later */
#define ENGINE_ERESTART 4001 /* interrupted, restartable (SA_RESTART) */

#endif
