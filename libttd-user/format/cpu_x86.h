/* SPDX-License-Identifier: GPL-2.0 */
#ifndef TTD_FORMAT_CPU_X86_H
#define TTD_FORMAT_CPU_X86_H

#include "format/ttd_format.h"

/* Vendor string and family/model/stepping of the CPU we run on. */
void cpu_identify(char vendor[16], uint32_t *family, uint32_t *model,
		  uint32_t *stepping);
/*
 * The leaves a recording depends on when the recorder does not say:
 * those that steer libc's choice of code (features, xsave layout, vendor
 * limits).  Returns how many were stored in out (at most max).
 */
unsigned int cpu_default_leaves(struct ttd_cpuid_leaf *out, unsigned int max);

#endif
