// SPDX-License-Identifier: GPL-2.0
/* Write protection of translated code (see smc.h). */
#include "smc.h"
#include "sys.h"
#include "../cache.h"
#include "../heap.h"
#include "../lib.h"

#define SET_BITS 16
#define SET_SIZE (1U << SET_BITS)
#define PROT_NOT_WRITABLE 0x100	/* seen, left as it was */

struct code_page {
	uint64_t page;		/* 0: empty, 1: deleted */
	int prot;		/* the application's protection */
	int protected;
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
	return (unsigned)((page >> 12) * 0x9e3779b97f4a7c15ULL >> (64 - SET_BITS));
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

/* The protection of 'page' from /proc/self/maps, -1 if unmapped. */
static int page_prot(uint64_t page)
{
	static char buf[16384];
	int fd = (int)sys_openat(-100, "/proc/self/maps", O_RDONLY, 0);
	long n, len = 0;
	int prot = -1;
	char *p;

	if (fd < 0)
		return -1;
	for (;;) {
		n = sys_read(fd, buf + len, sizeof(buf) - 1 - len);
		if (n <= 0)
			break;
		len += n;
		buf[len] = '\0';
		p = buf;
		for (char *nl; (nl = strchr(p, '\n')); p = nl + 1) {
			uint64_t s = 0, e = 0;
			char *q = p;
			while (*q != '-')
				s = s * 16 + hexval(*q++);
			q++;
			while (*q != ' ')
				e = e * 16 + hexval(*q++);
			q++;
			if (page >= s && page < e) {
				prot = (q[0] == 'r' ? PROT_READ : 0) |
				       (q[1] == 'w' ? PROT_WRITE : 0) |
				       (q[2] == 'x' ? PROT_EXEC : 0);
				goto out;
			}
		}
		len = buf + len - p;
		memmove(buf, p, len);
	}
out:
	sys_close(fd);
	return prot;
}

void smc_note_code(uint64_t start, uint64_t end)
{
	uint64_t page;

	elock_acquire(&smc_lock);
	for (page = ALIGN_DOWN(start, PAGE_SIZE); page < end; page += PAGE_SIZE) {
		struct code_page *c = find(page, 0);
		if (c)
			continue;
		c = find(page, 1);
		c->prot = page_prot(page);
		if (page < lo_addr)
			lo_addr = page;
		if (page + PAGE_SIZE > hi_addr)
			hi_addr = page + PAGE_SIZE;
		if (c->prot > 0 && (c->prot & PROT_WRITE)) {
			sys_mprotect((void *)page, PAGE_SIZE,
				     c->prot & ~PROT_WRITE);
			c->protected = 1;
		}
	}
	elock_release(&smc_lock);
}

static void forget(struct code_page *c)
{
	c->page = 1;
	c->protected = 0;
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
		cache_flush_range(page, page + PAGE_SIZE);
		sys_mprotect((void *)page, PAGE_SIZE, c->prot);
		forget(c);
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
