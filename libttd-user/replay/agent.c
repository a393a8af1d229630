// SPDX-License-Identifier: GPL-2.0
/*
 * The debug agent (see agent.h and agent_proto.h).
 *
 * The replay runs as usual; the agent only watches for the places a
 * debugger wants to see and, at each, either stops (answering requests
 * until told to run on) or, when searching, notes the place and goes on.
 * Going backwards is the supervisor's business: it forks a checkpoint
 * taken earlier and runs that forward, looking for the last such place.
 *
 * Breakpoints are not written into the replayed memory: translation ends
 * a block before every breakpoint address, and blocks that start at one
 * are never linked to, so that each visit passes through the dispatcher,
 * where agent_block() compares the pc.  Watchpoints are the processor's
 * debug registers, through perf events that send SIGTRAP after the
 * access; the trap tells which instruction of which thread wrote, and a
 * search run just notes it.  A stopping run cannot stop right after the
 * access (the trap comes in the middle of translated code), so it
 * reports the instruction and the supervisor replays to just after it.
 */
#include "agent.h"
#include "agent_proto.h"
#include "rr.h"
#include "lib.h"
#include "ctl.h"
#include "boot.h"
#include "cache.h"
#include "thread.h"
#include "dispatch.h"
#include "linux/syscall.h"
#include "linux/sys.h"
#include "linux/signal.h"
#include "linux/sigstate.h"
#include <linux/perf_event.h>
#include <linux/hw_breakpoint.h>

#define AGENT_FD_MIN 900
/* Look at least this often (interrupts, checkpoints). */
#define AGENT_SLICE 4000000ULL

int agent_on;
static int chan = -1;
static struct agent_run run;
static struct agent_hit last_hit;
static struct agent_points pts;
static int watch_fd[AGENT_MAX_WATCH];
static int watch_pid; /* the process the events belong to */
static uint8_t auxv[1024];
static uint32_t auxv_len;
static int ended = -1; /* the process ended with this status */
static int forked; /* a child to announce at the next block */
static uint8_t msg_buf[sizeof(struct agent_msg) + AGENT_MAX_PAYLOAD];

static uint64_t global_count(void)
{
	uint64_t n = 0;

	for (struct ttd_thread *o = thread_list; o; o = o->next)
		n += thread_icount(o);
	return n;
}

static void send_msg(uint32_t op, const uint64_t a[4], const void *payload,
		     uint32_t len, int pass)
{
	struct agent_msg *m = (struct agent_msg *)msg_buf;

	memset(m, 0, sizeof(*m));
	m->op = op;
	m->len = len;
	if (a)
		memcpy(m->a, a, sizeof(m->a));
	if (len)
		memmove(m + 1, payload, len);
	if (ctl_send_packet(chan, m, sizeof(*m) + len, pass) < 0)
		sys_exit_group(0); /* the debugger is gone */
}

static void send_error(long err)
{
	uint64_t a[4] = { (uint64_t)-err };

	send_msg(AGENT_ERROR, a, NULL, 0, -1);
}

/* ---- points ---- */

int agent_break_at(uint64_t pc)
{
	uint32_t lo = 0, hi = pts.nbreaks;

	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2;
		if (pts.breaks[mid] == pc)
			return 1;
		if (pts.breaks[mid] < pc)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

static void sort_breaks(struct agent_points *p)
{
	for (uint32_t i = 1; i < p->nbreaks; i++)
		for (uint32_t j = i; j && p->breaks[j - 1] > p->breaks[j];
		     j--) {
			uint64_t x = p->breaks[j];
			p->breaks[j] = p->breaks[j - 1];
			p->breaks[j - 1] = x;
		}
}

/* Retranslate around every address that gained or lost a breakpoint. */
static void flush_breaks(const struct agent_points *old)
{
	elock_acquire(&cache_lock);
	for (uint32_t i = 0; i < old->nbreaks; i++)
		if (!agent_break_at(old->breaks[i]))
			cache_flush_range(old->breaks[i], old->breaks[i] + 1);
	for (uint32_t i = 0; i < pts.nbreaks; i++)
		cache_flush_range(pts.breaks[i], pts.breaks[i] + 1);
	elock_release(&cache_lock);
}

static void unwatch(void)
{
	for (int i = 0; i < AGENT_MAX_WATCH; i++) {
		if (watch_fd[i] > 0)
			sys_close(watch_fd[i]);
		watch_fd[i] = 0;
	}
	watch_pid = 0;
}

static long watch_one(int i)
{
	struct perf_event_attr a;
	long fd;

	memset(&a, 0, sizeof(a));
	a.type = PERF_TYPE_BREAKPOINT;
	a.size = sizeof(a);
	a.bp_type = pts.watch[i].type == AGENT_WATCH_WRITE ? HW_BREAKPOINT_W
							   : HW_BREAKPOINT_RW;
	a.bp_addr = pts.watch[i].addr;
	a.bp_len = pts.watch[i].len;
	a.sample_period = 1;
	a.exclude_kernel = 1;
	a.exclude_hv = 1;
	a.remove_on_exec = 1;
	a.sigtrap = 1;
	a.sig_data = (uint64_t)i;
	fd = sys_call5(__NR_perf_event_open, &a, 0, -1, -1,
		       PERF_FLAG_FD_CLOEXEC);
	if (fd < 0)
		return fd;
	watch_fd[i] =
		(int)sys_call3(__NR_fcntl, fd, F_DUPFD_CLOEXEC, AGENT_FD_MIN);
	sys_close((int)fd);
	return 0;
}

/* Debug registers for this process's watchpoints (a fork has none). */
static long watch_install(void)
{
	long err;

	unwatch();
	watch_pid = (int)sys_getpid();
	for (uint32_t i = 0; i < pts.nwatch; i++)
		if ((err = watch_one((int)i))) {
			unwatch();
			return err;
		}
	return 0;
}

static void set_points(const struct agent_msg *m)
{
	static struct agent_points old;
	long err;

	if (m->len < sizeof(pts)) {
		send_error(-22);
		return;
	}
	old = pts;
	memcpy(&pts, m + 1, sizeof(pts));
	if (pts.nbreaks > AGENT_MAX_BREAKS)
		pts.nbreaks = AGENT_MAX_BREAKS;
	if (pts.nwatch > AGENT_MAX_WATCH)
		pts.nwatch = AGENT_MAX_WATCH;
	sort_breaks(&pts);
	flush_breaks(&old);
	err = watch_install();
	send_msg(AGENT_POINTS, (uint64_t[4]){ (uint64_t)-err }, NULL, 0, -1);
}

/* ---- requests ---- */

static struct ttd_thread *thread_by_tid(int tid)
{
	for (struct ttd_thread *o = thread_list; o; o = o->next)
		if (o->rr_tid == tid)
			return o;
	return NULL;
}

static void send_regs(struct ttd_thread *cur, int tid)
{
	static uint8_t buf[sizeof(struct agent_regs) + 8192]
		__attribute__((aligned(64)));
	struct agent_regs *r = (struct agent_regs *)buf;
	struct ttd_thread *t = tid ? thread_by_tid(tid) : cur;

	if (!t || xstate_size > 8192) {
		send_error(-3);
		return;
	}
	memset(r, 0, sizeof(*r));
	memcpy(r->gpr, &t->ctx, sizeof(t->ctx));
	r->gpr[21] = t->app_gs_base;
	r->orig_rax = (uint64_t)-1;
	r->xsave_len = xstate_size;
	/* r->xsave is 64-byte aligned: the header is 192 bytes. */
	if (t == cur)
		xsave_current(r->xsave);
	else
		replay_fpu_save(t, r->xsave);
	send_msg(AGENT_REGS, NULL, r, sizeof(*r) + xstate_size, -1);
}

static void send_mem(uint64_t addr, uint64_t len)
{
	static uint8_t buf[AGENT_MAX_MEM];
	uint64_t done = 0;

	if (len > sizeof(buf))
		len = sizeof(buf);
	/* What is readable up to the first hole. */
	while (done < len) {
		uint64_t n = PAGE_SIZE - ((addr + done) & (PAGE_SIZE - 1));
		if (n > len - done)
			n = len - done;
		if (app_read(addr + done, buf + done, n))
			break;
		done += n;
	}
	send_msg(AGENT_MEM, NULL, buf, (uint32_t)done, -1);
}

static void send_threads(void)
{
	static struct agent_thread list[AGENT_MAX_THREADS];
	uint32_t n = 0;

	for (struct ttd_thread *o = thread_list; o && n < AGENT_MAX_THREADS;
	     o = o->next) {
		list[n].tid = o->rr_tid;
		list[n].exited = o->exited;
		list[n++].count = thread_icount(o);
	}
	send_msg(AGENT_THREADS, NULL, list, n * sizeof(list[0]), -1);
}

/* The file the program headers (AT_PHDR) are mapped from. */
static void send_exe(void)
{
	const char *name = NULL;

	for (uint32_t i = 0; i + 16 <= auxv_len; i += 16)
		if (*(uint64_t *)(auxv + i) == 3 /* AT_PHDR */)
			name = replay_file_at(*(uint64_t *)(auxv + i + 8));
	send_msg(AGENT_EXE, NULL, name, name ? (uint32_t)strlen(name) : 0, -1);
}

/* ---- checkpoints ---- */

/*
 * Fork a frozen copy: it gets a connection of its own, which goes to
 * the supervisor over ours.  Returns 1 in the copy.  Every recorded
 * thread lives in this one real thread, so the copy is complete.
 */
static int fork_copy(void)
{
	int sp[2];
	long pid;

	if (sys_call4(__NR_socketpair, 1 /* AF_UNIX */,
		      5 /* SOCK_SEQPACKET */ | 02000000, 0, sp))
		return -1;
	/* A sibling, so that the supervisor reaps every copy. */
	pid = sys_call5(__NR_clone,
			0x8000 /* CLONE_PARENT */ | 17 /* SIGCHLD */, 0, 0, 0,
			0);
	if (pid == 0) {
		sys_close(chan);
		sys_close(sp[1]);
		chan = (int)sys_call3(__NR_fcntl, sp[0], F_DUPFD_CLOEXEC,
				      AGENT_FD_MIN);
		sys_close(sp[0]);
		/* The debug registers stayed with the parent. */
		for (int i = 0; i < AGENT_MAX_WATCH; i++)
			if (watch_fd[i] > 0)
				sys_close(watch_fd[i]);
		memset(watch_fd, 0, sizeof(watch_fd));
		watch_pid = 0;
		return 1;
	}
	sys_close(sp[0]);
	send_msg(AGENT_CHECKPOINT,
		 (uint64_t[4]){ global_count(), (uint64_t)pid }, NULL, 0,
		 pid > 0 ? sp[1] : -1);
	sys_close(sp[1]);
	return 0;
}

static int take_run(const struct agent_msg *m)
{
	if (m->len < sizeof(run))
		return -1;
	memcpy(&run, m + 1, sizeof(run));
	memset(&last_hit, 0, sizeof(last_hit));
	if (pts.nwatch && watch_pid != (int)sys_getpid())
		watch_install();
	return 0;
}

static void stop_reply(struct ttd_thread *t, struct agent_stop *st);

/* Is the run's target reached, with the process at global count g? */
static int target_met(struct ttd_thread *t, uint64_t g)
{
	return (run.tid == t->rr_tid && thread_icount(t) == run.tid_count) ||
	       g >= run.end;
}

/* Answer requests until told to run (returns) or to quit. */
static void serve(struct ttd_thread *t)
{
	struct agent_msg *m = (struct agent_msg *)msg_buf;

	for (;;) {
		long n = ctl_recv_packet(chan, msg_buf, sizeof(msg_buf), NULL);

		if (n <= 0 || (size_t)n < sizeof(*m) ||
		    m->len != (size_t)n - sizeof(*m))
			sys_exit_group(0);
		switch (m->op) {
		case AGENT_RUN:
			if (take_run(m)) {
				send_error(-22);
				break;
			}
			if (ended >= 0 || target_met(t, global_count())) {
				/* Already there: a copy of a checkpoint asked
				 * for its own position, or the end. */
				struct agent_stop st = {
					.kind = ended >= 0 ? AGENT_STOP_END
							   : AGENT_STOP_TARGET
				};
				stop_reply(t, &st);
				break;
			}
			replay_rebudget(t);
			return;
		case AGENT_FORK:
			fork_copy();
			break;
		case AGENT_REGS:
			send_regs(t, (int)m->a[0]);
			break;
		case AGENT_MEM:
			send_mem(m->a[0], m->a[1]);
			break;
		case AGENT_THREADS:
			send_threads();
			break;
		case AGENT_POINTS:
			set_points(m);
			break;
		case AGENT_AUXV:
			send_msg(AGENT_AUXV, NULL, auxv, auxv_len, -1);
			break;
		case AGENT_EXE:
			send_exe();
			break;
		case AGENT_QUIT:
			sys_exit_group(0);
		default:
			send_error(-38);
		}
	}
}

/* ---- stops ---- */

static void stop_reply(struct ttd_thread *t, struct agent_stop *st)
{
	st->tid = t->rr_tid;
	st->count = global_count();
	st->tid_count = thread_icount(t);
	st->pc = t->ctx.rip;
	st->end_status = ended;
	st->hit = last_hit;
	send_msg(AGENT_STOPPED, NULL, st, sizeof(*st), -1);
}

static void stop(struct ttd_thread *t, struct agent_stop *st)
{
	stop_reply(t, st);
	serve(t);
}

static void stop_kind(struct ttd_thread *t, uint32_t kind)
{
	struct agent_stop st = { .kind = kind };

	stop(t, &st);
}

static void note_hit(struct ttd_thread *t, uint32_t kind, uint64_t count,
		     uint64_t tid_count, uint64_t addr, int sig)
{
	last_hit.kind = kind;
	last_hit.tid = t->rr_tid;
	last_hit.count = count;
	last_hit.tid_count = tid_count;
	last_hit.addr = addr;
	last_hit.sig = sig;
}

static int interrupted(void)
{
	return rr_session &&
	       __atomic_exchange_n(&rr_session->interrupt, 0, __ATOMIC_SEQ_CST);
}

void agent_block(struct ttd_thread *t)
{
	uint64_t g = global_count();

	if (forked) {
		struct agent_stop st = { .kind = AGENT_STOP_FORK,
					 .addr = (uint64_t)forked };
		forked = 0;
		stop(t, &st);
		return;
	}
	if (run.ckpt_every && g >= run.ckpt_after + run.ckpt_every) {
		run.ckpt_after = g;
		if (fork_copy() == 1) {
			serve(t); /* a checkpoint, until it is run */
			g = global_count();
		}
	}
	if (target_met(t, g)) {
		stop_kind(t, AGENT_STOP_TARGET);
		return;
	}
	if (agent_break_at(t->ctx.rip)) {
		if (run.mode == AGENT_RUN_STOP) {
			stop_kind(t, AGENT_STOP_BREAK);
			return;
		}
		note_hit(t, AGENT_STOP_BREAK, g, thread_icount(t), 0, 0);
	}
	if (interrupted())
		stop_kind(t, AGENT_STOP_INTERRUPT);
}

void agent_signal(struct ttd_thread *t, const struct pending_sig *p)
{
	struct agent_stop st = { .kind = AGENT_STOP_SIGNAL, .sig = p->sig };
	uint64_t g = global_count();

	/* A search that ends here shows the signal before it arrives. */
	if (run.mode == AGENT_RUN_SEARCH && g < run.end) {
		note_hit(t, AGENT_STOP_SIGNAL, g, thread_icount(t), 0, p->sig);
		return;
	}
	memcpy(st.siginfo, p->info, sizeof(st.siginfo));
	stop(t, &st);
}

void agent_trap(struct ttd_thread *t, uint64_t count, const void *info)
{
	uint64_t i = *(const uint64_t *)((const uint8_t *)info + 24);
	uint64_t g = global_count() - thread_icount(t) + count;
	uint64_t addr = i < AGENT_MAX_WATCH ? pts.watch[i].addr : 0;
	struct agent_stop st = { .kind = AGENT_STOP_WATCH };

	if (run.mode == AGENT_RUN_SEARCH) {
		if (g < run.end)
			note_hit(t, AGENT_STOP_WATCH, g, count, addr, 0);
		return;
	}
	/* Stopped in the middle of a block: the supervisor replays to just
	 * after the access and discards this process. */
	note_hit(t, AGENT_STOP_WATCH, g, count, addr, 0);
	st.addr = addr;
	stop_reply(t, &st);
	for (;;)
		if (ctl_recv_packet(chan, msg_buf, sizeof(msg_buf), NULL) <=
			    0 ||
		    ((struct agent_msg *)msg_buf)->op == AGENT_QUIT)
			sys_exit_group(0);
}

int agent_spawn(int child, int vfork)
{
	struct agent_msg *m = (struct agent_msg *)msg_buf;

	/* Only a run the debugger watches meets new processes. */
	if (run.mode != AGENT_RUN_STOP)
		return 0;
	send_msg(AGENT_FORKING, (uint64_t[4]){ (uint64_t)child, vfork }, NULL,
		 0, -1);
	if (ctl_recv_packet(chan, msg_buf, sizeof(msg_buf), NULL) <
		    (long)sizeof(*m) ||
	    m->op != AGENT_FORKING)
		sys_exit_group(0); /* the debugger is gone */
	if (m->a[0] != 1)
		return 0;
	forked = child;
	return 1;
}

void agent_forked(void)
{
	static struct agent_points old;

	if (!agent_on)
		return;
	agent_on = 0;
	sys_close(chan);
	chan = -1;
	unwatch();
	old = pts;
	memset(&pts, 0, sizeof(pts));
	flush_breaks(&old);
	memset(&run, 0, sizeof(run));
	run.end = UINT64_MAX;
	memset(&last_hit, 0, sizeof(last_hit));
	ended = -1;
	forked = 0;
}

void agent_note_write(struct ttd_thread *t, uint64_t addr, uint64_t len)
{
	for (uint32_t i = 0; i < pts.nwatch; i++) {
		if (pts.watch[i].type == AGENT_WATCH_READ ||
		    addr >= pts.watch[i].addr + pts.watch[i].len ||
		    pts.watch[i].addr >= addr + len)
			continue;
		/* The system call instruction, counted already, wrote. */
		agent_trap(t, thread_icount(t) - 1,
			   (uint64_t[4]){ 0, 0, 0, i });
		return;
	}
}

void agent_end(struct ttd_thread *t, int status)
{
	struct agent_stop st = { .kind = AGENT_STOP_END };

	ended = status;
	stop(t, &st);
	for (;;)
		serve(t);
}

uint64_t agent_budget(struct ttd_thread *t)
{
	uint64_t g = global_count(), n = thread_icount(t), left = AGENT_SLICE;

	if (run.tid == t->rr_tid && run.tid_count > n &&
	    run.tid_count - n < left)
		left = run.tid_count - n;
	if (run.end > g && run.end - g < left)
		left = run.end - g;
	if (run.ckpt_every && run.ckpt_after + run.ckpt_every > g &&
	    run.ckpt_after + run.ckpt_every - g < left)
		left = run.ckpt_after + run.ckpt_every - g;
	return left;
}

/* ---- start ---- */

/* The auxiliary vector on the initial stack, for gdb. */
static void save_auxv(uint64_t sp)
{
	uint64_t argc = 0, w = 1, at;

	if (app_read(sp, &argc, 8) || argc > 1000000)
		return;
	at = sp + 8 * (argc + 2);
	while (!app_read(at, &w, 8) && w)
		at += 8;
	at += 8;
	for (auxv_len = 0; auxv_len + 16 <= sizeof(auxv); auxv_len += 16) {
		uint64_t *e = (uint64_t *)(auxv + auxv_len);
		if (app_read(at + auxv_len, e, 16))
			break;
		if (!e[0]) {
			auxv_len += 16;
			break;
		}
	}
}

void agent_start(struct ttd_thread *t)
{
	struct ttd_ctl_msg m = { .type = TTD_CTL_DEBUG,
				 .pid = (int)sys_getpid(),
				 .tid = (int)sys_gettid() };
	struct agent_hello h = { .pid = eopts.rec_pid, .tid = t->rr_tid };
	int fd[2];

	agent_on = 1;
	if (ctl_request_fds(&m, fd) || fd[0] < 0)
		fatal("the debugger did not connect to this replay");
	chan = (int)sys_call3(__NR_fcntl, fd[0], F_DUPFD_CLOEXEC, AGENT_FD_MIN);
	sys_close(fd[0]);
	if (fd[1] >= 0)
		sys_close(fd[1]);
	save_auxv(replay_image_sp);
	run.end = UINT64_MAX;
	h.count = global_count();
	h.pc = t->ctx.rip;
	send_msg(AGENT_HELLO, NULL, &h, sizeof(h), -1);
	serve(t);
}
