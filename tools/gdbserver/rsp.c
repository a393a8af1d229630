// SPDX-License-Identifier: GPL-2.0
/*
 * gdb remote serial protocol: packet framing (see rsp.h).
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "rsp.h"

#define RSP_IN_CAP 4096
#define RSP_INTR 0x03

/* Returned by next_byte() besides 0..255. */
#define BYTE_EOF (-1)
#define BYTE_ERR (-2)

static const char hex_digits[] = "0123456789abcdef";

int rsp_hex_val(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

void rsp_hex_encode(char *dst, const void *src, size_t len)
{
	const unsigned char *s = src;

	for (size_t i = 0; i < len; i++) {
		dst[2 * i] = hex_digits[s[i] >> 4];
		dst[2 * i + 1] = hex_digits[s[i] & 15];
	}
}

long rsp_hex_decode(void *dst, const char *src, size_t hex_len)
{
	unsigned char *d = dst;

	if (hex_len & 1)
		return -1;
	for (size_t i = 0; i < hex_len; i += 2) {
		int hi = rsp_hex_val(src[i]), lo = rsp_hex_val(src[i + 1]);

		if (hi < 0 || lo < 0)
			return -1;
		d[i / 2] = hi << 4 | lo;
	}
	return hex_len / 2;
}

uint8_t rsp_checksum(const void *data, size_t len)
{
	const unsigned char *p = data;
	uint8_t sum = 0;

	while (len--)
		sum += *p++;
	return sum;
}

int rsp_init(struct rsp_conn *c, int in_fd, int out_fd, size_t max_packet)
{
	memset(c, 0, sizeof(*c));
	c->in_fd = in_fd;
	c->out_fd = out_fd;
	c->max_packet =
		max_packet < RSP_MIN_PACKET ? RSP_MIN_PACKET : max_packet;
	c->in_cap = RSP_IN_CAP;
	c->in = malloc(c->in_cap);
	/* Escaping at most doubles a payload; replies may exceed the limit
	 * gdb sends with, so the output buffer also grows on demand. */
	c->out_cap = 2 * c->max_packet + 4;
	c->out = malloc(c->out_cap);
	if (!c->in || !c->out) {
		rsp_free(c);
		return RSP_ERR_NOMEM;
	}
	return 0;
}

void rsp_free(struct rsp_conn *c)
{
	free(c->in);
	free(c->out);
	c->in = c->out = NULL;
}

/* Read more input; returns bytes read, 0 at EOF, -1 on error. */
static ssize_t fill(struct rsp_conn *c)
{
	ssize_t n;

	if (c->in_pos == c->in_len)
		c->in_pos = c->in_len = 0;
	if (c->in_len == c->in_cap) {
		memmove(c->in, c->in + c->in_pos, c->in_len - c->in_pos);
		c->in_len -= c->in_pos;
		c->in_pos = 0;
	}
	do
		n = read(c->in_fd, c->in + c->in_len, c->in_cap - c->in_len);
	while (n < 0 && errno == EINTR);
	if (n > 0)
		c->in_len += n;
	return n;
}

static int next_byte(struct rsp_conn *c)
{
	if (c->in_pos == c->in_len) {
		ssize_t n = fill(c);

		if (n == 0)
			return BYTE_EOF;
		if (n < 0)
			return BYTE_ERR;
	}
	return c->in[c->in_pos++];
}

static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		/* A socket must not raise SIGPIPE in a library. */
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL);

		if (n < 0 && errno == ENOTSOCK)
			n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return RSP_ERR_IO;
		p += n;
		len -= n;
	}
	return 0;
}

/* Decoder state for one packet body. */
struct body {
	char *buf;
	size_t len, max;
	int last; /* previous decoded byte, for run-length, or -1 */
	bool escape, repeat, too_long, malformed;
	uint8_t sum;
};

static void body_put(struct body *b, int ch)
{
	if (b->len >= b->max) {
		b->too_long = true;
		return;
	}
	b->buf[b->len++] = ch;
	b->last = ch;
}

static void body_byte(struct body *b, int ch)
{
	if (b->repeat) {
		int n = ch - 29;

		b->repeat = false;
		if (b->last < 0 || n < 0) {
			b->malformed = true;
			return;
		}
		while (n-- && !b->too_long)
			body_put(b, b->last);
	} else if (b->escape) {
		b->escape = false;
		body_put(b, ch ^ 0x20);
	} else if (ch == '}') {
		b->escape = true;
	} else if (ch == '*') {
		b->repeat = true;
	} else {
		body_put(b, ch);
	}
}

/*
 * Read from after '$' to the end of the checksum.  Returns 1 for a whole
 * packet (b says whether it is usable), 0 when another '$' restarted it,
 * or a BYTE_* code.
 */
static int read_body(struct rsp_conn *c, struct body *b)
{
	int ch, hi, lo;

	for (;;) {
		ch = next_byte(c);
		if (ch < 0)
			return ch;
		if (ch == '$')
			return 0;
		if (ch == '#')
			break;
		b->sum += ch;
		body_byte(b, ch);
	}
	if (b->escape || b->repeat)
		b->malformed = true;
	hi = next_byte(c);
	if (hi < 0)
		return hi;
	lo = next_byte(c);
	if (lo < 0)
		return lo;
	hi = rsp_hex_val(hi);
	lo = rsp_hex_val(lo);
	if (hi < 0 || lo < 0 || (hi << 4 | lo) != b->sum)
		return 2;
	return 1;
}

static int byte_status(int r)
{
	return r == BYTE_EOF ? RSP_EOF : RSP_ERR_IO;
}

/* One framed packet after its '$'; 0 means "skip it, keep reading". */
static int recv_one(struct rsp_conn *c, char *buf, size_t *len)
{
	struct body b;
	int r;

	do {
		memset(&b, 0, sizeof(b));
		b.buf = buf;
		b.max = c->max_packet;
		b.last = -1;
		r = read_body(c, &b);
	} while (r == 0);
	if (r < 0)
		return byte_status(r);
	if (r == 2) {
		/* In no-ack mode there is nobody to ask for a resend, and a
		 * corrupted command must not run: drop it. */
		c->bad_checksums++;
		if (!c->no_ack && write_all(c->out_fd, "-", 1))
			return RSP_ERR_IO;
		return 0;
	}
	if (!c->no_ack && write_all(c->out_fd, "+", 1))
		return RSP_ERR_IO;
	buf[b.len] = 0;
	*len = b.len;
	if (b.too_long || b.malformed) {
		c->dropped++;
		*len = 0;
		buf[0] = 0;
		return b.too_long ? RSP_ERR_TOO_LONG : RSP_ERR_MALFORMED;
	}
	return RSP_PACKET;
}

int rsp_recv(struct rsp_conn *c, char *buf, size_t *len)
{
	int ch, r;

	for (;;) {
		if (c->interrupt_pending) {
			c->interrupt_pending = false;
			return RSP_INTERRUPT;
		}
		ch = next_byte(c);
		if (ch < 0)
			return byte_status(ch);
		if (ch == RSP_INTR)
			return RSP_INTERRUPT;
		if (ch != '$')
			continue; /* acks and line noise */
		r = recv_one(c, buf, len);
		if (r != 0)
			return r;
	}
}

static size_t frame(struct rsp_conn *c, const unsigned char *p, size_t len)
{
	size_t n = 0;
	uint8_t sum;

	c->out[n++] = '$';
	for (size_t i = 0; i < len; i++) {
		if (p[i] == '$' || p[i] == '#' || p[i] == '}' || p[i] == '*') {
			c->out[n++] = '}';
			c->out[n++] = p[i] ^ 0x20;
		} else {
			c->out[n++] = p[i];
		}
	}
	sum = rsp_checksum(c->out + 1, n - 1);
	c->out[n++] = '#';
	c->out[n++] = hex_digits[sum >> 4];
	c->out[n++] = hex_digits[sum & 15];
	return n;
}

/* Returns 0 on '+', 1 on '-', or an error. */
static int wait_ack(struct rsp_conn *c)
{
	for (;;) {
		int ch = next_byte(c);

		if (ch < 0) {
			if (ch == BYTE_EOF)
				errno = EPIPE;
			return RSP_ERR_IO;
		}
		if (ch == '+')
			return 0;
		if (ch == '-')
			return 1;
		if (ch == RSP_INTR)
			c->interrupt_pending = true;
		if (ch == '$') {
			/* gdb went on without acking: the packet is its
			 * answer, keep it for rsp_recv. */
			c->in_pos--;
			return 0;
		}
	}
}

int rsp_send(struct rsp_conn *c, const void *data, size_t len)
{
	size_t need = 2 * len + 4, n;
	int r;

	if (need > c->out_cap) {
		unsigned char *p = realloc(c->out, need);

		if (!p)
			return RSP_ERR_NOMEM;
		c->out = p;
		c->out_cap = need;
	}
	n = frame(c, data, len);
	for (int tries = 0; tries <= RSP_MAX_RETRIES; tries++) {
		if (write_all(c->out_fd, c->out, n))
			return RSP_ERR_IO;
		if (c->no_ack)
			return 0;
		r = wait_ack(c);
		if (r <= 0)
			return r;
	}
	return RSP_ERR_RETRIES;
}

int rsp_send_str(struct rsp_conn *c, const char *s)
{
	return rsp_send(c, s, strlen(s));
}

/* Remove the first interrupt byte that is not inside a packet. */
static bool take_buffered_interrupt(struct rsp_conn *c)
{
	for (size_t i = c->in_pos; i < c->in_len; i++) {
		if (c->in[i] == '$')
			return false;
		if (c->in[i] == RSP_INTR) {
			memmove(c->in + i, c->in + i + 1, c->in_len - i - 1);
			c->in_len--;
			return true;
		}
	}
	return false;
}

bool rsp_poll_interrupt(struct rsp_conn *c)
{
	struct pollfd p = { .fd = c->in_fd, .events = POLLIN };

	if (c->interrupt_pending) {
		c->interrupt_pending = false;
		return true;
	}
	if (take_buffered_interrupt(c))
		return true;
	if (c->in_len - c->in_pos == c->in_cap)
		return false;
	if (poll(&p, 1, 0) != 1 || !(p.revents & POLLIN))
		return false;
	if (fill(c) <= 0)
		return false;
	return take_buffered_interrupt(c);
}
