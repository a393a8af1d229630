// SPDX-License-Identifier: GPL-2.0
/* execve with re-injection by the supervisor (see exec.h). */
#include "exec.h"
#include "signal.h"
#include "syscall.h"
#include "sys.h"
#include "../ctl.h"
#include "../dispatch.h"
#include "../thread.h"
#include "../lib.h"

#define SOL_SOCKET 1
#define SCM_RIGHTS 1
#define AF_UNIX 1
#define SOCK_SEQPACKET 5
#define SOCK_CLOEXEC 02000000

struct iovec_ {
	void *base;
	size_t len;
};

struct msghdr_ {
	void *name;
	uint32_t namelen;
	struct iovec_ *iov;
	size_t iovlen;
	void *control;
	size_t controllen;
	int flags;
};

struct cmsg_fd {
	size_t len;
	int level;
	int type;
	int fd;
	int pad;
};

/* Send a request with 'fd' attached; wait for the one-message reply. */
static int ctl_request(struct ttd_ctl_msg *m)
{
	int sv[2];
	struct iovec_ iov = { m, sizeof(*m) };
	struct cmsg_fd c = { sizeof(struct cmsg_fd) - 4, SOL_SOCKET,
			     SCM_RIGHTS, 0, 0 };
	struct msghdr_ h = { NULL, 0, &iov, 1, &c, sizeof(c), 0 };
	struct ttd_ctl_msg reply;
	long n;

	if (eopts.ctl_fd < 0)
		return -1;
	if (sys_call4(__NR_socketpair, AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC,
		      0, sv))
		return -1;
	c.fd = sv[1];
	n = sys_call3(__NR_sendmsg, eopts.ctl_fd, &h, 0x4000 /* NOSIGNAL */);
	sys_close(sv[1]);
	if (n != sizeof(*m)) {
		sys_close(sv[0]);
		return -1;
	}
	do
		n = sys_read(sv[0], &reply, sizeof(reply));
	while (n == -EINTR);
	sys_close(sv[0]);
	return n == sizeof(reply) && reply.type == TTD_CTL_READY ? 0 : -1;
}

void exec_sys_execve(struct ttd_thread *t, long nr)
{
	struct ttd_ctl_msg m = { TTD_CTL_EXEC_PREPARE, (int)sys_getpid(),
				 (int)sys_gettid(), 0, thread_icount(t) };

	if (ctl_request(&m)) {
		/* No supervisor: refuse rather than let the new image run
		 * untranslated without anyone noticing. */
		eprintf("ttd: execve without a supervisor: not followed\n");
		t->ctx.rax = (uint64_t)-ENOSYS;
		return;
	}
	/* A successful execve does not come back here. */
	syscall_run_native(t);
	m.type = TTD_CTL_EXEC_FAILED;
	m.err = (int)-(long)t->ctx.rax;
	if (ctl_request(&m))
		fatal("supervisor did not release the process after a failed "
		      "execve");
}
