/* SPDX-License-Identifier: GPL-2.0 */
/* The event ring, on the supervisor's side (see record/ring.h). */
#ifndef TTD_RING_USER_H
#define TTD_RING_USER_H

#include <linux/futex.h>
#include <pthread.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static inline long ring_futex(uint32_t *w, int wake, uint32_t val,
			      long timeout_ns)
{
	struct timespec ts = { timeout_ns / 1000000000L,
			       timeout_ns % 1000000000L };

	return syscall(SYS_futex, w, wake ? FUTEX_WAKE : FUTEX_WAIT,
		       wake ? 1 : val, wake ? NULL : &ts);
}

#define TTD_RING_FUNCS
#include "record/ring.h"

/* Size of each process's ring (data area). */
#define SESSION_RING_SIZE (16u << 20)

/* A new ring of size data bytes (a power of two) in a memfd: its
 * descriptor and mapping, or -1. */
int session_ring_new(struct ttd_ring **ring, uint64_t size);
/* The page all engines of a session share (struct rr_session). */
int session_page_new(void);
/* Call before the session creates threads. */
void session_block_sigchld(void);
/* A helper thread that takes no signals. */
int session_thread(pthread_t *th, void *(*fn)(void *), void *arg);

#endif
