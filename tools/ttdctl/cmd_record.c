// SPDX-License-Identifier: GPL-2.0
/* ttdctl record: record a program and its descendants from launch. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "engine/boot.h"
#include "inject/launch.h"
#include "session/record_session.h"

static const char record_usage[] =
	"usage: ttdctl record [-o FILE] [--stats] -- PROG [ARGS...]\n"
	"\n"
	"Record PROG and every process it starts, from its first instruction\n"
	"until it exits, into one recording that `ttdctl replay` re-executes\n"
	"exactly.  Standard input and output, the exit status and death by a\n"
	"signal are those of PROG.\n"
	"\n"
	"  -o FILE   write the recording to FILE (created 0600); without it,\n"
	"            to $TTD_DIR, else $XDG_DATA_HOME/ttd, else\n"
	"            ~/.local/share/ttd, as PROG-N.ttd, with a link 'latest'\n"
	"  --stats   print what was recorded to stderr at the end\n";

static int mkdir_p(const char *path)
{
	char buf[PATH_MAX];

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0700) && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(buf, 0700) && errno != EEXIST ? -1 : 0;
}

/* The documented default directory (see the usage text). */
static int default_dir(char *out, size_t len)
{
	const char *d = getenv("TTD_DIR"), *x = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");

	if (d && *d)
		snprintf(out, len, "%s", d);
	else if (x && *x)
		snprintf(out, len, "%s/ttd", x);
	else if (home && *home)
		snprintf(out, len, "%s/.local/share/ttd", home);
	else
		return -1;
	return mkdir_p(out);
}

/* DIR/BASE-N.ttd for the first N not taken; DIR/latest points at it. */
static int default_path(const char *prog, char *out, size_t len)
{
	char dir[PATH_MAX - 64];
	const char *base = strrchr(prog, '/');

	if (default_dir(dir, sizeof(dir))) {
		ttdctl_err("record", "no directory for recordings (set "
				     "TTD_DIR or use -o)");
		return -1;
	}
	base = base ? base + 1 : prog;
	for (int n = 0; n < 100000; n++) {
		snprintf(out, len, "%s/%.40s-%d.ttd", dir, base, n);
		if (access(out, F_OK))
			return 0;
	}
	return -1;
}

static void link_latest(const char *path)
{
	char link[PATH_MAX], tmp[PATH_MAX + 8];
	const char *slash = strrchr(path, '/');

	snprintf(link, sizeof(link), "%.*s/latest", (int)(slash - path), path);
	snprintf(tmp, sizeof(tmp), "%s.tmp", link);
	unlink(tmp);
	if (symlink(slash + 1, tmp) || rename(tmp, link))
		unlink(tmp);
}

static int record_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "stats", no_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct launch_opts lo = { .options = TTD_OPT_RECORD };
	char engine[PATH_MAX + 32], path[PATH_MAX];
	struct record_session *rs;
	struct record_stats st;
	const char *out = NULL;
	int c, status, failed, stats = 0, dflt = 0;
	struct timespec t0, t1;

	while ((c = getopt_long(argc, argv, "+o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			out = optarg;
			break;
		case 's':
			stats = 1;
			lo.options |= TTD_OPT_STATS;
			break;
		case 'h':
			fputs(record_usage, stdout);
			return TTDCTL_OK;
		default:
			return ttdctl_usage("record");
		}
	}
	if (optind >= argc) {
		ttdctl_err("record", "no program given");
		return ttdctl_usage("record");
	}
	if (!out) {
		if (default_path(argv[optind], path, sizeof(path)))
			return TTDCTL_ERR;
		out = path;
		dflt = 1;
	}
	if (record_session_open(&rs, out, argc - optind, argv + optind))
		return TTDCTL_ERR;
	snprintf(engine, sizeof(engine), "%s/ttd-engine.so", ttdctl_libdir());
	lo.engine = engine;
	lo.rr = record_session_hooks(rs);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	status = launch_and_supervise(argv + optind, &lo);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (record_session_close(rs, &failed, &st))
		return TTDCTL_ERR;
	if (dflt)
		link_latest(out);
	if (stats)
		fprintf(stderr,
			"ttd: recorded %lu processes, %lu events, %lu bytes "
			"of events in %.3f s into %s\n",
			(unsigned long)st.processes, (unsigned long)st.events,
			(unsigned long)st.bytes,
			(double)(t1.tv_sec - t0.tv_sec) +
				(t1.tv_nsec - t0.tv_nsec) / 1e9,
			out);
	if (status < 0)
		return TTDCTL_ERR;
	if (failed)
		fprintf(stderr, "ttdctl: the recording in %s is incomplete\n",
			out);
	return ttdctl_pass_status(status);
}

TTDCTL_COMMAND(record, .name = "record",
	       .summary = "record a program and its descendants",
	       .usage = record_usage, .run = record_main);
