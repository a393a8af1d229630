/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Messages between an engine and its supervisor over the control socket
 * (SOCK_SEQPACKET).  Each request carries a fresh socket for its reply,
 * since forked children share the control socket.
 */
#ifndef TTD_ENGINE_CTL_H
#define TTD_ENGINE_CTL_H

#include <stdint.h>

enum ttd_ctl_type {
	TTD_CTL_EXEC_PREPARE = 1,	/* catch my next execve */
	TTD_CTL_EXEC_FAILED = 2,	/* it failed: let go of me */
	TTD_CTL_READY = 3,		/* reply: go ahead */
};

struct ttd_ctl_msg {
	uint32_t type;
	int32_t pid;
	int32_t tid;
	int32_t err;
	uint64_t icount;		/* instructions of the old image */
};

#endif
