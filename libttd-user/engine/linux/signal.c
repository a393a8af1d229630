// SPDX-License-Identifier: GPL-2.0
/*
 * Signal emulation.
 *
 * Real handlers: the engine's engine_sig() is installed for every signal
 * the application handles and for the synchronous fault signals, always
 * with SA_RESTART (so that a restartable system call comes back to
 * app_syscall_insn and the engine can apply the application's own
 * SA_RESTART choice), on the engine's alternate stack, with every signal
 * blocked.  Signals the application leaves at SIG_DFL or SIG_IGN keep
 * that disposition in the kernel, so default actions (termination, core
 * dumps, stops) happen natively.
 *
 * engine_sig() never runs application handlers itself.  It records the
 * signal and makes the thread come back to the dispatcher soon: a fault
 * is mapped back to the application's registers and the thread resumes in
 * signal_resume; an asynchronous signal cuts the current block off from
 * its successors.  The dispatcher then builds the frame.
 */
#include "signal.h"
#include "syscall.h"
#include "../thread.h"
#include "../cache.h"
#include "../dispatch.h"
#include "../heap.h"
#include "../lib.h"
#include "../mode.h"
#include "../translate.h"
#include "sys.h"
#include "replay/agent.h"

#define SI_KERNEL 0x80
#define TRAP_PERF 6
#define SEGV_ACCERR 2
#define SS_ONSTACK 1
#define SS_DISABLE 2
#define SS_AUTODISARM (1U << 31)
#define UC_FLAGS 7 /* FP_XSTATE | SIGCONTEXT_SS | STRICT_RESTORE_SS */
#define FP_XSTATE_MAGIC1 0x46505853U
#define FP_XSTATE_MAGIC2 0x46505845U

/* The kernel's x86-64 signal frame. */
struct sigcontext64 {
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip, eflags;
	uint16_t cs, gs, fs, ss;
	uint64_t err, trapno, oldmask, cr2;
	uint64_t fpstate;
	uint64_t reserved1[8];
};

struct stack_t64 {
	uint64_t ss_sp;
	int32_t ss_flags;
	int32_t pad;
	uint64_t ss_size;
};

struct ucontext64 {
	uint64_t uc_flags;
	uint64_t uc_link;
	struct stack_t64 uc_stack;
	struct sigcontext64 mc;
	uint64_t uc_sigmask;
};

struct rt_sigframe64 {
	uint64_t pretcode;
	struct ucontext64 uc;
	uint8_t info[SIGINFO_SIZE];
};

static struct k_sigaction app_act[NSIG_];
static struct elock act_lock;
uint32_t xstate_size;
static uint64_t xcr0;

extern char signal_resume[], sig_restorer[];
extern char app_syscall_abort_pushed[], app_syscall_abort_unpushed[],
	app_syscall_restart[];

static uint64_t sigbit(int sig)
{
	return 1ULL << (sig - 1);
}

static int ignored_by_default(int sig);
static int is_fault_signal(int sig);

static int stops_by_default(int sig)
{
	return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN ||
	       sig == SIGTTOU;
}

/*
 * Faults always come to the engine.  While recording, so do signals
 * whose default action kills: the death must happen, and be recorded,
 * at an instruction the replay can find.
 */
static int engine_owned(int sig)
{
	if (is_fault_signal(sig))
		return 1;
	return mode_rr() && sig != SIGKILL && !stops_by_default(sig) &&
	       !ignored_by_default(sig);
}

uint64_t signal_block_all(void)
{
	uint64_t all = ~0ULL, old = 0;

	sys_call4(__NR_rt_sigprocmask, 0 /* SIG_BLOCK */, &all, &old, 8);
	return old;
}

void signal_set_mask(uint64_t mask)
{
	mask &= ~(sigbit(SIGKILL) | sigbit(SIGSTOP));
	sys_call4(__NR_rt_sigprocmask, 2 /* SIG_SETMASK */, &mask, NULL, 8);
}

int signal_app_restarts(int sig)
{
	return !!(app_act[sig].flags & SA_RESTART);
}

/* ---- memory of the application, accessed without faulting ---- */

static long vm_rw(int write, uint64_t app, void *local, size_t n)
{
	struct {
		void *base;
		size_t len;
	} l = { local, n }, r = { (void *)app, n };

	return sys_call6(write ? __NR_process_vm_writev : __NR_process_vm_readv,
			 sys_getpid(), (long)&l, 1, (long)&r, 1, 0);
}

int app_read(uint64_t app, void *local, size_t n)
{
	return vm_rw(0, app, local, n) == (long)n ? 0 : -EFAULT;
}

int app_write(uint64_t app, const void *local, size_t n)
{
	return vm_rw(1, app, (void *)local, n) == (long)n ? 0 : -EFAULT;
}

/* ---- the real handler ---- */

/* Replay: a signal the recording delivered here. */
void signal_queue_replayed(struct ttd_thread *t, const struct pending_sig *p)
{
	struct sig_state *s = &t->sig;

	if (s->npend == MAX_PENDING)
		fatal("too many pending signals");
	s->pend[s->npend++] = *p;
	__atomic_store_n(&t->sig_pending, 1, __ATOMIC_SEQ_CST);
}

static void queue(struct ttd_thread *t, int sig, int sync, const void *info,
		  const struct ucontext64 *uc)
{
	struct sig_state *s = &t->sig;
	struct pending_sig *p;

	if (s->npend == MAX_PENDING) {
		/* Standard signals coalesce in the kernel as well. */
		for (int i = 0; i < s->npend; i++)
			if (s->pend[i].sig == sig && sig < 32)
				return;
		fatal("too many pending signals");
	}
	if (!sync && sig < 32)
		for (int i = 0; i < s->npend; i++)
			if (s->pend[i].sig == sig && !s->pend[i].sync)
				return;
	if (sync) {
		memmove(&s->pend[1], &s->pend[0], sizeof(*p) * s->npend);
		p = &s->pend[0];
	} else {
		p = &s->pend[s->npend];
	}
	s->npend++;
	p->sig = sig;
	p->sync = sync;
	memcpy(p->info, info, SIGINFO_SIZE);
	p->err = uc ? uc->mc.err : 0;
	p->trapno = uc ? uc->mc.trapno : 0;
	p->cr2 = uc ? uc->mc.cr2 : 0;
	__atomic_store_n(&t->sig_pending, 1, __ATOMIC_SEQ_CST);
}

static void regs_from_mc(struct ttd_regs *r, const struct sigcontext64 *mc)
{
	r->rax = mc->rax, r->rbx = mc->rbx, r->rcx = mc->rcx;
	r->rdx = mc->rdx, r->rsi = mc->rsi, r->rdi = mc->rdi;
	r->rbp = mc->rbp, r->rsp = mc->rsp;
	r->r8 = mc->r8, r->r9 = mc->r9, r->r10 = mc->r10, r->r11 = mc->r11;
	r->r12 = mc->r12, r->r13 = mc->r13, r->r14 = mc->r14;
	r->r15 = mc->r15;
	r->rflags = mc->eflags;
	r->rip = mc->rip;
}

static void regs_to_mc(struct sigcontext64 *mc, const struct ttd_regs *r)
{
	mc->rax = r->rax, mc->rbx = r->rbx, mc->rcx = r->rcx;
	mc->rdx = r->rdx, mc->rsi = r->rsi, mc->rdi = r->rdi;
	mc->rbp = r->rbp, mc->rsp = r->rsp;
	mc->r8 = r->r8, mc->r9 = r->r9, mc->r10 = r->r10, mc->r11 = r->r11;
	mc->r12 = r->r12, mc->r13 = r->r13, mc->r14 = r->r14;
	mc->r15 = r->r15;
	mc->eflags = r->rflags;
	mc->rip = r->rip;
}

static int insn_index(struct block *b, uint32_t off)
{
	int k = 0;

	while (k + 1 < b->ninsn && b->map[k + 1].cache_off <= off)
		k++;
	return k;
}

/*
 * A fault inside a block body: rebuild the application's registers at
 * the faulting instruction (or after it, for a trap) and fix the
 * instruction count, which the block may have advanced already for
 * instructions that never ran.
 */
static int map_cache_state(struct ttd_thread *t, struct block *b,
			   struct ucontext64 *uc, int trap)
{
	uint32_t off = (uint32_t)(uc->mc.rip - (uint64_t)b->code) - trap;
	int k = insn_index(b, off);
	struct insn_map *m = &b->map[k];

	regs_from_mc(&t->ctx, &uc->mc);
	if (m->rcx_spilled && off > m->cache_off)
		t->ctx.rcx = t->s_rcx;
	t->ctx.rip = b->app_pc + m->app_off;
	if (trap)
		t->ctx.rip = k + 1 < b->ninsn
				     ? b->app_pc + b->map[k + 1].app_off
				     : b->app_end;
	t->icount -= m->counted; /* what the block's adds counted */
	t->icount += k + trap;
	return k;
}

/*
 * t's count before the instruction a trap came after: the one whose
 * translation holds the byte before host_pc.  Outside the cache, the
 * engine was emulating t's last instruction (a system call).
 */
static uint64_t trap_count(struct ttd_thread *t, uint64_t host_pc)
{
	struct block *b = cache_owns(host_pc) ? cache_find_code(host_pc) : 0;
	uint64_t n = thread_icount(t);
	int k;

	if (!b)
		return n - 1;
	/* As map_cache_state() counts. */
	k = insn_index(b, (uint32_t)(host_pc - (uint64_t)b->code) - 1);
	return n - b->map[k].counted + k;
}

static struct block *faulting_block(int sig, struct ucontext64 *uc)
{
	struct block *b = cache_find_code(uc->mc.rip);

	if (!b || uc->mc.rip - (uint64_t)b->code >= b->body_len + 64)
		fatal("signal %d in code-cache trampoline at %p", sig,
		      (void *)uc->mc.rip);
	return b;
}

/*
 * A fault inside a block body: the application's registers at the
 * faulting instruction (or after it, for a trap), its own PC in the
 * siginfo where the kernel reports the PC, and the instruction count
 * corrected for the instructions of the block that never ran.
 */
static void fault_in_cache(struct ttd_thread *t, int sig, void *info,
			   struct ucontext64 *uc)
{
	struct block *b = faulting_block(sig, uc);
	int trap = sig == SIGTRAP &&
		   *(int32_t *)((uint8_t *)info + 8) == SI_KERNEL;

	map_cache_state(t, b, uc, trap);
	if (sig == SIGILL || sig == SIGFPE)
		*(uint64_t *)((uint8_t *)info + 16) = t->ctx.rip;
	queue(t, sig, 1, info, uc);
	uc->mc.rip = (uint64_t)signal_resume;
}

/*
 * A store hit write-protected code (smc.c has flushed it).  If it wrote
 * into the block that is running, the rest of that block is stale: redo
 * the store alone and translate what follows afresh.
 */
static void smc_in_cache(struct ttd_thread *t, uint64_t addr,
			 struct ucontext64 *uc)
{
	struct block *b = faulting_block(SIGSEGV, uc);
	uint64_t page = ALIGN_DOWN(addr, PAGE_SIZE);

	if (!block_spans(b, page, page + PAGE_SIZE))
		return; /* the store simply runs again */
	map_cache_state(t, b, uc, 0);
	t->limit_next = 1;
	uc->mc.rip = (uint64_t)signal_resume;
}

/* Is 'pc' inside the block's inline indirect-branch lookup? */
static int in_ibl(struct block *b, uint64_t pc)
{
	uint64_t off = pc - (uint64_t)b->code;

	return b->has_ibl && off >= b->ibl_off && off < b->ibl_end;
}

/* Is 'pc' the lookup's prefix at the block's landing (a return's)? */
static int in_landing_prefix(struct block *b, uint64_t pc)
{
	uint64_t off = pc - (uint64_t)b->code;

	return b->land_off && off >= b->land_off &&
	       off < b->land_off + IBL_PREFIX_LEN;
}

/*
 * Send a thread that is inside a lookup to the dispatcher.  Before the
 * compare (whose displacement is ibl_patch) unlinking makes the lookup
 * miss, and lets an indirect call finish its note; from the compare on,
 * every register the lookup uses is spilled and the target is in s_tgt:
 * leave by the miss path.
 */
static void redirect_ibl(struct ttd_thread *t, struct block *b,
			 struct ucontext64 *uc)
{
	uint64_t off = uc->mc.rip - (uint64_t)b->code;

	if (off < b->ibl_patch) {
		cache_unlink_block(b);
		return;
	}
	if (b->ibl_keeps_rax)
		t->s_rax = uc->mc.rax;
	uc->mc.rip = (uint64_t)b->region->t_ibl_exit_spilled;
}

static void async_in_cache(struct ttd_thread *t, struct ucontext64 *uc)
{
	struct block *b = cache_find_code(uc->mc.rip);

	if (!b)
		return; /* a stub or trampoline: on its way out already */
	elock_acquire(&cache_lock);
	if (uc->mc.rip - (uint64_t)b->code < IBL_PREFIX_LEN ||
	    in_landing_prefix(b, uc->mc.rip)) {
		/* Entered from a lookup that may not have spilled rax:
		 * all but rdx are the application's again. */
		t->s_rax = uc->mc.rax;
		uc->mc.rip = (uint64_t)b->region->t_ibl_exit_spilled;
	} else if (in_ibl(b, uc->mc.rip)) {
		redirect_ibl(t, b, uc);
	} else
		cache_unlink_block(b);
	elock_release(&cache_lock);
}

/* A signal interrupted app_syscall: see ENGINE_E* in signal.h. */
static void async_in_syscall(struct ucontext64 *uc)
{
	uint64_t rip = uc->mc.rip;

	if (rip == (uint64_t)(uintptr_t)app_syscall)
		uc->mc.rip = (uint64_t)app_syscall_abort_unpushed;
	else if (rip < (uint64_t)app_syscall_insn)
		uc->mc.rip = (uint64_t)app_syscall_abort_pushed;
	else if (rip == (uint64_t)app_syscall_insn)
		uc->mc.rip = (uint64_t)app_syscall_restart;
}

static void async_signal(struct ttd_thread *t, int sig, void *info,
			 struct ucontext64 *uc)
{
	uint64_t rip = uc->mc.rip;

	queue(t, sig, 0, info, NULL);
	if (cache_owns(rip)) {
		async_in_cache(t, uc);
	} else if (rip >= (uint64_t)(uintptr_t)app_syscall &&
		   rip <= (uint64_t)app_syscall_insn) {
		async_in_syscall(uc);
	} else if (__atomic_load_n(&t->in_cache, __ATOMIC_SEQ_CST) &&
		   t->next_block) {
		/* Between the dispatcher and the block it chose. */
		elock_acquire(&cache_lock);
		cache_unlink_block(t->next_block);
		elock_release(&cache_lock);
	}
}

static int is_fault_signal(int sig)
{
	return sig == SIGSEGV || sig == SIGBUS || sig == SIGILL ||
	       sig == SIGFPE || sig == SIGTRAP;
}

static int is_sync_fault(int sig, void *info)
{
	int code = *(int32_t *)((uint8_t *)info + 8);

	return is_fault_signal(sig) && code > 0;
}

int smc_handle_fault(uint64_t addr);

static void engine_sig(int sig, void *info, void *ucv)
{
	struct ucontext64 *uc = ucv;
	struct ttd_thread *t = cur_thread();
	uint64_t rip = uc->mc.rip;

	if (sig == SIGTRAP && *(int32_t *)((uint8_t *)info + 8) == TRAP_PERF &&
	    agent_on) {
		agent_trap(t, trap_count(t, rip), info);
		return;
	}
	if (is_sync_fault(sig, info)) {
		uint64_t addr = *(uint64_t *)((uint8_t *)info + 16);
		int code = *(int32_t *)((uint8_t *)info + 8);

		if (sig == SIGSEGV && code == SEGV_ACCERR &&
		    smc_handle_fault(addr)) {
			if (cache_owns(rip))
				smc_in_cache(t, addr, uc);
			return;
		}
		if (cache_owns(rip)) {
			fault_in_cache(t, sig, info, uc);
			return;
		}
		fatal("signal %d (code %d, address %p) inside the engine at "
		      "%p; application pc %p",
		      sig, code, (void *)addr, (void *)rip, (void *)t->ctx.rip);
	}
	if (engine_mode == MODE_REPLAY) {
		/* Replay's signals come from the recording; the user can
		 * still interrupt it. */
		if (sig == 2 || sig == 15 || sig == 1)
			sys_exit_group(128 + sig);
		return;
	}
	async_signal(t, sig, info, uc);
}

/* ---- installing handlers ---- */

static long install_real(int sig, const struct k_sigaction *app)
{
	struct k_sigaction k;

	memset(&k, 0, sizeof(k));
	if (!engine_owned(sig) &&
	    (app->handler == SIG_DFL_ || app->handler == SIG_IGN_)) {
		k.handler = app->handler;
		k.flags = (app->flags & ~SA_RESTORER) | SA_RESTORER;
		k.restorer = (uint64_t)sig_restorer;
		k.mask = app->mask;
	} else {
		k.handler = (uint64_t)engine_sig;
		k.flags = SA_SIGINFO | SA_ONSTACK | SA_RESTART | SA_RESTORER;
		k.restorer = (uint64_t)sig_restorer;
		k.mask = ~0ULL;
	}
	return sys_call4(__NR_rt_sigaction, sig, &k, NULL, 8);
}

void signal_init(void)
{
	uint32_t v[4];

	__asm__ volatile("cpuid"
			 : "=a"(v[0]), "=b"(v[1]), "=c"(v[2]), "=d"(v[3])
			 : "a"(0xd), "c"(0));
	xstate_size = v[1];
	{
		uint32_t lo, hi;
		__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
		xcr0 = ((uint64_t)hi << 32) | lo;
	}
	for (int sig = 1; sig < NSIG_; sig++) {
		struct k_sigaction old;
		if (sig == SIGKILL || sig == SIGSTOP)
			continue;
		if (sys_call4(__NR_rt_sigaction, sig, NULL, &old, 8))
			continue;
		app_act[sig] = old;
		if (engine_owned(sig) ||
		    (old.handler != SIG_DFL_ && old.handler != SIG_IGN_))
			install_real(sig, &old);
	}
}

/*
 * Mark the x87 and SSE state in use, as every return from a real signal
 * does (the kernel forces both bits into the frames it restores).  Which
 * components are "in use" shows in what the program's own xsavec and
 * xsaveopt write (ld.so's lazy binding saves registers that way): with
 * the bits set from the start they no longer depend on whether a real
 * signal happened to arrive, so recording and replay write alike.
 */
void fpu_mark_in_use(void)
{
	uint8_t buf[8192 + 128];
	uint8_t *area = (uint8_t *)ALIGN_UP((uintptr_t)buf, 64);

	if (xstate_size > 8192)
		return;
	xsave_current(area);
	*(uint64_t *)(area + 512) |= 3; /* XSTATE_BV: x87, SSE */
	xrstor_area(area);
}

void signal_thread_init(struct ttd_thread *t)
{
	struct stack_t64 ss = { (uint64_t)t->sigstack_base, 0, 0,
				SIGNAL_STACK_SIZE };

	if (sys_call2(__NR_sigaltstack, &ss, NULL))
		fatal("cannot set the engine's signal stack");
	t->sig.alt_flags = SS_DISABLE;
}

void signal_after_fork(void)
{
	act_lock.v = 0;
}

long signal_sys_sigaction(int sig, uint64_t act, uint64_t oact, uint64_t sz)
{
	struct k_sigaction k, old;
	long ret = 0;

	if (sz != 8)
		return -EINVAL;
	if (sig < 1 || sig >= NSIG_ ||
	    ((sig == SIGKILL || sig == SIGSTOP) && act))
		return -EINVAL;
	if (act && app_read(act, &k, sizeof(k)))
		return -EFAULT;
	elock_acquire(&act_lock);
	old = app_act[sig];
	if (act) {
		app_act[sig] = k;
		ret = install_real(sig, &k);
	}
	elock_release(&act_lock);
	if (ret)
		return ret;
	if (oact && app_write(oact, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

static int on_alt_stack(struct ttd_thread *t, uint64_t sp)
{
	struct sig_state *s = &t->sig;

	return s->alt_size && !(s->alt_flags & SS_DISABLE) && sp > s->alt_sp &&
	       sp - s->alt_sp <= s->alt_size;
}

static void altstack_report(struct ttd_thread *t, struct stack_t64 *o)
{
	struct sig_state *s = &t->sig;

	o->ss_sp = s->alt_sp;
	o->ss_size = s->alt_size;
	o->pad = 0;
	if (on_alt_stack(t, t->ctx.rsp))
		o->ss_flags = SS_ONSTACK;
	else if (!s->alt_size || (s->alt_flags & SS_DISABLE))
		o->ss_flags = SS_DISABLE;
	else
		o->ss_flags = s->alt_flags & SS_AUTODISARM;
}

long signal_sys_sigaltstack(struct ttd_thread *t, uint64_t ssp, uint64_t ossp)
{
	struct stack_t64 ss, oss;
	struct sig_state *s = &t->sig;

	altstack_report(t, &oss);
	if (ssp) {
		int mode;
		if (app_read(ssp, &ss, sizeof(ss)))
			return -EFAULT;
		if (on_alt_stack(t, t->ctx.rsp))
			return -EPERM;
		mode = ss.ss_flags & ~SS_AUTODISARM;
		if (mode != SS_DISABLE && mode != SS_ONSTACK && mode != 0)
			return -EINVAL;
		if (mode == SS_DISABLE) {
			s->alt_sp = 0;
			s->alt_size = 0;
			s->alt_flags = SS_DISABLE;
		} else {
			if (ss.ss_size < 2048) /* MINSIGSTKSZ */
				return -ENOMEM;
			s->alt_sp = ss.ss_sp;
			s->alt_size = ss.ss_size;
			s->alt_flags = ss.ss_flags & SS_AUTODISARM;
		}
	}
	if (ossp && app_write(ossp, &oss, sizeof(oss)))
		return -EFAULT;
	return 0;
}

/* ---- building frames ---- */

void xsave_current(uint8_t *area)
{
	memset(area, 0, xstate_size);
	__asm__ volatile("xsave64 (%0)"
			 :
			 : "r"(area), "a"((uint32_t)xcr0),
			   "d"((uint32_t)(xcr0 >> 32))
			 : "memory");
}

void xrstor_area(const uint8_t *area)
{
	__asm__ volatile("xrstor64 (%0)"
			 :
			 : "r"(area), "a"((uint32_t)xcr0),
			   "d"((uint32_t)(xcr0 >> 32))
			 : "memory");
}

/* The software-reserved bytes that make an fxsave area an xstate frame. */
static void fp_sw_bytes(uint8_t *area)
{
	uint32_t *sw = (uint32_t *)(area + 464);

	sw[0] = FP_XSTATE_MAGIC1;
	sw[1] = xstate_size + 4;
	*(uint64_t *)&sw[2] = xcr0;
	sw[4] = xstate_size;
	*(uint32_t *)(area + xstate_size) = FP_XSTATE_MAGIC2;
	/*
	 * Which components are "in use" is the processor's business (a
	 * context switch may drop a component in its initial state): mark
	 * x87, SSE and AVX saved, as their areas hold their values or their
	 * initial ones, so that frames do not depend on it.
	 */
	*(uint64_t *)(area + 512) |= xcr0 & 7;
}

static void fp_init_state(void)
{
	uint8_t buf[4096 + 64] = { 0 };
	uint8_t *area = (uint8_t *)ALIGN_UP((uintptr_t)buf, 64);

	*(uint16_t *)area = 0x37f; /* fcw */
	*(uint32_t *)(area + 24) = 0x1f80; /* mxcsr */
	/* Initial values, but x87 and SSE marked in use: see
	 * fpu_mark_in_use(). */
	*(uint64_t *)(area + 512) = 3;
	xrstor_area(area);
}

/* Kill the process with 'sig' as its default action would. */
static __attribute__((noreturn)) void die_by(struct ttd_thread *t, int sig)
{
	struct k_sigaction dfl = { SIG_DFL_, SA_RESTORER,
				   (uint64_t)sig_restorer, 0 };
	uint64_t unblock = sigbit(sig);

	if (mode_rr())
		rr_thread_exit(t, sig, 1);
	syscall_exit_hook(t, -1);
	sys_call4(__NR_rt_sigaction, sig, &dfl, NULL, 8);
	sys_call4(__NR_rt_sigprocmask, 1 /* SIG_UNBLOCK */, &unblock, NULL, 8);
	for (;;) {
		sys_call3(__NR_tgkill, sys_getpid(), sys_gettid(), sig);
		sys_call4(__NR_rt_sigprocmask, 1, &unblock, NULL, 8);
	}
}

static int ignored_by_default(int sig)
{
	return sig == SIGCHLD || sig == SIGURG || sig == SIGWINCH ||
	       sig == SIGCONT;
}

/* Build the frame for one signal; returns 0 on success. */
static int build_frame(struct ttd_thread *t, struct pending_sig *p,
		       const struct k_sigaction *act, uint64_t app_mask)
{
	uint8_t fpbuf[8192 + 128];
	uint8_t *fp = (uint8_t *)ALIGN_UP((uintptr_t)fpbuf, 64);
	struct rt_sigframe64 f;
	uint64_t sp = t->ctx.rsp, fp_app, frame;
	uint32_t fpsize = xstate_size + 4;

	if (xstate_size + 4 > 8192)
		fatal("xstate area too large (%u)", xstate_size);
	if ((act->flags & SA_ONSTACK) && t->sig.alt_size &&
	    !(t->sig.alt_flags & SS_DISABLE) && !on_alt_stack(t, sp))
		sp = t->sig.alt_sp + t->sig.alt_size;
	else
		sp -= 128;
	fp_app = ALIGN_DOWN(sp - fpsize, 64);
	frame = ALIGN_DOWN(fp_app - sizeof(f), 16) - 8;

	xsave_current(fp);
	fp_sw_bytes(fp);
	memset(&f, 0, sizeof(f));
	f.pretcode = act->restorer;
	f.uc.uc_flags = UC_FLAGS;
	altstack_report(t, &f.uc.uc_stack);
	regs_to_mc(&f.uc.mc, &t->ctx);
	f.uc.mc.cs = 0x33;
	f.uc.mc.ss = 0x2b;
	f.uc.mc.err = p->err;
	f.uc.mc.trapno = p->trapno;
	f.uc.mc.cr2 = p->cr2;
	f.uc.mc.oldmask = app_mask;
	f.uc.mc.fpstate = fp_app;
	f.uc.uc_sigmask = app_mask;
	memcpy(f.info, p->info, SIGINFO_SIZE);
	if (app_write(fp_app, fp, fpsize) || app_write(frame, &f, sizeof(f)))
		return -1;
	if (t->sig.alt_flags & SS_AUTODISARM && on_alt_stack(t, frame + 8)) {
		t->sig.alt_sp = 0;
		t->sig.alt_size = 0;
		t->sig.alt_flags = SS_DISABLE;
	}
	t->ctx.rsp = frame;
	t->ctx.rip = act->handler;
	t->ctx.rdi = (uint64_t)p->sig;
	t->ctx.rsi = frame + __builtin_offsetof(struct rt_sigframe64, info);
	t->ctx.rdx = frame + __builtin_offsetof(struct rt_sigframe64, uc);
	t->ctx.rax = 0;
	t->ctx.rflags &= ~(0x400ULL | 0x100ULL | 0x10000ULL); /* DF TF RF */
	fp_init_state();
	return 0;
}

/* Pick the next deliverable signal (synchronous ones first). */
static int next_pending(struct sig_state *s, uint64_t mask,
			struct pending_sig *out)
{
	for (int i = 0; i < s->npend; i++) {
		if (!s->pend[i].sync && (mask & sigbit(s->pend[i].sig)))
			continue;
		*out = s->pend[i];
		memmove(&s->pend[i], &s->pend[i + 1],
			sizeof(*out) * (s->npend - i - 1));
		s->npend--;
		return 1;
	}
	return 0;
}

static void deliver_one(struct ttd_thread *t, struct pending_sig *p,
			uint64_t *mask)
{
	struct k_sigaction act = app_act[p->sig];
	uint64_t frame_mask = *mask;

	if (engine_mode == MODE_RECORD)
		record_signal(t, p);
	else if (engine_mode == MODE_REPLAY)
		replay_signal(t, p);

	if (p->sync && (act.handler == SIG_IGN_ || (*mask & sigbit(p->sig))))
		die_by(t, p->sig); /* as the kernel's force_sig does */
	if (act.handler == SIG_IGN_)
		return;
	if (act.handler == SIG_DFL_) {
		if (ignored_by_default(p->sig))
			return;
		die_by(t, p->sig);
	}
	if (t->sig.mask_override) {
		frame_mask = t->sig.restore_mask;
		t->sig.mask_override = 0;
	}
	if (build_frame(t, p, &act, frame_mask))
		die_by(t, SIGSEGV);
	*mask = frame_mask | act.mask;
	if (!(act.flags & SA_NODEFER))
		*mask |= sigbit(p->sig);
	if (act.flags & SA_RESETHAND) {
		/* Only the handler is reset; the kernel keeps the flags. */
		app_act[p->sig].handler = SIG_DFL_;
		install_real(p->sig, &app_act[p->sig]);
	}
}

/*
 * sig_pending means "a queued signal can be delivered now": it makes the
 * dispatcher cut blocks short, so it must not stay set for signals that
 * the application's mask keeps blocked.  Recomputed whenever the mask
 * changes.
 */
static void recheck_pending(struct ttd_thread *t, uint64_t mask)
{
	struct sig_state *s = &t->sig;
	uint64_t eff = s->mask_override ? s->override_mask : mask;
	int due = 0;

	for (int i = 0; i < s->npend && !due; i++)
		due = s->pend[i].sync || !(eff & sigbit(s->pend[i].sig));
	__atomic_store_n(&t->sig_pending, due, __ATOMIC_SEQ_CST);
}

void signal_mask_changed(struct ttd_thread *t)
{
	uint64_t mask;

	if (!t->sig.npend)
		return;
	mask = signal_block_all();
	recheck_pending(t, mask);
	signal_set_mask(mask);
}

void signal_deliver_pending(struct ttd_thread *t)
{
	struct pending_sig p;
	uint64_t mask, eff;

	if (!__atomic_load_n(&t->sig_pending, __ATOMIC_SEQ_CST))
		return;
	mask = signal_block_all();
	for (;;) {
		eff = t->sig.mask_override ? t->sig.override_mask : mask;
		if (!next_pending(&t->sig, eff, &p))
			break;
		if (t->sig.mask_override)
			mask = t->sig.override_mask;
		deliver_one(t, &p, &mask);
	}
	t->sig.mask_override = 0;
	recheck_pending(t, mask);
	signal_set_mask(mask);
}

/* rt_sigreturn: restore what build_frame (or the app) left in the frame. */
void signal_sys_sigreturn(struct ttd_thread *t)
{
	uint8_t fpbuf[8192 + 128];
	uint8_t *fp = (uint8_t *)ALIGN_UP((uintptr_t)fpbuf, 64);
	struct ucontext64 uc;
	uint64_t flags_fix = 0x40dd5; /* AC OF DF TF SF ZF AF PF CF RF NT */

	if (app_read(t->ctx.rsp, &uc, sizeof(uc)))
		die_by(t, SIGSEGV);
	regs_from_mc(&t->ctx, &uc.mc);
	t->ctx.rflags = (t->ctx.rflags & ~flags_fix) |
			(uc.mc.eflags & flags_fix) | 0x202;
	if (uc.mc.fpstate) {
		if (app_read(uc.mc.fpstate, fp, xstate_size))
			die_by(t, SIGSEGV);
		xrstor_area(fp);
	} else {
		fp_init_state();
	}
	{
		struct stack_t64 ss = uc.uc_stack;
		struct sig_state *s = &t->sig;
		if (!(ss.ss_flags & SS_DISABLE) && ss.ss_size >= 2048) {
			s->alt_sp = ss.ss_sp;
			s->alt_size = ss.ss_size;
			s->alt_flags = ss.ss_flags & SS_AUTODISARM;
		} else if (ss.ss_flags & SS_DISABLE) {
			s->alt_sp = s->alt_size = 0;
			s->alt_flags = SS_DISABLE;
		}
	}
	signal_set_mask(uc.uc_sigmask);
	signal_mask_changed(t);
}

void signal_code_fault(struct ttd_thread *t, uint64_t pc, int kind)
{
	uint8_t info[SIGINFO_SIZE] = { 0 };
	int sig = kind == 2 ? SIGILL : SIGSEGV;

	*(int32_t *)info = sig;
	*(int32_t *)(info + 8) =
		kind == 2 ? 1 /* ILL_ILLOPC */ : (kind == 3 ? SI_KERNEL : 2);
	*(uint64_t *)(info + 16) = pc;
	t->ctx.rip = pc;
	queue(t, sig, 1, info, NULL);
	if (kind == 1)
		t->sig.pend[0].err = 0x15, t->sig.pend[0].trapno = 14,
		t->sig.pend[0].cr2 = pc;
	else if (kind == 2)
		t->sig.pend[0].trapno = 6;
}

/* Back from a fault: the dispatcher takes over (see signal_resume). */
uintptr_t signal_resume_c(void)
{
	return dispatch_resume(cur_thread());
}
