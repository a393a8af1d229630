// SPDX-License-Identifier: GPL-2.0
/*
 * The writer's I/O thread (Linux): writes compressed chunks in ticket
 * order through io_uring.
 *
 * A batch is every consecutive ready ticket (up to BATCH); its writes are
 * linked so the kernel performs them in order, and the next batch is not
 * submitted before this one completes.  Together that keeps the file a
 * prefix of the chunk sequence at every instant: a chunk can only be torn
 * if it is the last one.  Buffered writes complete at memory speed, so one
 * batch in flight costs little, while compression of the next batch
 * proceeds on the workers.  Where io_uring is unavailable (disabled by
 * sysctl or a seccomp filter) the same batches go through pwrite(2).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "writer_int.h"

#define BATCH 64

int pwrite_all(int fd, const void *buf, size_t len, uint64_t off)
{
	const uint8_t *p = buf;

	while (len) {
		ssize_t n = pwrite(fd, p, len, off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0) {
			errno = ENOSPC;
			return -1;
		}
		p += n;
		off += n;
		len -= n;
	}
	return 0;
}

void wio_init(struct ttd_writer *w)
{
	w->have_ring = io_uring_queue_init(2 * BATCH, &w->ring, 0) == 0;
}

void wio_exit(struct ttd_writer *w)
{
	if (w->have_ring)
		io_uring_queue_exit(&w->ring);
	w->have_ring = 0;
}

static int index_add(struct ttd_writer *w, const struct job *j, uint64_t off)
{
	uint8_t *e;

	if (w->nindex == w->index_cap) {
		size_t cap = w->index_cap ? w->index_cap * 2 : 1024;
		uint8_t *n = realloc(w->index, cap * TTD_INDEX_ENT);

		if (!n)
			return -ENOMEM;
		w->index = n;
		w->index_cap = cap;
	}
	e = w->index + w->nindex++ * TTD_INDEX_ENT;
	memset(e, 0, TTD_INDEX_ENT);
	put64(e, off);
	put64(e + 8, j->h.first);
	put64(e + 16, j->h.last);
	put32(e + 24, j->h.stream);
	put16(e + 28, j->h.type);
	put16(e + 30, j->h.flags);
	put32(e + 32, j->h.events);
	put32(e + 36, j->h.usize);
	put32(e + 40, j->h.csize);
	return 0;
}

/*
 * Submit the batch and wait for it.  Returns how many jobs from the start
 * of the batch are completely in the file; on failure sets the writer's
 * error.
 */
static size_t write_uring(struct ttd_writer *w, struct job **b, size_t n,
			  const uint64_t *offs, int do_sync)
{
	int res[BATCH + 1];
	size_t nsqe = n + !!do_sync, done = 0;
	struct io_uring_cqe *cqe;
	int ret;

	for (size_t i = 0; i < nsqe; i++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(&w->ring);

		if (i < n)
			io_uring_prep_write(sqe, w->fd, b[i]->out,
					    b[i]->out_len, offs[i]);
		else
			io_uring_prep_fsync(sqe, w->fd, IORING_FSYNC_DATASYNC);
		io_uring_sqe_set_data64(sqe, i);
		if (i + 1 < nsqe)
			sqe->flags |= IOSQE_IO_LINK;
		res[i] = -ECANCELED;
	}
	ret = io_uring_submit(&w->ring);
	while (ret >= 0 && done < (size_t)ret) {
		int r = io_uring_wait_cqe(&w->ring, &cqe);

		if (r == -EINTR)
			continue;
		if (r < 0) {
			ret = r;
			break;
		}
		res[io_uring_cqe_get_data64(cqe)] = cqe->res;
		io_uring_cqe_seen(&w->ring, cqe);
		done++;
	}
	if (ret < 0) {
		/* The ring itself failed: finish with plain writes. */
		wio_exit(w);
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		int r = res[i];

		if (r == (int)b[i]->out_len)
			continue;
		/* A short write breaks the link: finish the rest here. */
		if (r >= 0 || r == -ECANCELED || r == -EAGAIN || r == -EINTR) {
			size_t skip = r > 0 ? r : 0;

			if (pwrite_all(w->fd, b[i]->out + skip,
				       b[i]->out_len - skip,
				       offs[i] + skip) == 0)
				continue;
			r = -errno;
		}
		pthread_mutex_lock(&w->lock);
		writer_fail(w, r,
			    "writing chunk %llu (%zu bytes) at offset %llu: %s",
			    (unsigned long long)b[i]->seq, b[i]->out_len,
			    (unsigned long long)offs[i], strerror(-r));
		pthread_mutex_unlock(&w->lock);
		return i;
	}
	if (do_sync && res[n] < 0 && res[n] != -ECANCELED) {
		pthread_mutex_lock(&w->lock);
		writer_fail(w, res[n], "fdatasync: %s", strerror(-res[n]));
		pthread_mutex_unlock(&w->lock);
	} else if (do_sync && res[n] == -ECANCELED && fdatasync(w->fd) < 0) {
		pthread_mutex_lock(&w->lock);
		writer_fail(w, -errno, "fdatasync: %s", strerror(errno));
		pthread_mutex_unlock(&w->lock);
	}
	return n;
}

static size_t write_plain(struct ttd_writer *w, struct job **b, size_t n,
			  const uint64_t *offs, int do_sync)
{
	for (size_t i = 0; i < n; i++) {
		if (pwrite_all(w->fd, b[i]->out, b[i]->out_len, offs[i]) == 0)
			continue;
		pthread_mutex_lock(&w->lock);
		writer_fail(w, -errno,
			    "writing chunk %llu (%zu bytes) at offset %llu: %s",
			    (unsigned long long)b[i]->seq, b[i]->out_len,
			    (unsigned long long)offs[i], strerror(errno));
		pthread_mutex_unlock(&w->lock);
		return i;
	}
	if (do_sync && fdatasync(w->fd) < 0) {
		pthread_mutex_lock(&w->lock);
		writer_fail(w, -errno, "fdatasync: %s", strerror(errno));
		pthread_mutex_unlock(&w->lock);
	}
	return n;
}

static void write_batch(struct ttd_writer *w, struct job **b, size_t n)
{
	uint64_t offs[BATCH], off = w->off, bytes = 0;
	size_t ok;
	int do_sync = 0;

	for (size_t i = 0; i < n; i++) {
		b[i]->h.seq = b[i]->seq;
		chunk_hdr_encode(b[i]->out, &b[i]->h);
		offs[i] = off;
		off += b[i]->out_len;
		bytes += b[i]->out_len;
	}
	if (w->o.sync == TTD_SYNC_EVERY) {
		w->since_sync += bytes;
		if (w->since_sync >= (uint64_t)w->o.sync_every_mb << 20) {
			do_sync = 1;
			w->since_sync = 0;
		}
	}
	if (w->have_ring)
		ok = write_uring(w, b, n, offs, do_sync);
	else
		ok = write_plain(w, b, n, offs, do_sync);
	if (ok == 0 && !w->have_ring && !w->err)
		ok = write_plain(w, b, n, offs, do_sync);
	for (size_t i = 0; i < ok; i++) {
		if (index_add(w, b[i], offs[i]) < 0) {
			pthread_mutex_lock(&w->lock);
			writer_fail(w, -ENOMEM, "index: out of memory");
			pthread_mutex_unlock(&w->lock);
			break;
		}
		w->stats.chunks++;
		w->stats.chunk_ubytes += b[i]->h.usize;
		w->stats.chunk_cbytes += b[i]->h.csize;
		w->off = offs[i] + b[i]->out_len;
	}
}

void *wio_main(void *arg)
{
	struct ttd_writer *w = arg;
	struct job *b[BATCH];

	for (;;) {
		size_t n = 0, acct = 0;
		int dropping;

		pthread_mutex_lock(&w->lock);
		while (!(w->ready && w->ready->seq == w->write_seq) &&
		       !(w->stop && w->write_seq == w->next_seq))
			pthread_cond_wait(&w->io_cv, &w->lock);
		while (n < BATCH && w->ready && w->ready->seq == w->write_seq) {
			b[n] = w->ready;
			w->ready = b[n]->next;
			w->write_seq++;
			n++;
		}
		dropping = w->err != 0;
		pthread_mutex_unlock(&w->lock);
		if (!n)
			break;
		for (size_t i = 0; i < n && !dropping; i++)
			dropping = b[i]->dropped;
		/* After an error nothing more is written: no hole, no mix. */
		if (!dropping)
			write_batch(w, b, n);
		for (size_t i = 0; i < n; i++) {
			acct += b[i]->acct;
			buf_put(w, b[i]->raw, b[i]->raw_cap);
			buf_put(w, b[i]->out, b[i]->out_cap);
			free(b[i]);
		}
		pthread_mutex_lock(&w->lock);
		w->buffered -= acct;
		w->written_seq += n;
		pthread_cond_broadcast(&w->space_cv);
		pthread_mutex_unlock(&w->lock);
	}
	return NULL;
}
