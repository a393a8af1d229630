/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Self-modifying code and JITs.  Pages that hold translated code and are
 * writable by the application are write-protected; the first write
 * flushes their translations and gives the write permission back.
 * Unmapping or changing the protection of such memory flushes too.
 */
#ifndef TTD_ENGINE_SMC_H
#define TTD_ENGINE_SMC_H

#include <stdint.h>

/* A block was translated from [start, end). */
void smc_note_code(uint64_t start, uint64_t end);
/* A write fault at addr: returns 1 when it was ours and is resolved. */
int smc_handle_fault(uint64_t addr);
/* The application remapped or reprotected [start, end). */
void smc_range_changed(uint64_t start, uint64_t end);
void smc_after_fork(void);
/* The application's mappings changed: re-read them when needed. */
void smc_maps_changed(void);
/* PROT_* of the page holding addr, -1 if unmapped (under cache_lock). */
int vm_prot(uint64_t addr);

#endif
