// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the .ttd reader: open the input as a recording and
 * use every reading path on it (events of all streams, per-stream seeks,
 * blob reads), as ttdctl info/dump and the replayer would.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "format/ttd_format.h"

static void read_events(struct ttd_reader *r, uint32_t stream, uint64_t seek)
{
	struct ttd_iter *it;
	struct ttd_event ev;
	volatile uint8_t sink = 0;
	int n = 0;

	if (ttd_iter_open(r, stream, 0, UINT64_MAX, &it))
		return;
	if (stream != TTD_ALL_STREAMS)
		ttd_iter_seek(it, seek);
	while (ttd_iter_next(it, &ev) > 0 && n++ < 100000)
		if (ev.len)
			sink ^= ((const uint8_t *)ev.payload)[ev.len - 1];
	ttd_iter_close(it);
	(void)sink;
}

static void read_blobs(struct ttd_reader *r, const uint8_t *data, size_t size)
{
	static uint8_t buf[1 << 16];

	for (size_t i = 0; i < ttd_reader_nchunks(r) && i < 64; i++) {
		struct ttd_chunk_info c;
		struct ttd_hash h;
		uint64_t len;

		if (ttd_reader_chunk(r, i, &c) || c.type != TTD_CHUNK_BLOB ||
		    c.offset + 64 + 16 > size)
			continue;
		memcpy(h.b, data + c.offset + 64, 16);
		if (ttd_reader_blob_size(r, &h, &len))
			continue;
		ttd_reader_blob_read(r, &h, 0, buf,
				     len < sizeof(buf) ? len : sizeof(buf));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int fd = memfd_create("ttd-fuzz", MFD_CLOEXEC);
	struct ttd_reader *r;
	char err[256];

	if (fd < 0)
		abort();
	if (size && write(fd, data, size) != (ssize_t)size)
		abort();
	if (ttd_reader_open_fd(&r, fd, err, sizeof(err)))
		return 0;
	read_events(r, TTD_ALL_STREAMS, 0);
	for (unsigned int i = 0; i < ttd_reader_nstreams(r) && i < 16; i++) {
		const struct ttd_stream_info *s = ttd_reader_stream(r, i);

		read_events(r, s->id, s->first + (s->last - s->first) / 2);
	}
	read_blobs(r, data, size);
	ttd_reader_close(r);
	return 0;
}
