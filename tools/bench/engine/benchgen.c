// SPDX-License-Identifier: GPL-2.0
/*
 * benchgen: deterministic inputs for the engine benchmark.
 *
 *   benchgen text SIZE       semi-compressible data on stdout: synthetic
 *                            prose mixed with stretches of random bytes
 *   benchgen random SIZE     incompressible bytes on stdout
 *   benchgen csrc NFUNCS     a large C translation unit on stdout
 *   benchgen tree DIR NFILES a directory tree of NFILES small files
 *
 * Everything comes from a fixed-seed generator, so the same arguments give
 * the same bytes on every machine: figures measured on different hosts are
 * measured on the same input, unlike text borrowed from /usr/share.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

/* splitmix64: tiny, fast, and good enough to defeat any compressor. */
static uint64_t rng(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static unsigned int rng_below(unsigned int n)
{
	return (unsigned int)((rng() >> 32) * n >> 32);
}

static void die(const char *what)
{
	fprintf(stderr, "benchgen: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* Output past this many bytes is dropped, so sizes come out exact. */
static size_t put_room = SIZE_MAX;

static void put(const void *p, size_t n)
{
	if (n > put_room)
		n = put_room;
	put_room -= n;
	if (n && fwrite(p, 1, n, stdout) != n)
		die("write");
}

#define NWORDS 8192
#define MAXWORD 16
static char words[NWORDS][MAXWORD];
static unsigned int zipf_cdf[NWORDS];

static const char *const syll[] = {
	"ka",  "to",  "re", "mi", "san", "lo",	"ver", "tion", "ing", "pre",
	"dis", "con", "al", "er", "ou",	 "the", "an",  "is",   "ble", "ment",
	"st",  "ch",  "qu", "ex", "ly",	 "ra",	"ne",  "si",   "op",  "ut",
};

/*
 * A vocabulary of made-up words and a Zipf-like frequency table: real text
 * has a few very common words and a long tail, which is what gives
 * dictionary compressors their usual ratio and speed.
 */
static void make_vocabulary(void)
{
	const unsigned int nsyll = sizeof(syll) / sizeof(syll[0]);
	double total = 0, acc = 0;
	int i;

	for (i = 0; i < NWORDS; i++) {
		unsigned int n = 1 + rng_below(3) + (i > 256) + (i > 2048);
		char *w = words[i];

		w[0] = 0;
		while (n--) {
			const char *s = syll[rng_below(nsyll)];
			if (strlen(w) + strlen(s) >= MAXWORD)
				break;
			strcat(w, s);
		}
	}
	for (i = 0; i < NWORDS; i++)
		total += 1.0 / (i + 1);
	for (i = 0; i < NWORDS; i++) {
		acc += 1.0 / (i + 1);
		zipf_cdf[i] = (unsigned int)(acc / total * 4294967295.0);
	}
}

static const char *pick_word(void)
{
	unsigned int r = (unsigned int)(rng() >> 32);
	int lo = 0, hi = NWORDS - 1;

	while (lo < hi) {
		int mid = (lo + hi) / 2;
		if (zipf_cdf[mid] < r)
			lo = mid + 1;
		else
			hi = mid;
	}
	return words[lo];
}

/* One paragraph of prose, wrapped at 72 columns. */
static size_t put_paragraph(void)
{
	char line[128];
	size_t len = 0, out = 0;
	unsigned int nwords = 20 + rng_below(120), i;
	int cap = 1;

	for (i = 0; i < nwords; i++) {
		char w[32];
		size_t n;

		if (rng_below(40) == 0)
			n = (size_t)snprintf(w, sizeof(w), "%u",
					     rng_below(100000));
		else
			n = (size_t)snprintf(w, sizeof(w), "%s", pick_word());
		if (cap)
			w[0] = (char)(w[0] - 'a' + 'A');
		cap = 0;
		if (rng_below(12) == 0 || i + 1 == nwords) {
			w[n++] = '.';
			cap = 1;
		} else if (rng_below(10) == 0) {
			w[n++] = ',';
		}
		if (len + n + 1 > 72) {
			line[len++] = '\n';
			put(line, len);
			out += len;
			len = 0;
		}
		if (len)
			line[len++] = ' ';
		memcpy(line + len, w, n);
		len += n;
	}
	line[len++] = '\n';
	line[len++] = '\n';
	put(line, len);
	return out + len;
}

static void put_random(size_t n)
{
	uint64_t buf[512];

	while (n) {
		size_t chunk = n < sizeof(buf) ? n : sizeof(buf);
		size_t i;

		for (i = 0; i < (chunk + 7) / 8; i++)
			buf[i] = rng();
		put(buf, chunk);
		n -= chunk;
	}
}

/* About one part in ten random: compresses roughly 3:1 overall. */
static void gen_text(size_t size)
{
	size_t done = 0;

	make_vocabulary();
	put_room = size;
	while (done < size) {
		if (rng_below(10) == 0) {
			size_t n = 4096 + rng_below(28672);
			if (n > size - done)
				n = size - done;
			put_random(n);
			done += n;
			continue;
		}
		while (done < size && rng_below(16))
			done += put_paragraph();
	}
}

static const char *const ctypes[] = { "int", "long", "unsigned", "double" };

/*
 * One function with loops, branches, a switch and calls to earlier
 * functions: the mix gives -O2 real work (inlining, unrolling, vectorising,
 * jump tables) rather than a file of trivial returns.
 */
static void gen_function(unsigned int i)
{
	const char *t = ctypes[rng_below(4)];
	unsigned int ncase = 4 + rng_below(12), k;

	printf("static %s f%u(struct st *s, long n)\n{\n", t, i);
	printf("\t%s acc = (%s)%u;\n\tlong i;\n\n", t, t, rng_below(1000));
	printf("\tfor (i = 0; i < n; i++) {\n");
	printf("\t\tswitch ((i ^ s->k) %% %u) {\n", ncase);
	for (k = 0; k < ncase; k++) {
		unsigned int f = rng_below(6);
		printf("\t\tcase %u:\n", k);
		if (f == 0)
			printf("\t\t\tacc += s->a[(i + %u) & 63] * %u;\n",
			       rng_below(64), 1 + rng_below(97));
		else if (f == 1)
			printf("\t\t\tacc -= (%s)(s->b[i & 31] >> %u);\n", t,
			       rng_below(7));
		else if (f == 2 && i > 0)
			printf("\t\t\tacc += (%s)f%u(s, n >> 3);\n", t,
			       rng_below(i));
		else if (f == 3)
			printf("\t\t\ts->a[i & 63] = (long)acc + %u;\n",
			       rng_below(5000));
		else if (f == 4)
			printf("\t\t\tif (acc > %u)\n\t\t\t\tacc /= %u;\n",
			       rng_below(100000), 2 + rng_below(9));
		else
			printf("\t\t\tacc = acc * %u + (%s)s->k;\n",
			       1 + rng_below(13), t);
		printf("\t\t\tbreak;\n");
	}
	printf("\t\tdefault:\n\t\t\tacc += (%s)i;\n\t\t}\n\t}\n", t);
	printf("\tfor (i = 0; i < 64; i++)\n");
	printf("\t\ts->a[i] += s->a[(i + %u) & 63] ^ (long)acc;\n",
	       1 + rng_below(63));
	printf("\treturn acc;\n}\n\n");
}

static void gen_csrc(unsigned int nfuncs)
{
	unsigned int i;

	printf("/* Generated by benchgen: a large translation unit. */\n");
	printf("struct st {\n\tlong a[64];\n\tint b[32];\n\tlong k;\n};\n\n");
	for (i = 0; i < nfuncs; i++)
		gen_function(i);
	printf("long run_all(struct st *s, long n);\n");
	printf("long run_all(struct st *s, long n)\n{\n\tlong r = 0;\n\n");
	for (i = 0; i < nfuncs; i++)
		printf("\tr += (long)f%u(s, n);\n", i);
	printf("\treturn r;\n}\n");
	if (fflush(stdout))
		die("write");
}

static void write_file(const char *path, size_t size)
{
	char buf[8192];
	size_t i;
	int fd;

	for (i = 0; i < size; i++)
		buf[i] = (char)(' ' + rng_below(95));
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		die(path);
	if (write(fd, buf, size) != (ssize_t)size || close(fd))
		die(path);
}

/* 100 files per directory, 100 directories per parent, like a source tree. */
static void gen_tree(const char *root, unsigned long nfiles)
{
	char path[4096];
	unsigned long i;

	if (mkdir(root, 0755) && errno != EEXIST)
		die(root);
	for (i = 0; i < nfiles; i++) {
		unsigned long d = i / 100;

		if (i % 10000 == 0) {
			snprintf(path, sizeof(path), "%s/d%lu", root,
				 i / 10000);
			if (mkdir(path, 0755))
				die(path);
		}
		if (i % 100 == 0) {
			snprintf(path, sizeof(path), "%s/d%lu/s%lu", root,
				 i / 10000, d % 100);
			if (mkdir(path, 0755))
				die(path);
		}
		snprintf(path, sizeof(path), "%s/d%lu/s%lu/file%lu.txt", root,
			 i / 10000, d % 100, i);
		write_file(path,
			   rng_below(4) ? rng_below(2048) : rng_below(8192));
	}
}

static unsigned long parse_num(const char *s)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || end == s || *end || !v) {
		fprintf(stderr, "benchgen: bad number '%s'\n", s);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "text"))
		gen_text(parse_num(argv[2]));
	else if (argc == 3 && !strcmp(argv[1], "random"))
		put_random(parse_num(argv[2]));
	else if (argc == 3 && !strcmp(argv[1], "csrc"))
		gen_csrc((unsigned int)parse_num(argv[2]));
	else if (argc == 4 && !strcmp(argv[1], "tree"))
		gen_tree(argv[2], parse_num(argv[3]));
	else {
		fprintf(stderr, "usage: benchgen text|random SIZE | "
				"csrc NFUNCS | tree DIR NFILES\n");
		return 2;
	}
	if (fflush(stdout))
		die("write");
	return 0;
}
