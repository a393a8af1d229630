// SPDX-License-Identifier: GPL-2.0
/*
 * The fake backend of the gdb protocol tests (see fake.h).
 */
#include <elf.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fake.h"

static const int tids[] = { 101, 102, 103 };
static const char *const names[] = { "main", "w<1>&", "worker2" };

#define NTHREADS 3
#define COUNTER 0x3000
#define CONSTANT 0x3008

int fake_tid_at(int pos)
{
	return tids[(pos / 8) % NTHREADS];
}

uint64_t fake_pc(int pos)
{
	return 0x1000 + 4 * (uint64_t)pos;
}

/* The counter at 0x3000 counts the writes executed before pos. */
static uint64_t counter(int pos)
{
	uint64_t n = 0;

	for (int i = 10; i <= 40 && i < pos; i += 10)
		n++;
	return n;
}

static bool known_thread(struct gdbs_tid t)
{
	if (t.pid != FAKE_PID)
		return false;
	for (int i = 0; i < NTHREADS; i++)
		if (tids[i] == t.tid)
			return true;
	return false;
}

static int fake_get_regs(void *ctx, struct gdbs_tid t, struct gdbs_x86_regs *r)
{
	struct fake *f = ctx;
	static const uint8_t one[10] = {
		0, 0, 0, 0, 0, 0, 0, 0x80, 0xff, 0x3f
	};

	if (!known_thread(t))
		return -ESRCH;
	r->rax = f->pos;
	r->rbx = t.tid;
	r->rsp = 0x7ffc0000 - 0x100 * t.tid;
	r->rip = t.tid == fake_tid_at(f->pos) ? fake_pc(f->pos)
					      : 0x2000 + (uint64_t)t.tid;
	r->eflags = 0x246;
	r->cs = 0x33;
	r->ss = 0x2b;
	r->fs_base = 0x7f0000000000 + t.tid;
	memcpy(r->st[0], one, sizeof(one));
	r->fctrl = 0x37f;
	r->ftag = 0x3fff;
	r->mxcsr = 0x1f80;
	r->orig_rax = -1;
	for (int i = 0; i < 32; i++)
		for (int j = 0; j < 16; j++) {
			r->xmm[i][j] = i * 16 + j;
			r->ymmh[i][j] = 0x80 + j;
		}
	for (int i = 0; i < 8; i++)
		r->k[i] = i;
	for (int i = 0; i < 32; i++)
		for (int j = 0; j < 32; j++)
			r->zmmh[i][j] = j;
	return 0;
}

static int mem_byte(struct fake *f, uint64_t a)
{
	uint64_t v;

	if (a >= 0x1000 && a < 0x2000)
		return a & 0xff;
	if (a >= COUNTER && a < CONSTANT + 8) {
		v = a < CONSTANT ? counter(f->pos) : 0x1234;
		return (v >> 8 * (a & 7)) & 0xff;
	}
	return -1;
}

static long fake_read_mem(void *ctx, uint64_t addr, void *buf, size_t len)
{
	unsigned char *p = buf;
	size_t n;

	for (n = 0; n < len; n++) {
		int b = mem_byte(ctx, addr + n);

		if (b < 0)
			break;
		p[n] = b;
	}
	return n ? (long)n : -EFAULT;
}

static int fake_list_threads(void *ctx, struct gdbs_thread *out, int max)
{
	for (int i = 0; i < NTHREADS && i < max; i++) {
		out[i].id.pid = FAKE_PID;
		out[i].id.tid = tids[i];
		snprintf(out[i].name, sizeof(out[i].name), "%s", names[i]);
	}
	return NTHREADS;
}

static void stop_at(struct fake *f, struct gdbs_stop *st,
		    enum gdbs_stop_kind kind)
{
	st->kind = kind;
	st->thread.pid = FAKE_PID;
	st->thread.tid = fake_tid_at(f->pos);
	st->signo = kind == GDBS_STOP_SIGNAL ? SIGTRAP : 0;
}

static int fake_stop_state(void *ctx, struct gdbs_stop *st)
{
	stop_at(ctx, st, GDBS_STOP_SIGNAL);
	return 0;
}

static bool overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

/* A watchpoint hit by instruction i, or -1. */
static int watch_hit(struct fake *f, int i, uint64_t *addr)
{
	bool write = i == 10 || i == 20 || i == 30 || i == 40;
	bool read = i == 25;
	uint64_t a = write ? COUNTER : CONSTANT;

	if (!write && !read)
		return -1;
	for (int k = 0; k < FAKE_POINTS; k++) {
		enum gdbs_point t = f->points[k].type;

		if (!f->points[k].used ||
		    !overlaps(a, 8, f->points[k].addr, f->points[k].len))
			continue;
		*addr = f->points[k].addr;
		if (t == GDBS_WATCH_ACCESS)
			return GDBS_STOP_AWATCH;
		if (t == GDBS_WATCH_WRITE && write)
			return GDBS_STOP_WATCH;
		if (t == GDBS_WATCH_READ && read)
			return GDBS_STOP_RWATCH;
	}
	return -1;
}

static int break_hit(struct fake *f)
{
	for (int k = 0; k < FAKE_POINTS; k++)
		if (f->points[k].used && f->points[k].type <= GDBS_HWBREAK &&
		    f->points[k].addr == fake_pc(f->pos))
			return f->points[k].type == GDBS_SWBREAK
				       ? GDBS_STOP_SWBREAK
				       : GDBS_STOP_HWBREAK;
	return -1;
}

/*
 * Move one instruction; returns true and fills st when that stops.
 * Going back over instruction i undoes its memory access, so a
 * watchpoint stops there, before it.
 */
static bool move(struct fake *f, bool reverse, bool step, struct gdbs_stop *st)
{
	int i, kind;

	if (reverse ? f->pos == 0 : f->pos == FAKE_HISTORY - 1) {
		stop_at(f, st,
			reverse ? GDBS_STOP_HISTORY_BEGIN
				: GDBS_STOP_HISTORY_END);
		return true;
	}
	i = reverse ? f->pos - 1 : f->pos;
	f->pos += reverse ? -1 : 1;
	kind = watch_hit(f, i, &st->addr);
	if (kind < 0 && !step)
		kind = break_hit(f);
	if (kind < 0 && step)
		kind = GDBS_STOP_SIGNAL;
	if (kind < 0)
		return false;
	stop_at(f, st, kind);
	return true;
}

static int fake_resume(void *ctx, struct gdbs_server *srv,
		       const struct gdbs_resume *how, struct gdbs_stop *st)
{
	struct fake *f = ctx;
	bool step = how->kind == GDBS_STEP;

	f->resumes++;
	f->last = *how;
	while (!move(f, how->reverse, step, st)) {
		if (f->slow)
			usleep(20000);
		if (gdbs_interrupted(srv)) {
			stop_at(f, st, GDBS_STOP_SIGNAL);
			st->signo = SIGINT;
			break;
		}
	}
	return 0;
}

static int fake_set_point(void *ctx, enum gdbs_point type, bool insert,
			  uint64_t addr, uint64_t len)
{
	struct fake *f = ctx;
	int k;

	for (k = 0; k < FAKE_POINTS; k++) {
		bool same = f->points[k].used && f->points[k].type == type &&
			    f->points[k].addr == addr;

		if (insert ? !f->points[k].used : same)
			break;
	}
	if (k == FAKE_POINTS)
		return insert ? -ENOSPC : -ENOENT;
	f->points[k].used = insert;
	f->points[k].type = type;
	f->points[k].addr = addr;
	f->points[k].len = len ? len : 1;
	return 0;
}

static long fake_read_object(void *ctx, enum gdbs_object obj, const char *annex,
			     uint64_t off, void *buf, size_t len)
{
	static const uint64_t auxv[] = { AT_PAGESZ, 4096, AT_NULL, 0 };
	static const char libs[] = "<library-list-svr4 version=\"1.0\"/>\n";
	static const char exe[] = "/usr/bin/fake-program";
	int32_t siginfo[32] = { SIGTRAP, 0, 0x80 };

	switch (obj) {
	case GDBS_OBJ_AUXV:
		return gdbs_xfer_slice(auxv, sizeof(auxv), off, buf, len);
	case GDBS_OBJ_EXEC_FILE:
		return gdbs_xfer_slice(exe, strlen(exe), off, buf, len);
	case GDBS_OBJ_LIBRARIES_SVR4:
		return gdbs_xfer_slice(libs, strlen(libs), off, buf, len);
	case GDBS_OBJ_SIGINFO:
		return gdbs_xfer_slice(siginfo, sizeof(siginfo), off, buf, len);
	default:
		return -EINVAL;
	}
}

static int fake_monitor(void *ctx, struct gdbs_server *srv, const char *cmd)
{
	struct fake *f = ctx;

	if (!strcmp(cmd, "help"))
		return gdbs_monitor_printf(srv, "fake: help, where, big\n");
	if (!strcmp(cmd, "where"))
		return gdbs_monitor_printf(srv, "position %d of %d\n", f->pos,
					   FAKE_HISTORY);
	if (!strcmp(cmd, "big")) {
		for (int i = 0; i < 1000; i++)
			if (gdbs_monitor_printf(srv, "%039d\n", i))
				return -EIO;
		return 0;
	}
	gdbs_monitor_printf(srv, "unknown command: %s\n", cmd);
	return -EINVAL;
}

void fake_init(struct fake *f, bool avx512, bool exec_file)
{
	memset(f, 0, sizeof(*f));
	f->pos = FAKE_START;
	f->be.get_regs = fake_get_regs;
	f->be.read_mem = fake_read_mem;
	f->be.list_threads = fake_list_threads;
	f->be.stop_state = fake_stop_state;
	f->be.resume = fake_resume;
	f->be.set_point = fake_set_point;
	f->be.read_object = fake_read_object;
	f->be.monitor = fake_monitor;
	f->be.avx512 = avx512;
	for (int i = 0; i < GDBS_OBJ_COUNT; i++)
		f->be.objects[i] = true;
	f->be.objects[GDBS_OBJ_EXEC_FILE] = exec_file;
}
