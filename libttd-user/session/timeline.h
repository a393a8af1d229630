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

/* Creates the timeline and hooks it into the session (before launch):
 * recorded process pid (0: the first one) in its last image. */
struct timeline *timeline_new(struct replay_session *rs, int pid);
/* Waits until the replay reached its first instruction: 0, or -1. */
int timeline_ready(struct timeline *tl, int timeout_ms);
/* The replay ended: timeline_ready() waits no longer. */
void timeline_abort(struct timeline *tl);
/* Ends every replaying process. */
void timeline_end(struct timeline *tl);
void timeline_free(struct timeline *tl);

/* Called while waiting for a run: nonzero when the user interrupts. */
void timeline_set_interrupt(struct timeline *tl, int (*fn)(void *arg),
			    void *arg);

const struct tl_stop *timeline_where(struct timeline *tl);
int timeline_pid(struct timeline *tl); /* the recorded process */
/* Checkpoints held, and the memory they use (kB, proportional). */
int timeline_checkpoints(struct timeline *tl, uint64_t *kb);
/* Take a checkpoint every n instructions (0: the default). */
void timeline_set_interval(struct timeline *tl, uint64_t n);

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
