// SPDX-License-Identifier: GPL-2.0
/* ttdctl stop: end trace sessions of ttdd (see 'ttdctl status'). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../daemon/ctl_client.h"
#include "cmd.h"

#define NAME "stop"

static int stop_one(int sock, uint32_t id)
{
	unsigned char buf[TTD_CTL_MAX_MSG];
	const char *why = "";
	struct ttd_ctl_hdr h;
	struct ctl_msg m;
	int n;

	ctl_msg_init(&m, TTD_CTL_TRACE_STOP, id);
	ctl_put_u32(&m, TTD_CTL_A_SESSION, id);
	n = ctl_send(sock, &m, -1);
	if (!n) {
		do
			n = ctl_recv(sock, buf, &h, &why);
		while (n >= 0 && h.type == TTD_CTL_SESSION_END);
	}
	if (n < 0) {
		ttdctl_err(NAME, "session %u: %s", id,
			   why[0] ? why : strerror(-n));
		return TTDCTL_ERR;
	}
	if (h.type == TTD_CTL_REPLY_ERR) {
		ctl_reply_error(buf + sizeof(h), n, &why);
		ttdctl_err(NAME, "%s", why);
		return TTDCTL_ERR;
	}
	return TTDCTL_OK;
}

static int cmd_stop(int argc, char **argv)
{
	const char *path = ctl_socket_path();
	int i, sock, rc = TTDCTL_OK;
	unsigned long v;
	char *end;

	if (argc < 2)
		return ttdctl_usage(NAME);
	for (i = 1; i < argc; i++) {
		errno = 0;
		v = strtoul(argv[i], &end, 10);
		if (errno || end == argv[i] || *end || !v || v > UINT32_MAX) {
			ttdctl_err(NAME, "bad session id '%s'", argv[i]);
			return ttdctl_usage(NAME);
		}
	}
	sock = ctl_connect(path);
	if (sock < 0) {
		ttdctl_err(NAME, "cannot reach ttdd at %s: %s", path,
			   strerror(-sock));
		return TTDCTL_ERR;
	}
	for (i = 1; i < argc; i++)
		if (stop_one(sock, strtoul(argv[i], NULL, 10)))
			rc = TTDCTL_ERR;
	close(sock);
	return rc;
}

TTDCTL_COMMAND(
	stop, .name = NAME, .summary = "stop trace sessions of ttdd",
	.usage = "usage: ttdctl stop SESSION...\n"
		 "\n"
		 "End the given ttdd trace sessions: their recordings\n"
		 "are completed and their 'ttdctl trace' commands\n"
		 "return.  Session ids are shown by 'ttdctl status'.\n"
		 "You may stop your own sessions; root (CAP_SYS_PTRACE)\n"
		 "any.  The socket is $TTD_SOCKET or " TTD_CTL_DEFAULT_SOCKET
		 ".\n",
	.run = cmd_stop);
