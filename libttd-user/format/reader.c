// SPDX-License-Identifier: GPL-2.0
/*
 * The .ttd reader.
 *
 * Nothing in the file is trusted: every size is checked against fixed
 * limits and against the file size before anything is allocated, offsets
 * in the index must tile the file exactly (so they cannot loop or
 * overlap), and every chunk read is checked against its CRC and against
 * what the index said about it.  A file without a valid index is read by
 * scanning chunk after chunk; the scan stops at the first one that is
 * torn or damaged and says how much was lost.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#include "crc32c.h"
#include "format/ttd_format.h"
#include "layout.h"
#include "reader_int.h"

void rd_err(struct ttd_reader *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->err, sizeof(r->err), fmt, ap);
	va_end(ap);
}

int rd_pread(struct ttd_reader *r, void *buf, size_t len, uint64_t off)
{
	uint8_t *p = buf;

	if (off > r->size || len > r->size - off)
		return -EBADMSG;
	while (len) {
		ssize_t n = pread(r->fd, p, len, off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EBADMSG; /* shrank under us */
		p += n;
		off += n;
		len -= n;
	}
	return 0;
}

int rd_grow(uint8_t **buf, size_t *cap, size_t need)
{
	uint8_t *n;

	if (need <= *cap)
		return 0;
	n = realloc(*buf, need);
	if (!n)
		return -ENOMEM;
	*buf = n;
	*cap = need;
	return 0;
}

static int add_chunk(struct ttd_reader *r, uint64_t off,
		     const struct chunk_hdr *h)
{
	struct rchunk *c;

	if (r->nchunks == r->chunks_cap) {
		size_t cap = r->chunks_cap ? r->chunks_cap * 2 : 256;

		c = realloc(r->chunks, cap * sizeof(*c));
		if (!c)
			return -ENOMEM;
		r->chunks = c;
		r->chunks_cap = cap;
	}
	c = &r->chunks[r->nchunks++];
	c->off = off;
	c->first = h->first;
	c->last = h->last;
	c->stream = h->stream;
	c->events = h->events;
	c->usize = h->usize;
	c->csize = h->csize;
	c->type = h->type;
	c->flags = h->flags;
	return 0;
}

/* ---- streams ----------------------------------------------------- */

static struct rstream *find_stream(struct ttd_reader *r, uint32_t id)
{
	size_t lo = 0, hi = r->nstreams;

	if (!r->streams_sorted) {
		for (size_t i = 0; i < r->nstreams; i++)
			if (r->streams[i].info.id == id)
				return &r->streams[i];
		return NULL;
	}
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (r->streams[mid].info.id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < r->nstreams && r->streams[lo].info.id == id)
		return &r->streams[lo];
	return NULL;
}

static struct rstream *add_stream(struct ttd_reader *r, uint32_t id)
{
	struct rstream *s;

	if (r->nstreams == r->streams_cap) {
		size_t cap = r->streams_cap ? r->streams_cap * 2 : 16;

		s = realloc(r->streams, cap * sizeof(*s));
		if (!s)
			return NULL;
		r->streams = s;
		r->streams_cap = cap;
	}
	if (r->nstreams && r->streams[r->nstreams - 1].info.id > id)
		r->streams_sorted = 0;
	s = &r->streams[r->nstreams++];
	memset(s, 0, sizeof(*s));
	s->info.id = id;
	return s;
}

/* Registry records of one STREAMS chunk. */
static const char *parse_registry(struct ttd_reader *r, const uint8_t *p,
				  size_t len, uint32_t nrec)
{
	const uint8_t *end;

	if (!len) /* p may be NULL */
		return nrec ? "stream record truncated" : NULL;
	end = p + len;
	for (uint32_t i = 0; i < nrec; i++) {
		struct rstream *s;
		uint32_t id;
		uint16_t nlen;

		if (end - p < TTD_STREAM_REC)
			return "stream record truncated";
		id = get32(p);
		nlen = get16(p + 6);
		if (id == 0 || id == TTD_ALL_STREAMS)
			return "stream record with reserved id";
		if (nlen > TTD_STREAM_NAME_MAX ||
		    (size_t)(end - p) < ttd_align8(TTD_STREAM_REC + nlen))
			return "stream name out of bounds";
		if (r->streams_sorted ? find_stream(r, id) != NULL
				      : r->nstreams && find_stream(r, id))
			return "stream defined twice";
		s = add_stream(r, id);
		if (!s)
			return "out of memory";
		s->info.kind = get16(p + 4);
		s->info.parent = get32(p + 8);
		s->info.os_id = get64(p + 16);
		memcpy(s->info.name, p + TTD_STREAM_REC, nlen);
		s->info.name[nlen] = '\0';
		p += ttd_align8(TTD_STREAM_REC + nlen);
	}
	if (p != end)
		return "stray bytes after stream records";
	return NULL;
}

static int cmp_stream(const void *a, const void *b)
{
	const struct rstream *x = a, *y = b;

	return x->info.id < y->info.id ? -1 : x->info.id > y->info.id;
}

static int list_add(struct rstream *s, size_t ci)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		size_t *l = realloc(s->chunks, cap * sizeof(*l));

		if (!l)
			return -ENOMEM;
		s->chunks = l;
		s->cap = cap;
	}
	s->chunks[s->n++] = ci;
	return 0;
}

/*
 * Attach every chunk to its stream.  A stream's event chunks must cover
 * non-decreasing instruction counts; the first chunk breaking that (or
 * naming a stream never defined) ends the readable part of the file.
 */
static int attach_chunks(struct ttd_reader *r)
{
	if (r->nstreams > 1)
		qsort(r->streams, r->nstreams, sizeof(*r->streams), cmp_stream);
	r->streams_sorted = 1;
	for (size_t i = 0; i < r->nchunks; i++) {
		struct rchunk *c = &r->chunks[i];
		struct rstream *s;

		if (c->type != TTD_CHUNK_EVENTS && c->type != TTD_CHUNK_BLOB)
			continue;
		s = find_stream(r, c->stream);
		if (!s) {
			rd_cut(r, i,
			       "chunk %zu at offset %llu: stream %u "
			       "was never defined",
			       i, (unsigned long long)c->off, c->stream);
			break;
		}
		if (c->type == TTD_CHUNK_EVENTS) {
			if (s->n && c->first < s->info.last) {
				rd_cut(r, i,
				       "chunk %zu at offset %llu: "
				       "instruction counts go backwards",
				       i, (unsigned long long)c->off);
				break;
			}
			if (list_add(s, i))
				return -ENOMEM;
			if (s->n == 1)
				s->info.first = c->first;
			s->info.last = c->last;
			s->info.events += c->events;
		}
		s->info.chunks++;
		s->info.ubytes += c->usize;
		s->info.cbytes += c->csize;
	}
	return 0;
}

/* Stop the readable part of the file before chunk i. */
void rd_cut(struct ttd_reader *r, size_t i, const char *fmt, ...)
{
	va_list ap;

	if (i >= r->nchunks)
		return;
	r->rec.complete = 0;
	r->rec.valid_end = r->chunks[i].off;
	r->rec.lost_bytes = r->size - r->rec.valid_end;
	va_start(ap, fmt);
	vsnprintf(r->rec.reason, sizeof(r->rec.reason), fmt, ap);
	va_end(ap);
	r->nchunks = i;
}

static void reset_tables(struct ttd_reader *r)
{
	for (size_t i = 0; i < r->nstreams; i++)
		free(r->streams[i].chunks);
	r->nstreams = 0;
	r->nchunks = 0;
	r->streams_sorted = 1;
}

/* ---- scanning ---------------------------------------------------- */

static void scan(struct ttd_reader *r, const char *why)
{
	uint8_t hdr[TTD_CHUNK_HDR];
	uint64_t off = r->data_start;
	uint8_t *buf = NULL;
	size_t cap = 0;
	struct chunk_hdr h;
	const char *bad;
	char reason[2 * sizeof(r->rec.reason)];

	snprintf(reason, sizeof(reason), "%s", why);
	reset_tables(r);
	for (uint64_t seq = 0;; seq++) {
		uint64_t end;

		if (off == r->size)
			break;
		if (r->size - off < TTD_CHUNK_HDR) {
			snprintf(reason, sizeof(reason),
				 "torn chunk header at offset %llu",
				 (unsigned long long)off);
			break;
		}
		if (rd_pread(r, hdr, sizeof(hdr), off)) {
			snprintf(reason, sizeof(reason),
				 "read error at offset %llu",
				 (unsigned long long)off);
			break;
		}
		bad = chunk_hdr_decode(hdr, &h);
		if (!bad && h.type == TTD_CHUNK_INDEX) {
			/* Only the index and trailer follow: nothing lost. */
			snprintf(reason, sizeof(reason),
				 "%s; all %llu chunks before the index read",
				 why, (unsigned long long)seq);
			break;
		}
		if (!bad && h.seq != seq)
			bad = "chunk out of sequence";
		end = off + TTD_CHUNK_HDR + ttd_align8(h.csize);
		if (!bad && end > r->size)
			bad = "torn chunk (file ends inside it)";
		if (!bad && rd_grow(&buf, &cap, h.csize))
			bad = "out of memory";
		if (!bad && rd_pread(r, buf, h.csize, off + TTD_CHUNK_HDR))
			bad = "read error";
		if (!bad && crc_bad(h.pcrc, crc32c(0, buf, h.csize)))
			bad = "payload checksum mismatch";
		if (!bad && h.type == TTD_CHUNK_STREAMS)
			bad = parse_registry(r, buf, h.csize, h.events);
		if (!bad && add_chunk(r, off, &h))
			bad = "out of memory";
		if (bad) {
			snprintf(reason, sizeof(reason),
				 "chunk %llu at offset %llu: %s",
				 (unsigned long long)seq,
				 (unsigned long long)off, bad);
			break;
		}
		off = end;
	}
	free(buf);
	r->rec.complete = 0;
	r->rec.valid_end = off;
	r->rec.lost_bytes = r->size - off;
	snprintf(r->rec.reason, sizeof(r->rec.reason), "%.*s",
		 (int)sizeof(r->rec.reason) - 1, reason);
}

/* ---- the index --------------------------------------------------- */

static const char *check_entry(const struct chunk_hdr *h, uint64_t off,
			       uint64_t expect, uint64_t limit)
{
	if (off != expect)
		return "chunk offsets do not follow one another";
	if (h->type < TTD_CHUNK_EVENTS || h->type > TTD_CHUNK_BLOB)
		return "bad chunk type";
	if (h->flags & ~TTD_CF_KNOWN)
		return "bad chunk flags";
	if (h->usize > TTD_MAX_USIZE || h->csize > TTD_MAX_CSIZE)
		return "chunk size out of range";
	if (off + TTD_CHUNK_HDR + ttd_align8(h->csize) > limit)
		return "chunk runs past the index";
	if (h->first > h->last)
		return "chunk range reversed";
	return NULL;
}

static const char *load_index(struct ttd_reader *r)
{
	uint8_t t[TTD_TRAILER], hdr[TTD_CHUNK_HDR];
	uint64_t ioff, n, expect = r->data_start;
	struct chunk_hdr h;
	const char *bad;
	uint8_t *buf;

	if (r->size < r->data_start + TTD_CHUNK_HDR + TTD_TRAILER)
		return "no trailer";
	if (rd_pread(r, t, sizeof(t), r->size - TTD_TRAILER))
		return "cannot read the trailer";
	if (memcmp(t, TTD_TRAILER_MAGIC, 8))
		return "no trailer: the recorder did not finish";
	if (crc_bad(get32(t + 28), crc32c(0, t, 28)))
		return "trailer checksum mismatch";
	ioff = get64(t + 8);
	n = get64(t + 16);
	if (ioff < r->data_start || ioff % 8 ||
	    ioff > r->size - TTD_TRAILER - TTD_CHUNK_HDR)
		return "index offset out of range";
	if (rd_pread(r, hdr, sizeof(hdr), ioff))
		return "cannot read the index";
	if (get32(hdr) != TTD_CHUNK_MAGIC ||
	    crc_bad(get32(hdr + 60), crc32c(0, hdr, 60)))
		return "index chunk header damaged";
	h.type = get16(hdr + 4);
	h.flags = get16(hdr + 6);
	h.csize = get32(hdr + 16);
	h.usize = get32(hdr + 20);
	h.events = get32(hdr + 12);
	h.seq = get64(hdr + 40);
	h.pcrc = get32(hdr + 48);
	if (h.type != TTD_CHUNK_INDEX || h.flags || h.csize != h.usize)
		return "index chunk malformed";
	/* Each indexed chunk takes at least a header's worth of file. */
	if (n != h.events || n > (ioff - r->data_start) / TTD_CHUNK_HDR ||
	    (uint64_t)h.csize != n * TTD_INDEX_ENT || h.seq != n)
		return "index entry count inconsistent";
	if (ioff + TTD_CHUNK_HDR + ttd_align8(h.csize) != r->size - TTD_TRAILER)
		return "index size does not reach the trailer";
	buf = malloc(h.csize ? h.csize : 1);
	if (!buf)
		return "out of memory";
	bad = NULL;
	if (rd_pread(r, buf, h.csize, ioff + TTD_CHUNK_HDR))
		bad = "cannot read the index";
	else if (crc_bad(h.pcrc, crc32c(0, buf, h.csize)))
		bad = "index checksum mismatch";
	for (uint64_t i = 0; !bad && i < n; i++) {
		const uint8_t *e = buf + i * TTD_INDEX_ENT;
		struct chunk_hdr c;
		uint64_t off = get64(e);

		c.first = get64(e + 8);
		c.last = get64(e + 16);
		c.stream = get32(e + 24);
		c.type = get16(e + 28);
		c.flags = get16(e + 30);
		c.events = get32(e + 32);
		c.usize = get32(e + 36);
		c.csize = get32(e + 40);
		bad = check_entry(&c, off, expect, ioff);
		if (!bad && add_chunk(r, off, &c))
			bad = "out of memory";
		expect = off + TTD_CHUNK_HDR + ttd_align8(c.csize);
	}
	if (!bad && expect != ioff)
		bad = "index does not cover the file";
	free(buf);
	return bad;
}

/* The registry chunks named by the index. */
static const char *load_registry(struct ttd_reader *r)
{
	struct rbuf b = { 0 };
	const char *bad = NULL;

	for (size_t i = 0; !bad && i < r->nchunks; i++) {
		const uint8_t *p;
		size_t len;

		if (r->chunks[i].type != TTD_CHUNK_STREAMS)
			continue;
		if (rd_load_chunk(r, i, &b, &p, &len))
			bad = "stream registry unreadable";
		else
			bad = parse_registry(r, p, len, r->chunks[i].events);
	}
	rd_buf_free(&b);
	return bad;
}

/* ---- open / close ------------------------------------------------ */

static int open_header(struct ttd_reader *r, char *err, size_t errlen)
{
	uint8_t pre[TTD_HDR_PREFIX], *hdr;
	uint32_t hsize;
	unsigned int version;
	int ret;

	if (r->size < TTD_HDR_PREFIX) {
		snprintf(err, errlen,
			 "not a ttd recording (only %llu bytes long)",
			 (unsigned long long)r->size);
		return -ENOEXEC;
	}
	ret = rd_pread(r, pre, sizeof(pre), 0);
	if (ret) {
		snprintf(err, errlen, "cannot read: %s", strerror(-ret));
		return ret;
	}
	if (memcmp(pre, TTD_MAGIC, TTD_MAGIC_LEN)) {
		snprintf(err, errlen, "not a ttd recording (bad magic)");
		return -ENOEXEC;
	}
	version = get16(pre + 8);
	if (version == 0) {
		snprintf(err, errlen, "invalid format version 0");
		return -EBADMSG;
	}
	if (version > TTD_FORMAT_VERSION) {
		snprintf(err, errlen,
			 "recording uses format version %u, but this ttd "
			 "reads versions up to %u: use a newer ttd",
			 version, TTD_FORMAT_VERSION);
		return -EPROTONOSUPPORT;
	}
	hsize = get32(pre + 12);
	if (hsize < TTD_HDR_PREFIX + TTD_HDR_SUFFIX || hsize % 8 ||
	    hsize > TTD_HDR_MAX) {
		snprintf(err, errlen, "file header size %u is invalid", hsize);
		return -EBADMSG;
	}
	if (hsize > r->size) {
		snprintf(err, errlen,
			 "file truncated inside its header (%llu of %u bytes)",
			 (unsigned long long)r->size, hsize);
		return -EBADMSG;
	}
	hdr = malloc(hsize);
	if (!hdr)
		return -ENOMEM;
	ret = rd_pread(r, hdr, hsize, 0);
	if (!ret)
		ret = header_parse(hdr, hsize, &r->info, err, errlen);
	else
		snprintf(err, errlen, "cannot read the header");
	free(hdr);
	r->data_start = hsize;
	return ret;
}

int ttd_reader_open_fd(struct ttd_reader **rp, int fd, char *err, size_t errlen)
{
	char why[sizeof(((struct ttd_recovery *)0)->reason)];
	struct ttd_reader *r;
	const char *bad;
	struct stat st;
	char dummy[8];
	int ret;

	*rp = NULL;
	if (!err) {
		err = dummy;
		errlen = sizeof(dummy);
	}
	if (fstat(fd, &st) < 0) {
		snprintf(err, errlen, "%s", strerror(errno));
		close(fd);
		return -errno;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "not a regular file");
		close(fd);
		return -EINVAL;
	}
	r = calloc(1, sizeof(*r));
	if (!r) {
		close(fd);
		return -ENOMEM;
	}
	r->fd = fd;
	r->size = st.st_size;
	r->streams_sorted = 1;
	pthread_mutex_init(&r->lock, NULL);
	r->rec.file_size = r->size;
	ret = open_header(r, err, errlen);
	if (ret)
		goto fail;
	bad = load_index(r);
	if (!bad)
		bad = load_registry(r);
	if (!bad) {
		r->rec.complete = 1;
		r->rec.valid_end = r->size;
	} else {
		/* An index naming bad data is no worse than none. */
		snprintf(why, sizeof(why), "%s", bad);
		if (r->nchunks || strncmp(bad, "no trailer", 10))
			snprintf(why, sizeof(why),
				 "index unusable (%s), file scanned", bad);
		scan(r, why);
	}
	ret = attach_chunks(r);
	if (ret) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	*rp = r;
	return 0;
fail:
	ttd_reader_close(r);
	return ret;
}

int ttd_reader_open(struct ttd_reader **rp, const char *path, char *err,
		    size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	*rp = NULL;
	if (fd < 0) {
		if (err)
			snprintf(err, errlen, "%s", strerror(errno));
		return -errno;
	}
	return ttd_reader_open_fd(rp, fd, err, errlen);
}

void ttd_reader_close(struct ttd_reader *r)
{
	if (!r)
		return;
	reset_tables(r);
	free(r->streams);
	free(r->chunks);
	free(r->blobs);
	rd_buf_free(&r->blob_buf);
	header_info_free(&r->info);
	pthread_mutex_destroy(&r->lock);
	close(r->fd);
	free(r);
}

const char *ttd_reader_strerror(struct ttd_reader *r)
{
	return r->err;
}

const struct ttd_file_info *ttd_reader_info(struct ttd_reader *r)
{
	return &r->info;
}

const struct ttd_recovery *ttd_reader_recovery(struct ttd_reader *r)
{
	return &r->rec;
}

unsigned int ttd_reader_nstreams(struct ttd_reader *r)
{
	return r->nstreams;
}

const struct ttd_stream_info *ttd_reader_stream(struct ttd_reader *r,
						unsigned int i)
{
	return i < r->nstreams ? &r->streams[i].info : NULL;
}

const struct ttd_stream_info *ttd_reader_find_stream(struct ttd_reader *r,
						     uint32_t id)
{
	struct rstream *s = find_stream(r, id);

	return s ? &s->info : NULL;
}

struct rstream *rd_stream(struct ttd_reader *r, uint32_t id)
{
	return find_stream(r, id);
}

size_t ttd_reader_nchunks(struct ttd_reader *r)
{
	return r->nchunks;
}

int ttd_reader_chunk(struct ttd_reader *r, size_t i, struct ttd_chunk_info *c)
{
	const struct rchunk *rc;

	if (i >= r->nchunks)
		return -ERANGE;
	rc = &r->chunks[i];
	c->offset = rc->off;
	c->type = rc->type;
	c->flags = rc->flags;
	c->stream = rc->stream;
	c->events = rc->events;
	c->csize = rc->csize;
	c->usize = rc->usize;
	c->first = rc->first;
	c->last = rc->last;
	return 0;
}

/* ---- loading one chunk ------------------------------------------- */

void rd_buf_free(struct rbuf *b)
{
	free(b->c);
	free(b->u);
	ZSTD_freeDCtx(b->dctx);
	memset(b, 0, sizeof(*b));
}

int rd_load_chunk(struct ttd_reader *r, size_t i, struct rbuf *b,
		  const uint8_t **payload, size_t *len)
{
	const struct rchunk *c = &r->chunks[i];
	size_t need = TTD_CHUNK_HDR + c->csize, prefix, n;
	struct chunk_hdr h;
	const char *bad;
	int ret;

	ret = rd_grow(&b->c, &b->ccap, need);
	if (ret)
		return ret;
	ret = rd_pread(r, b->c, need, c->off);
	if (ret) {
		rd_err(r, "chunk %zu at offset %llu: %s", i,
		       (unsigned long long)c->off,
		       ret == -EBADMSG ? "beyond end of file" : strerror(-ret));
		return ret;
	}
	bad = chunk_hdr_decode(b->c, &h);
	if (!bad && (h.type != c->type || h.flags != c->flags ||
		     h.stream != c->stream || h.events != c->events ||
		     h.csize != c->csize || h.usize != c->usize ||
		     h.first != c->first || h.last != c->last || h.seq != i))
		bad = "header does not match the index";
	if (!bad && crc_bad(h.pcrc, crc32c(0, b->c + TTD_CHUNK_HDR, h.csize)))
		bad = "payload checksum mismatch";
	if (bad)
		goto corrupt;
	if (!(h.flags & TTD_CF_ZSTD)) {
		*payload = b->c + TTD_CHUNK_HDR;
		*len = h.csize;
		return 0;
	}
	prefix = h.type == TTD_CHUNK_BLOB ? TTD_BLOB_DESC : 0;
	if (rd_grow(&b->u, &b->ucap, h.usize ? h.usize : 1))
		return -ENOMEM;
	if (!b->dctx)
		b->dctx = ZSTD_createDCtx();
	if (!b->dctx)
		return -ENOMEM;
	memcpy(b->u, b->c + TTD_CHUNK_HDR, prefix);
	n = ZSTD_decompressDCtx(b->dctx, b->u + prefix, h.usize - prefix,
				b->c + TTD_CHUNK_HDR + prefix,
				h.csize - prefix);
	if (ZSTD_isError(n) || n != h.usize - prefix) {
		bad = ZSTD_isError(n) ? ZSTD_getErrorName(n)
				      : "decompressed size mismatch";
		goto corrupt;
	}
	*payload = b->u;
	*len = h.usize;
	return 0;
corrupt:
	rd_err(r, "chunk %zu at offset %llu: %s", i, (unsigned long long)c->off,
	       bad);
	return -EBADMSG;
}
