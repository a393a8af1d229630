/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The engine's channel to its supervisor: an abstract unix socket
 * (SOCK_SEQPACKET) whose name comes in the boot block.  The engine
 * connects for each request and closes afterwards, so that the process
 * it runs in never holds a descriptor it did not open itself.
 */
#ifndef TTD_ENGINE_CTL_H
#define TTD_ENGINE_CTL_H

#include <stddef.h>
#include <stdint.h>

enum ttd_ctl_type {
	TTD_CTL_EXEC_PREPARE = 1, /* catch my next execve */
	TTD_CTL_EXEC_FAILED = 2, /* it failed: let go of me */
	TTD_CTL_READY = 3, /* reply: go ahead */
	TTD_CTL_LOG = 4, /* text for the user (stats, errors) */
	/* Record/replay: give me my event ring (its memfd comes back with
	 * READY, then the session page's); err says why (RING_*), icount
	 * the recorded pid to feed. */
	TTD_CTL_RING = 5,
	TTD_CTL_DIVERGED = 6, /* replay: text says where and how */
	TTD_CTL_FATAL = 7, /* recording stopped: text says why */
	/* Replay under a debugger: give me my agent connection (it comes
	 * back with READY). */
	TTD_CTL_DEBUG = 8,
};

#define TTD_CTL_MAX_TEXT 4000

struct ttd_ctl_msg {
	uint32_t type;
	int32_t pid;
	int32_t tid;
	int32_t err;
	uint64_t icount; /* instructions of the old image */
	uint32_t len; /* bytes of text that follow */
	uint32_t pad;
	char text[];
};

#ifndef TTD_CTL_SUPERVISOR
/* Engine side. */
void ctl_init(const char *name);
/* Send a request and wait for TTD_CTL_READY: 0, or -1. */
int ctl_request(struct ttd_ctl_msg *m);
/* Same, for a reply that carries up to two descriptors (-1: none). */
int ctl_request_fds(struct ttd_ctl_msg *m, int fd[2]);
/* Hand text to the supervisor, which prints it on its stderr. */
void ctl_log(const char *text, int len);
/* One packet on a connected socket, passing descriptor pass (-1: none),
 * or receiving up to two (rfd may be NULL).  Return what the calls do. */
long ctl_send_packet(int fd, const void *buf, size_t len, int pass);
long ctl_recv_packet(int fd, void *buf, size_t len, int rfd[2]);
void ctl_send_text(int type, const char *text, int len);
#endif

#endif
