// SPDX-License-Identifier: GPL-2.0
/*
 * Event-level tests of ttdd and its kernel backend (BPF on a host without
 * ttd.ko): a private ttdd traces real programs and the recording is read
 * back record by record.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <liburing.h>

#include "util.h"

#include "kselftest_harness.h"

#define PAGE 4096
#define NPONG 3

/* ---- workloads, run by children once released ---- */

struct pipes {
	int ping[2];
	int pong[2];
	int rounds;
};

static void *pong(void *arg)
{
	struct pipes *p = arg;
	char b;
	int i;

	for (i = 0; i < p->rounds; i++)
		if (read(p->ping[0], &b, 1) != 1 ||
		    write(p->pong[1], &b, 1) != 1)
			break;
	return NULL;
}

/* Main thread and NPONG threads pass a byte around: many switches. */
static int threads_workload(void *arg)
{
	int rounds = arg ? *(int *)arg : 2000;
	struct pipes p[NPONG];
	pthread_t t[NPONG];
	char b = 'x';
	int i, k;

	for (k = 0; k < NPONG; k++) {
		p[k].rounds = rounds;
		if (pipe(p[k].ping) || pipe(p[k].pong) ||
		    pthread_create(&t[k], NULL, pong, &p[k]))
			return 1;
	}
	for (i = 0; i < rounds; i++)
		for (k = 0; k < NPONG; k++)
			if (write(p[k].ping[1], &b, 1) != 1 ||
			    read(p[k].pong[0], &b, 1) != 1)
				return 1;
	for (k = 0; k < NPONG; k++)
		pthread_join(t[k], NULL);
	return 0;
}

struct shm_maps {
	char path[128];
	char *file, *memfd, *sysv, *priv;
	size_t len;
	int shmid;
};

static int touch_maps(void *arg)
{
	struct shm_maps *m = arg;
	size_t i;

	for (i = 0; i < m->len; i += PAGE) {
		m->file[i] = 1;
		m->memfd[i] = 2;
		m->sysv[i] = 3;
		m->priv[i] = 4;
	}
	return 0;
}

static int map_all(struct shm_maps *m, const char *dir)
{
	int fd;

	m->len = 4 * PAGE;
	snprintf(m->path, sizeof(m->path), "%s/shared-file", dir);
	fd = open(m->path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || ftruncate(fd, m->len))
		return -1;
	m->file = mmap(NULL, m->len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	fd = memfd_create("ttdd-test", MFD_CLOEXEC);
	if (fd < 0 || ftruncate(fd, m->len))
		return -1;
	m->memfd =
		mmap(NULL, m->len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	m->shmid = shmget(IPC_PRIVATE, m->len, IPC_CREAT | 0600);
	if (m->shmid < 0)
		return -1;
	m->sysv = shmat(m->shmid, NULL, 0);
	shmctl(m->shmid, IPC_RMID, NULL);
	m->priv = mmap(NULL, m->len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m->file == MAP_FAILED || m->memfd == MAP_FAILED ||
	    m->sysv == (void *)-1 || m->priv == MAP_FAILED)
		return -1;
	return 0;
}

static int faults_in(const struct recs *r, pid_t pid, const char *base,
		     size_t len, bool write)
{
	uint64_t lo = (uint64_t)base, hi = lo + len;
	int n = 0;
	size_t i;

	for (i = 0; i < r->n; i++) {
		const struct ttd_rec_fault *f = &r->v[i].fault;

		if (f->hdr.type != TTD_REC_FAULT || f->hdr.pid != pid ||
		    f->address < lo || f->address >= hi)
			continue;
		if (!(f->vm_kind & TTD_VM_SHARED))
			continue;
		if (write && !(f->hdr.flags & TTD_FAULT_WRITE))
			continue;
		n++;
	}
	return n;
}

static void on_usr1(int sig)
{
	(void)sig;
}

/* fork + exec a child, take a signal with a handler, exit with 3. */
static int lifecycle_workload(void *arg)
{
	pid_t c;
	int st;

	(void)arg;
	signal(SIGUSR1, on_usr1);
	c = fork();
	if (c == 0) {
		execl("/bin/true", "true", (char *)NULL);
		_exit(127);
	}
	if (c < 0 || waitpid(c, &st, 0) != c)
		return 1;
	raise(SIGUSR1);
	return 3;
}

static int busy_workload(void *arg)
{
	int rounds = 1 << 30;

	(void)arg;
	return threads_workload(&rounds);
}

/* ---- fixture: a private ttdd per test ---- */

FIXTURE(ttdd)
{
	struct ttdd_proc d;
	char out[192];
};

FIXTURE_SETUP(ttdd)
{
	int e;

	if (geteuid())
		SKIP(return, "needs root (loads BPF programs)");
	e = ttdd_start(&self->d);
	ASSERT_EQ(0, e)
	TH_LOG("ttdd did not start: %s (see %s/ttdd.log)", strerror(-e),
	       self->d.dir);
	snprintf(self->out, sizeof(self->out), "%s/trace.ttd", self->d.dir);
}

FIXTURE_TEARDOWN(ttdd)
{
	ttdd_cleanup(&self->d);
}

static void load(struct __test_metadata *_metadata, const char *path,
		 struct recs *r)
{
	char err[256] = "";

	ASSERT_EQ(0, recs_load(path, r, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(0, r->iter_err) TH_LOG("reading %s: %s", path, err);
}

/* The switch-outs of tid that were its last (it was dead). */
static int final_switch_outs(const struct recs *r, pid_t tid)
{
	size_t i;
	int n = 0;

	for (i = 0; i < r->n; i++) {
		const union ttd_rec_any *x = &r->v[i];

		if (x->h.type == TTD_REC_SWITCH && x->sw.prev_tid == tid &&
		    x->sw.prev_state == TTD_STATE_DEAD &&
		    (x->h.flags & TTD_SWITCH_PREV_TRACED))
			n++;
	}
	return n;
}

TEST_F(ttdd, traced_threads_have_events_untraced_none)
{
	struct child traced, other;
	struct start s = { .npids = 1, .output = self->out };
	struct recs r;
	char err[256] = "";
	uint64_t events = 0;
	uint32_t id;
	size_t i, sw = 0, threads = 0, exits = 0, stray = 0, last_out = 0;
	pid_t last_tid = 0;
	int sock;

	ASSERT_EQ(0, child_spawn(&traced, threads_workload, NULL));
	ASSERT_EQ(0, child_spawn(&other, threads_workload, NULL));
	s.pids = &traced.pid;
	ASSERT_EQ(0,
		  trace_start(self->d.sock, &s, &sock, &id, err, sizeof(err)))
	TH_LOG("%s", err);
	child_release(&traced);
	child_release(&other);
	ASSERT_EQ(0, child_wait(&traced));
	ASSERT_EQ(0, child_wait(&other));
	ASSERT_EQ(TTD_CTL_END_EXITED, trace_wait_end(sock, 10000, &events));
	close(sock);
	load(_metadata, self->out, &r);
	EXPECT_TRUE(r.complete);
	EXPECT_EQ(events, r.n);
	for (i = 0; i < r.n; i++) {
		const union ttd_rec_any *x = &r.v[i];

		/*
		 * A switch between a traced and an untraced task names the
		 * untraced one only when it is switched in; anything else
		 * about the untraced process is a leak.
		 */
		if (x->h.type == TTD_REC_SWITCH) {
			if (x->sw.prev_pid == traced.pid ||
			    x->sw.next_pid == traced.pid)
				sw++;
			else
				stray++;
			if (x->sw.prev_pid == other.pid)
				stray++;
		} else if (rec_mentions(x, other.pid)) {
			stray++;
		}
		if (x->h.type == TTD_REC_FORK && x->h.pid == traced.pid &&
		    (x->h.flags & TTD_FORK_THREAD))
			threads++;
		if (x->h.type == TTD_REC_EXIT && x->h.pid == traced.pid &&
		    (x->h.flags & TTD_EXIT_GROUP)) {
			exits++;
			last_tid = x->h.tid;
		}
	}
	/* The last thread's final switch-out follows its exit record. */
	last_out = final_switch_outs(&r, last_tid);
	EXPECT_EQ(1, last_out) TH_LOG("final switch-out of tid %d", last_tid);
	EXPECT_EQ(0, stray) TH_LOG("records of the untraced pid %d", other.pid);
	/* 2000 rounds through 3 threads switch at least once per hop. */
	EXPECT_GE(sw, 2000);
	EXPECT_EQ(NPONG, threads);
	EXPECT_EQ(1, exits);
	EXPECT_GE(r.cpu_streams, 1);
	recs_free(&r);
}

/* Does x concern pid p (a switch from or to it, or a record about it)? */
static bool concerns(const union ttd_rec_any *x, pid_t p)
{
	if (x->h.type == TTD_REC_SWITCH)
		return x->sw.prev_pid == p || x->sw.next_pid == p;
	return rec_mentions(x, p);
}

/* Two sessions at once: each recording gets its own process's records. */
TEST_F(ttdd, concurrent_sessions_route_records)
{
	struct start s = { .npids = 1 };
	struct child c[2];
	struct recs r[2];
	char out[2][224], err[256] = "";
	uint32_t id[2];
	int sock[2], k;
	size_t i, mine, stray;

	for (k = 0; k < 2; k++) {
		ASSERT_EQ(0, child_spawn(&c[k], threads_workload, NULL));
		snprintf(out[k], sizeof(out[k]), "%s/trace%d.ttd", self->d.dir,
			 k);
		s.pids = &c[k].pid;
		s.output = out[k];
		ASSERT_EQ(0, trace_start(self->d.sock, &s, &sock[k], &id[k],
					 err, sizeof(err)))
		TH_LOG("%s", err);
	}
	for (k = 0; k < 2; k++)
		child_release(&c[k]);
	for (k = 0; k < 2; k++) {
		ASSERT_EQ(0, child_wait(&c[k]));
		ASSERT_EQ(TTD_CTL_END_EXITED,
			  trace_wait_end(sock[k], 10000, NULL));
		close(sock[k]);
	}
	for (k = 0; k < 2; k++) {
		load(_metadata, out[k], &r[k]);
		mine = stray = 0;
		for (i = 0; i < r[k].n; i++) {
			const union ttd_rec_any *x = &r[k].v[i];

			if (x->h.type == TTD_REC_LOST)
				continue;
			if (concerns(x, c[k].pid))
				mine++;
			else
				stray++;
		}
		EXPECT_EQ(0, stray) TH_LOG("session %d: records of others", k);
		EXPECT_GE(recs_count(&r[k], TTD_REC_SWITCH, c[k].pid), 2000);
		EXPECT_GT(mine, 0);
		recs_free(&r[k]);
	}
}

/*
 * A second session on a process that the first one has been tracing for a
 * while: the BPF switch hook's per-CPU cache of the process's sessions
 * must not keep serving the first one alone.  ttd.ko puts a process in
 * one group only, so the kmod backend refuses the second session.
 */
TEST_F(ttdd, second_session_joins_a_running_trace)
{
	struct start s = { .npids = 1 };
	struct child c;
	struct recs r;
	char out[2][224], err[256] = "";
	uint32_t id[2];
	int sock[2], k;

	if (getenv("TTDD_BACKEND") && strcmp(getenv("TTDD_BACKEND"), "bpf"))
		SKIP(return, "one session per process with this backend");
	ASSERT_EQ(0, child_spawn(&c, busy_workload, NULL));
	s.pids = &c.pid;
	for (k = 0; k < 2; k++) {
		snprintf(out[k], sizeof(out[k]), "%s/trace%d.ttd", self->d.dir,
			 k);
		s.output = out[k];
		ASSERT_EQ(0, trace_start(self->d.sock, &s, &sock[k], &id[k],
					 err, sizeof(err)))
		TH_LOG("%s", err);
		if (k == 0)
			child_release(&c);
		usleep(300000);
	}
	kill(c.pid, SIGKILL);
	child_wait(&c);
	for (k = 0; k < 2; k++) {
		EXPECT_EQ(TTD_CTL_END_EXITED,
			  trace_wait_end(sock[k], 10000, NULL));
		close(sock[k]);
	}
	for (k = 0; k < 2; k++) {
		load(_metadata, out[k], &r);
		EXPECT_GE(recs_count(&r, TTD_REC_SWITCH, c.pid), 1000)
		TH_LOG("session %d", k);
		recs_free(&r);
	}
}

TEST_F(ttdd, shared_mapping_faults)
{
	struct shm_maps m;
	struct child c;
	struct recs r;
	struct stat st;
	char err[256] = "";
	size_t i;
	int status, end;

	ASSERT_EQ(0, map_all(&m, self->d.dir));
	ASSERT_EQ(0, stat(m.path, &st));
	ASSERT_EQ(0, trace_child(self->d.sock, self->out, touch_maps, &m, &c,
				 &status, &end, err, sizeof(err)))
	TH_LOG("%s", err);
	ASSERT_EQ(0, status);
	ASSERT_EQ(TTD_CTL_END_EXITED, end);
	load(_metadata, self->out, &r);
	/* The child's first write to each shared page faults (CoW-free). */
	EXPECT_GE(faults_in(&r, c.pid, m.file, m.len, true), 1);
	EXPECT_GE(faults_in(&r, c.pid, m.memfd, m.len, true), 1);
	EXPECT_GE(faults_in(&r, c.pid, m.sysv, m.len, true), 1);
	for (i = 0; i < r.n; i++) {
		const struct ttd_rec_fault *f = &r.v[i].fault;
		uint64_t a = f->address;

		if (f->hdr.type != TTD_REC_FAULT)
			continue;
		EXPECT_FALSE(a >= (uint64_t)m.priv &&
			     a < (uint64_t)m.priv + m.len)
		TH_LOG("fault reported in a private mapping");
		if (a >= (uint64_t)m.file && a < (uint64_t)m.file + m.len) {
			EXPECT_EQ(st.st_ino, f->ino);
			EXPECT_EQ((a - (uint64_t)m.file) / PAGE, f->pgoff);
			EXPECT_EQ((uint64_t)m.file, f->vm_start);
		}
	}
	recs_free(&r);
}

TEST_F(ttdd, fork_exec_exit_signal)
{
	struct child c;
	struct recs r;
	char err[256] = "";
	pid_t grandchild = 0;
	size_t i, exec = 0, gen = 0, del = 0, exit3 = 0;
	int status, end;

	ASSERT_EQ(0, trace_child(self->d.sock, self->out, lifecycle_workload,
				 NULL, &c, &status, &end, err, sizeof(err)))
	TH_LOG("%s", err);
	ASSERT_EQ(3, status);
	ASSERT_EQ(TTD_CTL_END_EXITED, end);
	load(_metadata, self->out, &r);
	for (i = 0; i < r.n; i++) {
		const union ttd_rec_any *x = &r.v[i];

		if (x->h.type == TTD_REC_FORK && x->h.pid == c.pid &&
		    !(x->h.flags & TTD_FORK_THREAD))
			grandchild = x->fork.child_pid;
	}
	ASSERT_NE(0, grandchild) TH_LOG("no fork record");
	for (i = 0; i < r.n; i++) {
		const union ttd_rec_any *x = &r.v[i];

		if (x->h.type == TTD_REC_EXEC && x->h.pid == grandchild &&
		    !strcmp(x->exec.filename, "/bin/true"))
			exec++;
		if (x->h.type == TTD_REC_SIGNAL_GENERATE &&
		    x->gen.sig == SIGUSR1 && x->gen.target_pid == c.pid)
			gen++;
		if (x->h.type == TTD_REC_SIGNAL_DELIVER &&
		    x->del.sig == SIGUSR1 && x->h.pid == c.pid &&
		    x->del.handler == (uint64_t)on_usr1)
			del++;
		if (x->h.type == TTD_REC_EXIT && x->h.pid == c.pid &&
		    (x->h.flags & TTD_EXIT_GROUP) &&
		    x->exit.exit_code == 3 << 8)
			exit3++;
	}
	EXPECT_EQ(1, exec);
	EXPECT_EQ(1, gen);
	EXPECT_EQ(1, del);
	EXPECT_EQ(1, exit3);
	recs_free(&r);
}

#define IO_READS 4

/*
 * Reads forced to io-wq workers (IOSQE_ASYNC; /dev/zero cannot be
 * polled, so a worker does each read): the kernel starts iou-wrk threads
 * in the traced process, without the fork tracepoint.
 */
static int io_workload(void *arg)
{
	static char buf[IO_READS][4096];
	struct io_uring_cqe *cqe;
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	int fd, i;

	(void)arg;
	fd = open("/dev/zero", O_RDONLY);
	if (fd < 0 || io_uring_queue_init(8, &ring, 0))
		return 10;
	for (i = 0; i < IO_READS; i++) {
		sqe = io_uring_get_sqe(&ring);
		io_uring_prep_read(sqe, fd, buf[i], sizeof(buf[i]), 0);
		sqe->flags |= IOSQE_ASYNC;
	}
	if (io_uring_submit(&ring) != IO_READS)
		return 11;
	for (i = 0; i < IO_READS; i++) {
		if (io_uring_wait_cqe(&ring, &cqe) || cqe->res != 4096)
			return 12;
		io_uring_cqe_seen(&ring, cqe);
	}
	io_uring_queue_exit(&ring);
	return 0;
}

static size_t switches_of(const struct recs *r, pid_t tid)
{
	size_t i, n = 0;

	for (i = 0; i < r->n; i++)
		if (r->v[i].h.type == TTD_REC_SWITCH &&
		    (r->v[i].sw.prev_tid == tid || r->v[i].sw.next_tid == tid))
			n++;
	return n;
}

TEST_F(ttdd, io_uring_threads_are_traced)
{
	struct child c;
	struct recs r;
	char err[256] = "";
	size_t i, io = 0;
	int status, end;

	ASSERT_EQ(0, trace_child(self->d.sock, self->out, io_workload, NULL, &c,
				 &status, &end, err, sizeof(err)))
	TH_LOG("%s", err);
	ASSERT_EQ(0, status);
	ASSERT_EQ(TTD_CTL_END_EXITED, end);
	load(_metadata, self->out, &r);
	for (i = 0; i < r.n; i++) {
		const union ttd_rec_any *x = &r.v[i];

		if (x->h.type != TTD_REC_FORK || x->h.pid != c.pid ||
		    !(x->h.flags & TTD_FORK_IO_THREAD))
			continue;
		io++;
		EXPECT_TRUE(x->h.flags & TTD_FORK_THREAD);
		EXPECT_EQ(c.pid, x->fork.child_pid);
		EXPECT_LT(0, switches_of(&r, x->fork.child_tid))
		TH_LOG("no switch of io_uring thread %d", x->fork.child_tid);
	}
	EXPECT_LT(0, io) TH_LOG("no fork record of an io_uring thread");
	recs_free(&r);
}

static int pin_cpu0(void)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(0, &set);
	return sched_setaffinity(0, sizeof(set), &set);
}

static int exit_on_cpu0(void *arg)
{
	(void)arg;
	return pin_cpu0() ? 1 : 0;
}

static void spin_ms(long ms)
{
	struct timespec a, b;

	clock_gettime(CLOCK_MONOTONIC, &a);
	do {
		clock_gettime(CLOCK_MONOTONIC, &b);
	} while ((b.tv_sec - a.tv_sec) * 1000 +
			 (b.tv_nsec - a.tv_nsec) / 1000000 <
		 ms);
}

/*
 * A process's exit record comes before it wakes its parent, and its final
 * switch-out after.  Here the parent is real-time on the same CPU: on a
 * kernel that preempts there (PREEMPT_RT, preempt=full) it takes the CPU
 * from the dying thread between the two, and keeps it for 300 ms.  ttdd
 * must not end the session, which stops the recording of its tasks,
 * until that final switch-out is in.  (Where the kernel does not preempt
 * there, the switch comes first and the test is easy.)
 */
TEST_F(ttdd, final_switch_out_of_a_preempted_exit)
{
	struct sched_param rt = { .sched_priority = 10 }, other = { 0 };
	struct start s = { .npids = 1, .output = self->out };
	char err[256] = "";
	cpu_set_t all;
	struct child c;
	struct recs r;
	uint32_t id;
	int sock, st, end;
	size_t i;
	pid_t last = 0;

	ASSERT_EQ(0, sched_getaffinity(0, sizeof(all), &all));
	ASSERT_EQ(0, child_spawn(&c, exit_on_cpu0, NULL));
	s.pids = &c.pid;
	ASSERT_EQ(0,
		  trace_start(self->d.sock, &s, &sock, &id, err, sizeof(err)))
	TH_LOG("%s", err);
	ASSERT_EQ(0, pin_cpu0());
	if (sched_setscheduler(0, SCHED_FIFO, &rt)) {
		child_release(&c);
		child_wait(&c);
		close(sock);
		SKIP(return, "cannot run real-time: %s", strerror(errno));
	}
	child_release(&c);
	st = child_wait(&c);
	spin_ms(300);
	sched_setscheduler(0, SCHED_OTHER, &other);
	sched_setaffinity(0, sizeof(all), &all);
	EXPECT_EQ(0, st);
	end = trace_wait_end(sock, 10000, NULL);
	close(sock);
	ASSERT_EQ(TTD_CTL_END_EXITED, end);
	load(_metadata, self->out, &r);
	for (i = 0; i < r.n; i++)
		if (r.v[i].h.type == TTD_REC_EXIT &&
		    (r.v[i].h.flags & TTD_EXIT_GROUP))
			last = r.v[i].h.tid;
	ASSERT_EQ(c.pid, last);
	EXPECT_EQ(1, final_switch_outs(&r, last));
	recs_free(&r);
}

static const char *cgroup2_root(void)
{
	static const char *const roots[] = { "/sys/fs/cgroup/unified",
					     "/sys/fs/cgroup" };
	char p[128];
	size_t i;

	for (i = 0; i < 2; i++) {
		snprintf(p, sizeof(p), "%s/cgroup.procs", roots[i]);
		if (!access(p, W_OK) && !access(roots[i], W_OK)) {
			snprintf(p, sizeof(p), "%s/cgroup.subtree_control",
				 roots[i]);
			if (!access(p, F_OK))
				return roots[i];
		}
	}
	return NULL;
}

/* CPU time that process pid has used, in clock ticks; -1 if unknown. */
static long cpu_ticks(pid_t pid)
{
	char path[64], buf[512], *p;
	unsigned long ut, st;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	/* Fields 14 and 15, counted from the state after the name. */
	p = strrchr(buf, ')');
	if (!p ||
	    sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu",
		   &ut, &st) != 2)
		return -1;
	return (long)(ut + st);
}

TEST_F(ttdd, cgroup_group)
{
	const char *root = cgroup2_root();
	struct start s = { .output = self->out };
	char cg[192], procs[256], err[256] = "", pid[32];
	struct child c;
	struct recs r;
	uint32_t id;
	int sock, fd, reason;
	long t0;

	if (!root)
		SKIP(return, "no writable cgroup v2 hierarchy");
	snprintf(cg, sizeof(cg), "%s/ttdd-test-%d", root, getpid());
	ASSERT_EQ(0, mkdir(cg, 0755));
	ASSERT_EQ(0, child_spawn(&c, threads_workload, NULL));
	snprintf(procs, sizeof(procs), "%s/cgroup.procs", cg);
	fd = open(procs, O_WRONLY);
	snprintf(pid, sizeof(pid), "%d", c.pid);
	ASSERT_LT(0, write(fd, pid, strlen(pid)));
	close(fd);
	s.cgroup = cg;
	s.duration_ms = 60000;
	ASSERT_EQ(0,
		  trace_start(self->d.sock, &s, &sock, &id, err, sizeof(err)))
	TH_LOG("%s", err);
	child_release(&c);
	ASSERT_EQ(0, child_wait(&c));
	/* An exit does not end a cgroup session, and ttdd must not keep
	 * waking up to ask whether it should (it once spun on it). */
	t0 = cpu_ticks(self->d.pid);
	ASSERT_LE(0, t0);
	sleep(1);
	EXPECT_GT(sysconf(_SC_CLK_TCK) / 4, cpu_ticks(self->d.pid) - t0);
	{
		struct ctl_msg m;
		uint32_t e = 0;
		int other = ctl_connect(self->d.sock);

		ctl_msg_init(&m, TTD_CTL_TRACE_STOP, 1);
		ctl_put_u32(&m, TTD_CTL_A_SESSION, id);
		EXPECT_EQ(TTD_CTL_REPLY_OK,
			  request(other, &m, -1, &e, NULL, NULL));
		close(other);
	}
	reason = trace_wait_end(sock, 10000, NULL);
	close(sock);
	rmdir(cg);
	EXPECT_EQ(TTD_CTL_END_STOPPED, reason);
	load(_metadata, self->out, &r);
	EXPECT_GE(recs_count(&r, TTD_REC_SWITCH, c.pid), 2000);
	recs_free(&r);
}

TEST_F(ttdd, duration_ends_session)
{
	struct start s = { .npids = 1,
			   .output = self->out,
			   .duration_ms = 300 };
	struct child c;
	struct recs r;
	char err[256] = "";
	uint32_t id;
	int sock;

	ASSERT_EQ(0, child_spawn(&c, threads_workload, NULL));
	s.pids = &c.pid;
	ASSERT_EQ(0,
		  trace_start(self->d.sock, &s, &sock, &id, err, sizeof(err)))
	TH_LOG("%s", err);
	/* Not released: the child sleeps in read() for the whole session. */
	EXPECT_EQ(TTD_CTL_END_DURATION, trace_wait_end(sock, 5000, NULL));
	close(sock);
	child_release(&c);
	child_wait(&c);
	load(_metadata, self->out, &r);
	EXPECT_TRUE(r.complete);
	recs_free(&r);
}

TEST_F(ttdd, sigterm_flushes_recordings)
{
	struct start s = { .npids = 1, .output = self->out };
	struct child c;
	struct recs r;
	char err[256] = "";
	uint64_t events = 0;
	uint32_t id;
	int sock, st;

	ASSERT_EQ(0, child_spawn(&c, busy_workload, NULL));
	s.pids = &c.pid;
	ASSERT_EQ(0,
		  trace_start(self->d.sock, &s, &sock, &id, err, sizeof(err)))
	TH_LOG("%s", err);
	child_release(&c);
	usleep(500000);
	st = ttdd_stop(&self->d, SIGTERM);
	EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	EXPECT_EQ(TTD_CTL_END_SHUTDOWN, trace_wait_end(sock, 5000, &events));
	close(sock);
	kill(c.pid, SIGKILL);
	child_wait(&c);
	load(_metadata, self->out, &r);
	EXPECT_TRUE(r.complete);
	EXPECT_GT(r.n, 100);
	EXPECT_EQ(events, r.n);
	recs_free(&r);
}

TEST_F(ttdd, sigkill_while_draining_leaves_readable_prefix)
{
	struct start s = { .npids = 1, .output = self->out };
	struct child c;
	struct recs r;
	struct stat st;
	char err[256] = "";
	uint32_t id;
	int sock, i;

	ASSERT_EQ(0, child_spawn(&c, busy_workload, NULL));
	s.pids = &c.pid;
	ASSERT_EQ(0,
		  trace_start(self->d.sock, &s, &sock, &id, err, sizeof(err)))
	TH_LOG("%s", err);
	child_release(&c);
	/* Wait until several chunks are in the file, then kill mid-drain. */
	for (i = 0; i < 100; i++) {
		usleep(100000);
		if (!stat(self->out, &st) && st.st_size > (1 << 20))
			break;
	}
	ttdd_stop(&self->d, SIGKILL);
	close(sock);
	kill(c.pid, SIGKILL);
	child_wait(&c);
	ASSERT_EQ(0, recs_load(self->out, &r, err, sizeof(err)))
	TH_LOG("%s", err);
	EXPECT_FALSE(r.complete);
	EXPECT_EQ(0, r.iter_err) TH_LOG("%s", err);
	EXPECT_GT(r.n, 1000);
	EXPECT_GE(recs_count(&r, TTD_REC_SWITCH, 0), 1000);
	recs_free(&r);
	/* A restarted ttdd takes over the stale socket. */
	EXPECT_EQ(0, ttdd_start(&self->d));
}

TEST_HARNESS_MAIN
