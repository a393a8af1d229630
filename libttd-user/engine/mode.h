/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the engine is doing: only running the program, recording it, or
 * replaying a recording.  The engine's generic code calls these hooks at
 * the points where recording or replay must see or supply something;
 * record/ and replay/ implement them.
 */
#ifndef TTD_ENGINE_MODE_H
#define TTD_ENGINE_MODE_H

#include <stdint.h>

struct ttd_thread;
struct pending_sig;

enum engine_mode { MODE_RUN = 0, MODE_RECORD = 1, MODE_REPLAY = 2 };
extern int engine_mode;

static inline int mode_rr(void)
{
	return engine_mode != MODE_RUN;
}

/* Instructions a thread runs before it lets another one have the CPU. */
#define RR_TIME_SLICE 2000000ULL

/* Start-up in a fresh image (after the thread's state is installed). */
void record_start(struct ttd_thread *t);
void replay_start(struct ttd_thread *t);

/* The application's system call (rax = number). */
void record_syscall(struct ttd_thread *t);
void replay_syscall(struct ttd_thread *t);

/*
 * A non-deterministic instruction: record v after the native result was
 * computed; at replay fill v from the recording (returns 1).
 */
void record_insn(struct ttd_thread *t, int special, const uint64_t v[4]);
int replay_insn(struct ttd_thread *t, int special, uint64_t v[4]);

/* A signal is about to be delivered (frame built or default action). */
void record_signal(struct ttd_thread *t, const struct pending_sig *p);
void replay_signal(struct ttd_thread *t, const struct pending_sig *p);

/* The precise-mode budget of t ran out: a time slice or an event. */
void record_budget(struct ttd_thread *t);
void replay_budget(struct ttd_thread *t);

/* The process ends with status (a wait status) in thread t. */
void record_process_exit(struct ttd_thread *t, int status);
void replay_process_exit(struct ttd_thread *t, int status);

/* Code cache regions: recorded where they went; at replay, a place the
 * recording's cache had near 'near', or MAP_FAILED. */
void rr_note_code_region(uint64_t base, uint64_t size);
void *rr_take_code_region(uint64_t near, uint64_t size);

/* Before the dispatcher picks the next block: vDSO entry points. */
int rr_vdso_call(struct ttd_thread *t);

/* A thread (or with whole, its process) ends with a wait status. */
void rr_thread_exit(struct ttd_thread *t, int status, int whole);
/* The event id of a special instruction (X86_SP_*). */
uint16_t rr_insn_event(int special);

/* Replay: a forked process checks the start of its stream. */
void replay_process_created(struct ttd_thread *t);
extern int rr_fork_rec_pid;

/* Thread life (both modes). */
void rr_thread_start(struct ttd_thread *t);
void rr_after_fork(struct ttd_thread *t, int vfork);
/* Around the real clone of a CLONE_VM child c (recording). */
void rr_clone_before(struct ttd_thread *t, struct ttd_thread *c);
void rr_clone_after(struct ttd_thread *t, struct ttd_thread *c, long ret);

#endif
