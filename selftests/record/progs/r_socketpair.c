// SPDX-License-Identifier: GPL-2.0
/*
 * A stream socketpair between two threads: random-sized sends, and the
 * sizes recv() returned on the other side.
 */
#include <pthread.h>
#include <stdio.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

static int sv[2];

static void *sender(void *arg)
{
	unsigned char buf[4096];
	unsigned short len[32];

	(void)arg;
	if (getrandom(len, sizeof(len), 0) != sizeof(len))
		return NULL;
	for (int i = 0; i < 32; i++) {
		size_t n = len[i] % sizeof(buf) + 1;

		if (getrandom(buf, n, 0) != (ssize_t)n ||
		    send(sv[0], buf, n, 0) != (ssize_t)n)
			break;
		if (len[i] & 1)
			sched_yield();
	}
	shutdown(sv[0], SHUT_WR);
	return NULL;
}

int main(void)
{
	unsigned char buf[16384];
	unsigned long sum = 0, total = 0;
	pthread_t t;
	ssize_t n;
	int i = 0;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		return 1;
	if (pthread_create(&t, NULL, sender, NULL))
		return 1;
	while ((n = recv(sv[1], buf, sizeof(buf), 0)) > 0) {
		for (ssize_t j = 0; j < n; j++)
			sum = sum * 31 + buf[j];
		total += n;
		printf("%zd%s", n, ++i % 10 ? " " : "\n");
	}
	pthread_join(t, NULL);
	printf("\ntotal %lu checksum %016lx\n", total, sum);
	return 0;
}
