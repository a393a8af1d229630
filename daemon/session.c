// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "format/ttd_format.h"

#include "backend.h"
#include "kev.h"
#include "log.h"
#include "session.h"

uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void meta(struct ttd_stream *m, const char *key, const char *val)
{
	char buf[512];
	size_t kl = strlen(key) + 1, vl = strlen(val);

	if (kl + vl > sizeof(buf))
		vl = sizeof(buf) - kl;
	memcpy(buf, key, kl);
	memcpy(buf + kl, val, vl);
	ttd_stream_append(m, TTD_EV_META_KV, 0, buf, kl + vl);
}

/* Say in the recording where its kernel streams came from. */
static int write_meta(struct session *s)
{
	struct ttd_stream *m;
	char buf[512];
	size_t off = 0;
	int i, err;

	err = ttd_stream_open(s->w, TTD_STREAM_META, 0, 0, "ttdd", &m);
	if (err)
		return err;
	meta(m, "recorder", "ttdd");
	meta(m, "kernel-backend", s->be->ops->name);
	meta(m, "clock", "CLOCK_MONOTONIC ns (event time of per-CPU streams)");
	if (s->cgroup) {
		meta(m, "trace-cgroup", s->cgroup);
	} else {
		buf[0] = '\0';
		for (i = 0; i < s->npids && off < sizeof(buf); i++)
			off += snprintf(buf + off, sizeof(buf) - off, "%s%d",
					i ? " " : "", s->pids[i]);
		meta(m, "trace-pids", buf);
	}
	meta(m, "trace-children",
	     s->flags & TTD_CTL_F_NO_CHILDREN ? "no" : "yes");
	snprintf(buf, sizeof(buf), "%u", s->owner.uid);
	meta(m, "trace-uid", buf);
	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)s->start_ns);
	meta(m, "trace-start-ns", buf);
	return ttd_stream_close(m);
}

static int check_output(int fd, char *err, size_t errlen)
{
	struct stat st;
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0 || fstat(fd, &st)) {
		snprintf(err, errlen, "output file descriptor unusable");
		return -EBADF;
	}
	if (!S_ISREG(st.st_mode) || (fl & O_ACCMODE) == O_RDONLY) {
		snprintf(err, errlen,
			 "output must be a regular file open for "
			 "writing");
		return -EINVAL;
	}
	if (st.st_size) {
		snprintf(err, errlen, "output file is not empty");
		return -EEXIST;
	}
	return 0;
}

static int open_writer(struct session *s, int fd, char *err, size_t errlen)
{
	struct ttd_writer_opts wo;
	int e;

	e = check_output(fd, err, errlen);
	if (e) {
		close(fd);
		return e;
	}
	ttd_writer_opts_init(&wo);
	/* A recording read back after a crash loses at most one chunk. */
	wo.chunk_size = 256 << 10;
	e = ttd_writer_open_fd(&s->w, fd, &wo, err, errlen);
	if (e)
		return e;
	return write_meta(s);
}

int session_create(struct session **sp, struct backend *be, unsigned int slot,
		   uint32_t id, const struct session_opts *o, char *err,
		   size_t errlen)
{
	struct session *s;
	int e, i;

	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->id = id;
	s->slot = slot;
	s->owner = *o->owner;
	s->flags = o->flags;
	s->be = be;
	s->client = -1;
	s->npids = o->npids;
	memcpy(s->pids, o->pids, o->npids * sizeof(pid_t));
	s->start_ns = mono_ns();
	if (o->duration_ns)
		s->deadline_ns = s->start_ns + o->duration_ns;
	s->cpu = calloc(be->ncpus, sizeof(*s->cpu));
	s->last_ns = calloc(be->ncpus, sizeof(*s->last_ns));
	s->cgroup = o->cgroup ? strdup(o->cgroup) : NULL;
	if (!s->cpu || !s->last_ns || (o->cgroup && !s->cgroup)) {
		close(o->out_fd);
		e = -ENOMEM;
		goto fail;
	}
	e = open_writer(s, o->out_fd, err, errlen);
	if (e)
		goto fail;
	e = be->ops->slot_start(
		be, slot,
		o->flags & TTD_CTL_F_NO_CHILDREN ? TTD_GROUP_NO_CHILDREN : 0);
	for (i = 0; !e && i < o->npids; i++)
		e = be->ops->slot_add_pid(be, slot, o->pids[i]);
	if (!e && o->cgroup)
		e = be->ops->slot_add_cgroup(be, slot, o->cgid);
	if (e == -EEXIST) {
		snprintf(err, errlen,
			 "a process of the group is already "
			 "traced by another session (the %s backend traces a "
			 "process for one session at a time)",
			 be->ops->name);
		be->ops->slot_stop(be, slot);
		goto fail;
	}
	if (e) {
		snprintf(err, errlen,
			 "the %s backend refused the task group: "
			 "%s",
			 be->ops->name, strerror(-e));
		be->ops->slot_stop(be, slot);
		goto fail;
	}
	s->tracing = true;
	*sp = s;
	return 0;
fail:
	if (s->w)
		ttd_writer_close(s->w, NULL, 0);
	free(s->cgroup);
	free(s->cpu);
	free(s->last_ns);
	free(s);
	return e;
}

static struct ttd_stream *cpu_stream(struct session *s, unsigned int cpu)
{
	char name[32];
	int e;

	if (s->cpu[cpu])
		return s->cpu[cpu];
	snprintf(name, sizeof(name), "cpu%u", cpu);
	e = ttd_stream_open(s->w, TTD_STREAM_CPU, cpu, 0, name, &s->cpu[cpu]);
	if (e && !s->err)
		s->err = e;
	return e ? NULL : s->cpu[cpu];
}

/* The last thread of a process exited; its final switch-out follows. */
static void dying_add(struct session *s, pid_t tid)
{
	s->exit_seen = true;
	/* More at once than that: the rest are not waited for. */
	if (s->ndying == SESSION_DYING_MAX)
		return;
	s->dying[s->ndying].tid = tid;
	s->dying[s->ndying].since_ns = mono_ns();
	s->ndying++;
}

static void dying_done(struct session *s, const struct ttd_rec_switch *sw)
{
	unsigned int i;

	if (sw->prev_state != TTD_STATE_DEAD)
		return;
	for (i = 0; i < s->ndying; i++) {
		if (s->dying[i].tid == sw->prev_tid) {
			s->dying[i] = s->dying[--s->ndying];
			return;
		}
	}
}

void session_record(struct session *s, const struct ttd_rec_header *rec)
{
	uint16_t type = kev_event_type(rec->type);
	struct ttd_stream *st;
	uint64_t t = rec->time_ns;
	int e;

	if (s->err || !type || rec->cpu >= s->be->ncpus)
		return;
	st = cpu_stream(s, rec->cpu);
	if (!st)
		return;
	/*
	 * A hook interrupted on its CPU by another (a signal sent from an
	 * interrupt during a fault) may publish a later time first.  The
	 * stream's time must not go back; the record keeps its own.
	 */
	if (t < s->last_ns[rec->cpu]) {
		t = s->last_ns[rec->cpu];
		s->clamped++;
	}
	s->last_ns[rec->cpu] = t;
	e = ttd_stream_append(st, type, t, rec, rec->size);
	if (e) {
		s->err = e;
		log_err("session %u: writing the recording failed: %s", s->id,
			ttd_writer_strerror(s->w));
		return;
	}
	s->events++;
	if (rec->type == TTD_REC_LOST)
		s->lost += ((const struct ttd_rec_lost *)rec)->count;
	if (rec->type == TTD_REC_EXIT && (rec->flags & TTD_EXIT_GROUP))
		dying_add(s, rec->tid);
	else if (rec->type == TTD_REC_SWITCH && s->ndying)
		dying_done(s, (const struct ttd_rec_switch *)rec);
}

unsigned int session_dying(struct session *s, uint64_t now)
{
	unsigned int i = 0;

	while (i < s->ndying) {
		if (now - s->dying[i].since_ns < SESSION_DYING_NS)
			i++;
		else
			s->dying[i] = s->dying[--s->ndying];
	}
	return s->ndying;
}

void session_flush(struct session *s)
{
	unsigned int i;
	int e;

	for (i = 0; i < s->be->ncpus && !s->err; i++) {
		if (!s->cpu[i])
			continue;
		e = ttd_stream_flush(s->cpu[i]);
		if (e)
			s->err = e;
	}
}

void session_stop(struct session *s)
{
	if (s->tracing)
		s->be->ops->slot_stop(s->be, s->slot);
	s->tracing = false;
}

int session_finish(struct session *s, char *err, size_t errlen)
{
	int e = s->err;
	int ce;

	session_stop(s);
	ce = ttd_writer_close(s->w, err, errlen);
	if (!e)
		e = ce;
	else if (err)
		snprintf(err, errlen, "%s", strerror(-e));
	if (s->clamped)
		log_debug("session %u: %llu records out of time order", s->id,
			  (unsigned long long)s->clamped);
	free(s->cgroup);
	free(s->cpu);
	free(s->last_ns);
	free(s);
	return e;
}
