// SPDX-License-Identifier: GPL-2.0
/*
 * The supervisor.  The child stops at its exec (PTRACE_TRACEME), gets the
 * engine injected and runs on its own.  From then on the supervisor only
 * answers the engines' requests on the control socket: before an execve
 * it seizes the thread with PTRACE_O_TRACEEXEC, injects a new engine at
 * the exec stop, and lets go again.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "launch.h"
#include "inject.h"
#include "engine/ctl.h"

/* Descriptor numbers the engine's private files get in the child. */
#define CHILD_LOG_FD 1021
#define CHILD_CTL_FD 1022

#define MAX_PENDING_EXEC 256

struct sup {
	const struct launch_opts *o;
	pid_t child;
	int ctl;		/* our end of the control socket */
	int sfd;		/* signalfd for SIGCHLD */
	int child_status;
	int child_done;
	struct { pid_t tgid; uint64_t icount; } execs[MAX_PENDING_EXEC];
};

static void child_exec(char **argv, int log_fd, int ctl_fd)
{
	if (dup2(log_fd, CHILD_LOG_FD) < 0 || dup2(ctl_fd, CHILD_CTL_FD) < 0)
		_exit(127);
	close(log_fd);
	close(ctl_fd);
	if (ptrace(PTRACE_TRACEME, 0, 0, 0))
		_exit(127);
	execvp(argv[0], argv);
	fprintf(stderr, "ttdctl: cannot run %s: %s\n", argv[0],
		strerror(errno));
	_exit(errno == ENOENT ? 127 : 126);
}

static int inject_into(struct sup *s, pid_t tid, uint64_t icount)
{
	struct inject_opts io = {
		.options = s->o->options,
		.stop_at = s->o->stop_at,
		.log_fd = CHILD_LOG_FD,
		.ctl_fd = CHILD_CTL_FD,
		.icount_base = icount,
	};

	/* Only the first image of the first process stops at N. */
	if (tid != s->child || icount)
		io.options &= ~0x2u;
	if (inject_engine(tid, &io)) {
		fprintf(stderr, "ttdctl: cannot start the engine in %d: %s\n",
			tid, inject_error());
		kill(tid, SIGKILL);
		return -1;
	}
	return 0;
}

static void remember_exec(struct sup *s, pid_t tgid, uint64_t icount)
{
	for (int i = 0; i < MAX_PENDING_EXEC; i++)
		if (!s->execs[i].tgid || s->execs[i].tgid == tgid) {
			s->execs[i].tgid = tgid;
			s->execs[i].icount = icount;
			return;
		}
}

static uint64_t take_exec(struct sup *s, pid_t tgid)
{
	for (int i = 0; i < MAX_PENDING_EXEC; i++)
		if (s->execs[i].tgid == tgid) {
			s->execs[i].tgid = 0;
			return s->execs[i].icount;
		}
	return 0;
}

static void reply(int fd)
{
	struct ttd_ctl_msg m = { .type = TTD_CTL_READY };

	if (fd >= 0 && write(fd, &m, sizeof(m)) < 0)
		perror("ttdctl: control reply");
	if (fd >= 0)
		close(fd);
}

/* Stop a seized thread and detach from it. */
static void release(pid_t tid)
{
	int st;

	if (ptrace(PTRACE_INTERRUPT, tid, 0, 0))
		return;
	while (waitpid(tid, &st, __WALL) == tid) {
		if (!WIFSTOPPED(st))
			return;
		if ((st >> 16) == PTRACE_EVENT_STOP || WSTOPSIG(st) == SIGTRAP)
			break;
		/* a signal-delivery stop: pass it on later */
		ptrace(PTRACE_DETACH, tid, 0, WSTOPSIG(st));
		return;
	}
	ptrace(PTRACE_DETACH, tid, 0, 0);
}

static void handle_request(struct sup *s)
{
	struct ttd_ctl_msg m;
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { &m, sizeof(m) };
	struct msghdr h = { .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = cbuf,
			    .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c;
	int fd = -1;
	ssize_t n = recvmsg(s->ctl, &h, MSG_CMSG_CLOEXEC);

	if (n <= 0)
		return;
	for (c = CMSG_FIRSTHDR(&h); c; c = CMSG_NXTHDR(&h, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
			memcpy(&fd, CMSG_DATA(c), sizeof(int));
	if (n != sizeof(m)) {
		if (fd >= 0)
			close(fd);
		return;
	}
	switch (m.type) {
	case TTD_CTL_EXEC_PREPARE:
		if (ptrace(PTRACE_SEIZE, m.tid, 0, PTRACE_O_TRACEEXEC)) {
			fprintf(stderr, "ttdctl: cannot follow exec of %d: %s\n",
				m.tid, strerror(errno));
			close(fd);
			return;
		}
		remember_exec(s, m.pid, m.icount);
		reply(fd);
		return;
	case TTD_CTL_EXEC_FAILED:
		take_exec(s, m.pid);
		release(m.tid);
		reply(fd);
		return;
	default:
		if (fd >= 0)
			close(fd);
	}
}

static void handle_wait(struct sup *s, pid_t pid, int st)
{
	if (pid == s->child && (WIFEXITED(st) || WIFSIGNALED(st))) {
		s->child_status = st;
		s->child_done = 1;
		return;
	}
	if (!WIFSTOPPED(st))
		return;
	if ((st >> 16) == PTRACE_EVENT_EXEC) {
		inject_into(s, pid, take_exec(s, pid));
		return;
	}
	if ((st >> 16) == PTRACE_EVENT_STOP) {
		ptrace(PTRACE_CONT, pid, 0, 0);
		return;
	}
	/* A signal for a seized thread on its way to exec: deliver it. */
	ptrace(PTRACE_CONT, pid, 0, WSTOPSIG(st));
}

static void reap(struct sup *s)
{
	struct signalfd_siginfo si;
	int st;
	pid_t pid;

	while (read(s->sfd, &si, sizeof(si)) == sizeof(si))
		;
	while ((pid = waitpid(-1, &st, WNOHANG | __WALL)) > 0)
		handle_wait(s, pid, st);
}

static int first_stop(struct sup *s)
{
	int st;

	if (waitpid(s->child, &st, __WALL) != s->child)
		return -1;
	if (!WIFSTOPPED(st)) {
		s->child_status = st;
		s->child_done = 1;
		return 0;
	}
	return inject_into(s, s->child, 0);
}

int launch_and_supervise(char **argv, const struct launch_opts *o)
{
	struct sup s = { .o = o };
	int sv[2], log_fd;
	sigset_t set;

	if (inject_load_engine(o->engine)) {
		fprintf(stderr, "ttdctl: %s\n", inject_error());
		return -1;
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv))
		return -1;
	log_fd = fcntl(2, F_DUPFD_CLOEXEC, 10);
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, NULL);
	s.sfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	s.child = fork();
	if (s.child < 0)
		return -1;
	if (!s.child) {
		sigprocmask(SIG_UNBLOCK, &set, NULL);
		child_exec(argv, log_fd, sv[1]);
	}
	close(sv[1]);
	s.ctl = sv[0];
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	if (first_stop(&s))
		return -1;
	while (!s.child_done) {
		struct pollfd p[2] = { { s.ctl, POLLIN, 0 },
				       { s.sfd, POLLIN, 0 } };
		if (poll(p, 2, -1) < 0 && errno != EINTR)
			break;
		if (p[0].revents & POLLIN)
			handle_request(&s);
		if (p[1].revents & POLLIN)
			reap(&s);
	}
	close(s.ctl);
	return s.child_status;
}
