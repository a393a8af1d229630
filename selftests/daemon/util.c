// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

/* $TTDD_BACKEND: the guest runs these tests against ttd.ko. */
static void exec_ttdd(const struct ttdd_proc *t, const char *bin)
{
	const char *argv[10] = { "ttdd", "--foreground", "--socket", t->sock };
	int n = 4;

	if (getenv("TTDD_BACKEND")) {
		argv[n++] = "--backend";
		argv[n++] = getenv("TTDD_BACKEND");
	}
	if (t->ring_size) {
		argv[n++] = "--ring-size";
		argv[n++] = t->ring_size;
	}
	argv[n] = NULL;
	execv(bin, (char **)argv);
}

int ttdd_start(struct ttdd_proc *t)
{
	const char *build = getenv("BUILD");
	char bin[256], log[160];
	int i, fd;

	snprintf(t->dir, sizeof(t->dir), "/tmp/ttdd-test.XXXXXX");
	if (!mkdtemp(t->dir))
		return -errno;
	chmod(t->dir, 0777);
	snprintf(t->sock, sizeof(t->sock), "%s/ttdd.sock", t->dir);
	snprintf(bin, sizeof(bin), "%s/bin/ttdd", build ? build : "build");
	snprintf(log, sizeof(log), "%s/ttdd.log", t->dir);
	t->pid = fork();
	if (t->pid < 0)
		return -errno;
	if (!t->pid) {
		fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644);
		if (fd >= 0)
			dup2(fd, 2);
		exec_ttdd(t, bin);
		_exit(127);
	}
	for (i = 0; i < 200; i++) {
		fd = ctl_connect(t->sock);
		if (fd >= 0) {
			close(fd);
			return 0;
		}
		if (waitpid(t->pid, NULL, WNOHANG) == t->pid) {
			t->pid = 0;
			return -ECHILD;
		}
		usleep(50000);
	}
	return -ETIMEDOUT;
}

int ttdd_stop(struct ttdd_proc *t, int sig)
{
	int status = -1;

	if (t->pid <= 0)
		return -1;
	kill(t->pid, sig);
	waitpid(t->pid, &status, 0);
	t->pid = 0;
	return status;
}

void ttdd_cleanup(struct ttdd_proc *t)
{
	char cmd[128];

	if (t->pid > 0)
		ttdd_stop(t, SIGKILL);
	if (getenv("TTDD_TEST_KEEP"))
		return;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", t->dir);
	if (system(cmd))
		fprintf(stderr, "# could not remove %s\n", t->dir);
}

int request(int sock, struct ctl_msg *m, int fd, uint32_t *err_no,
	    unsigned char *reply, size_t *rlen)
{
	unsigned char buf[TTD_CTL_MAX_MSG];
	struct ttd_ctl_hdr h;
	const char *why, *msg;
	int n;

	n = ctl_send(sock, m, fd);
	if (n)
		return n;
	do {
		n = ctl_recv(sock, buf, &h, &why);
		if (n < 0)
			return n;
	} while (h.type == TTD_CTL_SESSION_END);
	if (h.type == TTD_CTL_REPLY_ERR && err_no)
		*err_no = ctl_reply_error(buf + sizeof(h), n, &msg);
	if (reply) {
		memcpy(reply, buf + sizeof(h), n);
		*rlen = n;
	}
	return h.type;
}

int trace_start(const char *path, const struct start *s, int *sock,
		uint32_t *id, char *err, size_t errlen)
{
	unsigned char buf[TTD_CTL_MAX_MSG];
	struct ttd_ctl_hdr h;
	struct ctl_iter it;
	struct ctl_attr a;
	struct ctl_msg m;
	const char *why = "";
	const char *want = getenv("TTDD_BACKEND");
	int fd, n, i;

	*sock = ctl_connect(path);
	if (*sock < 0)
		return *sock;
	fd = open(s->output, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		n = -errno;
		goto fail;
	}
	ctl_msg_init(&m, TTD_CTL_TRACE_START, 7);
	for (i = 0; i < s->npids; i++)
		ctl_put_u32(&m, TTD_CTL_A_PID, s->pids[i]);
	if (s->cgroup)
		ctl_put_str(&m, TTD_CTL_A_CGROUP, s->cgroup);
	if (s->duration_ms)
		ctl_put_u64(&m, TTD_CTL_A_DURATION_MS, s->duration_ms);
	if (s->flags)
		ctl_put_u32(&m, TTD_CTL_A_FLAGS, s->flags);
	n = ctl_send(*sock, &m, fd);
	close(fd);
	if (n)
		goto fail;
	n = ctl_recv(*sock, buf, &h, &why);
	if (n < 0)
		goto fail;
	if (h.type == TTD_CTL_REPLY_ERR) {
		n = -(int)ctl_reply_error(buf + sizeof(h), n, &why);
		snprintf(err, errlen, "%s", why);
		goto fail;
	}
	ctl_iter_init(&it, buf + sizeof(h), n);
	while (ctl_iter_next(&it, &a) > 0) {
		if (a.type == TTD_CTL_A_SESSION)
			ctl_attr_u32(&a, id);
		if (a.type == TTD_CTL_A_BACKEND && want &&
		    strcmp(ctl_attr_str(&a) ? ctl_attr_str(&a) : "", want)) {
			snprintf(err, errlen,
				 "ttdd uses the %s backend, not %s",
				 ctl_attr_str(&a), want);
			n = -EPROTO;
			goto fail;
		}
	}
	return 0;
fail:
	close(*sock);
	*sock = -1;
	return n;
}

int trace_wait_end(int sock, int timeout_ms, uint64_t *events)
{
	unsigned char buf[TTD_CTL_MAX_MSG];
	struct pollfd p = { .fd = sock, .events = POLLIN };
	struct ttd_ctl_hdr h;
	struct ctl_iter it, in;
	struct ctl_attr a, b;
	const char *why;
	uint32_t reason = 0;
	int n;

	for (;;) {
		n = poll(&p, 1, timeout_ms);
		if (n <= 0)
			return n ? -errno : -ETIMEDOUT;
		n = ctl_recv(sock, buf, &h, &why);
		if (n < 0)
			return n;
		if (h.type == TTD_CTL_SESSION_END)
			break;
	}
	ctl_iter_init(&it, buf + sizeof(h), n);
	while (ctl_iter_next(&it, &a) > 0) {
		if (a.type == TTD_CTL_A_REASON)
			ctl_attr_u32(&a, &reason);
		if (a.type != TTD_CTL_A_SESSION_INFO || !events)
			continue;
		ctl_iter_nested(&in, &a);
		while (ctl_iter_next(&in, &b) > 0)
			if (b.type == TTD_CTL_A_EVENTS)
				ctl_attr_u64(&b, events);
	}
	return reason;
}

int child_spawn(struct child *c, int (*fn)(void *), void *arg)
{
	int p[2];
	char b;

	if (pipe2(p, O_CLOEXEC))
		return -errno;
	c->pid = fork();
	if (c->pid < 0)
		return -errno;
	if (!c->pid) {
		close(p[1]);
		if (read(p[0], &b, 1) != 1)
			_exit(126);
		_exit(fn(arg));
	}
	close(p[0]);
	c->go_fd = p[1];
	return 0;
}

void child_release(struct child *c)
{
	if (write(c->go_fd, "g", 1) != 1)
		perror("child_release");
	close(c->go_fd);
}

int child_wait(struct child *c)
{
	int st;

	if (waitpid(c->pid, &st, 0) != c->pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int recs_load(const char *path, struct recs *r, char *err, size_t errlen)
{
	const struct ttd_stream_info *si;
	struct ttd_reader *rd;
	struct ttd_iter *it;
	struct ttd_event ev;
	size_t cap = 0;
	unsigned int i;
	int e;

	memset(r, 0, sizeof(*r));
	e = ttd_reader_open(&rd, path, err, errlen);
	if (e)
		return e;
	r->complete = ttd_reader_recovery(rd)->complete;
	for (i = 0; i < ttd_reader_nstreams(rd); i++) {
		si = ttd_reader_stream(rd, i);
		if (si->kind == TTD_STREAM_CPU)
			r->cpu_streams++;
	}
	e = ttd_iter_open(rd, TTD_ALL_STREAMS, 0, UINT64_MAX, &it);
	if (e) {
		snprintf(err, errlen, "%s", ttd_reader_strerror(rd));
		ttd_reader_close(rd);
		return e;
	}
	while ((e = ttd_iter_next(it, &ev)) > 0) {
		si = ttd_reader_find_stream(rd, ev.stream);
		if (!si || si->kind != TTD_STREAM_CPU ||
		    ev.len < sizeof(struct ttd_rec_header))
			continue;
		if (r->n == cap) {
			union ttd_rec_any *v;

			cap = cap ? cap * 2 : 1024;
			v = realloc(r->v, cap * sizeof(*v));
			if (!v) {
				e = -ENOMEM;
				break;
			}
			r->v = v;
		}
		memset(&r->v[r->n], 0, sizeof(r->v[0]));
		memcpy(&r->v[r->n], ev.payload,
		       ev.len < TTD_REC_MAX_SIZE ? ev.len : TTD_REC_MAX_SIZE);
		r->n++;
	}
	if (e < 0) {
		r->iter_err = e;
		snprintf(err, errlen, "%s", ttd_reader_strerror(rd));
	}
	ttd_iter_close(it);
	ttd_reader_close(rd);
	return 0;
}

void recs_free(struct recs *r)
{
	free(r->v);
	memset(r, 0, sizeof(*r));
}

bool rec_mentions(const union ttd_rec_any *r, pid_t pid)
{
	if (r->h.pid == pid)
		return true;
	switch (r->h.type) {
	case TTD_REC_SWITCH:
		return r->sw.next_pid == pid || r->sw.prev_pid == pid;
	case TTD_REC_FORK:
		return r->fork.child_pid == pid;
	case TTD_REC_SIGNAL_GENERATE:
		return r->gen.target_pid == pid;
	default:
		return false;
	}
}

size_t recs_count(const struct recs *r, unsigned int type, pid_t pid)
{
	size_t i, n = 0;

	for (i = 0; i < r->n; i++)
		if (r->v[i].h.type == type && (!pid || r->v[i].h.pid == pid))
			n++;
	return n;
}

int trace_child(const char *sock_path, const char *out, int (*fn)(void *),
		void *arg, struct child *c, int *status, int *end, char *err,
		size_t errlen)
{
	struct start s = { .npids = 1, .output = out };
	uint32_t id;
	int e, sock;

	e = child_spawn(c, fn, arg);
	if (e)
		return e;
	s.pids = &c->pid;
	e = trace_start(sock_path, &s, &sock, &id, err, errlen);
	child_release(c);
	*status = child_wait(c);
	if (e)
		return e;
	*end = trace_wait_end(sock, 10000, NULL);
	close(sock);
	return 0;
}
