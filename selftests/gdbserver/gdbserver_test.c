// SPDX-License-Identifier: GPL-2.0
/*
 * Selftests of the gdb remote protocol layer (TAP): packet framing on a
 * socketpair, then the server over the fake backend, driven the way gdb
 * drives it, including malformed input.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fake.h"
#include "gdbserver/rsp.h"

static int test_no;
static int failures;

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

static void diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* ---- a minimal gdb side ------------------------------------------------ */

#define CL_BUF (1 << 18)

struct client {
	int fd;
	bool no_ack;
	char reply[CL_BUF];
	size_t rlen;
};

/* One byte within timeout_ms, or -1. */
static int cl_getc(struct client *c, int timeout_ms)
{
	struct pollfd p = { .fd = c->fd, .events = POLLIN };
	unsigned char ch;

	if (poll(&p, 1, timeout_ms) != 1 || read(c->fd, &ch, 1) != 1)
		return -1;
	return ch;
}

static void cl_raw(struct client *c, const void *data, size_t len)
{
	const char *p = data;

	while (len) {
		ssize_t n = write(c->fd, p, len);

		if (n <= 0)
			return;
		p += n;
		len -= n;
	}
}

static void cl_frame(struct client *c, const char *pkt, size_t len)
{
	char *f = malloc(len + 5);

	sprintf(f, "$");
	memcpy(f + 1, pkt, len);
	sprintf(f + 1 + len, "#%02x", rsp_checksum(pkt, len));
	cl_raw(c, f, len + 4);
	free(f);
}

/* Read one packet; returns 0, or -1 on timeout or a bad frame. */
static int cl_recv(struct client *c)
{
	uint8_t sum = 0;
	int ch, hi, lo;

	c->rlen = 0;
	do
		ch = cl_getc(c, 10000);
	while (ch >= 0 && ch != '$');
	while ((ch = cl_getc(c, 10000)) >= 0 && ch != '#') {
		sum += ch;
		if (ch == '}') {
			ch = cl_getc(c, 10000);
			sum += ch;
			ch ^= 0x20;
		}
		if (c->rlen < CL_BUF - 1)
			c->reply[c->rlen++] = ch;
	}
	c->reply[c->rlen] = 0;
	hi = rsp_hex_val(cl_getc(c, 10000));
	lo = rsp_hex_val(cl_getc(c, 10000));
	if (ch < 0 || hi < 0 || lo < 0 || (hi << 4 | lo) != sum)
		return -1;
	if (!c->no_ack)
		cl_raw(c, "+", 1);
	return 0;
}

/* Send a command and return its reply ("<timeout>" if none came). */
static const char *cl_cmd_len(struct client *c, const char *pkt, size_t len)
{
	cl_frame(c, pkt, len);
	if (!c->no_ack && cl_getc(c, 10000) != '+')
		return "<no ack>";
	if (cl_recv(c))
		return "<timeout>";
	return c->reply;
}

static const char *cl_cmd(struct client *c, const char *pkt)
{
	return cl_cmd_len(c, pkt, strlen(pkt));
}

static bool is(const char *got, const char *want, const char *what)
{
	if (!strcmp(got, want))
		return true;
	diag("%s: got \"%.200s\", want \"%s\"", what, got, want);
	return false;
}

static bool has(const char *got, const char *want, const char *what)
{
	if (strstr(got, want))
		return true;
	diag("%s: \"%.200s\" lacks \"%s\"", what, got, want);
	return false;
}

/* ---- a server on a thread ----------------------------------------------- */

struct srv {
	struct fake f;
	struct gdbs_server *s;
	pthread_t thread;
	int result;
	int fds[2];
	struct client cl;
};

static void *serve(void *arg)
{
	struct srv *v = arg;

	v->result = gdbs_run(v->s);
	return NULL;
}

static struct srv *srv_start(bool avx512, size_t max_packet)
{
	struct srv *v = calloc(1, sizeof(*v));

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, v->fds))
		abort();
	fake_init(&v->f, avx512, true);
	v->s = gdbs_new(&v->f.be, &v->f, v->fds[0], v->fds[0], max_packet);
	if (!v->s)
		abort();
	v->cl.fd = v->fds[1];
	pthread_create(&v->thread, NULL, serve, v);
	return v;
}

/* Hang up (unless the server already ended) and collect its result. */
static int srv_end(struct srv *v, bool hang_up)
{
	int r;

	if (hang_up)
		shutdown(v->fds[1], SHUT_WR);
	pthread_join(v->thread, NULL);
	r = v->result;
	gdbs_free(v->s);
	close(v->fds[0]);
	close(v->fds[1]);
	free(v);
	return r;
}

/* ---- framing ------------------------------------------------------------ */

struct pair {
	struct rsp_conn c;
	int fds[2];
	char buf[RSP_MIN_PACKET + 1];
	size_t len;
};

static void pair_open(struct pair *p)
{
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, p->fds))
		abort();
	if (rsp_init(&p->c, p->fds[0], p->fds[0], RSP_MIN_PACKET))
		abort();
}

static void pair_close(struct pair *p)
{
	rsp_free(&p->c);
	close(p->fds[0]);
	close(p->fds[1]);
}

static void put(struct pair *p, const char *s)
{
	if (write(p->fds[1], s, strlen(s)) < 0)
		abort();
}

/* A well-formed frame around body. */
static void put_pkt(struct pair *p, const char *body)
{
	char cs[4];

	put(p, "$");
	put(p, body);
	snprintf(cs, sizeof(cs), "#%02x", rsp_checksum(body, strlen(body)));
	put(p, cs);
}

/* What the rsp side wrote back (acks), without waiting long. */
static const char *acks(struct pair *p)
{
	static char b[64];
	struct client c = { .fd = p->fds[1] };
	size_t n = 0;
	int ch;

	while ((ch = cl_getc(&c, 50)) >= 0)
		if (n < sizeof(b) - 1)
			b[n++] = ch;
	b[n] = 0;
	return b;
}

static int recv_pkt(struct pair *p)
{
	return rsp_recv(&p->c, p->buf, &p->len);
}

static void test_checksums(void)
{
	struct pair p;
	int r;

	ok(rsp_checksum("OK", 2) == 0x9a, "checksum of OK is 9a");
	pair_open(&p);
	put(&p, "$m1000,4#8e");
	r = recv_pkt(&p);
	ok(r == RSP_PACKET && !strcmp(p.buf, "m1000,4") &&
		   !strcmp(acks(&p), "+"),
	   "a good packet is decoded and acknowledged");
	put(&p, "$m1000,4#00$g#67");
	r = recv_pkt(&p);
	ok(r == RSP_PACKET && !strcmp(p.buf, "g") && !strcmp(acks(&p), "-+") &&
		   p.c.bad_checksums == 1,
	   "a bad checksum is nacked and the packet skipped");
	put(&p, "$g#zz$g#67");
	r = recv_pkt(&p);
	ok(r == RSP_PACKET && !strcmp(acks(&p), "-+"),
	   "a non-hex checksum is nacked");
	put(&p, "+-noise$g#67");
	r = recv_pkt(&p);
	ok(r == RSP_PACKET && !strcmp(p.buf, "g"),
	   "acks and noise between packets are ignored");
	put(&p, "$m10$g#67");
	r = recv_pkt(&p);
	ok(r == RSP_PACKET && !strcmp(p.buf, "g"),
	   "a '$' inside a packet restarts it");
	pair_close(&p);
}

static void test_escapes(void)
{
	static const char esc[] = "$a}\x03}]}\x0a"
				  "b#";
	char frame[64];
	struct pair p;
	int r;

	pair_open(&p);
	snprintf(frame, sizeof(frame), "%s%02x", esc,
		 rsp_checksum(esc + 1, strlen(esc) - 2));
	put(&p, frame);
	r = recv_pkt(&p);
	ok(r == RSP_PACKET && p.len == 5 && !memcmp(p.buf, "a#}*b", 5),
	   "'}' escapes decode to '#', '}', '*'");
	put_pkt(&p, "0* ");
	r = recv_pkt(&p);
	ok(r == RSP_PACKET && !strcmp(p.buf, "0000"),
	   "run-length encoding is expanded (0* -> 0000)");
	put_pkt(&p, "*\"");
	r = recv_pkt(&p);
	ok(r == RSP_ERR_MALFORMED && p.len == 0,
	   "a repeat with nothing to repeat is malformed");
	put_pkt(&p, "a}");
	r = recv_pkt(&p);
	ok(r == RSP_ERR_MALFORMED, "an escape at the end is malformed");
	acks(&p);
	put(&p, "$g#67");
	ok(recv_pkt(&p) == RSP_PACKET,
	   "the connection survives malformed packets");
	pair_close(&p);
}

static void test_send(void)
{
	static const char data[] = "a$b#c}d*e";
	struct client c;
	struct pair p;

	pair_open(&p);
	c.fd = p.fds[1];
	c.no_ack = true; /* acks are written by hand below */
	put(&p, "+");
	ok(rsp_send(&p.c, data, strlen(data)) == 0 && cl_recv(&c) == 0 &&
		   c.rlen == strlen(data) && !memcmp(c.reply, data, c.rlen),
	   "sending escapes $ # } * and the peer decodes them");
	put(&p, "-+");
	ok(rsp_send_str(&p.c, "OK") == 0 && cl_recv(&c) == 0 &&
		   cl_recv(&c) == 0 && !strcmp(c.reply, "OK"),
	   "a '-' makes the packet go again");
	for (int i = 0; i <= RSP_MAX_RETRIES; i++)
		put(&p, "-");
	ok(rsp_send_str(&p.c, "OK") == RSP_ERR_RETRIES,
	   "endless '-' gives up with an error");
	acks(&p);
	put(&p, "\x03+");
	ok(rsp_send_str(&p.c, "OK") == 0 && recv_pkt(&p) == RSP_INTERRUPT,
	   "an interrupt while waiting for an ack is kept");
	acks(&p);
	p.c.no_ack = true;
	ok(rsp_send_str(&p.c, "OK") == 0 && !strcmp(acks(&p), "$OK#9a"),
	   "no-ack mode sends without waiting");
	put(&p, "$g#67");
	ok(recv_pkt(&p) == RSP_PACKET && !strcmp(acks(&p), ""),
	   "no-ack mode does not acknowledge");
	put(&p, "$g#00$g#67");
	ok(recv_pkt(&p) == RSP_PACKET && p.c.bad_checksums == 1,
	   "no-ack mode drops a packet with a bad checksum");
	pair_close(&p);
}

static void test_interrupts(void)
{
	struct pair p;

	pair_open(&p);
	put(&p, "\x03");
	ok(recv_pkt(&p) == RSP_INTERRUPT, "0x03 is an interrupt");
	ok(!rsp_poll_interrupt(&p.c), "poll: nothing pending");
	put(&p, "\x03");
	ok(rsp_poll_interrupt(&p.c) && !rsp_poll_interrupt(&p.c),
	   "poll: one interrupt, reported once");
	put(&p, "$g#67\x03");
	ok(!rsp_poll_interrupt(&p.c) && recv_pkt(&p) == RSP_PACKET &&
		   recv_pkt(&p) == RSP_INTERRUPT,
	   "poll leaves a packet and what follows it for recv");
	pair_close(&p);
}

struct slow_writer {
	int fd;
	const char *data;
};

static void *write_slowly(void *arg)
{
	struct slow_writer *w = arg;

	for (const char *p = w->data; *p; p++) {
		if (write(w->fd, p, 1) != 1)
			break;
		usleep(2000);
	}
	return NULL;
}

static void test_partial_and_eof(void)
{
	struct slow_writer w;
	struct pair p;
	pthread_t t;
	char *big;
	int r;

	pair_open(&p);
	w.fd = p.fds[1];
	w.data = "$qSupported:multiprocess+#c6";
	pthread_create(&t, NULL, write_slowly, &w);
	r = recv_pkt(&p);
	pthread_join(t, NULL);
	ok(r == RSP_PACKET && !strcmp(p.buf, "qSupported:multiprocess+"),
	   "a packet arriving byte by byte");

	big = malloc(RSP_MIN_PACKET * 4 + 1);
	memset(big, 'a', RSP_MIN_PACKET * 4);
	big[RSP_MIN_PACKET * 4] = 0;
	put(&p, "$");
	put(&p, big);
	put(&p, "#01$g#67");
	r = recv_pkt(&p);
	ok(r == RSP_PACKET && !strcmp(p.buf, "g") && p.c.bad_checksums == 1,
	   "an overlong packet with a bad checksum is skipped");
	acks(&p);
	put_pkt(&p, big);
	r = recv_pkt(&p);
	ok(r == RSP_ERR_TOO_LONG && p.c.dropped == 1 && !strcmp(acks(&p), "+"),
	   "an overlong packet is acknowledged and dropped");
	free(big);
	put_pkt(&p, "a*~*~*~");
	r = recv_pkt(&p);
	ok(r == RSP_ERR_TOO_LONG, "run-length expansion past the limit");
	put(&p, "$g#67");
	r = recv_pkt(&p);
	ok(r == RSP_PACKET, "still usable after overlong packets");
	put(&p, "$m10");
	shutdown(p.fds[1], SHUT_WR);
	ok(recv_pkt(&p) == RSP_EOF, "EOF inside a packet");
	ok(recv_pkt(&p) == RSP_EOF, "EOF again");
	pair_close(&p);
}

/* ---- the server --------------------------------------------------------- */

static void hello(struct srv *v, bool multiprocess)
{
	cl_cmd(&v->cl, multiprocess ? "qSupported:multiprocess+;swbreak+;"
				      "hwbreak+;xmlRegisters=i386"
				    : "qSupported:xmlRegisters=i386");
}

static void test_handshake(void)
{
	struct srv *v = srv_start(false, 0);
	struct client *c = &v->cl;
	const char *r;

	r = cl_cmd(c, "qSupported:multiprocess+;swbreak+;hwbreak+");
	ok(has(r, "PacketSize=4000;", "qSupported") &&
		   has(r, "QStartNoAckMode+", "qSupported") &&
		   has(r, "qXfer:features:read+", "qSupported") &&
		   has(r, "qXfer:auxv:read+", "qSupported") &&
		   has(r, "qXfer:exec-file:read+", "qSupported") &&
		   has(r, "qXfer:libraries-svr4:read+", "qSupported") &&
		   has(r, "qXfer:siginfo:read+", "qSupported") &&
		   has(r, "qXfer:threads:read+", "qSupported") &&
		   has(r, "ReverseContinue+;ReverseStep+", "qSupported") &&
		   has(r, "swbreak+;hwbreak+", "qSupported") &&
		   has(r, "multiprocess+", "qSupported") &&
		   has(r, "vContSupported+", "qSupported"),
	   "qSupported lists every feature");
	ok(is(cl_cmd(c, "vMustReplyEmpty"), "", "vMustReplyEmpty"),
	   "vMustReplyEmpty gets the empty reply");
	ok(is(cl_cmd(c, "QStartNoAckMode"), "OK", "no-ack"),
	   "QStartNoAckMode: OK, still acknowledged");
	c->no_ack = true;
	ok(is(cl_cmd(c, "?"), "T05thread:p64.65;", "?"),
	   "? without acks: stopped by SIGTRAP in thread 101");
	ok(is(cl_cmd(c, "qAttached:64"), "1", "qAttached"),
	   "qAttached: attached");
	ok(is(cl_cmd(c, "qC"), "QCp64.65", "qC"), "qC: current thread");
	ok(is(cl_cmd(c, "qfThreadInfo"), "mp64.65,p64.66,p64.67", "qf") &&
		   is(cl_cmd(c, "qsThreadInfo"), "l", "qs"),
	   "qfThreadInfo/qsThreadInfo list three threads");
	ok(is(cl_cmd(c, "qOffsets"), "", "qOffsets") &&
		   is(cl_cmd(c, "qTStatus"), "", "qTStatus") &&
		   is(cl_cmd(c, "vFile:setfs:0"), "", "vFile") &&
		   is(cl_cmd(c, "!"), "", "!"),
	   "unknown packets get the empty reply");
	ok(srv_end(v, true) == GDBS_END_EOF, "hang-up ends the session");
}

/* Registers from target.xml in order: name, size, offset in 'g'. */
struct xml_reg {
	char name[16];
	int bytes, offset;
};

static int parse_xml_regs(const char *xml, struct xml_reg *regs, int max)
{
	int n = 0, off = 0, bits, regnum;
	const char *p = xml;

	while (n < max && (p = strstr(p, "<reg name=\""))) {
		if (sscanf(p,
			   "<reg name=\"%15[^\"]\" bitsize=\"%d\" %*[^ ] "
			   "regnum=\"%d\"",
			   regs[n].name, &bits, &regnum) != 3 ||
		    regnum != n)
			return -1;
		regs[n].bytes = bits / 8;
		regs[n].offset = off;
		off += bits / 8;
		n++;
		p++;
	}
	return n;
}

/* Read a whole qXfer object through small windows. */
static char *read_object(struct client *c, const char *prefix, size_t *len)
{
	char *all = malloc(1), q[256];
	const char *r;

	*len = 0;
	for (;;) {
		snprintf(q, sizeof(q), "%s%zx,%x", prefix, *len, 0x95);
		r = cl_cmd(c, q);
		if (r[0] != 'm' && r[0] != 'l')
			break;
		all = realloc(all, *len + c->rlen + 1);
		memcpy(all + *len, r + 1, c->rlen - 1);
		*len += c->rlen - 1;
		all[*len] = 0;
		if (r[0] == 'l')
			return all;
	}
	free(all);
	return NULL;
}

static const struct xml_reg *find_reg(const struct xml_reg *regs, int n,
				      const char *name)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(regs[i].name, name))
			return &regs[i];
	return NULL;
}

static bool reg_hex(const char *g, const struct xml_reg *r, const char *want)
{
	if (!r || (int)strlen(want) != 2 * r->bytes ||
	    strncmp(g + 2 * r->offset, want, 2 * r->bytes)) {
		diag("register %s: want %s", r ? r->name : "?", want);
		return false;
	}
	return true;
}

static void test_registers(bool avx512)
{
	struct srv *v = srv_start(avx512, 0);
	struct client *c = &v->cl;
	static struct xml_reg regs[GDBS_MAX_REGS];
	const char *tag = avx512 ? "avx512" : "avx";
	size_t len, gsize;
	char *xml, *g;
	int n;

	hello(v, true);
	xml = read_object(c, "qXfer:features:read:target.xml:", &len);
	ok(xml && has(xml, "<architecture>i386:x86-64</architecture>", "xml") &&
		   has(xml, "org.gnu.gdb.i386.linux", "xml") &&
		   has(xml, "name=\"orig_rax\"", "xml") &&
		   has(xml, "name=\"ymm15h\"", "xml") &&
		   has(xml, "name=\"fs_base\"", "xml") &&
		   (avx512 == (strstr(xml, "zmm31h") != NULL)) &&
		   has(xml, "</target>", "xml"),
	   "%s: target.xml read in windows is complete", tag);
	n = xml ? parse_xml_regs(xml, regs, GDBS_MAX_REGS) : -1;
	ok(n == (avx512 ? 148 : 76), "%s: %d registers, numbered in order", tag,
	   n);
	g = strdup(cl_cmd(c, "g"));
	gsize = n > 0 ? regs[n - 1].offset + regs[n - 1].bytes : 0;
	ok(strlen(g) == 2 * gsize,
	   "%s: 'g' is %zu bytes, as the description says", tag, gsize);
	ok(reg_hex(g, find_reg(regs, n, "rax"), "0400000000000000") &&
		   reg_hex(g, find_reg(regs, n, "rbx"), "6500000000000000") &&
		   reg_hex(g, find_reg(regs, n, "rip"), "1010000000000000") &&
		   reg_hex(g, find_reg(regs, n, "eflags"), "46020000") &&
		   reg_hex(g, find_reg(regs, n, "cs"), "33000000") &&
		   reg_hex(g, find_reg(regs, n, "st0"),
			   "0000000000000080ff3f") &&
		   reg_hex(g, find_reg(regs, n, "fctrl"), "7f030000") &&
		   reg_hex(g, find_reg(regs, n, "xmm1"),
			   "101112131415161718191a1b1c1d1e1f") &&
		   reg_hex(g, find_reg(regs, n, "mxcsr"), "801f0000") &&
		   reg_hex(g, find_reg(regs, n, "orig_rax"),
			   "ffffffffffffffff") &&
		   reg_hex(g, find_reg(regs, n, "fs_base"),
			   "65000000007f0000") &&
		   reg_hex(g, find_reg(regs, n, "ymm0h"),
			   "808182838485868788898a8b8c8d8e8f"),
	   "%s: 'g' values sit where target.xml puts them", tag);
	if (avx512)
		ok(reg_hex(g, find_reg(regs, n, "k3"), "0300000000000000") &&
			   reg_hex(g, find_reg(regs, n, "xmm16"),
				   "000102030405060708090a0b0c0d0e0f") &&
			   reg_hex(g, find_reg(regs, n, "zmm31h"),
				   "000102030405060708090a0b0c0d0e0f"
				   "101112131415161718191a1b1c1d1e1f"),
		   "avx512: k, xmm16 and zmm31h in place");
	ok(is(cl_cmd(c, "p10"), "1010000000000000", "p10"), "%s: p10 is rip",
	   tag);
	ok(is(cl_cmd(c, "p9999"), "E01", "p9999") &&
		   is(cl_cmd(c, "pzz"), "E01", "pzz") &&
		   is(cl_cmd(c, "p"), "E01", "p"),
	   "%s: p with a bad number is an error", tag);
	ok(is(cl_cmd(c, "Hgp64.66"), "OK", "Hg") &&
		   has(cl_cmd(c, "g"), "6600000000000000", "g") &&
		   is(cl_cmd(c, "p10"), "6620000000000000", "p10"),
	   "%s: Hg selects another thread's registers", tag);
	ok(is(cl_cmd(c, "Hgp64.99"), "E01", "Hg") &&
		   is(cl_cmd(c, "Hg0"), "OK", "Hg0") &&
		   is(cl_cmd(c, "Hc-1"), "OK", "Hc-1") &&
		   is(cl_cmd(c, "Hx1"), "E01", "Hx") &&
		   is(cl_cmd(c, "Hgpzz"), "E01", "Hgpzz"),
	   "%s: Hg/Hc check the thread", tag);
	ok(is(cl_cmd(c, "G00"), "E01", "G") &&
		   is(cl_cmd(c, "P10=0000000000000000"), "E01", "P"),
	   "%s: register writes are refused", tag);
	free(g);
	free(xml);
	srv_end(v, true);
}

static void test_memory(void)
{
	struct srv *v = srv_start(false, 0);
	struct client *c = &v->cl;
	const char *r;

	hello(v, true);
	ok(is(cl_cmd(c, "m1000,4"), "00010203", "m"), "m reads memory");
	ok(is(cl_cmd(c, "m1ffe,4"), "feff", "m"),
	   "m stops short at unmapped memory");
	ok(is(cl_cmd(c, "m5000,4"), "E01", "m"), "m of unmapped memory: E01");
	ok(is(cl_cmd(c, "m1000,0"), "", "m") &&
		   is(cl_cmd(c, "m3000,8"), "0000000000000000", "m"),
	   "m of nothing; the counter starts at 0");
	r = cl_cmd(c, "m1000,ffffffff");
	ok(strlen(r) == 0x2000, "a huge length is clamped to the packet size");
	ok(is(cl_cmd(c, "m1000"), "E01", "m") &&
		   is(cl_cmd(c, "m,4"), "E01", "m") &&
		   is(cl_cmd(c, "m1000,4x"), "E01", "m") &&
		   is(cl_cmd(c, "m10000000000000000,4"), "E01", "m") &&
		   is(cl_cmd(c, "mzz,4"), "E01", "m"),
	   "malformed m packets: E01");
	r = cl_cmd(c, "x1000,4");
	ok(c->rlen == 5 && !memcmp(r, "b\0\1\2\3", 5),
	   "x reads memory as binary");
	r = cl_cmd(c, "x1023,2");
	ok(c->rlen == 3 && !memcmp(r, "b#$", 3),
	   "x escapes '#' and '$' in binary data");
	ok(is(cl_cmd(c, "M1000,1:00"), "E01", "M") &&
		   is(cl_cmd_len(c, "X1000,1:\0", 9), "E01", "X"),
	   "memory writes are refused");
	srv_end(v, true);
}

static void test_xfer(void)
{
	struct srv *v = srv_start(false, 0);
	struct client *c = &v->cl;
	const char *r;
	size_t len;
	char *x;

	hello(v, true);
	r = cl_cmd(c, "qXfer:auxv:read::0,1000");
	ok(r[0] == 'l' && c->rlen == 33 && r[1] == 6,
	   "auxv: 32 bytes, AT_PAGESZ first");
	r = cl_cmd(c, "qXfer:siginfo:read::0,80");
	ok(r[0] == 'm' && c->rlen == 129 && r[1] == 5,
	   "siginfo: a full window is 'm'");
	ok(is(cl_cmd(c, "qXfer:siginfo:read::80,80"), "l", "siginfo"),
	   "siginfo: past the end is an empty 'l'");
	ok(is(cl_cmd(c, "qXfer:exec-file:read:64:0,fff"),
	      "l/usr/bin/fake-program", "exec-file") &&
		   is(cl_cmd(c, "qXfer:exec-file:read:64:5,3"), "mbin",
		      "exec-file"),
	   "exec-file with offset windows");
	ok(has(cl_cmd(c, "qXfer:libraries-svr4:read::0,fff"),
	       "<library-list-svr4", "svr4"),
	   "libraries-svr4");
	x = read_object(c, "qXfer:threads:read::", &len);
	ok(x && has(x, "<thread id=\"p64.66\" name=\"w&lt;1&gt;&amp;\"/>",
		    "threads"),
	   "threads: ids and escaped names");
	free(x);
	ok(is(cl_cmd(c, "qXfer:features:read:foo.xml:0,10"), "E01", "f") &&
		   is(cl_cmd(c, "qXfer:features:read:target.xml:zz"), "E01",
		      "f") &&
		   is(cl_cmd(c, "qXfer:features:read:target.xml"), "E01",
		      "f") &&
		   is(cl_cmd(c, "qXfer:features"), "", "f"),
	   "qXfer: bad annex or range is an error");
	ok(is(cl_cmd(c, "qXfer:siginfo:write::0:0000"), "E01", "write") &&
		   is(cl_cmd(c, "qXfer:bogus:read::0,10"), "", "bogus"),
	   "qXfer: writes refused, unknown objects unsupported");
	ok(has(cl_cmd(c, "qXfer:features:read:target.xml:ffffffff,10"), "l",
	       "past"),
	   "qXfer: an offset past the end");
	srv_end(v, true);
}

static void test_execution(void)
{
	struct srv *v = srv_start(false, 0);
	struct client *c = &v->cl;
	struct fake *f = &v->f;

	hello(v, true);
	ok(is(cl_cmd(c, "vCont?"), "vCont;c;C;s;S", "vCont?"),
	   "vCont? lists c, C, s, S");
	ok(is(cl_cmd(c, "Z0,1020,1"), "OK", "Z0") &&
		   is(cl_cmd(c, "vCont;c"), "T05thread:p64.66;swbreak:;",
		      "vCont;c") &&
		   f->pos == 8,
	   "continue to a software breakpoint");
	ok(is(cl_cmd(c, "z0,1020,1"), "OK", "z0") &&
		   is(cl_cmd(c, "z0,1020,1"), "E01", "z0 again"),
	   "remove it; removing twice is an error");
	ok(is(cl_cmd(c, "bs"), "T05thread:p64.65;", "bs") && f->pos == 7 &&
		   f->last.reverse && f->last.kind == GDBS_STEP,
	   "bs steps back one instruction");
	ok(is(cl_cmd(c, "Z1,1010,1"), "OK", "Z1") &&
		   is(cl_cmd(c, "bc"), "T05thread:p64.65;hwbreak:;", "bc") &&
		   f->pos == 4 && is(cl_cmd(c, "z1,1010,1"), "OK", "z1"),
	   "reverse-continue to a hardware breakpoint");
	ok(is(cl_cmd(c, "Z2,3000,8"), "OK", "Z2") &&
		   is(cl_cmd(c, "vCont;c:p64.65;c"),
		      "T05thread:p64.66;watch:3000;", "watch") &&
		   f->pos == 11 && f->last.others,
	   "a write watchpoint stops after the write");
	ok(is(cl_cmd(c, "bc"), "T05thread:p64.66;watch:3000;", "watch back") &&
		   f->pos == 10,
	   "reverse: it stops before the write");
	ok(is(cl_cmd(c, "z2,3000,8"), "OK", "z2") &&
		   is(cl_cmd(c, "Z3,3008,8"), "OK", "Z3") &&
		   is(cl_cmd(c, "c"), "T05thread:p64.65;rwatch:3008;",
		      "rwatch") &&
		   f->pos == 26 && is(cl_cmd(c, "z3,3008,8"), "OK", "z3"),
	   "a read watchpoint");
	ok(is(cl_cmd(c, "Z4,3000,8"), "OK", "Z4") &&
		   is(cl_cmd(c, "vCont;c"), "T05thread:p64.65;awatch:3000;",
		      "awatch") &&
		   f->pos == 31 && is(cl_cmd(c, "z4,3000,8"), "OK", "z4"),
	   "an access watchpoint");
	ok(is(cl_cmd(c, "vCont;s:p64.67;c"), "T05thread:p64.66;", "step") &&
		   f->last.kind == GDBS_STEP && f->last.thread.tid == 103 &&
		   f->last.others && !f->last.reverse,
	   "vCont;s:thread;c steps that thread, others may run");
	ok(is(cl_cmd(c, "vCont;S0b:p64.65"), "T05thread:p64.66;", "S") &&
		   f->last.signo == SIGSEGV && !f->last.others,
	   "vCont;S passes the signal (advisory) and locks the thread");
	ok(is(cl_cmd(c, "bc"), "T05thread:p64.65;replaylog:begin;", "bc") &&
		   f->pos == 0,
	   "reverse-continue ends at the beginning of the history");
	ok(is(cl_cmd(c, "bs"), "T05thread:p64.65;replaylog:begin;", "bs"),
	   "no step back past the beginning");
	ok(is(cl_cmd(c, "vCont;c"), "T05thread:p64.66;replaylog:end;", "c") &&
		   f->pos == FAKE_HISTORY - 1,
	   "continue ends at the end of the history");
	ok(is(cl_cmd(c, "s"), "T05thread:p64.66;replaylog:end;", "s"),
	   "no step past the end");
	ok(is(cl_cmd(c, "c1000"), "E01", "c addr") &&
		   is(cl_cmd(c, "vCont;t"), "E01", "vCont;t") &&
		   is(cl_cmd(c, "vCont;"), "E01", "vCont;") &&
		   is(cl_cmd(c, "vCont;c:zz"), "E01", "vCont;c:zz") &&
		   is(cl_cmd(c, "vCont;Cxx"), "E01", "vCont;Cxx") &&
		   is(cl_cmd(c, "bx"), "", "bx") &&
		   is(cl_cmd(c, "Z9,0,0"), "", "Z9") &&
		   is(cl_cmd(c, "Z0,zz,1"), "E01", "Z0 bad"),
	   "bad resume and breakpoint requests");
	ok(is(cl_cmd(c, "Tp64.67"), "OK", "T") &&
		   is(cl_cmd(c, "Tp64.99"), "E01", "T") &&
		   is(cl_cmd(c, "T0"), "E01", "T0"),
	   "T: thread alive");
	srv_end(v, true);
}

static void test_interrupt(void)
{
	struct srv *v = srv_start(false, 0);
	struct client *c = &v->cl;

	hello(v, true);
	v->f.slow = true;
	cl_frame(c, "vCont;c", 7);
	ok(cl_getc(c, 5000) == '+', "vCont;c acknowledged");
	usleep(50000);
	cl_raw(c, "\x03", 1);
	ok(cl_recv(c) == 0 && has(c->reply, "T02thread:p64.", "interrupt") &&
		   v->f.pos < FAKE_HISTORY - 1,
	   "0x03 while running stops with SIGINT");
	cl_raw(c, "\x03", 1);
	ok(has(cl_cmd(c, "?"), "T05thread:p64.", "?"),
	   "a stray 0x03 while stopped is ignored");
	srv_end(v, true);
}

static void test_monitor(void)
{
	struct srv *v = srv_start(false, 0);
	struct client *c = &v->cl;
	char text[64], hex[128];
	size_t total = 0;
	int packets = 0;
	const char *r;

	hello(v, true);
	r = cl_cmd(c, "qRcmd,68656c70"); /* help */
	rsp_hex_encode(hex, "fake: help", 10);
	hex[20] = 0;
	ok(r[0] == 'O' && has(r, hex, "help") && cl_recv(c) == 0 &&
		   is(c->reply, "OK", "help end"),
	   "monitor help: O packet then OK");
	r = cl_cmd(c, "qRcmd,626967"); /* big */
	while (r[0] == 'O' && strcmp(r, "OK") && packets < 100000) {
		total += (c->rlen - 1) / 2;
		packets++;
		r = cl_recv(c) ? "<timeout>" : c->reply;
	}
	ok(is(r, "OK", "big") && total == 40000 && packets >= 1000,
	   "monitor output of 40000 bytes in %d O packets", packets);
	r = cl_cmd(c, "qRcmd,78"); /* x */
	ok(r[0] == 'O' && cl_recv(c) == 0 && is(c->reply, "E01", "x"),
	   "an unknown monitor command: message, then E01");
	ok(is(cl_cmd(c, "qRcmd,7"), "E01", "odd") &&
		   is(cl_cmd(c, "qRcmd,zz"), "E01", "zz"),
	   "bad hex in qRcmd: E01");
	rsp_hex_encode(text, "where", 5);
	snprintf(hex, sizeof(hex), "qRcmd,%.10s", text);
	r = cl_cmd(c, hex);
	ok(r[0] == 'O' && cl_recv(c) == 0 && is(c->reply, "OK", "where"),
	   "monitor where");
	srv_end(v, true);
}

static void test_malformed(void)
{
	struct srv *v = srv_start(false, RSP_MIN_PACKET);
	struct client *c = &v->cl;
	char big[4 * RSP_MIN_PACKET];

	hello(v, true);
	memset(big, 'q', sizeof(big));
	ok(is(cl_cmd_len(c, big, sizeof(big)), "E01", "overlong"),
	   "an overlong packet is acknowledged and answered E01");
	cl_raw(c, "$*!#4b", 6);
	ok(cl_getc(c, 5000) == '+' && cl_recv(c) == 0 &&
		   is(c->reply, "E01", "malformed"),
	   "a malformed packet is answered E01");
	cl_raw(c, "$g#00", 5);
	ok(cl_getc(c, 5000) == '-', "a bad checksum is nacked");
	ok(is(cl_cmd(c, "m1000,1"), "00", "after"),
	   "the server goes on after bad packets");
	ok(is(cl_cmd(c, "qSupported:multiprocess+;error-message+"),
	      "PacketSize=100;QStartNoAckMode+;qXfer:features:read+;"
	      "qXfer:threads:read+;qXfer:auxv:read+;qXfer:exec-file:read+;"
	      "qXfer:libraries-svr4:read+;qXfer:siginfo:read+;"
	      "ReverseContinue+;ReverseStep+;swbreak+;hwbreak+;"
	      "multiprocess+;vContSupported+;error-message+",
	      "qSupported"),
	   "qSupported honours a small packet size");
	ok(is(cl_cmd(c, "M1000,1:00"), "E.the recording cannot be changed",
	      "E."),
	   "with error-message+ errors carry text");
	ok(is(cl_cmd_len(c, "m1000\0,4", 8), "E.cannot read memory", "nul"),
	   "a NUL inside a command ends it");
	ok(strlen(cl_cmd(c, "m1000,1000")) == 2 * (RSP_MIN_PACKET / 2),
	   "m replies fit the packet size");
	ok(is(cl_cmd(c, "qSupported"),
	      "PacketSize=100;QStartNoAckMode+;"
	      "qXfer:features:read+;"
	      "qXfer:threads:read+;"
	      "qXfer:auxv:read+;"
	      "qXfer:exec-file:read+;"
	      "qXfer:libraries-svr4:read+;"
	      "qXfer:siginfo:read+;"
	      "ReverseContinue+;ReverseStep+;"
	      "swbreak+;hwbreak+;multiprocess+;"
	      "vContSupported+",
	      "qSupported") &&
		   is(cl_cmd(c, "?"), "T05thread:65;", "?") &&
		   is(cl_cmd(c, "qfThreadInfo"), "m65,66,67", "qf") &&
		   is(cl_cmd(c, "Hg66"), "OK", "Hg66") &&
		   is(cl_cmd(c, "Z0,1000,1"), "OK", "Z0") &&
		   is(cl_cmd(c, "bc"), "T05thread:65;", "bc"),
	   "without multiprocess or swbreak: plain thread ids and stops");
	ok(is(cl_cmd(c, "D"), "OK", "D") &&
		   srv_end(v, false) == GDBS_END_DETACH,
	   "D detaches and ends the session");
	v = srv_start(false, 0);
	cl_frame(&v->cl, "k", 1);
	ok(srv_end(v, false) == GDBS_END_KILL, "k ends the session");
	v = srv_start(false, 0);
	ok(is(cl_cmd(&v->cl, "vKill;64"), "OK", "vKill") &&
		   srv_end(v, false) == GDBS_END_KILL,
	   "vKill ends the session");
}

static void test_api(void)
{
	struct gdbs_backend none = { 0 };
	struct fake f;
	struct gdbs_server *s;

	ok(gdbs_signal_to_gdb(SIGTRAP) == 5 &&
		   gdbs_signal_to_gdb(SIGUSR1) == 30 &&
		   gdbs_signal_to_gdb(SIGCHLD) == 20 &&
		   gdbs_signal_to_gdb(SIGBUS) == 10 &&
		   gdbs_signal_to_gdb(34) == 46 &&
		   gdbs_signal_to_gdb(64) == 78 && gdbs_signal_to_gdb(99) == 0,
	   "Linux signals in gdb's numbering");
	ok(gdbs_signal_from_gdb(30) == SIGUSR1 &&
		   gdbs_signal_from_gdb(11) == SIGSEGV &&
		   gdbs_signal_from_gdb(0) == 0 &&
		   gdbs_signal_from_gdb(200) == 0,
	   "and back");
	ok(!gdbs_new(&none, NULL, 0, 1, 0),
	   "a backend without the required callbacks is refused");
	fake_init(&f, false, false);
	s = gdbs_new(&f.be, &f, -1, -1, 0);
	ok(s && gdbs_monitor_printf(s, "x") == -EINVAL,
	   "monitor output outside a command is refused");
	ok(gdbs_handle(s, "qSupported", 10) == RSP_ERR_IO,
	   "a write error surfaces as an error");
	gdbs_free(s);
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	printf("1..117\n");
	test_checksums();
	test_escapes();
	test_send();
	test_interrupts();
	test_partial_and_eof();
	test_handshake();
	test_registers(false);
	test_registers(true);
	test_memory();
	test_xfer();
	test_execution();
	test_interrupt();
	test_monitor();
	test_malformed();
	test_api();
	diag("%d tests, %d failed", test_no, failures);
	return failures != 0;
}
