// SPDX-License-Identifier: GPL-2.0
/* ttdctl: the one command-line tool of ttd. */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <sys/wait.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"

extern const struct ttdctl_cmd __start_ttdctl_cmds[];
extern const struct ttdctl_cmd __stop_ttdctl_cmds[];

#define for_each_cmd(c) \
	for (c = __start_ttdctl_cmds; c < __stop_ttdctl_cmds; c++)

void ttdctl_err(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "ttdctl %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static const struct ttdctl_cmd *find_cmd(const char *name)
{
	const struct ttdctl_cmd *c;

	for_each_cmd(c)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

int ttdctl_usage(const char *name)
{
	const struct ttdctl_cmd *c = find_cmd(name);

	if (c)
		fputs(c->usage, stderr);
	return TTDCTL_USAGE;
}

const char *ttdctl_libdir(void)
{
	static char dir[PATH_MAX + 16];
	char exe[PATH_MAX];
	const char *env = getenv("TTD_LIBDIR");
	ssize_t n;
	char *slash;

	if (env)
		return env;
	if (dir[0])
		return dir;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n < 0)
		return "/usr/local/lib/ttd";
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (slash)
		*slash = '\0';
	/* Installed and build trees share the layout bin/ + lib/ttd/. */
	snprintf(dir, sizeof(dir), "%s/../lib/ttd", exe);
	return dir;
}

static void list_cmds(FILE *f)
{
	const struct ttdctl_cmd *c;

	fputs("usage: ttdctl [--version] [--help] COMMAND [ARGS...]\n\n"
	      "Record, replay and debug Linux programs backwards.\n\n"
	      "Commands:\n",
	      f);
	for_each_cmd(c)
		fprintf(f, "  %-10s %s\n", c->name, c->summary);
	fputs("\nSee 'ttdctl help COMMAND' for the options of one command.\n",
	      f);
}

int main(int argc, char **argv)
{
	const struct ttdctl_cmd *c;

	if (argc < 2) {
		list_cmds(stderr);
		return TTDCTL_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		list_cmds(stdout);
		return TTDCTL_OK;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("ttdctl %s\n", TTD_VERSION);
		return TTDCTL_OK;
	}
	if (!strcmp(argv[1], "help")) {
		if (argc < 3) {
			list_cmds(stdout);
			return TTDCTL_OK;
		}
		c = find_cmd(argv[2]);
		if (!c) {
			fprintf(stderr, "ttdctl: unknown command '%s'\n",
				argv[2]);
			return TTDCTL_USAGE;
		}
		fputs(c->usage, stdout);
		return TTDCTL_OK;
	}
	c = find_cmd(argv[1]);
	if (!c) {
		fprintf(stderr,
			"ttdctl: unknown command '%s' (see 'ttdctl --help')\n",
			argv[1]);
		return TTDCTL_USAGE;
	}
	return c->run(argc - 1, argv + 1);
}

/* Exit like the program did, signals included (as env/time do). */
int ttdctl_pass_status(int st)
{
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	if (WIFSIGNALED(st)) {
		int sig = WTERMSIG(st);
		signal(sig, SIG_DFL);
		/* No core file from us: the program already dumped one. */
		fflush(NULL);
		{
			sigset_t s;
			sigemptyset(&s);
			sigaddset(&s, sig);
			sigprocmask(SIG_UNBLOCK, &s, NULL);
		}
		raise(sig);
		return 128 + sig;
	}
	return TTDCTL_ERR;
}
