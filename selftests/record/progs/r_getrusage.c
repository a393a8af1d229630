// SPDX-License-Identifier: GPL-2.0
/* getrusage for the process, the thread and reaped children. */
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static void show(const char *who, int which)
{
	struct rusage ru;

	if (getrusage(which, &ru))
		return;
	printf("%s: utime %ld.%06ld stime %ld.%06ld maxrss %ld\n", who,
	       (long)ru.ru_utime.tv_sec, (long)ru.ru_utime.tv_usec,
	       (long)ru.ru_stime.tv_sec, (long)ru.ru_stime.tv_usec,
	       ru.ru_maxrss);
	printf("%s: minflt %ld nvcsw %ld nivcsw %ld\n", who, ru.ru_minflt,
	       ru.ru_nvcsw, ru.ru_nivcsw);
}

int main(void)
{
	volatile unsigned long x = 0;

	for (unsigned long i = 0; i < 3000000; i++)
		x += i;
	if (fork() == 0) {
		for (unsigned long i = 0; i < 1000000; i++)
			x += i;
		_exit(0);
	}
	wait(NULL);
	show("self", RUSAGE_SELF);
	show("thread", RUSAGE_THREAD);
	show("children", RUSAGE_CHILDREN);
	return 0;
}
