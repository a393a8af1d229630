// SPDX-License-Identifier: GPL-2.0
/*
 * ttdctl trace: ask ttdd to record the kernel's view of a task group
 * (context switches, fork/exec/exit, signals, faults on shared memory)
 * into a recording, for a time or until stopped.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "../../daemon/ctl_client.h"
#include "../../daemon/kev.h"
#include "cmd.h"

#define NAME "trace"

static const char trace_usage[] =
	"usage: ttdctl trace (-p PID[,PID...] | -c CGROUP) [-d SECONDS] [-o FILE]\n"
	"                    [--no-children] [--detach] [--socket PATH] [-q]\n"
	"\n"
	"Ask ttdd to record what the kernel sees of a task group: context\n"
	"switches, fork/exec/exit, signals and page faults on shared or device\n"
	"memory, one stream per CPU.  Show the result with 'ttdctl dump FILE'.\n"
	"\n"
	"  -p, --pid PID[,PID]   trace these processes (all their threads) and,\n"
	"                        unless --no-children, the processes they start\n"
	"  -c, --cgroup PATH     trace every task of a cgroup v2 directory and\n"
	"                        of the cgroups below it\n"
	"  -d, --duration SECS   stop after SECS seconds (fractions allowed);\n"
	"                        default: until Ctrl-C or until the traced\n"
	"                        processes have all exited\n"
	"  -o, --output FILE     recording to write (default ttd-trace.ttd),\n"
	"                        created with mode 0600\n"
	"      --no-children     do not follow fork()\n"
	"      --detach          print the session id and return; the session\n"
	"                        runs until 'ttdctl stop ID' or its duration\n"
	"      --socket PATH     ttdd's control socket (default $TTD_SOCKET or\n"
	"                        " TTD_CTL_DEFAULT_SOCKET ")\n"
	"  -q, --quiet           no progress messages\n"
	"\n"
	"You may trace what you could ptrace: your own processes, or any with\n"
	"CAP_SYS_PTRACE; a cgroup if you own its directory.\n"
	"Exit status: 0 when the recording is complete, 1 on failure, 2 on\n"
	"usage errors.\n";

/* Make the kernel events of any recording readable in `ttdctl dump`. */
__attribute__((constructor)) static void trace_register_formatters(void)
{
	kev_register_formatters();
}

struct trace_args {
	uint32_t pids[TTD_CTL_MAX_PIDS];
	int npids;
	const char *cgroup;
	uint64_t duration_ms;
	uint32_t flags;
	const char *output;
	int quiet;
};

static int parse_pids(const char *s, struct trace_args *a)
{
	char *end;
	long v;

	while (*s) {
		errno = 0;
		v = strtol(s, &end, 10);
		if (errno || end == s || v <= 0 || v > INT32_MAX ||
		    (*end && *end != ','))
			return -EINVAL;
		if (a->npids == TTD_CTL_MAX_PIDS)
			return -E2BIG;
		a->pids[a->npids++] = v;
		s = *end ? end + 1 : end;
	}
	return 0;
}

static int parse_duration(const char *s, uint64_t *ms)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !isfinite(v) || v <= 0 ||
	    v > 366.0 * 86400)
		return -EINVAL;
	*ms = (uint64_t)(v * 1000.0 + 0.5);
	return *ms ? 0 : -EINVAL;
}

static int parse_args(int argc, char **argv, struct trace_args *a)
{
	static const struct option opts[] = {
		{ "pid", required_argument, NULL, 'p' },
		{ "cgroup", required_argument, NULL, 'c' },
		{ "duration", required_argument, NULL, 'd' },
		{ "output", required_argument, NULL, 'o' },
		{ "no-children", no_argument, NULL, 'n' },
		{ "detach", no_argument, NULL, 'D' },
		{ "socket", required_argument, NULL, 'S' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int c;

	a->output = "ttd-trace.ttd";
	optind = 1;
	while ((c = getopt_long(argc, argv, "+p:c:d:o:qh", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			if (parse_pids(optarg, a)) {
				ttdctl_err(NAME, "bad pid list '%s'", optarg);
				return -1;
			}
			break;
		case 'c':
			a->cgroup = optarg;
			break;
		case 'd':
			if (parse_duration(optarg, &a->duration_ms)) {
				ttdctl_err(NAME, "bad duration '%s' (seconds)",
					   optarg);
				return -1;
			}
			break;
		case 'o':
			a->output = optarg;
			break;
		case 'n':
			a->flags |= TTD_CTL_F_NO_CHILDREN;
			break;
		case 'D':
			a->flags |= TTD_CTL_F_DETACH;
			break;
		case 'S':
			setenv("TTD_SOCKET", optarg, 1);
			break;
		case 'q':
			a->quiet = 1;
			break;
		case 'h':
			fputs(trace_usage, stdout);
			exit(TTDCTL_OK);
		default:
			return -1;
		}
	}
	if (optind < argc) {
		ttdctl_err(NAME, "unexpected argument '%s'", argv[optind]);
		return -1;
	}
	if (!a->npids == !a->cgroup) {
		ttdctl_err(NAME, "give either --pid or --cgroup");
		return -1;
	}
	return 0;
}

static const char *const end_reasons[] = {
	[TTD_CTL_END_STOPPED] = "stopped",
	[TTD_CTL_END_DURATION] = "duration elapsed",
	[TTD_CTL_END_EXITED] = "traced processes exited",
	[TTD_CTL_END_SHUTDOWN] = "ttdd stopped",
	[TTD_CTL_END_ERROR] = "write error",
	[TTD_CTL_END_HANGUP] = "connection closed",
};

/* Print the SESSION_END summary; returns the exit code it implies. */
static int report_end(const void *p, size_t len, const struct trace_args *a)
{
	uint64_t events = 0, lost = 0, elapsed = 0;
	uint32_t reason = 0, id = 0, err = 0;
	const char *msg = NULL;
	struct ctl_iter it, in;
	struct ctl_attr at, ai;

	ctl_iter_init(&it, p, len);
	while (ctl_iter_next(&it, &at) > 0) {
		if (at.type == TTD_CTL_A_REASON)
			ctl_attr_u32(&at, &reason);
		else if (at.type == TTD_CTL_A_ERRNO)
			ctl_attr_u32(&at, &err);
		else if (at.type == TTD_CTL_A_MSG)
			msg = ctl_attr_str(&at);
		if (at.type != TTD_CTL_A_SESSION_INFO)
			continue;
		ctl_iter_nested(&in, &at);
		while (ctl_iter_next(&in, &ai) > 0) {
			if (ai.type == TTD_CTL_A_SESSION)
				ctl_attr_u32(&ai, &id);
			else if (ai.type == TTD_CTL_A_EVENTS)
				ctl_attr_u64(&ai, &events);
			else if (ai.type == TTD_CTL_A_LOST)
				ctl_attr_u64(&ai, &lost);
			else if (ai.type == TTD_CTL_A_ELAPSED_MS)
				ctl_attr_u64(&ai, &elapsed);
		}
	}
	if (err) {
		ttdctl_err(NAME, "session %u failed: %s", id,
			   msg ? msg : strerror(err));
		return TTDCTL_ERR;
	}
	if (!a->quiet)
		fprintf(stderr,
			"ttdctl trace: session %u ended (%s) after "
			"%.1f s: %llu events, %llu lost; wrote %s\n",
			id,
			reason < sizeof(end_reasons) / sizeof(end_reasons[0]) &&
					end_reasons[reason]
				? end_reasons[reason]
				: "unknown reason",
			elapsed / 1000.0, (unsigned long long)events,
			(unsigned long long)lost, a->output);
	return reason == TTD_CTL_END_ERROR ? TTDCTL_ERR : TTDCTL_OK;
}

static int send_stop(int sock, uint32_t id)
{
	struct ctl_msg m;

	ctl_msg_init(&m, TTD_CTL_TRACE_STOP, 2);
	ctl_put_u32(&m, TTD_CTL_A_SESSION, id);
	return ctl_send(sock, &m, -1);
}

/* Wait for SESSION_END; the first SIGINT/SIGTERM asks ttdd to stop. */
static int wait_end(int sock, uint32_t id, const struct trace_args *a)
{
	unsigned char buf[TTD_CTL_MAX_MSG];
	struct pollfd pfd[2];
	struct ttd_ctl_hdr h;
	struct signalfd_siginfo si;
	const char *why = "";
	sigset_t set;
	int n, stopping = 0;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, NULL);
	pfd[0].fd = sock;
	pfd[0].events = POLLIN;
	pfd[1].fd = signalfd(-1, &set, SFD_CLOEXEC);
	pfd[1].events = POLLIN;
	for (;;) {
		if (poll(pfd, 2, -1) < 0 && errno != EINTR)
			return TTDCTL_ERR;
		if (pfd[1].fd >= 0 && (pfd[1].revents & POLLIN) &&
		    read(pfd[1].fd, &si, sizeof(si)) == sizeof(si) &&
		    !stopping) {
			stopping = 1;
			if (send_stop(sock, id))
				return TTDCTL_ERR;
		}
		if (!(pfd[0].revents & (POLLIN | POLLHUP | POLLERR)))
			continue;
		n = ctl_recv(sock, buf, &h, &why);
		if (n < 0) {
			ttdctl_err(NAME, "lost ttdd: %s",
				   why[0] ? why : strerror(-n));
			return TTDCTL_ERR;
		}
		if (h.type == TTD_CTL_SESSION_END)
			return report_end(buf + sizeof(h), n, a);
		if (h.type == TTD_CTL_REPLY_ERR) {
			ctl_reply_error(buf + sizeof(h), n, &why);
			ttdctl_err(NAME, "stop refused: %s", why);
			return TTDCTL_ERR;
		}
	}
}

static int start(int sock, int fd, const struct trace_args *a, uint32_t *id)
{
	unsigned char buf[TTD_CTL_MAX_MSG];
	const char *why = "", *backend = "?";
	struct ctl_iter it;
	struct ctl_attr at;
	struct ttd_ctl_hdr h;
	struct ctl_msg m;
	int i, n;

	ctl_msg_init(&m, TTD_CTL_TRACE_START, 1);
	for (i = 0; i < a->npids; i++)
		ctl_put_u32(&m, TTD_CTL_A_PID, a->pids[i]);
	if (a->cgroup)
		ctl_put_str(&m, TTD_CTL_A_CGROUP, a->cgroup);
	if (a->duration_ms)
		ctl_put_u64(&m, TTD_CTL_A_DURATION_MS, a->duration_ms);
	if (a->flags)
		ctl_put_u32(&m, TTD_CTL_A_FLAGS, a->flags);
	n = ctl_send(sock, &m, fd);
	if (n) {
		ttdctl_err(NAME, "sending the request: %s", strerror(-n));
		return TTDCTL_ERR;
	}
	n = ctl_recv(sock, buf, &h, &why);
	if (n < 0) {
		ttdctl_err(NAME, "no reply from ttdd: %s",
			   why[0] ? why : strerror(-n));
		return TTDCTL_ERR;
	}
	if (h.type == TTD_CTL_REPLY_ERR) {
		ctl_reply_error(buf + sizeof(h), n, &why);
		ttdctl_err(NAME, "%s", why);
		return TTDCTL_ERR;
	}
	ctl_iter_init(&it, buf + sizeof(h), n);
	while (ctl_iter_next(&it, &at) > 0) {
		if (at.type == TTD_CTL_A_SESSION)
			ctl_attr_u32(&at, id);
		else if (at.type == TTD_CTL_A_BACKEND && ctl_attr_str(&at))
			backend = ctl_attr_str(&at);
	}
	if (!a->quiet)
		fprintf(stderr,
			"ttdctl trace: session %u (%s backend) "
			"recording into %s%s\n",
			*id, backend, a->output,
			a->flags & TTD_CTL_F_DETACH ? ""
			: a->duration_ms	    ? ""
						    : "; Ctrl-C stops");
	if (a->flags & TTD_CTL_F_DETACH)
		printf("%u\n", *id);
	return TTDCTL_OK;
}

static int cmd_trace(int argc, char **argv)
{
	struct trace_args a = { 0 };
	const char *path;
	uint32_t id = 0;
	int sock, fd, rc;

	if (parse_args(argc, argv, &a))
		return ttdctl_usage(NAME);
	path = ctl_socket_path();
	sock = ctl_connect(path);
	if (sock < 0) {
		ttdctl_err(NAME,
			   "cannot reach ttdd at %s: %s (is it running? "
			   "'systemctl start ttdd')",
			   path, strerror(-sock));
		return TTDCTL_ERR;
	}
	/* Created here, with our rights: recordings hold secrets. */
	fd = open(a.output, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		ttdctl_err(NAME, "%s: %s", a.output, strerror(errno));
		close(sock);
		return TTDCTL_ERR;
	}
	rc = start(sock, fd, &a, &id);
	close(fd);
	if (rc) {
		unlink(a.output);
	} else if (!(a.flags & TTD_CTL_F_DETACH)) {
		rc = wait_end(sock, id, &a);
	}
	close(sock);
	return rc;
}

TTDCTL_COMMAND(trace, .name = NAME,
	       .summary = "record the kernel timeline of a task group",
	       .usage = trace_usage, .run = cmd_trace);
