// SPDX-License-Identifier: GPL-2.0
/* Write protection of translated code (see smc.h). */
#include "smc.h"
#include "sys.h"
#include "maps.h"
#include "../cache.h"
#include "../heap.h"
#include "../lib.h"

#define SET_BITS 16
#define SET_SIZE (1U << SET_BITS)
#define PROT_NOT_WRITABLE 0x100 /* seen, left as it was */

struct code_page {
	uint64_t page; /* 0: empty, 1: deleted */
	int prot; /* the application's protection */
	int protected;
	uint64_t alias_of; /* a writable view of this code page */
};

static struct code_page *set;
static unsigned set_used;
static struct elock smc_lock;
static uint64_t lo_addr = ~0ULL, hi_addr;

void smc_after_fork(void)
{
	smc_lock.v = 0;
}

static unsigned slot_hash(uint64_t page)
{
	return (unsigned)((page >> 12) * 0x9e3779b97f4a7c15ULL >>
			  (64 - SET_BITS));
}

static struct code_page *find(uint64_t page, int create)
{
	unsigned i = slot_hash(page);
	struct code_page *tomb = NULL;

	if (!set)
		set = heap_alloc(sizeof(*set) * SET_SIZE);
	for (unsigned n = 0; n < SET_SIZE; n++, i = (i + 1) & (SET_SIZE - 1)) {
		struct code_page *c = &set[i];
		if (c->page == page)
			return c;
		if (c->page == 1 && !tomb)
			tomb = c;
		if (!c->page) {
			if (!create)
				return NULL;
			if (!tomb)
				tomb = c;
			break;
		}
	}
	if (!tomb || set_used > SET_SIZE * 3 / 4)
		fatal("too many code pages");
	tomb->page = page;
	set_used++;
	return tomb;
}

/*
 * A copy of /proc/self/maps, re-read only after the application changed
 * its mappings: new code pages are frequent, mapping changes are not.
 */
struct map_ent {
	uint64_t start, end;
	int prot;
	int shared;
	uint64_t off, ino;
	uint32_t dev;
};

static struct map_ent *maps;
static int nmaps, maps_cap, maps_valid;

void smc_maps_changed(void)
{
	__atomic_store_n(&maps_valid, 0, __ATOMIC_RELEASE);
}

static struct map_ent *maps_add(uint64_t s, uint64_t e, int prot)
{
	if (nmaps == maps_cap) {
		int cap = maps_cap ? maps_cap * 2 : 256;
		struct map_ent *n = heap_alloc(sizeof(*n) * cap);
		memcpy(n, maps, sizeof(*n) * nmaps);
		heap_free(maps, sizeof(*n) * maps_cap);
		maps = n;
		maps_cap = cap;
	}
	maps[nmaps].start = s;
	maps[nmaps].end = e;
	maps[nmaps].prot = prot;
	return &maps[nmaps++];
}

static int maps_add_area(const struct vm_area *a, void *arg)
{
	struct map_ent *m = maps_add(a->start, a->end, a->prot);

	m->shared = a->shared;
	m->off = a->off;
	m->dev = a->dev;
	m->ino = a->ino;
	return 0;
}

static void maps_read(void)
{
	nmaps = 0;
	if (maps_for_each(maps_add_area, NULL) < 0)
		return;
	maps_valid = 1;
}

static struct map_ent *vm_find(uint64_t addr)
{
	int lo = 0, hi;

	if (!__atomic_load_n(&maps_valid, __ATOMIC_ACQUIRE))
		maps_read();
	hi = nmaps - 1;
	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		if (addr < maps[mid].start)
			hi = mid - 1;
		else if (addr >= maps[mid].end)
			lo = mid + 1;
		else
			return &maps[mid];
	}
	return NULL;
}

int vm_prot(uint64_t addr)
{
	struct map_ent *m = vm_find(addr);

	return m ? m->prot : -1;
}

static void protect(struct code_page *c, uint64_t page)
{
	sys_mprotect((void *)page, PAGE_SIZE, c->prot & ~PROT_WRITE);
	c->protected = 1;
	maps_valid = 0;
}

/*
 * Code in a shared mapping can be rewritten through another view of the
 * same file (a JIT's writable alias of its executable memory): protect
 * the writable views of this page too.
 */
static void protect_aliases(uint64_t page)
{
	struct map_ent *m = vm_find(page), code;
	uint64_t off;

	if (!m || !m->shared || !m->ino)
		return;
	code = *m;
	off = code.off + (page - code.start);
	for (int i = 0; i < nmaps; i++) {
		struct map_ent e = maps[i];
		uint64_t alias;
		struct code_page *c;

		if (e.ino != code.ino || e.dev != code.dev || !e.shared ||
		    !(e.prot & PROT_WRITE) || off < e.off ||
		    off >= e.off + (e.end - e.start))
			continue;
		alias = e.start + (off - e.off);
		if (alias == page || find(alias, 0))
			continue;
		c = find(alias, 1);
		c->prot = e.prot;
		c->alias_of = page;
		protect(c, alias);
	}
}

void smc_note_code(uint64_t start, uint64_t end)
{
	uint64_t page;

	elock_acquire(&smc_lock);
	for (page = ALIGN_DOWN(start, PAGE_SIZE); page < end;
	     page += PAGE_SIZE) {
		struct code_page *c = find(page, 0);
		if (c)
			continue;
		c = find(page, 1);
		c->prot = vm_prot(page);
		if (page < lo_addr)
			lo_addr = page;
		if (page + PAGE_SIZE > hi_addr)
			hi_addr = page + PAGE_SIZE;
		if (c->prot > 0 && (c->prot & PROT_WRITE))
			protect(c, page);
		protect_aliases(page);
	}
	elock_release(&smc_lock);
}

static void forget(struct code_page *c)
{
	c->page = 1;
	c->protected = 0;
	c->alias_of = 0;
	set_used--;
}

int smc_handle_fault(uint64_t addr)
{
	uint64_t page = ALIGN_DOWN(addr, PAGE_SIZE);
	struct code_page *c;
	int ours = 0;

	/* Lock order: cache_lock, then smc_lock (the translator's). */
	elock_acquire(&cache_lock);
	elock_acquire(&smc_lock);
	c = find(page, 0);
	if (c && c->protected) {
		uint64_t code = c->alias_of ? c->alias_of : page;
		struct code_page *cc = c->alias_of ? find(code, 0) : NULL;

		cache_flush_range(code, code + PAGE_SIZE);
		sys_mprotect((void *)page, PAGE_SIZE, c->prot);
		forget(c);
		/* seen afresh at its next translation, aliases and all */
		if (cc && !cc->protected)
			forget(cc);
		maps_valid = 0;
		ours = 1;
	}
	elock_release(&smc_lock);
	elock_release(&cache_lock);
	return ours;
}

void smc_range_changed(uint64_t start, uint64_t end)
{
	int any = 0;

	if (end <= lo_addr || start >= hi_addr)
		return;
	elock_acquire(&cache_lock);
	elock_acquire(&smc_lock);
	if (end - start <= 64 * PAGE_SIZE) {
		for (uint64_t p = ALIGN_DOWN(start, PAGE_SIZE); p < end;
		     p += PAGE_SIZE) {
			struct code_page *c = find(p, 0);
			if (c) {
				forget(c);
				any = 1;
			}
		}
	} else {
		for (unsigned i = 0; i < SET_SIZE && set; i++)
			if (set[i].page > 1 && set[i].page < end &&
			    set[i].page + PAGE_SIZE > start) {
				forget(&set[i]);
				any = 1;
			}
	}
	if (any)
		cache_flush_range(start, end);
	elock_release(&smc_lock);
	elock_release(&cache_lock);
}
