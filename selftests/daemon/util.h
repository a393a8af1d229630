/* SPDX-License-Identifier: GPL-2.0 */
/* Helpers for the ttdd selftests: run a private ttdd, talk to it, read
 * the kernel records of a recording back. */
#ifndef TTDD_TEST_UTIL_H
#define TTDD_TEST_UTIL_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "format/ttd_format.h"

#include <linux/ttd.h>

#include "ctl_client.h"

struct ttdd_proc {
	pid_t pid;
	char dir[64];
	char sock[128];
	const char *ring_size; /* --ring-size, when set before the start */
};

/* Start build/bin/ttdd (or $BUILD/bin/ttdd) on a private socket. */
int ttdd_start(struct ttdd_proc *t);
/* Send sig, wait; returns the wait status. */
int ttdd_stop(struct ttdd_proc *t, int sig);
void ttdd_cleanup(struct ttdd_proc *t);

struct start {
	const pid_t *pids;
	int npids;
	const char *cgroup;
	uint64_t duration_ms;
	uint32_t flags;
	const char *output;
};

/* Send TRACE_START on a new connection; *sock stays open on success. */
int trace_start(const char *path, const struct start *s, int *sock,
		uint32_t *id, char *err, size_t errlen);
/* Wait for SESSION_END on sock; returns the reason or -errno. */
int trace_wait_end(int sock, int timeout_ms, uint64_t *events);
/* One request on an open connection; returns the reply type or -errno
 * and the errno of an error reply in *err_no. */
int request(int sock, struct ctl_msg *m, int fd, uint32_t *err_no,
	    unsigned char *reply, size_t *rlen);

/* A child that runs fn(arg) once released, then exits with its result. */
struct child {
	pid_t pid;
	int go_fd; /* write a byte to release it */
};
int child_spawn(struct child *c, int (*fn)(void *), void *arg);
void child_release(struct child *c);
int child_wait(struct child *c);

/*
 * Trace a child running fn(arg) from its start to its exit, writing to
 * out: 0 with the child's exit status and the session's end reason, or
 * -errno (a refused start explained in err).
 */
int trace_child(const char *sock_path, const char *out, int (*fn)(void *),
		void *arg, struct child *c, int *status, int *end, char *err,
		size_t errlen);

struct recs {
	union ttd_rec_any *v;
	size_t n;
	int complete; /* index and trailer were written */
	int iter_err; /* the iteration ended on an error */
	unsigned int cpu_streams;
};

int recs_load(const char *path, struct recs *r, char *err, size_t errlen);
void recs_free(struct recs *r);
/* Does pid appear anywhere in r (as task, target, child, prev, next)? */
bool rec_mentions(const union ttd_rec_any *r, pid_t pid);
size_t recs_count(const struct recs *r, unsigned int type, pid_t pid);

#endif
