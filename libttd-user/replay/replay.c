// SPDX-License-Identifier: GPL-2.0
/*
 * Replay: the engine re-executes a recorded process, taking every
 * non-deterministic input from its stream instead of the outside world.
 *
 * The process is rebuilt from the recorded image inside a stub (nothing
 * of the stub survives but the engine), and system calls are not run:
 * their results and the memory the kernel wrote come from the recording.
 * Only what shapes the process itself runs for real: memory mappings,
 * fork, exec (of the stub again), exit, and signal masks.  All recorded
 * threads of a process run on one thread here, switched exactly where
 * the recording says; asynchronous signals are delivered at their
 * recorded instruction counts.  Any difference from the recording stops
 * the replay with a report.
 */
#include "rr.h"
#include "ring.h"
#include "agent.h"
#include "lib.h"
#include "heap.h"
#include "ctl.h"
#include "boot.h"
#include "mode.h"
#include "thread.h"
#include "dispatch.h"
#include "cache.h"
#include "linux/sys.h"
#include "linux/syscall.h"
#include "linux/signal.h"
#include "linux/sigstate.h"
#include "linux/maps.h"
#include "linux/smc.h"
#include "format/ttd_events.h"
#include <asm/prctl.h>

#define CLONE_VM 0x00000100UL
#define CLONE_THREAD 0x00010000UL

extern uint64_t rr_stack_lo, rr_stack_hi;
static uint64_t brk_cur;
/* Under a debugger: only the chain of processes down to the one it
 * debugs is replayed, each reading a private copy of its stream. */
static int debugging;
uint64_t replay_image_sp;

__attribute__((noreturn, format(printf, 2, 3))) static void
diverge(struct ttd_thread *t, const char *fmt, ...)
{
	static struct strbuf sb;
	va_list ap;
	int n;

	sb.len = 0;
	sb_printf(&sb,
		  "ttd: replay diverged: process %d thread %d instruction %lu "
		  "pc %p: ",
		  eopts.rec_pid, t->rr_tid, (unsigned long)thread_icount(t),
		  (void *)t->ctx.rip);
	va_start(ap, fmt);
	n = vfmt(sb.buf + sb.len, sizeof(sb.buf) - sb.len - 1, fmt, ap);
	va_end(ap);
	sb.len += n;
	sb.buf[sb.len++] = '\n';
	ctl_send_text(TTD_CTL_DIVERGED, sb.buf, sb.len);
	sys_exit_group(124);
}

static void *payload(struct ttd_ring_rec *r)
{
	return r + 1;
}

static const struct rec_hdr *ev_hdr(struct ttd_ring_rec *r)
{
	return payload(r);
}

/*
 * The stream of a process ends without its exit when the process died
 * of SIGKILL while recording (nothing in it could say so): it ends the
 * same way here.  Recordings cut short are refused before replay starts.
 */
__attribute__((noreturn)) static void stream_ended(struct ttd_thread *t)
{
	static struct strbuf sb;
	uint64_t kill = 1ULL << (9 - 1);

	sb.len = 0;
	sb_printf(&sb,
		  "ttd: process %d: its recording ends at instruction %lu of "
		  "thread %d (killed by SIGKILL)\n",
		  eopts.rec_pid, (unsigned long)thread_icount(t), t->rr_tid);
	ctl_log(sb.buf, sb.len);
	if (agent_on)
		agent_end(t, 9);
	sys_call4(__NR_rt_sigprocmask, 1 /* SIG_UNBLOCK */, &kill, NULL, 8);
	for (;;)
		sys_call2(__NR_kill, sys_getpid(), 9);
}

/* The next record, which must exist. */
static struct ttd_ring_rec *need(struct ttd_thread *t, const char *what)
{
	struct ttd_ring_rec *r = rr_peek(t->rp);

	(void)what;
	if (!r)
		stream_ended(t);
	return r;
}

static struct ttd_ring_rec *expect(struct ttd_thread *t, uint16_t type,
				   uint32_t len)
{
	struct ttd_ring_rec *r = need(t, ttd_event_type_name_engine(type));

	if (r->type != type || r->len < len)
		diverge(t, "expected %s, the recording has %s",
			ttd_event_type_name_engine(type),
			ttd_event_type_name_engine(r->type));
	return r;
}

/* ---- building the image ---- */

struct area_list {
	uint64_t start[1024], end[1024];
	int n;
};

static int collect(const struct vm_area *a, void *arg)
{
	struct area_list *l = arg;

	if (rr_engine_area(a->start))
		return 0;
	if (l->n < 1024) {
		l->start[l->n] = a->start;
		l->end[l->n++] = a->end;
	}
	return 0;
}

/* Everything but the engine goes: the stub, its stack, its vDSO. */
static void clear_address_space(void)
{
	static struct area_list l;

	l.n = 0;
	maps_for_each(collect, &l);
	for (int i = 0; i < l.n; i++)
		sys_munmap((void *)l.start[i], l.end[i] - l.start[i]);
	smc_maps_changed();
}

/* Raw contents that follow a region or mapping header. */
static void fill(struct ttd_thread *t, uint16_t type, uint64_t addr,
		 uint64_t len)
{
	while (len) {
		struct ttd_ring_rec *r = expect(t, type, 0);
		if (!(r->flags & REC_RING_CONT) || r->len > len)
			diverge(t, "bad contents record");
		memcpy((void *)addr, payload(r), r->len);
		addr += r->len;
		len -= r->len;
		rr_consume(t->rp, r);
	}
}

static void map_region(struct ttd_thread *t, const struct rec_region *g)
{
	uint64_t len = g->end - g->start;
	/* Under a debugger, checkpoints are forks: nothing may be shared. */
	int flags =
		MAP_FIXED | MAP_ANONYMOUS |
		((g->flags & REC_REGION_SHARED) && !debugging ? MAP_SHARED
							      : MAP_PRIVATE);

	if (sys_mmap((void *)g->start, len, PROT_READ | PROT_WRITE, flags, -1,
		     0) != (void *)g->start)
		diverge(t, "cannot map %p-%p", (void *)g->start,
			(void *)g->end);
	if (g->flags & REC_REGION_STACK) {
		/* The recorded stack grew on demand; leave room for that. */
		uint64_t room = 8UL << 20;
		sys_mmap((void *)(g->start - room), room,
			 PROT_READ | PROT_WRITE,
			 MAP_FIXED_NOREPLACE | MAP_PRIVATE | MAP_ANONYMOUS, -1,
			 0);
		rr_stack_lo = g->start - room;
		rr_stack_hi = g->end;
	}
}

/* The recorded image's file mappings, for the debugger. */
static struct {
	uint64_t start, end;
	char name[sizeof(((struct rec_region *)0)->name)];
} files[128];
static int nfiles;

static void note_file(const struct rec_region *g)
{
	if (g->name[0] != '/' || nfiles == (int)ARRAY_SIZE(files))
		return;
	files[nfiles].start = g->start;
	files[nfiles].end = g->end;
	memcpy(files[nfiles].name, g->name, sizeof(files[0].name));
	files[nfiles++].name[sizeof(files[0].name) - 1] = 0;
}

const char *replay_file_at(uint64_t addr)
{
	for (int i = 0; i < nfiles; i++)
		if (addr >= files[i].start && addr < files[i].end)
			return files[i].name;
	return NULL;
}

static void replay_exec_image(struct ttd_thread *t)
{
	struct ttd_ring_rec *r =
		expect(t, TTD_EV_EXEC, sizeof(struct rec_exec));
	struct rec_exec e = *(struct rec_exec *)payload(r);
	struct rr_proc *p = t->rp;

	rr_consume(p, r);
	clear_address_space();
	nfiles = 0;
	for (uint32_t i = 0; i < e.nregions; i++) {
		struct rec_region g;
		r = expect(t, TTD_EV_SNAPSHOT_REGION, sizeof(g));
		g = *(struct rec_region *)payload(r);
		rr_consume(p, r);
		note_file(&g);
		map_region(t, &g);
		fill(t, TTD_EV_SNAPSHOT_REGION, g.start, g.data_len);
		sys_mprotect((void *)g.start, g.end - g.start, (int)g.prot);
	}
	p->nvdso = e.nvdso < REC_MAX_VDSO ? e.nvdso : REC_MAX_VDSO;
	for (uint32_t i = 0; i < p->nvdso; i++) {
		p->vdso_addr[i] = e.vdso[i].addr;
		p->vdso_kind[i] = e.vdso[i].kind;
	}
	brk_cur = e.brk;
	memcpy(&t->ctx, e.regs, sizeof(t->ctx));
	replay_image_sp = t->ctx.rsp;
	sys_call2(__NR_arch_prctl, ARCH_SET_FS, t->ctx.fs_base);
	t->icount = e.h.icount;
	memset(t->slots, 0, sizeof(t->slots));
}

static void set_budget(struct ttd_thread *t);

void replay_process_created(struct ttd_thread *t)
{
	struct ttd_ring_rec *r =
		expect(t, TTD_EV_PROCESS_CREATE, sizeof(struct rec_process));

	rr_consume(t->rp, r);
}

/* The chain of processes the debugger follows (root first). */
static int debug_target(void)
{
	struct rr_session *s = rr_session;

	if (!s || !s->debug_nchain || s->debug_nchain > RR_MAX_CHAIN)
		return 0;
	return s->debug_chain[s->debug_nchain - 1];
}

static int debug_all(void)
{
	return rr_session && rr_session->debug_all;
}

static int debug_follows(int rec_pid)
{
	struct rr_session *s = rr_session;

	for (uint32_t i = 0; s && i < s->debug_nchain && i < RR_MAX_CHAIN; i++)
		if (s->debug_chain[i] == rec_pid)
			return 1;
	return 0;
}

/* The debugged process in its last image: the history gdb sees. */
static int debug_wanted(struct ttd_thread *t)
{
	int target = debug_target();

	return debugging &&
	       (debug_all() || !target || target == eopts.rec_pid) &&
	       !rr_stream_ahead(t->rp, TTD_EV_EXEC);
}

void replay_start(struct ttd_thread *t)
{
	struct rr_proc *p = rr_proc_new();
	struct ttd_ring_rec *r;

	debugging = !!(eopts.options & TTD_OPT_DEBUG);
	t->rp = p;
	p->nthreads = 1;
	rr_attach_ring(p, thread_icount(t) ? RING_EXEC : RING_LAUNCH,
		       eopts.rec_pid);
	r = need(t, "the start of a process");
	if (r->type == TTD_EV_PROCESS_CREATE) {
		const struct rec_process *e = payload(r);
		eopts.rec_pid = e->pid;
		rr_consume(p, r);
	}
	t->rr_tid = eopts.rec_tid ? eopts.rec_tid : eopts.rec_pid;
	replay_exec_image(t);
	if (debug_wanted(t))
		agent_start(t);
	set_budget(t);
}

/* ---- threads ---- */

static struct ttd_thread *find_thread(int tid)
{
	for (struct ttd_thread *o = thread_list; o; o = o->next)
		if (o->rr_tid == tid && !o->exited)
			return o;
	return NULL;
}

/* Precise and normal blocks have separate lookup tables: switching
 * between them costs nothing. */
static void set_precise(struct ttd_thread *t, int on)
{
	(void)t;
	eopts.precise = on;
}

static void finish_syscall(struct ttd_thread *t);

/* Run 'to' from now on; this thread's state stays in its context. */
/* Each recorded thread has its own vector registers; here they share
 * the one real thread's. */
static uint8_t *fpu_area(struct ttd_thread *t)
{
	if (!t->rr_fpu)
		t->rr_fpu = heap_pages(ALIGN_UP(xstate_size, PAGE_SIZE),
				       PROT_READ | PROT_WRITE);
	return t->rr_fpu;
}

void replay_fpu_save(struct ttd_thread *t, uint8_t *area)
{
	memcpy(area, fpu_area(t), xstate_size);
}

__attribute__((noreturn)) static void switch_to(struct ttd_thread *from,
						struct ttd_thread *to)
{
	uint64_t mask = signal_block_all();

	if (from) {
		from->rr_mask = mask;
		xsave_current(fpu_area(from));
	}
	xrstor_area(fpu_area(to));
	sys_call2(__NR_arch_prctl, ARCH_SET_GS, to);
	sys_call2(__NR_arch_prctl, ARCH_SET_FS, to->ctx.fs_base);
	signal_set_mask(to->rr_mask);
	if (to->rr_wait == 2 && to->set_tid)
		app_write(to->set_tid, &to->rr_tid, 4);
	if (to->rr_wait == 1)
		finish_syscall(to);
	to->rr_wait = 0;
	set_budget(to);
	cache_enter_at(dispatch_resume(to));
}

/* The next event belongs to another thread: let it run. */
static void yield_to_owner(struct ttd_thread *t, struct ttd_ring_rec *r)
{
	struct ttd_thread *o = find_thread(ev_hdr(r)->tid);

	if (!o)
		diverge(t,
			"the recording continues in thread %d, which does "
			"not exist",
			ev_hdr(r)->tid);
	switch_to(t, o);
}

/* ---- asynchronous events and the budget ---- */

static int is_async(struct ttd_ring_rec *r)
{
	if (r->type == TTD_EV_THREAD_SWITCH)
		return 1;
	return r->type == TTD_EV_SIGNAL &&
	       !((const struct rec_signal *)payload(r))->sync;
}

static void queue_signal(struct ttd_thread *t, struct ttd_ring_rec *r)
{
	const struct rec_signal *e = payload(r);
	struct pending_sig p;

	memset(&p, 0, sizeof(p));
	p.sig = e->sig;
	p.err = e->err;
	p.trapno = e->trapno;
	p.cr2 = e->cr2;
	memcpy(p.info, e->info, sizeof(p.info));
	rr_consume(t->rp, r);
	signal_queue_replayed(t, &p);
}

/* Give t the budget that takes it exactly to its next asynchronous
 * event (zero when it is due now), or none. */
static void set_budget(struct ttd_thread *t)
{
	struct ttd_ring_rec *r = rr_peek(t->rp);
	uint64_t now = thread_icount(t);

	if (r && ev_hdr(r)->tid == t->rr_tid && is_async(r)) {
		if (ev_hdr(r)->icount < now)
			diverge(t, "%s recorded at instruction %lu was missed",
				ttd_event_type_name_engine(r->type),
				(unsigned long)ev_hdr(r)->icount);
		uint64_t left = ev_hdr(r)->icount - now;
		set_precise(t, 1);
		if (agent_on && agent_budget(t) < left)
			left = agent_budget(t);
		thread_set_budget(t, left);
		return;
	}
	if (agent_on) {
		set_precise(t, 1);
		thread_set_budget(t, agent_budget(t));
		return;
	}
	set_precise(t, t->rp->nthreads > 1);
	thread_set_budget(t, BUDGET_NONE);
}

void replay_rebudget(struct ttd_thread *t)
{
	set_budget(t);
}

/* The budget ran out: deliver what is due here, or switch threads. */
void replay_budget(struct ttd_thread *t)
{
	struct ttd_ring_rec *r;

	for (;;) {
		r = rr_peek(t->rp);
		if (!r || ev_hdr(r)->tid != t->rr_tid || !is_async(r) ||
		    ev_hdr(r)->icount != thread_icount(t))
			break;
		if (r->type == TTD_EV_SIGNAL) {
			queue_signal(t, r);
			continue;
		}
		rr_consume(t->rp, r); /* a thread switch */
		r = need(t, "the next thread");
		if (ev_hdr(r)->tid != t->rr_tid)
			yield_to_owner(t, r);
	}
	set_budget(t);
	if (t->target == BUDGET_BIAS && eopts.precise)
		diverge(t, "stuck at an event");
}

/* ---- instructions and signals ---- */

int replay_insn(struct ttd_thread *t, int special, uint64_t v[4])
{
	uint16_t type = rr_insn_event(special);
	struct ttd_ring_rec *r = need(t, "an instruction result");
	const struct rec_insn *e = payload(r);

	if (ev_hdr(r)->tid != t->rr_tid || r->type != type ||
	    r->len < sizeof(*e))
		diverge(t, "%s executed, the recording has %s here",
			ttd_event_type_name_engine(type),
			ttd_event_type_name_engine(r->type));
	memcpy(v, e->v, sizeof(e->v));
	rr_consume(t->rp, r);
	set_budget(t);
	return 1;
}

struct where {
	uint64_t addr;
	struct vm_area a;
	int found;
};

static int find_area(const struct vm_area *a, void *arg)
{
	struct where *w = arg;

	if (w->addr < a->start || w->addr >= a->end)
		return 0;
	w->a = *a;
	w->found = 1;
	return 1;
}

/* "name, prot 5" of the mapping holding addr, for messages. */
static const char *describe(uint64_t addr)
{
	static char buf[128];
	struct where w = { .addr = addr };

	maps_for_each(find_area, &w);
	if (!w.found)
		return "unmapped";
	fmt(buf, sizeof(buf), "in %s%s prot %d", w.a.name[0] ? "" : "anonymous",
	    w.a.name, w.a.prot);
	return buf;
}

void replay_signal(struct ttd_thread *t, const struct pending_sig *p)
{
	struct ttd_ring_rec *r;
	const struct rec_signal *e;

	if (agent_on)
		agent_signal(t, p);
	if (!p->sync)
		return; /* taken from the recording already */
	r = need(t, "a fault");
	e = payload(r);
	if (r->type != TTD_EV_SIGNAL || ev_hdr(r)->tid != t->rr_tid ||
	    e->sig != p->sig)
		diverge(t,
			"signal %d (a fault at %p, %s) here, the recording "
			"has %s",
			p->sig, *(void **)(p->info + 16),
			describe(*(uint64_t *)(p->info + 16)),
			ttd_event_type_name_engine(r->type));
	rr_consume(t->rp, r);
}

/* ---- exits ---- */

void replay_process_exit(struct ttd_thread *t, int status)
{
	struct ttd_ring_rec *r =
		expect(t, TTD_EV_PROCESS_EXIT, sizeof(struct rec_exit));
	const struct rec_exit *e = payload(r);
	uint64_t sum;

	if (agent_on)
		agent_end(t, status);
	if (e->status != status)
		diverge(t, "exit status 0x%x, recorded 0x%x", status,
			e->status);
	if (memcmp(e->regs, &t->ctx, 18 * 8))
		diverge(t, "registers at exit differ from the recording");
	sum = rr_mem_checksum();
	if (sum != e->mem_hash)
		diverge(t, "memory at exit differs from the recording");
	rr_consume(t->rp, r);
	if (rr_peek(t->rp))
		diverge(t, "the recording goes on after the process ended");
	rr_report_end(t, eopts.rec_pid, status);
}

/* ---- system calls ---- */

static void apply_memory(struct ttd_thread *t)
{
	struct ttd_ring_rec *r;

	while ((r = rr_peek(t->rp)) && r->type == TTD_EV_SYSCALL_MEM &&
	       !(r->flags & REC_RING_CONT)) {
		const struct rec_mem *m = payload(r);
		if (r->len < sizeof(*m) || m->len != r->len - sizeof(*m))
			diverge(t, "bad memory record");
		if (app_write(m->addr, m + 1, m->len))
			diverge(t, "cannot write %lu bytes at %p",
				(unsigned long)m->len, (void *)m->addr);
		if (agent_on)
			agent_note_write(t, m->addr, m->len);
		rr_consume(t->rp, r);
	}
}

static void apply_memory(struct ttd_thread *t);

static void replay_mmap(struct ttd_thread *t, const struct rec_syscall *e)
{
	uint64_t addr = (uint64_t)e->ret, len = ALIGN_UP(e->args[1], PAGE_SIZE);
	int prot = (int)e->args[2];
	int flags = MAP_FIXED | MAP_ANONYMOUS |
		    ((e->args[3] & MAP_SHARED) &&
				     (e->args[3] & MAP_ANONYMOUS) && !debugging
			     ? MAP_SHARED
			     : MAP_PRIVATE) |
		    (int)(e->args[3] & (MAP_GROWSDOWN | MAP_NORESERVE));
	struct ttd_ring_rec *r;

	if (cache_overlaps(addr, addr + len))
		diverge(t,
			"the recorded mapping at %p (%lu bytes) is where "
			"the replay keeps translated code",
			(void *)addr, (unsigned long)len);
	if (sys_mmap((void *)addr, len, prot | PROT_WRITE, flags, -1, 0) !=
	    (void *)addr)
		diverge(t, "cannot map %p (%lu bytes)", (void *)addr,
			(unsigned long)len);
	r = rr_peek(t->rp);
	if (r && r->type == TTD_EV_MMAP && !(r->flags & REC_RING_CONT)) {
		struct rec_mmap m = *(struct rec_mmap *)payload(r);
		rr_consume(t->rp, r);
		if (m.addr != addr || m.data_len > len)
			diverge(t, "bad file mapping record");
		fill(t, TTD_EV_MMAP, addr, m.data_len);
	}
	if (!(prot & PROT_WRITE))
		sys_mprotect((void *)addr, len, prot);
	smc_range_changed(addr, addr + len);
}

static void replay_brk(struct ttd_thread *t, uint64_t want)
{
	uint64_t old_end = ALIGN_UP(brk_cur, PAGE_SIZE);
	uint64_t new_end = ALIGN_UP(want, PAGE_SIZE);

	if (new_end > old_end && cache_overlaps(old_end, new_end))
		diverge(t,
			"the recorded program break %p is where the replay "
			"keeps translated code",
			(void *)want);
	if (new_end > old_end)
		sys_mmap((void *)old_end, new_end - old_end,
			 PROT_READ | PROT_WRITE,
			 MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	else if (new_end < old_end)
		sys_munmap((void *)new_end, old_end - new_end);
	brk_cur = want;
}

/* Calls that change the process itself run again, for real. */
static void rerun_memory_call(struct ttd_thread *t, const struct rec_syscall *e)
{
	const uint64_t *a = e->args;
	long r;

	if (sys_is_err(e->ret))
		return;
	switch (e->nr) {
	case __NR_mmap:
		replay_mmap(t, e);
		break;
	case __NR_munmap:
	case __NR_mprotect:
		r = sys_call3(e->nr, a[0], a[1], a[2]);
		if (r != e->ret)
			diverge(t, "%s returned %ld, recorded %ld",
				e->nr == __NR_munmap ? "munmap" : "mprotect", r,
				(long)e->ret);
		smc_range_changed(a[0], a[0] + ALIGN_UP(a[1], PAGE_SIZE));
		break;
	case __NR_madvise:
		if (a[2] == 4 || a[2] == 8 || a[2] == 9) /* zeroing advice */
			sys_call3(__NR_madvise, a[0], a[1], a[2]);
		break;
	case __NR_mremap:
		r = sys_call5(__NR_mremap, a[0], a[1], a[2],
			      (uint64_t)e->ret != a[0] ? 3 : 0, e->ret);
		if (r != e->ret)
			diverge(t, "mremap returned %p, recorded %p", (void *)r,
				(void *)e->ret);
		smc_range_changed(a[0], a[0] + ALIGN_UP(a[1], PAGE_SIZE));
		break;
	case __NR_brk:
		replay_brk(t, (uint64_t)e->ret);
		return;
	default:
		return;
	}
	smc_maps_changed();
}

/*
 * Output of several processes comes out in the recorded order: wait for
 * this write's turn.  Every write shown wakes all the waiters, so only
 * time in which none was shown counts: a process that never gets to its
 * write, after a divergence, holds the others up by about two seconds,
 * and a write behind many others' waits for all of them.
 */
static void output_turn_wait(uint32_t seq)
{
	struct rr_session *s = rr_session;
	uint32_t seen = 0;
	int idle = 0;

	while (s && idle < 100) {
		uint32_t next = __atomic_load_n(&s->out_next, __ATOMIC_ACQUIRE);
		struct {
			long s, ns;
		} ts = { 0, 20000000 };
		if ((int32_t)(next - seq) >= 0)
			return;
		if (next != seen)
			idle = 0;
		seen = next;
		if (sys_call4(__NR_futex, &s->out_next, 0 /* FUTEX_WAIT */,
			      next, &ts) == -ETIMEDOUT)
			idle++;
	}
}

static void output_turn_done(uint32_t seq)
{
	struct rr_session *s = rr_session;
	uint32_t next;

	if (!s)
		return;
	next = __atomic_load_n(&s->out_next, __ATOMIC_ACQUIRE);
	while ((int32_t)(seq + 1 - next) > 0 &&
	       !__atomic_compare_exchange_n(&s->out_next, &next, seq + 1, 0,
					    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
		;
	sys_call3(__NR_futex, &s->out_next, 1 /* FUTEX_WAKE */, 0x7fffffff);
}

static void write_output(const struct rec_syscall *e)
{
	int fd = (e->sflags & REC_SC_STDOUT) ? 1 : 2;
	uint64_t left = (uint64_t)e->ret;

	if (sys_is_err(e->ret) || !left)
		return;
	if (e->nr == __NR_write || e->nr == __NR_pwrite64) {
		sys_write(fd, (const void *)e->args[1], left);
		return;
	}
	for (uint64_t i = 0; i < e->args[2] && left; i++) {
		uint64_t iov[2];
		if (app_read(e->args[1] + i * 16, iov, sizeof(iov)))
			return;
		if (iov[1] > left)
			iov[1] = left;
		sys_write(fd, (const void *)iov[0], iov[1]);
		left -= iov[1];
	}
}

/* What the program wrote to its stdout or stderr, shown again. */
static void show_output(struct ttd_thread *t, const struct rec_syscall *e)
{
	(void)t;
	output_turn_wait(e->out_seq);
	write_output(e);
	output_turn_done(e->out_seq);
}

/* struct clone_args, as far as a thread needs it. */
struct clone_args_ {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal;
	uint64_t stack, stack_size, tls;
};

static void replay_clone_thread(struct ttd_thread *t,
				const struct rec_syscall *e)
{
	uint64_t flags = e->args[0], sp = e->args[1], tls = e->args[4];
	uint64_t ctid = e->args[3];
	struct ttd_thread *c;

	if (e->nr == __NR_clone3) {
		struct clone_args_ a;
		if (app_read(e->args[0], &a, sizeof(a)))
			diverge(t, "clone3 arguments unreadable");
		flags = a.flags;
		sp = a.stack ? a.stack + a.stack_size : 0;
		tls = a.tls;
		ctid = a.child_tid;
	}
	c = thread_vm_child(t, &flags, sp, tls, ctid);
	c->tid = (int)e->ret;
	c->rr_tid = (int)e->ret;
	c->rr_wait = 2; /* not started */
	c->ctx.r11 = c->ctx.rflags;
	c->ctx.rip = t->ctx.rip;
	c->rr_mask = signal_block_all();
	signal_set_mask(c->rr_mask);
	/* The kernel gives a new thread a copy of its creator's state. */
	xsave_current(fpu_area(c));
	c->sig.alt_flags = 2;
	elock_acquire(&thread_lock);
	c->next = thread_list;
	thread_list = c;
	elock_release(&thread_lock);
	t->rp->nthreads++;
}

/* The flags of a clone or clone3 call (0 for fork and vfork). */
static uint64_t clone_flags(const struct rec_syscall *e)
{
	uint64_t f = 0;

	if (e->nr == __NR_clone)
		return e->args[0];
	if (e->nr == __NR_clone3 && app_read(e->args[0], &f, 8))
		return 0;
	return f;
}

static int is_thread_clone(const struct rec_syscall *e)
{
	uint64_t f = clone_flags(e);

	return (e->nr == __NR_clone || e->nr == __NR_clone3) &&
	       (f & CLONE_VM) && (f & CLONE_THREAD);
}

static int is_process_clone(const struct rec_syscall *e)
{
	return e->nr == __NR_fork || e->nr == __NR_vfork ||
	       ((e->nr == __NR_clone || e->nr == __NR_clone3) &&
		!(clone_flags(e) & CLONE_THREAD));
}

static int is_vfork(const struct rec_syscall *e)
{
	return e->nr == __NR_vfork || (clone_flags(e) & 0x4000 /* VFORK */);
}

/* A forked (or vforked) child really forks here, and becomes the
 * recorded child in its own replay. */
static void replay_fork(struct ttd_thread *t, const struct rec_syscall *e)
{
	uint64_t rip = t->ctx.rip;
	struct rr_proc *p = t->rp;

	rr_fork_rec_pid = (int)e->ret;
	t->ctx.rax = (uint64_t)e->nr;
	thread_sys_clone(t, e->nr);
	t->ctx.rip = rip;
	if (sys_is_err((long)t->ctx.rax))
		diverge(t, "fork failed at replay (%ld)", (long)t->ctx.rax);
	if (t->ctx.rax == 0) {
		/* The child: its stream starts with its side of the call. */
		struct ttd_ring_rec *r =
			expect(t, TTD_EV_SYSCALL, sizeof(struct rec_syscall));
		t->ctx.rax = (uint64_t)((struct rec_syscall *)payload(r))->ret;
		rr_consume(t->rp, r);
		apply_memory(t);
		return;
	}
	if (p->nchild < (int)ARRAY_SIZE(p->child)) {
		p->child[p->nchild].rec = (int)e->ret;
		p->child[p->nchild++].real = (int)t->ctx.rax;
	}
}

/*
 * The recorded wait reaped a child: wait for its replay too, so that
 * what it shows comes before what the parent shows next, as it did.
 */
static void reap_replayed_child(struct ttd_thread *t, int rec_pid)
{
	struct rr_proc *p = t->rp;

	for (int i = 0; i < p->nchild; i++) {
		if (p->child[i].rec != rec_pid)
			continue;
		sys_call4(__NR_wait4, p->child[i].real, NULL, 0x40000000, NULL);
		p->child[i] = p->child[--p->nchild];
		return;
	}
}

static void apply_syscall(struct ttd_thread *t, struct ttd_ring_rec *r)
{
	struct rec_syscall e = *(struct rec_syscall *)payload(r);

	rr_consume(t->rp, r);
	/* Under a debugger a child is replayed only on the way to the
	 * debugged process, and its parent then is of no more use. */
	if (is_process_clone(&e) && !sys_is_err(e.ret) &&
	    (!debugging || (agent_on ? agent_spawn((int)e.ret, is_vfork(&e))
				     : debug_follows((int)e.ret)))) {
		replay_fork(t, &e);
		if (t->ctx.rax == 0) {
			agent_forked();
			if (debug_wanted(t))
				agent_start(t);
			return; /* the child, with its own stream */
		}
		if (debugging && !agent_on && !debug_all())
			sys_exit_group(0);
	}
	/* A debugged child waits for its debugger, not for its parent. */
	if (e.nr == __NR_wait4 && e.ret > 0 && !debugging)
		reap_replayed_child(t, (int)e.ret);
	t->ctx.rax = (uint64_t)e.ret;
	if (e.sflags & REC_SC_OVERRIDE) {
		t->sig.mask_override = 1;
		t->sig.override_mask = e.override_mask;
		t->sig.restore_mask = e.restore_mask;
	}
	if (e.nr == __NR_set_tid_address)
		t->clear_tid = e.args[0];
	if (is_thread_clone(&e) && !sys_is_err(e.ret))
		replay_clone_thread(t, &e);
	rerun_memory_call(t, &e);
	apply_memory(t);
	if ((e.sflags & (REC_SC_STDOUT | REC_SC_STDERR)) &&
	    !(eopts.options & TTD_OPT_QUIET))
		show_output(t, &e);
}

static void check_call(struct ttd_thread *t, const struct rec_syscall *e,
		       long nr, const uint64_t a[6])
{
	if (e->nr != nr)
		diverge(t, "system call %ld, recorded %ld", nr, (long)e->nr);
	for (int i = 0; i < 6; i++)
		if (e->args[i] != a[i])
			diverge(t,
				"system call %ld argument %d is 0x%lx, "
				"recorded 0x%lx",
				nr, i + 1, (unsigned long)a[i],
				(unsigned long)e->args[i]);
}

/* Complete the call t is in, once the stream has reached it. */
static void finish_syscall(struct ttd_thread *t)
{
	struct ttd_ring_rec *r = need(t, "a system call");
	long nr = (long)t->ctx.rax;
	uint64_t a[6] = { t->ctx.rdi, t->ctx.rsi, t->ctx.rdx,
			  t->ctx.r10, t->ctx.r8,  t->ctx.r9 };

	if (r->type == TTD_EV_SIGNAL && is_async(r) &&
	    ev_hdr(r)->icount == thread_icount(t)) {
		/* It did not run: a signal came first, then it restarts. */
		t->ctx.rip -= 2;
		return;
	}
	if (r->type != TTD_EV_SYSCALL || r->len < sizeof(struct rec_syscall))
		diverge(t, "system call %ld, the recording has %s", nr,
			ttd_event_type_name_engine(r->type));
	check_call(t, payload(r), nr, a);
	apply_syscall(t, r);
}

/* The recorded execve succeeded: exec the stub again, so that the
 * supervisor gives the new image a fresh engine. */
static void replay_exec(struct ttd_thread *t)
{
	static const char *argv[] = { "ttd-replay", NULL };
	static const char *envp[] = { NULL };
	static uint8_t buf[sizeof(struct ttd_ctl_msg) + 8];
	struct ttd_ctl_msg *m = (struct ttd_ctl_msg *)buf;

	m->type = TTD_CTL_EXEC_PREPARE;
	m->pid = (int)sys_getpid();
	m->tid = (int)sys_gettid();
	m->icount = thread_icount(t);
	if (debugging) {
		/* The next image reads on from here in its own copy. */
		m->len = 8;
		*(uint64_t *)m->text = t->rp->ring->tail;
	}
	if (ctl_request(m))
		diverge(t, "the supervisor did not prepare the exec");
	sys_call3(__NR_execve, "/proc/self/exe", argv, envp);
	diverge(t, "cannot exec the replay stub");
}

static void replay_thread_exit(struct ttd_thread *t, long nr)
{
	int status = (int)(t->ctx.rdi & 0xff) << 8;
	struct ttd_ring_rec *r;

	if (nr == __NR_exit_group || t->rp->nthreads == 1) {
		rr_thread_exit(t, status, 1);
		sys_exit_group((int)(t->ctx.rdi & 0xff));
	}
	r = expect(t, TTD_EV_THREAD_EXIT, sizeof(struct rec_exit));
	rr_consume(t->rp, r);
	rr_thread_exit(t, status, 0);
	t->exited = 1;
	yield_to_owner(t, need(t, "the next thread"));
}

void replay_syscall(struct ttd_thread *t)
{
	long nr = (long)t->ctx.rax;
	struct ttd_ring_rec *r;

	if (rr_engine_emulated(nr)) {
		syscall_execute(t);
		return;
	}
	t->ctx.rcx = t->ctx.rip;
	t->ctx.r11 = t->ctx.rflags;
	if (nr == __NR_exit || nr == __NR_exit_group)
		replay_thread_exit(t, nr);
	r = need(t, "a system call");
	if (r->type == TTD_EV_THREAD_SWITCH && ev_hdr(r)->tid == t->rr_tid &&
	    ev_hdr(r)->icount == thread_icount(t)) {
		/* It waited in the kernel while others ran. */
		rr_consume(t->rp, r);
		r = need(t, "a system call");
	}
	/* A successful execve; the new image's thread is the leader. */
	if (r->type == TTD_EV_EXEC &&
	    (nr == __NR_execve || nr == __NR_execveat))
		replay_exec(t);
	if (ev_hdr(r)->tid != t->rr_tid) {
		t->rr_wait = 1;
		yield_to_owner(t, r);
	}
	finish_syscall(t);
	set_budget(t);
}
