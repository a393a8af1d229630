// SPDX-License-Identifier: GPL-2.0
/*
 * epoll_wait with a 1 ms timeout on a socketpair and an eventfd, both
 * fed by a thread at random times.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

static int sv[2], efd;

static void *feeder(void *arg)
{
	unsigned short d[8];
	uint64_t one = 1;

	(void)arg;
	if (getrandom(d, sizeof(d), 0) != sizeof(d))
		return NULL;
	for (int i = 0; i < 8; i++) {
		usleep(d[i] % 3000);
		if (d[i] & 1) {
			if (write(efd, &one, sizeof(one)) != sizeof(one))
				break;
		} else if (write(sv[0], "x", 1) != 1) {
			break;
		}
	}
	close(sv[0]);
	return NULL;
}

int main(void)
{
	struct epoll_event ev, out[4];
	int ep = epoll_create1(0), timeouts = 0, done = 0;
	char buf[16];
	uint64_t cnt;
	pthread_t t;

	efd = eventfd(0, 0);
	if (ep < 0 || efd < 0 || socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		return 1;
	ev.events = EPOLLIN;
	ev.data.fd = sv[1];
	epoll_ctl(ep, EPOLL_CTL_ADD, sv[1], &ev);
	ev.data.fd = efd;
	epoll_ctl(ep, EPOLL_CTL_ADD, efd, &ev);
	if (pthread_create(&t, NULL, feeder, NULL))
		return 1;
	while (!done) {
		int n = epoll_wait(ep, out, 4, 1);

		if (n == 0)
			timeouts++;
		for (int i = 0; i < n; i++) {
			if (out[i].data.fd == efd) {
				if (read(efd, &cnt, sizeof(cnt)) != sizeof(cnt))
					return 1;
				printf("eventfd %llu", (unsigned long long)cnt);
			} else {
				ssize_t r = read(sv[1], buf, sizeof(buf));

				printf("socket %zd", r);
				done = r <= 0;
			}
			printf(" after %d timeouts\n", timeouts);
			timeouts = 0;
		}
	}
	pthread_join(t, NULL);
	return 0;
}
