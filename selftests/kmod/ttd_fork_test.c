// SPDX-License-Identifier: GPL-2.0
/*
 * Tasks created after tracing starts: threads, child processes and the
 * io_uring threads the kernel starts inside a process (io-wq workers and
 * the SQPOLL thread) each get one fork record and one switch notifier;
 * and the fork hook keeps tracking when its allocations fail, from its
 * reserve, until a burst of forks empties it.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ttd_kmod.h"

#define MAX_TIDS 256

/* Shared between the test and its traced child. */
struct tids {
	int n;
	pid_t tid[MAX_TIDS];
	char comm[MAX_TIDS][32];
};

static struct tids *tids_new(void)
{
	struct tids *t = mmap(NULL, sizeof(*t), PROT_READ | PROT_WRITE,
			      MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (t == MAP_FAILED)
		return NULL;
	memset(t, 0, sizeof(*t));
	return t;
}

static void tids_add(struct tids *t, pid_t tid, const char *comm)
{
	int i = __sync_fetch_and_add(&t->n, 1);

	if (i >= MAX_TIDS)
		return;
	t->tid[i] = tid;
	snprintf(t->comm[i], sizeof(t->comm[i]), "%s", comm);
}

/* The caller's threads whose name starts with @prefix. */
static void tids_of_comm(struct tids *t, const char *prefix)
{
	char path[64], comm[32];
	struct dirent *d;
	DIR *dir;
	FILE *f;

	dir = opendir("/proc/self/task");
	if (!dir)
		return;
	while ((d = readdir(dir))) {
		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/self/task/%d/comm",
			 atoi(d->d_name));
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(comm, sizeof(comm), f) &&
		    !strncmp(comm, prefix, strlen(prefix))) {
			comm[strcspn(comm, "\n")] = 0;
			tids_add(t, atoi(d->d_name), comm);
		}
		fclose(f);
	}
	closedir(dir);
}

/* Fork records made for @tid, with the flags of the last in @flags. */
static int forks_of(const struct ttd_recs *rs, pid_t tid, uint16_t *flags)
{
	int n = 0;
	size_t k;

	for (k = 0; k < rs->n; k++) {
		const struct ttd_rec_fork *fk = (const void *)rs->v[k];

		if (fk->hdr.type == TTD_REC_FORK && fk->child_tid == tid) {
			*flags = fk->hdr.flags;
			n++;
		}
	}
	return n;
}

static int exits_of(const struct ttd_recs *rs, pid_t tid)
{
	int n = 0;
	size_t k;

	for (k = 0; k < rs->n; k++) {
		if (rs->v[k]->type == TTD_REC_EXIT && rs->v[k]->tid == tid)
			n++;
	}
	return n;
}

/* Trace @fn in a child from before it starts; its records, in time order,
 * in @rs.  Returns the child's wait status. */
static int trace_run(struct __test_metadata *_metadata, int (*fn)(void *),
		     void *arg, struct ttd_recs *rs, pid_t *pid)
{
	struct ttd_rings r;
	struct ttd_child c;
	struct ttd_nl nl;
	uint32_t id;
	int st;

	EXPECT_EQ(0, ttd_nl_open(&nl));
	EXPECT_EQ(0, ttd_rings_open(&r));
	EXPECT_LE(0, ttd_rings_drain(&r, ttd_recs_collect, rs));
	ttd_recs_free(rs);
	EXPECT_EQ(0, ttd_child_start(&c, fn, arg));
	EXPECT_EQ(0, ttd_add_pid(&nl, c.pid, TTD_CLASS_ALL, 0, &id));
	st = ttd_child_wait(&c);
	EXPECT_LT(0, ttd_rings_drain(&r, ttd_recs_collect, rs));
	ttd_recs_by_time(rs);
	EXPECT_EQ(0, ttd_del_group(&nl, id));
	ttd_rings_close(&r);
	ttd_nl_close(&nl);
	*pid = c.pid;
	return st;
}

#define NREADS 4

/*
 * Reads forced to io-wq workers (IOSQE_ASYNC; /dev/zero cannot be polled,
 * so a worker does the read) and a SQPOLL ring: the kernel starts
 * iou-wrk-N and iou-sqp-N threads in this process.
 */
static int io_workload(void *arg)
{
	struct io_uring_params p = {
		.flags = IORING_SETUP_SQPOLL,
		.sq_thread_idle = 10,
	};
	static char buf[NREADS][4096];
	struct io_uring ring, sq;
	struct io_uring_cqe *cqe;
	struct io_uring_sqe *sqe;
	int fd, i;

	fd = open("/dev/zero", O_RDONLY);
	if (fd < 0 || io_uring_queue_init(8, &ring, 0))
		return 10;
	for (i = 0; i < NREADS; i++) {
		sqe = io_uring_get_sqe(&ring);
		io_uring_prep_read(sqe, fd, buf[i], sizeof(buf[i]), 0);
		sqe->flags |= IOSQE_ASYNC;
	}
	if (io_uring_submit(&ring) != NREADS)
		return 11;
	for (i = 0; i < NREADS; i++) {
		if (io_uring_wait_cqe(&ring, &cqe) || cqe->res != 4096)
			return 12;
		io_uring_cqe_seen(&ring, cqe);
	}
	if (io_uring_queue_init_params(8, &sq, &p))
		return 13;
	sqe = io_uring_get_sqe(&sq);
	io_uring_prep_nop(sqe);
	if (io_uring_submit(&sq) != 1 || io_uring_wait_cqe(&sq, &cqe))
		return 14;
	io_uring_cqe_seen(&sq, cqe);
	/* Let the SQPOLL thread go idle and the workers wait for work. */
	usleep(30000);
	tids_of_comm(arg, "iou-");
	io_uring_queue_exit(&sq);
	io_uring_queue_exit(&ring);
	close(fd);
	return 7;
}

/*
 * io_uring threads are created with create_io_thread(), which the
 * sched_process_fork tracepoint does not see: each must still have one
 * fork record, its switches recorded once, and its exit.
 */
TEST(io_uring_threads)
{
	struct ttd_recs rs = { 0 };
	struct tids *t = tids_new();
	int i, outs, wrk = 0, sqp = 0, n, thread_forks = 0;
	uint16_t flags;
	size_t k;
	pid_t pid;
	int st;

	ASSERT_NE(NULL, t);
	st = trace_run(_metadata, io_workload, t, &rs, &pid);
	ASSERT_TRUE(WIFEXITED(st));
	ASSERT_EQ(7, WEXITSTATUS(st));
	for (i = 0; i < t->n && i < MAX_TIDS; i++) {
		wrk += !strncmp(t->comm[i], "iou-wrk-", 8);
		sqp += !strncmp(t->comm[i], "iou-sqp-", 8);
		flags = 0;
		n = forks_of(&rs, t->tid[i], &flags);
		outs = ttd_switch_outs(&rs, t->tid[i]);
		TH_LOG("%s (%d): %d fork records, %d switches out", t->comm[i],
		       t->tid[i], n, outs);
		EXPECT_EQ(1, n);
		EXPECT_EQ(TTD_FORK_THREAD | TTD_FORK_IO_THREAD, flags);
		EXPECT_LT(0, outs);
		EXPECT_EQ(1, exits_of(&rs, t->tid[i]));
	}
	EXPECT_LE(1, wrk);
	EXPECT_EQ(1, sqp);
	/* The process has no other threads. */
	for (k = 0; k < rs.n; k++) {
		if (rs.v[k]->type == TTD_REC_FORK && rs.v[k]->pid == pid)
			thread_forks++;
	}
	EXPECT_EQ(t->n, thread_forks);
	ttd_recs_free(&rs);
	munmap(t, sizeof(*t));
}

#define NTHREADS 3

static void *yielder(void *arg)
{
	int i;

	tids_add(arg, gettid(), "thread");
	for (i = 0; i < 20; i++) {
		sched_yield();
		usleep(300);
	}
	return NULL;
}

/* Threads, and a child process with a thread of its own. */
static int new_tasks(void *arg)
{
	pthread_t th[NTHREADS];
	pid_t child;
	int i, st;

	child = fork();
	if (child == 0) {
		pthread_create(&th[0], NULL, yielder, arg);
		yielder(arg);
		pthread_join(th[0], NULL);
		_exit(0);
	}
	for (i = 0; i < NTHREADS; i++)
		pthread_create(&th[i], NULL, yielder, arg);
	for (i = 0; i < NTHREADS; i++)
		pthread_join(th[i], NULL);
	waitpid(child, &st, 0);
	return st == 0 ? 7 : 1;
}

/* Ordinary fork and clone: one fork record and one notifier each. */
TEST(new_tasks_once)
{
	struct ttd_recs rs = { 0 };
	struct tids *t = tids_new();
	uint16_t flags;
	int i, outs;
	pid_t pid;
	int st;

	ASSERT_NE(NULL, t);
	st = trace_run(_metadata, new_tasks, t, &rs, &pid);
	ASSERT_TRUE(WIFEXITED(st));
	ASSERT_EQ(7, WEXITSTATUS(st));
	/* The threads, the child process and its thread. */
	ASSERT_EQ(NTHREADS + 2, t->n);
	for (i = 0; i < t->n; i++) {
		flags = 0;
		outs = ttd_switch_outs(&rs, t->tid[i]);
		TH_LOG("%s %d: %d switches out", t->comm[i], t->tid[i], outs);
		EXPECT_EQ(1, forks_of(&rs, t->tid[i], &flags));
		EXPECT_EQ(0, flags & TTD_FORK_IO_THREAD);
		EXPECT_LT(10, outs);
	}
	ttd_recs_free(&rs);
	munmap(t, sizeof(*t));
}

static const char fail_param[] = "/sys/module/ttd/parameters/fail_fork_alloc";

static long read_long(const char *path)
{
	FILE *f = fopen(path, "r");
	long n = -2;

	if (!f)
		return -2;
	if (fscanf(f, "%ld", &n) != 1)
		n = -2;
	fclose(f);
	return n;
}

static int write_long(const char *path, long n)
{
	FILE *f = fopen(path, "w");
	int err;

	if (!f)
		return -errno;
	fprintf(f, "%ld\n", n);
	err = fclose(f) ? -errno : 0;
	return err;
}

static int set_fail(long n)
{
	return write_long(fail_param, n);
}

static long get_fail(void)
{
	return read_long(fail_param);
}

static uint64_t untracked(struct __test_metadata *_metadata)
{
	struct ttd_stats st;
	struct ttd_nl nl;

	EXPECT_EQ(0, ttd_nl_open(&nl));
	EXPECT_EQ(0, ttd_get_stats(&nl, &st));
	ttd_nl_close(&nl);
	return st.untracked;
}

static void *napper(void *arg)
{
	tids_add(arg, gettid(), "napper");
	usleep(1000);
	usleep(1000);
	return NULL;
}

#define NSEQ 8

/* Threads one after the other, and a child process. */
static int one_by_one(void *arg)
{
	pthread_t th;
	pid_t child;
	int i, st;

	for (i = 0; i < NSEQ; i++) {
		if (pthread_create(&th, NULL, napper, arg))
			return 1;
		pthread_join(th, NULL);
	}
	child = fork();
	if (child == 0) {
		napper(arg);
		_exit(0);
	}
	waitpid(child, &st, 0);
	return st == 0 ? 7 : 1;
}

#define NBURST 160
#define RESERVE 64 /* TTD_RESERVE in kmod/ttd_track.c */

static const char rt_runtime[] = "/proc/sys/kernel/sched_rt_runtime_us";

/*
 * Real-time on one CPU, the creator keeps that CPU until it has made all
 * its threads (they inherit its policy and queue behind it), so the work
 * item that refills the fork hook's reserve, queued on the same CPU,
 * cannot run meanwhile; the test lifts the real-time throttling, which
 * would let it run after 0.95 s.
 */
static int burst(void *arg)
{
	struct sched_param sp = { .sched_priority = 10 };
	pthread_t th[NBURST];
	cpu_set_t cpus;
	int i;

	CPU_ZERO(&cpus);
	CPU_SET(0, &cpus);
	if (sched_setaffinity(0, sizeof(cpus), &cpus) ||
	    sched_setscheduler(0, SCHED_FIFO, &sp))
		return 2;
	for (i = 0; i < NBURST; i++) {
		if (pthread_create(&th[i], NULL, napper, arg))
			return 3;
	}
	for (i = 0; i < NBURST; i++)
		pthread_join(th[i], NULL);
	return 7;
}

/* Of the threads in @t, those whose switches were recorded; -1 if one
 * was recorded twice. */
static int recorded(const struct ttd_recs *rs, const struct tids *t)
{
	int i, n = 0, outs;

	for (i = 0; i < t->n; i++) {
		outs = ttd_switch_outs(rs, t->tid[i]);
		if (outs < 0)
			return -1;
		n += outs > 0;
	}
	return n;
}

/*
 * One traced run of @fn with every allocation of the fork hook failing:
 * @fn makes @nr_tasks threads, which take @nr_allocs allocations.
 */
static void run_failing(struct __test_metadata *_metadata, int (*fn)(void *),
			int nr_tasks, int nr_allocs, int *tracked,
			uint64_t *lost)
{
	struct ttd_recs rs = { 0 };
	struct tids *t = tids_new();
	uint64_t before;
	pid_t pid;
	int st;

	ASSERT_NE(NULL, t);
	ASSERT_EQ(0, set_fail(100000));
	before = untracked(_metadata);
	st = trace_run(_metadata, fn, t, &rs, &pid);
	EXPECT_EQ(100000 - nr_allocs, get_fail());
	ASSERT_EQ(0, set_fail(0));
	ASSERT_TRUE(WIFEXITED(st));
	ASSERT_EQ(7, WEXITSTATUS(st));
	EXPECT_EQ(nr_tasks, t->n);
	*lost = untracked(_metadata) - before;
	*tracked = recorded(&rs, t);
	ttd_recs_free(&rs);
	munmap(t, sizeof(*t));
}

/*
 * The fork hook cannot sleep, so it may find no memory; fail_fork_alloc
 * makes it so.  A few forks are then served from the reserve; a burst
 * that outruns the refill leaves threads untracked, each counted; the
 * reserve is full again afterwards.
 */
TEST(fork_hook_reserve)
{
	uint64_t lost;
	long runtime;
	int tracked;

	if (get_fail() < 0)
		SKIP(return, "no %s", fail_param);
	runtime = read_long(rt_runtime);
	ASSERT_LE(-1, runtime);
	/* A process entry and a notifier for the child process. */
	run_failing(_metadata, one_by_one, NSEQ + 1, NSEQ + 2, &tracked, &lost);
	EXPECT_EQ(NSEQ + 1, tracked);
	EXPECT_EQ(0, lost);

	ASSERT_EQ(0, write_long(rt_runtime, -1));
	run_failing(_metadata, burst, NBURST, NBURST, &tracked, &lost);
	EXPECT_EQ(0, write_long(rt_runtime, runtime));
	TH_LOG("burst of %d threads: %d tracked, %llu untracked", NBURST,
	       tracked, (unsigned long long)lost);
	EXPECT_EQ(RESERVE, tracked);
	EXPECT_EQ(NBURST - RESERVE, lost);

	/* The refill ran once the burst let go of its CPU. */
	usleep(100000);
	run_failing(_metadata, one_by_one, NSEQ + 1, NSEQ + 2, &tracked, &lost);
	EXPECT_EQ(NSEQ + 1, tracked);
	EXPECT_EQ(0, lost);
}

TEST_HARNESS_MAIN
