/* SPDX-License-Identifier: GPL-2.0 */
/* A recording served to gdb: the replay's timeline behind the gdb
 * remote protocol layer (tools/gdbserver). */
#ifndef TTDCTL_GDB_REPLAY_H
#define TTDCTL_GDB_REPLAY_H

#include <stdint.h>

struct gdb_replay_opts {
	const char *path; /* the recording */
	const char *listen; /* [ADDR:]PORT, or NULL for stdin/stdout */
	uint64_t interval; /* instructions between checkpoints, 0: default */
	int pid; /* the recorded process to debug, 0: the first */
};

/* Serve one gdb session; returns a TTDCTL_* exit code. */
int gdb_replay(const struct gdb_replay_opts *o);

#endif
