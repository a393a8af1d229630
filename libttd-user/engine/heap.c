// SPDX-License-Identifier: GPL-2.0
/*
 * Size-classed free lists over a bump pointer in the engine arena.  Engine
 * allocations are few and long-lived (threads, blocks, tables), so a simple
 * design is enough; what matters is that it never calls libc and never maps
 * memory outside the arena.
 */
#include "heap.h"
#include "lib.h"
#include "linux/sys.h"

#define NCLASSES 17 /* 16 B .. 1 MiB */

static struct {
	struct elock lock;
	uintptr_t start, cur, end;
	void *free[NCLASSES];
} heap;

void heap_init(uintptr_t start, uintptr_t end)
{
	heap.start = start;
	heap.cur = ALIGN_UP(start, PAGE_SIZE);
	heap.end = end;
}

int heap_owns(uintptr_t addr)
{
	return addr >= ENGINE_ARENA_BASE &&
	       addr < ENGINE_ARENA_BASE + ENGINE_ARENA_SIZE;
}

void heap_after_fork(void)
{
	heap.lock.v = 0;
}

static uintptr_t bump(size_t size, size_t align, int prot)
{
	uintptr_t p = ALIGN_UP(heap.cur, align);
	void *m;

	size = ALIGN_UP(size, PAGE_SIZE);
	if (p + size > heap.end)
		fatal("engine arena exhausted (%lu bytes wanted)",
		      (unsigned long)size);
	m = sys_mmap((void *)p, size, prot,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	if ((uintptr_t)m != p)
		fatal("cannot map engine memory at %p: %ld", (void *)p,
		      (long)m);
	heap.cur = p + size;
	return p;
}

static int size_class(size_t size)
{
	int c = 0;

	while (((size_t)16 << c) < size)
		c++;
	return c;
}

void *heap_pages(size_t size, int prot)
{
	uintptr_t p;

	elock_acquire(&heap.lock);
	p = bump(size, PAGE_SIZE, prot);
	elock_release(&heap.lock);
	return (void *)p;
}

void *heap_alloc(size_t size)
{
	int c = size_class(size);
	size_t csize = (size_t)16 << c;
	void *p;

	if (c >= NCLASSES)
		return heap_pages(size, PROT_READ | PROT_WRITE);
	elock_acquire(&heap.lock);
	p = heap.free[c];
	if (p) {
		heap.free[c] = *(void **)p;
	} else if (csize >= PAGE_SIZE) {
		p = (void *)bump(csize, PAGE_SIZE, PROT_READ | PROT_WRITE);
	} else {
		/* Carve a page into objects of this class. */
		uintptr_t page =
			bump(PAGE_SIZE, PAGE_SIZE, PROT_READ | PROT_WRITE);
		for (uintptr_t q = page + csize; q + csize <= page + PAGE_SIZE;
		     q += csize) {
			*(void **)q = heap.free[c];
			heap.free[c] = (void *)q;
		}
		p = (void *)page;
	}
	elock_release(&heap.lock);
	memset(p, 0, csize);
	return p;
}

void heap_free(void *p, size_t size)
{
	int c = size_class(size);

	if (!p)
		return;
	if (c >= NCLASSES) {
		/* Large blocks are returned to the kernel but keep their
		 * arena addresses reserved. */
		sys_mmap(p, ALIGN_UP(size, PAGE_SIZE), PROT_NONE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED |
				 MAP_NORESERVE,
			 -1, 0);
		return;
	}
	elock_acquire(&heap.lock);
	*(void **)p = heap.free[c];
	heap.free[c] = p;
	elock_release(&heap.lock);
}
