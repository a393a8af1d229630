// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "perm.h"

#define CAP_SYS_PTRACE_BIT 19

/*
 * Read the "Name:" line of /proc/PID/status into up to four numbers (Uid:
 * and Gid: carry real, effective, saved, fs; CapEff: one hex mask).
 */
static int status_field(pid_t pid, const char *name, unsigned long long *v,
			int n, int base)
{
	char path[64], line[256];
	size_t nlen = strlen(name);
	int found = -ESRCH;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return errno == ENOENT ? -ESRCH : -errno;
	while (fgets(line, sizeof(line), f)) {
		char *p = line + nlen, *end;
		int i;

		if (strncmp(line, name, nlen))
			continue;
		for (i = 0; i < n; i++) {
			errno = 0;
			v[i] = strtoull(p, &end, base);
			if (end == p || errno)
				break;
			p = end;
		}
		found = i == n ? 0 : -EIO;
		break;
	}
	fclose(f);
	return found;
}

int peer_identify(int sock, struct peer *p)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);
	unsigned long long cap;

	if (getsockopt(sock, SOL_SOCKET, SO_PEERCRED, &cred, &len))
		return -errno;
	p->pid = cred.pid;
	p->uid = cred.uid;
	p->gid = cred.gid;
	/*
	 * The capability is read at request time from the peer's process;
	 * uid 0 without CAP_SYS_PTRACE (a dropped-capability root) is not
	 * privileged.
	 */
	p->privileged = status_field(cred.pid, "CapEff:", &cap, 1, 16) == 0 &&
			(cap >> CAP_SYS_PTRACE_BIT & 1);
	return 0;
}

int peer_may_trace_pid(const struct peer *p, pid_t pid)
{
	unsigned long long uid[4], gid[4];
	char path[64];
	struct stat st;
	int err, i;

	if (pid <= 0)
		return -ESRCH;
	err = status_field(pid, "Uid:", uid, 4, 10);
	if (!err)
		err = status_field(pid, "Gid:", gid, 4, 10);
	if (err)
		return err;
	if (p->privileged)
		return 0;
	/* ptrace_may_access(): every uid and gid of the target must match. */
	for (i = 0; i < 3; i++)
		if (uid[i] != p->uid || gid[i] != p->gid)
			return -EPERM;
	/*
	 * procfs hands a non-dumpable process's directory to root; that is
	 * how the dumpable check of ptrace shows from user space.
	 */
	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	if (stat(path, &st))
		return -ESRCH;
	if (st.st_uid != p->uid)
		return -EPERM;
	return 0;
}

int peer_may_trace_cgroup(const struct peer *p, int dirfd)
{
	struct stat st;

	if (fstat(dirfd, &st))
		return -errno;
	if (p->privileged || st.st_uid == p->uid)
		return 0;
	return -EPERM;
}
