// SPDX-License-Identifier: GPL-2.0
/* ttdctl status: what ttdd is doing. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../../daemon/ctl_client.h"
#include "cmd.h"

#define NAME "status"

static void print_session(const struct ctl_attr *nest)
{
	uint64_t events = 0, lost = 0, elapsed = 0, duration = 0;
	uint32_t id = 0, uid = 0, pid;
	const char *cgroup = NULL;
	char pids[256] = "";
	size_t off = 0;
	struct ctl_iter it;
	struct ctl_attr a;

	ctl_iter_nested(&it, nest);
	while (ctl_iter_next(&it, &a) > 0) {
		switch (a.type) {
		case TTD_CTL_A_SESSION:
			ctl_attr_u32(&a, &id);
			break;
		case TTD_CTL_A_UID:
			ctl_attr_u32(&a, &uid);
			break;
		case TTD_CTL_A_PID:
			if (!ctl_attr_u32(&a, &pid) && off < sizeof(pids))
				off += snprintf(pids + off, sizeof(pids) - off,
						"%s%u", off ? "," : "", pid);
			break;
		case TTD_CTL_A_CGROUP:
			cgroup = ctl_attr_str(&a);
			break;
		case TTD_CTL_A_EVENTS:
			ctl_attr_u64(&a, &events);
			break;
		case TTD_CTL_A_LOST:
			ctl_attr_u64(&a, &lost);
			break;
		case TTD_CTL_A_ELAPSED_MS:
			ctl_attr_u64(&a, &elapsed);
			break;
		case TTD_CTL_A_DURATION_MS:
			ctl_attr_u64(&a, &duration);
			break;
		}
	}
	printf("%7u %6u %9.1f %10llu %8llu  %s%s\n", id, uid, elapsed / 1000.0,
	       (unsigned long long)events, (unsigned long long)lost,
	       cgroup ? "cgroup " : "pid ", cgroup ? cgroup : pids);
	if (duration)
		printf("%17s(stops after %.1f s)\n", "", duration / 1000.0);
}

static int cmd_status(int argc, char **argv)
{
	unsigned char buf[TTD_CTL_MAX_MSG];
	const char *path = ctl_socket_path(), *why = "";
	const char *version = "?", *backend = "?";
	uint64_t lost = 0, events = 0;
	uint32_t ncpus = 0;
	struct ttd_ctl_hdr h;
	struct ctl_iter it;
	struct ctl_attr a;
	struct ctl_msg m;
	int sock, n, nsess = 0;

	if (argc > 1)
		return ttdctl_usage(NAME);
	sock = ctl_connect(path);
	if (sock < 0) {
		ttdctl_err(NAME, "ttdd is not running (%s: %s)", path,
			   strerror(-sock));
		return 3; /* as 'systemctl status' for a stopped unit */
	}
	ctl_msg_init(&m, TTD_CTL_STATUS, 1);
	n = ctl_send(sock, &m, -1);
	if (!n)
		n = ctl_recv(sock, buf, &h, &why);
	close(sock);
	if (n < 0) {
		ttdctl_err(NAME, "%s", why[0] ? why : strerror(-n));
		return TTDCTL_ERR;
	}
	if (h.type != TTD_CTL_REPLY_OK) {
		ctl_reply_error(buf + sizeof(h), n, &why);
		ttdctl_err(NAME, "%s", why);
		return TTDCTL_ERR;
	}
	ctl_iter_init(&it, buf + sizeof(h), n);
	while (ctl_iter_next(&it, &a) > 0) {
		if (a.type == TTD_CTL_A_VERSION && ctl_attr_str(&a))
			version = ctl_attr_str(&a);
		else if (a.type == TTD_CTL_A_BACKEND && ctl_attr_str(&a))
			backend = ctl_attr_str(&a);
		else if (a.type == TTD_CTL_A_NCPUS)
			ctl_attr_u32(&a, &ncpus);
		else if (a.type == TTD_CTL_A_LOST)
			ctl_attr_u64(&a, &lost);
		else if (a.type == TTD_CTL_A_EVENTS)
			ctl_attr_u64(&a, &events);
	}
	printf("ttdd %s: %s backend, %u CPU rings, %llu records drained, "
	       "%llu lost\n",
	       version, backend, ncpus, (unsigned long long)events,
	       (unsigned long long)lost);
	ctl_iter_init(&it, buf + sizeof(h), n);
	while (ctl_iter_next(&it, &a) > 0) {
		if (a.type != TTD_CTL_A_SESSION_INFO)
			continue;
		if (!nsess++)
			printf("%7s %6s %9s %10s %8s  %s\n", "SESSION", "UID",
			       "ELAPSED", "EVENTS", "LOST", "TARGET");
		print_session(&a);
	}
	if (!nsess)
		printf("no trace sessions\n");
	return TTDCTL_OK;
}

TTDCTL_COMMAND(status, .name = NAME,
	       .summary = "show ttdd's backend and trace sessions",
	       .usage = "usage: ttdctl status\n"
			"\n"
			"Show the kernel backend ttdd uses and the trace\n"
			"sessions you may control (all of them for root).\n"
			"Exit status 3 when ttdd is not running.  The socket\n"
			"is $TTD_SOCKET or " TTD_CTL_DEFAULT_SOCKET ".\n",
	       .run = cmd_status);
