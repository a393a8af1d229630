// SPDX-License-Identifier: GPL-2.0
/*
 * The dispatcher.  Every exit from translated code lands here with the
 * application's registers in the thread context: it handles what the exit
 * asked for (a system call, an instruction to emulate, a missed indirect
 * branch), delivers pending signals, finds or translates the next block,
 * links the exit to it where possible, and returns its address.
 */
#include "dispatch.h"
#include "cache.h"
#include "translate.h"
#include "thread.h"
#include "lib.h"
#include "mode.h"
#include "linux/sys.h"
#include "linux/syscall.h"
#include "linux/signal.h"
#include "x86/special.h"
#include "replay/agent.h"

struct engine_opts eopts;
uint64_t stat_exits[8];

uint64_t now_ns(void)
{
	struct {
		long s, ns;
	} ts;

	sys_call2(__NR_clock_gettime, 1 /* CLOCK_MONOTONIC */, &ts);
	return (uint64_t)ts.s * 1000000000ULL + ts.ns;
}

static void ibl_insert(struct ttd_thread *t, uint64_t pc, struct block *b)
{
	struct ibl_entry *e = &(b->precise ? t->ibl_p : t->ibl)[ibl_hash(pc)];

	if (b->nolink)
		return;
	/* Readers check the key, then read code: write code first. */
	__atomic_store_n(&e->code, (uint64_t)ibl_stale, __ATOMIC_RELEASE);
	__atomic_store_n(&e->key, IBL_KEY_BIAS - pc, __ATOMIC_RELEASE);
	__atomic_store_n(&e->code, (uint64_t)b->code, __ATOMIC_RELEASE);
}

static uint64_t budget_left(struct ttd_thread *t)
{
	return t->target - BUDGET_BIAS;
}

/* The budget ran out: the stop asked for, or what recording and replay
 * scheduled there (they set a new budget). */
static void budget_expired(struct ttd_thread *t)
{
	switch (engine_mode) {
	case MODE_RECORD:
		record_budget(t);
		return;
	case MODE_REPLAY:
		replay_budget(t);
		return;
	default:
		stop_report(t);
	}
}

/*
 * On every entry into the dispatcher: what ran since the last entry
 * comes off the budget, so that t->target is current here whatever the
 * mode, and may be set to a new budget from here on.
 */
static void budget_sync(struct ttd_thread *t)
{
	uint64_t now = thread_icount(t);

	t->target -= now - t->budget_mark;
	t->budget_mark = now;
}

/*
 * Hand the budget out to the count slots before entering checked block
 * b: each slot gets minus its share, and icount the sum of the shares, so
 * that the count does not change.  BUDGET_RESERVE stays out of the
 * shares: while every slot is at most zero, a block entered through a
 * link or the lookup can run its unchecked prefix without overshooting.
 * A large budget is split evenly; a small one all goes to b's slot (other
 * slots then stop at once, and come back here to get it).
 */
#define SHARE_MIN 4096

static void budget_arm(struct ttd_thread *t, struct block *b, uint64_t left)
{
	uint64_t avail = left - BUDGET_RESERVE, share = 0;

	t->icount = thread_icount(t) + avail;
	if (avail >= NSLOTS * SHARE_MIN)
		share = avail / NSLOTS;
	for (int k = 0; k < NSLOTS; k++)
		t->slots[k] = -share;
	t->slots[b->slot] = -(avail - share * (NSLOTS - 1));
}

/* The budget ran out exactly here: act before a signal is delivered, as
 * it would be between two instructions. */
static void stop_if_due(struct ttd_thread *t)
{
	while (eopts.precise && budget_left(t) == 0)
		budget_expired(t);
}

static struct block *next_block(struct ttd_thread *t, uint64_t pc)
{
	struct block *b;
	uint64_t left = budget_left(t);

	if (eopts.precise && left == 0)
		fatal("instruction budget exhausted at %p", (void *)pc);
	if (t->limit_next) {
		/* One instruction, not cached (see smc_in_cache). */
		t->limit_next = 0;
		b = translate_block(pc, eopts.precise, 1);
		b->invalid = 1;
		return b;
	}
	if (!eopts.precise)
		return cache_get(pc, 0);
	b = cache_get(pc, 1);
	if (left >= BUDGET_RESERVE + (uint64_t)b->ninsn) {
		budget_arm(t, b, left);
		return b;
	}
	/*
	 * Near the target: a shortened block, which does not check the
	 * budget and always returns here; it ends exactly at the target if
	 * that is within it.  Not cached.
	 */
	if (left < b->ninsn)
		b = translate_block(pc, 1, (int)left);
	else
		b = translate_block(pc, 1, b->ninsn);
	b->invalid = 1;
	return b;
}

static void handle_exit(struct ttd_thread *t, struct exit_rec *rec)
{
	switch (rec->kind) {
	case EXIT_DIRECT:
		t->ctx.rip = rec->target;
		break;
	case EXIT_IBL:
		t->ctx.rip = t->s_tgt;
		break;
	case EXIT_SYSCALL:
		t->ctx.rip = rec->target;
		syscall_handle(t);
		break;
	case EXIT_SPECIAL:
		t->ctx.rip = rec->target;
		special_emulate(t, rec->special, rec->pc);
		break;
	case EXIT_XBEGIN:
		/* Transactions always abort at once: deterministic, and
		 * what the fallback path exists for. */
		t->ctx.rax = 0;
		t->ctx.rip = rec->target;
		break;
	case EXIT_STOP:
		/* The block does not fit in the budget: next_block() stops
		 * here or builds a shortened block. */
		t->ctx.rip = rec->pc;
		break;
	case EXIT_FAULT:
		t->ctx.rip = rec->pc;
		signal_code_fault(t, rec->pc, rec->special);
		break;
	default:
		fatal("bad exit kind %d", rec->kind);
	}
}

/*
 * Close the race with asynchronous signals: either the signal handler
 * sees in_cache set and cuts off next_block, or we see the pending
 * signal here and cut it off ourselves.  Either way the thread comes back
 * to the dispatcher at the end of that block.
 */
static void enter_cache(struct ttd_thread *t, struct block *b)
{
	t->next_block = b;
	__atomic_store_n(&t->in_cache, 1, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&t->sig_pending, __ATOMIC_SEQ_CST)) {
		elock_acquire(&cache_lock);
		cache_unlink_block(b);
		elock_release(&cache_lock);
	}
}

uintptr_t dispatch_exit(struct exit_rec *rec)
{
	struct ttd_thread *t = cur_thread();
	struct block *b;
	uint64_t pc;

	t->in_cache = 0;
	budget_sync(t);
	stat_exits[rec->kind & 7]++;
	handle_exit(t, rec);
	/* With garbage flags this is no place to stop or to deliver a
	 * signal; the budget is not zero, and the next block runs at least
	 * the instruction that overwrites them. */
	if (rec->kind != EXIT_STOP || rec->special != STOP_FLAGS_DEAD) {
		stop_if_due(t);
		signal_deliver_pending(t);
		while (mode_rr() && rr_vdso_call(t)) {
			stop_if_due(t);
			signal_deliver_pending(t);
		}
		if (agent_on)
			agent_block(t);
	}
	pc = t->ctx.rip;
	elock_acquire(&cache_lock);
	cache_relink_pending();
	b = next_block(t, pc);
	if (rec->kind == EXIT_DIRECT && t->ctx.rip == rec->target &&
	    !b->invalid)
		cache_link(rec, b);
	elock_release(&cache_lock);
	if (!b->invalid)
		ibl_insert(t, pc, b);
	enter_cache(t, b);
	return (uintptr_t)block_entry(b);
}

uintptr_t dispatch_resume(struct ttd_thread *t)
{
	struct block *b;

	t->in_cache = 0;
	budget_sync(t);
	stop_if_due(t);
	signal_deliver_pending(t);
	while (mode_rr() && rr_vdso_call(t)) {
		stop_if_due(t);
		signal_deliver_pending(t);
	}
	if (agent_on)
		agent_block(t);
	elock_acquire(&cache_lock);
	cache_relink_pending();
	b = next_block(t, t->ctx.rip);
	elock_release(&cache_lock);
	enter_cache(t, b);
	return (uintptr_t)block_entry(b);
}

void dispatch_start(struct ttd_thread *t)
{
	cache_enter_at(dispatch_resume(t));
}
