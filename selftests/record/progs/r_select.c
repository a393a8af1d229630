// SPDX-License-Identifier: GPL-2.0
/*
 * select() on two pipes fed by two children at random times, with a
 * 1 ms timeout: which pipe was ready when, and the time left over.
 */
#include <stdio.h>
#include <sys/random.h>
#include <sys/select.h>
#include <sys/wait.h>
#include <unistd.h>

static void child(int fd, int id)
{
	unsigned short d[4];

	if (getrandom(d, sizeof(d), 0) != sizeof(d))
		_exit(1);
	for (int i = 0; i < 4; i++) {
		char c = '0' + id;

		usleep(d[i] % 4000);
		if (write(fd, &c, 1) != 1)
			_exit(1);
	}
	_exit(0);
}

int main(void)
{
	int p[2][2], open_fds = 2, timeouts = 0;
	char buf[16];

	for (int i = 0; i < 2; i++) {
		if (pipe(p[i]))
			return 1;
		if (fork() == 0)
			child(p[i][1], i);
		close(p[i][1]);
	}
	while (open_fds) {
		struct timeval tv = { 0, 1000 };
		int n, nfds = 0;
		fd_set rd;

		FD_ZERO(&rd);
		for (int i = 0; i < 2; i++) {
			if (p[i][0] < 0)
				continue;
			FD_SET(p[i][0], &rd);
			nfds = p[i][0] >= nfds ? p[i][0] + 1 : nfds;
		}
		n = select(nfds, &rd, NULL, NULL, &tv);
		if (n == 0) {
			timeouts++;
			continue;
		}
		for (int i = 0; i < 2; i++) {
			if (p[i][0] < 0 || !FD_ISSET(p[i][0], &rd))
				continue;
			n = read(p[i][0], buf, sizeof(buf));
			if (n <= 0) {
				close(p[i][0]);
				p[i][0] = -1;
				open_fds--;
				continue;
			}
			printf("pipe %d: %d byte(s) after %d timeouts, %ld us left\n",
			       i, n, timeouts, (long)tv.tv_usec);
			timeouts = 0;
		}
	}
	while (wait(NULL) > 0)
		;
	return 0;
}
