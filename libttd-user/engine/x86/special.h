/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Emulation of the instructions whose results are machine-specific or
 * non-deterministic (rdtsc, cpuid, rdrand, ...).  They run here, in the
 * engine, so that recording can log their results and replay can feed
 * them back.
 */
#ifndef TTD_X86_SPECIAL_H
#define TTD_X86_SPECIAL_H

#include <stdint.h>

struct ttd_thread;
struct ttd_regs;

void special_emulate(struct ttd_thread *t, int special, uint64_t pc);
/* x86 register number (0 = rax ... 15 = r15) to its slot in a context. */
uint64_t *regs_slot(struct ttd_regs *r, int num);
void cpuid_raw(uint32_t leaf, uint32_t sub, uint32_t out[4]);

#endif
