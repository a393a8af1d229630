/* SPDX-License-Identifier: GPL-2.0 */
/* Reading /proc/self/maps without libc, for the engine's own uses. */
#ifndef TTD_ENGINE_MAPS_H
#define TTD_ENGINE_MAPS_H

#include <stdint.h>

struct vm_area {
	uint64_t start, end;
	int prot; /* PROT_* */
	int shared;
	uint64_t off, ino;
	uint32_t dev;
	char name[64]; /* path or [stack]-like name, truncated */
};

/*
 * Call cb for every mapping, in address order, until it returns non-zero
 * (which is then returned).  -1 when the file cannot be read.
 */
int maps_for_each(int (*cb)(const struct vm_area *a, void *arg), void *arg);

#endif
