// SPDX-License-Identifier: GPL-2.0
/*
 * Threads: engine state per thread, GS installation, and the clone
 * variants.  A thread that shares the address space (CLONE_VM: threads
 * and vfork children) gets its own engine state and stack before it runs
 * a single instruction; a forked child keeps running in its copy of the
 * engine with the state it inherited.
 */
#include "thread.h"
#include "translate.h"
#include "cache.h"
#include "dispatch.h"
#include "heap.h"
#include "lib.h"
#include "mode.h"
#include "linux/sys.h"
#include <asm/prctl.h>
#include "linux/signal.h"
#include "linux/syscall.h"
#include "linux/smc.h"

#define CLONE_VM 0x00000100UL
#define CLONE_VFORK 0x00004000UL
#define CLONE_SETTLS 0x00080000UL
#define CLONE_THREAD 0x00010000UL
#define CLONE_CHILD_CLEARTID 0x00200000UL
#define CLONE_CHILD_SETTID 0x01000000UL
#define SIGCHLD_ 17

struct ttd_thread *thread_list;
struct elock thread_lock;

long clone_trampoline(uint64_t flags, void *stack, uint64_t ptid, uint64_t ctid,
		      uint64_t tls, struct ttd_thread *child);
long clone3_trampoline(void *args, uint64_t size, struct ttd_thread *child);

struct ttd_thread *thread_new(int tid)
{
	struct ttd_thread *t = heap_pages(sizeof(*t), PROT_READ | PROT_WRITE);
	uint8_t *stack = heap_pages(ENGINE_STACK_SIZE, PROT_READ | PROT_WRITE);

	t->self = t;
	t->ibl_mask = (IBL_ENTRIES - 1) << 1;
	t->tid = tid;
	t->stack_base = stack;
	t->engine_sp = (uint64_t)(stack + ENGINE_STACK_SIZE - 64);
	t->sigstack_base =
		heap_pages(SIGNAL_STACK_SIZE, PROT_READ | PROT_WRITE);
	t->target = BUDGET_BIAS + BUDGET_NONE;
	return t;
}

void thread_install(struct ttd_thread *t)
{
	if (sys_call2(__NR_arch_prctl, ARCH_SET_GS, t))
		fatal("cannot set the GS base");
	signal_thread_init(t);
	elock_acquire(&thread_lock);
	t->next = thread_list;
	thread_list = t;
	elock_release(&thread_lock);
}

/* Remove a flushed block from every thread's lookup table.  Another
 * thread may be reading the entry: it then sees the old block (still
 * valid memory) or ibl_stale, never a torn pair. */
void thread_ibl_forget(uint64_t app_pc)
{
	extern char ibl_stale[];
	uint32_t h = ibl_hash(app_pc);

	for (struct ttd_thread *t = thread_list; t; t = t->next) {
		struct ibl_entry *tab[2] = { &t->ibl[h], &t->ibl_p[h] };

		for (int i = 0; i < 2; i++) {
			struct ibl_entry *e = tab[i];

			if (e->key != IBL_KEY_BIAS - app_pc)
				continue;
			__atomic_store_n(&e->code, (uint64_t)ibl_stale,
					 __ATOMIC_RELEASE);
			__atomic_store_n(&e->key, 0, __ATOMIC_RELEASE);
		}
	}
}

/* First code a new CLONE_VM thread runs, on its own engine stack. */
void thread_child_start(struct ttd_thread *t)
{
	t->tid = (int)sys_gettid();
	thread_install(t);
	signal_set_mask(t->ctx.r11); /* parked there by the parent */
	t->ctx.r11 = t->ctx.rflags;
	if (mode_rr())
		rr_thread_start(t);
	dispatch_start(t);
}

/*
 * The engine state of a CLONE_VM child (a thread or a vfork child): its
 * own stack, at whose top the pointer the trampoline hands to
 * thread_child_start() is parked.
 */
static struct ttd_thread *vm_child(struct ttd_thread *t, uint64_t *flagsp,
				   uint64_t newsp, uint64_t tls, uint64_t ctid,
				   uint64_t **top)
{
	struct ttd_thread *c = thread_new(0);
	uint64_t flags = *flagsp;

	*top = (uint64_t *)(c->engine_sp - 16);
	**top = (uint64_t)c;
	c->ctx = t->ctx;
	c->ctx.rax = 0;
	if (newsp)
		c->ctx.rsp = newsp;
	if (flags & CLONE_SETTLS)
		c->ctx.fs_base = tls;
	c->app_gs_base = t->app_gs_base;
	c->sig.alt_flags = 2; /* SS_DISABLE: not inherited by threads */
	if (!(flags & 0x00010000UL /* CLONE_THREAD */)) {
		c->sig.alt_sp = t->sig.alt_sp; /* vfork keeps it */
		c->sig.alt_size = t->sig.alt_size;
		c->sig.alt_flags = t->sig.alt_flags;
	}
	c->rp = t->rp;
	c->rr_vfork = !(flags & CLONE_THREAD);
	if (mode_rr())
		*flagsp = rr_clone_flags(c, flags, ctid);
	return c;
}

/*
 * Recording and replay: the engine, not the kernel, writes the child's
 * tid words, at points that are the same in both.
 */
uint64_t rr_clone_flags(struct ttd_thread *c, uint64_t flags, uint64_t ctid)
{
	if (flags & CLONE_CHILD_CLEARTID)
		c->clear_tid = ctid;
	if (flags & CLONE_CHILD_SETTID)
		c->set_tid = ctid;
	return flags & ~(CLONE_CHILD_CLEARTID | CLONE_CHILD_SETTID);
}

struct ttd_thread *thread_vm_child(struct ttd_thread *t, uint64_t *flags,
				   uint64_t newsp, uint64_t tls, uint64_t ctid)
{
	uint64_t *top;

	return vm_child(t, flags, newsp, tls, ctid, &top);
}

static void clone_vm(struct ttd_thread *t, uint64_t flags, uint64_t newsp,
		     uint64_t ptid, uint64_t ctid, uint64_t tls)
{
	uint64_t *top, mask;
	struct ttd_thread *c = vm_child(t, &flags, newsp, tls, ctid, &top);
	long ret;

	if (mode_rr())
		rr_clone_before(t, c);
	/* The child must not take a signal before its GS is set. */
	mask = signal_block_all();
	c->ctx.r11 = mask;
	ret = clone_trampoline(flags, top, ptid, ctid, tls, c);
	signal_set_mask(mask);
	t->ctx.rax = (uint64_t)ret;
	if (mode_rr())
		rr_clone_after(t, c, ret);
}

/*
 * fork, or a clone without CLONE_VM: the child is a copy of us and goes
 * on in its copy of the engine.  Run through syscall_run_native so that a
 * signal arriving first defers the call as it does any other.
 */
static void fork_copy(struct ttd_thread *t)
{
	uint64_t rip = t->ctx.rip, flags = t->ctx.rdi;
	uint64_t clear_tid = t->clear_tid, set_tid = t->set_tid;

	/* The child's tid words go to the child's state (and the parent's
	 * copy of it is put back below). */
	if (mode_rr() && t->ctx.rax == __NR_clone)
		t->ctx.rdi = rr_clone_flags(t, flags, t->ctx.r10);
	syscall_run_native(t);
	t->ctx.rdi = flags;
	if (t->ctx.rip == rip && t->ctx.rax == 0) {
		threads_after_fork(t);
		if (mode_rr())
			rr_after_fork(t, 0);
		return;
	}
	t->clear_tid = clear_tid;
	t->set_tid = set_tid;
}

/* struct clone_args, as far as the engine needs to look into it. */
struct clone_args_ {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal;
	uint64_t stack, stack_size, tls;
};

/*
 * clone3: as clone, with the arguments in memory.  A CLONE_VM child gets
 * the engine's stack in a private copy of the arguments; the application's
 * stack becomes its rsp.
 */
static long sys_clone3(struct ttd_thread *t)
{
	uint8_t buf[256] __attribute__((aligned(8))) = { 0 };
	struct clone_args_ *a = (struct clone_args_ *)buf;
	uint64_t size = t->ctx.rsi, *top, mask, newsp;
	struct ttd_thread *c;
	long ret;

	if (size < 64 || size > sizeof(buf))
		return size < 64 ? -EINVAL : -E2BIG;
	if (app_read(t->ctx.rdi, buf, size))
		return -EFAULT;
	if (!(a->flags & CLONE_VM)) {
		if (a->stack)
			return -ENOSYS; /* a forked child on a new stack */
		fork_copy(t);
		return (long)t->ctx.rax;
	}
	newsp = a->stack ? a->stack + a->stack_size : 0;
	c = vm_child(t, &a->flags, newsp, a->tls, a->child_tid, &top);
	a->stack = (uint64_t)c->stack_base;
	a->stack_size = (uint64_t)top - (uint64_t)c->stack_base;
	if (mode_rr())
		rr_clone_before(t, c);
	mask = signal_block_all();
	c->ctx.r11 = mask;
	ret = clone3_trampoline(buf, size, c);
	signal_set_mask(mask);
	if (mode_rr())
		rr_clone_after(t, c, ret);
	return ret;
}

void threads_after_fork(struct ttd_thread *survivor)
{
	thread_lock.v = 0;
	survivor->next = NULL;
	survivor->tid = (int)sys_gettid();
	thread_list = survivor;
	survivor->sig.npend = 0;
	survivor->sig_pending = 0;
	cache_after_fork();
	heap_after_fork();
	signal_after_fork();
	smc_after_fork();
}

void thread_sys_clone(struct ttd_thread *t, long nr)
{
	uint64_t flags = t->ctx.rdi;

	if (nr == __NR_clone3) {
		t->ctx.rax = (uint64_t)sys_clone3(t);
		return;
	}
	if (nr == __NR_vfork) {
		clone_vm(t, CLONE_VM | CLONE_VFORK | SIGCHLD_, 0, 0, 0, 0);
		return;
	}
	if (nr == __NR_clone && (flags & CLONE_VM)) {
		clone_vm(t, flags, t->ctx.rsi, t->ctx.rdx, t->ctx.r10,
			 t->ctx.r8);
		return;
	}
	fork_copy(t);
}

void threads_print_stats(struct strbuf *sb)
{
	int pid = (int)sys_getpid();

	for (struct ttd_thread *t = thread_list; t; t = t->next)
		sb_printf(sb, "thread %d %d instructions %lu\n", pid, t->tid,
			  (unsigned long)thread_icount(t));
}
