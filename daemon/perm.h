/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Who may trace what.  A control client is identified by SO_PEERCRED; it
 * may trace a process only if it could ptrace it (the kernel's
 * ptrace_may_access() rules, approximated from /proc), and a cgroup only
 * if it owns the cgroup directory (systemd's delegation model).
 */
#ifndef TTDD_PERM_H
#define TTDD_PERM_H

#include <stdbool.h>
#include <sys/types.h>

struct peer {
	pid_t pid;
	uid_t uid;
	gid_t gid;
	bool privileged; /* CAP_SYS_PTRACE in its effective set */
};

/* Fill *p from a connected unix socket; -errno on failure. */
int peer_identify(int sock, struct peer *p);
/* 0 if p may trace process pid, else -EPERM / -ESRCH. */
int peer_may_trace_pid(const struct peer *p, pid_t pid);
/* 0 if p may trace the cgroup whose directory is dirfd. */
int peer_may_trace_cgroup(const struct peer *p, int dirfd);

#endif
