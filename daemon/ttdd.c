// SPDX-License-Identifier: GPL-2.0
/*
 * ttdd: the ttd daemon.  Loads a kernel backend, accepts control requests
 * on a unix socket, and drains the per-CPU rings into the recordings of
 * the running trace sessions.  Everything happens on one thread around
 * one io_uring: polls on the signalfd, the listening and client sockets
 * and the backend's descriptors (which turn readable when the rings fill
 * up), plus a timeout at the first of these moments: the backend's
 * longest wait between drains, the next time chunks are sealed, the
 * earliest session deadline, a check for a session's last process soon
 * after an exit.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <systemd/sd-daemon.h>

#include "ctl_msg.h"
#include "log.h"
#include "ttdd.h"

#ifndef TTD_VERSION
#define TTD_VERSION "0.1"
#endif

#define FLUSH_NS (1000 * 1000000ULL)
/*
 * After a process exit, ttdd asks whether the session has any process
 * left, but only once the exiting thread's final switch-out is drained:
 * it comes after the exit record (later still when the thread is
 * preempted on its way out), and ending the session deletes its groups,
 * which would stop that switch from being recorded.  Until then it
 * drains this often.
 */
#define DYING_POLL_NS (10 * 1000000ULL)
#define DEFAULT_RING_BYTES (4u << 20)

enum watch_kind {
	W_NONE = 0, /* completions that need no action */
	W_SIGNAL,
	W_LISTEN,
	W_CLIENT,
	W_RING,
	W_TICK,
};

static uint64_t udata(enum watch_kind k, uint32_t gen, uint32_t idx)
{
	return (uint64_t)k << 56 | (uint64_t)(gen & 0xffffff) << 32 | idx;
}

static struct io_uring_sqe *get_sqe(struct ttdd *d)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&d->ring);

	if (!sqe) {
		io_uring_submit(&d->ring);
		sqe = io_uring_get_sqe(&d->ring);
	}
	return sqe;
}

static void arm_poll(struct ttdd *d, int fd, uint64_t data)
{
	struct io_uring_sqe *sqe = get_sqe(d);

	io_uring_prep_poll_add(sqe, fd, POLLIN);
	io_uring_sqe_set_data64(sqe, data);
}

/* Absolute io_uring timeouts count CLOCK_MONOTONIC, as mono_ns() does. */
static void ns_to_ts(struct __kernel_timespec *ts, uint64_t ns)
{
	ts->tv_sec = ns / 1000000000ULL;
	ts->tv_nsec = ns % 1000000000ULL;
}

/* A process of s has exited: recount once its final switch-out is in.
 * (A cgroup session does not end when its tasks exit.) */
static bool exit_pending(const struct session *s)
{
	return s->npids && s->exit_seen;
}

static uint64_t next_tick_ns(struct ttdd *d, uint64_t now)
{
	uint64_t t = now + d->be->drain_ns, u;
	struct session *s;
	int i;

	if (d->last_flush_ns + FLUSH_NS < t)
		t = d->last_flush_ns + FLUSH_NS;
	for (i = 0; i < BACKEND_MAX_SLOTS; i++) {
		s = d->sessions[i];
		if (!s)
			continue;
		if (s->deadline_ns && s->deadline_ns < t)
			t = s->deadline_ns;
		if (exit_pending(s)) {
			u = session_dying(s, now) ? now + DYING_POLL_NS : now;
			if (u < t)
				t = u;
		}
	}
	return t;
}

static void arm_tick(struct ttdd *d)
{
	struct io_uring_sqe *sqe = get_sqe(d);

	d->tick_at = next_tick_ns(d, mono_ns());
	ns_to_ts(&d->tick_ts, d->tick_at);
	io_uring_prep_timeout(sqe, &d->tick_ts, 0, IORING_TIMEOUT_ABS);
	io_uring_sqe_set_data64(sqe, udata(W_TICK, 0, 0));
}

void ttdd_reschedule(struct ttdd *d)
{
	uint64_t t = next_tick_ns(d, mono_ns());
	struct io_uring_sqe *sqe;

	if (t >= d->tick_at)
		return;
	d->tick_at = t;
	ns_to_ts(&d->tick_upd_ts, t);
	sqe = get_sqe(d);
	/* Fails harmlessly when the tick has fired: it rearms itself. */
	io_uring_prep_timeout_update(sqe, &d->tick_upd_ts, udata(W_TICK, 0, 0),
				     IORING_TIMEOUT_ABS);
	io_uring_sqe_set_data64(sqe, udata(W_NONE, 0, 0));
}

int ttdd_send(struct client *c, struct ctl_msg *m)
{
	int e = ctl_msg_finish(m);
	ssize_t n;

	if (e)
		return e;
	/* Replies are small; a client that does not read them is dropped. */
	n = send(c->fd, m->buf, m->len, MSG_NOSIGNAL | MSG_DONTWAIT);
	return n < 0 ? -errno : 0;
}

void ttdd_session_info(struct ttdd *d, struct ctl_msg *m, struct session *s)
{
	int i;

	ctl_nest_begin(m, TTD_CTL_A_SESSION_INFO);
	ctl_put_u32(m, TTD_CTL_A_SESSION, s->id);
	ctl_put_u32(m, TTD_CTL_A_UID, s->owner.uid);
	for (i = 0; i < s->npids; i++)
		ctl_put_u32(m, TTD_CTL_A_PID, s->pids[i]);
	if (s->cgroup)
		ctl_put_str(m, TTD_CTL_A_CGROUP, s->cgroup);
	ctl_put_u32(m, TTD_CTL_A_FLAGS, s->flags);
	ctl_put_u64(m, TTD_CTL_A_EVENTS, s->events);
	ctl_put_u64(m, TTD_CTL_A_LOST, s->lost);
	ctl_put_u64(m, TTD_CTL_A_ELAPSED_MS,
		    (mono_ns() - s->start_ns) / 1000000);
	if (s->deadline_ns)
		ctl_put_u64(m, TTD_CTL_A_DURATION_MS,
			    (s->deadline_ns - s->start_ns) / 1000000);
	ctl_nest_end(m);
}

static int route(void *ctx, uint64_t slots, const struct ttd_rec_header *rec)
{
	struct ttdd *d = ctx;

	d->drained++;
	while (slots) {
		unsigned int slot = __builtin_ctzll(slots);

		slots &= slots - 1;
		if (d->sessions[slot])
			session_record(d->sessions[slot], rec);
	}
	return 0;
}

void ttdd_drain(struct ttdd *d)
{
	long n = d->be->ops->drain(d->be, route, d);
	uint64_t flush = d->be->flush_slots;
	uint64_t exited = d->be->exit_slots;
	uint64_t slots = flush | exited;
	struct session *s;
	unsigned int i;

	if (n < 0)
		log_err("draining the rings failed: %s", strerror(-n));
	d->be->flush_slots = 0;
	d->be->exit_slots = 0;
	for (; slots; slots &= slots - 1) {
		i = __builtin_ctzll(slots);
		s = d->sessions[i];
		if (!s)
			continue;
		if (exited >> i & 1)
			s->exit_seen = true;
		/* A traced task is being killed: its last records go to
		 * disk now. */
		if (flush >> i & 1)
			session_flush(s);
	}
}

static struct client *client_of(struct ttdd *d, struct session *s)
{
	struct client *c;

	if (s->client < 0)
		return NULL;
	c = &d->clients[s->client];
	return c->used && c->gen == s->client_gen ? c : NULL;
}

static const char *const reason_names[] = {
	[TTD_CTL_END_STOPPED] = "stopped",
	[TTD_CTL_END_DURATION] = "duration elapsed",
	[TTD_CTL_END_EXITED] = "traced processes exited",
	[TTD_CTL_END_SHUTDOWN] = "ttdd stopping",
	[TTD_CTL_END_ERROR] = "write error",
	[TTD_CTL_END_HANGUP] = "client disconnected",
};

void ttdd_end_session(struct ttdd *d, unsigned int slot, unsigned int reason)
{
	struct session *s = d->sessions[slot];
	struct client *c = client_of(d, s);
	char err[256] = "";
	struct ctl_msg m;
	uint32_t id = s->id;
	int e;

	/* Stop producing, then take what the rings still hold. */
	session_stop(s);
	ttdd_drain(d);
	if (s->err)
		reason = TTD_CTL_END_ERROR;
	ctl_msg_init(&m, TTD_CTL_SESSION_END, 0);
	ttdd_session_info(d, &m, s);
	ctl_put_u32(&m, TTD_CTL_A_REASON, reason);
	log_info("session %u ended (%s): %llu events, %llu lost", id,
		 reason_names[reason], (unsigned long long)s->events,
		 (unsigned long long)s->lost);
	d->sessions[slot] = NULL;
	e = session_finish(s, err, sizeof(err));
	if (e) {
		log_err("session %u: finishing the recording failed: %s", id,
			err[0] ? err : strerror(-e));
		ctl_put_u32(&m, TTD_CTL_A_ERRNO, -e);
		ctl_put_str(&m, TTD_CTL_A_MSG, err[0] ? err : strerror(-e));
	}
	if (c)
		ttdd_send(c, &m);
}

static void drop_client(struct ttdd *d, struct client *c)
{
	int i;

	for (i = 0; i < BACKEND_MAX_SLOTS; i++)
		if (d->sessions[i] && client_of(d, d->sessions[i]) == c)
			ttdd_end_session(d, i, TTD_CTL_END_HANGUP);
	close(c->fd);
	c->used = false;
	c->gen++;
}

/*
 * On SOCK_SEQPACKET, recvmsg() returns 0 both at end of file and for an
 * empty packet.  Only a hang-up tells them apart; an empty packet is a
 * malformed request and gets its error reply like any other.
 */
static bool peer_gone(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLRDHUP };

	return poll(&p, 1, 0) != 0 &&
	       (p.revents & (POLLHUP | POLLRDHUP | POLLERR | POLLNVAL));
}

/* Read every waiting packet; false when the client is gone. */
static bool client_read(struct ttdd *d, struct client *c)
{
	union {
		char buf[CMSG_SPACE(sizeof(int) * 8)];
		struct cmsghdr align;
	} ctrl;
	unsigned char buf[TTD_CTL_MAX_MSG];
	struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
	struct msghdr mh;
	struct cmsghdr *cm;
	ssize_t n;
	int fd, i, nfd;

	for (;;) {
		memset(&mh, 0, sizeof(mh));
		mh.msg_iov = &iov;
		mh.msg_iovlen = 1;
		mh.msg_control = ctrl.buf;
		mh.msg_controllen = sizeof(ctrl.buf);
		n = recvmsg(c->fd, &mh,
			    MSG_DONTWAIT | MSG_TRUNC | MSG_CMSG_CLOEXEC);
		if (n < 0)
			return errno == EAGAIN || errno == EINTR;
		if (n == 0 && peer_gone(c->fd))
			return false;
		/* Keep the first descriptor passed; close any others. */
		fd = -1;
		for (cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
			if (cm->cmsg_level != SOL_SOCKET ||
			    cm->cmsg_type != SCM_RIGHTS)
				continue;
			nfd = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
			for (i = 0; i < nfd; i++) {
				int f;

				memcpy(&f, CMSG_DATA(cm) + i * sizeof(int),
				       sizeof(int));
				if (fd < 0)
					fd = f;
				else
					close(f);
			}
		}
		ctl_handle(d, c, buf, (size_t)n, fd);
		if (!c->used)
			return false;
	}
}

static void accept_clients(struct ttdd *d)
{
	struct client *c;
	int fd, i;

	while ((fd = accept4(d->listen_fd, NULL, NULL,
			     SOCK_CLOEXEC | SOCK_NONBLOCK)) >= 0) {
		for (i = 0; i < TTDD_MAX_CLIENTS && d->clients[i].used; i++)
			;
		if (i == TTDD_MAX_CLIENTS) {
			log_warn("too many control connections; refusing one");
			close(fd);
			continue;
		}
		c = &d->clients[i];
		if (peer_identify(fd, &c->peer)) {
			close(fd);
			continue;
		}
		c->fd = fd;
		c->used = true;
		arm_poll(d, fd, udata(W_CLIENT, c->gen, i));
	}
}

static void on_signal(struct ttdd *d)
{
	struct signalfd_siginfo si;

	while (read(d->sig_fd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGHUP) {
			log_info("SIGHUP: nothing to reload");
			continue;
		}
		log_info("%s: stopping", strsignal(si.ssi_signo));
		d->stopping = true;
	}
}

static void on_tick(struct ttdd *d)
{
	uint64_t now;
	struct session *s;
	int i;

	ttdd_drain(d);
	now = mono_ns();
	for (i = 0; i < BACKEND_MAX_SLOTS; i++) {
		s = d->sessions[i];
		if (!s)
			continue;
		if (s->err)
			ttdd_end_session(d, i, TTD_CTL_END_ERROR);
		else if (s->deadline_ns && now >= s->deadline_ns)
			ttdd_end_session(d, i, TTD_CTL_END_DURATION);
		else if (exit_pending(s) && !session_dying(s, now) &&
			 (s->exit_seen = false,
			  !d->be->ops->slot_nr_pids(d->be, s->slot)))
			ttdd_end_session(d, i, TTD_CTL_END_EXITED);
	}
	if (now - d->last_flush_ns < FLUSH_NS)
		return;
	d->last_flush_ns = now;
	for (i = 0; i < BACKEND_MAX_SLOTS; i++) {
		s = d->sessions[i];
		if (!s)
			continue;
		session_flush(s);
		/* Recount now and then: a full ring in drop mode may have
		 * lost the exit record that would have said to. */
		if (s->npids)
			s->exit_seen = true;
	}
}

static void dispatch(struct ttdd *d, uint64_t data)
{
	enum watch_kind k = data >> 56;
	uint32_t gen = data >> 32 & 0xffffff;
	uint32_t idx = (uint32_t)data;
	struct client *c;

	switch (k) {
	case W_SIGNAL:
		on_signal(d);
		arm_poll(d, d->sig_fd, data);
		break;
	case W_LISTEN:
		accept_clients(d);
		arm_poll(d, d->listen_fd, data);
		break;
	case W_CLIENT:
		if (idx >= TTDD_MAX_CLIENTS)
			break;
		c = &d->clients[idx];
		if (!c->used || (c->gen & 0xffffff) != gen)
			break; /* a completion for a closed connection */
		if (client_read(d, c))
			arm_poll(d, c->fd, data);
		else if (c->used)
			drop_client(d, c);
		break;
	case W_RING:
		if (idx >= d->npoll)
			break;
		ttdd_drain(d);
		/* An exit seen: the tick checks for the last process soon. */
		ttdd_reschedule(d);
		arm_poll(d, d->poll_fds[idx], data);
		break;
	case W_TICK:
		on_tick(d);
		arm_tick(d);
		break;
	case W_NONE:
		break;
	}
}

static int run(struct ttdd *d)
{
	struct io_uring_cqe *cqe;
	unsigned int head, n, i;
	int e;

	arm_poll(d, d->sig_fd, udata(W_SIGNAL, 0, 0));
	arm_poll(d, d->listen_fd, udata(W_LISTEN, 0, 0));
	d->npoll = (unsigned int)d->be->ops->poll_fds(d->be, d->poll_fds);
	for (i = 0; i < d->npoll; i++)
		arm_poll(d, d->poll_fds[i], udata(W_RING, 0, i));
	arm_tick(d);
	while (!d->stopping) {
		e = io_uring_submit_and_wait(&d->ring, 1);
		if (e < 0 && e != -EINTR && e != -EBUSY) {
			log_err("io_uring: %s", strerror(-e));
			return e;
		}
		n = 0;
		io_uring_for_each_cqe(&d->ring, head, cqe)
		{
			dispatch(d, cqe->user_data);
			n++;
			if (d->stopping)
				break;
		}
		io_uring_cq_advance(&d->ring, n);
	}
	return 0;
}

static void shutdown_all(struct ttdd *d)
{
	int i;

	sd_notify(0, "STOPPING=1");
	for (i = 0; i < BACKEND_MAX_SLOTS; i++)
		if (d->sessions[i])
			ttdd_end_session(d, i, TTD_CTL_END_SHUTDOWN);
	for (i = 0; i < TTDD_MAX_CLIENTS; i++)
		if (d->clients[i].used)
			drop_client(d, &d->clients[i]);
}

static int mkdir_parent(const char *path)
{
	char dir[PATH_MAX];
	char *slash;

	if (strlen(path) >= sizeof(dir))
		return -ENAMETOOLONG;
	strcpy(dir, path);
	slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return 0;
	*slash = '\0';
	if (mkdir(dir, 0755) && errno != EEXIST)
		return -errno;
	return 0;
}

/* A socket file nobody answers on is left over from a crash. */
static int stale_socket(const struct sockaddr_un *sa)
{
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	int alive;

	if (fd < 0)
		return 0;
	alive = !connect(fd, (const struct sockaddr *)sa, sizeof(*sa));
	close(fd);
	return !alive;
}

static int open_socket(struct ttdd *d)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd, e;

	if (sd_listen_fds(1) == 1) {
		d->listen_fd = SD_LISTEN_FDS_START;
		fcntl(d->listen_fd, F_SETFL, O_NONBLOCK);
		return 0;
	}
	if (strlen(d->sock_path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	strcpy(sa.sun_path, d->sock_path);
	e = mkdir_parent(d->sock_path);
	if (e)
		return e;
	if (!access(d->sock_path, F_OK)) {
		if (!stale_socket(&sa))
			return -EADDRINUSE;
		unlink(d->sock_path);
	}
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	/* Anyone may connect; each request is checked against its sender. */
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    chmod(d->sock_path, 0666) || listen(fd, 64)) {
		e = -errno;
		close(fd);
		return e;
	}
	d->listen_fd = fd;
	d->own_socket = true;
	return 0;
}

static int open_signals(struct ttdd *d)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &set, NULL))
		return -errno;
	signal(SIGPIPE, SIG_IGN);
	d->sig_fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	return d->sig_fd < 0 ? -errno : 0;
}

static void usage(FILE *f)
{
	fputs("usage: ttdd [OPTIONS]\n\n"
	      "The ttd daemon: traces task groups for ttdctl.\n\n"
	      "  -f, --foreground      do not detach; log to stderr\n"
	      "  -s, --socket PATH     control socket (default " TTD_CTL_DEFAULT_SOCKET
	      ")\n"
	      "  -b, --backend KIND    auto, bpf or kmod (default auto)\n"
	      "  -m, --ring-mode MODE  drop (newest records lost when a ring\n"
	      "                        is full, default) or overwrite (oldest;\n"
	      "                        kmod only)\n"
	      "  -r, --ring-size BYTES per-CPU ring size, a power of two\n"
	      "                        (default 4M; K and M suffixes)\n"
	      "  -v, --verbose         log debug messages\n"
	      "  -h, --help            this text\n"
	      "  -V, --version         print the version\n",
	      f);
}

static int parse_size(const char *s, size_t *out)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s)
		return -EINVAL;
	if (*end == 'K' || *end == 'k')
		v <<= 10, end++;
	else if (*end == 'M' || *end == 'm')
		v <<= 20, end++;
	if (*end || v < 4096 || v > (1ULL << 30) || (v & (v - 1)))
		return -EINVAL;
	*out = v;
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "foreground", no_argument, NULL, 'f' },
		{ "socket", required_argument, NULL, 's' },
		{ "backend", required_argument, NULL, 'b' },
		{ "ring-size", required_argument, NULL, 'r' },
		{ "ring-mode", required_argument, NULL, 'm' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ 0 },
	};
	struct backend_opts bo = { .kind = "auto",
				   .ring_bytes = DEFAULT_RING_BYTES };
	static struct ttdd d = { .sock_path = TTD_CTL_DEFAULT_SOCKET };
	int foreground = 0, verbose = 0, c, e;

	while ((c = getopt_long(argc, argv, "fs:b:r:m:vhV", opts, NULL)) !=
	       -1) {
		switch (c) {
		case 'f':
			foreground = 1;
			break;
		case 's':
			d.sock_path = optarg;
			break;
		case 'b':
			bo.kind = optarg;
			break;
		case 'r':
			if (parse_size(optarg, &bo.ring_bytes)) {
				fprintf(stderr,
					"ttdd: bad ring size '%s': a "
					"power of two from 4K to 1G\n",
					optarg);
				return 2;
			}
			break;
		case 'm':
			if (!strcmp(optarg, "drop")) {
				bo.ring_mode = TTD_RING_DROP;
			} else if (!strcmp(optarg, "overwrite")) {
				bo.ring_mode = TTD_RING_OVERWRITE;
			} else {
				fprintf(stderr,
					"ttdd: bad ring mode '%s': drop "
					"or overwrite\n",
					optarg);
				return 2;
			}
			break;
		case 'v':
			verbose = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("ttdd %s\n", TTD_VERSION);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc ||
	    (strcmp(bo.kind, "auto") && strcmp(bo.kind, "bpf") &&
	     strcmp(bo.kind, "kmod"))) {
		usage(stderr);
		return 2;
	}
	log_init(0, verbose);
	if (geteuid()) {
		log_err("must run as root (loads BPF programs, reads any "
			"process's credentials)");
		return 1;
	}
	e = open_signals(&d);
	if (!e)
		e = backend_open(&d.be, &bo);
	if (e) {
		log_err("no kernel backend: %s", strerror(-e));
		return 1;
	}
	e = open_socket(&d);
	if (e) {
		log_err("control socket %s: %s", d.sock_path, strerror(-e));
		d.be->ops->close(d.be);
		return 1;
	}
	if (!foreground) {
		if (daemon(0, 0)) {
			log_err("daemon: %s", strerror(errno));
			return 1;
		}
		log_init(1, verbose);
	}
	e = io_uring_queue_init(256, &d.ring, 0);
	if (e) {
		log_err("io_uring: %s", strerror(-e));
		return 1;
	}
	log_info("ready: backend %s, %u CPUs, socket %s", d.be->ops->name,
		 d.be->ncpus, d.sock_path);
	sd_notifyf(0, "READY=1\nSTATUS=tracing with the %s backend",
		   d.be->ops->name);
	d.last_flush_ns = mono_ns();
	e = run(&d);
	shutdown_all(&d);
	io_uring_queue_exit(&d.ring);
	if (d.own_socket)
		unlink(d.sock_path);
	close(d.listen_fd);
	d.be->ops->close(d.be);
	log_info("stopped");
	return e ? 1 : 0;
}
