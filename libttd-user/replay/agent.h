/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The debug agent: a replaying process that a debugger drives (see
 * agent_proto.h for the protocol).  The engine calls these hooks only
 * when agent_on is set.
 */
#ifndef TTD_AGENT_H
#define TTD_AGENT_H

#include <stdint.h>

struct ttd_thread;
struct pending_sig;

extern int agent_on;

/* The image is built: connect, say hello, wait for the first run. */
void agent_start(struct ttd_thread *t);
/* The dispatcher is about to run t's next block: targets, breakpoints,
 * checkpoints and interrupts are looked at here. */
void agent_block(struct ttd_thread *t);
/* A recorded signal is about to be delivered to t. */
void agent_signal(struct ttd_thread *t, const struct pending_sig *p);
/* The history ends here (exit, death, exec, end of the stream); status
 * is a wait status or AGENT_END_EXEC. */
#define AGENT_END_EXEC 0x10000
__attribute__((noreturn)) void agent_end(struct ttd_thread *t, int status);
/* Is there a breakpoint at pc?  Translation ends blocks before one. */
int agent_break_at(uint64_t pc);
/* A hardware watchpoint trapped (SIGTRAP from perf). */
/* A hardware watchpoint trapped (SIGTRAP from perf) after an instruction
 * of t that started at t's count. */
void agent_trap(struct ttd_thread *t, uint64_t count, const void *info);
/* Replay wrote memory for t's system call. */
void agent_note_write(struct ttd_thread *t, uint64_t addr, uint64_t len);
/* The debugged process forks recorded process child: is the child to be
 * replayed (the first time only)? */
int agent_spawn(int child, int vfork);
/* In a child of the debugged process: forget the parent's debugger. */
void agent_forked(void);
/* How many instructions t may run before the agent must look. */
uint64_t agent_budget(struct ttd_thread *t);

/* Provided by replay.c: a thread's saved vector state; t's budget again
 * after the agent's targets changed. */
void replay_fpu_save(struct ttd_thread *t, uint8_t *area);
void replay_rebudget(struct ttd_thread *t);
/* The recorded file mapped at addr in this image (names are cut at 63
 * characters), or NULL. */
const char *replay_file_at(uint64_t addr);
/* The initial stack pointer of the current image (argc, argv, auxv). */
extern uint64_t replay_image_sp;

#endif
