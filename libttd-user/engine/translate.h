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
 * Index of the inline indirect-branch lookup: the low IBL_BITS bits of
 * pc, one flags-free pdep.  Code addresses differ most in their low bits;
 * a multiplicative hash spread them no better on the benchmarks and cost
 * five more instructions on every indirect branch.
 */
static inline uint32_t ibl_hash(uint64_t pc)
{
	return (uint32_t)pc & (IBL_ENTRIES - 1);
}

/*
 * The displacement of the lookup's compare (lea rax,[rax+rcx+disp]):
 * linked, a key matches its own target; unlinked, pc would match only
 * the key of pc + 2^31 + 1, which has other low bits and so is never in
 * pc's entry: the lookup goes to the dispatcher.  A never-used entry
 * (key 0) then matches only pc = -2, which is not a user address.
 */
#define IBL_DISP_LINKED ((int32_t)(-(int64_t)IBL_KEY_BIAS))
#define IBL_DISP_UNLINKED ((int32_t)(-(int64_t)IBL_KEY_BIAS + (1L << 31) + 1))

extern int cpu_has_bmi2, cpu_fast_pdep;

#endif
