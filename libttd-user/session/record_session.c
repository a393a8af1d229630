// SPDX-License-Identifier: GPL-2.0
/* Draining the engines' rings into a recording (see record_session.h). */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "record_session.h"
#include "ring_user.h"
#include "inject/launch.h"
#include "format/ttd_format.h"
#include "record/rec_events.h"
#include "record/rr.h"

struct proc_ring {
	pid_t pid;
	int fd;
	struct ttd_ring *ring;
	struct ttd_stream *stream;
	uint64_t seq;
	/* A region or mapping whose contents are still arriving. */
	uint16_t blob_type;
	uint8_t *blob_hdr;
	uint32_t blob_hdr_len;
	uint8_t *blob;
	uint64_t blob_len, blob_have;
	struct proc_ring *next;
};

struct record_session {
	struct ttd_writer *w;
	struct ttd_stream *files;
	pthread_mutex_t lock;
	struct proc_ring *rings;
	pthread_t drainer;
	int stop;
	int failed;
	int error;
	struct record_stats st;
	struct launch_rr hooks;
};

static int append(struct record_session *rs, struct proc_ring *p, uint16_t type,
		  const void *payload, size_t len)
{
	int err = ttd_stream_append(p->stream, type, p->seq++, payload, len);

	if (err && !rs->error) {
		fprintf(stderr, "ttdctl: writing the recording: %s\n",
			ttd_writer_strerror(rs->w));
		rs->error = err;
	}
	rs->st.events++;
	rs->st.bytes += len;
	return err;
}

/* The whole blob has arrived: store it and the event naming it. */
static void blob_done(struct record_session *rs, struct proc_ring *p)
{
	struct ttd_hash h;
	uint8_t *hash_field;

	if (ttd_writer_put_blob(rs->w, ttd_stream_id(rs->files), p->blob,
				p->blob_len, &h) &&
	    !rs->error) {
		fprintf(stderr, "ttdctl: storing memory contents: %s\n",
			ttd_writer_strerror(rs->w));
		rs->error = -EIO;
	}
	hash_field = p->blob_type == TTD_EV_MMAP
			     ? p->blob_hdr + offsetof(struct rec_mmap, hash)
			     : p->blob_hdr + offsetof(struct rec_region, hash);
	memcpy(hash_field, h.b, 16);
	append(rs, p, p->blob_type, p->blob_hdr, p->blob_hdr_len);
	free(p->blob_hdr);
	free(p->blob);
	p->blob_hdr = p->blob = NULL;
	p->blob_type = 0;
}

static void blob_start(struct record_session *rs, struct proc_ring *p,
		       struct ttd_ring_rec *h, uint64_t data_len)
{
	p->blob_type = h->type;
	p->blob_hdr = malloc(h->len);
	p->blob_hdr_len = h->len;
	memcpy(p->blob_hdr, h + 1, h->len);
	p->blob_len = data_len;
	p->blob_have = 0;
	p->blob = malloc(data_len ? data_len : 1);
	if (!p->blob_hdr || !p->blob) {
		fprintf(stderr, "ttdctl: out of memory\n");
		exit(1);
	}
	if (!data_len)
		blob_done(rs, p);
}

static void take(struct record_session *rs, struct proc_ring *p,
		 struct ttd_ring_rec *h)
{
	if (h->flags & REC_RING_CONT) {
		if (!p->blob_type || p->blob_have + h->len > p->blob_len)
			return; /* stray contents: the engine is broken */
		memcpy(p->blob + p->blob_have, h + 1, h->len);
		p->blob_have += h->len;
		if (p->blob_have == p->blob_len)
			blob_done(rs, p);
		return;
	}
	if (h->type == TTD_EV_SNAPSHOT_REGION &&
	    h->len >= sizeof(struct rec_region)) {
		blob_start(rs, p, h, ((struct rec_region *)(h + 1))->data_len);
		return;
	}
	if (h->type == TTD_EV_MMAP && h->len >= sizeof(struct rec_mmap)) {
		blob_start(rs, p, h, ((struct rec_mmap *)(h + 1))->data_len);
		return;
	}
	append(rs, p, h->type, h + 1, h->len);
}

/* Drain what one ring holds now; returns the records taken. */
static int drain_one(struct record_session *rs, struct proc_ring *p)
{
	struct ttd_ring_rec *h;
	int n = 0;

	while ((h = ring_peek(p->ring))) {
		take(rs, p, h);
		ring_consume(p->ring, h);
		n++;
	}
	return n;
}

static int drain_all(struct record_session *rs)
{
	int n = 0;

	pthread_mutex_lock(&rs->lock);
	for (struct proc_ring *p = rs->rings; p; p = p->next)
		n += drain_one(rs, p);
	pthread_mutex_unlock(&rs->lock);
	return n;
}

static void *drainer(void *arg)
{
	struct record_session *rs = arg;
	struct timespec nap = { 0, 200000 };

	while (!__atomic_load_n(&rs->stop, __ATOMIC_ACQUIRE))
		if (!drain_all(rs))
			nanosleep(&nap, NULL);
	drain_all(rs);
	return NULL;
}

static struct proc_ring *find(struct record_session *rs, pid_t pid)
{
	for (struct proc_ring *p = rs->rings; p; p = p->next)
		if (p->pid == pid)
			return p;
	return NULL;
}

/* One ring per process, kept across its execs: the new image goes on
 * where the old one stopped. */
static int give_ring(void *arg, pid_t pid, int why, int rec_pid)
{
	struct record_session *rs = arg;
	struct proc_ring *p;
	char name[32];
	int fd = -1;

	(void)rec_pid;
	pthread_mutex_lock(&rs->lock);
	p = find(rs, pid);
	if (p && why == RING_EXEC) {
		fd = dup(p->fd);
		goto out;
	}
	p = calloc(1, sizeof(*p));
	if (!p)
		goto out;
	p->pid = pid;
	p->fd = session_ring_new(&p->ring, SESSION_RING_SIZE);
	snprintf(name, sizeof(name), "pid %d", pid);
	if (p->fd < 0 || ttd_stream_open(rs->w, TTD_STREAM_PROCESS,
					 (uint64_t)pid, 0, name, &p->stream)) {
		fprintf(stderr, "ttdctl: cannot set up recording of %d\n", pid);
		if (p->fd >= 0) {
			munmap(p->ring, TTD_RING_DATA_OFF + SESSION_RING_SIZE);
			close(p->fd);
		}
		free(p);
		goto out;
	}
	p->next = rs->rings;
	rs->rings = p;
	rs->st.processes++;
	fd = dup(p->fd);
out:
	/* Without it the process dies of an engine error, unrecorded. */
	if (fd < 0)
		rs->failed = 1;
	pthread_mutex_unlock(&rs->lock);
	return fd;
}

static void report(void *arg, int type, const char *text, size_t len)
{
	struct record_session *rs = arg;

	(void)type;
	rs->failed = 1;
	fwrite(text, 1, len, stderr);
}

int record_session_open(struct record_session **rsp, const char *path, int argc,
			char **argv)
{
	struct record_session *rs = calloc(1, sizeof(*rs));
	struct ttd_writer_opts o;
	char err[256];

	if (!rs)
		return -1;
	session_block_sigchld();
	ttd_writer_opts_init(&o);
	o.argc = argc;
	o.argv = argv;
	if (ttd_writer_open(&rs->w, path, &o, err, sizeof(err))) {
		fprintf(stderr, "ttdctl: %s: %s\n", path, err);
		free(rs);
		return -1;
	}
	if (ttd_stream_open(rs->w, TTD_STREAM_FILE, 0, 0, "contents",
			    &rs->files)) {
		fprintf(stderr, "ttdctl: %s: %s\n", path,
			ttd_writer_strerror(rs->w));
		return -1;
	}
	pthread_mutex_init(&rs->lock, NULL);
	rs->hooks.arg = rs;
	rs->hooks.session_fd = session_page_new();
	rs->hooks.ring = give_ring;
	rs->hooks.report = report;
	if (session_thread(&rs->drainer, drainer, rs)) {
		fprintf(stderr, "ttdctl: cannot start the recorder thread\n");
		return -1;
	}
	*rsp = rs;
	return 0;
}

const struct launch_rr *record_session_hooks(struct record_session *rs)
{
	return &rs->hooks;
}

int record_session_close(struct record_session *rs, int *failed,
			 struct record_stats *st)
{
	char err[256];
	int ret = 0;

	__atomic_store_n(&rs->stop, 1, __ATOMIC_RELEASE);
	pthread_join(rs->drainer, NULL);
	for (struct proc_ring *p = rs->rings, *n; p; p = n) {
		n = p->next;
		ttd_stream_close(p->stream);
		munmap(p->ring, TTD_RING_DATA_OFF + SESSION_RING_SIZE);
		close(p->fd);
		free(p->blob_hdr);
		free(p->blob);
		free(p);
	}
	ttd_stream_close(rs->files);
	if (ttd_writer_close(rs->w, err, sizeof(err))) {
		fprintf(stderr, "ttdctl: closing the recording: %s\n", err);
		ret = -1;
	}
	if (rs->error)
		ret = -1;
	*failed = rs->failed;
	if (st)
		*st = rs->st;
	if (rs->hooks.session_fd >= 0)
		close(rs->hooks.session_fd);
	free(rs);
	return ret;
}
