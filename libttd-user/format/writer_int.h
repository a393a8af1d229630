/* SPDX-License-Identifier: GPL-2.0 */
/* Writer internals shared by writer.c and wio.c (the I/O thread). */
#ifndef TTD_FORMAT_WRITER_INT_H
#define TTD_FORMAT_WRITER_INT_H

#include <liburing.h>
#include <pthread.h>

#include "format/ttd_format.h"
#include "layout.h"

/* A sealed chunk on its way to the file. */
struct job {
	struct job *next;
	uint64_t seq; /* ticket: position among the file's chunks */
	struct chunk_hdr h;
	uint8_t *raw; /* uncompressed payload, until compressed */
	size_t raw_len, raw_cap;
	size_t prefix; /* raw bytes kept ahead of the zstd data */
	uint8_t *out; /* header room + stored payload + padding */
	size_t out_len, out_cap;
	size_t acct; /* counted against max_buffered */
	uint64_t nevents, payload_bytes;
	int dropped; /* failed before writing: skip it */
};

struct ttd_stream {
	struct ttd_writer *w;
	struct ttd_stream *prev, *next;
	uint32_t id;
	uint8_t *buf;
	size_t used, cap;
	uint32_t nev;
	int any, sealed;
	uint64_t first, last;
	uint64_t payload_bytes;
};

struct ttd_writer {
	int fd;
	struct ttd_writer_opts o;

	pthread_mutex_t lock;
	pthread_cond_t work_cv; /* workers: a job to compress */
	pthread_cond_t io_cv; /* I/O thread: next ticket ready */
	pthread_cond_t space_cv; /* producers and flushers */
	struct job *work_head, *work_tail;
	struct job *ready; /* compressed, sorted by ticket */
	uint64_t next_seq; /* next ticket to hand out */
	uint64_t write_seq; /* next ticket to write */
	uint64_t written_seq; /* tickets below are done */
	size_t buffered;
	int stop;
	int err;
	char errmsg[256];

	pthread_t *workers;
	unsigned int nworkers;
	pthread_t io;
	int io_started;

	/* Owned by the I/O thread until it stops. */
	struct io_uring ring;
	int have_ring;
	uint64_t off; /* where the next chunk goes */
	uint64_t since_sync;
	uint8_t *index; /* encoded index entries */
	size_t nindex, index_cap;

	uint32_t next_stream;
	uint8_t *kinds; /* stream kind by id */
	size_t kinds_cap;
	struct ttd_stream *open_streams;
	struct ttd_hash *hset; /* blobs stored, open addressing */
	size_t hset_n, hset_cap;
	struct ttd_writer_stats stats;

	/*
	 * Recycled chunk-sized buffers: a fresh 1 MiB malloc per chunk costs
	 * page faults and, growing from small, copies.
	 */
	pthread_mutex_t pool_lock;
	void **pool;
	size_t pool_n, pool_max, big;
};

void writer_fail(struct ttd_writer *w, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void *buf_get(struct ttd_writer *w);
/* Return a buffer of capacity cap: pooled if it is a big one, else freed. */
void buf_put(struct ttd_writer *w, void *p, size_t cap);
void wio_init(struct ttd_writer *w);
void wio_exit(struct ttd_writer *w);
void *wio_main(void *arg);
/* pwrite until done; -1 with errno on failure (ENOSPC for a 0 return). */
int pwrite_all(int fd, const void *buf, size_t len, uint64_t off);

#endif
