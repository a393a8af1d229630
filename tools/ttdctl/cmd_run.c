// SPDX-License-Identifier: GPL-2.0
/* ttdctl run: run a program under the engine, without recording. */
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmd.h"
#include "engine/boot.h"
#include "inject/launch.h"

static const char run_usage[] =
	"usage: ttdctl run [--stats] [--stop-at N] [--perf-map] -- PROG [ARGS...]\n"
	"\n"
	"Run PROG under ttd's binary translator without recording, from its\n"
	"first instruction, following forks, threads and execs.  Standard\n"
	"input and output, the exit status and death by a signal are those\n"
	"of PROG.\n"
	"\n"
	"  --stats      print translation statistics and, for every thread,\n"
	"               'thread PID TID instructions N' to stderr at exit\n"
	"  --stop-at N  stop the first thread once exactly N of its\n"
	"               instructions have retired, print its registers\n"
	"               ('name 0xvalue' per line) to stderr, and end it\n"
	"  --perf-map   write /tmp/perf-PID.map naming each translated block\n"
	"               after its application address, for perf report\n";

static int parse_count(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (!*s || *s == '-')
		return -1;
	v = strtoull(s, &end, 0);
	if (*end || v >= (1ULL << 54))
		return -1;
	*out = v;
	return 0;
}

static int run_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "stats", no_argument, NULL, 's' },
		{ "stop-at", required_argument, NULL, 'n' },
		{ "perf-map", no_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct launch_opts lo = { 0 };
	char engine[PATH_MAX + 32];
	int c, st;

	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			lo.options |= TTD_OPT_STATS;
			break;
		case 'n':
			if (parse_count(optarg, &lo.stop_at)) {
				ttdctl_err("run", "bad instruction count '%s'",
					   optarg);
				return TTDCTL_USAGE;
			}
			lo.options |= TTD_OPT_STOP_AT;
			break;
		case 'p':
			lo.options |= TTD_OPT_PERF_MAP;
			break;
		case 'h':
			fputs(run_usage, stdout);
			return TTDCTL_OK;
		default:
			return ttdctl_usage("run");
		}
	}
	if (optind >= argc) {
		ttdctl_err("run", "no program given");
		return ttdctl_usage("run");
	}
	snprintf(engine, sizeof(engine), "%s/ttd-engine.so", ttdctl_libdir());
	lo.engine = engine;
	st = launch_and_supervise(argv + optind, &lo);
	if (st < 0)
		return TTDCTL_ERR;
	return ttdctl_pass_status(st);
}

TTDCTL_COMMAND(run, .name = "run",
	       .summary = "run a program under the engine, without recording",
	       .usage = run_usage, .run = run_main);
