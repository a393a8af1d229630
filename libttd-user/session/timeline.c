// SPDX-License-Identifier: GPL-2.0
/*
 * Time travel over a replay (see timeline.h).
 *
 * The active process is where the debugger looks.  Checkpoints are
 * frozen forks of it, taken by the agent as the replay first passes
 * each multiple of the interval, and they are never run: to go back, a
 * checkpoint forks a copy and the copy runs forward.  Going back to a
 * breakpoint means finding the last place a forward run would have
 * stopped: a copy of the latest earlier checkpoint searches up to the
 * current position, noting such places; if it found none, a copy of
 * the checkpoint before searches up to that one, and so on.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "timeline.h"
#include "replay_session.h"
#include "inject/launch.h"
#include "record/rr.h"

#define DEFAULT_INTERVAL 50000000ULL

struct ckpt {
	uint64_t count;
	int fd;
	int mark; /* a user's checkpoint number, or 0 */
	pid_t pid;
};

#define MAX_QUEUED 64
#define MAX_SPAWNED 4096

/* The debugged processes of a replay, as their agents connect. */
struct tl_set {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int queue[MAX_QUEUED]; /* connections not taken yet */
	int nqueue;
	int aborted; /* the replay is over */
	int all; /* every process, not one */
	struct replay_session *rs;
	struct rr_session *page;
	int (*intr)(void *arg);
	void *intr_arg;
	uint64_t every;
	int spawned[MAX_SPAWNED]; /* children replayed once already */
	int nspawned;
	int pending; /* of them, not connected yet */
};

struct timeline {
	struct tl_set *set;
	int pid; /* recorded */
	int fd; /* the active process */
	struct tl_stop where;
	struct ckpt *ck;
	int nck, cap;
	struct agent_points pts;
	int next_mark;
	uint8_t buf[sizeof(struct agent_msg) + AGENT_MAX_PAYLOAD];
};

/* ---- messages ---- */

static int send_op(int fd, uint32_t op, const uint64_t a[4], const void *p,
		   uint32_t len)
{
	struct agent_msg m = { .op = op, .len = len };
	struct iovec iov[2] = { { &m, sizeof(m) }, { (void *)p, len } };
	struct msghdr mh = { .msg_iov = iov, .msg_iovlen = len ? 2 : 1 };

	if (a)
		memcpy(m.a, a, sizeof(m.a));
	return sendmsg(fd, &mh, MSG_NOSIGNAL) < 0 ? -1 : 0;
}

static void quit(int fd)
{
	if (fd < 0)
		return;
	send_op(fd, AGENT_QUIT, NULL, NULL, 0);
	close(fd);
}

/* Wait for the process's next message, polling for the user's interrupt
 * meanwhile.  Returns the message (in tl->buf) or NULL. */
static struct agent_msg *recv_msg(struct timeline *tl, int fd, int *rfd)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { tl->buf, sizeof(tl->buf) };
	struct msghdr mh = { .msg_iov = &iov,
			     .msg_iovlen = 1,
			     .msg_control = cbuf,
			     .msg_controllen = sizeof(cbuf) };
	struct agent_msg *m = (struct agent_msg *)tl->buf;
	struct pollfd p = { fd, POLLIN, 0 };
	struct cmsghdr *c;
	ssize_t n;

	*rfd = -1;
	/* Also between messages: a run sends checkpoints all along. */
	do {
		struct tl_set *set = tl->set;
		if (set->intr && set->intr(set->intr_arg) && set->page)
			__atomic_store_n(&set->page->interrupt, 1,
					 __ATOMIC_SEQ_CST);
	} while (poll(&p, 1, 100) == 0);
	n = recvmsg(fd, &mh, MSG_CMSG_CLOEXEC);
	c = n > 0 ? CMSG_FIRSTHDR(&mh) : NULL;
	if (c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
		memcpy(rfd, CMSG_DATA(c), sizeof(int));
	if (n < (ssize_t)sizeof(*m) || m->len != (size_t)n - sizeof(*m)) {
		if (*rfd >= 0)
			close(*rfd);
		return NULL;
	}
	return m;
}

/* Keep process fd as a checkpoint at count (closed on failure). */
static struct ckpt *add_ckpt(struct timeline *tl, uint64_t count, int fd,
			     pid_t pid)
{
	int i;

	if (tl->nck == tl->cap) {
		int cap = tl->cap ? 2 * tl->cap : 64;
		struct ckpt *n = realloc(tl->ck, cap * sizeof(*n));
		if (!n) {
			quit(fd);
			return NULL;
		}
		tl->ck = n;
		tl->cap = cap;
	}
	for (i = tl->nck; i > 0 && tl->ck[i - 1].count > count; i--)
		tl->ck[i] = tl->ck[i - 1];
	tl->ck[i] = (struct ckpt){ count, fd, 0, pid };
	tl->nck++;
	return &tl->ck[i];
}

/*
 * Should the child a debugged process forks be replayed, and debugged
 * from the fork on?  The first time only: later runs over the same fork
 * are re-executions.  Not a child that execs (gdb would need exec
 * events; --pid reaches it), nor a vfork child (it shares its parent's
 * memory until then).
 */
static int spawn_once(struct tl_set *set, int child, int vfork)
{
	int yes = set->all && set->nspawned < MAX_SPAWNED && !vfork &&
		  !replay_session_execs(set->rs, child);

	pthread_mutex_lock(&set->lock);
	for (int i = 0; yes && i < set->nspawned; i++)
		if (set->spawned[i] == child)
			yes = 0;
	if (yes) {
		set->spawned[set->nspawned++] = child;
		set->pending++;
	}
	pthread_mutex_unlock(&set->lock);
	return yes;
}

/*
 * A request and its answer (op, or an error).  Checkpoints announced
 * meanwhile are kept.  Returns the answer or NULL.
 */
static struct agent_msg *request(struct timeline *tl, int fd, uint32_t op,
				 const uint64_t a[4], const void *p,
				 uint32_t len, uint32_t want)
{
	struct agent_msg *m;
	int rfd;

	if (send_op(fd, op, a, p, len))
		return NULL;
	for (;;) {
		m = recv_msg(tl, fd, &rfd);
		if (!m)
			return NULL;
		if (m->op == AGENT_CHECKPOINT && rfd >= 0 && want != op) {
			add_ckpt(tl, m->a[0], rfd, (pid_t)m->a[1]);
			continue;
		}
		if (m->op == AGENT_FORKING && want != op) {
			uint64_t yes =
				spawn_once(tl->set, (int)m->a[0], (int)m->a[1]);
			if (send_op(fd, AGENT_FORKING, (uint64_t[4]){ yes },
				    NULL, 0))
				return NULL;
			continue;
		}
		if (m->op == want)
			return m;
		if (rfd >= 0)
			close(rfd);
		errno = m->op == AGENT_ERROR ? (int)m->a[0] : EPROTO;
		return NULL;
	}
}

/* A running copy of a checkpoint (or of any stopped process). */
static int fork_of(struct timeline *tl, int fd, pid_t *pid)
{
	struct agent_msg *m;
	int child;

	if (send_op(fd, AGENT_FORK, NULL, NULL, 0))
		return -1;
	m = recv_msg(tl, fd, &child);
	if (!m || m->op != AGENT_CHECKPOINT || child < 0) {
		if (child >= 0)
			close(child);
		return -1;
	}
	if (pid)
		*pid = (pid_t)m->a[1];
	if (request(tl, child, AGENT_POINTS, NULL, &tl->pts, sizeof(tl->pts),
		    AGENT_POINTS) == NULL) {
		close(child);
		return -1;
	}
	return child;
}

static void become(struct timeline *tl, int fd)
{
	if (tl->fd != fd)
		quit(tl->fd);
	tl->fd = fd;
}

static uint64_t last_ckpt_count(struct timeline *tl)
{
	return tl->nck ? tl->ck[tl->nck - 1].count : 0;
}

/* Run process fd; its stop in st.  New checkpoints are taken only
 * beyond the last one. */
static int run(struct timeline *tl, int fd, struct agent_run *r,
	       struct agent_stop *st)
{
	struct agent_msg *m;

	r->ckpt_every = tl->set->every;
	r->ckpt_after = last_ckpt_count(tl);
	m = request(tl, fd, AGENT_RUN, NULL, r, sizeof(*r), AGENT_STOPPED);
	if (!m || m->len < sizeof(*st))
		return -1;
	memcpy(st, m + 1, sizeof(*st));
	return 0;
}

static void set_where(struct timeline *tl, enum tl_stop_kind kind,
		      const struct agent_stop *st)
{
	struct tl_stop *w = &tl->where;

	memset(w, 0, sizeof(*w));
	w->kind = kind;
	w->tid = st->tid;
	w->count = st->count;
	w->pc = st->pc;
	w->addr = st->addr;
	w->sig = st->sig;
	w->end_status = st->end_status;
	memcpy(w->siginfo, st->siginfo, sizeof(w->siginfo));
	if (st->kind == AGENT_STOP_END)
		w->kind = TL_STOP_END;
}

/* ---- moving ---- */

static int by_tid(const void *a, const void *b)
{
	const struct agent_thread *x = a, *y = b;

	return (x->tid > y->tid) - (x->tid < y->tid);
}

/* The threads of process fd (sorted by tid): how many, or -1. */
static int threads_of(struct timeline *tl, int fd, struct agent_thread *out,
		      int max)
{
	struct agent_msg *m =
		request(tl, fd, AGENT_THREADS, NULL, NULL, 0, AGENT_THREADS);
	int n;

	if (!m)
		return -1;
	n = (int)(m->len / sizeof(*out));
	if (n > max)
		n = max;
	memcpy(out, m + 1, n * sizeof(*out));
	qsort(out, n, sizeof(*out), by_tid);
	return n;
}

/* Thread tid's count in process fd: 0, 1 when it has no such thread
 * (yet), -1 on failure. */
static int thread_count(struct timeline *tl, int fd, int tid, uint64_t *n)
{
	static struct agent_thread th[AGENT_MAX_THREADS];
	int k = threads_of(tl, fd, th, AGENT_MAX_THREADS);

	if (k < 0)
		return -1;
	for (int i = 0; i < k; i++)
		if (th[i].tid == tid) {
			*n = th[i].count;
			return 0;
		}
	return 1;
}

/* The latest checkpoint at or before count in which thread tid had run
 * at most tid_count instructions (tid 0: any). */
static struct ckpt *ckpt_before(struct timeline *tl, uint64_t count, int tid,
				uint64_t tid_count)
{
	for (int i = tl->nck - 1; i >= 0; i--) {
		uint64_t n;
		int r;

		if (tl->ck[i].count > count)
			continue;
		if (!tid)
			return &tl->ck[i];
		r = thread_count(tl, tl->ck[i].fd, tid, &n);
		if (r < 0)
			return NULL;
		if (r == 1 || n <= tid_count)
			return &tl->ck[i];
	}
	return NULL;
}

/*
 * Make a running copy of checkpoint c the present, stopped where run r
 * (a search) ends: its target, or a signal due there.
 */
static int restore(struct timeline *tl, const struct ckpt *c,
		   struct agent_run *r, enum tl_stop_kind kind)
{
	struct agent_stop st;
	int fd = fork_of(tl, c->fd, NULL);

	if (fd < 0)
		return -1;
	r->mode = AGENT_RUN_SEARCH;
	if (run(tl, fd, r, &st)) {
		quit(fd);
		return -1;
	}
	become(tl, fd);
	set_where(tl, st.kind == AGENT_STOP_SIGNAL ? TL_STOP_SIGNAL : kind,
		  &st);
	return 0;
}

/* Replay from the last checkpoint before a target to it. */
static int travel(struct timeline *tl, struct agent_run *r, uint64_t before,
		  enum tl_stop_kind kind)
{
	struct ckpt *c = ckpt_before(tl, before, r->tid, r->tid_count);

	return c ? restore(tl, c, r, kind) : -1;
}

int timeline_goto(struct timeline *tl, uint64_t count)
{
	struct agent_run r = { .end = count };

	return travel(tl, &r, count, TL_STOP_STEP);
}

/* Thread tid about to run its instruction number tid_count. */
static int goto_thread(struct timeline *tl, int tid, uint64_t tid_count,
		       uint64_t before, enum tl_stop_kind kind)
{
	struct agent_run r = { .tid = tid,
			       .tid_count = tid_count,
			       .end = UINT64_MAX };

	return travel(tl, &r, before, kind);
}

/* Make the place a run found (hit) the present. */
static int goto_hit(struct timeline *tl, const struct agent_hit *h, int forward)
{
	static const enum tl_stop_kind kinds[] = {
		[AGENT_STOP_BREAK] = TL_STOP_BREAK,
		[AGENT_STOP_WATCH] = TL_STOP_WATCH,
		[AGENT_STOP_SIGNAL] = TL_STOP_SIGNAL,
	};
	uint64_t tc = h->tid_count;

	if (h->kind >= sizeof(kinds) / sizeof(kinds[0]) || !kinds[h->kind])
		return -1;
	if (h->kind == AGENT_STOP_SIGNAL) {
		if (timeline_goto(tl, h->count))
			return -1;
	} else {
		/* A write is seen after it going forward, before it going
		 * back, as a debugger on the live program would. */
		if (h->kind == AGENT_STOP_WATCH && forward)
			tc++;
		if (goto_thread(tl, h->tid, tc, h->count, kinds[h->kind]))
			return -1;
	}
	tl->where.kind = kinds[h->kind];
	tl->where.addr = h->addr;
	return 0;
}

/* The first checkpoint is the start of the history. */
static int begin(struct timeline *tl)
{
	struct agent_run r = { .end = tl->nck ? tl->ck[0].count : 0 };

	if (!tl->nck || restore(tl, &tl->ck[0], &r, TL_STOP_BEGIN))
		return -1;
	tl->where.kind = TL_STOP_BEGIN;
	return 0;
}

static int forward(struct timeline *tl, struct agent_run *r)
{
	struct agent_stop st;
	static const enum tl_stop_kind kinds[] = {
		[AGENT_STOP_TARGET] = TL_STOP_STEP,
		[AGENT_STOP_BREAK] = TL_STOP_BREAK,
		[AGENT_STOP_SIGNAL] = TL_STOP_SIGNAL,
		[AGENT_STOP_INTERRUPT] = TL_STOP_INTERRUPT,
		[AGENT_STOP_END] = TL_STOP_END,
		[AGENT_STOP_FORK] = TL_STOP_FORK,
	};

	r->mode = AGENT_RUN_STOP;
	if (run(tl, tl->fd, r, &st))
		return -1;
	if (st.kind == AGENT_STOP_WATCH)
		return goto_hit(tl, &st.hit, 1);
	if (st.kind >= sizeof(kinds) / sizeof(kinds[0]) || !kinds[st.kind])
		return -1;
	set_where(tl, kinds[st.kind], &st);
	return 0;
}

static int reverse_continue(struct timeline *tl)
{
	uint64_t end = tl->where.count;

	for (int i = tl->nck - 1; i >= 0; i--) {
		struct agent_run r = { .mode = AGENT_RUN_SEARCH, .end = end };
		struct agent_stop st;
		int fd;

		if (tl->ck[i].count >= end)
			continue;
		fd = fork_of(tl, tl->ck[i].fd, NULL);
		if (fd < 0 || run(tl, fd, &r, &st)) {
			quit(fd);
			return -1;
		}
		if (st.kind == AGENT_STOP_INTERRUPT) {
			become(tl, fd);
			set_where(tl, TL_STOP_INTERRUPT, &st);
			return 0;
		}
		quit(fd);
		if (st.hit.kind)
			return goto_hit(tl, &st.hit, 0);
		end = tl->ck[i].count;
	}
	return begin(tl);
}

int timeline_continue(struct timeline *tl, int reverse)
{
	struct agent_run r = { .end = UINT64_MAX };

	if (reverse)
		return reverse_continue(tl);
	return forward(tl, &r);
}

int timeline_step(struct timeline *tl, int tid, int reverse)
{
	struct agent_run r = { .end = UINT64_MAX };
	uint64_t n, first = 0;

	if (!tid)
		tid = tl->where.tid;
	if (thread_count(tl, tl->fd, tid, &n))
		return -1;
	if (!reverse) {
		r.tid = tid;
		r.tid_count = n + 1;
		return forward(tl, &r);
	}
	/* A thread there at the start (the first one counts earlier
	 * images too) cannot go back beyond its count there. */
	if (tl->nck && thread_count(tl, tl->ck[0].fd, tid, &first))
		first = 0;
	if (n <= first || tl->where.count == 0)
		return begin(tl);
	return goto_thread(tl, tid, n - 1, tl->where.count - 1, TL_STOP_STEP);
}

/* ---- marks ---- */

int timeline_mark(struct timeline *tl)
{
	pid_t pid;
	int fd = fork_of(tl, tl->fd, &pid);
	struct ckpt *c;

	/* A copy that is never run is a checkpoint. */
	if (fd < 0 || !(c = add_ckpt(tl, tl->where.count, fd, pid)))
		return -1;
	c->mark = ++tl->next_mark;
	return c->mark;
}

int timeline_restart(struct timeline *tl, int mark)
{
	for (int i = 0; mark && i < tl->nck; i++) {
		struct agent_run r = { .end = tl->ck[i].count };

		if (tl->ck[i].mark == mark)
			return restore(tl, &tl->ck[i], &r, TL_STOP_STEP);
	}
	errno = ENOENT;
	return -1;
}

/* ---- state ---- */

int timeline_regs(struct timeline *tl, int tid, struct agent_regs *r,
		  size_t size)
{
	struct agent_msg *m =
		request(tl, tl->fd, AGENT_REGS, (uint64_t[4]){ (uint64_t)tid },
			NULL, 0, AGENT_REGS);

	if (!m || m->len < sizeof(*r) || m->len > size)
		return -1;
	memcpy(r, m + 1, m->len);
	return 0;
}

long timeline_mem(struct timeline *tl, uint64_t addr, void *buf, size_t len)
{
	long done = 0;

	while ((size_t)done < len) {
		size_t n =
			len - done < AGENT_MAX_MEM ? len - done : AGENT_MAX_MEM;
		struct agent_msg *m = request(tl, tl->fd, AGENT_MEM,
					      (uint64_t[4]){ addr + done, n },
					      NULL, 0, AGENT_MEM);
		if (!m)
			return done ? done : -EIO;
		memcpy((char *)buf + done, m + 1, m->len);
		done += m->len;
		if (m->len < n)
			break;
	}
	return done;
}

int timeline_threads(struct timeline *tl, struct agent_thread *out, int max)
{
	return threads_of(tl, tl->fd, out, max);
}

int timeline_exe(struct timeline *tl, char *buf, size_t size)
{
	struct agent_msg *m =
		request(tl, tl->fd, AGENT_EXE, NULL, NULL, 0, AGENT_EXE);

	if (!m || !m->len || m->len >= size)
		return -1;
	memcpy(buf, m + 1, m->len);
	buf[m->len] = 0;
	return 0;
}

long timeline_auxv(struct timeline *tl, void *buf, size_t len)
{
	struct agent_msg *m =
		request(tl, tl->fd, AGENT_AUXV, NULL, NULL, 0, AGENT_AUXV);

	if (!m)
		return -EIO;
	if (len > m->len)
		len = m->len;
	memcpy(buf, m + 1, len);
	return (long)len;
}

int timeline_set_points(struct timeline *tl, const struct agent_points *p)
{
	struct agent_msg *m;

	tl->pts = *p;
	m = request(tl, tl->fd, AGENT_POINTS, NULL, p, sizeof(*p),
		    AGENT_POINTS);
	if (!m)
		return -EIO;
	return -(int)m->a[0];
}

const struct agent_points *timeline_points(struct timeline *tl)
{
	return &tl->pts;
}

const struct tl_stop *timeline_where(struct timeline *tl)
{
	return &tl->where;
}

int timeline_pid(struct timeline *tl)
{
	return tl->pid;
}

void tl_set_interval(struct tl_set *set, uint64_t n)
{
	set->every = n ? n : DEFAULT_INTERVAL;
}

void tl_set_interrupt(struct tl_set *set, int (*fn)(void *arg), void *arg)
{
	set->intr = fn;
	set->intr_arg = arg;
}

/* Proportional set size of the checkpoint processes, from smaps. */
int timeline_checkpoints(struct timeline *tl, uint64_t *kb)
{
	*kb = 0;
	for (int i = 0; i < tl->nck; i++) {
		char path[64], line[256];
		FILE *f;

		snprintf(path, sizeof(path), "/proc/%d/smaps_rollup",
			 tl->ck[i].pid);
		f = fopen(path, "re");
		if (!f)
			continue;
		while (fgets(line, sizeof(line), f))
			if (!strncmp(line, "Pss:", 4))
				*kb += strtoull(line + 4, NULL, 10);
		fclose(f);
	}
	return tl->nck;
}

/* ---- life ---- */

static void got_conn(void *arg, pid_t pid, int fd)
{
	struct tl_set *set = arg;

	(void)pid;
	pthread_mutex_lock(&set->lock);
	if (set->nqueue < MAX_QUEUED && !set->aborted)
		set->queue[set->nqueue++] = fd;
	else
		quit(fd); /* the session is over */
	pthread_cond_broadcast(&set->cond);
	pthread_mutex_unlock(&set->lock);
}

struct tl_set *tl_set_new(struct replay_session *rs, int pid)
{
	struct tl_set *set = calloc(1, sizeof(*set));
	int sfd = replay_session_hooks(rs)->session_fd;

	if (!set)
		return NULL;
	pthread_mutex_init(&set->lock, NULL);
	pthread_cond_init(&set->cond, NULL);
	set->every = DEFAULT_INTERVAL;
	set->all = !pid;
	set->rs = rs;
	if (sfd >= 0) {
		set->page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED,
				 sfd, 0);
		if (set->page == MAP_FAILED)
			set->page = NULL;
	}
	if (replay_session_debug(rs, pid, got_conn, set)) {
		if (set->page)
			munmap(set->page, 4096);
		free(set);
		return NULL;
	}
	return set;
}

/* A connection queued within timeout_ms, or -1. */
static int take_conn(struct tl_set *set, int timeout_ms)
{
	struct timespec ts;
	int fd = -1;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += timeout_ms / 1000;
	ts.tv_nsec += (timeout_ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&set->lock);
	while (!set->nqueue && !set->aborted && timeout_ms > 0)
		if (pthread_cond_timedwait(&set->cond, &set->lock, &ts))
			break;
	if (set->nqueue) {
		fd = set->queue[0];
		memmove(set->queue, set->queue + 1,
			--set->nqueue * sizeof(set->queue[0]));
		if (set->pending)
			set->pending--;
	}
	pthread_mutex_unlock(&set->lock);
	return fd;
}

/* A timeline for a process that connected: its hello, and its first
 * checkpoint, the start of its history. */
static struct timeline *timeline_of(struct tl_set *set, int fd)
{
	struct timeline *tl = calloc(1, sizeof(*tl));
	struct agent_msg *m;
	struct agent_hello h;
	pid_t pid;
	int rfd;

	if (!tl) {
		close(fd);
		return NULL;
	}
	tl->set = set;
	tl->fd = fd;
	m = recv_msg(tl, fd, &rfd);
	if (!m || m->op != AGENT_HELLO || m->len < sizeof(h))
		goto fail;
	memcpy(&h, m + 1, sizeof(h));
	tl->pid = h.pid;
	tl->where.kind = TL_STOP_STEP;
	tl->where.tid = h.tid;
	tl->where.count = h.count;
	tl->where.pc = h.pc;
	tl->where.end_status = -1;
	rfd = fork_of(tl, fd, &pid);
	if (rfd < 0)
		goto fail;
	add_ckpt(tl, h.count, rfd, pid);
	return tl;
fail:
	timeline_free(tl);
	return NULL;
}

struct timeline *tl_set_next(struct tl_set *set, int timeout_ms)
{
	int fd = take_conn(set, timeout_ms);

	return fd < 0 ? NULL : timeline_of(set, fd);
}

void tl_set_abort(struct tl_set *set)
{
	pthread_mutex_lock(&set->lock);
	set->aborted = 1;
	pthread_cond_broadcast(&set->cond);
	pthread_mutex_unlock(&set->lock);
}

int tl_set_pending(struct tl_set *set)
{
	int n;

	pthread_mutex_lock(&set->lock);
	n = set->pending;
	pthread_mutex_unlock(&set->lock);
	return n;
}

void tl_set_free_queued(struct tl_set *set)
{
	int fd;

	while ((fd = take_conn(set, 0)) >= 0)
		quit(fd);
}

void tl_set_free(struct tl_set *set)
{
	if (!set)
		return;
	tl_set_free_queued(set);
	if (set->page)
		munmap(set->page, 4096);
	free(set);
}

void timeline_end(struct timeline *tl)
{
	for (int i = 0; i < tl->nck; i++)
		quit(tl->ck[i].fd);
	tl->nck = 0;
	quit(tl->fd);
	tl->fd = -1;
}

void timeline_free(struct timeline *tl)
{
	if (!tl)
		return;
	timeline_end(tl);
	free(tl->ck);
	free(tl);
}
