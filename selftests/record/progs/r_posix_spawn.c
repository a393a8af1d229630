// SPDX-License-Identifier: GPL-2.0
/*
 * posix_spawn a shell that prints its pid, and posix_spawnp echo with a
 * random argument and stdout redirected through a pipe back to us.
 */
#include <spawn.h>
#include <stdio.h>
#include <sys/random.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

int main(void)
{
	char *sh[] = { "sh", "-c", "echo shell pid $$", NULL };
	char arg[32], buf[128];
	char *echo[] = { "echo", arg, NULL };
	posix_spawn_file_actions_t fa;
	int p[2], status;
	unsigned int r;
	pid_t pid;
	ssize_t n;

	fflush(stdout);
	if (posix_spawn(&pid, "/bin/sh", NULL, NULL, sh, environ))
		return 1;
	waitpid(pid, &status, 0);
	printf("spawned %d, status %d\n", pid, WEXITSTATUS(status));
	if (getrandom(&r, sizeof(r), 0) != sizeof(r) || pipe(p))
		return 1;
	snprintf(arg, sizeof(arg), "%u", r);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, p[1], 1);
	posix_spawn_file_actions_addclose(&fa, p[0]);
	if (posix_spawnp(&pid, "echo", &fa, NULL, echo, environ))
		return 1;
	close(p[1]);
	n = read(p[0], buf, sizeof(buf) - 1);
	waitpid(pid, &status, 0);
	printf("echo said: %.*s", (int)(n > 0 ? n : 0), buf);
	posix_spawn_file_actions_destroy(&fa);
	return 0;
}
