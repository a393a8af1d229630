// SPDX-License-Identifier: GPL-2.0
/*
 * A recording as a gdb remote target (see gdb_replay.h): the backend of
 * tools/gdbserver on top of the replay timeline (session/timeline.h).
 * The replay runs under the usual supervisor in the main thread; the
 * gdb session is served from a second thread.
 */
#include <cpuid.h>
#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cmd.h"
#include "gdb_replay.h"
#include "engine/boot.h"
#include "inject/launch.h"
#include "session/replay_session.h"
#include "session/timeline.h"
#include "gdbserver/server.h"

#define AT_PHDR 3
#define AT_PHNUM 5
#define AT_EXECFN 31
#define XSTATE_MAX 8192

#define MAX_PROCS 64

struct gdb_replay {
	struct tl_set *set;
	struct timeline *procs[MAX_PROCS]; /* each debugged process */
	int nprocs;
	struct timeline *tl; /* the one gdb looks at */
	struct gdbs_server *srv;
	int in_fd, out_fd;
	int status; /* TTDCTL_* */
	char *svr4; /* the library list, generated at each request */
	size_t svr4_len;
	uint32_t xoff[8]; /* xsave component offsets */
};

/* ---- processes ---- */

static struct timeline *proc_of(struct gdb_replay *g, int pid)
{
	if (pid <= 0)
		return g->tl;
	for (int i = 0; i < g->nprocs; i++)
		if (timeline_pid(g->procs[i]) == pid)
			return g->procs[i];
	return NULL;
}

/* Processes that came under the debugger since we last looked; wait
 * for those a run just forked, so that gdb learns of them at once. */
static void take_new(struct gdb_replay *g, int wait_ms)
{
	struct timeline *t;

	while (g->nprocs < MAX_PROCS &&
	       (t = tl_set_next(g->set, tl_set_pending(g->set) ? wait_ms : 0)))
		g->procs[g->nprocs++] = t;
}

static int be_detach_process(void *ctx, int pid)
{
	struct gdb_replay *g = ctx;
	struct timeline *t = proc_of(g, pid);
	int i;

	if (!t)
		return -ESRCH;
	for (i = 0; g->procs[i] != t; i++)
		;
	g->procs[i] = g->procs[--g->nprocs];
	timeline_free(t);
	if (g->tl == t)
		g->tl = g->nprocs ? g->procs[0] : NULL;
	return 0;
}

static int be_select(void *ctx, struct gdbs_tid th)
{
	struct gdb_replay *g = ctx;
	struct timeline *t = proc_of(g, th.pid);

	if (!t)
		return -ESRCH;
	g->tl = t;
	return 0;
}

/* ---- registers ---- */

static void xsave_offsets(struct gdb_replay *g)
{
	unsigned int a, b, c, d;

	for (int i = 2; i < 8; i++)
		if (__get_cpuid_count(0xd, i, &a, &b, &c, &d) && a)
			g->xoff[i] = b;
}

static int has_avx512(void)
{
	unsigned int a, b, c, d;

	return __get_cpuid_count(7, 0, &a, &b, &c, &d) && (b & (1u << 16));
}

/* The full x87 tag of physical register i, from fxsave's abridged bit
 * and the value. */
static uint32_t x87_tag(const uint8_t *st, int valid)
{
	uint16_t exp = (uint16_t)((st[9] << 8 | st[8]) & 0x7fff);
	uint64_t mant;

	if (!valid)
		return 3;
	memcpy(&mant, st, 8);
	if (exp == 0x7fff)
		return 2;
	if (exp == 0)
		return mant ? 2 : 1;
	return (mant >> 63) ? 0 : 2;
}

static void fill_x87(struct gdbs_x86_regs *r, const uint8_t *x)
{
	uint16_t fsw = (uint16_t)(x[2] | x[3] << 8);
	int top = (fsw >> 11) & 7;

	r->fctrl = (uint32_t)(x[0] | x[1] << 8);
	r->fstat = fsw;
	r->fop = (uint32_t)((x[6] | x[7] << 8) & 0x7ff);
	memcpy(&r->fioff, x + 8, 4);
	memcpy(&r->fooff, x + 16, 4);
	memcpy(&r->mxcsr, x + 24, 4);
	r->ftag = 0;
	for (int i = 0; i < 8; i++) {
		memcpy(r->st[i], x + 32 + 16 * i, 10);
		/* st(i) lives in physical register (top + i) % 8 */
		int phys = (top + i) & 7;
		r->ftag |= x87_tag(x + 32 + 16 * i, (x[4] >> phys) & 1)
			   << (2 * phys);
	}
}

static void fill_vector(struct gdb_replay *g, struct gdbs_x86_regs *r,
			const uint8_t *x, uint32_t len)
{
	for (int i = 0; i < 16; i++)
		memcpy(r->xmm[i], x + 160 + 16 * i, 16);
	if (g->xoff[2] && g->xoff[2] + 256 <= len)
		memcpy(r->ymmh, x + g->xoff[2], 256);
	if (g->xoff[5] && g->xoff[5] + 64 <= len)
		memcpy(r->k, x + g->xoff[5], 64);
	if (g->xoff[6] && g->xoff[6] + 512 <= len)
		memcpy(r->zmmh, x + g->xoff[6], 512);
	if (g->xoff[7] && g->xoff[7] + 1024 <= len)
		for (int i = 0; i < 16; i++) {
			const uint8_t *z = x + g->xoff[7] + 64 * i;
			memcpy(r->xmm[16 + i], z, 16);
			memcpy(r->ymmh[16 + i], z + 16, 16);
			memcpy(r->zmmh[16 + i], z + 32, 32);
		}
}

static int be_get_regs(void *ctx, struct gdbs_tid th, struct gdbs_x86_regs *r)
{
	static uint8_t buf[sizeof(struct agent_regs) + XSTATE_MAX];
	struct gdb_replay *g = ctx;
	struct agent_regs *a = (struct agent_regs *)buf;
	const uint64_t *q = a->gpr;

	struct timeline *t = proc_of(g, th.pid);

	if (!t || timeline_regs(t, th.tid > 0 ? th.tid : 0, a, sizeof(buf)))
		return -ESRCH;
	memset(r, 0, sizeof(*r));
	r->rax = q[0], r->rbx = q[1], r->rcx = q[2], r->rdx = q[3];
	r->rsi = q[4], r->rdi = q[5], r->rbp = q[6], r->rsp = q[7];
	r->r8 = q[8], r->r9 = q[9], r->r10 = q[10], r->r11 = q[11];
	r->r12 = q[12], r->r13 = q[13], r->r14 = q[14], r->r15 = q[15];
	r->eflags = (uint32_t)q[16];
	r->rip = q[17];
	r->fs_base = q[18];
	r->gs_base = q[21];
	r->cs = 0x33;
	r->ss = 0x2b;
	r->orig_rax = a->orig_rax;
	if (a->xsave_len >= 512 && a->xsave_len <= XSTATE_MAX) {
		fill_x87(r, a->xsave);
		fill_vector(g, r, a->xsave, a->xsave_len);
	}
	return 0;
}

/* ---- memory, threads, stops ---- */

static long be_read_mem(void *ctx, uint64_t addr, void *buf, size_t len)
{
	struct gdb_replay *g = ctx;

	if (!g->tl)
		return -ESRCH;
	return timeline_mem(g->tl, addr, buf, len);
}

static int be_list_threads(void *ctx, struct gdbs_thread *out, int max)
{
	static struct agent_thread th[AGENT_MAX_THREADS];
	struct gdb_replay *g = ctx;
	int k = 0;

	take_new(g, 0);
	for (int p = 0; p < g->nprocs; p++) {
		int n = timeline_threads(g->procs[p], th, AGENT_MAX_THREADS);
		for (int i = 0; i < n; i++) {
			if (th[i].exited)
				continue;
			if (k < max) {
				out[k].id.pid = timeline_pid(g->procs[p]);
				out[k].id.tid = th[i].tid;
				out[k].name[0] = 0;
			}
			k++;
		}
	}
	return k;
}

static void to_gdbs_stop(struct gdb_replay *g, struct gdbs_stop *st)
{
	const struct tl_stop *w = timeline_where(g->tl);
	const struct agent_points *pts = timeline_points(g->tl);

	memset(st, 0, sizeof(*st));
	st->thread.pid = timeline_pid(g->tl);
	st->thread.tid = w->tid;
	st->signo = SIGTRAP;
	st->addr = w->addr;
	switch (w->kind) {
	case TL_STOP_BREAK:
		st->kind = GDBS_STOP_SWBREAK;
		return;
	case TL_STOP_WATCH:
		st->kind = GDBS_STOP_WATCH;
		for (uint32_t i = 0; i < pts->nwatch; i++)
			if (pts->watch[i].addr == w->addr &&
			    pts->watch[i].type != AGENT_WATCH_WRITE)
				st->kind =
					pts->watch[i].type == AGENT_WATCH_READ
						? GDBS_STOP_RWATCH
						: GDBS_STOP_AWATCH;
		return;
	case TL_STOP_SIGNAL:
		st->kind = GDBS_STOP_SIGNAL;
		st->signo = w->sig;
		return;
	case TL_STOP_INTERRUPT:
		st->kind = GDBS_STOP_SIGNAL;
		st->signo = SIGINT;
		return;
	case TL_STOP_BEGIN:
		st->kind = GDBS_STOP_HISTORY_BEGIN;
		return;
	case TL_STOP_END:
		st->kind = GDBS_STOP_HISTORY_END;
		return;
	case TL_STOP_FORK:
		st->kind = GDBS_STOP_FORK;
		st->child.pid = st->child.tid = (int)w->addr;
		return;
	default:
		st->kind = GDBS_STOP_SIGNAL;
	}
}

static int be_stop_state(void *ctx, struct gdbs_stop *st)
{
	struct gdb_replay *g = ctx;

	if (!g->tl)
		return -ESRCH;
	to_gdbs_stop(g, st);
	return 0;
}

static int interrupted(void *arg)
{
	struct gdb_replay *g = arg;

	return g->srv && gdbs_interrupted(g->srv);
}

static int be_resume(void *ctx, struct gdbs_server *srv,
		     const struct gdbs_resume *how, struct gdbs_stop *st)
{
	struct gdb_replay *g = ctx;
	int err;

	g->srv = srv;
	if (be_select(g, how->thread))
		return -ESRCH;
	if (how->kind == GDBS_STEP)
		err = timeline_step(g->tl,
				    how->thread.tid > 0 ? how->thread.tid : 0,
				    how->reverse);
	else
		err = timeline_continue(g->tl, how->reverse);
	take_new(g, 10000);
	if (err)
		return -EIO;
	to_gdbs_stop(g, st);
	return 0;
}

/* ---- break- and watchpoints ---- */

static int find_break(struct agent_points *p, uint64_t addr)
{
	for (uint32_t i = 0; i < p->nbreaks; i++)
		if (p->breaks[i] == addr)
			return (int)i;
	return -1;
}

static int set_break(struct agent_points *p, bool insert, uint64_t addr)
{
	int i = find_break(p, addr);

	if (insert && i < 0) {
		if (p->nbreaks == AGENT_MAX_BREAKS)
			return -ENOSPC;
		p->breaks[p->nbreaks++] = addr;
	} else if (!insert && i >= 0) {
		p->breaks[i] = p->breaks[--p->nbreaks];
	}
	return 0;
}

static int set_watch(struct agent_points *p, uint32_t type, bool insert,
		     uint64_t addr, uint64_t len)
{
	uint32_t i;

	for (i = 0; i < p->nwatch; i++)
		if (p->watch[i].addr == addr && p->watch[i].type == type &&
		    p->watch[i].len == len)
			break;
	if (!insert) {
		if (i < p->nwatch)
			p->watch[i] = p->watch[--p->nwatch];
		return 0;
	}
	/* What the processor's debug registers can watch. */
	if ((len != 1 && len != 2 && len != 4 && len != 8) ||
	    (addr & (len - 1)))
		return -EOPNOTSUPP;
	if (i < p->nwatch)
		return 0;
	if (p->nwatch == AGENT_MAX_WATCH)
		return -ENOSPC;
	p->watch[p->nwatch].addr = addr;
	p->watch[p->nwatch].len = (uint32_t)len;
	p->watch[p->nwatch++].type = type;
	return 0;
}

static int be_set_point(void *ctx, enum gdbs_point type, bool insert,
			uint64_t addr, uint64_t len)
{
	static const uint32_t watch_type[] = {
		[GDBS_WATCH_WRITE] = AGENT_WATCH_WRITE,
		[GDBS_WATCH_READ] = AGENT_WATCH_READ,
		[GDBS_WATCH_ACCESS] = AGENT_WATCH_ACCESS,
	};
	struct gdb_replay *g = ctx;
	struct agent_points p;
	int err;

	if (!g->tl)
		return -ESRCH;
	p = *timeline_points(g->tl);
	if (type == GDBS_SWBREAK || type == GDBS_HWBREAK)
		err = set_break(&p, insert, addr);
	else
		err = set_watch(&p, watch_type[type], insert, addr, len);
	if (err)
		return err;
	err = timeline_set_points(g->tl, &p);
	if (err)
		return err == -ENOSPC || err == -EINVAL ? -ENOSPC : err;
	return 0;
}

/* ---- objects ---- */

static uint64_t auxv_get(struct gdb_replay *g, uint64_t type)
{
	uint64_t v[128];
	long n = timeline_auxv(g->tl, v, sizeof(v));

	for (long i = 0; i + 1 < n / 8; i += 2)
		if (v[i] == type)
			return v[i + 1];
	return 0;
}

static int read_string(struct gdb_replay *g, uint64_t addr, char *out,
		       size_t size)
{
	long n = addr ? timeline_mem(g->tl, addr, out, size - 1) : -1;

	if (n <= 0)
		return -1;
	out[n] = 0;
	return 0;
}

static long exec_file(struct gdb_replay *g, char *out, size_t size)
{
	char path[PATH_MAX], abs[PATH_MAX];

	/* The file mapped, or else the name it was run by. */
	if (timeline_exe(g->tl, path, sizeof(path)) &&
	    read_string(g, auxv_get(g, AT_EXECFN), path, sizeof(path)))
		return -ENOENT;
	if (path[0] != '/' && realpath(path, abs))
		snprintf(path, sizeof(path), "%s", abs);
	snprintf(out, size, "%s", path);
	return (long)strlen(out);
}

static uint64_t mem64(struct gdb_replay *g, uint64_t addr)
{
	uint64_t v = 0;

	if (timeline_mem(g->tl, addr, &v, 8) != 8)
		return 0;
	return v;
}

/* r_debug of the dynamic linker, from the program's DT_DEBUG. */
static uint64_t find_r_debug(struct gdb_replay *g)
{
	uint64_t phdr = auxv_get(g, AT_PHDR), n = auxv_get(g, AT_PHNUM);
	uint64_t bias = 0, dyn = 0;

	for (uint64_t i = 0; i < n && i < 64; i++) {
		uint32_t type = (uint32_t)mem64(g, phdr + 56 * i);
		uint64_t vaddr = mem64(g, phdr + 56 * i + 16);
		if (type == 6 /* PT_PHDR */)
			bias = phdr - vaddr;
		if (type == 2 /* PT_DYNAMIC */)
			dyn = vaddr;
	}
	if (!dyn)
		return 0;
	for (uint64_t d = dyn + bias; d < dyn + bias + 16 * 512; d += 16) {
		uint64_t tag = mem64(g, d);
		if (!tag)
			break;
		if (tag == 21 /* DT_DEBUG */)
			return mem64(g, d + 8);
	}
	return 0;
}

static void xml_escaped(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '<' || *s == '>' || *s == '&' || *s == '"' ||
		    *s == '\'')
			fprintf(f, "&#%d;", *s);
		else
			fputc(*s, f);
	}
}

static void make_svr4(struct gdb_replay *g)
{
	uint64_t rd = find_r_debug(g), lm = rd ? mem64(g, rd + 8) : 0;
	FILE *f;

	free(g->svr4);
	g->svr4 = NULL;
	f = open_memstream(&g->svr4, &g->svr4_len);
	if (!f)
		return;
	fprintf(f, "<library-list-svr4 version=\"1.0\"");
	if (lm)
		fprintf(f, " main-lm=\"0x%llx\"", (unsigned long long)lm);
	fprintf(f, ">\n");
	/* The first entry is the program itself: the libraries follow. */
	lm = lm ? mem64(g, lm + 24) : 0;
	for (int n = 0; lm && n < 4096; n++, lm = mem64(g, lm + 24)) {
		char name[PATH_MAX];
		if (read_string(g, mem64(g, lm + 8), name, sizeof(name)) ||
		    !name[0])
			continue;
		fprintf(f, "  <library name=\"");
		xml_escaped(f, name);
		fprintf(f,
			"\" lm=\"0x%llx\" l_addr=\"0x%llx\" l_ld=\"0x%llx\" "
			"lmid=\"0x0\"/>\n",
			(unsigned long long)lm,
			(unsigned long long)mem64(g, lm),
			(unsigned long long)mem64(g, lm + 16));
	}
	fprintf(f, "</library-list-svr4>\n");
	fclose(f);
}

static long be_read_object(void *ctx, enum gdbs_object obj, const char *annex,
			   uint64_t off, void *buf, size_t len)
{
	struct gdb_replay *g = ctx;
	const struct tl_stop *w;
	uint8_t tmp[PATH_MAX];
	long n;

	if (!g->tl)
		return -ESRCH;
	switch (obj) {
	case GDBS_OBJ_AUXV:
		n = timeline_auxv(g->tl, tmp, sizeof(tmp));
		return n < 0 ? n : gdbs_xfer_slice(tmp, n, off, buf, len);
	case GDBS_OBJ_EXEC_FILE:
		/* The annex names the process (hex), or is empty. */
		if (annex && *annex &&
		    be_select(g, (struct gdbs_tid){
					 (int)strtol(annex, NULL, 16), 0 }))
			return -ESRCH;
		n = exec_file(g, (char *)tmp, sizeof(tmp));
		return n < 0 ? n : gdbs_xfer_slice(tmp, n, off, buf, len);
	case GDBS_OBJ_LIBRARIES_SVR4:
		if (off == 0)
			make_svr4(g);
		if (!g->svr4)
			return -ENOMEM;
		return gdbs_xfer_slice(g->svr4, g->svr4_len, off, buf, len);
	case GDBS_OBJ_SIGINFO:
		w = timeline_where(g->tl);
		memset(tmp, 0, 128);
		if (w->kind == TL_STOP_SIGNAL)
			memcpy(tmp, w->siginfo, 128);
		else
			tmp[0] = SIGTRAP;
		return gdbs_xfer_slice(tmp, 128, off, buf, len);
	default:
		return -EOPNOTSUPP;
	}
}

/* ---- monitor ---- */

static const char monitor_help[] =
	"ttd monitor commands:\n"
	"  when            the current instruction count\n"
	"  goto N          go to instruction count N\n"
	"  checkpoint      remember this position; prints its number\n"
	"  restart K       go back to checkpoint K\n"
	"  info            what is replayed, and the checkpoints held\n"
	"After goto and restart, `maintenance flush register-cache` makes gdb\n"
	"read the new state (ttdctl debug defines `ttd-goto` and\n"
	"`ttd-restart`, which do both).\n";

static int be_monitor(void *ctx, struct gdbs_server *srv, const char *cmd)
{
	struct gdb_replay *g = ctx;
	const struct tl_stop *w;
	unsigned long long n;
	uint64_t kb;
	int k;

	g->srv = srv;
	if (!g->tl)
		return -ESRCH;
	w = timeline_where(g->tl);
	if (!strcmp(cmd, "when"))
		return gdbs_monitor_printf(srv, "Current instruction: %llu\n",
					   (unsigned long long)w->count);
	if (sscanf(cmd, "goto %llu", &n) == 1) {
		if (timeline_goto(g->tl, n))
			return gdbs_monitor_printf(srv, "cannot go there\n"),
			       -EIO;
		return gdbs_monitor_printf(srv, "At instruction %llu%s\n",
					   (unsigned long long)w->count,
					   w->kind == TL_STOP_END
						   ? " (the end of the history)"
						   : "");
	}
	if (!strcmp(cmd, "checkpoint")) {
		k = timeline_mark(g->tl);
		if (k < 0)
			return -EIO;
		return gdbs_monitor_printf(
			srv, "Checkpoint %d at instruction %llu\n", k,
			(unsigned long long)w->count);
	}
	if (sscanf(cmd, "restart %d", &k) == 1) {
		if (timeline_restart(g->tl, k))
			return gdbs_monitor_printf(srv, "no checkpoint %d\n",
						   k),
			       -ENOENT;
		return gdbs_monitor_printf(srv, "At instruction %llu\n",
					   (unsigned long long)w->count);
	}
	if (!strcmp(cmd, "info")) {
		k = timeline_checkpoints(g->tl, &kb);
		return gdbs_monitor_printf(
			srv,
			"Recorded process %d, at instruction %llu\n"
			"%d checkpoints, %llu kB of memory\n",
			timeline_pid(g->tl), (unsigned long long)w->count, k,
			(unsigned long long)kb);
	}
	if (!strcmp(cmd, "help") || !cmd[0])
		return gdbs_monitor_printf(srv, "%s", monitor_help);
	gdbs_monitor_printf(srv, "unknown command: %s\n", cmd);
	return -EINVAL;
}

/* ---- the session ---- */

static int listen_on(const char *spec)
{
	char host[256] = "127.0.0.1";
	const char *port = strrchr(spec, ':');
	struct addrinfo hints = { .ai_family = AF_UNSPEC,
				  .ai_socktype = SOCK_STREAM,
				  .ai_flags = AI_PASSIVE },
			*ai;
	int fd, one = 1, conn;

	if (port) {
		snprintf(host, sizeof(host), "%.*s", (int)(port - spec), spec);
		port++;
	} else {
		port = spec;
	}
	if (getaddrinfo(host, port, &hints, &ai)) {
		ttdctl_err("replay", "cannot listen on %s", spec);
		return -1;
	}
	fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (fd < 0 || bind(fd, ai->ai_addr, ai->ai_addrlen) || listen(fd, 1)) {
		ttdctl_err("replay", "cannot listen on %s: %s", spec,
			   strerror(errno));
		freeaddrinfo(ai);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	freeaddrinfo(ai);
	fprintf(stderr,
		"ttd: waiting for gdb on %s port %s (target remote %s:%s)\n",
		host, port, host, port);
	conn = accept4(fd, NULL, NULL, SOCK_CLOEXEC);
	close(fd);
	return conn;
}

static void *serve_gdb(void *arg)
{
	struct gdb_replay *g = arg;
	struct gdbs_backend be = {
		.get_regs = be_get_regs,
		.read_mem = be_read_mem,
		.list_threads = be_list_threads,
		.stop_state = be_stop_state,
		.resume = be_resume,
		.set_point = be_set_point,
		.read_object = be_read_object,
		.monitor = be_monitor,
		.select_thread = be_select,
		.detach_process = be_detach_process,
		.avx512 = has_avx512() && g->xoff[7],
	};
	struct gdbs_server *srv;
	int end;

	for (int i = 0; i < GDBS_OBJ_COUNT; i++)
		be.objects[i] = true;
	g->tl = tl_set_next(g->set, 60000);
	if (!g->tl) {
		fprintf(stderr, "ttdctl: replay: the replay did not start\n");
		g->status = TTDCTL_ERR;
		return NULL;
	}
	g->procs[g->nprocs++] = g->tl;
	srv = gdbs_new(&be, g, g->in_fd, g->out_fd, 0);
	if (!srv) {
		g->status = TTDCTL_ERR;
		return NULL;
	}
	g->srv = srv;
	tl_set_interrupt(g->set, interrupted, g);
	end = gdbs_run(srv);
	if (end < 0)
		g->status = TTDCTL_ERR;
	tl_set_interrupt(g->set, NULL, NULL);
	gdbs_free(srv);
	g->srv = NULL;
	/* The replaying processes end, and with them the supervisor. */
	for (int i = 0; i < g->nprocs; i++)
		timeline_free(g->procs[i]);
	g->nprocs = 0;
	tl_set_abort(g->set);
	tl_set_free_queued(g->set);
	return NULL;
}

int gdb_replay(const struct gdb_replay_opts *o)
{
	struct launch_opts lo = { .options = TTD_OPT_REPLAY | TTD_OPT_DEBUG |
					     TTD_OPT_QUIET };
	char engine[PATH_MAX + 32], stub[PATH_MAX + 32];
	char *stub_argv[] = { stub, NULL };
	struct rlimit no_core = { 0, 0 };
	struct gdb_replay g = { .status = TTDCTL_OK };
	struct replay_session *rs;
	pthread_t th;

	if (replay_session_open(&rs, o->path))
		return TTDCTL_ERR;
	g.in_fd = 0;
	g.out_fd = 1;
	if (o->listen) {
		g.in_fd = g.out_fd = listen_on(o->listen);
		if (g.in_fd < 0) {
			replay_session_close(rs, 1);
			return TTDCTL_ERR;
		}
	}
	xsave_offsets(&g);
	g.set = tl_set_new(rs, o->pid);
	if (!g.set) {
		replay_session_close(rs, 1);
		return TTDCTL_ERR;
	}
	tl_set_interval(g.set, o->interval);
	snprintf(engine, sizeof(engine), "%s/ttd-engine.so", ttdctl_libdir());
	snprintf(stub, sizeof(stub), "%s/ttd-replay-stub", ttdctl_libdir());
	lo.engine = engine;
	lo.rr = replay_session_hooks(rs);
	setrlimit(RLIMIT_CORE, &no_core);
	if (pthread_create(&th, NULL, serve_gdb, &g)) {
		replay_session_close(rs, 1);
		return TTDCTL_ERR;
	}
	/* Waits for every replaying process: they end with the session. */
	if (launch_and_supervise(stub_argv, &lo) < 0)
		g.status = TTDCTL_ERR;
	tl_set_abort(g.set);
	pthread_join(th, NULL);
	tl_set_free(g.set);
	free(g.svr4);
	replay_session_close(rs, 1);
	if (o->listen)
		close(g.in_fd);
	return g.status;
}
