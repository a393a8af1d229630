// SPDX-License-Identifier: GPL-2.0
/*
 * The control socket: malformed and fuzzed packets each get an error
 * reply and never take ttdd down; requests from an unprivileged user are
 * refused for what that user could not ptrace.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util.h"

#include "kselftest_harness.h"

#define NOBODY 65534

FIXTURE(ctl)
{
	struct ttdd_proc d;
	int sock;
};

FIXTURE_SETUP(ctl)
{
	int e;

	if (geteuid())
		SKIP(return, "needs root to start ttdd");
	e = ttdd_start(&self->d);
	ASSERT_EQ(0, e) TH_LOG("ttdd did not start: %s", strerror(-e));
	self->sock = ctl_connect(self->d.sock);
	ASSERT_LE(0, self->sock);
}

FIXTURE_TEARDOWN(ctl)
{
	if (self->sock >= 0)
		close(self->sock);
	ttdd_cleanup(&self->d);
}

/* Send raw bytes; return the reply's type and errno (0 if none). */
static int raw(int sock, const void *p, size_t n, uint32_t *err_no, int fd)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} ctrl;
	unsigned char buf[TTD_CTL_MAX_MSG];
	struct iovec iov = { .iov_base = (void *)p, .iov_len = n };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct ttd_ctl_hdr h;
	struct cmsghdr *c;
	const char *why, *msg;
	int r;

	if (fd >= 0) {
		memset(&ctrl, 0, sizeof(ctrl));
		mh.msg_control = ctrl.buf;
		mh.msg_controllen = sizeof(ctrl.buf);
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &fd, sizeof(int));
	}
	if (sendmsg(sock, &mh, MSG_NOSIGNAL) < 0)
		return -errno;
	r = ctl_recv(sock, buf, &h, &why);
	if (r < 0)
		return r;
	*err_no = 0;
	if (h.type == TTD_CTL_REPLY_ERR)
		*err_no = ctl_reply_error(buf + sizeof(h), r, &msg);
	return h.type;
}

static size_t hdr_only(unsigned char *b, uint32_t magic, uint16_t ver,
		       uint16_t type, uint32_t len)
{
	struct ttd_ctl_hdr h = { magic, ver, type, len, 42 };

	memcpy(b, &h, sizeof(h));
	return sizeof(h);
}

static int alive(const char *path)
{
	unsigned char reply[TTD_CTL_MAX_MSG];
	struct ctl_msg m;
	size_t rl;
	int s = ctl_connect(path), t;

	if (s < 0)
		return 0;
	ctl_msg_init(&m, TTD_CTL_STATUS, 9);
	t = request(s, &m, -1, NULL, reply, &rl);
	close(s);
	return t == TTD_CTL_REPLY_OK;
}

TEST_F(ctl, malformed_packets_get_errors)
{
	unsigned char b[TTD_CTL_MAX_MSG * 2];
	struct ttd_ctl_attr a;
	uint32_t e;
	size_t n;
	int fd;

	/* Shorter than a header; empty (which must not read as a hang-up). */
	EXPECT_EQ(TTD_CTL_REPLY_ERR, raw(self->sock, "TTD", 3, &e, -1));
	EXPECT_EQ(EBADMSG, e);
	EXPECT_EQ(TTD_CTL_REPLY_ERR, raw(self->sock, "", 0, &e, -1));
	EXPECT_EQ(EBADMSG, e);
	/* Bad magic, bad version, length mismatch, unknown type. */
	n = hdr_only(b, 0xdeadbeef, TTD_CTL_VERSION, TTD_CTL_STATUS, 0);
	EXPECT_EQ(TTD_CTL_REPLY_ERR, raw(self->sock, b, n, &e, -1));
	EXPECT_EQ(EBADMSG, e);
	n = hdr_only(b, TTD_CTL_MAGIC, 99, TTD_CTL_STATUS, 0);
	EXPECT_EQ(TTD_CTL_REPLY_ERR, raw(self->sock, b, n, &e, -1));
	EXPECT_EQ(EPROTONOSUPPORT, e);
	n = hdr_only(b, TTD_CTL_MAGIC, TTD_CTL_VERSION, TTD_CTL_STATUS, 100);
	EXPECT_EQ(TTD_CTL_REPLY_ERR, raw(self->sock, b, n, &e, -1));
	EXPECT_EQ(EBADMSG, e);
	n = hdr_only(b, TTD_CTL_MAGIC, TTD_CTL_VERSION, 0x7777, 0);
	EXPECT_EQ(TTD_CTL_REPLY_ERR, raw(self->sock, b, n, &e, -1));
	EXPECT_EQ(EOPNOTSUPP, e);
	/* Larger than the protocol allows. */
	memset(b, 0, sizeof(b));
	n = hdr_only(b, TTD_CTL_MAGIC, TTD_CTL_VERSION, TTD_CTL_STATUS,
		     sizeof(b) - sizeof(struct ttd_ctl_hdr));
	EXPECT_EQ(TTD_CTL_REPLY_ERR, raw(self->sock, b, sizeof(b), &e, -1));
	EXPECT_EQ(EMSGSIZE, e);
	/* Attribute shorter than its own header, or longer than the rest. */
	n = hdr_only(b, TTD_CTL_MAGIC, TTD_CTL_VERSION, TTD_CTL_TRACE_START, 4);
	a.len = 2;
	a.type = TTD_CTL_A_PID;
	memcpy(b + n, &a, 4);
	EXPECT_EQ(TTD_CTL_REPLY_ERR, raw(self->sock, b, n + 4, &e, -1));
	EXPECT_EQ(EINVAL, e);
	a.len = 400;
	memcpy(b + n, &a, 4);
	EXPECT_EQ(TTD_CTL_REPLY_ERR, raw(self->sock, b, n + 4, &e, -1));
	EXPECT_EQ(EINVAL, e);
	/* Unterminated string; wrong-sized integer. */
	n = hdr_only(b, TTD_CTL_MAGIC, TTD_CTL_VERSION, TTD_CTL_TRACE_START, 8);
	a.len = 8;
	a.type = TTD_CTL_A_CGROUP;
	memcpy(b + n, &a, 4);
	memcpy(b + n + 4, "/abc", 4);
	EXPECT_EQ(TTD_CTL_REPLY_ERR, raw(self->sock, b, n + 8, &e, -1));
	EXPECT_EQ(EINVAL, e);
	a.type = TTD_CTL_A_DURATION_MS;
	memcpy(b + n, &a, 4);
	EXPECT_EQ(TTD_CTL_REPLY_ERR, raw(self->sock, b, n + 8, &e, -1));
	EXPECT_EQ(EINVAL, e);
	/* STOP of a session that does not exist; STATUS with attributes. */
	{
		struct ctl_msg m;

		ctl_msg_init(&m, TTD_CTL_TRACE_STOP, 1);
		ctl_put_u32(&m, TTD_CTL_A_SESSION, 12345);
		EXPECT_EQ(TTD_CTL_REPLY_ERR,
			  request(self->sock, &m, -1, &e, NULL, NULL));
		EXPECT_EQ(ENOENT, e);
		ctl_msg_init(&m, TTD_CTL_STATUS, 1);
		ctl_put_u32(&m, TTD_CTL_A_PID, 1);
		EXPECT_EQ(TTD_CTL_REPLY_ERR,
			  request(self->sock, &m, -1, &e, NULL, NULL));
		EXPECT_EQ(EINVAL, e);
		/* START without an output descriptor, then with bad ones. */
		ctl_msg_init(&m, TTD_CTL_TRACE_START, 1);
		ctl_put_u32(&m, TTD_CTL_A_PID, getpid());
		EXPECT_EQ(TTD_CTL_REPLY_ERR,
			  request(self->sock, &m, -1, &e, NULL, NULL));
		EXPECT_EQ(EBADF, e);
		fd = open("/", O_RDONLY | O_DIRECTORY);
		ctl_msg_init(&m, TTD_CTL_TRACE_START, 1);
		ctl_put_u32(&m, TTD_CTL_A_PID, getpid());
		EXPECT_EQ(TTD_CTL_REPLY_ERR,
			  request(self->sock, &m, fd, &e, NULL, NULL));
		EXPECT_EQ(EINVAL, e);
		close(fd);
		/* Both a pid and a cgroup; a pid that does not exist. */
		fd = open("/dev/null", O_WRONLY);
		ctl_msg_init(&m, TTD_CTL_TRACE_START, 1);
		ctl_put_u32(&m, TTD_CTL_A_PID, getpid());
		ctl_put_str(&m, TTD_CTL_A_CGROUP, "/sys/fs/cgroup");
		EXPECT_EQ(TTD_CTL_REPLY_ERR,
			  request(self->sock, &m, fd, &e, NULL, NULL));
		EXPECT_EQ(EINVAL, e);
		ctl_msg_init(&m, TTD_CTL_TRACE_START, 1);
		ctl_put_u32(&m, TTD_CTL_A_PID, 0x3fffffff);
		EXPECT_EQ(TTD_CTL_REPLY_ERR,
			  request(self->sock, &m, fd, &e, NULL, NULL));
		EXPECT_EQ(ESRCH, e);
		close(fd);
	}
	EXPECT_TRUE(alive(self->d.sock));
}

/* xorshift: the same fuzz cases on every run, so a failure reproduces. */
static uint64_t rnd_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state;
}

static size_t valid_message(unsigned char *b)
{
	struct ctl_msg m;

	switch (rnd() % 3) {
	case 0:
		ctl_msg_init(&m, TTD_CTL_TRACE_START, rnd());
		ctl_put_u32(&m, TTD_CTL_A_PID, 1 + rnd() % 100000);
		ctl_put_u64(&m, TTD_CTL_A_DURATION_MS, rnd() % 1000);
		ctl_put_str(&m, TTD_CTL_A_CGROUP, "/sys/fs/cgroup/x");
		ctl_nest_begin(&m, TTD_CTL_A_SESSION_INFO);
		ctl_put_u32(&m, TTD_CTL_A_FLAGS, rnd());
		ctl_nest_end(&m);
		break;
	case 1:
		ctl_msg_init(&m, TTD_CTL_TRACE_STOP, rnd());
		ctl_put_u32(&m, TTD_CTL_A_SESSION, rnd());
		break;
	default:
		ctl_msg_init(&m, TTD_CTL_STATUS, rnd());
		break;
	}
	ctl_msg_finish(&m);
	memcpy(b, m.buf, m.len);
	return m.len;
}

/* Mutate valid messages: flipped bytes, cut or grown packets, garbage. */
TEST_F(ctl, fuzzed_packets_never_crash)
{
	unsigned char b[TTD_CTL_MAX_MSG];
	int i, k, flips, t, replies = 0;
	uint32_t e;
	size_t n;

	for (i = 0; i < 3000; i++) {
		n = valid_message(b);
		switch (rnd() % 4) {
		case 0: /* random bytes, any length */
			n = 1 + rnd() % 512;
			for (k = 0; k < (int)n; k++)
				b[k] = rnd();
			break;
		case 1: /* truncate */
			n = 1 + rnd() % n;
			break;
		case 2: /* grow with garbage */
			for (k = 0; k < 64; k++)
				b[n + k] = rnd();
			n += 1 + rnd() % 64;
			break;
		}
		/* Keep the header mostly valid so the parser is reached. */
		flips = 1 + rnd() % 4;
		for (k = 0; k < flips; k++) {
			size_t at = rnd() % n;

			if (at < 8 && rnd() % 4)
				continue;
			b[at] ^= 1 << (rnd() % 8);
		}
		t = raw(self->sock, b, n, &e, -1);
		ASSERT_TRUE(t == TTD_CTL_REPLY_ERR || t == TTD_CTL_REPLY_OK)
		TH_LOG("case %d: no reply (%d)", i, t);
		replies++;
	}
	EXPECT_EQ(3000, replies);
	EXPECT_TRUE(alive(self->d.sock));
}

/* Run fn as uid/gid nobody in a child; its exit code is the result. */
static int as_nobody(int (*fn)(void *), void *arg)
{
	pid_t p = fork();
	int st;

	if (p == 0) {
		if (setgroups(0, NULL) || setresgid(NOBODY, NOBODY, NOBODY) ||
		    setresuid(NOBODY, NOBODY, NOBODY))
			_exit(100);
		_exit(fn(arg));
	}
	if (p < 0 || waitpid(p, &st, 0) != p || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

struct unpriv {
	const char *sock;
	const char *dir;
	uint32_t root_session;
};

/* Exit codes: 0 all refused as expected, else the failed step. */
static int unpriv_checks(void *arg)
{
	unsigned char reply[TTD_CTL_MAX_MSG];
	struct unpriv *u = arg;
	struct ctl_iter it;
	struct ctl_attr a;
	struct ctl_msg m;
	uint32_t e = 0, id = 0;
	char out[192], err[128];
	struct start s = { .npids = 1 };
	pid_t one = 1, self_pid = getpid();
	size_t rl;
	int sock, own;

	sock = ctl_connect(u->sock);
	if (sock < 0)
		return 1;
	snprintf(out, sizeof(out), "%s/nobody.ttd", u->dir);
	s.output = out;
	/* Another user's process. */
	s.pids = &one;
	if (trace_start(u->sock, &s, &own, &id, err, sizeof(err)) != -EPERM)
		return 2;
	/* Another user's session. */
	ctl_msg_init(&m, TTD_CTL_TRACE_STOP, 1);
	ctl_put_u32(&m, TTD_CTL_A_SESSION, u->root_session);
	if (request(sock, &m, -1, &e, NULL, NULL) != TTD_CTL_REPLY_ERR ||
	    e != EPERM)
		return 3;
	/* Another user's cgroup. */
	s.npids = 0;
	s.cgroup = "/sys/fs/cgroup/unified";
	if (!access(s.cgroup, F_OK) &&
	    trace_start(u->sock, &s, &own, &id, err, sizeof(err)) != -EPERM)
		return 4;
	/* Status hides other users' sessions. */
	ctl_msg_init(&m, TTD_CTL_STATUS, 1);
	if (request(sock, &m, -1, &e, reply, &rl) != TTD_CTL_REPLY_OK)
		return 5;
	ctl_iter_init(&it, reply, rl);
	while (ctl_iter_next(&it, &a) > 0)
		if (a.type == TTD_CTL_A_SESSION_INFO)
			return 6;
	/* Its own process is allowed: the check is not "deny all". */
	s.cgroup = NULL;
	s.npids = 1;
	s.pids = &self_pid;
	if (trace_start(u->sock, &s, &own, &id, err, sizeof(err)))
		return 7;
	ctl_msg_init(&m, TTD_CTL_TRACE_STOP, 1);
	ctl_put_u32(&m, TTD_CTL_A_SESSION, id);
	if (request(own, &m, -1, &e, NULL, NULL) != TTD_CTL_REPLY_OK)
		return 8;
	if (trace_wait_end(own, 5000, NULL) != TTD_CTL_END_STOPPED)
		return 9;
	return 0;
}

static int sleeper(void *arg)
{
	(void)arg;
	return 0;
}

TEST_F(ctl, unprivileged_user_refused)
{
	struct unpriv u = { .sock = self->d.sock, .dir = self->d.dir };
	struct start s = { .npids = 1 };
	char out[192], err[128];
	struct child c;
	int own;

	/* A session of root's that nobody must not stop or see. */
	snprintf(out, sizeof(out), "%s/root.ttd", self->d.dir);
	s.output = out;
	ASSERT_EQ(0, child_spawn(&c, sleeper, NULL));
	s.pids = &c.pid;
	ASSERT_EQ(0, trace_start(self->d.sock, &s, &own, &u.root_session, err,
				 sizeof(err)))
	TH_LOG("%s", err);
	EXPECT_EQ(0, as_nobody(unpriv_checks, &u));
	child_release(&c);
	child_wait(&c);
	EXPECT_EQ(TTD_CTL_END_EXITED, trace_wait_end(own, 5000, NULL));
	close(own);
	EXPECT_TRUE(alive(self->d.sock));
}

TEST_HARNESS_MAIN
