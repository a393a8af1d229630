/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The supervisor's half of replay: each replaying process gets a ring
 * that a feeder thread fills with its recorded stream, turning stored
 * blobs back into raw contents.
 */
#ifndef TTD_REPLAY_SESSION_H
#define TTD_REPLAY_SESSION_H

#include <stdint.h>
#include <sys/types.h>

struct replay_session;
struct launch_rr;

int replay_session_open(struct replay_session **rs, const char *path);
const struct launch_rr *replay_session_hooks(struct replay_session *rs);
/*
 * Replay under a debugger: recorded process pid (0: the first) in its
 * last image is debugged, and only the processes on the way to it are
 * replayed.  Each takes its whole stream at once, and the debug agent's
 * connection (a descriptor, see replay/agent_proto.h) goes to conn.
 * 0, or -1 with a message.
 */
int replay_session_debug(struct replay_session *rs, int pid,
			 void (*conn)(void *arg, pid_t pid, int fd), void *arg);
/* Does recorded process rec_pid exec? */
int replay_session_execs(struct replay_session *rs, int rec_pid);
/* The recorded exit status of the first process (a wait status). */
int replay_session_recorded_status(struct replay_session *rs);
/* After the replay ended: 0 when every process replayed to the end of
 * its stream without divergence; -1 with messages on stderr. */
int replay_session_close(struct replay_session *rs, int quiet);

#endif
