// SPDX-License-Identifier: GPL-2.0
/*
 * Helper of sidefx.sh: side effects a replay must not repeat.  In DIR it
 * creates, writes, renames and unlinks files and makes a directory,
 * appends a line to DIR/log, sends SIGUSR1 to PID and writes a line into
 * FIFO.  What it did goes to stdout, with a random tag.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

static char path[4096];

static const char *in(const char *dir, const char *name)
{
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return path;
}

int main(int argc, char **argv)
{
	char line[64], keep[4096];
	unsigned int tag;
	int fd, n;

	if (argc != 4) {
		fprintf(stderr, "usage: s_sidefx DIR PID FIFO\n");
		return 2;
	}
	if (getrandom(&tag, sizeof(tag), 0) != sizeof(tag))
		return 1;
	n = snprintf(line, sizeof(line), "tag %08x\n", tag);
	printf("%s", line);
	fd = open(in(argv[1], "created"), O_WRONLY | O_CREAT | O_EXCL, 0644);
	if (fd < 0 || write(fd, line, n) != n || close(fd))
		return 1;
	snprintf(keep, sizeof(keep), "%s", path);
	if (rename(keep, in(argv[1], "renamed")))
		return 1;
	fd = open(in(argv[1], "temporary"), O_WRONLY | O_CREAT, 0644);
	if (fd < 0 || close(fd) || unlink(path))
		return 1;
	if (unlink(in(argv[1], "victim")) || mkdir(in(argv[1], "newdir"), 0755))
		return 1;
	printf("files done\n");
	fd = open(in(argv[1], "log"), O_WRONLY | O_APPEND | O_CREAT, 0644);
	if (fd < 0 || write(fd, line, n) != n || close(fd))
		return 1;
	if (kill(atoi(argv[2]), SIGUSR1))
		return 1;
	printf("signal sent\n");
	fd = open(argv[3], O_WRONLY);
	if (fd < 0 || write(fd, line, n) != n || close(fd))
		return 1;
	printf("fifo written\n");
	return 0;
}
