// SPDX-License-Identifier: GPL-2.0
/* ttdctl debug: gdb on a recording, with reverse execution. */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"

static const char debug_usage[] =
	"usage: ttdctl debug [--pid PID] FILE [-- GDB-ARGS...]\n"
	"\n"
	"Start gdb on the recording in FILE: the replay serves gdb's remote\n"
	"protocol on a pipe (`ttdctl replay --gdb-stdio FILE`), stopped at\n"
	"the first instruction of the recorded program.  gdb finds the\n"
	"program and its libraries by itself.  Everything runs both ways:\n"
	"continue, step, next, finish, breakpoints and watchpoints, and\n"
	"their reverse-* forms.  Memory and registers cannot be changed.\n"
	"\n"
	"Besides gdb's commands: ttd-when (the instruction count),\n"
	"ttd-goto N, ttd-checkpoint and ttd-restart K.\n"
	"\n"
	"With --pid, gdb debugs recorded process PID (`ttdctl info FILE`\n"
	"lists them) instead of the first one, from its last exec (or its\n"
	"fork) to its end.\n"
	"\n"
	"GDB-ARGS go to gdb (for example -x script, -batch, -ex CMD).\n"
	"The environment variable TTD_GDB names another gdb.\n";

/* FILE in single quotes for the shell that gdb starts the pipe with. */
static char *quoted(const char *s)
{
	char *q = malloc(4 * strlen(s) + 3), *p = q;

	if (!q)
		return NULL;
	*p++ = '\'';
	for (; *s; s++) {
		if (*s == '\'') {
			memcpy(p, "'\\''", 4);
			p += 4;
		} else {
			*p++ = *s;
		}
	}
	*p++ = '\'';
	*p = 0;
	return q;
}

static int debug_main(int argc, char **argv)
{
	const char *gdb = getenv("TTD_GDB") ? getenv("TTD_GDB") : "gdb";
	char self[PATH_MAX], init[PATH_MAX + 32], *target, *file, *exe, *end;
	char pid_opt[32] = "";
	char **gv;
	int n = 0, i = 1;
	ssize_t len;

	if (argc > 1 &&
	    (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		fputs(debug_usage, stdout);
		return TTDCTL_OK;
	}
	if (argc > 2 && !strcmp(argv[1], "--pid")) {
		long pid = strtol(argv[2], &end, 10);
		if (*end || pid <= 0 || pid > INT32_MAX) {
			ttdctl_err("debug", "bad pid: %s", argv[2]);
			return ttdctl_usage("debug");
		}
		snprintf(pid_opt, sizeof(pid_opt), "--pid %ld ", pid);
		i = 3;
	}
	if (i >= argc || (i + 1 < argc && strcmp(argv[i + 1], "--"))) {
		ttdctl_err("debug", "give one recording, then gdb's arguments "
				    "after --");
		return ttdctl_usage("debug");
	}
	if (access(argv[i], R_OK)) {
		ttdctl_err("debug", "cannot read %s", argv[i]);
		return TTDCTL_ERR;
	}
	len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (len < 0)
		return TTDCTL_ERR;
	self[len] = 0;
	file = quoted(argv[i]);
	exe = quoted(self);
	gv = calloc(argc + 8, sizeof(*gv));
	if (!file || !exe || !gv ||
	    asprintf(&target, "target remote | %s replay --gdb-stdio %s%s", exe,
		     pid_opt, file) < 0)
		return TTDCTL_ERR;
	snprintf(init, sizeof(init), "%s/ttd.gdb", ttdctl_libdir());
	gv[n++] = (char *)gdb;
	gv[n++] = "-q";
	if (!access(init, R_OK)) {
		gv[n++] = "-ix";
		gv[n++] = init;
	}
	gv[n++] = "-ex";
	gv[n++] = target;
	for (i += 2; i < argc; i++)
		gv[n++] = argv[i];
	execvp(gdb, gv);
	ttdctl_err("debug", "cannot run %s", gdb);
	return TTDCTL_ERR;
}

TTDCTL_COMMAND(debug, .name = "debug",
	       .summary = "debug a recording in gdb, forwards and backwards",
	       .usage = debug_usage, .run = debug_main);
