/* SPDX-License-Identifier: GPL-2.0 */
/* Reader internals shared by reader.c and iter.c. */
#ifndef TTD_FORMAT_READER_INT_H
#define TTD_FORMAT_READER_INT_H

#include <pthread.h>
#include <zstd.h>

#include "format/ttd_format.h"

/* One chunk of the readable part of the file, in file order. */
struct rchunk {
	uint64_t off, first, last;
	uint32_t stream, events, usize, csize;
	uint16_t type, flags;
};

struct rstream {
	struct ttd_stream_info info;
	size_t *chunks; /* its event chunks, in file order */
	size_t n, cap;
};

/* Buffers for loading chunks: one set per iterator. */
struct rbuf {
	uint8_t *c, *u;
	size_t ccap, ucap;
	ZSTD_DCtx *dctx;
};

/* A piece of a blob: one blob chunk. */
struct rblob {
	struct ttd_hash h;
	uint64_t total, off, len;
	size_t chunk;
};

struct ttd_reader {
	int fd;
	uint64_t size, data_start;
	struct ttd_file_info info;
	struct ttd_recovery rec;
	struct rchunk *chunks;
	size_t nchunks, chunks_cap;
	struct rstream *streams;
	size_t nstreams, streams_cap;
	int streams_sorted;
	char err[256];

	pthread_mutex_t lock; /* blob table and blob_buf */
	int blobs_built;
	struct rblob *blobs;
	size_t nblobs;
	struct rbuf blob_buf;
};

void rd_err(struct ttd_reader *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void rd_cut(struct ttd_reader *r, size_t i, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int rd_pread(struct ttd_reader *r, void *buf, size_t len, uint64_t off);
int rd_grow(uint8_t **buf, size_t *cap, size_t need);
struct rstream *rd_stream(struct ttd_reader *r, uint32_t id);
/*
 * Read chunk i, check it against the index and its CRC, decompress it.
 * *payload points into b (blob chunks: descriptor included).
 */
int rd_load_chunk(struct ttd_reader *r, size_t i, struct rbuf *b,
		  const uint8_t **payload, size_t *len);
void rd_buf_free(struct rbuf *b);

#endif
