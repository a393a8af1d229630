// SPDX-License-Identifier: GPL-2.0
/* readlink of /proc/self/exe, /proc/self, and an fd of a temporary file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void show(const char *path)
{
	char buf[4096];
	ssize_t n = readlink(path, buf, sizeof(buf) - 1);

	if (n < 0) {
		printf("%s: error\n", path);
		return;
	}
	buf[n] = 0;
	printf("%s -> %s\n", path, buf);
}

int main(void)
{
	char name[] = "/tmp/r_readlink.XXXXXX", fdpath[64];
	int fd = mkstemp(name);
	const char *base;
	char exe[4096];
	ssize_t n;

	if (fd < 0)
		return 1;
	/* The build directory varies: print only the program's name. */
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n < 0)
		return 1;
	exe[n] = 0;
	base = strrchr(exe, '/');
	printf("exe basename %s\n", base ? base + 1 : exe);
	show("/proc/self");
	show("/proc/thread-self");
	snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", fd);
	show(fdpath);
	unlink(name);
	show(fdpath);
	close(fd);
	return 0;
}
