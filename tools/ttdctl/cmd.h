/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ttdctl subcommands.  Each lives in its own file and registers itself with
 * TTDCTL_COMMAND(); the entries are collected in a linker section, so adding
 * a subcommand touches no shared table.
 */
#ifndef TTDCTL_CMD_H
#define TTDCTL_CMD_H

struct ttdctl_cmd {
	const char *name;
	const char *summary; /* one line for `ttdctl --help` */
	const char *usage; /* full text for `ttdctl help NAME` */
	int (*run)(int argc, char **argv); /* argv[0] is the name */
};

#define TTDCTL_COMMAND(ident, ...)                           \
	static const struct ttdctl_cmd ttdctl_cmd_##ident    \
		__attribute__((used, section("ttdctl_cmds"), \
			       aligned(sizeof(void *)))) = { __VA_ARGS__ }

/* Exit codes shared by all subcommands (sysexits-like, as perf/rr do). */
enum {
	TTDCTL_OK = 0,
	TTDCTL_ERR = 1, /* the operation failed */
	TTDCTL_USAGE = 2, /* bad command line */
};

/* Print "ttdctl NAME: msg" to stderr. */
void ttdctl_err(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Print usage of a command to stderr and return TTDCTL_USAGE. */
int ttdctl_usage(const char *name);
/* Directory holding ttdctl's private files (the engine image). */
const char *ttdctl_libdir(void);
/* Exit like a program with wait status st did (signals included). */
int ttdctl_pass_status(int st);

#endif
