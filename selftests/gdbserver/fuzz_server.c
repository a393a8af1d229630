// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the packet parser and the dispatcher over the fake
 * backend.  The first byte picks how the rest reaches the server:
 *
 *   0  raw bytes on the connection (framing, acks, interrupts)
 *   1  lines, each framed with a correct checksum (dispatch via framing)
 *   2  lines handed to gdbs_handle() directly
 *
 * and bit 2 of it turns on AVX-512.  Replies go to /dev/null.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fake.h"
#include "gdbserver/rsp.h"

static int in_fd = -1, out_fd = -1;

static void put(const void *p, size_t n)
{
	if (n && write(in_fd, p, n) != (ssize_t)n)
		abort();
}

static void put_framed(const uint8_t *p, size_t n)
{
	char cs[4];

	snprintf(cs, sizeof(cs), "#%02x", rsp_checksum(p, n));
	put("$", 1);
	put(p, n);
	put(cs, 3);
}

static void feed_lines(const uint8_t *p, size_t n)
{
	while (n) {
		const uint8_t *nl = memchr(p, '\n', n);
		size_t len = nl ? (size_t)(nl - p) : n;

		put_framed(p, len);
		p += len + (nl != NULL);
		n -= len + (nl != NULL);
	}
}

static void handle_lines(struct gdbs_server *s, const uint8_t *p, size_t n)
{
	while (n) {
		const uint8_t *nl = memchr(p, '\n', n);
		size_t len = nl ? (size_t)(nl - p) : n;

		if (gdbs_handle(s, (const char *)p, len) > 0)
			return;
		p += len + (nl != NULL);
		n -= len + (nl != NULL);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gdbs_server *s;
	struct fake f;
	int mode;

	if (!size)
		return 0;
	if (in_fd < 0) {
		in_fd = memfd_create("fuzz-gdb", 0);
		out_fd = open("/dev/null", O_WRONLY);
		if (in_fd < 0 || out_fd < 0)
			abort();
	}
	mode = data[0] % 3;
	fake_init(&f, data[0] & 4, true);
	if (ftruncate(in_fd, 0) || lseek(in_fd, 0, SEEK_SET))
		abort();
	if (mode == 0)
		put(data + 1, size - 1);
	else if (mode == 1)
		feed_lines(data + 1, size - 1);
	lseek(in_fd, 0, SEEK_SET);
	s = gdbs_new(&f.be, &f, in_fd, out_fd, RSP_MIN_PACKET * 4);
	if (!s)
		abort();
	if (mode == 2)
		handle_lines(s, data + 1, size - 1);
	else
		gdbs_run(s);
	gdbs_free(s);
	return 0;
}
