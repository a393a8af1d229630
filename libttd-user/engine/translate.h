/* SPDX-License-Identifier: GPL-2.0 */
/* Block translation: application code in, code-cache block out. */
#ifndef TTD_ENGINE_TRANSLATE_H
#define TTD_ENGINE_TRANSLATE_H

#include <stdint.h>
#include "cache.h"

#define MAX_BLOCK_INSNS 96

/* Translate the block starting at 'pc'.  In precise mode every block
 * first checks that it fits in the thread's remaining budget; 'limit' caps
 * the number of instructions (a shortened block for an exact stop). */
struct block *translate_block(uint64_t pc, int precise, int limit);

/*
 * Hash of the inline indirect-branch lookup: bits 4 and up of the target,
 * plus bits 20 and up so that targets a multiple of 1 MiB apart (JIT code
 * objects, aligned tables of stubs) do not all share a slot.  Computed
 * there with rorx/rorx/lea/movzx, none of which touches the flags.
 */
static inline uint32_t ibl_hash(uint64_t pc)
{
	uint32_t v = (uint32_t)pc;

	return (((v >> 4) | (v << 28)) + ((v >> 20) | (v << 12))) & 0xffff;
}

extern int cpu_has_bmi2;

#endif
