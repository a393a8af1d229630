/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The supervisor's half of recording: one event ring per process, drained
 * into the recording file by a thread of its own.  Memory contents that
 * may repeat (file mappings, image regions) become deduplicated blobs.
 */
#ifndef TTD_RECORD_SESSION_H
#define TTD_RECORD_SESSION_H

#include <stdint.h>
#include <sys/types.h>

struct record_session;
struct launch_rr;

struct record_stats {
	uint64_t events, bytes, processes;
};

int record_session_open(struct record_session **rs, const char *path, int argc,
			char **argv);
/* Hooks for launch_and_supervise(). */
const struct launch_rr *record_session_hooks(struct record_session *rs);
/* After the program ended: drain, close the file; 0 or -1 (message on
 * stderr).  failed tells whether the engine refused to go on. */
int record_session_close(struct record_session *rs, int *failed,
			 struct record_stats *st);

#endif
