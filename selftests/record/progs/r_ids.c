// SPDX-License-Identifier: GPL-2.0
/* Process, parent, thread, group and session ids. */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static void *thread(void *arg)
{
	(void)arg;
	printf("thread tid %d pid %d\n", gettid(), getpid());
	return NULL;
}

int main(void)
{
	pthread_t t;

	printf("pid %d ppid %d tid %d\n", getpid(), getppid(), gettid());
	printf("pgrp %d sid %d\n", getpgrp(), getsid(0));
	fflush(stdout);
	if (pthread_create(&t, NULL, thread, NULL))
		return 1;
	pthread_join(t, NULL);
	return 0;
}
