// SPDX-License-Identifier: GPL-2.0
/*
 * Selftests of the .ttd format library (TAP).
 *
 *   format_test                 run every test
 *   format_test gen-v1 FILE     write the reference first-version file
 *   format_test gen-sample FILE write a small multi-stream recording
 *   format_test gen-corpus DIR  write the fuzzer's seed corpus
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "format/crc32c.h"
#include "format/ttd_format.h"
#include "gen.h"

static int test_no;
static int failures;
static char tmpdir[256];

static void ok(int cond, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", cond ? "" : "not ", ++test_no);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	if (!cond)
		failures++;
}

static void skip(const char *fmt, ...)
{
	va_list ap;

	printf("ok %d # SKIP ", ++test_no);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

static void diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static char *tpath(const char *name)
{
	static char buf[4][512];
	static int n;
	char *p = buf[n++ & 3];

	snprintf(p, 512, "%s/%s", tmpdir, name);
	return p;
}

/* ---- writing generated streams -------------------------------------- */

struct gen_cfg {
	uint64_t seed;
	unsigned int nstreams;
	uint64_t events; /* per stream */
	uint32_t big_every;
	unsigned int workers;
	size_t chunk_size;
	int level;
};

static int append_gen(struct ttd_stream *s, const struct gen_cfg *g,
		      uint32_t sid, uint64_t k, uint8_t *buf)
{
	struct gen_ev e;

	gen_event(g->seed, sid, k, g->big_every, &e);
	gen_payload(g->seed, sid, k, buf, e.len);
	return ttd_stream_append(s, e.type, e.icount, buf, e.len);
}

static void opts_for(struct ttd_writer_opts *o, const struct gen_cfg *g)
{
	static char *argv[] = { "format_test", "--some", "arg with space" };

	ttd_writer_opts_init(o);
	o->workers = g->workers;
	o->chunk_size = g->chunk_size;
	o->zstd_level = g->level;
	o->sync = TTD_SYNC_NONE;
	o->argc = 3;
	o->argv = argv;
}

/* Round-robin over streams so that chunks of all streams interleave. */
static int write_gen(const char *path, const struct gen_cfg *g)
{
	struct ttd_stream **s = calloc(g->nstreams, sizeof(*s));
	struct ttd_writer_opts o;
	struct ttd_writer *w;
	uint8_t *buf = malloc(1 << 17);
	char err[256];
	int ret;

	opts_for(&o, g);
	ret = ttd_writer_open(&w, path, &o, err, sizeof(err));
	if (ret) {
		diag("open %s: %s", path, err);
		goto out;
	}
	for (unsigned int i = 0; i < g->nstreams && !ret; i++)
		ret = ttd_stream_open(
			w, i ? TTD_STREAM_THREAD : TTD_STREAM_PROCESS, 1000 + i,
			i ? 1 : 0, "gen", &s[i]);
	for (uint64_t k = 0; k < g->events && !ret; k++)
		for (unsigned int i = 0; i < g->nstreams && !ret; i++)
			ret = append_gen(s[i], g, i + 1, k, buf);
	if (ret)
		diag("append: %s (%s)", strerror(-ret), ttd_writer_strerror(w));
	ret = ttd_writer_close(w, err, sizeof(err)) ?: ret;
out:
	free(s);
	free(buf);
	return ret;
}

/*
 * Read everything back and compare.  Returns the number of mismatches;
 * per-stream counts land in got[] (if given), which must have nstreams
 * entries.  A read error counts as a mismatch unless allow_err.
 */
static long verify_gen(struct ttd_reader *r, const struct gen_cfg *g,
		       uint64_t *got, int allow_err)
{
	uint64_t *next = calloc(g->nstreams + 1, sizeof(*next));
	uint8_t *buf = malloc(1 << 17);
	struct ttd_event ev;
	struct ttd_iter *it;
	long bad = 0;
	int ret;

	ret = ttd_iter_open(r, TTD_ALL_STREAMS, 0, UINT64_MAX, &it);
	if (ret)
		return 1;
	while ((ret = ttd_iter_next(it, &ev)) > 0) {
		struct gen_ev e;
		uint64_t k;

		if (ev.stream < 1 || ev.stream > g->nstreams) {
			bad++;
			continue;
		}
		k = next[ev.stream]++;
		gen_event(g->seed, ev.stream, k, g->big_every, &e);
		gen_payload(g->seed, ev.stream, k, buf, e.len);
		if (ev.type != e.type || ev.icount != e.icount ||
		    ev.len != e.len || memcmp(ev.payload, buf, e.len)) {
			if (bad < 3)
				diag("stream %u event %llu differs", ev.stream,
				     (unsigned long long)k);
			bad++;
		}
	}
	if (ret < 0 && !allow_err) {
		diag("iteration: %s", ttd_reader_strerror(r));
		bad++;
	}
	for (unsigned int i = 0; got && i < g->nstreams; i++)
		got[i] = next[i + 1];
	ttd_iter_close(it);
	free(next);
	free(buf);
	return bad;
}

/* ---- tests ---------------------------------------------------------- */

static void test_crc(void)
{
	static const uint8_t v[] = "123456789";
	uint8_t *big = malloc(100000);
	uint32_t ref = ~0u, got;
	int same = 1;

	ok(crc32c(0, v, 9) == 0xe3069283, "crc32c check value");
	for (size_t i = 0; i < 100000; i++)
		big[i] = splitmix(i);
	for (size_t i = 0; i < 100000; i++) {
		ref ^= big[i];
		for (int k = 0; k < 8; k++)
			ref = (ref >> 1) ^ (0x82f63b78u & -(ref & 1));
	}
	got = crc32c(0, big, 100000);
	/* Also in pieces at odd alignments. */
	for (size_t cut = 1; cut < 20000; cut += 4999)
		same &= crc32c(crc32c(0, big + 1, cut), big + 1 + cut,
			       99999 - cut) == crc32c(0, big + 1, 99999);
	ok(got == ~ref && same, "crc32c matches bitwise reference");
	free(big);
}

static void test_roundtrip(void)
{
	struct gen_cfg g = { .seed = 1,
			     .nstreams = 64,
			     .events = 32000,
			     .big_every = 5000,
			     .workers = 2,
			     .chunk_size = 256 << 10,
			     .level = 1 };
	const char *path = tpath("rt.ttd");
	const struct ttd_stream_info *si;
	const struct ttd_file_info *fi;
	uint64_t got[64];
	struct ttd_reader *r;
	char err[256];
	long bad;
	int ret, counts = 1;

	ret = write_gen(path, &g);
	ok(ret == 0, "round trip: wrote %llu events over %u streams",
	   (unsigned long long)g.events * g.nstreams, g.nstreams);
	ret = ttd_reader_open(&r, path, err, sizeof(err));
	ok(ret == 0, "round trip: open (%s)", ret ? err : "ok");
	if (ret)
		return;
	ok(ttd_reader_recovery(r)->complete, "round trip: index used");
	fi = ttd_reader_info(r);
	ok(fi->version == 1 && fi->argc == 3 &&
		   !strcmp(fi->argv[2], "arg with space") &&
		   fi->page_size >= 4096 && fi->kernel[0] && fi->ncpuid > 2,
	   "round trip: header (kernel %s, %s family %u model %u)", fi->kernel,
	   fi->cpu_vendor, fi->cpu_family, fi->cpu_model);
	bad = verify_gen(r, &g, got, 0);
	for (unsigned int i = 0; i < g.nstreams; i++)
		counts &= got[i] == g.events;
	ok(bad == 0 && counts, "round trip: every event matches (%ld bad)",
	   bad);
	si = ttd_reader_find_stream(r, 2);
	ok(ttd_reader_nstreams(r) == 64 && si &&
		   si->kind == TTD_STREAM_THREAD && si->parent == 1 &&
		   si->os_id == 1001 && !strcmp(si->name, "gen") &&
		   si->events == g.events &&
		   si->last == gen_icount(g.seed, 2, g.events - 1),
	   "round trip: stream registry and totals");

	/* Seeks: the first event at or after a random instruction count. */
	bad = 0;
	for (int n = 0; n < 400; n++) {
		uint32_t sid = 1 + splitmix(n) % g.nstreams;
		uint64_t target = splitmix(n + 77) %
				  (gen_icount(g.seed, sid, g.events) + 10);
		uint64_t k = 0;
		struct ttd_event ev;
		struct ttd_iter *it;

		/* Expected: smallest k with icount(k) >= target. */
		uint64_t lo = 0, hi = g.events;

		while (lo < hi) {
			uint64_t mid = (lo + hi) / 2;

			if (gen_icount(g.seed, sid, mid) < target)
				lo = mid + 1;
			else
				hi = mid;
		}
		k = lo;
		if (ttd_iter_open(r, sid, 0, UINT64_MAX, &it)) {
			bad++;
			continue;
		}
		ret = ttd_iter_seek(it, target);
		ret = ret ?: ttd_iter_next(it, &ev);
		if (k == g.events ? ret != 0
				  : ret != 1 || ev.icount != gen_icount(g.seed,
									sid, k))
			bad++;
		ttd_iter_close(it);
	}
	ok(bad == 0, "seek: 400 random (stream, icount) positions (%ld bad)",
	   bad);

	/* A window [from, to] on one stream. */
	{
		struct ttd_iter *it;
		struct ttd_event ev;
		uint64_t from = 100000, to = 200000, n = 0, want = 0;
		int inside = 1;

		for (uint64_t k = 0; k < g.events; k++) {
			uint64_t ic = gen_icount(g.seed, 5, k);

			want += ic >= from && ic <= to;
		}
		ttd_iter_open(r, 5, from, to, &it);
		while (ttd_iter_next(it, &ev) > 0) {
			inside &= ev.icount >= from && ev.icount <= to &&
				  ev.stream == 5;
			n++;
		}
		ttd_iter_close(it);
		ok(n == want && inside, "window: %llu events in [from, to]",
		   (unsigned long long)n);
	}
	ttd_reader_close(r);
	unlink(path);
}

/* ---- producers ------------------------------------------------------ */

struct prod {
	struct ttd_writer *w;
	struct gen_cfg *g;
	unsigned int first_stream; /* 0-based */
	unsigned int nstreams;
	int ret;
	struct ttd_stream *s[8];
};

static void *producer(void *arg)
{
	struct prod *p = arg;
	uint8_t *buf = malloc(1 << 17);
	struct ttd_hash h;

	for (uint64_t k = 0; k < p->g->events && !p->ret; k++)
		for (unsigned int i = 0; i < p->nstreams && !p->ret; i++)
			p->ret = append_gen(p->s[i], p->g,
					    p->first_stream + i + 1, k, buf);
	/* Blobs from every thread, one of them shared by all. */
	memset(buf, 0x5a, 300000 < (1 << 17) ? 300000 : (1 << 17));
	if (!p->ret)
		p->ret = ttd_writer_put_blob(p->w, p->g->nstreams + 1, buf,
					     1 << 17, &h);
	free(buf);
	return NULL;
}

static void test_producers(void)
{
	struct gen_cfg g = { .seed = 8,
			     .nstreams = 32,
			     .events = 20000,
			     .big_every = 0,
			     .workers = 2,
			     .chunk_size = 64 << 10,
			     .level = 1 };
	const char *path = tpath("prod.ttd");
	struct ttd_writer_opts o;
	struct ttd_writer_stats st;
	struct ttd_stream *blobs;
	struct ttd_writer *w;
	struct prod p[8];
	pthread_t t[8];
	struct ttd_reader *r;
	uint64_t got[32];
	char err[256];
	int ret, all = 1;
	long bad;

	opts_for(&o, &g);
	o.max_buffered = 1 << 20; /* force back-pressure too */
	ret = ttd_writer_open(&w, path, &o, err, sizeof(err));
	for (int i = 0; i < 8 && !ret; i++) {
		p[i] = (struct prod){
			.w = w, .g = &g, .first_stream = i * 4, .nstreams = 4
		};
		for (int k = 0; k < 4 && !ret; k++)
			ret = ttd_stream_open(w, TTD_STREAM_THREAD, i * 4 + k,
					      0, NULL, &p[i].s[k]);
	}
	ret = ret ?: ttd_stream_open(w, TTD_STREAM_FILE, 0, 0, "files", &blobs);
	for (int i = 0; i < 8 && !ret; i++)
		pthread_create(&t[i], NULL, producer, &p[i]);
	for (int i = 0; i < 8 && !ret; i++) {
		pthread_join(t[i], NULL);
		all &= p[i].ret == 0;
	}
	ttd_writer_get_stats(w, &st);
	ret = ttd_writer_close(w, err, sizeof(err)) ?: ret;
	ok(ret == 0 && all, "8 producer threads: write (%s)", ret ? err : "ok");
	diag("stalls on max_buffered: %llu", (unsigned long long)st.stalls);
	ok(st.blobs == 1 && st.blob_dups == 7,
	   "8 producer threads: one blob stored, 7 deduplicated");
	ret = ttd_reader_open(&r, path, err, sizeof(err));
	if (ret) {
		ok(0, "8 producer threads: open: %s", err);
		return;
	}
	bad = verify_gen(r, &g, got, 0);
	for (int i = 0; i < 32; i++)
		all &= got[i] == g.events;
	ok(bad == 0 && all, "8 producer threads: every event read back");
	ttd_reader_close(r);
	unlink(path);
}

/* ---- blobs ---------------------------------------------------------- */

static void test_blobs(void)
{
	const char *path = tpath("blob.ttd");
	size_t big = 5u << 20;
	uint8_t *a = malloc(big), *b = malloc(big);
	struct ttd_hash h1, h2, h0, hx;
	struct ttd_writer_opts o;
	struct ttd_writer_stats st;
	struct ttd_stream *snap, *thr;
	struct ttd_writer *w;
	struct ttd_reader *r;
	uint64_t len = 0;
	char err[256];
	int ret;

	for (size_t i = 0; i < big; i++)
		a[i] = (i % 4096 < 2048) ? (uint8_t)splitmix(i) : (uint8_t)i;
	ttd_writer_opts_init(&o);
	o.sync = TTD_SYNC_NONE;
	ret = ttd_writer_open(&w, path, &o, err, sizeof(err));
	ret = ret
		      ?: ttd_stream_open(w, TTD_STREAM_SNAPSHOT, 0, 0, "snap",
					 &snap);
	ret = ret ?: ttd_stream_open(w, TTD_STREAM_THREAD, 1, 0, NULL, &thr);
	ret = ret ?: ttd_writer_put_blob(w, ttd_stream_id(snap), a, big, &h1);
	ret = ret ?: ttd_writer_put_blob(w, ttd_stream_id(snap), a, big, &h2);
	ret = ret ?: ttd_writer_put_blob(w, ttd_stream_id(snap), a, 0, &h0);
	ok(ret == 0 && !memcmp(&h1, &h2, sizeof(h1)),
	   "blobs: 5 MiB blob stored twice, same hash");
	ok(ttd_writer_put_blob(w, ttd_stream_id(thr), a, 10, &hx) == -EINVAL,
	   "blobs: refused in a thread stream");
	ret = ttd_stream_append(thr, TTD_EV_SNAPSHOT_REGION, 5, &h1,
				sizeof(h1));
	ttd_writer_get_stats(w, &st);
	ret = ttd_writer_close(w, err, sizeof(err)) ?: ret;
	ok(ret == 0 && st.blobs == 2 && st.blob_dups == 1,
	   "blobs: deduplicated (%llu stored, %llu dups)",
	   (unsigned long long)st.blobs, (unsigned long long)st.blob_dups);
	ret = ttd_reader_open(&r, path, err, sizeof(err));
	if (ret) {
		ok(0, "blobs: open: %s", err);
		goto out;
	}
	ret = ttd_reader_blob_size(r, &h1, &len);
	ok(ret == 0 && len == big, "blobs: size read back");
	memset(b, 0, big);
	ret = ttd_reader_blob_read(r, &h1, 0, b, big);
	ok(ret == 0 && !memcmp(a, b, big), "blobs: whole blob read back");
	ret = ttd_reader_blob_read(r, &h1, (1 << 20) - 7, b, 3 << 20);
	ok(ret == 0 && !memcmp(a + (1 << 20) - 7, b, 3 << 20),
	   "blobs: range across pieces");
	ok(ttd_reader_blob_size(r, &h0, &len) == 0 && len == 0,
	   "blobs: empty blob");
	memset(&hx, 0xee, sizeof(hx));
	ok(ttd_reader_blob_size(r, &hx, &len) == -ENOENT,
	   "blobs: unknown hash is -ENOENT");
	ok(ttd_reader_blob_read(r, &h1, big - 1, b, 2) == -EINVAL,
	   "blobs: read past the end refused");
	ttd_reader_close(r);
out:
	unlink(path);
	free(a);
	free(b);
}

static void test_api_errors(void)
{
	const char *path = tpath("api.ttd");
	struct ttd_writer_opts o;
	struct ttd_stream *s, *bad;
	struct ttd_writer *w;
	uint8_t *huge = calloc(1, TTD_MAX_EVENT + 1);
	char err[256];
	int ret;

	ttd_writer_opts_init(&o);
	o.workers = 0;
	ret = ttd_writer_open(&w, path, &o, err, sizeof(err));
	ok(ret == -EINVAL && strstr(err, "workers"),
	   "opts: 0 workers refused (%s)", err);
	o.workers = 1;
	o.exclusive = 1;
	ret = ttd_writer_open(&w, path, &o, err, sizeof(err));
	ok(ret == 0, "opts: exclusive create");
	ok(ttd_writer_open(&w, path, &o, err, sizeof(err)) == -EEXIST,
	   "opts: exclusive create of an existing file fails");
	ret = ttd_writer_open(&w, path, NULL, err, sizeof(err));
	ttd_stream_open(w, TTD_STREAM_THREAD, 1, 0, NULL, &s);
	ok(ttd_stream_open(w, 99, 1, 0, NULL, &bad) == -EINVAL,
	   "stream: unknown kind refused");
	ok(ttd_stream_open(w, TTD_STREAM_THREAD, 1, 77, NULL, &bad) == -EINVAL,
	   "stream: unknown parent refused");
	ttd_stream_append(s, 1, 100, "x", 1);
	ok(ttd_stream_append(s, 1, 99, "x", 1) == -EINVAL,
	   "append: decreasing instruction count refused");
	ttd_stream_flush(s);
	ok(ttd_stream_append(s, 1, 98, "x", 1) == -EINVAL,
	   "append: ... also across chunks");
	ok(ttd_stream_append(s, 1, 100, huge, TTD_MAX_EVENT + 1) == -E2BIG,
	   "append: event above TTD_MAX_EVENT refused");
	ok(ttd_stream_append(s, 1, 100, huge, TTD_MAX_EVENT) == 0,
	   "append: event of TTD_MAX_EVENT accepted");
	ok(ttd_writer_close(w, err, sizeof(err)) == 0, "close");
	free(huge);
	unlink(path);
}

/* ---- damaged files -------------------------------------------------- */

static uint8_t *slurp(const char *path, size_t *len)
{
	struct stat st;
	uint8_t *p;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || fstat(fd, &st) < 0)
		return NULL;
	p = malloc(st.st_size + 1);
	if (read(fd, p, st.st_size) != st.st_size) {
		free(p);
		p = NULL;
	}
	close(fd);
	*len = st.st_size;
	return p;
}

static int spit(const char *path, const void *p, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	int ret = fd >= 0 && write(fd, p, len) == (ssize_t)len ? 0 : -1;

	if (fd >= 0)
		close(fd);
	return ret;
}

/*
 * Open and read everything, as `ttdctl info` would.  Any event returned
 * must be the right one (a damaged file may lose data, never alter it).
 * Returns -1 if wrong data came out, else the number of events read.
 */
static long read_all(const char *path, const struct gen_cfg *g, int *oerr)
{
	struct ttd_reader *r;
	char err[256];
	long bad, n = 0;
	uint64_t got[16];

	*oerr = ttd_reader_open(&r, path, err, sizeof(err));
	if (*oerr)
		return 0;
	bad = verify_gen(r, g, got, 1);
	for (unsigned int i = 0; i < g->nstreams; i++)
		n += got[i];
	/* Blobs too: whatever comes back must hash right. */
	for (size_t i = 0; i < ttd_reader_nchunks(r); i++) {
		struct ttd_chunk_info c;

		ttd_reader_chunk(r, i, &c);
		(void)c;
	}
	ttd_reader_close(r);
	return bad ? -1 : n;
}

static const struct gen_cfg small = { .seed = 3,
				      .nstreams = 4,
				      .events = 3000,
				      .big_every = 700,
				      .workers = 1,
				      .chunk_size = 8192,
				      .level = 1 };

static void test_truncation(void)
{
	const char *path = tpath("small.ttd"), *cut = tpath("cut.ttd");
	size_t len, prev_n = 0;
	uint8_t *p;
	int wrong = 0, err, opened = 0, shrank = 0, tested = 0;

	write_gen(path, &small);
	p = slurp(path, &len);
	if (!p) {
		ok(0, "truncation: no sample file");
		return;
	}
	diag("sample: %zu bytes", len);
	for (size_t at = 0; at <= len; at += (at < 256 ? 1 : 211)) {
		long n;

		spit(cut, p, at);
		n = read_all(cut, &small, &err);
		tested++;
		if (n < 0)
			wrong++;
		if (!err)
			opened++;
		/* A longer prefix never yields fewer events. */
		if (!err && n >= 0 && (size_t)n < prev_n)
			shrank++;
		if (!err && n >= 0)
			prev_n = n;
	}
	ok(wrong == 0 && shrank == 0,
	   "truncation at %d points: only correct events, more as the file "
	   "grows (%d opened)",
	   tested, opened);
	{
		spit(cut, p, len - 1);
		struct ttd_reader *r;
		char e[256];

		err = ttd_reader_open(&r, cut, e, sizeof(e));
		ok(!err && !ttd_reader_recovery(r)->complete &&
			   ttd_reader_recovery(r)->reason[0],
		   "truncation: recovery reported (%s)",
		   err ? e : ttd_reader_recovery(r)->reason);
		if (!err)
			ttd_reader_close(r);
	}
	unlink(cut);
	free(p);
}

static void test_bitflips(void)
{
	const char *path = tpath("small.ttd"), *bad = tpath("flip.ttd");
	size_t len;
	uint8_t *p = slurp(path, &len);
	int wrong = 0, total = 0;
	long full = 0;

	if (!p) {
		ok(0, "bit flips: no sample file");
		return;
	}
	for (int n = 0; n < 600; n++) {
		size_t at = n < 200 ? splitmix(n) % 512 : splitmix(n) % len;
		int err;

		/* Header, index/trailer and body all get their share. */
		if (n % 5 == 4)
			at = len - 1 - splitmix(n) % 600;
		p[at] ^= 1u << (n & 7);
		spit(bad, p, len);
		p[at] ^= 1u << (n & 7);
		if (read_all(bad, &small, &err) < 0)
			wrong++;
		total++;
	}
	full = read_all(path, &small, &total);
	ok(wrong == 0, "bit flips: 600 single-bit corruptions never give "
		       "wrong data");
	ok(full == (long)(small.events * small.nstreams),
	   "bit flips: the undamaged file still reads completely");
	unlink(bad);
	free(p);
}

static void fix_hdr_crc(uint8_t *c)
{
	uint32_t v = crc32c(0, c, 60);

	memcpy(c + 60, &v, 4);
}

static int open_err(const char *path, char *msg, size_t len)
{
	struct ttd_reader *r;
	int ret = ttd_reader_open(&r, path, msg, len);

	if (!ret)
		ttd_reader_close(r);
	return ret;
}

static void test_crafted(void)
{
	const char *path = tpath("small.ttd"), *bad = tpath("craft.ttd");
	uint32_t hsize, v32;
	uint64_t ioff, v64;
	size_t len;
	uint8_t *p = slurp(path, &len), *q;
	struct ttd_reader *r;
	char msg[256];
	int ret, e;

	if (!p) {
		ok(0, "crafted: no sample file");
		return;
	}
	q = malloc(len);
	memcpy(&hsize, p + 12, 4);
	memcpy(&ioff, p + len - 24, 8);

	memcpy(q, p, len);
	q[1] = 'X';
	spit(bad, q, len);
	ret = open_err(bad, msg, sizeof(msg));
	ok(ret == -ENOEXEC && strstr(msg, "not a ttd"), "wrong magic: %s", msg);

	memcpy(q, p, len);
	q[8] = 2;
	spit(bad, q, len);
	ret = open_err(bad, msg, sizeof(msg));
	ok(ret == -EPROTONOSUPPORT && strstr(msg, "newer"), "newer version: %s",
	   msg);

	memcpy(q, p, len);
	q[8] = 0;
	spit(bad, q, len);
	ok(open_err(bad, msg, sizeof(msg)) == -EBADMSG, "version 0: %s", msg);

	memcpy(q, p, len);
	v32 = 0xfffffff8;
	memcpy(q + 12, &v32, 4);
	spit(bad, q, len);
	ok(open_err(bad, msg, sizeof(msg)) == -EBADMSG,
	   "absurd header size: %s", msg);

	spit(bad, "", 0);
	ok(open_err(bad, msg, sizeof(msg)) == -ENOEXEC, "empty file: %s", msg);
	ok(open_err("/nonexistent/x.ttd", msg, sizeof(msg)) == -ENOENT,
	   "missing file: %s", msg);
	ok(open_err("/", msg, sizeof(msg)) != 0, "a directory: %s", msg);

	/* Index entries pointing backwards (a cycle). */
	memcpy(q, p, len);
	memcpy(q + ioff + 64 + 48, q + ioff + 64, 8); /* entry1 = entry0 */
	v32 = crc32c(0, q + ioff + 64, len - 32 - ioff - 64);
	memcpy(q + ioff + 48, &v32, 4); /* valid CRC: logic must catch it */
	fix_hdr_crc(q + ioff);
	spit(bad, q, len);
	ret = ttd_reader_open(&r, bad, msg, sizeof(msg));
	ok(ret == 0 && !ttd_reader_recovery(r)->complete &&
		   strstr(ttd_reader_recovery(r)->reason, "index"),
	   "index offsets in a cycle: fall back to scan (%s)",
	   ret ? msg : ttd_reader_recovery(r)->reason);
	if (!ret) {
		ok(read_all(bad, &small, &e) ==
			   (long)(small.events * small.nstreams),
		   "... and the scan still reads every event");
		ttd_reader_close(r);
	}

	/* Index claiming 2^40 entries. */
	memcpy(q, p, len);
	v64 = 1ull << 40;
	memcpy(q + len - 16, &v64, 8);
	v32 = crc32c(0, q + len - 32, 28);
	memcpy(q + len - 4, &v32, 4);
	spit(bad, q, len);
	ret = ttd_reader_open(&r, bad, msg, sizeof(msg));
	ok(ret == 0 && !ttd_reader_recovery(r)->complete,
	   "absurd index count: fall back to scan (%s)",
	   ret ? msg : ttd_reader_recovery(r)->reason);
	if (!ret)
		ttd_reader_close(r);

	/* Trailer pointing at itself. */
	memcpy(q, p, len);
	v64 = len - 32;
	memcpy(q + len - 24, &v64, 8);
	v32 = crc32c(0, q + len - 32, 28);
	memcpy(q + len - 4, &v32, 4);
	spit(bad, q, len);
	ret = ttd_reader_open(&r, bad, msg, sizeof(msg));
	ok(ret == 0 && !ttd_reader_recovery(r)->complete,
	   "trailer pointing at itself: fall back to scan");
	if (!ret)
		ttd_reader_close(r);

	/* First chunk claims 4 GiB of payload, with a valid header CRC. */
	memcpy(q, p, len);
	v32 = 0xffffff00;
	memcpy(q + hsize + 16, &v32, 4);
	memcpy(q + hsize + 20, &v32, 4);
	fix_hdr_crc(q + hsize);
	memset(q + len - 32, 0, 32); /* no trailer: force a scan */
	spit(bad, q, len);
	ret = ttd_reader_open(&r, bad, msg, sizeof(msg));
	ok(ret == 0 && ttd_reader_nchunks(r) == 0 &&
		   strstr(ttd_reader_recovery(r)->reason, "size"),
	   "chunk with absurd sizes: stop cleanly (%s)",
	   ret ? msg : ttd_reader_recovery(r)->reason);
	if (!ret)
		ttd_reader_close(r);

	/*
	 * A stored (uncompressed) event chunk whose body lies about lengths
	 * and counts, every checksum valid: the iterator must refuse.
	 */
	{
		uint8_t body[64];
		uint8_t *f = malloc(hsize + 64 + 64 + 128);
		size_t flen = 0;
		uint32_t crc;
		int res[3] = { 0 };

		memcpy(f, p, hsize);
		flen = hsize;
		/* registry chunk: stream 1 */
		memset(f + flen, 0, 64 + 24);
		memcpy(f + flen, "TTDC", 4);
		f[flen + 4] = 2; /* STREAMS */
		f[flen + 12] = 1; /* one record */
		f[flen + 16] = 24; /* csize */
		f[flen + 20] = 24;
		f[flen + 64] = 1; /* id 1 */
		f[flen + 68] = 3; /* thread */
		crc = crc32c(0, f + flen + 64, 24);
		memcpy(f + flen + 48, &crc, 4);
		fix_hdr_crc(f + flen);
		flen += 64 + 24;
		for (int variant = 0; variant < 3; variant++) {
			size_t at = flen, blen;

			memset(body, 0, sizeof(body));
			if (variant == 0) { /* len field beyond chunk */
				body[0] = 32, body[1] = 0, body[2] = 0x7f;
			} else if (variant == 1) { /* varint never ends */
				memset(body, 0xff, sizeof(body));
			} else { /* claims 2^31 events, has one */
				body[0] = 32, body[1] = 0, body[2] = 1;
			}
			blen = 8;
			memset(f + at, 0, 64);
			memcpy(f + at, "TTDC", 4);
			f[at + 4] = 1; /* EVENTS */
			f[at + 8] = 1; /* stream 1 */
			v32 = variant == 2 ? 0x80000000u : 1;
			memcpy(f + at + 12, &v32, 4);
			f[at + 16] = blen;
			f[at + 20] = blen;
			f[at + 40] = 1; /* seq */
			memcpy(f + at + 64, body, blen);
			crc = crc32c(0, f + at + 64, blen);
			memcpy(f + at + 48, &crc, 4);
			fix_hdr_crc(f + at);
			spit(bad, f, at + 64 + blen);
			ret = ttd_reader_open(&r, bad, msg, sizeof(msg));
			if (!ret) {
				struct ttd_iter *it;
				struct ttd_event ev;
				int k = 0;

				ttd_iter_open(r, TTD_ALL_STREAMS, 0, UINT64_MAX,
					      &it);
				while ((ret = ttd_iter_next(it, &ev)) > 0 &&
				       k < 10)
					k++;
				res[variant] = ret;
				ttd_iter_close(it);
				ttd_reader_close(r);
			}
		}
		ok(res[0] == -EBADMSG && res[1] == -EBADMSG &&
			   res[2] == -EBADMSG,
		   "crafted chunk bodies (bad length, endless varint, "
		   "false count): clean errors");
		free(f);
	}
	unlink(bad);
	free(p);
	free(q);
}

/* ---- compatibility -------------------------------------------------- */

static const struct gen_cfg v1cfg = { .seed = 42,
				      .nstreams = 3,
				      .events = 500,
				      .big_every = 0,
				      .workers = 1,
				      .chunk_size = 4096,
				      .level = 3 };

static int gen_v1(const char *path)
{
	return write_gen(path, &v1cfg);
}

static void test_v1(const char *dir)
{
	char path[512];
	struct ttd_reader *r;
	uint64_t got[3];
	char err[256];
	int ret;

	snprintf(path, sizeof(path), "%s/v1.ttd", dir);
	ret = ttd_reader_open(&r, path, err, sizeof(err));
	ok(ret == 0, "first-version recording opens (%s)", ret ? err : "ok");
	if (ret)
		return;
	ok(ttd_reader_info(r)->version == 1 &&
		   ttd_reader_recovery(r)->complete &&
		   ttd_reader_info(r)->argc == 3,
	   "first-version recording: header and index");
	ok(verify_gen(r, &v1cfg, got, 0) == 0 && got[0] == 500 &&
		   got[1] == 500 && got[2] == 500,
	   "first-version recording: all events identical");
	ttd_reader_close(r);
}

/* ---- killed writer -------------------------------------------------- */

struct progress {
	uint64_t committed; /* per stream, all in the file */
};

static void killed_child(const char *path, int fd)
{
	struct gen_cfg g = small;
	struct ttd_writer_opts o;
	struct ttd_stream *s[4];
	struct ttd_writer *w;
	uint8_t *buf = malloc(1 << 17);
	char err[256];

	opts_for(&o, &g);
	o.chunk_size = 16384;
	if (ttd_writer_open(&w, path, &o, err, sizeof(err)))
		_exit(2);
	for (int i = 0; i < 4; i++)
		if (ttd_stream_open(w,
				    i ? TTD_STREAM_THREAD : TTD_STREAM_PROCESS,
				    1000 + i, i ? 1 : 0, "gen", &s[i]))
			_exit(2);
	for (uint64_t k = 0;; k++) {
		for (int i = 0; i < 4; i++)
			if (append_gen(s[i], &g, i + 1, k, buf))
				_exit(3);
		if (k % 500 == 499) {
			struct progress pr = { k + 1 };

			for (int i = 0; i < 4; i++)
				ttd_stream_flush(s[i]);
			if (ttd_writer_flush(w))
				_exit(4);
			if (write(fd, &pr, sizeof(pr)) != sizeof(pr))
				_exit(5);
		}
	}
}

static void test_killed(void)
{
	const char *path = tpath("killed.ttd");
	struct gen_cfg g = small;
	int lost_any = 0, wrong = 0, short_read = 0, failed_open = 0;

	g.events = UINT32_MAX;
	for (int round = 0; round < 12; round++) {
		struct progress pr = { 0 }, tmp;
		int pfd[2], status;
		uint64_t got[4];
		struct ttd_reader *r;
		char err[256];
		pid_t pid;
		long bad;

		if (pipe(pfd) < 0)
			return;
		pid = fork();
		if (pid == 0) {
			close(pfd[0]);
			killed_child(path, pfd[1]);
		}
		close(pfd[1]);
		usleep(20000 + splitmix(round + 1000) % 250000);
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		while (read(pfd[0], &tmp, sizeof(tmp)) == sizeof(tmp))
			pr = tmp;
		close(pfd[0]);
		if (ttd_reader_open(&r, path, err, sizeof(err))) {
			diag("round %d: %s", round, err);
			/* Killed before its first flush (a loaded machine):
			 * nothing was promised. */
			if (pr.committed)
				failed_open++;
			continue;
		}
		bad = verify_gen(r, &g, got, 0);
		if (bad)
			wrong++;
		for (int i = 0; i < 4; i++)
			if (got[i] < pr.committed)
				short_read++;
		if (round < 3 || ttd_reader_recovery(r)->lost_bytes)
			lost_any++;
		if (round < 3)
			diag("killed after %llu committed events/stream: read "
			     "%llu; %s",
			     (unsigned long long)pr.committed,
			     (unsigned long long)got[0],
			     ttd_reader_recovery(r)->reason);
		ttd_reader_close(r);
	}
	ok(failed_open == 0 && wrong == 0,
	   "SIGKILLed writer (12 rounds): file opens once anything was "
	   "committed, every event read is right");
	ok(short_read == 0,
	   "SIGKILLed writer: nothing committed before the kill is lost");
	unlink(path);
}

/* ---- ENOSPC --------------------------------------------------------- */

static void test_enospc(void)
{
	const char *mnt = tpath("mnt");
	char path[600], err[256];
	struct ttd_writer_opts o;
	struct ttd_stream *s;
	struct ttd_writer *w;
	struct ttd_reader *r;
	uint8_t buf[4096];
	uint64_t k, ok_events = 0;
	int ret = 0, cret;

	mkdir(mnt, 0700);
	if (mount("ttdtest", mnt, "tmpfs", 0, "size=1m") < 0) {
		skip("ENOSPC: cannot mount a 1 MiB tmpfs (%s)",
		     strerror(errno));
		skip("ENOSPC: read back");
		rmdir(mnt);
		return;
	}
	snprintf(path, sizeof(path), "%s/full.ttd", mnt);
	ttd_writer_opts_init(&o);
	o.chunk_size = 16384;
	o.sync = TTD_SYNC_EVERY;
	o.sync_every_mb = 1;
	ret = ttd_writer_open(&w, path, &o, err, sizeof(err));
	ret = ret ?: ttd_stream_open(w, TTD_STREAM_THREAD, 1, 0, NULL, &s);
	for (k = 0; !ret && k < 100000; k++) {
		for (size_t i = 0; i < sizeof(buf); i += 8) {
			uint64_t x = splitmix(k * 4096 + i);

			memcpy(buf + i, &x, 8);
		}
		memcpy(buf, &k, 8);
		ret = ttd_stream_append(s, 32, k, buf, sizeof(buf));
		if (!ret && k % 16 == 15 && ttd_writer_flush(w) == 0)
			ok_events = k + 1;
	}
	cret = ttd_writer_close(w, err, sizeof(err));
	ok(ret == -ENOSPC && cret == -ENOSPC && strstr(err, "No space"),
	   "ENOSPC: append and close fail with a clear error (%s)", err);
	ret = ttd_reader_open(&r, path, err, sizeof(err));
	if (!ret) {
		struct ttd_iter *it;
		struct ttd_event ev;
		uint64_t n = 0;
		int good = 1;

		ttd_iter_open(r, 1, 0, UINT64_MAX, &it);
		while ((ret = ttd_iter_next(it, &ev)) > 0) {
			good &= ev.icount == n && ev.len == sizeof(buf) &&
				!memcmp(ev.payload, &n, 8);
			n++;
		}
		ttd_iter_close(it);
		ok(ret == 0 && good && n >= ok_events,
		   "ENOSPC: the %llu events flushed before are readable "
		   "(%llu read; %s)",
		   (unsigned long long)ok_events, (unsigned long long)n,
		   ttd_reader_recovery(r)->reason);
		ttd_reader_close(r);
	} else {
		ok(0, "ENOSPC: read back: %s", err);
	}
	umount(mnt);
	rmdir(mnt);
}

static void test_empty(void)
{
	const char *path = tpath("empty.ttd");
	struct ttd_writer *w;
	struct ttd_reader *r;
	char err[256];
	int ret;

	ret = ttd_writer_open(&w, path, NULL, err, sizeof(err));
	ret = ret ?: ttd_writer_close(w, err, sizeof(err));
	ret = ret ?: ttd_reader_open(&r, path, err, sizeof(err));
	ok(ret == 0 && ttd_reader_recovery(r)->complete &&
		   ttd_reader_nchunks(r) == 0,
	   "empty recording: valid, complete, no chunks");
	if (!ret)
		ttd_reader_close(r);
	unlink(path);
}

static void test_event_names(void)
{
	static const struct ttd_event_type_desc mine[] = {
		{ TTD_EV_USER + 1, "my_event", NULL },
	};

	ok(!strcmp(ttd_event_type_name(TTD_EV_SYSCALL), "syscall") &&
		   !strcmp(ttd_event_type_name(0x7777), "type-0x7777"),
	   "event names: generic and unknown");
	ttd_event_types_register(mine, 1);
	ok(!strcmp(ttd_event_type_name(TTD_EV_USER + 1), "my_event"),
	   "event names: registered by a component");
}

/* Small, varied recordings to seed the fuzzer with. */
static int gen_corpus(const char *dir)
{
	struct gen_cfg g = { .seed = 9,
			     .nstreams = 2,
			     .events = 60,
			     .big_every = 0,
			     .workers = 1,
			     .chunk_size = 4096,
			     .level = 1 };
	static uint8_t blob[3000];
	struct ttd_writer *w;
	struct ttd_stream *s, *f;
	struct ttd_hash h;
	char path[512], cut[512];
	uint8_t *p;
	size_t len;
	int ret;

	snprintf(path, sizeof(path), "%s/events.ttd", dir);
	ret = write_gen(path, &g);
	p = slurp(path, &len);
	if (ret || !p)
		return 1;
	snprintf(cut, sizeof(cut), "%s/torn.ttd", dir);
	spit(cut, p, len * 2 / 3);
	free(p);

	for (size_t i = 0; i < sizeof(blob); i++)
		blob[i] = i % 7 ? (uint8_t)i : (uint8_t)splitmix(i);
	snprintf(path, sizeof(path), "%s/blobs.ttd", dir);
	ret = ttd_writer_open(&w, path, NULL, NULL, 0);
	ret = ret ?: ttd_stream_open(w, TTD_STREAM_FILE, 0, 0, "files", &f);
	ret = ret ?: ttd_stream_open(w, TTD_STREAM_THREAD, 7, 0, "t", &s);
	ret = ret
		      ?: ttd_writer_put_blob(w, ttd_stream_id(f), blob,
					     sizeof(blob), &h);
	ret = ret ?: ttd_writer_put_blob(w, ttd_stream_id(f), blob, 0, &h);
	ret = ret ?: ttd_stream_append(s, TTD_EV_FILE, 10, &h, sizeof(h));
	for (int i = 0; !ret && i < 40; i++)
		ret = ttd_stream_append(s, 32 + i % 3, 100 + i * 7, blob + i,
					i);
	ret = ttd_writer_close(w, NULL, 0) ?: ret;

	snprintf(path, sizeof(path), "%s/empty.ttd", dir);
	ret = ret ?: ttd_writer_open(&w, path, NULL, NULL, 0);
	ret = ret ?: ttd_writer_close(w, NULL, 0);
	return ret ? 1 : 0;
}

int main(int argc, char **argv)
{
	const char *data = getenv("TTD_FORMAT_DATA");

	if (argc == 3 && !strcmp(argv[1], "gen-v1"))
		return gen_v1(argv[2]) ? 1 : 0;
	if (argc == 3 && !strcmp(argv[1], "gen-corpus"))
		return gen_corpus(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "gen-sample"))
		return write_gen(argv[2], &small) ? 1 : 0;
	if (argc != 1) {
		fprintf(stderr,
			"usage: format_test [gen-v1|gen-sample FILE]\n");
		return 2;
	}
	snprintf(tmpdir, sizeof(tmpdir), "%s/ttd-format-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	printf("1..59\n");
	test_crc();
	test_event_names();
	test_empty();
	test_api_errors();
	test_roundtrip();
	test_producers();
	test_blobs();
	test_truncation();
	test_bitflips();
	test_crafted();
	test_v1(data ? data : "selftests/format/data");
	test_killed();
	test_enospc();
	unlink(tpath("small.ttd"));
	rmdir(tmpdir);
	return failures ? 1 : 0;
}
