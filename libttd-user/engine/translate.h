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

/* Hash used by the inline indirect-branch lookup (rorx 4, low 16 bits). */
static inline uint32_t ibl_hash(uint64_t pc)
{
	uint32_t v = (uint32_t)pc;

	return ((v >> 4) | (v << 28)) & 0xffff;
}

extern int cpu_has_bmi2;

#endif
