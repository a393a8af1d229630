// SPDX-License-Identifier: GPL-2.0
/*
 * gdb remote target: command dispatch over a backend (see server.h).
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rsp.h"
#include "server.h"

/* More threads than this are not listed (a sanity bound, not a limit
 * any real recording reaches). */
#define GDBS_MAX_THREADS 65536

/* A handler that already sent its reply (next to gdbs_end values). */
#define SENT 0x100

struct gdbs_server {
	const struct gdbs_backend *be;
	void *ctx;
	struct rsp_conn conn;
	char *pkt; /* the packet being handled, max_packet + 1 */
	unsigned char *scratch; /* memory and object reads, max_packet */

	/* the reply being built */
	char *out;
	size_t out_len, out_cap;
	bool out_oom;

	struct gdbs_reg regs[GDBS_MAX_REGS];
	int nregs;
	char *tdesc;
	size_t tdesc_len;
	char *threads_xml;
	size_t threads_xml_len;

	struct gdbs_tid cur; /* thread of the last stop */
	struct gdbs_tid g_thread, c_thread; /* Hg, Hc */
	bool have_cur;
	bool can_print; /* inside qRcmd or resume: 'O' packets allowed */

	/* what gdb said it understands in qSupported */
	bool multiprocess, swbreak, hwbreak, error_message, fork_events;

	/* qfThreadInfo / qsThreadInfo */
	struct gdbs_thread *threads;
	int nthreads, next_thread;
};

/* ---- replies ---------------------------------------------------------- */

static void reply_reset(struct gdbs_server *s)
{
	s->out_len = 0;
	s->out_oom = false;
}

static bool reply_room(struct gdbs_server *s, size_t more)
{
	size_t cap = s->out_cap;
	char *p;

	if (s->out_oom)
		return false;
	if (s->out_len + more <= cap)
		return true;
	while (cap < s->out_len + more)
		cap = cap ? 2 * cap : 256;
	p = realloc(s->out, cap);
	if (!p) {
		s->out_oom = true;
		return false;
	}
	s->out = p;
	s->out_cap = cap;
	return true;
}

static void reply_add(struct gdbs_server *s, const void *data, size_t len)
{
	if (!len || !reply_room(s, len))
		return;
	memcpy(s->out + s->out_len, data, len);
	s->out_len += len;
}

static void reply_str(struct gdbs_server *s, const char *str)
{
	reply_add(s, str, strlen(str));
}

static void __attribute__((format(printf, 2, 3)))
reply_printf(struct gdbs_server *s, const char *fmt, ...)
{
	char buf[128];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > 0)
		reply_add(s, buf,
			  (size_t)n < sizeof(buf) ? (size_t)n
						  : sizeof(buf) - 1);
}

static void reply_hex(struct gdbs_server *s, const void *data, size_t len)
{
	if (!len || !reply_room(s, 2 * len))
		return;
	rsp_hex_encode(s->out + s->out_len, data, len);
	s->out_len += 2 * len;
}

/* An error; gdb shows the text only when it announced error-message. */
static void reply_error(struct gdbs_server *s, const char *why)
{
	reply_reset(s);
	if (s->error_message) {
		reply_str(s, "E.");
		reply_str(s, why);
	} else {
		reply_str(s, "E01");
	}
}

static int reply_send(struct gdbs_server *s)
{
	if (s->out_oom)
		reply_error(s, "out of memory");
	return rsp_send(&s->conn, s->out, s->out_len);
}

/* ---- parsing ----------------------------------------------------------- */

static int parse_hex(const char **pp, uint64_t *v)
{
	const char *p = *pp;
	uint64_t x = 0;
	int d, n = 0;

	while ((d = rsp_hex_val(*p)) >= 0) {
		if (++n > 16)
			return -1;
		x = x << 4 | d;
		p++;
	}
	if (!n)
		return -1;
	*pp = p;
	*v = x;
	return 0;
}

/* A pid or tid: hex, or -1 for "all". */
static int parse_id(const char **pp, int *id)
{
	uint64_t v;

	if ((*pp)[0] == '-' && (*pp)[1] == '1') {
		*pp += 2;
		*id = -1;
		return 0;
	}
	if (parse_hex(pp, &v) || v > INT_MAX)
		return -1;
	*id = v;
	return 0;
}

/* "p<pid>.<tid>", "p<pid>" (all its threads), "<tid>", "0", "-1". */
static int parse_tid(const char **pp, struct gdbs_tid *t)
{
	t->pid = 0;
	if (**pp != 'p')
		return parse_id(pp, &t->tid);
	(*pp)++;
	if (parse_id(pp, &t->pid))
		return -1;
	t->tid = -1;
	if (**pp != '.')
		return 0;
	(*pp)++;
	return parse_id(pp, &t->tid);
}

/* "addr,len" followed by end or by stop. */
static int parse_addr_len(const char *p, uint64_t *addr, uint64_t *len,
			  char stop)
{
	if (parse_hex(&p, addr) || *p++ != ',' || parse_hex(&p, len))
		return -1;
	return *p == stop ? 0 : -1;
}

static bool has_prefix(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/* ---- threads ----------------------------------------------------------- */

static int load_threads(struct gdbs_server *s)
{
	int n = s->be->list_threads(s->ctx, NULL, 0), got;
	struct gdbs_thread *t;

	if (n < 0)
		return n;
	if (n > GDBS_MAX_THREADS)
		n = GDBS_MAX_THREADS;
	t = calloc(n ? n : 1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	got = s->be->list_threads(s->ctx, t, n);
	if (got < 0) {
		free(t);
		return got;
	}
	free(s->threads);
	s->threads = t;
	s->nthreads = got < n ? got : n;
	return 0;
}

static bool thread_exists(struct gdbs_server *s, struct gdbs_tid t)
{
	if (load_threads(s))
		return false;
	for (int i = 0; i < s->nthreads; i++) {
		const struct gdbs_tid *id = &s->threads[i].id;

		if (id->tid == t.tid && (t.pid <= 0 || id->pid == t.pid))
			return true;
	}
	return false;
}

static int current(struct gdbs_server *s, struct gdbs_tid *t)
{
	struct gdbs_stop st;
	int r;

	if (!s->have_cur) {
		memset(&st, 0, sizeof(st));
		r = s->be->stop_state(s->ctx, &st);
		if (r)
			return r;
		s->cur = st.thread;
		s->have_cur = true;
	}
	*t = s->cur;
	return 0;
}

/* "Any thread of process pid": the current one if it is, else its
 * first. */
static int first_of_process(struct gdbs_server *s, int pid, struct gdbs_tid *t)
{
	if (!current(s, t) && t->pid == pid)
		return 0;
	if (load_threads(s))
		return -ESRCH;
	for (int i = 0; i < s->nthreads; i++)
		if (s->threads[i].id.pid == pid) {
			*t = s->threads[i].id;
			return 0;
		}
	return -ESRCH;
}

/* A requested thread, with "any" and "all" meaning the current one (or
 * one of the process named). */
static int resolve(struct gdbs_server *s, struct gdbs_tid req,
		   struct gdbs_tid *t)
{
	struct gdbs_tid c;

	if (req.tid <= 0 && req.pid > 0)
		return first_of_process(s, req.pid, t);
	if (req.tid <= 0)
		return current(s, t);
	*t = req;
	if (t->pid <= 0) {
		if (current(s, &c))
			return -ESRCH;
		t->pid = c.pid;
	}
	return 0;
}

/* Tell the backend which thread (so, which process) gdb looks at. */
static void select_g(struct gdbs_server *s)
{
	struct gdbs_tid t = s->g_thread;

	if (!s->be->select_thread || (t.pid <= 0 && resolve(s, t, &t)))
		return;
	s->be->select_thread(s->ctx, t);
}

static void put_id(struct gdbs_server *s, int id)
{
	if (id < 0)
		reply_str(s, "-1");
	else
		reply_printf(s, "%x", id);
}

static void put_tid(struct gdbs_server *s, struct gdbs_tid t)
{
	if (s->multiprocess) {
		reply_str(s, "p");
		put_id(s, t.pid);
		reply_str(s, ".");
	}
	put_id(s, t.tid);
}

/* ---- signals ----------------------------------------------------------- */

/* gdb numbers signals its own way (the values in its remote protocol
 * are fixed), Linux another. */
static const unsigned char host_to_gdb[] = {
	[SIGHUP] = 1,	  [SIGINT] = 2,	  [SIGQUIT] = 3,   [SIGILL] = 4,
	[SIGTRAP] = 5,	  [SIGABRT] = 6,  [SIGBUS] = 10,   [SIGFPE] = 8,
	[SIGKILL] = 9,	  [SIGUSR1] = 30, [SIGSEGV] = 11,  [SIGUSR2] = 31,
	[SIGPIPE] = 13,	  [SIGALRM] = 14, [SIGTERM] = 15,  [SIGCHLD] = 20,
	[SIGCONT] = 19,	  [SIGSTOP] = 17, [SIGTSTP] = 18,  [SIGTTIN] = 21,
	[SIGTTOU] = 22,	  [SIGURG] = 16,  [SIGXCPU] = 24,  [SIGXFSZ] = 25,
	[SIGVTALRM] = 26, [SIGPROF] = 27, [SIGWINCH] = 28, [SIGIO] = 23,
	[SIGPWR] = 32,	  [SIGSYS] = 12,
};

int gdbs_signal_to_gdb(int sig)
{
	if (sig > 0 && sig < (int)sizeof(host_to_gdb))
		return host_to_gdb[sig];
	/* Realtime signals: 33..63 follow gdb's REALTIME_33.., while 32
	 * and 64 were added to its list later. */
	if (sig == 32)
		return 77;
	if (sig > 32 && sig < 64)
		return sig - 33 + 45;
	if (sig == 64)
		return 78;
	return 0;
}

int gdbs_signal_from_gdb(int gsig)
{
	for (int sig = 1; sig <= 64; sig++)
		if (gsig && gdbs_signal_to_gdb(sig) == gsig)
			return sig;
	return 0;
}

/* ---- stop replies ------------------------------------------------------ */

static const char *const stop_reasons[] = {
	[GDBS_STOP_WATCH] = "watch",
	[GDBS_STOP_RWATCH] = "rwatch",
	[GDBS_STOP_AWATCH] = "awatch",
};

static void put_stop(struct gdbs_server *s, const struct gdbs_stop *st)
{
	int sig = gdbs_signal_to_gdb(st->signo ? st->signo : SIGTRAP);

	if (st->kind == GDBS_STOP_EXITED || st->kind == GDBS_STOP_KILLED) {
		if (st->kind == GDBS_STOP_EXITED)
			reply_printf(s, "W%02x", st->status & 0xff);
		else
			reply_printf(s, "X%02x", sig);
		if (s->multiprocess)
			reply_printf(s, ";process:%x", st->thread.pid);
		return;
	}
	if (st->kind != GDBS_STOP_SIGNAL)
		sig = gdbs_signal_to_gdb(SIGTRAP);
	reply_printf(s, "T%02xthread:", sig);
	put_tid(s, st->thread);
	reply_str(s, ";");
	switch (st->kind) {
	case GDBS_STOP_SWBREAK:
		if (s->swbreak)
			reply_str(s, "swbreak:;");
		break;
	case GDBS_STOP_HWBREAK:
		if (s->hwbreak)
			reply_str(s, "hwbreak:;");
		break;
	case GDBS_STOP_WATCH:
	case GDBS_STOP_RWATCH:
	case GDBS_STOP_AWATCH:
		reply_printf(s, "%s:%llx;", stop_reasons[st->kind],
			     (unsigned long long)st->addr);
		break;
	case GDBS_STOP_HISTORY_BEGIN:
		reply_str(s, "replaylog:begin;");
		break;
	case GDBS_STOP_HISTORY_END:
		reply_str(s, "replaylog:end;");
		break;
	case GDBS_STOP_FORK:
		reply_str(s, "fork:");
		put_tid(s, st->child);
		reply_str(s, ";");
		break;
	default:
		break;
	}
}

static int cmd_halt_reason(struct gdbs_server *s)
{
	struct gdbs_stop st;

	memset(&st, 0, sizeof(st));
	if (s->be->stop_state(s->ctx, &st)) {
		reply_error(s, "no stop state");
		return 0;
	}
	s->cur = s->g_thread = st.thread;
	s->have_cur = true;
	put_stop(s, &st);
	return 0;
}

/* ---- registers and memory ---------------------------------------------- */

static int fetch_regs(struct gdbs_server *s, struct gdbs_x86_regs *regs)
{
	struct gdbs_tid t;

	if (resolve(s, s->g_thread, &t))
		return -ESRCH;
	memset(regs, 0, sizeof(*regs));
	return s->be->get_regs(s->ctx, t, regs);
}

static int cmd_g(struct gdbs_server *s)
{
	struct gdbs_x86_regs regs;

	if (fetch_regs(s, &regs)) {
		reply_error(s, "cannot read registers");
		return 0;
	}
	for (int i = 0; i < s->nregs; i++)
		reply_hex(s, (char *)&regs + s->regs[i].offset,
			  s->regs[i].bits / 8);
	return 0;
}

static int cmd_p(struct gdbs_server *s, const char *p)
{
	struct gdbs_x86_regs regs;
	uint64_t n;

	if (parse_hex(&p, &n) || *p || n >= (uint64_t)s->nregs) {
		reply_error(s, "no such register");
		return 0;
	}
	if (fetch_regs(s, &regs)) {
		reply_error(s, "cannot read registers");
		return 0;
	}
	reply_hex(s, (char *)&regs + s->regs[n].offset, s->regs[n].bits / 8);
	return 0;
}

/* Read memory into scratch; returns the byte count or -1. */
static long read_mem(struct gdbs_server *s, const char *p, size_t max)
{
	uint64_t addr, len;
	long n;

	if (parse_addr_len(p, &addr, &len, 0))
		return -1;
	if (len > max)
		len = max;
	if (!len)
		return 0;
	select_g(s);
	n = s->be->read_mem(s->ctx, addr, s->scratch, len);
	if (n <= 0)
		return -1;
	return (uint64_t)n > len ? (long)len : n;
}

static int cmd_m(struct gdbs_server *s, const char *p)
{
	long n = read_mem(s, p, s->conn.max_packet / 2);

	if (n < 0)
		reply_error(s, "cannot read memory");
	else
		reply_hex(s, s->scratch, n);
	return 0;
}

/* Binary read: "b" then the bytes, escaped on the wire. */
static int cmd_x(struct gdbs_server *s, const char *p)
{
	long n = read_mem(s, p, s->conn.max_packet - 1);

	if (n < 0) {
		reply_error(s, "cannot read memory");
		return 0;
	}
	reply_str(s, "b");
	reply_add(s, s->scratch, n);
	return 0;
}

/* ---- thread selection --------------------------------------------------- */

static int cmd_H(struct gdbs_server *s, const char *p)
{
	char op = *p++;
	struct gdbs_tid t;

	if ((op != 'g' && op != 'c') || parse_tid(&p, &t) || *p) {
		reply_error(s, "bad thread");
		return 0;
	}
	if (t.tid > 0 && !thread_exists(s, t)) {
		reply_error(s, "no such thread");
		return 0;
	}
	if (op == 'g')
		s->g_thread = t;
	else
		s->c_thread = t;
	reply_str(s, "OK");
	return 0;
}

static int cmd_T(struct gdbs_server *s, const char *p)
{
	struct gdbs_tid t;

	if (parse_tid(&p, &t) || *p || t.tid <= 0 || !thread_exists(s, t))
		reply_error(s, "no such thread");
	else
		reply_str(s, "OK");
	return 0;
}

static void put_thread_list(struct gdbs_server *s)
{
	size_t budget = s->conn.max_packet - 32;

	if (s->next_thread >= s->nthreads) {
		reply_str(s, "l");
		return;
	}
	reply_str(s, "m");
	for (int first = 1; s->next_thread < s->nthreads; first = 0) {
		if (s->out_len > budget)
			break;
		if (!first)
			reply_str(s, ",");
		put_tid(s, s->threads[s->next_thread++].id);
	}
}

static int cmd_thread_info(struct gdbs_server *s, bool first)
{
	if (first) {
		if (load_threads(s)) {
			reply_error(s, "cannot list threads");
			return 0;
		}
		s->next_thread = 0;
	}
	put_thread_list(s);
	return 0;
}

static int cmd_qC(struct gdbs_server *s)
{
	struct gdbs_tid t;

	if (current(s, &t)) {
		reply_error(s, "no current thread");
		return 0;
	}
	reply_str(s, "QC");
	put_tid(s, t);
	return 0;
}

/* ---- execution ---------------------------------------------------------- */

static int do_resume(struct gdbs_server *s, struct gdbs_resume *how)
{
	struct gdbs_stop st;
	int r;

	if (resolve(s, how->thread, &how->thread)) {
		reply_error(s, "no current thread");
		return 0;
	}
	memset(&st, 0, sizeof(st));
	s->can_print = true;
	r = s->be->resume(s->ctx, s, how, &st);
	s->can_print = false;
	if (r) {
		reply_error(s, "cannot resume");
		return 0;
	}
	s->cur = s->g_thread = st.thread;
	s->have_cur = true;
	put_stop(s, &st);
	return 0;
}

/* c, s, C sig, S sig, with an optional ";addr" or "addr". */
static int cmd_legacy_resume(struct gdbs_server *s, const char *p)
{
	struct gdbs_resume how = { .thread = s->c_thread };
	char op = *p++;
	uint64_t sig = 0;

	how.kind = (op == 's' || op == 'S') ? GDBS_STEP : GDBS_CONTINUE;
	how.others = how.kind == GDBS_CONTINUE && s->c_thread.tid <= 0;
	if ((op == 'C' || op == 'S') && (parse_hex(&p, &sig) || sig > 255)) {
		reply_error(s, "bad signal");
		return 0;
	}
	if (*p) {
		/* Resuming elsewhere would rewrite the program counter. */
		reply_error(s, "the recording cannot be changed");
		return 0;
	}
	how.signo = gdbs_signal_from_gdb(sig);
	return do_resume(s, &how);
}

static int cmd_reverse(struct gdbs_server *s, const char *p)
{
	struct gdbs_resume how = { .thread = s->c_thread, .reverse = true };

	if (p[1] != 'c' && p[1] != 's')
		return 0;
	if (p[2]) {
		reply_error(s, "bad reverse request");
		return 0;
	}
	how.kind = p[1] == 's' ? GDBS_STEP : GDBS_CONTINUE;
	how.others = how.kind == GDBS_CONTINUE && s->c_thread.tid <= 0;
	return do_resume(s, &how);
}

/* One vCont action "c", "s", "Cxx", "Sxx" with an optional ":thread". */
static int parse_action(const char **pp, char *op, int *sig, struct gdbs_tid *t)
{
	const char *p = *pp;
	uint64_t v = 0;

	*op = *p++;
	if (*op == 'C' || *op == 'S') {
		if (parse_hex(&p, &v) || v > 255)
			return -1;
	} else if (*op != 'c' && *op != 's') {
		return -1;
	}
	*sig = gdbs_signal_from_gdb(v);
	t->pid = t->tid = -1;
	if (*p == ':') {
		p++;
		if (parse_tid(&p, t))
			return -1;
	}
	if (*p && *p != ';')
		return -1;
	*pp = p;
	return 0;
}

/*
 * The first action naming a thread (or the default action) decides
 * what runs; a default continue lets the other threads run too.
 */
static int parse_vcont(const char *p, struct gdbs_resume *how)
{
	bool have = false;

	memset(how, 0, sizeof(*how));
	while (*p == ';') {
		struct gdbs_tid t;
		char op;
		int sig;

		p++;
		if (parse_action(&p, &op, &sig, &t))
			return -1;
		if (t.tid < 0 && (op == 'c' || op == 'C'))
			how->others = true;
		if (have)
			continue;
		have = true;
		how->kind =
			(op == 's' || op == 'S') ? GDBS_STEP : GDBS_CONTINUE;
		how->thread = t;
		how->signo = sig;
	}
	return have && !*p ? 0 : -1;
}

static int cmd_vcont(struct gdbs_server *s, const char *p)
{
	struct gdbs_resume how;

	if (parse_vcont(p, &how)) {
		reply_error(s, "bad vCont");
		return 0;
	}
	return do_resume(s, &how);
}

/* ---- break- and watchpoints --------------------------------------------- */

static int cmd_point(struct gdbs_server *s, const char *p)
{
	bool insert = *p++ == 'Z';
	uint64_t type, addr, len;
	int r;

	if (parse_hex(&p, &type) || *p++ != ',' || parse_hex(&p, &addr) ||
	    *p++ != ',' || parse_hex(&p, &len) || (*p && *p != ';')) {
		reply_error(s, "bad breakpoint request");
		return 0;
	}
	if (type > GDBS_WATCH_ACCESS || !s->be->set_point)
		return 0;
	select_g(s);
	r = s->be->set_point(s->ctx, type, insert, addr, len);
	if (r == -EOPNOTSUPP)
		return 0;
	if (r)
		reply_error(s, "cannot set breakpoint");
	else
		reply_str(s, "OK");
	return 0;
}

/* ---- qXfer -------------------------------------------------------------- */

static const char *const object_names[GDBS_OBJ_COUNT] = {
	[GDBS_OBJ_AUXV] = "auxv",
	[GDBS_OBJ_EXEC_FILE] = "exec-file",
	[GDBS_OBJ_LIBRARIES_SVR4] = "libraries-svr4",
	[GDBS_OBJ_SIGINFO] = "siginfo",
};

long gdbs_xfer_slice(const void *blob, size_t size, uint64_t off, void *buf,
		     size_t len)
{
	if (off >= size)
		return 0;
	if (len > size - off)
		len = size - off;
	memcpy(buf, (const char *)blob + off, len);
	return len;
}

/* 'm' when more may follow, 'l' for the last piece. */
static void put_xfer(struct gdbs_server *s, const void *data, size_t n,
		     bool last)
{
	reply_str(s, last ? "l" : "m");
	reply_add(s, data, n);
}

static void put_xml_text(FILE *f, const char *t)
{
	for (; *t; t++) {
		if (*t == '<')
			fputs("&lt;", f);
		else if (*t == '>')
			fputs("&gt;", f);
		else if (*t == '&')
			fputs("&amp;", f);
		else if (*t == '"')
			fputs("&quot;", f);
		else if ((unsigned char)*t >= 0x20)
			fputc(*t, f);
	}
}

static int build_threads_xml(struct gdbs_server *s)
{
	char *xml = NULL, id[32];
	size_t size = 0;
	FILE *f;
	int bad;

	if (load_threads(s))
		return -1;
	f = open_memstream(&xml, &size);
	if (!f)
		return -1;
	fputs("<?xml version=\"1.0\"?>\n<threads>\n", f);
	for (int i = 0; i < s->nthreads; i++) {
		const struct gdbs_thread *t = &s->threads[i];

		if (s->multiprocess)
			snprintf(id, sizeof(id), "p%x.%x", t->id.pid,
				 t->id.tid);
		else
			snprintf(id, sizeof(id), "%x", t->id.tid);
		fprintf(f, "<thread id=\"%s\" name=\"", id);
		put_xml_text(f, t->name);
		fputs("\"/>\n", f);
	}
	fputs("</threads>\n", f);
	bad = ferror(f);
	if (fclose(f) || bad) {
		free(xml);
		return -1;
	}
	free(s->threads_xml);
	s->threads_xml = xml;
	s->threads_xml_len = size;
	return 0;
}

static void xfer_blob(struct gdbs_server *s, const char *blob, size_t size,
		      uint64_t off, size_t len)
{
	long n = gdbs_xfer_slice(blob, size, off, s->scratch, len);

	put_xfer(s, s->scratch, n, off + n >= size);
}

static void xfer_backend(struct gdbs_server *s, enum gdbs_object obj,
			 const char *annex, uint64_t off, size_t len)
{
	long n;

	if (!s->be->read_object || !s->be->objects[obj])
		return;
	select_g(s);
	n = s->be->read_object(s->ctx, obj, annex, off, s->scratch, len);
	if (n < 0) {
		reply_error(s, "cannot read object");
		return;
	}
	if ((size_t)n > len)
		n = len;
	put_xfer(s, s->scratch, n, (size_t)n < len || !len);
}

/* "qXfer:object:read:annex:off,len"; p points after "qXfer:". */
static int cmd_xfer(struct gdbs_server *s, char *p)
{
	char *object = p, *op, *annex, *range;
	uint64_t off, len;

	op = strchr(object, ':');
	if (!op)
		return 0;
	*op++ = 0;
	annex = strchr(op, ':');
	range = strrchr(op, ':');
	if (!annex || annex == range)
		goto bad;
	*annex++ = 0;
	*range++ = 0;
	if (strcmp(op, "read")) {
		reply_error(s, "the recording cannot be changed");
		return 0;
	}
	if (parse_addr_len(range, &off, &len, 0))
		goto bad;
	if (len > s->conn.max_packet - 1)
		len = s->conn.max_packet - 1;
	if (!strcmp(object, "features")) {
		if (strcmp(annex, "target.xml"))
			reply_error(s, "no such description");
		else
			xfer_blob(s, s->tdesc, s->tdesc_len, off, len);
		return 0;
	}
	if (!strcmp(object, "threads")) {
		if (off == 0 && build_threads_xml(s))
			reply_error(s, "cannot list threads");
		else if (s->threads_xml)
			xfer_blob(s, s->threads_xml, s->threads_xml_len, off,
				  len);
		else
			put_xfer(s, "", 0, true);
		return 0;
	}
	for (int i = 0; i < GDBS_OBJ_COUNT; i++)
		if (!strcmp(object, object_names[i]))
			xfer_backend(s, i, annex, off, len);
	return 0;
bad:
	reply_error(s, "bad qXfer request");
	return 0;
}

/* ---- queries ----------------------------------------------------------- */

static void note_gdb_features(struct gdbs_server *s, const char *p)
{
	while (*p) {
		const char *end = strchr(p, ';');
		size_t n = end ? (size_t)(end - p) : strlen(p);

		if (n == 13 && !strncmp(p, "multiprocess+", n))
			s->multiprocess = true;
		else if (n == 8 && !strncmp(p, "swbreak+", n))
			s->swbreak = true;
		else if (n == 8 && !strncmp(p, "hwbreak+", n))
			s->hwbreak = true;
		else if (n == 14 && !strncmp(p, "error-message+", n))
			s->error_message = true;
		else if (n == 12 && !strncmp(p, "fork-events+", n))
			s->fork_events = true;
		p += n;
		if (*p)
			p++;
	}
}

static int cmd_supported(struct gdbs_server *s, const char *p)
{
	s->multiprocess = s->swbreak = s->hwbreak = false;
	s->error_message = s->fork_events = false;
	if (*p == ':')
		note_gdb_features(s, p + 1);
	reply_printf(s, "PacketSize=%zx", s->conn.max_packet);
	reply_str(s, ";QStartNoAckMode+;qXfer:features:read+"
		     ";qXfer:threads:read+");
	for (int i = 0; i < GDBS_OBJ_COUNT; i++)
		if (s->be->read_object && s->be->objects[i])
			reply_printf(s, ";qXfer:%s:read+", object_names[i]);
	reply_str(s, ";ReverseContinue+;ReverseStep+;swbreak+;hwbreak+"
		     ";multiprocess+;vContSupported+");
	if (s->error_message)
		reply_str(s, ";error-message+");
	if (s->fork_events && s->multiprocess && s->be->detach_process)
		reply_str(s, ";fork-events+");
	return 0;
}

/* D ends the session; D;pid lets go of one process of several. */
static int cmd_detach(struct gdbs_server *s, const char *p)
{
	char *end;
	long pid;

	if (*p == ';' && s->be->detach_process) {
		pid = strtol(p + 1, &end, 16);
		if (*end || pid <= 0 || pid > INT32_MAX) {
			reply_error(s, "bad process");
			return 0;
		}
		if (s->be->detach_process(s->ctx, (int)pid))
			reply_error(s, "no such process");
		else
			reply_str(s, "OK");
		return 0;
	}
	reply_str(s, "OK");
	reply_send(s);
	return GDBS_END_DETACH;
}

static int cmd_rcmd(struct gdbs_server *s, const char *hex)
{
	size_t n = strlen(hex);
	char *cmd;
	int r;

	if (!s->be->monitor)
		return 0;
	cmd = malloc(n / 2 + 1);
	if (!cmd || rsp_hex_decode(cmd, hex, n) < 0) {
		free(cmd);
		reply_error(s, "bad monitor command");
		return 0;
	}
	cmd[n / 2] = 0;
	s->can_print = true;
	select_g(s);
	r = s->be->monitor(s->ctx, s, cmd);
	s->can_print = false;
	free(cmd);
	if (r)
		reply_error(s, "monitor command failed");
	else
		reply_str(s, "OK");
	return 0;
}

static int cmd_query(struct gdbs_server *s, char *p)
{
	if (has_prefix(p, "qSupported"))
		return cmd_supported(s, p + 10);
	if (has_prefix(p, "qXfer:"))
		return cmd_xfer(s, p + 6);
	if (!strcmp(p, "qfThreadInfo"))
		return cmd_thread_info(s, true);
	if (!strcmp(p, "qsThreadInfo"))
		return cmd_thread_info(s, false);
	if (!strcmp(p, "qC"))
		return cmd_qC(s);
	if (!strcmp(p, "qAttached") || has_prefix(p, "qAttached:")) {
		/* "attached": quitting gdb detaches rather than kills. */
		reply_str(s, "1");
		return 0;
	}
	if (has_prefix(p, "qRcmd,"))
		return cmd_rcmd(s, p + 6);
	return 0;
}

static int cmd_v(struct gdbs_server *s, char *p)
{
	if (!strcmp(p, "vCont?")) {
		reply_str(s, "vCont;c;C;s;S");
		return 0;
	}
	if (has_prefix(p, "vCont;"))
		return cmd_vcont(s, p + 5);
	if (has_prefix(p, "vKill")) {
		reply_str(s, "OK");
		reply_send(s);
		return GDBS_END_KILL;
	}
	return 0; /* vMustReplyEmpty, vFile, vRun, vAttach... */
}

static int cmd_set(struct gdbs_server *s, char *p)
{
	if (!strcmp(p, "QStartNoAckMode")) {
		reply_str(s, "OK");
		/* This reply is still acknowledged; nothing after it. */
		if (reply_send(s))
			return RSP_ERR_IO;
		s->conn.no_ack = true;
		reply_reset(s);
		return SENT;
	}
	return 0;
}

/* ---- dispatch ----------------------------------------------------------- */

/* Returns 0 to send the reply, SENT, or a session end. */
static int dispatch(struct gdbs_server *s, char *p)
{
	switch (p[0]) {
	case '?':
		return cmd_halt_reason(s);
	case 'g':
		return p[1] ? 0 : cmd_g(s);
	case 'p':
		return cmd_p(s, p + 1);
	case 'm':
		return cmd_m(s, p + 1);
	case 'x':
		return cmd_x(s, p + 1);
	case 'G':
	case 'P':
	case 'M':
	case 'X':
		reply_error(s, "the recording cannot be changed");
		return 0;
	case 'H':
		return cmd_H(s, p + 1);
	case 'T':
		return cmd_T(s, p + 1);
	case 'c':
	case 's':
	case 'C':
	case 'S':
		return cmd_legacy_resume(s, p);
	case 'b':
		return cmd_reverse(s, p);
	case 'Z':
	case 'z':
		return cmd_point(s, p);
	case 'D':
		return cmd_detach(s, p + 1);
	case 'k':
		return GDBS_END_KILL; /* gdb expects no reply */
	case 'q':
		return cmd_query(s, p);
	case 'Q':
		return cmd_set(s, p);
	case 'v':
		return cmd_v(s, p);
	}
	return 0;
}

static int handle(struct gdbs_server *s)
{
	int r;

	reply_reset(s);
	r = dispatch(s, s->pkt);
	if (r == SENT)
		return 0;
	if (r)
		return r;
	return reply_send(s);
}

int gdbs_handle(struct gdbs_server *s, const char *pkt, size_t len)
{
	if (len > s->conn.max_packet) {
		reply_error(s, "packet too long");
		return reply_send(s);
	}
	memcpy(s->pkt, pkt, len);
	s->pkt[len] = 0;
	return handle(s);
}

int gdbs_run(struct gdbs_server *s)
{
	for (;;) {
		size_t len;
		int r = rsp_recv(&s->conn, s->pkt, &len);

		if (r == RSP_INTERRUPT)
			continue; /* nothing is running */
		if (r == RSP_EOF)
			return GDBS_END_EOF;
		if (r == RSP_ERR_TOO_LONG || r == RSP_ERR_MALFORMED) {
			reply_error(s, r == RSP_ERR_TOO_LONG
					       ? "packet too long"
					       : "malformed packet");
			r = reply_send(s);
		} else if (r == RSP_PACKET) {
			r = handle(s);
		}
		if (r)
			return r;
	}
}

bool gdbs_interrupted(struct gdbs_server *s)
{
	return rsp_poll_interrupt(&s->conn);
}

/* 'O' packets carry hex text; split to stay under the packet size. */
int gdbs_monitor_printf(struct gdbs_server *s, const char *fmt, ...)
{
	size_t chunk = (s->conn.max_packet - 1) / 2, n;
	char *text, *hex;
	va_list ap;
	int len, r = 0;

	if (!s->can_print)
		return -EINVAL;
	va_start(ap, fmt);
	len = vasprintf(&text, fmt, ap);
	va_end(ap);
	if (len < 0)
		return -ENOMEM;
	hex = malloc(2 * chunk + 1);
	for (size_t off = 0; hex && !r && off < (size_t)len; off += n) {
		n = len - off < chunk ? len - off : chunk;
		hex[0] = 'O';
		rsp_hex_encode(hex + 1, text + off, n);
		r = rsp_send(&s->conn, hex, 2 * n + 1);
	}
	if (!hex)
		r = -ENOMEM;
	free(hex);
	free(text);
	return r;
}

static bool backend_ok(const struct gdbs_backend *be)
{
	return be->get_regs && be->read_mem && be->list_threads &&
	       be->stop_state && be->resume;
}

struct gdbs_server *gdbs_new(const struct gdbs_backend *be, void *ctx,
			     int in_fd, int out_fd, size_t max_packet)
{
	struct gdbs_server *s;

	if (!backend_ok(be))
		return NULL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->be = be;
	s->ctx = ctx;
	if (rsp_init(&s->conn, in_fd, out_fd,
		     max_packet ? max_packet : RSP_DEFAULT_PACKET)) {
		free(s);
		return NULL;
	}
	s->pkt = malloc(s->conn.max_packet + 1);
	s->scratch = malloc(s->conn.max_packet);
	s->nregs = gdbs_reg_table(s->regs, be->avx512);
	s->tdesc = gdbs_tdesc_xml(s->regs, s->nregs, &s->tdesc_len);
	if (!s->pkt || !s->scratch || !s->tdesc) {
		gdbs_free(s);
		return NULL;
	}
	return s;
}

void gdbs_free(struct gdbs_server *s)
{
	if (!s)
		return;
	rsp_free(&s->conn);
	free(s->pkt);
	free(s->scratch);
	free(s->out);
	free(s->tdesc);
	free(s->threads_xml);
	free(s->threads);
	free(s);
}
