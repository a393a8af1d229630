// SPDX-License-Identifier: GPL-2.0
/* getdents64 on /proc: how many processes, and whether we are among them. */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

struct linux_dirent64 {
	unsigned long long d_ino;
	long long d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

int main(void)
{
	static char buf[32768];
	int fd = open("/proc", O_RDONLY | O_DIRECTORY), pids = 0, calls = 0;
	int me = getpid(), found = 0, max = 0;
	long n;

	if (fd < 0)
		return 1;
	while ((n = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0) {
		calls++;
		for (long off = 0; off < n;) {
			struct linux_dirent64 *d = (void *)(buf + off);
			int pid = atoi(d->d_name);

			if (pid > 0) {
				pids++;
				found |= pid == me;
				max = pid > max ? pid : max;
			}
			off += d->d_reclen;
		}
	}
	close(fd);
	printf("%d getdents calls, %d processes, highest pid %d\n", calls, pids,
	       max);
	printf("found myself (%d): %d\n", me, found);
	return 0;
}
