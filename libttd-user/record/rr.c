// SPDX-License-Identifier: GPL-2.0
/* Engine state shared by recording and replay (see rr.h). */
#include "rr.h"
#include "lib.h"
#include "heap.h"
#include "ctl.h"
#include "thread.h"
#include "dispatch.h"
#include "boot.h"
#include "cache.h"
#include "mode.h"
#include "linux/sys.h"
#include "linux/syscall.h"
#include "linux/maps.h"
#include "linux/signal.h"
#include "format/ttd_events.h"

#define FUTEX_WAIT 0
#define FUTEX_WAKE 1

static inline long ring_futex(uint32_t *w, int wake, uint32_t val,
			      long timeout_ns)
{
	struct {
		long s, ns;
	} ts = { timeout_ns / 1000000000L, timeout_ns % 1000000000L };

	return sys_call4(__NR_futex, w, wake ? FUTEX_WAKE : FUTEX_WAIT,
			 wake ? 1 : val, wake ? NULL : &ts);
}

#define TTD_RING_FUNCS
#include "ring.h"

int engine_mode;

struct rr_proc *rr_proc_new(void)
{
	struct rr_proc *p = heap_alloc(sizeof(*p));

	memset(p, 0, sizeof(*p));
	return p;
}

struct rr_session *rr_session;

static uint64_t fd_size(int fd)
{
	struct {
		uint64_t dev, ino, nlink;
		uint32_t mode, uid, gid, pad;
		uint64_t rdev;
		int64_t size;
		uint64_t rest[12];
	} st;

	if (sys_call2(__NR_fstat, fd, &st) || st.size <= 0)
		return 0;
	return (uint64_t)st.size;
}

/* Map a shared memory file in the engine's arena, never among the
 * application's mappings; closes fd.  A private mapping is a snapshot
 * that forks of this process each consume on their own. */
static void *map_file(int fd, uint64_t *len, int private)
{
	uint64_t n = fd_size(fd);
	void *at;

	if (!n)
		fatal("bad shared memory from the supervisor");
	at = heap_pages((size_t)n, PROT_NONE);
	if (sys_mmap(at, (size_t)n, PROT_READ | PROT_WRITE,
		     (private ? MAP_PRIVATE : MAP_SHARED) | MAP_FIXED, fd,
		     0) != at)
		fatal("cannot map shared memory from the supervisor");
	sys_close(fd);
	*len = n;
	return at;
}

void rr_attach_ring(struct rr_proc *p, int why, int rec_pid)
{
	struct ttd_ctl_msg m = { .type = TTD_CTL_RING,
				 .pid = (int)sys_getpid(),
				 .tid = (int)sys_gettid(),
				 .err = why,
				 .icount = (uint64_t)rec_pid };
	uint64_t len;
	int fd[2];

	if (ctl_request_fds(&m, fd) || fd[0] < 0)
		fatal("the supervisor did not give this process an event "
		      "ring");
	/* Under a debugger the whole stream is there at once, and
	 * checkpoints must not consume each other's. */
	p->ring = map_file(fd[0], &p->ring_bytes,
			   !!(eopts.options & TTD_OPT_DEBUG));
	if (p->ring_bytes <= TTD_RING_DATA_OFF ||
	    p->ring->magic != TTD_RING_MAGIC)
		fatal("the event ring is not initialised");
	/* A private copy goes on from where the old image left it. */
	if ((eopts.options & TTD_OPT_DEBUG) && why == RING_EXEC)
		p->ring->tail = eopts.ring_tail;
	/* Forked children inherit the session page's mapping. */
	if (fd[1] >= 0 && !rr_session)
		rr_session = map_file(fd[1], &len, 0);
	else if (fd[1] >= 0)
		sys_close(fd[1]);
}

void rr_detach_ring(struct rr_proc *p)
{
	if (!p->ring)
		return;
	sys_munmap(p->ring, p->ring_bytes);
	p->ring = NULL;
}

/* Calls whose effects the engine produces itself, identically in
 * recording and replay: nothing to record, nothing to take from it. */
int rr_engine_emulated(long nr)
{
	switch (nr) {
	case __NR_rt_sigaction:
	case __NR_rt_sigreturn:
	case __NR_sigaltstack:
	case __NR_rt_sigprocmask:
	case __NR_rseq:
	case __NR_arch_prctl:
		return 1;
	}
	return 0;
}

/* ---- the run token ---- */

void rr_token_acquire(struct rr_proc *p)
{
	uint32_t me = __atomic_fetch_add(&p->token.next, 1, __ATOMIC_SEQ_CST);
	uint32_t cur;

	while ((cur = __atomic_load_n(&p->token.serving, __ATOMIC_ACQUIRE)) !=
	       me)
		ring_futex(&p->token.serving, 0, cur, 50000000);
}

void rr_token_release(struct rr_proc *p)
{
	__atomic_add_fetch(&p->token.serving, 1, __ATOMIC_SEQ_CST);
	sys_call3(__NR_futex, &p->token.serving, FUTEX_WAKE, 0x7fffffff);
}

int rr_token_waiters(struct rr_proc *p)
{
	return (int)(__atomic_load_n(&p->token.next, __ATOMIC_SEQ_CST) -
		     __atomic_load_n(&p->token.serving, __ATOMIC_SEQ_CST)) -
	       1;
}

/* ---- producer ---- */

void *rlog_reserve(struct rr_proc *p, uint32_t len)
{
	return ring_reserve(p->ring, len, NULL);
}

void rlog_commit(struct rr_proc *p, uint16_t type, uint16_t flags, uint32_t len)
{
	ring_commit(p->ring, type, flags, len);
}

void rlog_put(struct rr_proc *p, uint16_t type, const void *payload,
	      uint32_t len)
{
	memcpy(rlog_reserve(p, len), payload, len);
	rlog_commit(p, type, 0, len);
}

/* Copy application memory; pages that cannot be read become zeros. */
static void copy_app(uint8_t *dst, uint64_t addr, uint64_t len)
{
	if (!app_read(addr, dst, len))
		return;
	while (len) {
		uint64_t n = PAGE_SIZE - (addr & (PAGE_SIZE - 1));
		if (n > len)
			n = len;
		if (app_read(addr, dst, n))
			memset(dst, 0, n);
		addr += n;
		dst += n;
		len -= n;
	}
}

void rlog_mem(struct rr_proc *p, uint16_t type, uint16_t flags, uint64_t addr,
	      uint64_t len)
{
	while (len) {
		uint64_t n = len < TTD_RING_MAX_REC ? len : TTD_RING_MAX_REC;
		uint8_t *b =
			rlog_reserve(p, (uint32_t)(sizeof(struct rec_mem) + n));
		struct rec_mem m = { addr, n };

		memcpy(b, &m, sizeof(m));
		copy_app(b + sizeof(m), addr, n);
		rlog_commit(p, type, flags, (uint32_t)(sizeof(m) + n));
		addr += n;
		len -= n;
	}
}

void rlog_blob_mem(struct rr_proc *p, uint16_t type, uint64_t addr,
		   uint64_t len)
{
	while (len) {
		uint64_t n = len < TTD_RING_MAX_REC ? len : TTD_RING_MAX_REC;

		copy_app(rlog_reserve(p, (uint32_t)n), addr, n);
		rlog_commit(p, type, REC_RING_CONT, (uint32_t)n);
		addr += n;
		len -= n;
	}
}

/* ---- consumer ---- */

/* ---- code cache regions ---- */

#define MAX_CODE_PLACES 64

/* Replay: places the recording's code cache had, reserved (PROT_NONE)
 * as soon as the stream names them. */
static uint64_t code_places[MAX_CODE_PLACES];
static int ncode_places;

void rr_note_code_region(uint64_t base, uint64_t size)
{
	struct ttd_thread *t = cur_thread();
	struct rec_code_region e;

	if (!t->rp || !t->rp->ring)
		return;
	rr_hdr(&e.h, t);
	e.base = base;
	e.size = size;
	rlog_put(t->rp, TTD_EV_CODE_REGION, &e, sizeof(e));
}

static void reserve_code_place(const struct rec_code_region *e)
{
	void *m;

	if (ncode_places == MAX_CODE_PLACES)
		return;
	m = sys_mmap((void *)e->base, e->size, PROT_NONE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE |
			     MAP_NORESERVE,
		     -1, 0);
	if ((uint64_t)m != e->base) {
		if (!sys_is_err((long)m))
			sys_munmap(m, e->size);
		return;
	}
	code_places[ncode_places++] = e->base;
}

void *rr_take_code_region(uint64_t near, uint64_t size)
{
	for (int i = 0; i < ncode_places; i++) {
		uint64_t b = code_places[i];
		uint64_t far = b > near ? b + size - near : near - b;
		if (far >= (1UL << 31))
			continue;
		code_places[i] = code_places[--ncode_places];
		if (sys_mprotect((void *)b, size,
				 PROT_READ | PROT_WRITE | PROT_EXEC))
			return MAP_FAILED;
		return (void *)b;
	}
	return MAP_FAILED;
}

struct ttd_ring_rec *rr_peek(struct rr_proc *p)
{
	struct ttd_ring *r = p->ring;

	for (;;) {
		uint32_t seq = __atomic_load_n(&r->head_seq, __ATOMIC_SEQ_CST);
		struct ttd_ring_rec *h = ring_peek(r);

		/* Not an input: replay takes note and looks further. */
		if (h && h->type == TTD_EV_CODE_REGION) {
			if (h->len >= sizeof(struct rec_code_region))
				reserve_code_place((const void *)(h + 1));
			ring_consume(r, h);
			continue;
		}
		if (h)
			return h;
		if (__atomic_load_n(&r->closed, __ATOMIC_ACQUIRE) &&
		    !ring_peek(r))
			return NULL;
		ring_sleep(&r->cons_sleeping, &r->head_seq, seq);
	}
}

int rr_stream_ahead(struct rr_proc *p, uint16_t type)
{
	struct ttd_ring *r = p->ring;
	uint64_t pos = r->tail, head = r->head, mask = r->size - 1;

	while (pos < head) {
		struct ttd_ring_rec *h =
			(struct ttd_ring_rec *)(ring_data(r) + (pos & mask));
		if (h->type == TTD_RING_PAD) {
			pos += r->size - (pos & mask);
			continue;
		}
		if (h->type == type)
			return 1;
		pos += ring_rec_space(h->len);
	}
	return 0;
}

void rr_consume(struct rr_proc *p, struct ttd_ring_rec *h)
{
	ring_consume(p->ring, h);
}

void rr_hdr(struct rec_hdr *h, struct ttd_thread *t)
{
	h->tid = t->rr_tid;
	h->flags = 0;
	h->icount = thread_icount(t);
}

/* ---- the vDSO ---- */

#define AT_SYSINFO_EHDR 33

static uint64_t auxv_value(uint64_t type)
{
	uint64_t av[128];
	int fd = (int)sys_openat(-100, "/proc/self/auxv", O_RDONLY, 0);
	long n;

	if (fd < 0)
		return 0;
	n = sys_read(fd, av, sizeof(av));
	sys_close(fd);
	for (long i = 0; i + 1 < n / 8; i += 2)
		if (av[i] == type)
			return av[i + 1];
	return 0;
}

static const struct {
	const char *name;
	uint32_t kind;
} vdso_names[] = {
	{ "__vdso_clock_gettime", VDSO_CLOCK_GETTIME },
	{ "__vdso_gettimeofday", VDSO_GETTIMEOFDAY },
	{ "__vdso_time", VDSO_TIME },
	{ "__vdso_getcpu", VDSO_GETCPU },
	{ "__vdso_clock_getres", VDSO_CLOCK_GETRES },
};

static void vdso_add(struct rr_proc *p, const char *name, uint64_t addr)
{
	for (unsigned i = 0; i < ARRAY_SIZE(vdso_names); i++) {
		if (strcmp(name, vdso_names[i].name) ||
		    p->nvdso >= REC_MAX_VDSO)
			continue;
		p->vdso_addr[p->nvdso] = addr;
		p->vdso_kind[p->nvdso++] = vdso_names[i].kind;
	}
}

/* The vDSO is a small ELF image: its dynamic symbols name the entry
 * points (the kernel maps it whole, so no bounds surprises). */
void rr_find_vdso(struct rr_proc *p)
{
	const uint8_t *base = (const uint8_t *)auxv_value(AT_SYSINFO_EHDR);
	const uint8_t *sh, *dynsym = NULL, *dynstr = NULL;
	uint64_t shoff, nsym = 0, load_vaddr = 0;
	uint16_t shnum, shentsize;

	p->nvdso = 0;
	if (!base || memcmp(base, "\177ELF", 4))
		return;
	shoff = *(const uint64_t *)(base + 0x28);
	shentsize = *(const uint16_t *)(base + 0x3a);
	shnum = *(const uint16_t *)(base + 0x3c);
	for (int i = 0; i < shnum; i++) {
		sh = base + shoff + (uint64_t)i * shentsize;
		if (*(const uint32_t *)(sh + 4) == 11 /* SHT_DYNSYM */) {
			dynsym = base + *(const uint64_t *)(sh + 0x18);
			nsym = *(const uint64_t *)(sh + 0x20) / 24;
			dynstr = base +
				 *(const uint64_t
					   *)(base + shoff +
					      (uint64_t) *
						      (const uint32_t *)(sh +
									 0x28) *
						      shentsize +
					      0x18);
		}
	}
	{
		/* Symbol values are relative to the first PT_LOAD's vaddr. */
		uint64_t phoff = *(const uint64_t *)(base + 0x20);
		uint16_t phnum = *(const uint16_t *)(base + 0x38);
		for (int i = 0; i < phnum; i++) {
			const uint8_t *ph = base + phoff + (uint64_t)i * 56;
			if (*(const uint32_t *)ph == 1 /* PT_LOAD */) {
				load_vaddr = *(const uint64_t *)(ph + 0x10);
				break;
			}
		}
	}
	for (uint64_t i = 0; dynsym && i < nsym; i++) {
		const uint8_t *s = dynsym + i * 24;
		uint64_t value = *(const uint64_t *)(s + 8);
		if (!value)
			continue;
		vdso_add(p, (const char *)dynstr + *(const uint32_t *)s,
			 (uint64_t)base + value - load_vaddr);
	}
}

/* ---- memory checksum ---- */

/* The engine's arena and its code cache (which lives near the code). */
int rr_engine_area(uint64_t start)
{
	if (start >= ENGINE_ARENA_BASE && start < eopts.arena_end)
		return 1;
	return cache_owns(start);
}

static uint64_t mix(uint64_t h, uint64_t v)
{
	h ^= v * 0x9e3779b97f4a7c15ULL;
	return (h << 27 | h >> 37) * 0xff51afd7ed558ccdULL;
}

uint64_t rr_stack_lo, rr_stack_hi;

static int page_is_zero(const uint64_t *w)
{
	for (unsigned i = 0; i < PAGE_SIZE / 8; i++)
		if (w[i])
			return 0;
	return 1;
}

/*
 * Pages, not mappings: the kernel may merge or split mappings
 * differently at replay, and untouched pages read as zeros either way.
 * The stack is left out: its mapping grows on demand while recording.
 */
static int sum_area(const struct vm_area *a, void *arg)
{
	uint64_t *h = arg, buf[PAGE_SIZE / 8];

	if (rr_engine_area(a->start))
		return 0;
	if (!(a->prot & PROT_WRITE) || !(a->prot & PROT_READ) ||
	    (a->name[0] == '[' && strcmp(a->name, "[heap]")))
		return 0;
	if (a->end > rr_stack_lo && a->start < rr_stack_hi)
		return 0;
	for (uint64_t pg = a->start; pg < a->end; pg += PAGE_SIZE) {
		/* The kernel may merge a cache region into a neighbour. */
		if (cache_owns(pg))
			continue;
		if (app_read(pg, buf, PAGE_SIZE) || page_is_zero(buf))
			continue;
		*h = mix(*h, pg);
		for (unsigned i = 0; i < PAGE_SIZE / 8; i++)
			*h = mix(*h, buf[i]);
	}
	return 0;
}

uint64_t rr_mem_checksum(void)
{
	uint64_t h = 0x243f6a8885a308d3ULL;

	maps_for_each(sum_area, &h);
	return h;
}

/* ---- threads and processes ---- */

int rr_fork_rec_pid; /* replay: the recorded pid of the child forked now */

/* More than one thread: switch to exact time slices. */
static void go_precise(struct ttd_thread *t)
{
	eopts.precise = 1;
	thread_set_budget(t, RR_TIME_SLICE);
}

static void write_set_tid(struct ttd_thread *t)
{
	if (t->set_tid)
		app_write(t->set_tid, &t->rr_tid, 4);
}

void rr_after_fork(struct ttd_thread *t, int vfork)
{
	struct rr_proc *p = rr_proc_new(), *parent = t->rp;
	int ppid = (int)sys_call0(__NR_getppid);

	/* The image is the parent's: so are its vDSO entry points. */
	if (parent) {
		p->nvdso = parent->nvdso;
		memcpy(p->vdso_addr, parent->vdso_addr, sizeof(p->vdso_addr));
		memcpy(p->vdso_kind, parent->vdso_kind, sizeof(p->vdso_kind));
	}
	t->rp = p;
	p->nthreads = 1;
	if (engine_mode == MODE_RECORD) {
		struct rec_process e = { .pid = (int)sys_getpid(),
					 .ppid = ppid,
					 .version = REC_EVENTS_VERSION,
					 .how = vfork ? REC_START_VFORK
						      : REC_START_FORK };
		t->rr_tid = t->tid;
		rr_token_acquire(p);
		rr_attach_ring(p, RING_FORK, 0);
		rr_hdr(&e.h, t);
		rlog_put(p, TTD_EV_PROCESS_CREATE, &e, sizeof(e));
	} else {
		t->rr_tid = rr_fork_rec_pid;
		eopts.rec_pid = rr_fork_rec_pid;
		rr_attach_ring(p, RING_FORK, rr_fork_rec_pid);
		replay_process_created(t);
	}
	if (eopts.precise)
		thread_set_budget(t, RR_TIME_SLICE);
	write_set_tid(t);
}

void rr_thread_start(struct ttd_thread *t)
{
	if (t->rr_vfork) {
		rr_after_fork(t, 1);
		return;
	}
	t->rr_tid = t->tid;
	rr_token_acquire(t->rp);
	thread_set_budget(t, RR_TIME_SLICE);
	write_set_tid(t);
}

void rr_clone_before(struct ttd_thread *t, struct ttd_thread *c)
{
	if (c->rr_vfork)
		return; /* it makes its own state, from ours */
	t->rp->nthreads++;
	go_precise(t);
}

void rr_clone_after(struct ttd_thread *t, struct ttd_thread *c, long ret)
{
	if (!c->rr_vfork) {
		if (ret < 0)
			t->rp->nthreads--;
		return;
	}
	/* The child has exec'd or exited: its ring mapping is ours now. */
	if (c->rp && c->rp != t->rp)
		rr_detach_ring(c->rp);
}

/* ---- vDSO calls become system calls ---- */

static const int16_t vdso_syscall[] = {
	[VDSO_CLOCK_GETTIME] = __NR_clock_gettime,
	[VDSO_GETTIMEOFDAY] = __NR_gettimeofday,
	[VDSO_TIME] = __NR_time,
	[VDSO_GETCPU] = __NR_getcpu,
	[VDSO_CLOCK_GETRES] = __NR_clock_getres,
};

int rr_vdso_call(struct ttd_thread *t)
{
	struct rr_proc *p = t->rp;
	uint64_t pc = t->ctx.rip, ret_addr;
	uint32_t i;

	for (i = 0; i < p->nvdso && p->vdso_addr[i] != pc; i++)
		;
	if (i == p->nvdso)
		return 0;
	if (app_read(t->ctx.rsp, &ret_addr, 8))
		return 0; /* let it fault as it would */
	/* The call's own registers are the system call's; rcx and r11
	 * are the caller's to lose either way. */
	t->ctx.rax = (uint64_t)vdso_syscall[p->vdso_kind[i]];
	t->ctx.rip = pc + 2;
	syscall_handle(t);
	if (t->ctx.rip != pc + 2) {
		/* Deferred for a signal: the handler returns to the call. */
		t->ctx.rip = pc;
		signal_deliver_pending(t);
		return t->ctx.rip != pc;
	}
	t->ctx.rip = ret_addr;
	t->ctx.rsp += 8;
	return 1;
}

const char *ttd_event_type_name_engine(uint16_t type)
{
	switch (type) {
	case TTD_EV_PROCESS_CREATE:
		return "process start";
	case TTD_EV_PROCESS_EXIT:
		return "process exit";
	case TTD_EV_THREAD_EXIT:
		return "thread exit";
	case TTD_EV_EXEC:
		return "exec";
	case TTD_EV_MMAP:
		return "file mapping";
	case TTD_EV_SYSCALL:
		return "system call";
	case TTD_EV_SYSCALL_MEM:
		return "system call memory";
	case TTD_EV_SIGNAL:
		return "signal";
	case TTD_EV_RDTSC:
		return "rdtsc";
	case TTD_EV_RDTSCP:
		return "rdtscp";
	case TTD_EV_RDRAND:
		return "rdrand";
	case TTD_EV_RDSEED:
		return "rdseed";
	case TTD_EV_CPUID:
		return "cpuid";
	case TTD_EV_XGETBV:
		return "xgetbv";
	case TTD_EV_RDPID:
		return "rdpid";
	case TTD_EV_THREAD_SWITCH:
		return "thread switch";
	case TTD_EV_SNAPSHOT_REGION:
		return "memory region";
	}
	return "an unknown event";
}

/* With --stats: how a process ended, to compare recording and replay. */
void rr_report_end(struct ttd_thread *t, int pid, int status)
{
	static struct strbuf sb;

	if (!(eopts.options & TTD_OPT_STATS))
		return;
	sb.len = 0;
	if (status & 0x7f)
		sb_printf(&sb, "ttd: process %d killed by signal %d", pid,
			  status & 0x7f);
	else
		sb_printf(&sb, "ttd: process %d exited with status %d", pid,
			  (status >> 8) & 0xff);
	sb_printf(&sb, " at instruction %lu of thread %d, pc %p\n",
		  (unsigned long)thread_icount(t), t->rr_tid,
		  (void *)t->ctx.rip);
	ctl_log(sb.buf, sb.len);
}
