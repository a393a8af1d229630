/* SPDX-License-Identifier: GPL-2.0 */
/*
 * On-disk layout of .ttd files, shared by the writer and the reader.
 * Documentation/recording-format.md is the normative description; every
 * integer is little-endian.
 */
#ifndef TTD_FORMAT_LAYOUT_H
#define TTD_FORMAT_LAYOUT_H

#include <stdint.h>
#include <string.h>

#define TTD_MAGIC "\x89TTD\r\n\x1a\n"
#define TTD_MAGIC_LEN 8
#define TTD_HDR_PREFIX 24 /* magic, version, flags, size, nfields */
#define TTD_HDR_SUFFIX 8 /* crc32c, zero */
#define TTD_HDR_MAX (1u << 20)

/* Header fields (tag, length, value, padded to 8). */
enum {
	TTD_HF_CTIME = 1, /* u64 ns since the epoch */
	TTD_HF_PAGE_SIZE = 2, /* u32 */
	TTD_HF_KERNEL = 3, /* string */
	TTD_HF_HOSTNAME = 4, /* string */
	TTD_HF_CPU_VENDOR = 5, /* string */
	TTD_HF_CPU_SIG = 6, /* u32 family, model, stepping */
	TTD_HF_CPUID = 7, /* array of 6 x u32 */
	TTD_HF_TTD_VERSION = 8, /* string */
	TTD_HF_CMDLINE = 9, /* NUL-terminated strings */
};

#define TTD_CHUNK_MAGIC 0x43445454u /* "TTDC" */
#define TTD_CHUNK_HDR 64
#define TTD_CF_ZSTD 0x0001 /* payload (after any raw prefix) is zstd */
#define TTD_CF_KNOWN TTD_CF_ZSTD

/* Limits that keep a crafted file from asking for huge allocations. */
#define TTD_MAX_USIZE (32u << 20)
#define TTD_MAX_CSIZE (TTD_MAX_USIZE + (TTD_MAX_USIZE >> 7) + 4096)

#define TTD_STREAM_REC 24 /* fixed part of a registry record */
#define TTD_STREAM_NAME_MAX 63
#define TTD_BLOB_DESC 32 /* hash[16], total u64, offset u64 */
#define TTD_BLOB_PIECE (1u << 20)
#define TTD_INDEX_ENT 48

#define TTD_TRAILER_MAGIC "TTDTRAIL"
#define TTD_TRAILER 32

/*
 * Checksum comparison.  Fuzzing builds accept any checksum so that the
 * fuzzer reaches the parsers behind them instead of stopping at the CRC.
 */
static inline int crc_bad(uint32_t stored, uint32_t computed)
{
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
	(void)stored;
	(void)computed;
	return 0;
#else
	return stored != computed;
#endif
}

static inline uint64_t ttd_align8(uint64_t v)
{
	return (v + 7) & ~(uint64_t)7;
}

static inline void put16(uint8_t *p, uint16_t v)
{
	p[0] = v;
	p[1] = v >> 8;
}

static inline void put32(uint8_t *p, uint32_t v)
{
	put16(p, v);
	put16(p + 2, v >> 16);
}

static inline void put64(uint8_t *p, uint64_t v)
{
	put32(p, v);
	put32(p + 4, v >> 32);
}

static inline uint16_t get16(const uint8_t *p)
{
	return p[0] | (uint16_t)p[1] << 8;
}

static inline uint32_t get32(const uint8_t *p)
{
	return get16(p) | (uint32_t)get16(p + 2) << 16;
}

static inline uint64_t get64(const uint8_t *p)
{
	return get32(p) | (uint64_t)get32(p + 4) << 32;
}

/* LEB128 unsigned; at most 10 bytes for a u64. */
static inline uint8_t *put_varint(uint8_t *p, uint64_t v)
{
	while (v >= 0x80) {
		*p++ = (uint8_t)v | 0x80;
		v >>= 7;
	}
	*p++ = (uint8_t)v;
	return p;
}

/* Returns the byte after the number, or NULL if malformed or truncated. */
static inline const uint8_t *get_varint(const uint8_t *p, const uint8_t *end,
					uint64_t *v)
{
	uint64_t r = 0;

	for (int shift = 0; shift < 64 && p < end; shift += 7) {
		uint8_t b = *p++;

		if (shift == 63 && b > 1)
			return NULL;
		r |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			*v = r;
			return p;
		}
	}
	return NULL;
}

/* Decoded chunk header. */
struct chunk_hdr {
	uint16_t type, flags;
	uint32_t stream, events, csize, usize;
	uint64_t first, last, seq;
	uint32_t pcrc;
};

void chunk_hdr_encode(uint8_t *p, const struct chunk_hdr *h);
/* 0, or a static message saying what is wrong with the bytes. */
const char *chunk_hdr_decode(const uint8_t *p, struct chunk_hdr *h);

/* File header; host.c fills in what the caller left NULL. */
struct ttd_writer_opts;
int header_build(const struct ttd_writer_opts *o, uint8_t **out, size_t *len);
struct ttd_file_info;
/*
 * Parse and validate a complete header of len bytes (already checked for
 * magic and size).  Fills info; allocations hang off it.  Returns 0 or
 * -EBADMSG with a message in err.
 */
int header_parse(const uint8_t *p, size_t len, struct ttd_file_info *info,
		 char *err, size_t errlen);
void header_info_free(struct ttd_file_info *info);

#endif
