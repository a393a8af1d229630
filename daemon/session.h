/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A trace session: a task group (processes or a cgroup) traced through one
 * backend slot into one recording, whose per-CPU kernel-event streams get
 * the records in ring order.
 */
#ifndef TTDD_SESSION_H
#define TTDD_SESSION_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "ctl_proto.h"
#include "perm.h"

struct backend;
struct ttd_rec_header;
struct ttd_writer;
struct ttd_stream;

struct session_opts {
	const pid_t *pids;
	int npids;
	const char *cgroup; /* path, or NULL */
	uint64_t cgid;
	uint64_t duration_ns; /* 0: until stopped */
	uint32_t flags; /* TTD_CTL_F_* */
	int out_fd; /* the recording; the session takes it */
	const struct peer *owner;
};

#define SESSION_DYING_MAX 16
/* The longest wait for a final switch-out; it may have been dropped. */
#define SESSION_DYING_NS (1000 * 1000000ULL)

struct session {
	uint32_t id;
	unsigned int slot;
	struct peer owner;
	uint32_t flags;
	pid_t pids[TTD_CTL_MAX_PIDS];
	int npids;
	char *cgroup;
	uint64_t start_ns;
	uint64_t deadline_ns; /* 0: none */
	int client; /* owning connection index, or -1 */
	uint32_t client_gen;
	struct backend *be;
	struct ttd_writer *w;
	struct ttd_stream **cpu; /* lazily opened per-CPU streams */
	uint64_t *last_ns;
	uint64_t events;
	uint64_t lost; /* from TTD_REC_LOST markers */
	uint64_t clamped; /* records whose time went backwards */
	int err; /* first write error */
	bool exit_seen; /* a traced process ended: recount */
	/*
	 * Last threads of exited processes whose final switch-out has not
	 * been drained yet: ending the session stops the recording of
	 * their tasks, so it waits for those switches (a while at most).
	 */
	struct {
		pid_t tid;
		uint64_t since_ns;
	} dying[SESSION_DYING_MAX];
	unsigned int ndying;
	bool tracing; /* the backend slot is live */
};

uint64_t mono_ns(void);
int session_create(struct session **sp, struct backend *be, unsigned int slot,
		   uint32_t id, const struct session_opts *o, char *err,
		   size_t errlen);
/* Append a drained record; a failure is remembered in s->err. */
void session_record(struct session *s, const struct ttd_rec_header *rec);
/* Threads still to be seen switching out for the last time, not counting
 * those waited for longer than SESSION_DYING_NS. */
unsigned int session_dying(struct session *s, uint64_t now);
/* Seal buffered events into chunks (bounds the loss of a crash). */
void session_flush(struct session *s);
/* Stop the backend from producing records for s (drain after this). */
void session_stop(struct session *s);
/* Stop tracing, write the index, free; returns the first error. */
int session_finish(struct session *s, char *err, size_t errlen);

#endif
