/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Injection of the engine into a ptrace-stopped thread: at exec (launch
 * and re-injection after execve) and, later, at attach.  ptrace is used
 * only for these moments; the engine then runs on its own.
 */
#ifndef TTD_INJECT_H
#define TTD_INJECT_H

#include <stdint.h>
#include <sys/types.h>

struct inject_opts {
	uint32_t options; /* TTD_OPT_* of boot.h */
	uint64_t stop_at;
	const char *ctl_name; /* the supervisor's abstract socket */
	uint64_t icount_base;
	uint64_t out_dev, out_ino, err_dev, err_ino; /* see struct ttd_boot */
	int rec_pid, rec_tid;
	uint64_t ring_tail;
};

/* Load and check the engine image once; 0 or -errno with a message. */
int inject_load_engine(const char *path);
/* Inject into 'tid', which must be in a ptrace-stop; detaches from it. */
int inject_engine(pid_t tid, const struct inject_opts *o);
/* The last error, for messages. */
const char *inject_error(void);

#endif
