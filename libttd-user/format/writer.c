// SPDX-License-Identifier: GPL-2.0
/*
 * The .ttd writer.
 *
 * Data path: a producer (struct ttd_stream) encodes events into its own
 * buffer with no lock.  A full buffer is sealed: it gets a ticket (the
 * chunk's sequence number, which is also its position in the file) and
 * goes to the compression workers.  Compressed chunks meet again in the
 * I/O thread, which writes them strictly in ticket order (see wio.c), so
 * the file is always a run of complete chunks followed by at most one
 * torn one, whatever moment the process dies at.
 *
 * Memory is bounded by max_buffered: sealing waits while that many
 * uncompressed bytes are between producers and the disk.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zstd.h>

#include "crc32c.h"
#include "layout.h"
#include "writer_int.h"

static void set_msg(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void set_msg(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || !errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

void writer_fail(struct ttd_writer *w, int err, const char *fmt, ...)
{
	va_list ap;

	/* Called with w->lock held; only the first error is kept. */
	if (w->err)
		return;
	va_start(ap, fmt);
	vsnprintf(w->errmsg, sizeof(w->errmsg), fmt, ap);
	va_end(ap);
	__atomic_store_n(&w->err, err, __ATOMIC_RELEASE);
	pthread_cond_broadcast(&w->space_cv);
}

void ttd_writer_opts_init(struct ttd_writer_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->zstd_level = 1;
	o->workers = 1;
	o->chunk_size = 1u << 20;
	o->max_buffered = 64u << 20;
	o->sync = TTD_SYNC_CLOSE;
	o->sync_every_mb = 64;
	o->file_mode = 0600;
}

static int check_opts(struct ttd_writer_opts *o, char *err, size_t errlen)
{
	if (o->workers < 1 || o->workers > 64) {
		set_msg(err, errlen, "workers must be 1..64, not %u",
			o->workers);
		return -EINVAL;
	}
	if (o->zstd_level < ZSTD_minCLevel() ||
	    o->zstd_level > ZSTD_maxCLevel()) {
		set_msg(err, errlen, "zstd level %d out of range %d..%d",
			o->zstd_level, ZSTD_minCLevel(), ZSTD_maxCLevel());
		return -EINVAL;
	}
	if (o->chunk_size < 4096 || o->chunk_size > (16u << 20)) {
		set_msg(err, errlen, "chunk size %zu out of range 4K..16M",
			o->chunk_size);
		return -EINVAL;
	}
	if (o->max_buffered < o->chunk_size)
		o->max_buffered = o->chunk_size;
	if (o->sync > TTD_SYNC_CLOSE) {
		set_msg(err, errlen, "unknown durability policy %d", o->sync);
		return -EINVAL;
	}
	if (o->sync == TTD_SYNC_EVERY && o->sync_every_mb == 0)
		o->sync_every_mb = 1;
	return 0;
}

static void *worker_main(void *arg);

static int start_threads(struct ttd_writer *w, char *err, size_t errlen)
{
	int ret;

	w->workers = calloc(w->o.workers, sizeof(*w->workers));
	if (!w->workers)
		return -ENOMEM;
	for (unsigned int i = 0; i < w->o.workers; i++) {
		ret = pthread_create(&w->workers[i], NULL, worker_main, w);
		if (ret) {
			set_msg(err, errlen, "cannot start worker: %s",
				strerror(ret));
			return -ret;
		}
		w->nworkers++;
	}
	ret = pthread_create(&w->io, NULL, wio_main, w);
	if (ret) {
		set_msg(err, errlen, "cannot start I/O thread: %s",
			strerror(ret));
		return -ret;
	}
	w->io_started = 1;
	return 0;
}

static void stop_threads(struct ttd_writer *w)
{
	pthread_mutex_lock(&w->lock);
	w->stop = 1;
	pthread_cond_broadcast(&w->work_cv);
	pthread_cond_broadcast(&w->io_cv);
	pthread_mutex_unlock(&w->lock);
	for (unsigned int i = 0; i < w->nworkers; i++)
		pthread_join(w->workers[i], NULL);
	if (w->io_started)
		pthread_join(w->io, NULL);
	w->nworkers = 0;
	w->io_started = 0;
}

static void writer_free(struct ttd_writer *w)
{
	if (w->fd >= 0)
		close(w->fd);
	wio_exit(w);
	free(w->workers);
	free(w->index);
	free(w->kinds);
	free(w->hset);
	while (w->pool_n)
		free(w->pool[--w->pool_n]);
	free(w->pool);
	pthread_mutex_destroy(&w->pool_lock);
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->work_cv);
	pthread_cond_destroy(&w->io_cv);
	pthread_cond_destroy(&w->space_cv);
	free(w);
}

int ttd_writer_open_fd(struct ttd_writer **wp, int fd,
		       const struct ttd_writer_opts *o, char *err,
		       size_t errlen)
{
	struct ttd_writer *w;
	uint8_t *hdr;
	size_t hlen;
	int ret;

	*wp = NULL;
	w = calloc(1, sizeof(*w));
	if (!w) {
		close(fd);
		return -ENOMEM;
	}
	w->fd = fd;
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->work_cv, NULL);
	pthread_cond_init(&w->io_cv, NULL);
	pthread_cond_init(&w->space_cv, NULL);
	if (o)
		w->o = *o;
	else
		ttd_writer_opts_init(&w->o);
	w->next_stream = 1;
	pthread_mutex_init(&w->pool_lock, NULL);
	ret = check_opts(&w->o, err, errlen);
	if (ret)
		goto fail;
	w->big = TTD_CHUNK_HDR + TTD_BLOB_DESC + 16 +
		 ZSTD_compressBound(w->o.chunk_size + 64);
	w->pool_max = 2 * (w->o.max_buffered / w->o.chunk_size) +
		      2 * w->o.workers + 8;
	w->pool = calloc(w->pool_max, sizeof(*w->pool));
	if (!w->pool) {
		ret = -ENOMEM;
		goto fail;
	}
	ret = header_build(&w->o, &hdr, &hlen);
	if (ret) {
		set_msg(err, errlen, "cannot build file header: %s",
			strerror(-ret));
		goto fail;
	}
	if (ftruncate(fd, 0) < 0 || pwrite_all(fd, hdr, hlen, 0) < 0) {
		ret = -errno;
		set_msg(err, errlen, "cannot write file header: %s",
			strerror(errno));
		free(hdr);
		goto fail;
	}
	free(hdr);
	w->off = hlen;
	wio_init(w);
	ret = start_threads(w, err, errlen);
	if (ret)
		goto fail_threads;
	*wp = w;
	return 0;
fail_threads:
	stop_threads(w);
fail:
	writer_free(w);
	return ret;
}

int ttd_writer_open(struct ttd_writer **wp, const char *path,
		    const struct ttd_writer_opts *o, char *err, size_t errlen)
{
	int flags = O_RDWR | O_CREAT | O_CLOEXEC;
	unsigned int mode = o ? o->file_mode : 0600;
	struct ttd_writer_opts copy;
	int fd, ret;

	*wp = NULL;
	/* Refuse bad options before creating or truncating anything. */
	if (o) {
		copy = *o;
		ret = check_opts(&copy, err, errlen);
		if (ret)
			return ret;
	}
	flags |= (o && o->exclusive) ? O_EXCL : O_TRUNC;
	fd = open(path, flags, mode ? mode : 0600);
	if (fd < 0) {
		set_msg(err, errlen, "%s: %s", path, strerror(errno));
		return -errno;
	}
	return ttd_writer_open_fd(wp, fd, o, err, errlen);
}

/* ---- the pipeline ------------------------------------------------- */

void *buf_get(struct ttd_writer *w)
{
	void *p = NULL;

	pthread_mutex_lock(&w->pool_lock);
	if (w->pool_n)
		p = w->pool[--w->pool_n];
	pthread_mutex_unlock(&w->pool_lock);
	return p ? p : malloc(w->big);
}

void buf_put(struct ttd_writer *w, void *p, size_t cap)
{
	if (!p)
		return;
	if (cap == w->big) {
		pthread_mutex_lock(&w->pool_lock);
		if (w->pool_n < w->pool_max) {
			w->pool[w->pool_n++] = p;
			p = NULL;
		}
		pthread_mutex_unlock(&w->pool_lock);
	}
	free(p);
}

static void job_free(struct ttd_writer *w, struct job *j)
{
	if (!j)
		return;
	buf_put(w, j->raw, j->raw_cap);
	buf_put(w, j->out, j->out_cap);
	free(j);
}

/* Insert into the ready list, kept sorted by ticket.  Lock held. */
static void ready_insert(struct ttd_writer *w, struct job *j)
{
	struct job **pp = &w->ready;

	while (*pp && (*pp)->seq < j->seq)
		pp = &(*pp)->next;
	j->next = *pp;
	*pp = j;
	if (j->seq == w->write_seq)
		pthread_cond_signal(&w->io_cv);
}

/*
 * Take a ticket for j and queue it, waiting for buffer space first.  On
 * error j is freed and the writer's error returned.
 */
static int submit(struct ttd_writer *w, struct job *j, int compress)
{
	int err;

	pthread_mutex_lock(&w->lock);
	if (w->buffered && w->buffered + j->acct > w->o.max_buffered &&
	    !w->err) {
		w->stats.stalls++;
		while (w->buffered &&
		       w->buffered + j->acct > w->o.max_buffered && !w->err)
			pthread_cond_wait(&w->space_cv, &w->lock);
	}
	err = w->err;
	if (err) {
		pthread_mutex_unlock(&w->lock);
		job_free(w, j);
		return err;
	}
	j->seq = w->next_seq++;
	w->buffered += j->acct;
	w->stats.events += j->nevents;
	w->stats.raw_bytes += j->payload_bytes;
	j->next = NULL;
	if (compress) {
		if (w->work_tail)
			w->work_tail->next = j;
		else
			w->work_head = j;
		w->work_tail = j;
		pthread_cond_signal(&w->work_cv);
	} else {
		ready_insert(w, j);
	}
	pthread_mutex_unlock(&w->lock);
	return 0;
}

/* Lay out header room, the raw prefix and the stored payload in j->out. */
static int compress_job(struct ttd_writer *w, struct job *j, ZSTD_CCtx *cctx)
{
	size_t body = j->raw_len - j->prefix;
	size_t bound = ZSTD_compressBound(body);
	size_t n, csize, need = TTD_CHUNK_HDR + j->prefix + bound + 8;
	uint8_t *out;

	j->out_cap = need <= w->big ? w->big : need;
	out = need <= w->big ? buf_get(w) : malloc(need);
	if (!out)
		return -ENOMEM;
	memcpy(out + TTD_CHUNK_HDR, j->raw, j->prefix);
	n = ZSTD_compressCCtx(cctx, out + TTD_CHUNK_HDR + j->prefix, bound,
			      j->raw + j->prefix, body, w->o.zstd_level);
	if (!ZSTD_isError(n) && n < body) {
		j->h.flags = TTD_CF_ZSTD;
		csize = j->prefix + n;
	} else {
		/* Incompressible: store, so the reader never inflates. */
		j->h.flags = 0;
		memcpy(out + TTD_CHUNK_HDR + j->prefix, j->raw + j->prefix,
		       body);
		csize = j->raw_len;
	}
	j->h.csize = csize;
	j->h.usize = j->raw_len;
	j->h.pcrc = crc32c(0, out + TTD_CHUNK_HDR, csize);
	j->out_len = TTD_CHUNK_HDR + ttd_align8(csize);
	memset(out + TTD_CHUNK_HDR + csize, 0,
	       j->out_len - TTD_CHUNK_HDR - csize);
	j->out = out;
	buf_put(w, j->raw, j->raw_cap);
	j->raw = NULL;
	return 0;
}

/* A chunk stored as is (registry): built by the caller's thread. */
static int store_job(struct job *j)
{
	j->prefix = j->raw_len;
	j->h.flags = 0;
	j->out_len = TTD_CHUNK_HDR + ttd_align8(j->raw_len);
	j->out_cap = j->out_len;
	j->out = malloc(j->out_len);
	if (!j->out)
		return -ENOMEM;
	memset(j->out, 0, j->out_len);
	memcpy(j->out + TTD_CHUNK_HDR, j->raw, j->raw_len);
	j->h.csize = j->h.usize = j->raw_len;
	j->h.pcrc = crc32c(0, j->raw, j->raw_len);
	free(j->raw);
	j->raw = NULL;
	return 0;
}

static void *worker_main(void *arg)
{
	struct ttd_writer *w = arg;
	ZSTD_CCtx *cctx = ZSTD_createCCtx();
	struct job *j;
	int ret;

	for (;;) {
		pthread_mutex_lock(&w->lock);
		while (!w->work_head && !w->stop)
			pthread_cond_wait(&w->work_cv, &w->lock);
		j = w->work_head;
		if (!j) {
			pthread_mutex_unlock(&w->lock);
			break;
		}
		w->work_head = j->next;
		if (!w->work_head)
			w->work_tail = NULL;
		pthread_mutex_unlock(&w->lock);

		ret = cctx ? compress_job(w, j, cctx) : -ENOMEM;
		pthread_mutex_lock(&w->lock);
		if (ret) {
			writer_fail(w, ret, "compressing chunk %llu: %s",
				    (unsigned long long)j->seq, strerror(-ret));
			/* The I/O thread drops it in ticket order. */
			j->dropped = 1;
		}
		ready_insert(w, j);
		pthread_mutex_unlock(&w->lock);
	}
	ZSTD_freeCCtx(cctx);
	return NULL;
}

static struct job *job_new(uint16_t type, uint32_t stream)
{
	struct job *j = calloc(1, sizeof(*j));

	if (j) {
		j->h.type = type;
		j->h.stream = stream;
	}
	return j;
}

/* ---- streams ----------------------------------------------------- */

static int remember_stream(struct ttd_writer *w, uint32_t id, unsigned int kind)
{
	if (id >= w->kinds_cap) {
		size_t cap = w->kinds_cap ? w->kinds_cap * 2 : 64;
		uint8_t *k = realloc(w->kinds, cap);

		if (!k)
			return -ENOMEM;
		memset(k + w->kinds_cap, 0, cap - w->kinds_cap);
		w->kinds = k;
		w->kinds_cap = cap;
	}
	w->kinds[id] = kind;
	return 0;
}

int ttd_stream_open(struct ttd_writer *w, enum ttd_stream_kind kind,
		    uint64_t os_id, uint32_t parent, const char *name,
		    struct ttd_stream **sp)
{
	size_t nlen = name ? strnlen(name, TTD_STREAM_NAME_MAX) : 0;
	struct ttd_stream *s;
	struct job *j;
	uint32_t id;
	int ret;

	*sp = NULL;
	if (kind < TTD_STREAM_META || kind > TTD_STREAM_SNAPSHOT)
		return -EINVAL;
	s = calloc(1, sizeof(*s));
	j = job_new(TTD_CHUNK_STREAMS, 0);
	if (!s || !j)
		goto nomem;
	j->raw_len = ttd_align8(TTD_STREAM_REC + nlen);
	j->raw = calloc(1, j->raw_len);
	if (!j->raw)
		goto nomem;
	pthread_mutex_lock(&w->lock);
	if (parent >= w->next_stream) {
		pthread_mutex_unlock(&w->lock);
		ret = -EINVAL;
		goto fail;
	}
	id = w->next_stream;
	ret = remember_stream(w, id, kind);
	if (ret) {
		pthread_mutex_unlock(&w->lock);
		goto fail;
	}
	w->next_stream++;
	s->w = w;
	s->id = id;
	s->next = w->open_streams;
	if (s->next)
		s->next->prev = s;
	w->open_streams = s;
	pthread_mutex_unlock(&w->lock);

	put32(j->raw, id);
	put16(j->raw + 4, kind);
	put16(j->raw + 6, nlen);
	put32(j->raw + 8, parent);
	put64(j->raw + 16, os_id);
	memcpy(j->raw + TTD_STREAM_REC, name ? name : "", nlen);
	j->h.events = 1;
	ret = store_job(j);
	if (ret)
		goto fail_registered;
	j->acct = j->out_len;
	ret = submit(w, j, 0);
	if (ret) {
		j = NULL;
		goto fail_registered;
	}
	*sp = s;
	return 0;
fail_registered:
	ttd_stream_close(s);
	job_free(w, j);
	return ret;
nomem:
	ret = -ENOMEM;
fail:
	free(s);
	job_free(w, j);
	return ret;
}

uint32_t ttd_stream_id(const struct ttd_stream *s)
{
	return s->id;
}

static int seal(struct ttd_stream *s)
{
	struct job *j;

	if (!s->nev)
		return 0;
	j = job_new(TTD_CHUNK_EVENTS, s->id);
	if (!j)
		return -ENOMEM;
	j->raw = s->buf;
	j->raw_cap = s->cap;
	j->raw_len = s->used;
	j->acct = s->used;
	j->h.events = s->nev;
	j->h.first = s->first;
	j->h.last = s->last;
	j->nevents = s->nev;
	j->payload_bytes = s->payload_bytes;
	s->buf = NULL;
	s->cap = s->used = 0;
	s->nev = 0;
	s->sealed = 1;
	s->payload_bytes = 0;
	return submit(s->w, j, 1);
}

/*
 * A stream's first buffer starts small (most threads log little); once it
 * reaches chunk size, and for every chunk after its first, it is a pooled
 * buffer.
 */
static int grow(struct ttd_stream *s, size_t need)
{
	struct ttd_writer *w = s->w;
	size_t limit = w->o.chunk_size + 64;
	size_t cap = s->cap ? s->cap * 2 : s->sealed ? limit : 65536;
	uint8_t *b;

	while (cap < need)
		cap *= 2;
	if (cap >= limit && need <= w->big) {
		b = buf_get(w);
		if (!b)
			return -ENOMEM;
		if (s->used)
			memcpy(b, s->buf, s->used);
		buf_put(w, s->buf, s->cap);
		s->buf = b;
		s->cap = w->big;
		return 0;
	}
	if (cap > limit)
		cap = limit > need ? limit : need;
	b = realloc(s->buf, cap);
	if (!b)
		return -ENOMEM;
	s->buf = b;
	s->cap = cap;
	return 0;
}

int ttd_stream_append(struct ttd_stream *s, uint16_t type, uint64_t icount,
		      const void *payload, size_t len)
{
	size_t need = s->used + 3 * 10 + len;
	uint8_t *p;
	int ret;

	ret = __atomic_load_n(&s->w->err, __ATOMIC_ACQUIRE);
	if (ret)
		return ret;
	if (icount < s->last && (s->nev || s->any))
		return -EINVAL;
	if (len > TTD_MAX_EVENT)
		return -E2BIG;
	if (need > s->cap) {
		if (s->used && need > s->w->o.chunk_size) {
			ret = seal(s);
			if (ret)
				return ret;
			need = 3 * 10 + len;
		}
		if (need > s->cap) {
			ret = grow(s, need);
			if (ret)
				return ret;
		}
	}
	if (!s->nev)
		s->first = s->last = icount;
	p = s->buf + s->used;
	p = put_varint(p, type);
	p = put_varint(p, icount - s->last);
	p = put_varint(p, len);
	if (len) /* payload may be NULL when empty */
		memcpy(p, payload, len);
	s->used = p + len - s->buf;
	s->last = icount;
	s->nev++;
	s->any = 1;
	s->payload_bytes += len;
	if (s->used >= s->w->o.chunk_size)
		return seal(s);
	return 0;
}

int ttd_stream_flush(struct ttd_stream *s)
{
	return seal(s);
}

int ttd_stream_close(struct ttd_stream *s)
{
	struct ttd_writer *w = s->w;
	int ret = seal(s);

	pthread_mutex_lock(&w->lock);
	if (s->prev)
		s->prev->next = s->next;
	else
		w->open_streams = s->next;
	if (s->next)
		s->next->prev = s->prev;
	pthread_mutex_unlock(&w->lock);
	buf_put(w, s->buf, s->cap);
	free(s);
	return ret;
}

/* ---- blobs ------------------------------------------------------- */

static int zero_hash(const struct ttd_hash *h)
{
	static const struct ttd_hash z;

	return !memcmp(h, &z, sizeof(z));
}

/* Returns 1 if h was already present, 0 if added, -ENOMEM.  Lock held. */
static int hset_add(struct ttd_writer *w, const struct ttd_hash *h)
{
	size_t mask, i;

	if (zero_hash(h))
		return 0; /* the empty marker: never deduplicated */
	if (2 * (w->hset_n + 1) > w->hset_cap) {
		size_t cap = w->hset_cap ? w->hset_cap * 2 : 256;
		struct ttd_hash *n = calloc(cap, sizeof(*n));

		if (!n)
			return -ENOMEM;
		for (size_t k = 0; k < w->hset_cap; k++) {
			if (zero_hash(&w->hset[k]))
				continue;
			i = get64(w->hset[k].b) & (cap - 1);
			while (!zero_hash(&n[i]))
				i = (i + 1) & (cap - 1);
			n[i] = w->hset[k];
		}
		free(w->hset);
		w->hset = n;
		w->hset_cap = cap;
	}
	mask = w->hset_cap - 1;
	for (i = get64(h->b) & mask; !zero_hash(&w->hset[i]);
	     i = (i + 1) & mask)
		if (!memcmp(&w->hset[i], h, sizeof(*h)))
			return 1;
	w->hset[i] = *h;
	w->hset_n++;
	return 0;
}

int ttd_writer_put_blob(struct ttd_writer *w, uint32_t stream, const void *data,
			uint64_t len, struct ttd_hash *hp)
{
	struct ttd_hash h;
	uint64_t off = 0;
	int ret;

	ttd_hash_compute(data, len, &h);
	if (hp)
		*hp = h;
	pthread_mutex_lock(&w->lock);
	ret = w->err;
	if (!ret && (stream >= w->next_stream || stream == 0 ||
		     (w->kinds[stream] != TTD_STREAM_FILE &&
		      w->kinds[stream] != TTD_STREAM_SNAPSHOT)))
		ret = -EINVAL;
	if (!ret) {
		ret = hset_add(w, &h);
		if (ret == 1)
			w->stats.blob_dups++;
		else if (ret == 0)
			w->stats.blobs++;
	}
	pthread_mutex_unlock(&w->lock);
	if (ret)
		return ret < 0 ? ret : 0;
	do {
		uint64_t n =
			len - off < TTD_BLOB_PIECE ? len - off : TTD_BLOB_PIECE;
		struct job *j = job_new(TTD_CHUNK_BLOB, stream);

		if (!j)
			return -ENOMEM;
		j->raw_len = TTD_BLOB_DESC + n;
		j->raw = malloc(j->raw_len);
		if (!j->raw) {
			job_free(w, j);
			return -ENOMEM;
		}
		memcpy(j->raw, h.b, 16);
		put64(j->raw + 16, len);
		put64(j->raw + 24, off);
		memcpy(j->raw + TTD_BLOB_DESC, (const uint8_t *)data + off, n);
		j->prefix = TTD_BLOB_DESC;
		j->acct = j->raw_len;
		j->h.events = 1;
		j->h.first = off;
		j->h.last = off + n;
		j->payload_bytes = n;
		ret = submit(w, j, 1);
		if (ret)
			return ret;
		off += n;
	} while (off < len);
	return 0;
}

/* ---- flush, close -------------------------------------------------- */

static int wait_written(struct ttd_writer *w)
{
	uint64_t target;
	int err;

	pthread_mutex_lock(&w->lock);
	target = w->next_seq;
	while (w->written_seq < target)
		pthread_cond_wait(&w->space_cv, &w->lock);
	err = w->err;
	pthread_mutex_unlock(&w->lock);
	return err;
}

int ttd_writer_flush(struct ttd_writer *w)
{
	int err = wait_written(w);

	if (err)
		return err;
	if (w->o.sync != TTD_SYNC_NONE && fdatasync(w->fd) < 0) {
		err = -errno;
		pthread_mutex_lock(&w->lock);
		writer_fail(w, err, "fdatasync: %s", strerror(errno));
		pthread_mutex_unlock(&w->lock);
	}
	return err;
}

/* Index chunk plus trailer, written after every other chunk. */
static int write_index(struct ttd_writer *w)
{
	size_t ilen = w->nindex * TTD_INDEX_ENT;
	size_t out_len = TTD_CHUNK_HDR + ilen + TTD_TRAILER;
	struct chunk_hdr h = { 0 };
	uint8_t *out, *t;
	int ret = 0;

	out = calloc(1, out_len);
	if (!out)
		return -ENOMEM;
	if (ilen)
		memcpy(out + TTD_CHUNK_HDR, w->index, ilen);
	h.type = TTD_CHUNK_INDEX;
	h.events = w->nindex;
	h.csize = h.usize = ilen;
	h.seq = w->write_seq;
	h.pcrc = crc32c(0, out + TTD_CHUNK_HDR, ilen);
	chunk_hdr_encode(out, &h);
	t = out + TTD_CHUNK_HDR + ilen;
	memcpy(t, TTD_TRAILER_MAGIC, 8);
	put64(t + 8, w->off);
	put64(t + 16, w->nindex);
	put32(t + 28, crc32c(0, t, 28));
	if (pwrite_all(w->fd, out, out_len, w->off) < 0)
		ret = -errno;
	free(out);
	return ret;
}

int ttd_writer_close(struct ttd_writer *w, char *err, size_t errlen)
{
	int ret;

	while (w->open_streams)
		ttd_stream_close(w->open_streams);
	wait_written(w);
	stop_threads(w);
	ret = w->err;
	if (!ret) {
		ret = write_index(w);
		if (ret)
			writer_fail(w, ret, "writing the index: %s",
				    strerror(-ret));
	}
	if (!ret && w->o.sync != TTD_SYNC_NONE && fdatasync(w->fd) < 0) {
		ret = -errno;
		writer_fail(w, ret, "fdatasync: %s", strerror(errno));
	}
	if (!ret && close(w->fd) < 0) {
		ret = -errno;
		writer_fail(w, ret, "close: %s", strerror(errno));
	}
	w->fd = -1;
	if (ret)
		set_msg(err, errlen, "%s", w->errmsg);
	writer_free(w);
	return ret;
}

void ttd_writer_get_stats(struct ttd_writer *w, struct ttd_writer_stats *st)
{
	pthread_mutex_lock(&w->lock);
	*st = w->stats;
	st->file_bytes = w->off;
	pthread_mutex_unlock(&w->lock);
}

const char *ttd_writer_strerror(struct ttd_writer *w)
{
	return __atomic_load_n(&w->err, __ATOMIC_ACQUIRE) ? w->errmsg : "";
}
