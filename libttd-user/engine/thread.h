/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-thread engine state.  It is reached through the GS segment base,
 * which the application does not use on x86-64 Linux (its TLS is FS), so
 * translated code can spill registers and count instructions without a
 * free register and without touching the application's stack.  The first
 * fields have fixed offsets that generated code and entry.S depend on.
 */
#ifndef TTD_ENGINE_THREAD_H
#define TTD_ENGINE_THREAD_H

#define T_SELF 0x00
#define T_ICOUNT 0x08
#define T_S_RCX 0x10
#define T_S_RAX 0x18
#define T_S_RDX 0x20
#define T_S_TGT 0x28
#define T_S_JMP 0x30
#define T_S_CNT 0x38
#define T_ENGINE_SP 0x40
#define T_TARGET 0x48
#define T_IBL_MASK 0x50 /* pdep mask of the lookup's index */
#define T_CTX 0x80 /* struct ttd_regs */
/*
 * Precise mode's budget (t->target) is kept as remaining + BUDGET_BIAS;
 * BUDGET_NONE is the budget of threads that never stop.  The dispatcher
 * keeps it current: translated code never reads it, but draws on shares
 * of it handed out in the count slots (see budget_arm() in dispatch.c).
 */
#define BUDGET_BIAS (1ULL << 56)
#define BUDGET_NONE (1ULL << 55)
/*
 * A checked precise block may run up to PRECISE_PREFIX_MAX instructions
 * before its budget check, so precise code enters a checked block only
 * with at least BUDGET_RESERVE instructions of budget beyond the shares.
 */
#define PRECISE_PREFIX_MAX 15
#define BUDGET_RESERVE (PRECISE_PREFIX_MAX + 1)
#define IBL_KEY_BIAS 0x7fffffffUL
#define T_SLOTS 0x140 /* instruction-count slots */
#define NSLOTS 8
#define T_IBL 0x1000 /* the indirect-branch table */
#define IBL_BITS 18
#define IBL_ENTRIES (1UL << IBL_BITS)
/* Precise blocks look up in a table of their own. */
#define T_IBL_P (T_IBL + IBL_ENTRIES * 16)

#define ENGINE_STACK_SIZE (256UL << 10)
#define SIGNAL_STACK_SIZE (128UL << 10)

#ifndef __ASSEMBLER__
#include <stdint.h>
#include "boot.h"
#include "lib.h"
#include "linux/sigstate.h"

struct ibl_entry {
	/* IBL_KEY_BIAS - pc: a lea-and-jrcxz match.  A never-used slot
	 * (zero, as fresh memory is) matches no plausible target. */
	uint64_t key;
	uint64_t code; /* code-cache address */
};

struct block;

struct ttd_thread {
	struct ttd_thread *self;
	uint64_t icount; /* instructions retired by this thread */
	uint64_t s_rcx, s_rax, s_rdx, s_tgt, s_jmp, s_cnt;
	uint64_t engine_sp;
	uint64_t target; /* precise mode: remaining + BUDGET_BIAS */
	uint64_t ibl_mask; /* the lookup index's bits, for pdep */
	uint64_t budget_mark; /* the count when target was last current */
	uint64_t pad0[4];
	struct ttd_regs ctx; /* application state while in the engine */
	uint64_t pad1[4];
	/*
	 * Blocks add their length to one of these slots, chosen per block,
	 * rather than to icount: consecutive blocks then update different
	 * memory words, so the adds do not form one long store-to-load
	 * dependency chain.  The count is icount plus all the slots.  In
	 * precise mode a slot starts at minus its share of the budget (and
	 * icount is raised by the shares), so that "share used up" is
	 * "the slot went above zero".
	 */
	uint64_t slots[NSLOTS];

	int tid;
	int in_cache; /* executing application code */
	uint64_t app_gs_base; /* the application's emulated GS base */
	void *stack_base; /* engine stack (low end) */
	void *sigstack_base;
	struct ttd_thread *next; /* all threads of this process */
	int exited;
	int sig_pending; /* an asynchronous signal is queued */
	struct block *next_block; /* the block being entered */
	int limit_next; /* translate the next block as one insn */

	/* Recording and replay (record/rr.h). */
	struct rr_proc *rp;
	uint64_t clear_tid; /* CLONE_CHILD_CLEARTID, emulated */
	uint64_t set_tid; /* CLONE_CHILD_SETTID, emulated */
	int rr_tid; /* the thread's id in the recording */
	int rr_vfork; /* a CLONE_VM child that is a new process */
	int rr_wait; /* replay: parked in a system call */
	uint64_t rr_mask; /* replay: its signal mask while switched out */
	uint8_t *rr_fpu; /* replay: its vector state while switched out */
	uint8_t *rr_scratch; /* recording: buffers of blocking calls */
	uint64_t rr_scratch_len;
	uint64_t rr_brk; /* replay: the emulated program break */

	struct ibl_entry ibl[IBL_ENTRIES] __attribute__((aligned(4096)));
	struct ibl_entry ibl_p[IBL_ENTRIES]; /* of precise blocks */
	struct sig_state sig;
};

_Static_assert(__builtin_offsetof(struct ttd_thread, ctx) == T_CTX, "ctx");
_Static_assert(__builtin_offsetof(struct ttd_thread, icount) == T_ICOUNT, "");
_Static_assert(__builtin_offsetof(struct ttd_thread, target) == T_TARGET, "");
_Static_assert(__builtin_offsetof(struct ttd_thread, engine_sp) == T_ENGINE_SP,
	       "");
_Static_assert(__builtin_offsetof(struct ttd_thread, ibl) == T_IBL, "ibl");
_Static_assert(__builtin_offsetof(struct ttd_thread, ibl_p) == T_IBL_P, "");
_Static_assert(__builtin_offsetof(struct ttd_thread, slots) == T_SLOTS, "");
_Static_assert(__builtin_offsetof(struct ttd_thread, ibl_mask) == T_IBL_MASK,
	       "");

/* Instructions retired by the thread so far. */
static inline uint64_t thread_icount(const struct ttd_thread *t)
{
	uint64_t n = t->icount;

	for (int i = 0; i < NSLOTS; i++)
		n += t->slots[i];
	return n;
}

/* A new budget of left instructions from now (from the dispatcher). */
static inline void thread_set_budget(struct ttd_thread *t, uint64_t left)
{
	t->budget_mark = thread_icount(t);
	t->target = BUDGET_BIAS + left;
}

static inline struct ttd_thread *cur_thread(void)
{
	struct ttd_thread *t;

	__asm__("mov %%gs:0, %0" : "=r"(t));
	return t;
}

struct ttd_thread *thread_new(int tid);
void thread_install(struct ttd_thread *t);
void thread_ibl_forget(uint64_t app_pc);
void threads_after_fork(struct ttd_thread *survivor);
void threads_print_stats(struct strbuf *sb);
void thread_sys_clone(struct ttd_thread *t, long nr);
void thread_child_start(struct ttd_thread *t);
/* The engine state of a CLONE_VM child, without creating it (replay). */
struct ttd_thread *thread_vm_child(struct ttd_thread *t, uint64_t *flags,
				   uint64_t newsp, uint64_t tls, uint64_t ctid);
uint64_t rr_clone_flags(struct ttd_thread *c, uint64_t flags, uint64_t ctid);

extern struct ttd_thread *thread_list;
extern struct elock thread_lock;
#endif

#endif
