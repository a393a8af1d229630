// SPDX-License-Identifier: GPL-2.0
/*
 * A child writes random amounts at random times into a pipe; the parent
 * prints the size of every read and a checksum of what it got.
 */
#include <stdio.h>
#include <sys/random.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	unsigned char buf[8192];
	unsigned long sum = 0, total = 0;
	int p[2], status, reads = 0;
	ssize_t n;
	pid_t pid;

	if (pipe(p))
		return 1;
	pid = fork();
	if (pid == 0) {
		unsigned short r[16];

		close(p[0]);
		for (int i = 0; i < 16; i++) {
			if (getrandom(r, sizeof(r), 0) != sizeof(r))
				_exit(1);
			n = r[0] % sizeof(buf) + 1;
			if (getrandom(buf, n, 0) != n ||
			    write(p[1], buf, n) != n)
				_exit(1);
			usleep(r[1] % 2000);
		}
		_exit(0);
	}
	close(p[1]);
	while ((n = read(p[0], buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i < n; i++)
			sum = sum * 33 + buf[i];
		total += n;
		printf("%s%zd", reads++ % 10 ? " " : reads > 1 ? "\n" : "", n);
	}
	waitpid(pid, &status, 0);
	printf("\n%d reads, %lu bytes, checksum %016lx, child status %d\n",
	       reads, total, sum, status);
	return 0;
}
