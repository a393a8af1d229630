// SPDX-License-Identifier: GPL-2.0
/*
 * Code-cache memory, the block hash table, block linking and flushing.
 *
 * Flushed blocks are unhooked (hash, links, lookup tables) but their
 * memory is never reused: another thread may still be inside one, and it
 * will leave through an exit into the dispatcher.
 */
#include "cache.h"
#include "thread.h"
#include "translate.h"
#include "heap.h"
#include "lib.h"
#include "mode.h"
#include "linux/sys.h"
#include "x86/emit.h"
#include "linux/smc.h"
#include "perfmap.h"
#include "dispatch.h"

#define REGION_SIZE (64UL << 20)
#define HASH_BITS 16

struct elock cache_lock;
uint64_t stat_blocks, stat_code_bytes, stat_translate_ns;
uint64_t stat_flushes, stat_flushed;

static struct region *regions;
static struct block *hash[2][1 << HASH_BITS]; /* [precise] */
static struct block *unlinked_list;

extern char cache_exit[], ibl_miss[];

void cache_after_fork(void)
{
	cache_lock.v = 0;
}

static unsigned bhash(uint64_t pc)
{
	return (unsigned)((pc ^ (pc >> 16)) & ((1 << HASH_BITS) - 1));
}

static void emit_abs_jmp(struct emit *e, void *to)
{
	emit_u8(e, 0xff); /* jmp qword [rip+0] */
	emit_u8(e, 0x25);
	emit_u32(e, 0);
	emit_u64(e, (uint64_t)to);
}

/* Region header: the shared trampolines every block jumps to by rel32. */
static void region_trampolines(struct region *r)
{
	struct emit e = { r->base, r->base + 256 };

	r->t_exit = e.p;
	emit_abs_jmp(&e, cache_exit);
	while ((uintptr_t)e.p & 15)
		emit_u8(&e, 0xcc);
	r->t_ibl_exit_spilled = e.p;
	emit_abs_jmp(&e, ibl_miss);
	r->used = 256;
}

static int reachable(uintptr_t a, uintptr_t b, size_t span)
{
	uintptr_t lo = a < b ? a : b, hi = a < b ? b : a;

	return hi + span - lo < (1UL << 31) - (16UL << 20);
}

/* Map a new region as close below 'near' as the address space allows. */
static struct region *region_new(uint64_t near)
{
	struct region *r;
	uintptr_t try = ALIGN_DOWN(near, REGION_SIZE);
	void *m = MAP_FAILED;
	int i;

	if (engine_mode == MODE_REPLAY)
		m = rr_take_code_region(near, REGION_SIZE);
	for (i = 1; m == MAP_FAILED && i < 24; i++) {
		uintptr_t a = try - (uintptr_t)i * REGION_SIZE;
		if (a < (1UL << 24))
			break;
		m = sys_mmap((void *)a, REGION_SIZE,
			     PROT_READ | PROT_WRITE | PROT_EXEC,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE |
				     MAP_NORESERVE,
			     -1, 0);
		if ((uintptr_t)m == a)
			break;
		if (!sys_is_err((long)m))
			sys_munmap(m, REGION_SIZE);
		m = MAP_FAILED;
	}
	for (i = 1; m == MAP_FAILED && i < 24; i++) {
		uintptr_t a = try + (uintptr_t)i * REGION_SIZE;
		m = sys_mmap((void *)a, REGION_SIZE,
			     PROT_READ | PROT_WRITE | PROT_EXEC,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE |
				     MAP_NORESERVE,
			     -1, 0);
		if ((uintptr_t)m != a) {
			if (!sys_is_err((long)m))
				sys_munmap(m, REGION_SIZE);
			m = MAP_FAILED;
		}
	}
	if (m == MAP_FAILED)
		fatal("no room for a code cache near %p", (void *)near);
	if (engine_mode == MODE_RECORD)
		rr_note_code_region((uint64_t)m, REGION_SIZE);
	r = heap_alloc(sizeof(*r));
	r->base = m;
	r->size = REGION_SIZE;
	region_trampolines(r);
	r->next = regions;
	regions = r;
	return r;
}

/*
 * The lower half of a region holds translated code, the upper half the
 * stubs and exit records that run only until an exit is linked: hot code
 * is then dense in the instruction cache and TLB.
 */
uint8_t *cache_alloc_code(uint64_t near, size_t size, size_t cold,
			  uint8_t **cold_out, struct region **out)
{
	struct region *r;

	for (r = regions; r; r = r->next)
		if (reachable((uintptr_t)r->base, near, r->size) &&
		    r->used + size + 16 <= r->size / 2 &&
		    r->cold_used + cold + 16 <= r->size / 2)
			break;
	if (!r)
		r = region_new(near);
	r->used = ALIGN_UP(r->used, 16);
	r->cold_used = ALIGN_UP(r->cold_used, 16);
	*out = r;
	*cold_out = r->base + r->size / 2 + r->cold_used;
	return r->base + r->used;
}

void cache_commit_code(struct region *r, uint8_t *start, size_t len,
		       uint8_t *cold, size_t cold_len)
{
	r->used = (size_t)(start - r->base) + len;
	r->cold_used = (size_t)(cold - (r->base + r->size / 2)) + cold_len;
	stat_code_bytes += len + cold_len;
}

static void region_add_block(struct region *r, struct block *b)
{
	if (r->nblocks == r->cap) {
		int cap = r->cap ? r->cap * 2 : 1024;
		struct block **n = heap_alloc(sizeof(*n) * cap);
		memcpy(n, r->blocks, sizeof(*n) * r->nblocks);
		heap_free(r->blocks, sizeof(*n) * r->cap);
		r->blocks = n;
		r->cap = cap;
	}
	r->blocks[r->nblocks++] = b; /* code addresses only grow */
}

void cache_add_block(struct block *b)
{
	unsigned h = bhash(b->app_pc);

	region_add_block(b->region, b);
	b->hash_next = hash[b->precise][h];
	__atomic_store_n(&hash[b->precise][h], b, __ATOMIC_RELEASE);
	stat_blocks++;
}

struct block *cache_lookup_mode(uint64_t pc, int precise)
{
	struct block *b;

	for (b = __atomic_load_n(&hash[precise][bhash(pc)], __ATOMIC_ACQUIRE);
	     b; b = b->hash_next)
		if (b->app_pc == pc && !b->invalid)
			return b;
	return NULL;
}

struct block *cache_get(uint64_t pc, int precise)
{
	struct block *b = cache_lookup_mode(pc, precise);

	if (b)
		return b;
	/* Timed only for --stats: a clock read is a system call here. */
	int timed = eopts.options & TTD_OPT_STATS;
	uint64_t t0 = timed ? now_ns() : 0;

	b = translate_block(pc, precise, 0);
	cache_add_block(b);
	perfmap_block(b->code, b->code_len, b->app_pc);
	smc_note_code(b->app_lo, b->app_hi);
	if (timed)
		stat_translate_ns += now_ns() - t0;
	return b;
}

int cache_owns(uintptr_t addr)
{
	for (struct region *r = regions; r; r = r->next)
		if (addr >= (uintptr_t)r->base &&
		    addr < (uintptr_t)r->base + r->size)
			return 1;
	return 0;
}

int cache_overlaps(uintptr_t start, uintptr_t end)
{
	for (struct region *r = regions; r; r = r->next)
		if (start < (uintptr_t)r->base + r->size &&
		    end > (uintptr_t)r->base)
			return 1;
	return 0;
}

struct block *cache_find_code(uintptr_t addr)
{
	for (struct region *r = regions; r; r = r->next) {
		int lo = 0, hi = r->nblocks - 1;

		if (addr < (uintptr_t)r->base ||
		    addr >= (uintptr_t)r->base + r->size)
			continue;
		while (lo <= hi) {
			int mid = (lo + hi) / 2;
			struct block *b = r->blocks[mid];
			if (addr < (uintptr_t)b->code)
				hi = mid - 1;
			else if (addr >= (uintptr_t)b->code + b->code_len)
				lo = mid + 1;
			else
				return b;
		}
		return NULL;
	}
	return NULL;
}

static uint8_t *stub_of(struct exit_rec *rec)
{
	return rec->from->code + rec->stub;
}

void cache_link(struct exit_rec *rec, struct block *to)
{
	struct block *from = rec->from;
	uint8_t *field = from->code + rec->patch;

	if (rec->linked || from->invalid || to->invalid || from->unlinked ||
	    from->precise != to->precise || to->nolink)
		return;
	if (!reachable((uintptr_t)field, (uintptr_t)to->code, 0))
		return;
	rec->linked = 1;
	rec->to = to;
	rec->next_in = to->incoming;
	to->incoming = rec;
	patch_rel32(field, (uintptr_t)block_entry(to));
}

static void unlink_exit(struct exit_rec *rec)
{
	patch_rel32(rec->from->code + rec->patch, (uintptr_t)stub_of(rec));
}

void ibl_unlink(struct block *b, int unlink)
{
	int32_t d = unlink ? IBL_DISP_UNLINKED : IBL_DISP_LINKED;

	if (b->has_ibl)
		__atomic_store_n((int32_t *)(b->code + b->ibl_patch), d,
				 __ATOMIC_RELEASE);
}

/* Cut a block off from its successors until cache_relink_pending(). */
void cache_unlink_block(struct block *b)
{
	if (b->unlinked)
		return;
	b->unlinked = 1;
	for (int i = 0; i < b->nexits; i++)
		if (b->exits[i]->linked)
			unlink_exit(b->exits[i]);
	ibl_unlink(b, 1);
	b->unlinked_next = unlinked_list;
	unlinked_list = b;
}

void cache_relink_pending(void)
{
	struct block *b, *next;

	for (b = unlinked_list; b; b = next) {
		next = b->unlinked_next;
		b->unlinked = 0;
		if (b->invalid)
			continue;
		for (int i = 0; i < b->nexits; i++)
			if (b->exits[i]->linked)
				patch_rel32(b->code + b->exits[i]->patch,
					    (uintptr_t)block_entry(
						    b->exits[i]->to));
		ibl_unlink(b, 0);
	}
	unlinked_list = NULL;
}

static void invalidate(struct block *b)
{
	struct exit_rec *in;

	b->invalid = 1;
	stat_flushed++;
	for (in = b->incoming; in; in = in->next_in) {
		if (!in->linked)
			continue;
		in->linked = 0;
		unlink_exit(in);
	}
	b->incoming = NULL;
	/* Its landing may still be entered from lookup tables: its own
	 * links must not outlive their targets. */
	for (int i = 0; i < b->nexits; i++) {
		if (b->exits[i]->linked)
			unlink_exit(b->exits[i]);
		b->exits[i]->linked = 0;
	}
	thread_ibl_forget(b->app_pc);
}

int block_spans(const struct block *b, uint64_t start, uint64_t end)
{
	return b->app_lo < end && b->app_hi > start;
}

void cache_flush_range(uint64_t start, uint64_t end)
{
	stat_flushes++;
	for (int m = 0; m < 2; m++)
		for (unsigned h = 0; h < (1u << HASH_BITS); h++) {
			struct block **pp = &hash[m][h];
			while (*pp) {
				struct block *b = *pp;
				if (block_spans(b, start, end)) {
					*pp = b->hash_next;
					invalidate(b);
				} else {
					pp = &b->hash_next;
				}
			}
		}
}
