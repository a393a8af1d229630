// SPDX-License-Identifier: GPL-2.0
/* stat and fstat of a file created now: inode, times, and of /tmp. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static void show(const char *what, const struct stat *st)
{
	printf("%s: ino %llu size %lld nlink %lu\n", what,
	       (unsigned long long)st->st_ino, (long long)st->st_size,
	       (unsigned long)st->st_nlink);
	printf("%s: mtime %lld.%09ld ctime %lld.%09ld\n", what,
	       (long long)st->st_mtim.tv_sec, st->st_mtim.tv_nsec,
	       (long long)st->st_ctim.tv_sec, st->st_ctim.tv_nsec);
}

int main(void)
{
	char name[] = "/tmp/r_stat.XXXXXX";
	struct stat st;
	int fd = mkstemp(name);

	if (fd < 0)
		return 1;
	if (write(fd, name, sizeof(name)) != sizeof(name) || fstat(fd, &st))
		return 1;
	show("fstat", &st);
	usleep(1000);
	if (write(fd, "x", 1) != 1 || stat(name, &st))
		return 1;
	show("stat", &st);
	unlink(name);
	close(fd);
	if (stat("/tmp", &st))
		return 1;
	printf("/tmp mtime %lld.%09ld\n", (long long)st.st_mtim.tv_sec,
	       st.st_mtim.tv_nsec);
	return 0;
}
