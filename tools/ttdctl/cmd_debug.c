// SPDX-License-Identifier: GPL-2.0
/* ttdctl debug: gdb on a recording, with reverse execution. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"

static const char debug_usage[] =
	"usage: ttdctl debug FILE [-- GDB-ARGS...]\n"
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
	char self[PATH_MAX], init[PATH_MAX + 32], *target, *file, *exe;
	char **gv;
	int n = 0, first = 2;
	ssize_t len;

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		if (argc < 2)
			return ttdctl_usage("debug");
		fputs(debug_usage, stdout);
		return TTDCTL_OK;
	}
	if (argc > 2 && strcmp(argv[2], "--")) {
		ttdctl_err("debug", "gdb's arguments go after --");
		return ttdctl_usage("debug");
	}
	if (access(argv[1], R_OK)) {
		ttdctl_err("debug", "cannot read %s", argv[1]);
		return TTDCTL_ERR;
	}
	len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (len < 0)
		return TTDCTL_ERR;
	self[len] = 0;
	file = quoted(argv[1]);
	exe = quoted(self);
	gv = calloc(argc + 8, sizeof(*gv));
	if (!file || !exe || !gv ||
	    asprintf(&target, "target remote | %s replay --gdb-stdio %s", exe,
		     file) < 0)
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
	if (argc > 2)
		first = 3;
	for (int i = first; i < argc; i++)
		gv[n++] = argv[i];
	execvp(gdb, gv);
	ttdctl_err("debug", "cannot run %s", gdb);
	return TTDCTL_ERR;
}

TTDCTL_COMMAND(debug, .name = "debug",
	       .summary = "debug a recording in gdb, forwards and backwards",
	       .usage = debug_usage, .run = debug_main);
