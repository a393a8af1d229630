// SPDX-License-Identifier: GPL-2.0
/*
 * One producer, three consumers on a condition variable: which consumer
 * got which item is up to the scheduler.
 */
#include <pthread.h>
#include <stdio.h>

#define NCONS 3
#define NITEMS 60

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t more = PTHREAD_COND_INITIALIZER;
static int queue[NITEMS], head, tail, done;
static char taken_by[NITEMS + 1];
static int wakeups[NCONS];

static void *consumer(void *arg)
{
	long id = (long)arg;

	pthread_mutex_lock(&lock);
	for (;;) {
		while (head == tail && !done) {
			pthread_cond_wait(&more, &lock);
			wakeups[id]++;
		}
		if (head == tail)
			break;
		taken_by[queue[head++]] = 'A' + id;
	}
	pthread_mutex_unlock(&lock);
	return NULL;
}

int main(void)
{
	pthread_t t[NCONS];

	for (long i = 0; i < NCONS; i++)
		if (pthread_create(&t[i], NULL, consumer, (void *)i))
			return 1;
	for (int i = 0; i < NITEMS; i++) {
		pthread_mutex_lock(&lock);
		queue[tail++] = i;
		pthread_cond_signal(&more);
		pthread_mutex_unlock(&lock);
		for (volatile int j = 0; j < 3000; j++)
			;
	}
	pthread_mutex_lock(&lock);
	done = 1;
	pthread_cond_broadcast(&more);
	pthread_mutex_unlock(&lock);
	for (int i = 0; i < NCONS; i++)
		pthread_join(t[i], NULL);
	printf("taken by %s\n", taken_by);
	for (int i = 0; i < NCONS; i++)
		printf("consumer %c woke %d times\n", 'A' + i, wakeups[i]);
	return 0;
}
