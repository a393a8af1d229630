// SPDX-License-Identifier: GPL-2.0
/* The file header and chunk headers: encoding and validation. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "cpu_x86.h"
#include "crc32c.h"
#include "format/ttd_format.h"
#include "layout.h"

#ifndef TTD_VERSION
#define TTD_VERSION "unknown"
#endif

void chunk_hdr_encode(uint8_t *p, const struct chunk_hdr *h)
{
	memset(p, 0, TTD_CHUNK_HDR);
	put32(p, TTD_CHUNK_MAGIC);
	put16(p + 4, h->type);
	put16(p + 6, h->flags);
	put32(p + 8, h->stream);
	put32(p + 12, h->events);
	put32(p + 16, h->csize);
	put32(p + 20, h->usize);
	put64(p + 24, h->first);
	put64(p + 32, h->last);
	put64(p + 40, h->seq);
	put32(p + 48, h->pcrc);
	put32(p + 60, crc32c(0, p, 60));
}

const char *chunk_hdr_decode(const uint8_t *p, struct chunk_hdr *h)
{
	if (get32(p) != TTD_CHUNK_MAGIC)
		return "no chunk magic";
	if (crc_bad(get32(p + 60), crc32c(0, p, 60)))
		return "chunk header checksum mismatch";
	h->type = get16(p + 4);
	h->flags = get16(p + 6);
	h->stream = get32(p + 8);
	h->events = get32(p + 12);
	h->csize = get32(p + 16);
	h->usize = get32(p + 20);
	h->first = get64(p + 24);
	h->last = get64(p + 32);
	h->seq = get64(p + 40);
	h->pcrc = get32(p + 48);
	if (h->type < TTD_CHUNK_EVENTS || h->type > TTD_CHUNK_INDEX)
		return "unknown chunk type";
	if (h->flags & ~TTD_CF_KNOWN)
		return "unknown chunk flags";
	if (h->usize > TTD_MAX_USIZE || h->csize > TTD_MAX_CSIZE)
		return "chunk size out of range";
	if (!(h->flags & TTD_CF_ZSTD) && h->csize != h->usize)
		return "stored chunk with different sizes";
	if (h->first > h->last)
		return "chunk range reversed";
	if (h->type == TTD_CHUNK_BLOB &&
	    (h->csize < TTD_BLOB_DESC || h->usize < TTD_BLOB_DESC))
		return "blob chunk too small";
	return NULL;
}

/* ---- building ---------------------------------------------------- */

struct hbuf {
	uint8_t *p;
	size_t len, cap;
	unsigned int nfields;
	int oom;
};

/* Append n zeroed bytes; NULL (and b->oom) when out of memory. */
static uint8_t *hb_reserve(struct hbuf *b, size_t n)
{
	uint8_t *r;

	if (b->oom || n > TTD_HDR_MAX || b->len + n > 2 * TTD_HDR_MAX)
		goto fail;
	if (b->len + n > b->cap) {
		size_t cap = (b->len + n) * 2;
		uint8_t *p = realloc(b->p, cap);

		if (!p)
			goto fail;
		b->p = p;
		b->cap = cap;
	}
	r = b->p + b->len;
	memset(r, 0, n);
	b->len += n;
	return r;
fail:
	b->oom = 1;
	return NULL;
}

static uint8_t *hb_field(struct hbuf *b, uint16_t tag, size_t len)
{
	uint8_t *f = hb_reserve(b, 8 + ttd_align8(len));

	if (!f)
		return NULL;
	put16(f, tag);
	put32(f + 4, len);
	b->nfields++;
	return f + 8;
}

static void hb_str(struct hbuf *b, uint16_t tag, const char *s)
{
	size_t n = strlen(s);
	uint8_t *v = hb_field(b, tag, n + 1);

	if (v)
		memcpy(v, s, n + 1);
}

static void hb_u32s(struct hbuf *b, uint16_t tag, const uint32_t *x, int n)
{
	uint8_t *v = hb_field(b, tag, 4 * n);

	for (int i = 0; v && i < n; i++)
		put32(v + 4 * i, x[i]);
}

static void hb_cmdline(struct hbuf *b, int argc, char *const *argv)
{
	size_t len = 0;
	uint8_t *v;

	for (int i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	v = hb_field(b, TTD_HF_CMDLINE, len);
	for (int i = 0; v && i < argc; i++) {
		size_t n = strlen(argv[i]) + 1;

		memcpy(v, argv[i], n);
		v += n;
	}
}

int header_build(const struct ttd_writer_opts *o, uint8_t **out, size_t *len)
{
	struct hbuf b = { 0 };
	struct ttd_cpuid_leaf def[16];
	const struct ttd_cpuid_leaf *leaves = o->cpuid;
	unsigned int nleaves = o->ncpuid;
	struct timespec ts;
	struct utsname u;
	uint32_t sig[3], ps;
	char vendor[16];
	uint8_t *v;

	hb_reserve(&b, TTD_HDR_PREFIX); /* filled in last */
	clock_gettime(CLOCK_REALTIME, &ts);
	v = hb_field(&b, TTD_HF_CTIME, 8);
	if (v)
		put64(v, (uint64_t)ts.tv_sec * 1000000000u + ts.tv_nsec);
	ps = sysconf(_SC_PAGESIZE);
	hb_u32s(&b, TTD_HF_PAGE_SIZE, &ps, 1);
	if (uname(&u) == 0) {
		hb_str(&b, TTD_HF_KERNEL, u.release);
		hb_str(&b, TTD_HF_HOSTNAME, u.nodename);
	}
	cpu_identify(vendor, &sig[0], &sig[1], &sig[2]);
	hb_str(&b, TTD_HF_CPU_VENDOR, vendor);
	hb_u32s(&b, TTD_HF_CPU_SIG, sig, 3);
	if (!leaves) {
		nleaves = cpu_default_leaves(def, 16);
		leaves = def;
	}
	v = hb_field(&b, TTD_HF_CPUID, 24 * (size_t)nleaves);
	for (unsigned int i = 0; v && i < nleaves; i++, v += 24) {
		put32(v, leaves[i].leaf);
		put32(v + 4, leaves[i].subleaf);
		put32(v + 8, leaves[i].eax);
		put32(v + 12, leaves[i].ebx);
		put32(v + 16, leaves[i].ecx);
		put32(v + 20, leaves[i].edx);
	}
	hb_str(&b, TTD_HF_TTD_VERSION,
	       o->ttd_version ? o->ttd_version : TTD_VERSION);
	if (o->argv)
		hb_cmdline(&b, o->argc, o->argv);
	hb_reserve(&b, TTD_HDR_SUFFIX);
	if (b.oom || b.len > TTD_HDR_MAX) {
		free(b.p);
		return b.oom ? -ENOMEM : -E2BIG;
	}
	memcpy(b.p, TTD_MAGIC, TTD_MAGIC_LEN);
	put16(b.p + 8, TTD_FORMAT_VERSION);
	put16(b.p + 10, 0);
	put32(b.p + 12, b.len);
	put32(b.p + 16, b.nfields);
	put32(b.p + 20, 0);
	put32(b.p + b.len - 8, crc32c(0, b.p, b.len - 8));
	put32(b.p + b.len - 4, 0);
	*out = b.p;
	*len = b.len;
	return 0;
}

/* ---- parsing ----------------------------------------------------- */

static void copy_str(char *dst, size_t cap, const uint8_t *v, uint32_t len)
{
	size_t n = strnlen((const char *)v, len);

	if (n >= cap)
		n = cap - 1;
	memcpy(dst, v, n);
	dst[n] = '\0';
}

static int parse_cmdline(struct ttd_file_info *info, const uint8_t *v,
			 uint32_t len)
{
	int argc = 0;
	char *copy;

	if (len == 0)
		return 0;
	if (v[len - 1] != '\0')
		return -EBADMSG;
	for (uint32_t i = 0; i < len; i++)
		argc += v[i] == '\0';
	/* One block: the pointers, then the strings. */
	info->argv = malloc((argc + 1) * sizeof(char *) + len);
	if (!info->argv)
		return -ENOMEM;
	copy = (char *)(info->argv + argc + 1);
	memcpy(copy, v, len);
	for (int i = 0; i < argc; i++) {
		info->argv[i] = copy;
		copy += strlen(copy) + 1;
	}
	info->argv[argc] = NULL;
	info->argc = argc;
	return 0;
}

static int parse_cpuid(struct ttd_file_info *info, const uint8_t *v,
		       uint32_t len)
{
	struct ttd_cpuid_leaf *l;
	unsigned int n = len / 24;

	if (len % 24)
		return -EBADMSG;
	l = calloc(n ? n : 1, sizeof(*l));
	if (!l)
		return -ENOMEM;
	for (unsigned int i = 0; i < n; i++, v += 24) {
		l[i].leaf = get32(v);
		l[i].subleaf = get32(v + 4);
		l[i].eax = get32(v + 8);
		l[i].ebx = get32(v + 12);
		l[i].ecx = get32(v + 16);
		l[i].edx = get32(v + 20);
	}
	info->cpuid = l;
	info->ncpuid = n;
	return 0;
}

static int parse_field(struct ttd_file_info *info, uint16_t tag,
		       const uint8_t *v, uint32_t len)
{
	switch (tag) {
	case TTD_HF_CTIME:
		if (len != 8)
			return -EBADMSG;
		info->ctime_ns = get64(v);
		return 0;
	case TTD_HF_PAGE_SIZE:
		if (len != 4)
			return -EBADMSG;
		info->page_size = get32(v);
		return 0;
	case TTD_HF_KERNEL:
		copy_str(info->kernel, sizeof(info->kernel), v, len);
		return 0;
	case TTD_HF_HOSTNAME:
		copy_str(info->hostname, sizeof(info->hostname), v, len);
		return 0;
	case TTD_HF_CPU_VENDOR:
		copy_str(info->cpu_vendor, sizeof(info->cpu_vendor), v, len);
		return 0;
	case TTD_HF_CPU_SIG:
		if (len != 12)
			return -EBADMSG;
		info->cpu_family = get32(v);
		info->cpu_model = get32(v + 4);
		info->cpu_stepping = get32(v + 8);
		return 0;
	case TTD_HF_CPUID:
		if (info->cpuid)
			return -EBADMSG;
		return parse_cpuid(info, v, len);
	case TTD_HF_TTD_VERSION:
		copy_str(info->ttd_version, sizeof(info->ttd_version), v, len);
		return 0;
	case TTD_HF_CMDLINE:
		if (info->argv)
			return -EBADMSG;
		return parse_cmdline(info, v, len);
	default:
		/* Fields added later: an older reader skips them. */
		return 0;
	}
}

int header_parse(const uint8_t *p, size_t len, struct ttd_file_info *info,
		 char *err, size_t errlen)
{
	uint32_t nfields = get32(p + 16);
	size_t off = TTD_HDR_PREFIX, end = len - TTD_HDR_SUFFIX;
	int ret;

	if (crc_bad(get32(p + len - 8), crc32c(0, p, len - 8))) {
		snprintf(err, errlen, "file header checksum mismatch");
		return -EBADMSG;
	}
	info->version = get16(p + 8);
	for (uint32_t i = 0; i < nfields; i++) {
		uint16_t tag;
		uint32_t flen;

		if (end - off < 8) {
			snprintf(err, errlen, "header field %u out of bounds",
				 i);
			return -EBADMSG;
		}
		tag = get16(p + off);
		flen = get32(p + off + 4);
		if (flen > end - off - 8) {
			snprintf(err, errlen,
				 "header field %u (tag %u) longer than header",
				 i, tag);
			return -EBADMSG;
		}
		ret = parse_field(info, tag, p + off + 8, flen);
		if (ret) {
			snprintf(err, errlen, "header field tag %u: %s", tag,
				 ret == -ENOMEM ? "out of memory"
						: "malformed");
			return ret;
		}
		off += 8 + ttd_align8(flen);
		if (off > end) {
			snprintf(err, errlen, "header field %u overruns", i);
			return -EBADMSG;
		}
	}
	return 0;
}

void header_info_free(struct ttd_file_info *info)
{
	free(info->argv);
	free((void *)info->cpuid);
	info->argv = NULL;
	info->cpuid = NULL;
}
