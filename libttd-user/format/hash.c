// SPDX-License-Identifier: GPL-2.0
/*
 * Content hashes naming blobs.  XXH3-128 is fast enough to hash every
 * snapshot page at memory speed; it is not cryptographic, which is fine
 * for deduplicating what one recorder itself stores.
 */
#include <string.h>
#include <xxhash.h>

#include "format/ttd_format.h"

void ttd_hash_compute(const void *data, size_t len, struct ttd_hash *h)
{
	XXH128_hash_t x = XXH3_128bits(data, len);
	XXH128_canonical_t c;

	XXH128_canonicalFromHash(&c, x);
	memcpy(h->b, c.digest, sizeof(h->b));
}

void ttd_hash_hex(const struct ttd_hash *h, char out[33])
{
	static const char hex[] = "0123456789abcdef";

	for (int i = 0; i < 16; i++) {
		out[2 * i] = hex[h->b[i] >> 4];
		out[2 * i + 1] = hex[h->b[i] & 15];
	}
	out[32] = '\0';
}

const char *ttd_stream_kind_name(unsigned int kind)
{
	static const char *const names[] = {
		[TTD_STREAM_META] = "meta",
		[TTD_STREAM_PROCESS] = "process",
		[TTD_STREAM_THREAD] = "thread",
		[TTD_STREAM_CPU] = "cpu",
		[TTD_STREAM_FILE] = "file",
		[TTD_STREAM_SNAPSHOT] = "snapshot",
	};

	if (kind < sizeof(names) / sizeof(names[0]) && names[kind])
		return names[kind];
	return "unknown";
}
