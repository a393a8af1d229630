// SPDX-License-Identifier: GPL-2.0
/* Event iteration, seeking, and blob reads over an open recording. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "format/ttd_format.h"
#include "layout.h"
#include "reader_int.h"

struct ttd_iter {
	struct ttd_reader *r;
	uint32_t stream;
	uint64_t from, to, lo;
	const size_t *list; /* the stream's chunks, or NULL for all */
	size_t nlist, pos;
	struct rbuf b;
	const struct rchunk *cur;
	size_t cur_i;
	const uint8_t *p, *end;
	uint32_t left;
	uint64_t icount;
};

int ttd_iter_open(struct ttd_reader *r, uint32_t stream, uint64_t from,
		  uint64_t to, struct ttd_iter **itp)
{
	struct ttd_iter *it;
	struct rstream *s = NULL;

	*itp = NULL;
	if (stream != TTD_ALL_STREAMS) {
		s = rd_stream(r, stream);
		if (!s) {
			rd_err(r, "no stream %u in this recording", stream);
			return -ENOENT;
		}
	}
	it = calloc(1, sizeof(*it));
	if (!it)
		return -ENOMEM;
	it->r = r;
	it->stream = stream;
	it->from = from;
	it->to = to;
	if (s) {
		it->list = s->chunks;
		it->nlist = s->n;
	} else {
		it->nlist = r->nchunks;
	}
	*itp = it;
	return 0;
}

void ttd_iter_close(struct ttd_iter *it)
{
	if (!it)
		return;
	rd_buf_free(&it->b);
	free(it);
}

static int corrupt(struct ttd_iter *it, const char *what)
{
	rd_err(it->r, "chunk %zu at offset %llu: %s", it->cur_i,
	       (unsigned long long)it->cur->off, what);
	it->left = 0;
	it->cur = NULL;
	it->pos = it->nlist; /* nothing after a bad chunk */
	return -EBADMSG;
}

/* Load the next chunk that may hold wanted events; 0 at the end. */
static int next_chunk(struct ttd_iter *it)
{
	uint64_t lo = it->from > it->lo ? it->from : it->lo;
	struct ttd_reader *r = it->r;
	const uint8_t *p;
	size_t len;
	int ret;

	while (it->pos < it->nlist) {
		size_t i = it->list ? it->list[it->pos] : it->pos;
		const struct rchunk *c = &r->chunks[i];

		it->pos++;
		if (c->type != TTD_CHUNK_EVENTS || c->last < lo)
			continue;
		if (c->first > it->to) {
			if (it->list) /* ordered: nothing further fits */
				it->pos = it->nlist;
			continue;
		}
		ret = rd_load_chunk(r, i, &it->b, &p, &len);
		if (ret) {
			it->pos = it->nlist;
			return ret;
		}
		it->cur = c;
		it->cur_i = i;
		it->p = p;
		it->end = p + len;
		it->left = c->events;
		it->icount = c->first;
		if (!it->left)
			return corrupt(it, "event chunk without events");
		return 1;
	}
	return 0;
}

int ttd_iter_next(struct ttd_iter *it, struct ttd_event *ev)
{
	uint64_t lo = it->from > it->lo ? it->from : it->lo;
	uint64_t type, delta, len;
	const uint8_t *p;
	int ret;

	for (;;) {
		if (!it->left) {
			ret = next_chunk(it);
			if (ret <= 0)
				return ret;
		}
		p = get_varint(it->p, it->end, &type);
		if (p)
			p = get_varint(p, it->end, &delta);
		if (p)
			p = get_varint(p, it->end, &len);
		if (!p)
			return corrupt(it, "malformed event header");
		if (type > UINT16_MAX)
			return corrupt(it, "event type out of range");
		if (len > (uint64_t)(it->end - p))
			return corrupt(it, "event longer than its chunk");
		if (delta > it->cur->last - it->icount)
			return corrupt(it, "event beyond the chunk's range");
		it->icount += delta;
		it->p = p + len;
		if (--it->left == 0 &&
		    (it->p != it->end || it->icount != it->cur->last))
			return corrupt(it, "event count or range mismatch");
		if (it->icount < lo || it->icount > it->to)
			continue;
		ev->stream = it->cur->stream;
		ev->type = type;
		ev->icount = it->icount;
		ev->payload = p;
		ev->len = len;
		return 1;
	}
}

int ttd_iter_seek(struct ttd_iter *it, uint64_t icount)
{
	size_t lo = 0, hi = it->nlist;
	struct ttd_reader *r = it->r;

	if (!it->list) {
		rd_err(r, "seeking needs a single-stream iterator");
		return -EINVAL;
	}
	/* First chunk whose range reaches icount; ranges are ordered. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (r->chunks[it->list[mid]].last < icount)
			lo = mid + 1;
		else
			hi = mid;
	}
	it->pos = lo;
	it->left = 0;
	it->cur = NULL;
	it->lo = icount;
	return 0;
}

/* ---- blobs --------------------------------------------------------- */

static int cmp_blob(const void *a, const void *b)
{
	const struct rblob *x = a, *y = b;
	int c = memcmp(&x->h, &y->h, sizeof(x->h));

	if (c)
		return c;
	return x->off < y->off ? -1 : x->off > y->off;
}

/* Table of every blob piece, from the descriptors.  Lock held. */
static int build_blobs(struct ttd_reader *r)
{
	uint8_t d[TTD_BLOB_DESC];
	size_t n = 0;

	if (r->blobs_built)
		return 0;
	for (size_t i = 0; i < r->nchunks; i++)
		n += r->chunks[i].type == TTD_CHUNK_BLOB;
	r->blobs = calloc(n ? n : 1, sizeof(*r->blobs));
	if (!r->blobs)
		return -ENOMEM;
	for (size_t i = 0; i < r->nchunks; i++) {
		const struct rchunk *c = &r->chunks[i];
		struct rblob *b = &r->blobs[r->nblobs];

		if (c->type != TTD_CHUNK_BLOB)
			continue;
		/* Checked in full (CRC) when the piece is read. */
		if (rd_pread(r, d, sizeof(d), c->off + TTD_CHUNK_HDR))
			continue;
		memcpy(b->h.b, d, 16);
		b->total = get64(d + 16);
		b->off = get64(d + 24);
		b->len = c->usize - TTD_BLOB_DESC;
		b->chunk = i;
		if (b->off != c->first || c->last - c->first != b->len ||
		    c->last > b->total)
			continue;
		r->nblobs++;
	}
	qsort(r->blobs, r->nblobs, sizeof(*r->blobs), cmp_blob);
	r->blobs_built = 1;
	return 0;
}

/* First piece of h; checks the pieces cover the whole blob.  Lock held. */
static int find_blob(struct ttd_reader *r, const struct ttd_hash *h,
		     size_t *first, size_t *count)
{
	size_t lo = 0, hi, end;
	uint64_t covered = 0;
	char hex[33];
	int ret = build_blobs(r);

	if (ret)
		return ret;
	hi = r->nblobs;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (memcmp(&r->blobs[mid].h, h, sizeof(*h)) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	ttd_hash_hex(h, hex);
	if (lo == r->nblobs || memcmp(&r->blobs[lo].h, h, sizeof(*h))) {
		rd_err(r, "no blob %s in this recording", hex);
		return -ENOENT;
	}
	for (end = lo;
	     end < r->nblobs && !memcmp(&r->blobs[end].h, h, sizeof(*h));
	     end++) {
		const struct rblob *b = &r->blobs[end];

		if (b->total != r->blobs[lo].total || b->off > covered)
			break;
		if (b->off + b->len > covered)
			covered = b->off + b->len;
	}
	if (covered != r->blobs[lo].total) {
		rd_err(r, "blob %s incomplete: %llu of %llu bytes present", hex,
		       (unsigned long long)covered,
		       (unsigned long long)r->blobs[lo].total);
		return -EBADMSG;
	}
	*first = lo;
	*count = end - lo;
	return 0;
}

int ttd_reader_blob_size(struct ttd_reader *r, const struct ttd_hash *h,
			 uint64_t *len)
{
	size_t first, n;
	int ret;

	pthread_mutex_lock(&r->lock);
	ret = find_blob(r, h, &first, &n);
	if (!ret)
		*len = r->blobs[first].total;
	pthread_mutex_unlock(&r->lock);
	return ret;
}

int ttd_reader_blob_read(struct ttd_reader *r, const struct ttd_hash *h,
			 uint64_t off, void *buf, size_t len)
{
	uint64_t end = off + len;
	size_t first, n;
	int ret;

	pthread_mutex_lock(&r->lock);
	ret = find_blob(r, h, &first, &n);
	if (!ret && (end < off || end > r->blobs[first].total)) {
		rd_err(r, "read past the end of a blob");
		ret = -EINVAL;
	}
	for (size_t k = first; !ret && k < first + n && off < end; k++) {
		const struct rblob *b = &r->blobs[k];
		const uint8_t *p;
		uint64_t from, to;
		size_t plen;

		if (b->off + b->len <= off)
			continue;
		if (b->off > off) {
			rd_err(r, "blob pieces overlap inconsistently");
			ret = -EBADMSG;
			break;
		}
		ret = rd_load_chunk(r, b->chunk, &r->blob_buf, &p, &plen);
		if (ret)
			break;
		if (memcmp(p, h->b, 16) || plen != TTD_BLOB_DESC + b->len) {
			rd_err(r, "blob piece does not match its descriptor");
			ret = -EBADMSG;
			break;
		}
		from = off - b->off;
		to = end < b->off + b->len ? end - b->off : b->len;
		memcpy(buf, p + TTD_BLOB_DESC + from, to - from);
		buf = (uint8_t *)buf + (to - from);
		off = b->off + to;
	}
	pthread_mutex_unlock(&r->lock);
	return ret;
}
