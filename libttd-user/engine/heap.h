/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The engine's own allocator.  All engine memory comes from one reserved
 * arena at a fixed address, so the engine's allocations never move the
 * application's own mmap results around (replay places the engine at the
 * same address, and the application sees the same layout).
 */
#ifndef TTD_ENGINE_HEAP_H
#define TTD_ENGINE_HEAP_H

#include <stddef.h>
#include <stdint.h>

#define ENGINE_ARENA_BASE 0x200000000000UL
#define ENGINE_ARENA_SIZE (64UL << 30)

void heap_init(uintptr_t start, uintptr_t end);
/* Zeroed memory; never returns NULL (out of memory is fatal). */
void *heap_alloc(size_t size);
void heap_free(void *p, size_t size);
/* Page-aligned memory with the given protection, from the arena. */
void *heap_pages(size_t size, int prot);
void heap_after_fork(void);
/* Is 'addr' inside the engine's arena? */
int heap_owns(uintptr_t addr);

#endif
