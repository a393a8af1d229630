/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Launch a program under the engine and supervise it: inject at the
 * first exec, re-inject into every execve of it and its descendants, and
 * collect the exit status.
 */
#ifndef TTD_LAUNCH_H
#define TTD_LAUNCH_H

#include <stdint.h>

/* What a recording or replay session adds to the supervisor. */
struct launch_rr {
	void *arg;
	/* A process asks for its event ring (why: RING_* of record/rr.h;
	 * rec_pid: the recorded process a forked replay becomes).  Returns
	 * a descriptor to pass to it, which the supervisor closes, or -1. */
	int (*ring)(void *arg, pid_t pid, int why, int rec_pid);
	/* A page every engine of the session shares (or -1), passed with
	 * each ring. */
	int session_fd;
	/* Replay: the recorded pid that process pid replays, or 0. */
	int (*rec_pid_of)(void *arg, pid_t pid);
	/* Replay under a debugger: the agent connection for process pid
	 * (a descriptor the supervisor passes and closes), or -1. */
	int (*debug)(void *arg, pid_t pid);
	/* The engine reported a divergence or a refusal. */
	void (*report)(void *arg, int type, const char *text, size_t len);
};

struct launch_opts {
	uint32_t options; /* TTD_OPT_* */
	uint64_t stop_at;
	const char *engine; /* path of the engine image */
	const struct launch_rr *rr; /* NULL: just run */
};

/* Runs argv[0] (PATH search) to completion; returns its wait status, or
 * -1 with a message on stderr when it could not be started. */
int launch_and_supervise(char **argv, const struct launch_opts *o);

#endif
