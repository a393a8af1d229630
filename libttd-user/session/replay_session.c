// SPDX-License-Identifier: GPL-2.0
/* Feeding recorded streams to replaying engines (see replay_session.h). */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "replay_session.h"
#include "ring_user.h"
#include "inject/launch.h"
#include "format/ttd_format.h"
#include "record/rec_events.h"
#include "record/rr.h"

struct feed {
	pid_t pid; /* the replaying process */
	int rec_pid;
	uint32_t stream;
	int fd;
	struct ttd_ring *ring;
	uint64_t ring_size;
	pthread_t thread;
	int threaded;
	int error;
	int done; /* the whole stream went into the ring */
	struct replay_session *rs;
	struct feed *next;
};

struct replay_session {
	struct ttd_reader *r;
	pthread_mutex_t lock;
	struct feed *feeds;
	int root_rec_pid;
	uint32_t root_stream;
	int root_status;
	int diverged;
	int refused; /* a process asked for its stream and got none */
	int stop;
	struct launch_rr hooks;
	/* Debugging: the agents' connections go to debug_conn. */
	void (*debug_conn)(void *arg, pid_t pid, int fd);
	void *debug_arg;
};

/* Set when the replay is over: feeders blocked on a full ring give up. */
static int feed_stop;

static int feed_wait(struct ttd_ring *r)
{
	(void)r;
	return __atomic_load_n(&feed_stop, __ATOMIC_ACQUIRE);
}

static int put(struct feed *f, uint16_t type, uint16_t flags, const void *a,
	       size_t alen, const void *b, size_t blen)
{
	uint8_t *p = ring_reserve(f->ring, (uint32_t)(alen + blen), feed_wait);

	if (!p)
		return -1;
	memcpy(p, a, alen);
	if (blen)
		memcpy(p + alen, b, blen);
	ring_commit(f->ring, type, flags, (uint32_t)(alen + blen));
	return 0;
}

/* A stored blob, back into raw contents records. */
static int put_blob(struct feed *f, uint16_t type, const uint8_t *hash,
		    uint64_t len)
{
	struct ttd_hash h;
	static __thread uint8_t *buf;
	uint64_t off = 0;

	memcpy(h.b, hash, 16);
	if (!buf && !(buf = malloc(TTD_RING_MAX_REC)))
		return -1;
	while (off < len) {
		size_t n = len - off < TTD_RING_MAX_REC ? len - off
							: TTD_RING_MAX_REC;
		if (ttd_reader_blob_read(f->rs->r, &h, off, buf, n)) {
			fprintf(stderr, "ttdctl: replay: memory contents "
					"missing from the recording\n");
			return -1;
		}
		if (put(f, type, REC_RING_CONT, buf, n, NULL, 0))
			return -1;
		off += n;
	}
	return 0;
}

/* The stored contents that follow a region or a file mapping. */
static int event_blob(const struct ttd_event *ev, const uint8_t **hash,
		      uint64_t *len)
{
	if (ev->type == TTD_EV_SNAPSHOT_REGION &&
	    ev->len >= sizeof(struct rec_region)) {
		*hash = ((const struct rec_region *)ev->payload)->hash;
		*len = ((const struct rec_region *)ev->payload)->data_len;
		return 1;
	}
	if (ev->type == TTD_EV_MMAP && ev->len >= sizeof(struct rec_mmap)) {
		*hash = ((const struct rec_mmap *)ev->payload)->hash;
		*len = ((const struct rec_mmap *)ev->payload)->data_len;
		return 1;
	}
	return 0;
}

static int feed_event(struct feed *f, const struct ttd_event *ev)
{
	const uint8_t *hash;
	uint64_t len;

	if (put(f, ev->type, 0, ev->payload, ev->len, NULL, 0))
		return -1;
	if (event_blob(ev, &hash, &len))
		return put_blob(f, ev->type, hash, len);
	return 0;
}

static void *feeder(void *arg)
{
	struct feed *f = arg;
	struct ttd_iter *it;
	struct ttd_event ev;
	int ret;

	if (ttd_iter_open(f->rs->r, f->stream, 0, UINT64_MAX, &it)) {
		f->error = -1;
		goto out;
	}
	while ((ret = ttd_iter_next(it, &ev)) == 1)
		if (feed_event(f, &ev))
			break;
	f->done = ret == 0;
	if (ret < 0) {
		fprintf(stderr, "ttdctl: replay: %s\n",
			ttd_reader_strerror(f->rs->r));
		f->error = -1;
	}
	ttd_iter_close(it);
out:
	__atomic_store_n(&f->ring->closed, 1, __ATOMIC_RELEASE);
	ring_kick(&f->ring->cons_sleeping, &f->ring->head_seq);
	return NULL;
}

/* Ring bytes the whole stream takes, so that it never wraps. */
static uint64_t stream_ring_size(struct feed *f)
{
	uint64_t total = TTD_RING_MAX_REC * 2, size = 1 << 20;
	struct ttd_iter *it;
	struct ttd_event ev;

	if (ttd_iter_open(f->rs->r, f->stream, 0, UINT64_MAX, &it))
		return 0;
	while (ttd_iter_next(it, &ev) == 1) {
		const uint8_t *hash;
		uint64_t blob;
		total += ring_rec_space(ev.len);
		/* Contents go in pieces of at most TTD_RING_MAX_REC. */
		if (event_blob(&ev, &hash, &blob))
			total += blob + (blob / TTD_RING_MAX_REC + 1) * 16;
	}
	ttd_iter_close(it);
	while (size < total)
		size <<= 1;
	return size;
}

static uint32_t stream_of(struct replay_session *rs, int rec_pid)
{
	unsigned int n = ttd_reader_nstreams(rs->r);

	for (unsigned int i = 0; i < n; i++) {
		const struct ttd_stream_info *si = ttd_reader_stream(rs->r, i);
		if (si->kind == TTD_STREAM_PROCESS &&
		    si->os_id == (uint64_t)rec_pid)
			return si->id;
	}
	return 0;
}

static struct feed *find(struct replay_session *rs, pid_t pid)
{
	for (struct feed *f = rs->feeds; f; f = f->next)
		if (f->pid == pid)
			return f;
	return NULL;
}

static void feed_free(struct feed *f)
{
	if (f->fd >= 0) {
		munmap(f->ring, TTD_RING_DATA_OFF + f->ring_size);
		close(f->fd);
	}
	free(f);
}

/*
 * Under a debugger the process takes its whole stream at once (see
 * rr_attach_ring); otherwise a feeder thread streams it.  A feeder that
 * runs owns f->error until it is joined: the stream may be damaged
 * right at its start, and that is for replay_session_close to report.
 */
static int feed_start(struct feed *f)
{
	if (f->rs->debug_conn) {
		feeder(f);
		return f->error;
	}
	if (session_thread(&f->thread, feeder, f))
		return -1;
	f->threaded = 1;
	return 0;
}

static int give_ring(void *arg, pid_t pid, int why, int rec_pid)
{
	struct replay_session *rs = arg;
	struct feed *f;
	int fd = -1;

	pthread_mutex_lock(&rs->lock);
	f = find(rs, pid);
	if (f && why == RING_EXEC) {
		fd = dup(f->fd); /* the stream goes on where it stopped */
		goto out;
	}
	if (why == RING_LAUNCH)
		rec_pid = rs->root_rec_pid;
	f = calloc(1, sizeof(*f));
	if (!f)
		goto out;
	f->rs = rs;
	f->pid = pid;
	f->rec_pid = rec_pid;
	f->stream = stream_of(rs, rec_pid);
	if (!f->stream) {
		fprintf(stderr,
			"ttdctl: replay: the recording has no process %d\n",
			rec_pid);
		free(f);
		goto out;
	}
	f->ring_size = rs->debug_conn ? stream_ring_size(f) : SESSION_RING_SIZE;
	f->fd = f->ring_size ? session_ring_new(&f->ring, f->ring_size) : -1;
	if (f->fd < 0 || feed_start(f)) {
		fprintf(stderr, "ttdctl: replay: cannot replay process %d\n",
			rec_pid);
		feed_free(f);
		goto out;
	}
	f->next = rs->feeds;
	rs->feeds = f;
	fd = dup(f->fd);
out:
	/* Without it the process dies of an engine error, which its
	 * parent's replay does not notice: the replay has failed. */
	if (fd < 0)
		rs->refused = 1;
	pthread_mutex_unlock(&rs->lock);
	return fd;
}

static int rec_pid_of(void *arg, pid_t pid)
{
	struct replay_session *rs = arg;
	struct feed *f;
	int rec;

	pthread_mutex_lock(&rs->lock);
	f = find(rs, pid);
	rec = f ? f->rec_pid : rs->root_rec_pid;
	pthread_mutex_unlock(&rs->lock);
	return rec;
}

static void report(void *arg, int type, const char *text, size_t len)
{
	struct replay_session *rs = arg;

	(void)type;
	rs->diverged = 1;
	fwrite(text, 1, len, stderr);
}

/* The first process stream, and how it ended. */
static int find_root(struct replay_session *rs)
{
	unsigned int n = ttd_reader_nstreams(rs->r);
	struct ttd_iter *it;
	struct ttd_event ev;

	for (unsigned int i = 0; i < n && !rs->root_stream; i++) {
		const struct ttd_stream_info *si = ttd_reader_stream(rs->r, i);
		if (si->kind != TTD_STREAM_PROCESS)
			continue;
		rs->root_stream = si->id;
		rs->root_rec_pid = (int)si->os_id;
	}
	if (!rs->root_stream)
		return -1;
	rs->root_status = -1;
	if (ttd_iter_open(rs->r, rs->root_stream, 0, UINT64_MAX, &it))
		return -1;
	while (ttd_iter_next(it, &ev) == 1)
		if (ev.type == TTD_EV_PROCESS_EXIT &&
		    ev.len >= sizeof(struct rec_exit))
			rs->root_status =
				((const struct rec_exit *)ev.payload)->status;
	ttd_iter_close(it);
	return 0;
}

int replay_session_open(struct replay_session **rsp, const char *path)
{
	struct replay_session *rs = calloc(1, sizeof(*rs));
	const struct ttd_recovery *rc;
	char err[256];

	if (!rs)
		return -1;
	session_block_sigchld();
	if (ttd_reader_open(&rs->r, path, err, sizeof(err))) {
		fprintf(stderr, "ttdctl: %s: %s\n", path, err);
		free(rs);
		return -1;
	}
	rc = ttd_reader_recovery(rs->r);
	if (!rc->complete) {
		/* A cut-off stream would end in a divergence at best. */
		fprintf(stderr,
			"ttdctl: %s: the recording is damaged or incomplete "
			"(%s); it cannot be replayed\n",
			path, rc->reason[0] ? rc->reason : "no index");
		ttd_reader_close(rs->r);
		free(rs);
		return -1;
	}
	if (find_root(rs)) {
		fprintf(stderr, "ttdctl: %s: no recorded process\n", path);
		ttd_reader_close(rs->r);
		free(rs);
		return -1;
	}
	pthread_mutex_init(&rs->lock, NULL);
	rs->hooks.arg = rs;
	rs->hooks.session_fd = session_page_new();
	rs->hooks.ring = give_ring;
	rs->hooks.rec_pid_of = rec_pid_of;
	rs->hooks.report = report;
	*rsp = rs;
	return 0;
}

int replay_session_execs(struct replay_session *rs, int rec_pid)
{
	uint32_t stream = stream_of(rs, rec_pid);
	struct ttd_iter *it;
	struct ttd_event ev;
	int found = 0;

	if (!stream || ttd_iter_open(rs->r, stream, 0, UINT64_MAX, &it))
		return 0;
	while (!found && ttd_iter_next(it, &ev) == 1)
		found = ev.type == TTD_EV_EXEC;
	ttd_iter_close(it);
	return found;
}

/* The parent of a recorded process, from the start of its stream. */
static int stream_parent(struct replay_session *rs, uint32_t stream, int *ppid)
{
	struct ttd_iter *it;
	struct ttd_event ev;
	int ok = 0;

	if (ttd_iter_open(rs->r, stream, 0, UINT64_MAX, &it))
		return -1;
	if (ttd_iter_next(it, &ev) == 1 && ev.type == TTD_EV_PROCESS_CREATE &&
	    ev.len >= sizeof(struct rec_process)) {
		*ppid = ((const struct rec_process *)ev.payload)->ppid;
		ok = 1;
	}
	ttd_iter_close(it);
	return ok ? 0 : -1;
}

/* The recorded processes from the first down to pid, into the page that
 * every engine of the session maps. */
static int set_chain(struct replay_session *rs, int pid)
{
	int chain[RR_MAX_CHAIN], n = 0, cur = pid ? pid : rs->root_rec_pid;
	struct rr_session *page;

	while (n < RR_MAX_CHAIN) {
		uint32_t st = stream_of(rs, cur);
		int pp;
		if (!st || stream_parent(rs, st, &pp)) {
			fprintf(stderr,
				"ttdctl: replay: the recording has no process "
				"%d\n",
				cur);
			return -1;
		}
		chain[n++] = cur;
		if (cur == rs->root_rec_pid)
			break;
		cur = pp;
	}
	if (chain[n - 1] != rs->root_rec_pid)
		return -1;
	page = mmap(NULL, sizeof(*page), PROT_READ | PROT_WRITE, MAP_SHARED,
		    rs->hooks.session_fd, 0);
	if (page == MAP_FAILED)
		return -1;
	page->debug_nchain = (uint32_t)n;
	/* The first process, and the children it forks, as they fork. */
	page->debug_all = !pid;
	for (int i = 0; i < n; i++)
		page->debug_chain[i] = chain[n - 1 - i];
	munmap(page, sizeof(*page));
	return 0;
}

static int give_debug(void *arg, pid_t pid)
{
	struct replay_session *rs = arg;
	int sv[2];

	if (!rs->debug_conn ||
	    socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv))
		return -1;
	rs->debug_conn(rs->debug_arg, pid, sv[0]);
	return sv[1];
}

int replay_session_debug(struct replay_session *rs, int pid,
			 void (*conn)(void *arg, pid_t pid, int fd), void *arg)
{
	if (set_chain(rs, pid))
		return -1;
	rs->debug_conn = conn;
	rs->debug_arg = arg;
	rs->hooks.debug = give_debug;
	return 0;
}

const struct launch_rr *replay_session_hooks(struct replay_session *rs)
{
	return &rs->hooks;
}

int replay_session_recorded_status(struct replay_session *rs)
{
	return rs->root_status;
}

int replay_session_close(struct replay_session *rs, int quiet)
{
	int ret = rs->diverged || rs->refused ? -1 : 0;

	(void)quiet;
	__atomic_store_n(&feed_stop, 1, __ATOMIC_RELEASE);
	for (struct feed *f = rs->feeds, *n; f; f = n) {
		n = f->next;
		if (f->threaded)
			pthread_join(f->thread, NULL);
		if (!rs->diverged && !f->error && !rs->debug_conn &&
		    (ring_peek(f->ring) || !f->done)) {
			fprintf(stderr,
				"ttdctl: replay: process %d stopped before "
				"the end of its recording\n",
				f->rec_pid);
			ret = -1;
		}
		if (f->error)
			ret = -1;
		feed_free(f);
	}
	ttd_reader_close(rs->r);
	if (rs->hooks.session_fd >= 0)
		close(rs->hooks.session_fd);
	free(rs);
	return ret;
}
