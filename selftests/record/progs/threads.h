/* SPDX-License-Identifier: GPL-2.0 */
/* Test-program helper: n threads running fn((void *)index). */
#ifndef REC_T_THREADS_H
#define REC_T_THREADS_H

#include <pthread.h>

static inline int start_threads(pthread_t *t, int n, void *(*fn)(void *))
{
	for (long i = 0; i < n; i++)
		if (pthread_create(&t[i], NULL, fn, (void *)i))
			return -1;
	return 0;
}

static inline void join_threads(pthread_t *t, int n)
{
	for (int i = 0; i < n; i++)
		pthread_join(t[i], NULL);
}

#endif
