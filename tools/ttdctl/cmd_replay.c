// SPDX-License-Identifier: GPL-2.0
/* ttdctl replay: re-execute a recording, without side effects. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "gdb_replay.h"
#include "engine/boot.h"
#include "inject/launch.h"
#include "session/replay_session.h"

static const char replay_usage[] =
	"usage: ttdctl replay [--quiet] [--stats] FILE\n"
	"       ttdctl replay --gdb [ADDR:]PORT | --gdb-stdio [--pid PID]\n"
	"                     [--checkpoint-interval N] FILE\n"
	"\n"
	"Re-execute the recording in FILE exactly as it ran, every process\n"
	"of it, without touching anything outside: no file is written, no\n"
	"packet sent, no process signalled.  What the program wrote to its\n"
	"standard output and error is shown again.  At every system call the\n"
	"replay checks that the program asks for what it asked for when\n"
	"recorded, and at each exit that its registers, memory and status\n"
	"match.  Exit status 0 when everything matched; otherwise the\n"
	"divergence is reported (process, thread, instruction, pc, what).\n"
	"\n"
	"  --quiet   do not show the program's output\n"
	"  --stats   print the replay time to stderr\n"
	"  --gdb [ADDR:]PORT\n"
	"            serve the recording to gdb over TCP (ADDR defaults to\n"
	"            127.0.0.1): `target remote ADDR:PORT`, with reverse\n"
	"            execution; the program's output is not shown\n"
	"  --gdb-stdio\n"
	"            the same on standard input and output, for gdb's\n"
	"            `target remote | ttdctl replay --gdb-stdio FILE`\n"
	"  --pid PID\n"
	"            with gdb: debug recorded process PID (see ttdctl info)\n"
	"            rather than the first; the processes on the way to it\n"
	"            are replayed, the others not\n"
	"  --checkpoint-interval N\n"
	"            with gdb: keep a checkpoint every N instructions\n"
	"            (default 50000000); more use more memory, and make\n"
	"            going back faster\n";

static int replay_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "quiet", no_argument, NULL, 'q' },
		{ "stats", no_argument, NULL, 's' },
		{ "gdb", required_argument, NULL, 'g' },
		{ "gdb-stdio", no_argument, NULL, 'G' },
		{ "checkpoint-interval", required_argument, NULL, 'i' },
		{ "pid", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct launch_opts lo = { .options = TTD_OPT_REPLAY };
	char engine[PATH_MAX + 32], stub[PATH_MAX + 32];
	char *stub_argv[] = { stub, NULL };
	struct rlimit no_core = { 0, 0 };
	struct replay_session *rs;
	int c, status, recorded, quiet = 0, stats = 0, bad, gdb = 0;
	struct gdb_replay_opts go = { 0 };
	char *end;
	struct timespec t0, t1;

	while ((c = getopt_long(argc, argv, "+qh", opts, NULL)) != -1) {
		switch (c) {
		case 'q':
			quiet = 1;
			break;
		case 's':
			stats = 1;
			lo.options |= TTD_OPT_STATS;
			break;
		case 'g':
			go.listen = optarg;
			gdb = 1;
			break;
		case 'G':
			gdb = 1;
			break;
		case 'i':
			errno = 0;
			go.interval = strtoull(optarg, &end, 10);
			if (errno || *end || !go.interval || optarg[0] == '-') {
				ttdctl_err("replay", "bad interval: %s",
					   optarg);
				return ttdctl_usage("replay");
			}
			break;
		case 'p':
			errno = 0;
			go.pid = (int)strtol(optarg, &end, 10);
			if (errno || *end || go.pid <= 0) {
				ttdctl_err("replay", "bad pid: %s", optarg);
				return ttdctl_usage("replay");
			}
			break;
		case 'h':
			fputs(replay_usage, stdout);
			return TTDCTL_OK;
		default:
			return ttdctl_usage("replay");
		}
	}
	if (optind != argc - 1) {
		ttdctl_err("replay", "give exactly one recording");
		return ttdctl_usage("replay");
	}
	if (!gdb && (go.pid || go.interval)) {
		ttdctl_err("replay", "--pid and --checkpoint-interval go with "
				     "--gdb or --gdb-stdio");
		return ttdctl_usage("replay");
	}
	if (gdb) {
		go.path = argv[optind];
		return gdb_replay(&go);
	}
	if (replay_session_open(&rs, argv[optind]))
		return TTDCTL_ERR;
	snprintf(engine, sizeof(engine), "%s/ttd-engine.so", ttdctl_libdir());
	snprintf(stub, sizeof(stub), "%s/ttd-replay-stub", ttdctl_libdir());
	lo.engine = engine;
	lo.rr = replay_session_hooks(rs);
	if (quiet)
		lo.options |= TTD_OPT_QUIET;
	/* A replayed crash is no reason for a core file. */
	setrlimit(RLIMIT_CORE, &no_core);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	status = launch_and_supervise(stub_argv, &lo);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	recorded = replay_session_recorded_status(rs);
	bad = replay_session_close(rs, quiet);
	if (stats)
		fprintf(stderr, "ttd: replayed in %.3f s\n",
			(double)(t1.tv_sec - t0.tv_sec) +
				(t1.tv_nsec - t0.tv_nsec) / 1e9);
	if (status < 0 || bad)
		return TTDCTL_ERR;
	if (recorded >= 0 && (status & 0xffff & ~0x80) != (recorded & ~0x80)) {
		fprintf(stderr,
			"ttdctl: replay ended with status %#x, the recording "
			"with %#x\n",
			status, recorded);
		return TTDCTL_ERR;
	}
	if (stats)
		fprintf(stderr, "ttd: replay matched the recording\n");
	return TTDCTL_OK;
}

TTDCTL_COMMAND(
	replay, .name = "replay",
	.summary = "re-execute a recording exactly, without side effects",
	.usage = replay_usage, .run = replay_main);
