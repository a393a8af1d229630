/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Time travel over a replay: the supervisor's half of debugging.  The
 * replaying process runs a debug agent (replay/agent_proto.h); the
 * timeline keeps it, and frozen copies of it taken along the way
 * (checkpoints), and moves anywhere in the recording: forward by
 * running, backward by running a copy from an earlier checkpoint.
 *
 * Positions are global instruction counts of the process (the sum over
 * its threads).  One recorded process is debugged, from the start of
 * its last image (its last exec, or its fork) to its end.
 */
#ifndef TTD_TIMELINE_H
#define TTD_TIMELINE_H

#include <stdint.h>
#include <sys/types.h>

#include "replay/agent_proto.h"

struct timeline;
struct tl_set;
struct replay_session;

/* Where the replay stopped, and why. */
enum tl_stop_kind {
	TL_STOP_STEP = 1, /* a step or a goto arrived */
	TL_STOP_BREAK,
	TL_STOP_WATCH, /* addr */
	TL_STOP_SIGNAL, /* sig, siginfo */
	TL_STOP_INTERRUPT,
	TL_STOP_BEGIN, /* the history starts here */
	TL_STOP_END, /* the history ends here */
	TL_STOP_FORK, /* forked child process addr, debugged as well */
};

struct tl_stop {
	enum tl_stop_kind kind;
	int tid;
	uint64_t count; /* global */
	uint64_t pc;
	uint64_t addr;
	int sig;
	int end_status; /* TL_STOP_END: a wait status, or -1 */
	uint8_t siginfo[128];
};

/*
 * The debugged processes of a replay: recorded process pid in its last
 * image, or (pid 0) every recorded process in its last image.  Created
 * before the replay is launched; each process becomes a timeline when
 * its agent connects.
 */
struct tl_set *tl_set_new(struct replay_session *rs, int pid);
/* The next process that came under the debugger, waiting up to
 * timeout_ms; NULL if none. */
struct timeline *tl_set_next(struct tl_set *set, int timeout_ms);
/* Processes a run forked that have not connected yet. */
int tl_set_pending(struct tl_set *set);
/* The session is over: tl_set_next() waits no longer, processes that
 * connect from now on end at once. */
void tl_set_abort(struct tl_set *set);
/* End the processes that connected and were not taken. */
void tl_set_free_queued(struct tl_set *set);
void tl_set_free(struct tl_set *set);
/* Called while waiting for a run: nonzero when the user interrupts. */
void tl_set_interrupt(struct tl_set *set, int (*fn)(void *arg), void *arg);
/* Take a checkpoint every n instructions (0: the default). */
void tl_set_interval(struct tl_set *set, uint64_t n);

/* Ends the process's replay (all its copies). */
void timeline_end(struct timeline *tl);
void timeline_free(struct timeline *tl);

const struct tl_stop *timeline_where(struct timeline *tl);
int timeline_pid(struct timeline *tl); /* the recorded process */
/* Checkpoints held, and the memory they use (kB, proportional). */
int timeline_checkpoints(struct timeline *tl, uint64_t *kb);

/* The state at the current position.  tid 0: the current thread. */
int timeline_regs(struct timeline *tl, int tid, struct agent_regs *r,
		  size_t size);
long timeline_mem(struct timeline *tl, uint64_t addr, void *buf, size_t len);
/* Fills up to max threads (sorted by tid); returns how many. */
int timeline_threads(struct timeline *tl, struct agent_thread *out, int max);
long timeline_auxv(struct timeline *tl, void *buf, size_t len);
/* The recorded path of the program's file: 0, or -1 if unknown. */
int timeline_exe(struct timeline *tl, char *buf, size_t size);

/* Breakpoints and watchpoints, for every run from now on. */
const struct agent_points *timeline_points(struct timeline *tl);
int timeline_set_points(struct timeline *tl, const struct agent_points *p);

/* Moves.  Each returns 0 and updates timeline_where(), or -1. */
int timeline_continue(struct timeline *tl, int reverse);
/* One instruction of thread tid (0: the current one). */
int timeline_step(struct timeline *tl, int tid, int reverse);
int timeline_goto(struct timeline *tl, uint64_t count);

/* A named checkpoint at the current position (its number), and going
 * back to one. */
int timeline_mark(struct timeline *tl);
int timeline_restart(struct timeline *tl, int mark);

#endif
