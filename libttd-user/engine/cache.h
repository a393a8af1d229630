/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The code cache: translated blocks, looked up by application address.
 *
 * Cache memory is carved from regions placed within reach of a rel32
 * displacement of the application code they translate, so RIP-relative
 * operands and direct branches keep their one-instruction form.  Every
 * block exit is a jmp/jcc whose rel32 field is 4-byte aligned, so that
 * linking and unlinking is one atomic store while other threads run.
 */
#ifndef TTD_ENGINE_CACHE_H
#define TTD_ENGINE_CACHE_H

#include <stdint.h>
#include <stddef.h>

enum exit_kind {
	EXIT_DIRECT, /* to rec->target: linkable */
	EXIT_IBL, /* indirect branch missed: target in t->s_tgt */
	EXIT_SYSCALL, /* a syscall at rec->pc; continue at target */
	EXIT_SPECIAL, /* rdtsc, cpuid...: emulate insn at rec->pc */
	EXIT_STOP, /* precise mode: budget share used up; resume at pc */
	EXIT_FAULT, /* undecodable or unreadable code at rec->target */
	EXIT_XBEGIN, /* xbegin: abort to rec->target (fallback) */
};

/*
 * An EXIT_STOP taken after the budget check's add: the flags hold
 * garbage, which the instruction at pc overwrites without reading.  The
 * budget is not zero there; the dispatcher runs that instruction before
 * it stops or delivers a signal.
 */
#define STOP_FLAGS_DEAD 1

struct block;

/* One exit of a block.  Lives in the cache right after its stub. */
struct exit_rec {
	uint8_t kind; /* enum exit_kind */
	uint8_t insn_len; /* EXIT_SPECIAL/SYSCALL: length at pc */
	uint8_t special; /* enum x86_special; EXIT_STOP: STOP_FLAGS_DEAD */
	uint8_t linked;
	uint32_t patch; /* offset of the rel32 in block code */
	uint32_t stub; /* offset of this exit's stub */
	uint32_t pad;
	uint64_t pc; /* application pc of the exiting insn */
	uint64_t target; /* application pc to continue at */
	struct block *from;
	struct exit_rec *next_in; /* incoming links of the target */
	struct block *to;
};

/* Per-instruction map, for faults and signals inside a block. */
struct insn_map {
	uint32_t cache_off; /* start of its translation */
	int32_t app_off; /* offset from block->app_pc */
	uint8_t rcx_spilled; /* app rcx lives in t->s_rcx here */
	uint8_t counted; /* instructions the block counted before it */
};

struct block {
	/* What a lookup in the block hash reads, in one cache line: the
	 * dispatcher's lookup of a new pc walks a chain of blocks that are
	 * rarely in the data cache. */
	uint64_t app_pc;
	struct block *hash_next;
	uint8_t invalid; /* flushed */
	uint64_t app_end; /* the pc after its last instruction */
	/* Spans all of its instructions, which a followed jmp may have
	 * taken elsewhere: what invalidation must watch. */
	uint64_t app_lo, app_hi;
	uint8_t *code;
	uint32_t code_len;
	uint32_t body_len; /* application instructions end here */
	uint16_t ninsn;
	uint16_t count_at; /* the counter update precedes insn count_at */
	uint8_t has_ibl; /* ends with an inline indirect lookup */
	uint8_t ibl_keeps_rax; /* which does not spill rax (emit_ibl()) */
	uint8_t unlinked; /* temporarily cut off for a signal */
	uint8_t precise;
	uint8_t checked; /* precise, checks the budget: cached, linkable */
	uint8_t nolink; /* entered only from the dispatcher (breakpoint) */
	uint8_t slot; /* index of the count slot it adds to */
	uint32_t ibl_patch; /* disp32 of the lookup's compare (ibl_unlink) */
	uint32_t ibl_off, ibl_end;
	/* Ends with a call: where returns to land_pc land (emit_call_note) */
	uint32_t land_off;
	uint64_t land_pc;
	struct block *unlinked_next;
	struct exit_rec *exits[8];
	int nexits;
	struct exit_rec *incoming;
	struct insn_map *map;
	struct region *region;
};

/*
 * Every block starts with "mov rdx, gs:[s_rdx]": the indirect-branch
 * lookup jumps there (through its table, with rdx still holding the
 * table index); everything else enters right after it.
 */
#define IBL_PREFIX_LEN 9
#define block_entry(b) ((b)->code + IBL_PREFIX_LEN)

struct region {
	uint8_t *base;
	size_t size;
	size_t used; /* code, from base up to half the size */
	size_t cold_used; /* stubs and exit records, from the half up */
	uint8_t *t_exit; /* jmp [rip] -> cache_exit */
	uint8_t *t_ibl_exit_spilled; /* the lookup's miss path */
	struct block **blocks; /* sorted by code address */
	int nblocks, cap;
	struct region *next;
};

void cache_after_fork(void);
/* Find or translate the block for 'pc' (caller holds cache_lock). */
struct block *cache_lookup_mode(uint64_t pc, int precise);
struct block *cache_get(uint64_t pc, int precise);
void cache_link(struct exit_rec *rec, struct block *to);
void cache_flush_range(uint64_t start, uint64_t end);
/* Which block holds this code-cache address, if any. */
struct block *cache_find_code(uintptr_t addr);
int cache_owns(uintptr_t addr);
/* Whether [start, end) meets a code cache region. */
int cache_overlaps(uintptr_t start, uintptr_t end);
void cache_unlink_block(struct block *b);
void cache_relink_pending(void);
/* Make the block's lookup miss always (unlink) or work again. */
void ibl_unlink(struct block *b, int unlink);
/* Carve code memory within rel32 reach of 'near': up to 'size' bytes of
 * code and 'cold' bytes (*cold_out) for its stubs, in the same region,
 * the stubs above the code.  Commit what was used of each. */
uint8_t *cache_alloc_code(uint64_t near, size_t size, size_t cold,
			  uint8_t **cold_out, struct region **out);
void cache_commit_code(struct region *r, uint8_t *start, size_t used,
		       uint8_t *cold, size_t cold_used);
void cache_add_block(struct block *b);
/* Whether the block translates code in [start, end). */
int block_spans(const struct block *b, uint64_t start, uint64_t end);

extern struct elock cache_lock;
extern uint64_t stat_blocks, stat_code_bytes, stat_translate_ns;
extern uint64_t stat_flushes, stat_flushed;

#endif
