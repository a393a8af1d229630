// SPDX-License-Identifier: GPL-2.0
/*
 * A shared anonymous mapping filled with random data before fork; the
 * child only reads it.  Nothing writes it while both processes run.
 */
#include <stdio.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/wait.h>
#include <unistd.h>

#define SIZE 8192

int main(void)
{
	unsigned char *m = mmap(NULL, SIZE, PROT_READ | PROT_WRITE,
				MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	unsigned long sum = 0;
	int status;
	pid_t pid;

	if (m == MAP_FAILED || getrandom(m, SIZE, 0) != SIZE)
		return 1;
	printf("parent: mapping at %p first %02x%02x\n", (void *)m, m[0], m[1]);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		for (int i = 0; i < SIZE; i++)
			sum = sum * 33 + m[i];
		printf("child: checksum %016lx last %02x\n", sum, m[SIZE - 1]);
		_exit(m[0] & 0x3f);
	}
	waitpid(pid, &status, 0);
	printf("parent: child exited %d\n", WEXITSTATUS(status));
	munmap(m, SIZE);
	return 0;
}
