/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The system-call table of the recorder: for every x86-64 system call,
 * its name, whether it may sleep for an unbounded time, and which
 * application memory the kernel wrote when it returned.  Replay feeds the
 * recorded bytes back instead of running the call, so a range missing
 * here is a divergence later; ranges are therefore supersets when the
 * exact extent cannot be known after the fact.
 *
 * Freestanding: built into the engine image, and on the host for tests.
 */
#ifndef TTD_RECORD_SYSTAB_H
#define TTD_RECORD_SYSTAB_H

#include <stdint.h>

#define SYSTAB_MAX_OUT 64
/* One past the highest system-call number the table describes. */
#define SYSTAB_NR 470

struct sysrec_range {
	uint64_t addr, len;
};

enum {
	SR_KNOWN = 1, /* described by the table */
	SR_MAY_BLOCK = 2, /* may sleep for an unbounded time */
};

unsigned int systab_flags(long nr);
/* "read", or NULL for a number the table does not name. */
const char *systab_name(long nr);
/*
 * After the call returned ret (raw kernel value, -errno on error), list
 * the application memory the kernel wrote.  Returns the number of ranges
 * (at most max; supersets, never subsets), or -1 when the call or its
 * sub-command is not known, with *why naming it ("ioctl 0x5413",
 * "syscall 333").  The *why text stays valid for a while (a small ring of
 * buffers), long enough to print it.
 */
int systab_outputs(long nr, const uint64_t a[6], long ret,
		   struct sysrec_range *out, int max, const char **why);

#endif
