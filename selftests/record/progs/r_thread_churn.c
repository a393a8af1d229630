// SPDX-License-Identifier: GPL-2.0
/*
 * Threads created and exiting continuously for 50 ms, some detached,
 * some joined: how many there were and how many overlapped varies.
 */
#include <pthread.h>
#include <stdio.h>
#include <time.h>

static int live, max_live, total;

static void *worker(void *arg)
{
	int n = __atomic_add_fetch(&live, 1, __ATOMIC_SEQ_CST), m;

	(void)arg;
	m = __atomic_load_n(&max_live, __ATOMIC_SEQ_CST);
	while (n > m &&
	       !__atomic_compare_exchange_n(&max_live, &m, n, 0,
					    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
		;
	__atomic_add_fetch(&total, 1, __ATOMIC_SEQ_CST);
	__atomic_sub_fetch(&live, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(void)
{
	pthread_attr_t detached;
	double end = now() + 0.05;
	int created = 0, joined = 0;
	pthread_t t;

	pthread_attr_init(&detached);
	pthread_attr_setdetachstate(&detached, PTHREAD_CREATE_DETACHED);
	while (now() < end) {
		if (created % 2) {
			if (pthread_create(&t, &detached, worker, NULL) == 0)
				created++;
		} else if (pthread_create(&t, NULL, worker, NULL) == 0) {
			created++;
			if (created % 4 == 1) {
				pthread_join(t, NULL);
				joined++;
			} else {
				pthread_detach(t);
			}
		}
	}
	while (__atomic_load_n(&total, __ATOMIC_SEQ_CST) < created)
		sched_yield();
	printf("created %d joined %d ran %d max live %d\n", created, joined,
	       total, max_live);
	return 0;
}
