/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Launch a program under the engine and supervise it: inject at the
 * first exec, re-inject into every execve of it and its descendants, and
 * collect the exit status.
 */
#ifndef TTD_LAUNCH_H
#define TTD_LAUNCH_H

#include <stdint.h>

struct launch_opts {
	uint32_t options; /* TTD_OPT_* */
	uint64_t stop_at;
	const char *engine; /* path of the engine image */
};

/* Runs argv[0] (PATH search) to completion; returns its wait status, or
 * -1 with a message on stderr when it could not be started. */
int launch_and_supervise(char **argv, const struct launch_opts *o);

#endif
