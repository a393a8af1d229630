/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The .ttd recording file: writer and reader.
 *
 * A recording is a set of streams (one per process, thread, CPU, plus file
 * contents, snapshots and metadata).  A stream carries events: (type,
 * instruction count or timestamp, opaque payload bytes).  Large immutable
 * data (file contents, memory images) is stored as content-addressed blobs
 * that events refer to by hash.  The byte layout is described in
 * Documentation/recording-format.md.
 *
 * Errors are negative errno values; the writer and reader also keep a
 * human-readable message for the last error (ttd_writer_strerror(),
 * ttd_reader_strerror()).
 *
 * Threads: a struct ttd_stream handle is a producer with its own buffer.
 * Different handles may be used concurrently from different threads without
 * blocking one another; one handle must be used by one thread at a time.
 * All other writer calls are thread-safe.  A reader may be shared between
 * threads as long as each thread uses its own iterators.
 */
#ifndef TTD_FORMAT_H
#define TTD_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#include "format/ttd_events.h"

/* Newest format version this library writes and reads. */
#define TTD_FORMAT_VERSION 1

enum ttd_stream_kind {
	TTD_STREAM_META = 1, /* recording-wide metadata */
	TTD_STREAM_PROCESS = 2, /* os_id = pid */
	TTD_STREAM_THREAD = 3, /* os_id = tid, parent = process stream */
	TTD_STREAM_CPU = 4, /* kernel events of one CPU, os_id = cpu */
	TTD_STREAM_FILE = 5, /* file contents (blobs) */
	TTD_STREAM_SNAPSHOT = 6, /* memory regions and register state */
};

/* Returns "process", "thread", ... or "unknown". */
const char *ttd_stream_kind_name(unsigned int kind);

/* 128-bit content hash (XXH3-128) naming a blob. */
struct ttd_hash {
	uint8_t b[16];
};

/* Render as 32 lowercase hex digits plus NUL. */
void ttd_hash_hex(const struct ttd_hash *h, char out[33]);
void ttd_hash_compute(const void *data, size_t len, struct ttd_hash *h);

/* One CPUID result the recording depends on. */
struct ttd_cpuid_leaf {
	uint32_t leaf, subleaf;
	uint32_t eax, ebx, ecx, edx;
};

/* ------------------------------------------------------------------ */
/* Writer                                                              */

enum ttd_durability {
	TTD_SYNC_NONE = 0, /* leave it to the page cache */
	TTD_SYNC_EVERY = 1, /* fdatasync every sync_every_mb MiB written */
	TTD_SYNC_CLOSE = 2, /* fdatasync once, at close */
};

struct ttd_writer_opts {
	int zstd_level; /* default 1 */
	unsigned int workers; /* compression threads, default 1, max 64 */
	size_t chunk_size; /* uncompressed bytes per chunk, default 1 MiB */
	size_t max_buffered; /* sealed, unwritten bytes bound; 64 MiB */
	enum ttd_durability sync; /* default TTD_SYNC_CLOSE */
	unsigned int sync_every_mb; /* for TTD_SYNC_EVERY, default 64 */
	unsigned int file_mode; /* default 0600: recordings hold secrets */
	int exclusive; /* fail if the file exists (O_EXCL) */
	/* Recorded in the file header.  NULL means "take it from this host". */
	int argc;
	char *const *argv; /* recorded command line */
	const struct ttd_cpuid_leaf *cpuid; /* NULL: a default set */
	unsigned int ncpuid;
	const char *ttd_version; /* NULL: the library's build version */
};

struct ttd_writer_stats {
	uint64_t events; /* appended */
	uint64_t raw_bytes; /* event payload bytes appended */
	uint64_t chunks; /* written to the file */
	uint64_t chunk_ubytes; /* uncompressed chunk payload bytes */
	uint64_t chunk_cbytes; /* stored chunk payload bytes */
	uint64_t file_bytes; /* bytes written to the file so far */
	uint64_t blobs, blob_dups; /* stored, deduplicated */
	uint64_t stalls; /* appends that waited for max_buffered */
};

struct ttd_writer;
struct ttd_stream;

void ttd_writer_opts_init(struct ttd_writer_opts *o);

/*
 * Create a recording at path (truncating it unless o->exclusive) and write
 * its header.  o may be NULL for defaults.  On failure *wp is NULL and, if
 * err is not NULL, a message is stored in err.
 */
int ttd_writer_open(struct ttd_writer **wp, const char *path,
		    const struct ttd_writer_opts *o, char *err, size_t errlen);
/* Same on an already open, empty, writable file; takes ownership of fd. */
int ttd_writer_open_fd(struct ttd_writer **wp, int fd,
		       const struct ttd_writer_opts *o, char *err,
		       size_t errlen);

/*
 * Register a stream and return its producer handle.  parent is the id of
 * the owning stream (a thread's process) or 0.  name may be NULL.  The
 * registration is written to the file before any event of the stream.
 */
int ttd_stream_open(struct ttd_writer *w, enum ttd_stream_kind kind,
		    uint64_t os_id, uint32_t parent, const char *name,
		    struct ttd_stream **sp);
uint32_t ttd_stream_id(const struct ttd_stream *s);

/*
 * Append one event.  Within a stream icount must not decrease (-EINVAL).
 * len is at most TTD_MAX_EVENT (-E2BIG): store bigger data as a blob.
 * Blocks only when max_buffered bytes are waiting for the disk.  After an
 * I/O error every append fails with that error.
 */
#define TTD_MAX_EVENT (8u << 20)
int ttd_stream_append(struct ttd_stream *s, uint16_t type, uint64_t icount,
		      const void *payload, size_t len);
/* Seal the stream's buffered events into a chunk now. */
int ttd_stream_flush(struct ttd_stream *s);
/* Flush and release the handle.  The stream stays in the recording. */
int ttd_stream_close(struct ttd_stream *s);

/*
 * Store a blob (file contents, a memory region) in a FILE or SNAPSHOT
 * stream, split over as many chunks as needed.  Blobs are deduplicated by
 * content hash across the whole recording: storing the same bytes twice
 * writes them once.  The hash is returned in *h for events to refer to.
 */
int ttd_writer_put_blob(struct ttd_writer *w, uint32_t stream, const void *data,
			uint64_t len, struct ttd_hash *h);

/*
 * Wait until every chunk sealed so far is in the file (and on disk when the
 * durability policy asks for it).  Does not seal open stream buffers.
 */
int ttd_writer_flush(struct ttd_writer *w);

/*
 * Call once every producer has stopped using its stream handles.
 * Flush every stream still open, write the index and the trailer, apply
 * the durability policy, free everything.  Returns the first error the
 * writer met (0 if none); the message goes to err.
 */
int ttd_writer_close(struct ttd_writer *w, char *err, size_t errlen);

void ttd_writer_get_stats(struct ttd_writer *w, struct ttd_writer_stats *st);
/* Message for the first error, or "" */
const char *ttd_writer_strerror(struct ttd_writer *w);

/* ------------------------------------------------------------------ */
/* Reader                                                              */

struct ttd_file_info {
	unsigned int version;
	uint64_t ctime_ns; /* CLOCK_REALTIME at creation */
	uint32_t page_size;
	char kernel[80]; /* uname -r of the recording host */
	char hostname[80];
	char cpu_vendor[16];
	uint32_t cpu_family, cpu_model, cpu_stepping;
	char ttd_version[64];
	int argc;
	char **argv;
	unsigned int ncpuid;
	const struct ttd_cpuid_leaf *cpuid;
};

/* What a scan of an unfinished or damaged file recovered. */
struct ttd_recovery {
	int complete; /* index and trailer present and valid */
	uint64_t file_size;
	uint64_t valid_end; /* end of the last good chunk */
	uint64_t lost_bytes; /* file_size - valid_end when incomplete */
	char reason[192]; /* why reading stopped early, or "" */
};

struct ttd_stream_info {
	uint32_t id, parent;
	unsigned int kind;
	uint64_t os_id;
	char name[64];
	/* Totals over the readable chunks. */
	uint64_t events, chunks;
	uint64_t first, last; /* instruction count range */
	uint64_t ubytes, cbytes; /* uncompressed, stored payload */
};

struct ttd_chunk_info {
	uint64_t offset; /* of the chunk header in the file */
	unsigned int type; /* TTD_CHUNK_* */
	unsigned int flags;
	uint32_t stream;
	uint32_t events;
	uint32_t csize, usize;
	uint64_t first, last;
};

enum ttd_chunk_type {
	TTD_CHUNK_EVENTS = 1,
	TTD_CHUNK_STREAMS = 2, /* stream registry */
	TTD_CHUNK_BLOB = 3,
	TTD_CHUNK_INDEX = 4,
};

struct ttd_event {
	uint32_t stream;
	uint16_t type;
	uint64_t icount;
	const void *payload; /* valid until the next call on the iterator */
	uint32_t len;
};

struct ttd_reader;
struct ttd_iter;

/*
 * Open a recording.  Errors: -ENOENT and friends from open(2), -ENOEXEC
 * (not a ttd recording), -EPROTONOSUPPORT (written by a newer format
 * version), -EBADMSG (header corrupt).  A file whose end is missing or
 * damaged opens successfully: see ttd_reader_recovery().
 */
int ttd_reader_open(struct ttd_reader **rp, const char *path, char *err,
		    size_t errlen);
/* Same on an open file descriptor, which the reader takes over. */
int ttd_reader_open_fd(struct ttd_reader **rp, int fd, char *err,
		       size_t errlen);
void ttd_reader_close(struct ttd_reader *r);
const char *ttd_reader_strerror(struct ttd_reader *r);

const struct ttd_file_info *ttd_reader_info(struct ttd_reader *r);
const struct ttd_recovery *ttd_reader_recovery(struct ttd_reader *r);

unsigned int ttd_reader_nstreams(struct ttd_reader *r);
const struct ttd_stream_info *ttd_reader_stream(struct ttd_reader *r,
						unsigned int i);
const struct ttd_stream_info *ttd_reader_find_stream(struct ttd_reader *r,
						     uint32_t id);

size_t ttd_reader_nchunks(struct ttd_reader *r);
int ttd_reader_chunk(struct ttd_reader *r, size_t i, struct ttd_chunk_info *c);

/*
 * Iterate events in file order, limited to one stream (or TTD_ALL_STREAMS)
 * and to instruction counts in [from, to].  ttd_iter_next() returns 1 with
 * *ev filled, 0 at the end, or a negative error (ttd_reader_strerror()).
 */
#define TTD_ALL_STREAMS UINT32_MAX
int ttd_iter_open(struct ttd_reader *r, uint32_t stream, uint64_t from,
		  uint64_t to, struct ttd_iter **itp);
int ttd_iter_next(struct ttd_iter *it, struct ttd_event *ev);
/*
 * Position a single-stream iterator at the first event whose instruction
 * count is >= icount, using the index (a binary search over the stream's
 * chunks, then a walk inside one chunk).
 */
int ttd_iter_seek(struct ttd_iter *it, uint64_t icount);
void ttd_iter_close(struct ttd_iter *it);

/* Blobs, by content hash.  -ENOENT if the recording does not hold it. */
int ttd_reader_blob_size(struct ttd_reader *r, const struct ttd_hash *h,
			 uint64_t *len);
int ttd_reader_blob_read(struct ttd_reader *r, const struct ttd_hash *h,
			 uint64_t off, void *buf, size_t len);

#endif
