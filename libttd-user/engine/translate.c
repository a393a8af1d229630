// SPDX-License-Identifier: GPL-2.0
/*
 * Block translation.
 *
 * Application instructions are copied verbatim, except that RIP-relative
 * displacements are re-aimed from the cache copy, control transfers leave
 * through exits (linkable jmp/jcc to stubs, or an inline indirect-branch
 * lookup), and instructions with effects the engine must see or control
 * (syscall, rdtsc, cpuid, ...) end the block and exit to the dispatcher.
 *
 * The instruction counter is one "add gs:[icount], N" per block placed
 * right before an instruction that overwrites every arithmetic flag
 * without reading any: there the flags are dead, so clobbering them is
 * invisible.  A block with no such instruction counts with a flags-free
 * load/lea/store sequence instead.  In precise mode the same add also
 * checks the block against the thread's budget (emit_fits_flagsfree()).
 */
#include "translate.h"
#include "thread.h"
#include "heap.h"
#include "lib.h"
#include "linux/sys.h"
#include "x86/decode.h"
#include "x86/emit.h"
#include "linux/smc.h"
#include "replay/agent.h"

int cpu_has_bmi2, cpu_fast_pdep;

struct tinsn {
	uint64_t pc;
	/* A direct jmp or jcc whose target's code comes next in the block;
	 * such a jcc leaves to its fall-through (unroll_loop()). */
	int followed;
	struct x86_insn d;
	uint8_t bytes[X86_MAX_INSN_LEN];
};

/*
 * A block continues past a forward conditional branch into its
 * fall-through path (a superblock): no block boundary for the common
 * not-taken case.  Backward branches, usually loop back-edges that are
 * taken, still end the block.  In normal mode each stretch up to a side
 * exit counts its own instructions (place_segments()), so the taken side
 * is a plain jcc to the target; a precise block counts once and the
 * taken side pays a flags-free correction of the count.
 */
#define MAX_SIDE_EXITS 4

struct tblock {
	uint64_t pc;
	int n;
	int count_at; /* -1: flags-free counter at the start */
	/* Counter updates: seg_n[k] instructions added before insn
	 * seg_at[k] (-1: flags-free, at the start). */
	int nseg;
	int seg_at[MAX_SIDE_EXITS + 1];
	int seg_n[MAX_SIDE_EXITS + 1];
	/* Normal mode: what the taken side exit k must take back. */
	int over[MAX_SIDE_EXITS];
	int end_kind; /* how the block ends */
	int fault; /* first insn could not be read/decoded */
	int nside; /* forward jccs continued past (superblock) */
	int loop_len; /* instructions of a loop body it unrolls */
	uint64_t lo, hi; /* the code it spans */
	int side[MAX_SIDE_EXITS];
	struct tinsn insn[MAX_BLOCK_INSNS];
};

enum end_kind {
	END_FALL, /* block cut: continue at the next pc */
	END_BRANCH, /* last insn is a branch */
	END_SYSCALL,
	END_SPECIAL,
	END_TRAP, /* int3/int n/ud: copied, then continue */
};

/*
 * Copy the application's code for one block.  Only executable pages are
 * read (the copy of /proc/self/maps says which), so that jumping into
 * data or unmapped memory faults as it would natively, and the engine
 * never faults on the read itself.
 */
#define FETCH_MAX 2048

static int fetch_code(uint64_t pc, uint8_t *buf, uint64_t max)
{
	uint64_t page_end = ALIGN_DOWN(pc, PAGE_SIZE) + PAGE_SIZE;
	uint64_t first = page_end - pc < max ? page_end - pc : max;
	int prot = vm_prot(pc);

	if (prot < 0 ||
	    (prot & (PROT_READ | PROT_EXEC)) != (PROT_READ | PROT_EXEC))
		return 0;
	memcpy(buf, (const void *)pc, first);
	if (first == max)
		return (int)first;
	prot = vm_prot(page_end);
	if (prot < 0 ||
	    (prot & (PROT_READ | PROT_EXEC)) != (PROT_READ | PROT_EXEC))
		return (int)first;
	memcpy(buf + first, (const void *)page_end, max - first);
	return (int)max;
}

static int fetch_block(uint64_t pc, uint8_t *buf)
{
	return fetch_code(pc, buf, FETCH_MAX);
}

/* Where a direct branch goes when taken. */
static uint64_t branch_target(const struct tinsn *ti)
{
	return ti->pc + ti->d.len + ti->d.rel;
}

/* Where the block goes on after this instruction. */
static uint64_t next_pc(const struct tinsn *ti)
{
	return ti->followed ? branch_target(ti) : ti->pc + ti->d.len;
}

/* Where a side exit goes when it leaves the block. */
static uint64_t side_target(const struct tinsn *ti)
{
	return ti->followed ? ti->pc + ti->d.len : branch_target(ti);
}

static int ends_block(const struct x86_insn *d)
{
	return d->branch != X86_BR_NONE || d->special != X86_SP_NONE;
}

static int special_end(const struct x86_insn *d)
{
	switch (d->special) {
	case X86_SP_SYSCALL:
		return END_SYSCALL;
	case X86_SP_INT:
	case X86_SP_UD:
		return END_TRAP;
	case X86_SP_SEG_GS:
	case X86_SP_MOV_SEG:
		return -1; /* handled by the caller */
	default:
		return END_SPECIAL;
	}
}

static int continue_past(struct tblock *tb, const struct x86_insn *d, int limit)
{
	return d->branch == X86_BR_JCC && d->rel > 0 &&
	       tb->nside < MAX_SIDE_EXITS && tb->n + 8 < limit;
}

/*
 * A direct jmp need not end a block: its target's code can follow in the
 * same block, which saves the jump and a counter update.  Only to code
 * near what the block spans already (invalidation watches the whole
 * span), not back into the block (loops keep their back-edge), and only
 * in normal mode.
 */
#define FOLLOW_NEAR 2048

static int follow_jmp(const struct tblock *tb, const struct tinsn *ti,
		      int limit)
{
	uint64_t to = branch_target(ti);

	if (ti->d.branch != X86_BR_JMP || tb->n + 8 >= limit ||
	    to + FOLLOW_NEAR < tb->lo || to >= tb->hi + FOLLOW_NEAR)
		return 0;
	for (int i = 0; i < tb->n; i++)
		if (tb->insn[i].pc == to)
			return 0;
	return 1;
}

/*
 * A short loop whose back-edge goes to the block's start is unrolled: the
 * back-edge becomes a side exit, inverted, to the loop's exit, and the
 * body follows again.  The copies count with one update between them
 * (place_segments()); the exit, taken once per loop, takes back what did
 * not run.  A tight loop then pays one counter update per several turns.
 */
#define UNROLL_BODY_MAX 16
#define UNROLL_MAX 64

static int unroll_loop(struct tblock *tb, const struct tinsn *ti, int limit)
{
	int body = tb->loop_len ? tb->loop_len : tb->n;
	int max = limit - 8 < UNROLL_MAX ? limit - 8 : UNROLL_MAX;

	if (ti->d.branch != X86_BR_JCC || branch_target(ti) != tb->pc ||
	    tb->nside >= MAX_SIDE_EXITS || body > UNROLL_BODY_MAX ||
	    tb->n + body > max)
		return 0;
	tb->loop_len = body;
	return 1;
}

static void decode_block(struct tblock *tb, uint64_t pc, int limit, int follow)
{
	static uint8_t buf[FETCH_MAX]; /* under cache_lock */
	int avail = fetch_block(pc, buf), off = 0;
	uint64_t at = pc; /* the address of buf[0] */

	tb->pc = pc;
	tb->n = 0;
	tb->fault = 0;
	tb->end_kind = END_FALL;
	tb->nside = 0;
	tb->loop_len = 0;
	tb->lo = tb->hi = pc;
	while (tb->n < limit) {
		struct tinsn *ti = &tb->insn[tb->n];
		int len = avail > off
				  ? x86_decode(buf + off, avail - off, &ti->d)
				  : X86_ERR_SHORT;

		if (len <= 0) {
			if (tb->n == 0)
				tb->fault = len == X86_ERR_INVALID ? 2 : 1;
			return;
		}
		if ((ti->d.special == X86_SP_SEG_GS ||
		     ti->d.special == X86_SP_MOV_SEG) &&
		    tb->n)
			return; /* the engine owns GS; ends the block */
		if (tb->n && agent_on && agent_break_at(at + off))
			return; /* the debugger looks at each visit */
		memcpy(ti->bytes, buf + off, len);
		ti->pc = at + off;
		ti->followed = 0;
		tb->n++;
		off += len;
		if (ti->pc + len > tb->hi)
			tb->hi = ti->pc + len;
		if (follow && follow_jmp(tb, ti, limit)) {
			uint64_t to = branch_target(ti);
			int got = fetch_block(to, buf);

			if (got <= 0) {
				tb->end_kind = END_BRANCH;
				return;
			}
			ti->followed = 1;
			at = to;
			avail = got;
			off = 0;
			if (to < tb->lo)
				tb->lo = to;
			continue;
		}
		if (follow && unroll_loop(tb, ti, limit)) {
			tb->side[tb->nside++] = tb->n - 1;
			ti->followed = 1;
			if (at != pc) /* a followed jmp left the start */
				avail = fetch_block(pc, buf);
			at = pc;
			off = 0;
			continue;
		}
		if (continue_past(tb, &ti->d, limit)) {
			tb->side[tb->nside++] = tb->n - 1;
			continue;
		}
		if (ends_block(&ti->d)) {
			tb->end_kind = ti->d.branch != X86_BR_NONE
					       ? END_BRANCH
					       : special_end(&ti->d);
			return;
		}
	}
}

/*
 * The arithmetic flags that code at pc may read before it overwrites
 * them (a superset): a look at its first few instructions, through
 * direct jumps, up to any other control transfer or special instruction,
 * after which every flag not yet overwritten counts as read.
 */
#define LOOKAHEAD_INSNS 16
#define LOOKAHEAD_BYTES 128

static unsigned flags_live_at(uint64_t pc)
{
	static uint8_t buf[LOOKAHEAD_BYTES]; /* under cache_lock */
	unsigned live = 0, killed = 0;
	int avail = fetch_code(pc, buf, sizeof(buf)), off = 0, jumps = 0;
	struct x86_insn d;

	for (int n = 0; n < LOOKAHEAD_INSNS; n++) {
		int len = x86_decode(buf + off, avail - off, &d);

		if (len <= 0)
			break;
		live |= d.flags_read & ~killed;
		killed |= d.flags_killed;
		if ((killed & X86_FL_ALL) == X86_FL_ALL)
			return live & X86_FL_ALL;
		if (d.branch == X86_BR_JMP && jumps++ < 2) {
			pc += off + len + d.rel;
			avail = fetch_code(pc, buf, sizeof(buf));
			off = 0;
			continue;
		}
		if (d.branch != X86_BR_NONE || d.special != X86_SP_NONE)
			break;
		off += len;
	}
	return (live | ~killed) & X86_FL_ALL;
}

/* The flags live after a block's last instruction (a superset). */
static unsigned flags_live_out(const struct tblock *tb)
{
	const struct tinsn *ti = &tb->insn[tb->n - 1];

	switch (tb->end_kind) {
	case END_FALL:
		return flags_live_at(next_pc(ti));
	case END_BRANCH:
		break;
	default:
		return X86_FL_ALL;
	}
	switch (ti->d.branch) {
	case X86_BR_JMP:
	case X86_BR_CALL:
		return flags_live_at(branch_target(ti));
	case X86_BR_JCC:
		return flags_live_at(branch_target(ti)) |
		       flags_live_at(ti->pc + ti->d.len);
	default:
		return X86_FL_ALL;
	}
}

/*
 * Where the counter goes: before an insn that kills all flags.  A
 * checked precise block checks its budget there too, and may run only
 * PRECISE_PREFIX_MAX instructions before it.
 */
static int flags_dead_point(const struct tblock *tb, int from, int to)
{
	for (int i = from; i <= to; i++) {
		const struct x86_insn *d = &tb->insn[i].d;

		if ((d->flags_killed & X86_FL_ALL) == X86_FL_ALL &&
		    !(d->flags_read & X86_FL_ALL))
			return i;
	}
	return -1;
}

/*
 * The first instruction of from..to before which no flag is live, given
 * the flags live after 'to' (backward liveness), or -1.
 */
static int flags_dead_before(const struct tblock *tb, int from, int to,
			     unsigned live)
{
	int first = -1;

	for (int i = to; i >= from; i--) {
		const struct x86_insn *d = &tb->insn[i].d;

		live = (live & ~d->flags_killed) | d->flags_read;
		if (!(live & X86_FL_ALL))
			first = i;
	}
	return first;
}

static void place_counter(struct tblock *tb, int checked)
{
	int max = checked ? PRECISE_PREFIX_MAX : tb->n - 1;

	tb->count_at = flags_dead_point(tb, 0, max < tb->n ? max : tb->n - 1);
	tb->nseg = 1;
	tb->seg_at[0] = tb->count_at;
	tb->seg_n[0] = tb->n;
}

/*
 * Normal mode: one counter update per stretch of a superblock, from its
 * start or a side exit to the next side exit or the end, at the stretch's
 * own flags-dead point, so that a taken side exit has counted exactly
 * what ran.  The first stretch may count flags-free at the start; a later
 * one without such a point is counted with the stretch before it, and
 * the side exits in between take it back when taken (over[]).
 */
static void place_segments(struct tblock *tb)
{
	int start = 0, first = 0; /* first side exit after the last add */

	tb->count_at = -1;
	tb->nseg = 0;
	for (int k = 0; k <= tb->nside; k++) {
		int end = k < tb->nside ? tb->side[k] : tb->n - 1;
		int at = flags_dead_point(tb, start, end);

		/* A block without side exits may end where its successors
		 * overwrite the flags before they read them.  (A later
		 * stretch is better counted with the one before it.) */
		if (at < 0 && !tb->nside)
			at = flags_dead_before(tb, start, end,
					       flags_live_out(tb));

		if (k < tb->nside)
			tb->over[k] = 0;
		if (k > 0 && (at < 0 || tb->insn[tb->side[k - 1]].followed)) {
			for (int j = first; j < k; j++)
				tb->over[j] += end + 1 - start;
			tb->seg_n[tb->nseg - 1] += end + 1 - start;
		} else {
			tb->seg_at[tb->nseg] = at;
			tb->seg_n[tb->nseg++] = end + 1 - start;
			first = k;
		}
		start = end + 1;
	}
}

/* The count slot of stretch k: the block's own, then the next ones, so
 * that consecutive updates do not wait for each other. */
static uint32_t seg_slot(int first, int k)
{
	return T_SLOTS + 8 * (uint32_t)((first + k) % NSLOTS);
}

static int counter_slot(void)
{
	static unsigned next;

	return (int)(next++ % NSLOTS);
}

/* Add n to a count slot through reg, a free register, not the flags. */
static void emit_count_with(struct emit *e, int reg, uint32_t slot, int n)
{
	emit_load_gs(e, reg, slot);
	emit_lea_disp(e, reg, n);
	emit_store_gs(e, slot, reg);
}

static void emit_counter_flagsfree(struct emit *e, uint32_t slot, int n)
{
	emit_store_gs(e, T_S_CNT, RAX);
	emit_count_with(e, RAX, slot, n);
	emit_load_gs(e, RAX, T_S_CNT);
}

/*
 * Precise mode.  The dispatcher hands the thread's budget out in shares:
 * each count slot starts at minus its share, so a block may run when its
 * slot, after adding the block's length, is not above zero.  Where the
 * flags are dead that is "add; jg" on the slot the block counts in
 * anyway.  Elsewhere it is this flags-free test: slot + n - 1 is
 * negative, that is its top byte is 0xff rather than 0, exactly when the
 * block fits.  Entered with the application's rcx spilled; leaves rcx
 * clobbered and returns the rel32 of the jump taken when it does not fit.
 */
static uint8_t *emit_fits_flagsfree(struct emit *e, uint32_t slot, int n)
{
	uint8_t *field;

	emit_load_gs(e, RCX, slot);
	emit_lea_disp(e, RCX, n - 1);
	emit_u8(e, 0x48); /* bswap rcx */
	emit_u8(e, 0x0f);
	emit_u8(e, 0xc9);
	emit_u8(e, 0x0f); /* movzx ecx, cl */
	emit_u8(e, 0xb6);
	emit_u8(e, 0xc9);
	/* jrcxz reaches only 127 bytes: hop to a rel32 jump to the stub. */
	emit_u8(e, 0xe3); /* jrcxz 1f */
	emit_u8(e, 2);
	emit_u8(e, 0xeb); /* jmp 2f */
	emit_u8(e, 5);
	emit_u8(e, 0xe9); /* 1: jmp stop (patched later) */
	field = e->p;
	emit_u32(e, 0);
	return field;
}

/* A block without a flags-dead point: check and count at its start. */
static uint8_t *emit_entry_check(struct emit *e, uint32_t slot, int n)
{
	uint8_t *field;

	emit_store_gs(e, T_S_RCX, RCX);
	field = emit_fits_flagsfree(e, slot, n);
	emit_load_gs(e, RCX, slot);
	emit_lea_disp(e, RCX, n);
	emit_store_gs(e, slot, RCX);
	emit_load_gs(e, RCX, T_S_RCX);
	return field;
}

struct pending_exit {
	struct exit_rec rec;
	uint8_t *field; /* rel32 to aim at the stub */
	int is_rcx_spilled; /* the stub must not spill rcx again */
};

struct tstate {
	struct emit e; /* the block's code */
	struct emit c; /* its cold part: stubs, exit records, literals */
	struct block *b;
	struct region *r;
	struct pending_exit ex[8];
	int nex;
	struct {
		int insn; /* index of the jcc */
		int corr; /* what its pad adds to the count */
		uint8_t *field; /* its rel32, aimed at the pad */
	} side[MAX_SIDE_EXITS];
	int nside;
	int checked; /* precise block that checks the budget */
	int segmented; /* counts each stretch (place_segments()) */
	uint8_t *entry_stop; /* rel32 of the entry check's jump to stop */
	uint8_t *mid_stop; /* rel32 of the jg after the counter's add */
	uint64_t call_ret; /* literal: return address to push */
	uint8_t *call_lit_disp; /* disp32 of push [rip+lit] */
	uint8_t *land_ref; /* imm32 or lea disp32 to aim at the landing */
	int land_ref_lea; /* land_ref is a rip-relative disp32 */
	uint64_t land_pc, land_from; /* the landing's exit */
	uint32_t slot; /* gs offset of the block's count slot */
	int exit_count; /* to count in its exit sequence (count_in_exit()) */
};

static struct pending_exit *add_exit(struct tstate *s, int kind, uint64_t pc,
				     uint64_t target)
{
	struct pending_exit *x = &s->ex[s->nex++];

	memset(x, 0, sizeof(*x));
	x->rec.kind = kind;
	x->rec.pc = pc;
	x->rec.target = target;
	return x;
}

/* Copy one instruction, re-aiming a RIP-relative displacement. */
static void emit_copy(struct emit *e, const struct tinsn *ti)
{
	uint8_t *start = e->p;
	int len = ti->d.len;

	emit_bytes(e, ti->bytes, len);
	if (ti->d.rip_rel) {
		uint64_t target = ti->pc + len + ti->d.disp;
		intptr_t d = (intptr_t)target - (intptr_t)(start + len);

		if (d != (int32_t)d)
			fatal("RIP-relative operand out of reach at %p",
			      (void *)ti->pc);
		*(int32_t *)(start + ti->d.disp_off) = (int32_t)d;
	}
}

/*
 * "mov rcx, <the r/m operand of this FF /2 or FF /4>": the target of an
 * indirect call or jump, computed from the unchanged application
 * registers (rcx itself is still intact when this runs).
 */
static void emit_load_target(struct emit *e, const struct tinsn *ti)
{
	const struct x86_insn *d = &ti->d;
	uint8_t *start = e->p;
	uint8_t modrm = d->modrm;
	int i;

	if (d->prefixes & X86_PFX_OPSIZE)
		fatal("16-bit indirect branch at %p not supported",
		      (void *)ti->pc);
	if (d->seg)
		emit_u8(e, d->seg);
	if (d->prefixes & X86_PFX_ADSIZE)
		emit_u8(e, 0x67);
	emit_u8(e, 0x48 | (d->rex & 3)); /* keep REX.X/B, drop R */
	emit_u8(e, 0x8b);
	emit_u8(e, (modrm & 0xc7) | (RCX << 3));
	for (i = d->modrm_off + 1; i < d->len; i++)
		emit_u8(e, ti->bytes[i]);
	if (d->rip_rel) {
		uint64_t target = ti->pc + d->len + d->disp;
		int disp_at = (int)(e->p - start) - (d->len - d->disp_off);
		intptr_t nd = (intptr_t)target - (intptr_t)e->p;

		if (nd != (int32_t)nd)
			fatal("RIP-relative branch operand out of reach at %p",
			      (void *)ti->pc);
		*(int32_t *)(start + disp_at) = (int32_t)nd;
	}
}

static void emit_push_literal(struct tstate *s, uint64_t value)
{
	/* push qword [rip + lit]; the literal is placed after the stubs */
	emit_u8(&s->e, 0xff);
	emit_u8(&s->e, 0x35);
	s->call_lit_disp = s->e.p;
	emit_u32(&s->e, 0);
	s->call_ret = value;
}

/* push the return address r (a sign-extended imm32 where it fits) */
static void emit_push_ret(struct tstate *s, uint64_t r)
{
	if ((int64_t)r != (int32_t)r) {
		emit_push_literal(s, r);
		return;
	}
	emit_u8(&s->e, 0x68);
	emit_u32(&s->e, (uint32_t)r);
}

/* mov qword gs:[disp], imm32 (sign-extended); returns the imm32 */
static uint8_t *emit_store_gs_imm(struct emit *e, uint32_t disp, uint32_t imm)
{
	uint8_t *field;

	emit_u8(e, 0x65);
	emit_u8(e, 0x48);
	emit_u8(e, 0xc7);
	emit_u8(e, 0x04);
	emit_u8(e, 0x25);
	emit_u32(e, disp);
	field = e->p;
	emit_u32(e, imm);
	return field;
}

/*
 * Returns.  In a program with many return sites (a compiler) a return's
 * entry in the large, hashed lookup table is rarely in the data cache,
 * and the lookup waits for it.  A translated call therefore writes the
 * entry of its return address itself, just before the callee runs: the
 * return that comes back finds it in the cache, or still in the store
 * buffer.  Its code is a landing after the call's block, which begins
 * like a block (the lookup's prefix) and goes on to the return address's
 * block through an ordinary exit; the call's block may be translated
 * before the return address's block, and unlinking and flushing handle
 * the landing's exit as any other, so the entry never leads to stale
 * code.  The return's own lookup does not change.
 *
 * Called with the application's return address pushed; scratch is a
 * register free to use once spilled to gs offset 'spill' (only for
 * addresses above 2 GB).  A 'spill' of 0: scratch is spilled already,
 * and stays clobbered.
 */
static void emit_call_note(struct tstate *s, const struct tinsn *ti,
			   int scratch, uint32_t spill)
{
	struct emit *e = &s->e;
	struct block *b = s->b;
	uint64_t ret = ti->pc + ti->d.len, key = IBL_KEY_BIAS - ret;
	uint32_t entry = (b->precise ? T_IBL_P : T_IBL) + 16 * ibl_hash(ret);
	uintptr_t region_end = (uintptr_t)s->r->base + s->r->size;

	s->land_pc = ret;
	s->land_from = ti->pc;
	if ((int64_t)key == (int32_t)key && region_end < (1UL << 31)) {
		emit_store_gs_imm(e, entry, (uint32_t)key);
		s->land_ref = emit_store_gs_imm(e, entry + 8, 0);
		return;
	}
	if (spill)
		emit_store_gs(e, spill, scratch);
	emit_mov_imm64(e, scratch, key);
	emit_store_gs(e, entry, scratch);
	s->land_ref = e->p + 3;
	s->land_ref_lea = 1;
	emit_lea_rip(e, scratch, 0);
	emit_store_gs(e, entry + 8, scratch);
	if (spill)
		emit_load_gs(e, scratch, spill);
}

/* The landing of emit_call_note(), right after the block's body. */
static void emit_landing(struct tstate *s)
{
	struct emit *e = &s->e;
	struct pending_exit *x;

	if (!s->land_ref)
		return;
	if (s->land_ref_lea)
		*(int32_t *)s->land_ref = (int32_t)(e->p - (s->land_ref + 4));
	else
		*(uint32_t *)s->land_ref = (uint32_t)(uintptr_t)e->p;
	s->b->land_off = (uint32_t)(e->p - s->b->code);
	s->b->land_pc = s->land_pc;
	emit_load_gs(e, RDX, T_S_RDX); /* IBL_PREFIX_LEN bytes */
	x = add_exit(s, EXIT_DIRECT, s->land_from, s->land_pc);
	x->field = emit_jmp32(e, 0);
}

/*
 * The inline indirect-branch lookup.  Entered with the application
 * target in register 'tgt' and the application's rcx in s_rcx.  It must
 * leave the flags alone, hence pdep (or rorx/shrx) for the index and
 * lea/jrcxz instead of cmp/jcc.  The table's key goes to a scratch
 * register: rax, spilled, when the target is in rcx (loaded there from
 * memory, or popped); rcx when the branch names another register, which
 * then stays as it is, and rax is spilled only on a miss.  An indirect
 * call's note (call_ti) goes after the spills, with that scratch.
 *
 * To send the thread to the dispatcher (a signal is pending, or a
 * shortened precise block ends here), ibl_unlink() changes the compare's
 * displacement so that no entry matches: a single aligned store, and no
 * jump into the lookup on every indirect branch while linked.  A signal
 * that finds the thread before the compare unlinks the block too; after
 * it, everything is spilled (the signal code spills rax if the lookup
 * did not) and the thread leaves by the miss path.
 */
static void emit_ibl(struct tstate *s, const struct tinsn *call_ti, int tgt)
{
	struct emit *e = &s->e;
	struct block *b = s->b;
	/* Precise and normal blocks never jump into each other. */
	uint32_t table = b->precise ? T_IBL_P : T_IBL;
	int key = tgt == RCX ? RAX : RCX;
	uint8_t *hit_jrcxz;

	b->ibl_off = (uint32_t)(e->p - b->code);
	b->ibl_keeps_rax = key != RAX;
	if (key == RAX)
		emit_store_gs(e, T_S_RAX, RAX);
	emit_store_gs(e, T_S_RDX, RDX);
	emit_store_gs(e, T_S_TGT, tgt);
	if (s->exit_count)
		emit_count_with(e, key, s->slot, s->exit_count);
	if (call_ti)
		emit_call_note(s, call_ti, key, 0);
	if (!cpu_has_bmi2)
		fatal("CPUs without BMI2 are not supported yet");
	if (cpu_fast_pdep) {
		/* pdep rdx, tgt, gs:[T_IBL_MASK]: the low IBL_BITS bits of
		 * the target, times two (entries are two words) */
		emit_u8(e, 0x65), emit_u8(e, 0xc4), emit_u8(e, 0xe2);
		emit_u8(e, 0x83 | (~tgt & 15) << 3);
		emit_u8(e, 0xf5), emit_u8(e, 0x14);
		emit_u8(e, 0x25), emit_u32(e, T_IBL_MASK);
	} else {
		/* pdep is microcoded (slow) there: rotate the low bits to
		 * the top, shift them back down to bit 1. */
		emit_u8(e, 0xb8 + key), emit_u32(e, 63 - IBL_BITS);
		/* rorx rdx, tgt, IBL_BITS */
		emit_u8(e, 0xc4), emit_u8(e, 0xe3 & ~(tgt >= 8 ? 0x20 : 0));
		emit_u8(e, 0xfb), emit_u8(e, 0xf0);
		emit_u8(e, 0xd0 | (tgt & 7)), emit_u8(e, IBL_BITS);
		/* shrx rdx, rdx, key */
		emit_u8(e, 0xc4), emit_u8(e, 0xe2);
		emit_u8(e, 0x83 | (~key & 15) << 3);
		emit_u8(e, 0xf7), emit_u8(e, 0xd2);
	}
	/* mov key, gs:[rdx*8 + table] */
	emit_u8(e, 0x65), emit_u8(e, 0x48), emit_u8(e, 0x8b);
	emit_u8(e, (uint8_t)(key << 3 | 4)), emit_u8(e, 0xd5);
	emit_u32(e, table);
	/* lea rcx, [key + tgt - IBL_KEY_BIAS]: zero on a match; the
	 * target stays in s_tgt for the miss path */
	emit_align_rel32(e, 4);
	emit_u8(e, 0x48 | (tgt >= 8 ? 2 : 0)), emit_u8(e, 0x8d);
	emit_u8(e, 0x8c), emit_u8(e, (uint8_t)((tgt & 7) << 3 | key));
	b->ibl_patch = (uint32_t)(e->p - b->code);
	emit_u32(e, (uint32_t)IBL_DISP_LINKED);
	emit_u8(e, 0xe3);
	hit_jrcxz = e->p;
	emit_u8(e, 0);
	if (key != RAX)
		emit_store_gs(e, T_S_RAX, RAX);
	emit_u8(e, 0xe9);
	emit_u32(e,
		 (uint32_t)rel32_to(e, 4, (uintptr_t)s->r->t_ibl_exit_spilled));
	*hit_jrcxz = (uint8_t)(e->p - hit_jrcxz - 1);
	/* The target's prefix restores rdx, the table index until then. */
	if (key == RAX)
		emit_load_gs(e, RAX, T_S_RAX);
	emit_load_gs(e, RCX, T_S_RCX);
	/* jmp qword gs:[rdx*8 + table + 8] */
	emit_u8(e, 0x65), emit_u8(e, 0xff), emit_u8(e, 0x24), emit_u8(e, 0xd5);
	emit_u32(e, table + 8);
	b->ibl_end = (uint32_t)(e->p - b->code);
	b->has_ibl = 1;
}

/*
 * The register an indirect jump or call names as its target, if the
 * lookup can take the target there: not rcx or rdx, which it uses, nor
 * rsp.  Else -1: the target is loaded into rcx.
 */
static int target_reg(const struct x86_insn *d)
{
	int r = (d->modrm & 7) | (d->rex & 1 ? 8 : 0);

	if (d->modrm >> 6 != 3 || r == RCX || r == RDX || r == RSP)
		return -1;
	return r;
}

static void emit_indirect(struct tstate *s, const struct tinsn *ti)
{
	struct emit *e = &s->e;
	const struct x86_insn *d = &ti->d;
	int reg = target_reg(d);

	emit_store_gs(e, T_S_RCX, RCX);
	switch (d->branch) {
	case X86_BR_RET:
		emit_u8(e, 0x59); /* pop rcx */
		break;
	case X86_BR_RET_IMM:
		emit_u8(e, 0x59);
		emit_lea_disp(e, RSP, *(uint16_t *)(ti->bytes + d->imm_off));
		break;
	case X86_BR_JMP_IND:
	case X86_BR_CALL_IND:
		if (reg < 0) {
			emit_load_target(e, ti);
			reg = RCX;
		}
		if (d->branch == X86_BR_CALL_IND)
			emit_push_ret(s, ti->pc + d->len);
		emit_ibl(s, d->branch == X86_BR_CALL_IND ? ti : NULL, reg);
		return;
	}
	emit_ibl(s, NULL, RCX);
}

/* jrcxz/loop keep their rel8 form, aimed at a local jmp to the target. */
static void emit_rcx_branch(struct tstate *s, const struct tinsn *ti,
			    uint64_t taken, uint64_t fall)
{
	struct emit *e = &s->e;
	const struct x86_insn *d = &ti->d;
	struct pending_exit *x;
	uint8_t *rel8;
	int i;

	for (i = 0; i < d->len - 1; i++)
		emit_u8(e, ti->bytes[i]);
	rel8 = e->p;
	emit_u8(e, 0);
	x = add_exit(s, EXIT_DIRECT, ti->pc, fall);
	x->field = emit_jmp32(e, 0);
	emit_align_rel32(e, 1);
	*rel8 = (uint8_t)(e->p - rel8 - 1);
	x = add_exit(s, EXIT_DIRECT, ti->pc, taken);
	x->field = emit_jmp32(e, 0);
}

static void emit_branch(struct tstate *s, const struct tinsn *ti)
{
	struct emit *e = &s->e;
	const struct x86_insn *d = &ti->d;
	uint64_t next = ti->pc + d->len;
	uint64_t taken = next + d->rel;
	struct pending_exit *x;

	switch (d->branch) {
	case X86_BR_JMP:
		x = add_exit(s, EXIT_DIRECT, ti->pc, taken);
		x->field = emit_jmp32(e, 0);
		return;
	case X86_BR_CALL:
		emit_push_ret(s, next);
		if (!s->exit_count) {
			emit_call_note(s, ti, RCX, T_S_RCX);
		} else {
			emit_store_gs(e, T_S_RCX, RCX);
			emit_count_with(e, RCX, s->slot, s->exit_count);
			emit_call_note(s, ti, RCX, 0);
			emit_load_gs(e, RCX, T_S_RCX);
		}
		x = add_exit(s, EXIT_DIRECT, ti->pc, taken);
		x->field = emit_jmp32(e, 0);
		return;
	case X86_BR_JCC: {
		int cc = d->map == 1 ? d->opcode & 15 : d->opcode & 15;
		x = add_exit(s, EXIT_DIRECT, ti->pc, taken);
		x->field = emit_jcc32(e, cc, 0);
		x = add_exit(s, EXIT_DIRECT, ti->pc, next);
		x->field = emit_jmp32(e, 0);
		return;
	}
	case X86_BR_JRCXZ:
	case X86_BR_LOOP:
		emit_rcx_branch(s, ti, taken, next);
		return;
	case X86_BR_RET:
	case X86_BR_RET_IMM:
	case X86_BR_JMP_IND:
	case X86_BR_CALL_IND:
		emit_indirect(s, ti);
		return;
	case X86_BR_XBEGIN:
		x = add_exit(s, EXIT_XBEGIN, ti->pc, taken);
		x->rec.insn_len = d->len;
		x->field = emit_jmp32(e, 0);
		return;
	default:
		fatal("unsupported control transfer (far jump, call or "
		      "return) at %p",
		      (void *)ti->pc);
	}
}

static int needs_rcx_spill(const struct x86_insn *d)
{
	return d->branch == X86_BR_RET || d->branch == X86_BR_RET_IMM ||
	       d->branch == X86_BR_JMP_IND || d->branch == X86_BR_CALL_IND;
}

/*
 * Side exit j, the jcc at insn i: a plain linkable jcc where the count is
 * complete there, else a jcc to a pad that corrects it (emit_side_pads()).
 */
static void emit_side_exit(struct tstate *s, struct tblock *tb, int i, int j)
{
	const struct tinsn *ti = &tb->insn[i];
	int cc = (ti->d.opcode & 15) ^ (ti->followed ? 1 : 0);
	struct pending_exit *x;

	if (s->segmented && !tb->over[j]) {
		x = add_exit(s, EXIT_DIRECT, ti->pc, side_target(ti));
		x->field = emit_jcc32(&s->e, cc, 0);
		return;
	}
	s->side[s->nside].insn = i;
	if (s->segmented)
		s->side[s->nside].corr = -tb->over[j];
	else
		s->side[s->nside].corr =
			i + 1 - (tb->count_at <= i ? tb->n : 0);
	s->side[s->nside++].field = emit_jcc32(&s->e, cc, 0);
}

static void emit_body(struct tstate *s, struct tblock *tb)
{
	struct emit *e = &s->e;
	struct block *b = s->b;
	int last = tb->n - 1;
	int k = tb->seg_at[0] < 0; /* the start's is emitted already */
	int counted = k && !s->exit_count ? tb->seg_n[0] : 0, nside = 0;

	for (int i = 0; i < tb->n; i++) {
		struct tinsn *ti = &tb->insn[i];
		struct insn_map *m = &b->map[i];

		if (k < tb->nseg && i == tb->seg_at[k]) {
			emit_add_gs_imm(e, seg_slot(b->slot, k), tb->seg_n[k]);
			counted += tb->seg_n[k++];
			if (s->checked) {
				emit_u8(e, 0x0f); /* jg rel32 */
				emit_u8(e, 0x8f);
				s->mid_stop = e->p;
				emit_u32(e, 0);
			}
		}
		m->cache_off = (uint32_t)(e->p - b->code);
		m->app_off = (int32_t)(ti->pc - tb->pc);
		m->rcx_spilled = needs_rcx_spill(&ti->d);
		m->counted = (uint8_t)counted;
		if (ti->followed && ti->d.branch == X86_BR_JMP)
			continue; /* its target's code comes next */
		if (i < last && ti->d.branch == X86_BR_JCC) {
			emit_side_exit(s, tb, i, nside++);
			continue;
		}
		if (i < last || tb->end_kind == END_FALL) {
			emit_copy(e, ti);
			continue;
		}
		b->body_len = m->cache_off;
		switch (tb->end_kind) {
		case END_BRANCH:
			emit_branch(s, ti);
			break;
		case END_TRAP:
			emit_copy(e, ti);
			break;
		case END_SYSCALL:
		case END_SPECIAL: {
			struct pending_exit *x = add_exit(
				s,
				tb->end_kind == END_SYSCALL ? EXIT_SYSCALL
							    : EXIT_SPECIAL,
				ti->pc, ti->pc + ti->d.len);
			x->rec.insn_len = ti->d.len;
			x->rec.special = ti->d.special;
			x->field = emit_jmp32(e, 0);
			break;
		}
		}
	}
	if (tb->end_kind == END_FALL || tb->end_kind == END_TRAP) {
		uint64_t next = next_pc(&tb->insn[last]);
		struct pending_exit *x = add_exit(s, EXIT_DIRECT, next, next);
		if (tb->end_kind == END_FALL)
			b->body_len = (uint32_t)(e->p - b->code);
		x->field = emit_jmp32(e, 0);
	}
}

static struct exit_rec *emit_exit_tail(struct tstate *s, struct emit *e,
				       const struct exit_rec *tmpl);

/*
 * Side exits: the block counted all its instructions (or none yet, if the
 * counter sits after the branch); correct by what really ran, without
 * touching the flags the target may read, and leave through a linkable
 * exit.  A checked block that leaves before its check counts what ran
 * and checks it then, so that the next block is entered with the
 * reserve intact; if the share is used up it stops at the target, with
 * the flags intact.
 */
static void emit_side_pads(struct tstate *s, struct tblock *tb)
{
	struct emit *e = &s->e;

	for (int k = 0; k < s->nside; k++) {
		int i = s->side[k].insn;
		struct tinsn *ti = &tb->insn[i];
		uint64_t target = side_target(ti);
		int counted = tb->count_at <= i ? tb->n : 0;
		struct exit_rec tmpl = { .kind = EXIT_STOP, .pc = target };
		struct pending_exit *x;
		uint8_t *stop;

		patch_rel32(s->side[k].field, (uintptr_t)e->p);
		if (!s->checked || counted) {
			emit_counter_flagsfree(e, s->slot, s->side[k].corr);
			x = add_exit(s, EXIT_DIRECT, ti->pc, target);
			x->field = emit_jmp32(e, 0);
			continue;
		}
		emit_store_gs(e, T_S_RCX, RCX);
		emit_load_gs(e, RCX, s->slot);
		emit_lea_disp(e, RCX, i + 1);
		emit_store_gs(e, s->slot, RCX);
		stop = emit_fits_flagsfree(e, s->slot, 0);
		emit_load_gs(e, RCX, T_S_RCX);
		x = add_exit(s, EXIT_DIRECT, ti->pc, target);
		x->field = emit_jmp32(e, 0);
		patch_rel32(stop, (uintptr_t)s->c.p);
		tmpl.target = target;
		emit_exit_tail(s, &s->c, &tmpl);
	}
}

/*
 * The tail of a stub: point rcx at an exit record (placed right after,
 * 8-aligned) and go to cache_exit.  The caller has spilled rcx.
 */
static struct exit_rec *emit_exit_tail(struct tstate *s, struct emit *e,
				       const struct exit_rec *tmpl)
{
	uint8_t *lea = e->p;
	struct exit_rec *rec;

	emit_lea_rip(e, RCX, 0);
	emit_u8(e, 0xe9);
	emit_u32(e, (uint32_t)rel32_to(e, 4, (uintptr_t)s->r->t_exit));
	while ((uintptr_t)e->p & 7)
		emit_u8(e, 0xcc);
	rec = (struct exit_rec *)e->p;
	for (size_t k = 0; k < sizeof(*rec); k++)
		emit_u8(e, 0);
	*rec = *tmpl;
	rec->from = s->b;
	*(int32_t *)(lea + 3) = (int32_t)((uint8_t *)rec - (lea + 7));
	return rec;
}

/*
 * Stubs: spill rcx, point rcx at the exit record, go to cache_exit.
 * They run only until the exit is linked, so they go to the cold part of
 * the region with their records, and leave the block's code dense.
 */
static void emit_stubs(struct tstate *s)
{
	struct block *b = s->b;

	for (int i = 0; i < s->nex; i++) {
		struct pending_exit *x = &s->ex[i];
		uint8_t *stub = s->c.p;
		struct exit_rec *rec;

		emit_store_gs(&s->c, T_S_RCX, RCX);
		rec = emit_exit_tail(s, &s->c, &x->rec);
		rec->patch = (uint32_t)(x->field - b->code);
		rec->stub = (uint32_t)(stub - b->code);
		patch_rel32(x->field, (uintptr_t)stub);
		b->exits[b->nexits++] = rec;
	}
}

/*
 * The block's share is used up.  From the entry check nothing has run
 * and rcx is spilled.  From the jg after the counter's add, the
 * instructions before count_at have run and the flags are garbage (the
 * next instruction overwrites them): count only what ran and stop there.
 */
static void emit_stop_stubs(struct tstate *s, struct tblock *tb)
{
	struct exit_rec tmpl = { .kind = EXIT_STOP };
	struct emit *e = &s->c;

	if (s->entry_stop) {
		patch_rel32(s->entry_stop, (uintptr_t)e->p);
		tmpl.pc = s->b->app_pc;
		tmpl.target = tmpl.pc;
		emit_exit_tail(s, e, &tmpl);
	}
	if (s->mid_stop) {
		int c = tb->count_at;

		patch_rel32(s->mid_stop, (uintptr_t)e->p);
		emit_add_gs_imm(e, s->slot, c - tb->n);
		emit_store_gs(e, T_S_RCX, RCX);
		tmpl.pc = tb->insn[c].pc;
		tmpl.target = tmpl.pc;
		tmpl.special = STOP_FLAGS_DEAD;
		emit_exit_tail(s, e, &tmpl);
	}
}

static void emit_literals(struct tstate *s)
{
	struct emit *e = &s->c;

	if (!s->call_lit_disp)
		return;
	while ((uintptr_t)e->p & 7)
		emit_u8(e, 0xcc);
	*(int32_t *)s->call_lit_disp = (int32_t)(e->p - (s->call_lit_disp + 4));
	emit_u64(e, s->call_ret);
}

/* Upper bound of a block's cold part: stubs and records of its exits,
 * of its stops and the literal. */
#define COLD_MAX 2048

static void commit(struct tstate *s)
{
	struct block *b = s->b;

	b->code_len = (uint32_t)(s->e.p - b->code);
	cache_commit_code(s->r, b->code, b->code_len, s->c.end - COLD_MAX,
			  (size_t)(s->c.p - (s->c.end - COLD_MAX)));
}

static struct block *fault_block(uint64_t pc, int kind)
{
	struct tstate s;
	struct block *b = heap_alloc(sizeof(*b));
	struct pending_exit *x;
	size_t max = 256;

	memset(&s, 0, sizeof(s));
	b->app_pc = pc;
	b->app_end = pc + 1;
	b->app_lo = pc;
	b->app_hi = pc + 1;
	b->code = cache_alloc_code(pc, max, COLD_MAX, &s.c.p, &s.r);
	b->region = s.r;
	s.b = b;
	s.e.p = b->code;
	s.e.end = b->code + max;
	s.c.end = s.c.p + COLD_MAX;
	emit_load_gs(&s.e, RDX, T_S_RDX); /* IBL_PREFIX_LEN bytes */
	x = add_exit(&s, EXIT_FAULT, pc, pc);
	x->rec.special = (uint8_t)kind;
	x->field = emit_jmp32(&s.e, 0);
	emit_stubs(&s);
	commit(&s);
	return b;
}

/*
 * A normal block with no point where the flags are dead would count with
 * a flags-free sequence at its start, which spills and reloads a
 * register.  If it ends with a call or an indirect branch, whose exit
 * sequence frees a register anyway, it counts there instead: three more
 * instructions rather than five.  Its instructions then all count as not
 * yet counted until the exit, where a fault can no longer happen.
 */
static int count_in_exit(const struct tblock *tb, int precise)
{
	const struct x86_insn *d = &tb->insn[tb->n - 1].d;

	if (precise || tb->nside || tb->end_kind != END_BRANCH)
		return 0;
	return d->branch == X86_BR_CALL || needs_rcx_spill(d);
}

struct block *translate_block(uint64_t pc, int precise, int limit)
{
	static struct tblock tb; /* under cache_lock */
	struct tstate s;
	struct block *b;
	size_t max;
	int i;

	int checked = precise && limit <= 0;

	if (limit <= 0 || limit > MAX_BLOCK_INSNS)
		limit = MAX_BLOCK_INSNS;
	decode_block(&tb, pc, limit, !precise);
	if (tb.fault)
		return fault_block(pc, tb.fault);
	if (tb.insn[0].d.special == X86_SP_SEG_GS ||
	    tb.insn[0].d.special == X86_SP_MOV_SEG)
		fatal("instruction at %p uses the GS segment, which the engine "
		      "reserves (not supported yet)",
		      (void *)pc);
	if (precise)
		place_counter(&tb, checked);
	else
		place_segments(&tb);

	max = 512 + 64 * (size_t)tb.n + 320 * (size_t)tb.nside;
	for (i = 0; i < tb.n; i++)
		max += tb.insn[i].d.len;
	b = heap_alloc(sizeof(*b));
	b->map = heap_alloc(sizeof(*b->map) * tb.n);
	b->app_pc = pc;
	b->ninsn = (uint16_t)tb.n;
	b->app_end = next_pc(&tb.insn[tb.n - 1]);
	b->app_lo = tb.lo;
	b->app_hi = tb.hi;
	b->precise = (uint8_t)precise;
	b->checked = (uint8_t)checked;
	b->nolink = agent_on && agent_break_at(pc);
	memset(&s, 0, sizeof(s));
	s.checked = checked;
	s.segmented = !precise;
	b->code = cache_alloc_code(pc, max, COLD_MAX, &s.c.p, &s.r);
	b->region = s.r;
	s.b = b;
	s.e.p = b->code;
	s.e.end = b->code + max;
	s.c.end = s.c.p + COLD_MAX;
	emit_load_gs(&s.e, RDX, T_S_RDX); /* IBL_PREFIX_LEN bytes */
	b->slot = (uint8_t)counter_slot();
	s.slot = T_SLOTS + 8 * b->slot;
	if (tb.seg_at[0] < 0 && checked)
		s.entry_stop = emit_entry_check(&s.e, s.slot, tb.n);
	else if (tb.seg_at[0] < 0 && count_in_exit(&tb, precise))
		s.exit_count = tb.n;
	else if (tb.seg_at[0] < 0)
		emit_counter_flagsfree(&s.e, s.slot, tb.seg_n[0]);
	b->count_at = tb.count_at < 0 ? 0 : (uint16_t)tb.count_at;
	emit_body(&s, &tb);
	emit_landing(&s);
	emit_side_pads(&s, &tb);
	emit_stop_stubs(&s, &tb);
	emit_stubs(&s);
	emit_literals(&s);
	/*
	 * A shortened precise block must return to the dispatcher: its
	 * indirect branch leaves through the lookup's miss path, never into
	 * a block the budget may not cover.
	 */
	if (precise && !checked && b->has_ibl)
		ibl_unlink(b, 1);
	commit(&s);
	return b;
}
