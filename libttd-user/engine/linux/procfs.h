/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the application reads about itself in /proc must show its own
 * state only: the engine's image, arena and code cache are left out of
 * its maps and smaps files.
 */
#ifndef TTD_ENGINE_PROCFS_H
#define TTD_ENGINE_PROCFS_H

#include <stdint.h>

struct ttd_thread;

/* open/openat already ran (result in t->ctx.rax); path is the
 * application's pointer.  Replaces the descriptor's contents with a
 * filtered copy when it is one of our maps files. */
void procfs_after_open(struct ttd_thread *t, uint64_t path);

#endif
