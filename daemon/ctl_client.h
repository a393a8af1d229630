/* SPDX-License-Identifier: GPL-2.0 */
/* Client side of the ttdd control socket (used by ttdctl). */
#ifndef TTDD_CTL_CLIENT_H
#define TTDD_CTL_CLIENT_H

#include <stddef.h>
#include <sys/types.h>

#include "ctl_msg.h"

/* $TTD_SOCKET, or the default socket path. */
const char *ctl_socket_path(void);
/* Connect; -errno on failure. */
int ctl_connect(const char *path);
/* Send a finished message, passing pass_fd along unless it is -1. */
int ctl_send(int sock, struct ctl_msg *m, int pass_fd);
/*
 * Receive one message into buf (TTD_CTL_MAX_MSG bytes) and check its
 * header.  Returns the payload length, an error when the daemon closed the
 * connection (as -ECONNRESET) or -errno; *why explains a bad message.
 */
int ctl_recv(int sock, void *buf, struct ttd_ctl_hdr *hdr, const char **why);
/*
 * For a TTD_CTL_REPLY_ERR payload: the errno and message it carries (a
 * generic text when the daemon sent none).
 */
int ctl_reply_error(const void *payload, size_t len, const char **msg);

#endif
