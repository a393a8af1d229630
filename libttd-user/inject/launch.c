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
#include <sys/random.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <sys/stat.h>
#include <sys/prctl.h>
#include <sys/uio.h>
#include <stddef.h>
#include <unistd.h>

#include "launch.h"
#include "inject.h"
#define TTD_CTL_SUPERVISOR
#include "engine/ctl.h"

#define MAX_PENDING_EXEC 256

struct sup {
	const struct launch_opts *o;
	pid_t child;
	int listen; /* the engines connect here */
	char name[64]; /* its abstract name */
	int sfd; /* signalfd for SIGCHLD */
	int child_status;
	int child_done;
	uint64_t out_dev, out_ino, err_dev, err_ino;
	struct {
		pid_t tgid;
		uint64_t icount;
		uint64_t ring_tail;
	} execs[MAX_PENDING_EXEC];
};

static void child_exec(char **argv)
{
	if (ptrace(PTRACE_TRACEME, 0, 0, 0))
		_exit(127);
	execvp(argv[0], argv);
	fprintf(stderr, "ttdctl: cannot run %s: %s\n", argv[0],
		strerror(errno));
	_exit(errno == ENOENT ? 127 : 126);
}

static int inject_into(struct sup *s, pid_t tid, uint64_t icount,
		       uint64_t ring_tail)
{
	struct inject_opts io = {
		.options = s->o->options,
		.stop_at = s->o->stop_at,
		.ctl_name = s->name,
		.icount_base = icount,
		.out_dev = s->out_dev,
		.out_ino = s->out_ino,
		.err_dev = s->err_dev,
		.err_ino = s->err_ino,
		.ring_tail = ring_tail,
	};

	if (s->o->rr && s->o->rr->rec_pid_of)
		io.rec_pid = s->o->rr->rec_pid_of(s->o->rr->arg, tid);

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

static void remember_exec(struct sup *s, pid_t tgid, uint64_t icount,
			  uint64_t ring_tail)
{
	for (int i = 0; i < MAX_PENDING_EXEC; i++)
		if (!s->execs[i].tgid || s->execs[i].tgid == tgid) {
			s->execs[i].tgid = tgid;
			s->execs[i].icount = icount;
			s->execs[i].ring_tail = ring_tail;
			return;
		}
}

/* The pending exec of tgid: its count, and its ring position. */
static uint64_t take_exec(struct sup *s, pid_t tgid, uint64_t *ring_tail)
{
	*ring_tail = 0;
	for (int i = 0; i < MAX_PENDING_EXEC; i++)
		if (s->execs[i].tgid == tgid) {
			s->execs[i].tgid = 0;
			*ring_tail = s->execs[i].ring_tail;
			return s->execs[i].icount;
		}
	return 0;
}

static void reply(int fd)
{
	struct ttd_ctl_msg m = { .type = TTD_CTL_READY };

	if (write(fd, &m, sizeof(m)) < 0)
		perror("ttdctl: control reply");
}

static pid_t proc_field(pid_t pid, const char *key);

/* READY with descriptors attached (pass[1] may be -1). */
static void reply_fds(int fd, const int pass[2])
{
	struct ttd_ctl_msg m = { .type = TTD_CTL_READY };
	char cbuf[CMSG_SPACE(2 * sizeof(int))] = { 0 };
	struct iovec iov = { &m, sizeof(m) };
	int n = pass[1] >= 0 ? 2 : 1;
	struct msghdr mh = { .msg_iov = &iov,
			     .msg_iovlen = 1,
			     .msg_control = cbuf,
			     .msg_controllen = CMSG_SPACE(n * sizeof(int)) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&mh);

	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(n * sizeof(int));
	memcpy(CMSG_DATA(c), pass, n * sizeof(int));
	if (sendmsg(fd, &mh, MSG_NOSIGNAL) < 0)
		perror("ttdctl: control reply");
}

static void give_ring(struct sup *s, int fd, struct ttd_ctl_msg *m)
{
	int ring;

	if (!s->o->rr || proc_field(m->tid, "Tgid:") != m->pid)
		return;
	ring = s->o->rr->ring(s->o->rr->arg, m->pid, m->err, (int)m->icount);
	if (ring < 0)
		return;
	reply_fds(fd, (int[2]){ ring, s->o->rr->session_fd });
	close(ring);
}

static void give_debug(struct sup *s, int fd, struct ttd_ctl_msg *m)
{
	int conn;

	if (!s->o->rr || !s->o->rr->debug ||
	    proc_field(m->tid, "Tgid:") != m->pid)
		return;
	conn = s->o->rr->debug(s->o->rr->arg, m->pid);
	if (conn < 0)
		return;
	reply_fds(fd, (int[2]){ conn, -1 });
	close(conn);
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
		/* a signal-delivery stop: pass it on */
		ptrace(PTRACE_DETACH, tid, 0, WSTOPSIG(st));
		return;
	}
	ptrace(PTRACE_DETACH, tid, 0, 0);
}

static pid_t proc_field(pid_t pid, const char *key)
{
	char path[64], line[256];
	size_t klen = strlen(key);
	pid_t v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, klen)) {
			v = (pid_t)strtol(line + klen, NULL, 10);
			break;
		}
	fclose(f);
	return v;
}

/* Only processes we launched (and their descendants) may ask. */
static int is_ours(struct sup *s, pid_t pid)
{
	for (int depth = 0; pid > 1 && depth < 4096; depth++) {
		/* Replay's checkpoints are siblings of the first process. */
		if (pid == s->child || pid == getpid())
			return 1;
		pid = proc_field(pid, "PPid:");
	}
	return 0;
}

static void handle_msg(struct sup *s, int fd, struct ttd_ctl_msg *m, ssize_t n,
		       pid_t peer)
{
	uint64_t tail;

	if (n < (ssize_t)sizeof(*m) || m->pid != peer || !is_ours(s, peer))
		return;
	switch (m->type) {
	case TTD_CTL_EXEC_PREPARE:
		if (proc_field(m->tid, "Tgid:") != peer)
			return;
		if (ptrace(PTRACE_SEIZE, m->tid, 0, PTRACE_O_TRACEEXEC)) {
			fprintf(stderr,
				"ttdctl: cannot follow exec of %d: %s\n",
				m->tid, strerror(errno));
			return;
		}
		/* Replay under a debugger sends its ring position. */
		remember_exec(s, m->pid, m->icount,
			      m->len == 8 && n >= (ssize_t)sizeof(*m) + 8
				      ? *(uint64_t *)m->text
				      : 0);
		reply(fd);
		return;
	case TTD_CTL_EXEC_FAILED:
		if (proc_field(m->tid, "Tgid:") != peer)
			return;
		take_exec(s, m->pid, &tail);
		release(m->tid);
		reply(fd);
		return;
	case TTD_CTL_RING:
		give_ring(s, fd, m);
		return;
	case TTD_CTL_DEBUG:
		give_debug(s, fd, m);
		return;
	case TTD_CTL_DIVERGED:
	case TTD_CTL_FATAL:
		if (s->o->rr && m->len <= (size_t)n - sizeof(*m))
			s->o->rr->report(s->o->rr->arg, (int)m->type, m->text,
					 m->len);
		return;
	case TTD_CTL_LOG:
		if (m->len <= (size_t)n - sizeof(*m) &&
		    fwrite(m->text, 1, m->len, stderr) != m->len)
			return;
		fflush(stderr);
		return;
	}
}

/* One connection, one message. */
static void handle_request(struct sup *s)
{
	static char buf[sizeof(struct ttd_ctl_msg) + TTD_CTL_MAX_TEXT];
	struct ucred cred;
	socklen_t clen = sizeof(cred);
	ssize_t n;
	int fd;

	while ((fd = accept4(s->listen, NULL, NULL,
			     SOCK_CLOEXEC | SOCK_NONBLOCK)) >= 0) {
		struct pollfd p = { fd, POLLIN, 0 };
		if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &clen) ||
		    poll(&p, 1, 1000) <= 0) {
			close(fd);
			continue;
		}
		n = recv(fd, buf, sizeof(buf), 0);
		if (n > 0)
			handle_msg(s, fd, (struct ttd_ctl_msg *)buf, n,
				   cred.pid);
		close(fd);
	}
}

static int open_listener(struct sup *s)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	unsigned rnd = 0;
	size_t len;

	if (getrandom(&rnd, sizeof(rnd), 0) != sizeof(rnd))
		rnd = (unsigned)getpid() * 2654435761u;
	snprintf(s->name, sizeof(s->name), "ttd-%d-%08x", getpid(), rnd);
	len = strlen(s->name);
	memcpy(a.sun_path + 1, s->name, len);
	s->listen = socket(AF_UNIX,
			   SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (s->listen < 0 ||
	    bind(s->listen, (struct sockaddr *)&a,
		 offsetof(struct sockaddr_un, sun_path) + 1 + len) ||
	    listen(s->listen, 128)) {
		perror("ttdctl: control socket");
		return -1;
	}
	return 0;
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
		uint64_t tail, icount = take_exec(s, pid, &tail);
		inject_into(s, pid, icount, tail);
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
	return inject_into(s, s->child, 0, 0);
}

static int children_left(void)
{
	siginfo_t si;

	return waitid(P_ALL, 0, &si, WEXITED | WNOHANG | WNOWAIT | __WALL) == 0;
}

/* Which files the user sees as stdout and stderr. */
static void note_outputs(struct sup *s)
{
	struct stat st;

	if (!fstat(1, &st))
		s->out_dev = st.st_dev, s->out_ino = st.st_ino;
	if (!fstat(2, &st))
		s->err_dev = st.st_dev, s->err_ino = st.st_ino;
}

int launch_and_supervise(char **argv, const struct launch_opts *o)
{
	struct sup s = { .o = o };
	sigset_t set;

	if (inject_load_engine(o->engine)) {
		fprintf(stderr, "ttdctl: %s\n", inject_error());
		return -1;
	}
	if (open_listener(&s))
		return -1;
	if (o->rr)
		note_outputs(&s);
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, NULL);
	s.sfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	s.child = fork();
	if (s.child < 0)
		return -1;
	if (!s.child) {
		sigprocmask(SIG_UNBLOCK, &set, NULL);
		child_exec(argv);
	}
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	if (first_stop(&s))
		return -1;
	/* Recording and replay follow every descendant to its end: the
	 * orphans come to us. */
	if (o->rr)
		prctl(PR_SET_CHILD_SUBREAPER, 1);
	while (!s.child_done || (o->rr && children_left())) {
		struct pollfd p[2] = { { s.listen, POLLIN, 0 },
				       { s.sfd, POLLIN, 0 } };
		if (poll(p, 2, -1) < 0 && errno != EINTR)
			break;
		if (p[0].revents & POLLIN)
			handle_request(&s);
		if (p[1].revents & POLLIN)
			reap(&s);
	}
	/* Messages the last processes sent before exiting. */
	handle_request(&s);
	close(s.listen);
	return s.child_status;
}
