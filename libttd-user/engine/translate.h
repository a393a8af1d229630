/* SPDX-License-Identifier: GPL-2.0 */
/* Block translation: application code in, code-cache block out. */
#ifndef TTD_ENGINE_TRANSLATE_H
#define TTD_ENGINE_TRANSLATE_H

#include <stdint.h>
#include "cache.h"
#include "thread.h"

#define MAX_BLOCK_INSNS 96

/* Translate the block starting at 'pc'.  In precise mode a block checks
 * that it fits in its share of the thread's budget, unless 'limit' caps
 * its number of instructions: a shortened block, for an exact stop, which
 * does not check and always returns to the dispatcher. */
struct block *translate_block(uint64_t pc, int precise, int limit);

/*
 * Hash of the inline indirect-branch lookup: the high half of pc times a
 * Fibonacci multiplier, low IBL_BITS bits.  Computed there with mulx and
 * shlx/shrx, none of which touches the flags.  (Cheaper sums of shifted
 * addresses let hot targets of large programs evict each other.)
 */
static inline uint32_t ibl_hash(uint64_t pc)
{
	unsigned __int128 p = (unsigned __int128)pc * IBL_HASH_K;

	return (uint32_t)(p >> 64) & (IBL_ENTRIES - 1);
}

extern int cpu_has_bmi2;

#endif
