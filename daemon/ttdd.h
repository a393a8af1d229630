/* SPDX-License-Identifier: GPL-2.0 */
/* ttdd's state, shared by the event loop and the control requests. */
#ifndef TTDD_TTDD_H
#define TTDD_TTDD_H

#include <stdbool.h>
#include <stdint.h>

#include <liburing.h>

#include "backend.h"
#include "ctl_msg.h"
#include "perm.h"
#include "session.h"

#define TTDD_MAX_CLIENTS 256

struct client {
	int fd;
	uint32_t gen; /* tells a reused slot from its previous owner */
	bool used;
	struct peer peer;
};

struct ttdd {
	struct io_uring ring;
	struct backend *be;
	int sig_fd;
	int listen_fd;
	const char *sock_path;
	bool own_socket; /* created here (not socket-activated) */
	struct client clients[TTDD_MAX_CLIENTS];
	struct session *sessions[BACKEND_MAX_SLOTS];
	uint32_t next_id;
	bool stopping;
	uint64_t drained; /* records handed to sessions */
	uint64_t last_flush_ns;
	int poll_fds[BACKEND_MAX_POLL_FDS]; /* the backend's */
	unsigned int npoll;
	uint64_t tick_at; /* when the armed timeout expires (mono_ns) */
	/* Read by the kernel when the timeout and its update are submitted. */
	struct __kernel_timespec tick_ts, tick_upd_ts;
};

/* Handle one received packet of client c (ctl_server.c). */
void ctl_handle(struct ttdd *d, struct client *c, const void *buf, size_t n,
		int pass_fd);
/* End session slot: drain, close the recording, notify its owner. */
void ttdd_end_session(struct ttdd *d, unsigned int slot, unsigned int reason);
/* Move every waiting record into its sessions. */
void ttdd_drain(struct ttdd *d);
/* Bring the timeout forward to a moment (a session's deadline, a check
 * after an exit) that came up since it was armed. */
void ttdd_reschedule(struct ttdd *d);
/* Send a finished message to a client; errors drop nothing here. */
int ttdd_send(struct client *c, struct ctl_msg *m);
void ttdd_session_info(struct ttdd *d, struct ctl_msg *m, struct session *s);

#endif
