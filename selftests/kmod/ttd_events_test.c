// SPDX-License-Identifier: GPL-2.0
/*
 * Events of a traced multi-threaded program, none for an untraced one
 * running the same code at the same time; every switch of a traced thread
 * recorded exactly once, also for threads that existed before the group
 * and while cgroup groups come and go.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ttd_kmod.h"

#define NTHREADS 2

static volatile sig_atomic_t got_usr1;

static void on_usr1(int sig)
{
	got_usr1 = 1;
}

static void *worker(void *arg)
{
	int i;

	for (i = 0; i < 20; i++) {
		sched_yield();
		usleep(500);
	}
	return NULL;
}

/* The program under test: threads, a signal, a child that execs. */
static int workload(void *arg)
{
	pthread_t t[NTHREADS];
	pid_t child;
	int i, st;

	signal(SIGUSR1, on_usr1);
	for (i = 0; i < NTHREADS; i++)
		pthread_create(&t[i], NULL, worker, NULL);
	for (i = 0; i < NTHREADS; i++)
		pthread_join(t[i], NULL);
	raise(SIGUSR1);
	child = fork();
	if (child == 0) {
		execl("/bin/true", "true", (char *)NULL);
		_exit(127);
	}
	waitpid(child, &st, 0);
	return got_usr1 && WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 7 : 1;
}

struct facts {
	pid_t traced, untraced;
	pid_t grandchild;
	int thread_forks, proc_forks, execs, group_exits, thread_exits;
	int exit_code;
	int switches_out, switches_in, gen_usr1, del_usr1, gen_chld;
	uint64_t handler;
	int foreign; /* records about the untraced process */
	int bad_cpu;
	pid_t thread_tid[NTHREADS];
	bool tid_switched[NTHREADS];
};

static void note(const struct ttd_rec_header *h, void *ctx)
{
	struct facts *f = ctx;
	const struct ttd_rec_switch *sw = (const void *)h;
	const struct ttd_rec_fork *fk = (const void *)h;
	const struct ttd_rec_exec *ex = (const void *)h;
	const struct ttd_rec_exit *xt = (const void *)h;
	const struct ttd_rec_signal_generate *g = (const void *)h;
	const struct ttd_rec_signal_deliver *d = (const void *)h;
	int i;

	if (h->cpu >= 4096)
		f->bad_cpu++;
	switch (h->type) {
	case TTD_REC_SWITCH:
		/* An untraced task switched in is named, not one switched
		 * out. */
		if (sw->prev_pid == f->untraced ||
		    ((h->flags & TTD_SWITCH_NEXT_TRACED) &&
		     sw->next_pid == f->untraced))
			f->foreign++;
		if ((h->flags & TTD_SWITCH_PREV_TRACED) &&
		    sw->prev_pid == f->traced)
			f->switches_out++;
		if ((h->flags & TTD_SWITCH_NEXT_TRACED) &&
		    sw->next_pid == f->traced)
			f->switches_in++;
		for (i = 0; i < NTHREADS; i++) {
			if (f->thread_tid[i] &&
			    (sw->prev_tid == f->thread_tid[i] ||
			     sw->next_tid == f->thread_tid[i]))
				f->tid_switched[i] = true;
		}
		return;
	case TTD_REC_FORK:
		if (h->pid == f->untraced)
			f->foreign++;
		if (h->pid != f->traced)
			return;
		if (h->flags & TTD_FORK_THREAD) {
			if (f->thread_forks < NTHREADS)
				f->thread_tid[f->thread_forks] = fk->child_tid;
			f->thread_forks++;
		} else {
			f->proc_forks++;
			f->grandchild = fk->child_pid;
		}
		return;
	case TTD_REC_EXEC:
		if (h->pid == f->grandchild && ex->filename_len == 9 &&
		    !strcmp(ex->filename, "/bin/true"))
			f->execs++;
		break;
	case TTD_REC_EXIT:
		if (h->pid == f->traced && (h->flags & TTD_EXIT_GROUP)) {
			f->group_exits++;
			f->exit_code = xt->exit_code;
		} else if (h->pid == f->traced) {
			f->thread_exits++;
		}
		break;
	case TTD_REC_SIGNAL_GENERATE:
		if (g->target_pid == f->untraced)
			f->foreign++;
		if (g->target_pid == f->traced && g->sig == SIGUSR1)
			f->gen_usr1++;
		if (g->target_pid == f->traced && g->sig == SIGCHLD &&
		    h->pid == f->grandchild)
			f->gen_chld++;
		return;
	case TTD_REC_SIGNAL_DELIVER:
		if (h->pid == f->traced && d->sig == SIGUSR1) {
			f->del_usr1++;
			f->handler = d->handler;
		}
		break;
	}
	if (h->pid == f->untraced)
		f->foreign++;
}

TEST(traced_vs_untraced)
{
	struct ttd_child a, b;
	struct ttd_rings r;
	struct ttd_nl nl;
	struct facts f = { 0 };
	uint32_t id;
	long n;
	int st_a, st_b, i;

	ASSERT_EQ(0, ttd_nl_open(&nl));
	ASSERT_EQ(0, ttd_set_mode(&nl, TTD_RING_DROP));
	ASSERT_EQ(0, ttd_rings_open(&r));
	ASSERT_EQ(0, ttd_child_start(&a, workload, NULL));
	ASSERT_EQ(0, ttd_child_start(&b, workload, NULL));
	f.traced = a.pid;
	f.untraced = b.pid;
	ASSERT_EQ(0, ttd_add_pid(&nl, a.pid, TTD_CLASS_ALL, 0, &id));
	ttd_child_go(&a);
	ttd_child_go(&b);
	st_a = ttd_child_wait(&a);
	st_b = ttd_child_wait(&b);
	EXPECT_EQ(7, WEXITSTATUS(st_a));
	EXPECT_EQ(7, WEXITSTATUS(st_b));
	/* Two passes: thread tids are learnt from the fork records. */
	{
		struct ttd_recs rs = { 0 };
		size_t k;

		n = ttd_rings_drain(&r, ttd_recs_collect, &rs);
		ASSERT_LT(0, n);
		for (k = 0; k < rs.n; k++) {
			if (rs.v[k]->type == TTD_REC_FORK)
				note(rs.v[k], &f);
		}
		f.thread_forks = f.proc_forks = 0;
		for (k = 0; k < rs.n; k++)
			note(rs.v[k], &f);
		ttd_recs_free(&rs);
	}
	TH_LOG("%ld records: %d/%d switches out/in, %d thread forks", n,
	       f.switches_out, f.switches_in, f.thread_forks);
	EXPECT_EQ(0, f.foreign);
	EXPECT_EQ(0, f.bad_cpu);
	EXPECT_EQ(NTHREADS, f.thread_forks);
	EXPECT_EQ(1, f.proc_forks);
	EXPECT_EQ(1, f.execs);
	EXPECT_EQ(1, f.group_exits);
	EXPECT_EQ(7 << 8, f.exit_code);
	EXPECT_EQ(NTHREADS, f.thread_exits);
	EXPECT_LT(NTHREADS * 20, f.switches_out);
	EXPECT_LT(0, f.switches_in);
	for (i = 0; i < NTHREADS; i++) {
		EXPECT_TRUE(f.tid_switched[i]);
	}
	EXPECT_EQ(1, f.gen_usr1);
	EXPECT_EQ(1, f.del_usr1);
	EXPECT_EQ((uint64_t)(uintptr_t)on_usr1, f.handler);
	EXPECT_EQ(1, f.gen_chld);
	EXPECT_EQ(0, ttd_del_group(&nl, id));
	ttd_rings_close(&r);
	ttd_nl_close(&nl);
}

/* Event classes: with only TTD_CLASS_TASK, no switch or signal records. */
TEST(event_classes)
{
	struct ttd_child a;
	struct ttd_rings r;
	struct ttd_nl nl;
	struct ttd_recs rs = { 0 };
	uint32_t id;
	size_t k;
	int others = 0, tasks = 0;

	ASSERT_EQ(0, ttd_nl_open(&nl));
	ASSERT_EQ(0, ttd_rings_open(&r));
	ASSERT_LE(0, ttd_rings_drain(&r, ttd_recs_collect, &rs));
	ttd_recs_free(&rs);
	ASSERT_EQ(0, ttd_child_start(&a, workload, NULL));
	ASSERT_EQ(0, ttd_add_pid(&nl, a.pid, TTD_CLASS_TASK, 0, &id));
	EXPECT_EQ(7, WEXITSTATUS(ttd_child_wait(&a)));
	ASSERT_LT(0, ttd_rings_drain(&r, ttd_recs_collect, &rs));
	for (k = 0; k < rs.n; k++) {
		if (rs.v[k]->type == TTD_REC_FORK ||
		    rs.v[k]->type == TTD_REC_EXEC ||
		    rs.v[k]->type == TTD_REC_EXIT)
			tasks++;
		else
			others++;
	}
	EXPECT_EQ(0, others);
	/* 2 thread forks, 1 fork, 1 exec, 2 thread exits, 2 group exits */
	EXPECT_EQ(8, tasks);
	ttd_recs_free(&rs);
	EXPECT_EQ(0, ttd_del_group(&nl, id));
	ttd_rings_close(&r);
	ttd_nl_close(&nl);
}

/* Whether the kernel's list of kprobes has one on @sym; -1 if unreadable. */
static int kprobe_listed(const char *sym)
{
	static const char list[] = "/sys/kernel/debug/kprobes/list";
	char line[256];
	int found = 0;
	FILE *f;

	if (access(list, R_OK))
		mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL);
	f = fopen(list, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (strstr(line, sym))
			found = 1;
	}
	fclose(f);
	return found;
}

static int yield_a_while(void *arg)
{
	int i;

	for (i = 0; i < 50; i++)
		usleep(200);
	return 7;
}

/*
 * The hooks are attached only while a group exists (the fault kprobe shows
 * it), and attached again for the next one, which records as the first
 * did.
 */
TEST(hooks_follow_groups)
{
	struct ttd_rings r;
	struct ttd_nl nl;
	struct ttd_child a;
	struct ttd_recs rs = { 0 };
	uint32_t id;
	int round, switches;
	size_t k;

	if (kprobe_listed("handle_mm_fault") < 0)
		SKIP(return, "no /sys/kernel/debug/kprobes/list");
	ASSERT_EQ(0, ttd_nl_open(&nl));
	ASSERT_EQ(0, ttd_rings_open(&r));
	EXPECT_EQ(0, kprobe_listed("handle_mm_fault"));
	for (round = 0; round < 2; round++) {
		ASSERT_LE(0, ttd_rings_drain(&r, ttd_recs_collect, &rs));
		ttd_recs_free(&rs);
		ASSERT_EQ(0, ttd_child_start(&a, yield_a_while, NULL));
		ASSERT_EQ(0, ttd_add_pid(&nl, a.pid, TTD_CLASS_ALL, 0, &id));
		EXPECT_EQ(1, kprobe_listed("handle_mm_fault"));
		ttd_child_go(&a);
		EXPECT_EQ(7, WEXITSTATUS(ttd_child_wait(&a)));
		ASSERT_LT(0, ttd_rings_drain(&r, ttd_recs_collect, &rs));
		switches = 0;
		for (k = 0; k < rs.n; k++) {
			const struct ttd_rec_switch *sw = (const void *)rs.v[k];

			if (rs.v[k]->type == TTD_REC_SWITCH &&
			    sw->prev_pid == a.pid)
				switches++;
		}
		ttd_recs_free(&rs);
		TH_LOG("round %d: %d switches out", round, switches);
		EXPECT_LT(40, switches);
		EXPECT_EQ(0, ttd_del_group(&nl, id));
		EXPECT_EQ(0, kprobe_listed("handle_mm_fault"));
	}
	ttd_rings_close(&r);
	ttd_nl_close(&nl);
}

/* Threads that exist before their process is traced, in a loop of yields
 * and short sleeps until told to stop. */
struct spinners {
	volatile int ready, go, stop;
	volatile pid_t tid[NTHREADS];
};

static void *spin(void *arg)
{
	struct spinners *sp = arg;
	int i = __sync_fetch_and_add(&sp->ready, 1);

	sp->tid[i] = gettid();
	while (!sp->go)
		usleep(100);
	for (i = 0; !sp->stop; i++) {
		sched_yield();
		if (i % 8 == 0)
			usleep(100);
	}
	return NULL;
}

static pid_t spinners_start(struct spinners *sp)
{
	pthread_t t[NTHREADS];
	pid_t p = fork();
	int i;

	if (p)
		return p;
	for (i = 0; i < NTHREADS; i++)
		pthread_create(&t[i], NULL, spin, sp);
	for (i = 0; i < NTHREADS; i++)
		pthread_join(t[i], NULL);
	_exit(0);
}

/* Add and delete a cgroup group @n times: each time, the tracepoint takes
 * over recording switches from the notifiers, and gives it back. */
static void flip_cgroup_groups(struct __test_metadata *_metadata,
			       struct ttd_nl *nl, int n)
{
	const char *dir = "/sys/fs/cgroup/ttd-events-test";
	struct stat sb;
	uint32_t id;
	int i;

	ASSERT_EQ(0, mkdir(dir, 0755) && errno != EEXIST);
	ASSERT_EQ(0, stat(dir, &sb));
	for (i = 0; i < n; i++) {
		ASSERT_EQ(0, ttd_add_cgroup(nl, sb.st_ino, TTD_CLASS_ALL, &id));
		usleep(3000);
		ASSERT_EQ(0, ttd_del_group(nl, id));
		usleep(3000);
	}
	rmdir(dir);
}

static void switches_once(struct __test_metadata *_metadata, bool flip)
{
	struct spinners *sp;
	struct ttd_recs rs = { 0 };
	struct ttd_rings r;
	struct ttd_nl nl;
	uint32_t id;
	pid_t p;
	int i, outs, st;

	sp = mmap(NULL, sizeof(*sp), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, sp);
	memset(sp, 0, sizeof(*sp));
	ASSERT_EQ(0, ttd_nl_open(&nl));
	ASSERT_EQ(0, ttd_rings_open(&r));
	ASSERT_LE(0, ttd_rings_drain(&r, ttd_recs_collect, &rs));
	ttd_recs_free(&rs);
	p = spinners_start(sp);
	ASSERT_LT(0, p);
	while (sp->ready < NTHREADS || !sp->tid[NTHREADS - 1])
		usleep(1000);
	ASSERT_EQ(0, ttd_add_pid(&nl, p, TTD_CLASS_SCHED, 0, &id));
	sp->go = 1;
	if (flip)
		flip_cgroup_groups(_metadata, &nl, 4);
	else
		usleep(20000);
	sp->stop = 1;
	ASSERT_EQ(p, waitpid(p, &st, 0));
	EXPECT_EQ(0, st);
	ASSERT_LT(0, ttd_rings_drain(&r, ttd_recs_collect, &rs));
	ttd_recs_by_time(&rs);
	for (i = 0; i < NTHREADS; i++) {
		outs = ttd_switch_outs(&rs, sp->tid[i]);
		TH_LOG("thread %d: %d switches out", sp->tid[i], outs);
		EXPECT_LT(20, outs);
	}
	ttd_recs_free(&rs);
	EXPECT_EQ(0, ttd_del_group(&nl, id));
	ttd_rings_close(&r);
	ttd_nl_close(&nl);
	munmap(sp, sizeof(*sp));
}

/* Threads running before the group was added are recorded, once each. */
TEST(existing_threads_switch_once)
{
	switches_once(_metadata, false);
}

/* The same while cgroup groups come and go, which hands the recording of
 * switches to the sched_switch tracepoint and back. */
TEST(switch_recorder_handover)
{
	if (access("/sys/fs/cgroup/cgroup.procs", F_OK))
		SKIP(return, "no cgroup2 hierarchy");
	switches_once(_metadata, true);
}

TEST_HARNESS_MAIN
