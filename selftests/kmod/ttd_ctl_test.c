// SPDX-License-Identifier: GPL-2.0
/*
 * ttd.ko control: task groups by pid and cgroup, their life cycle, input
 * validation, statistics, and trigger notifications.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/netlink.h>

#include "kselftest_harness.h"
#include "ttd_kmod.h"

static int wait_forever(void *arg)
{
	for (;;)
		pause();
	return 0;
}

static int exit_42(void *arg)
{
	return 42;
}

static int crash(void *arg)
{
	volatile int *p = NULL;

	signal(SIGSEGV, SIG_DFL);
	return *p;
}

/* Forks a child that forks a grandchild; both wait for the pipe to close. */
static int fork_tree(void *arg)
{
	int *fds = arg;
	char b;
	pid_t g;

	close(fds[1]);
	g = fork();

	if (g == 0) {
		(void)!read(fds[0], &b, 1);
		_exit(0);
	}
	(void)!read(fds[0], &b, 1);
	waitpid(g, NULL, 0);
	return 0;
}

FIXTURE(ctl)
{
	struct ttd_nl nl;
};

FIXTURE_SETUP(ctl)
{
	int err = ttd_nl_open(&self->nl);

	ASSERT_EQ(0, err) TH_LOG("ttd family: %s", strerror(-err));
}

FIXTURE_TEARDOWN(ctl)
{
	ttd_nl_close(&self->nl);
}

TEST_F(ctl, add_del_pid)
{
	struct ttd_child c;
	struct ttd_stats st;
	uint32_t id, id2;

	ASSERT_EQ(0, ttd_child_start(&c, wait_forever, NULL));
	ASSERT_EQ(0, ttd_add_pid(&self->nl, c.pid, TTD_CLASS_ALL, 0, &id));
	EXPECT_NE(0, id);
	ASSERT_EQ(0, ttd_get_stats(&self->nl, &st));
	EXPECT_EQ(1, st.groups);
	EXPECT_EQ(1, st.processes);
	EXPECT_EQ(-EEXIST,
		  ttd_add_pid(&self->nl, c.pid, TTD_CLASS_ALL, 0, &id2));
	EXPECT_EQ(0, ttd_del_group(&self->nl, id));
	EXPECT_EQ(-ENOENT, ttd_del_group(&self->nl, id));
	ASSERT_EQ(0, ttd_get_stats(&self->nl, &st));
	EXPECT_EQ(0, st.groups);
	EXPECT_EQ(0, st.processes);
	kill(c.pid, SIGKILL);
	ttd_child_wait(&c);
}

TEST_F(ctl, bad_input)
{
	struct ttd_msg m;
	uint32_t id;
	uint16_t small = 1;

	/* Neither or both of PID and CGROUP_ID. */
	ttd_msg_init(&m, TTD_CMD_ADD_GROUP);
	EXPECT_EQ(-EINVAL, ttd_nl_request(&self->nl, &m, 0, NULL));
	ttd_msg_init(&m, TTD_CMD_ADD_GROUP);
	ttd_msg_u32(&m, TTD_ATTR_PID, getpid());
	ttd_msg_u64(&m, TTD_ATTR_CGROUP_ID, 1);
	EXPECT_EQ(-EINVAL, ttd_nl_request(&self->nl, &m, 0, NULL));
	/* Wrong attribute size, unknown bits, out-of-range values. */
	ttd_msg_init(&m, TTD_CMD_ADD_GROUP);
	ttd_msg_put(&m, TTD_ATTR_PID, &small, sizeof(small));
	EXPECT_GT(0, ttd_nl_request(&self->nl, &m, 0, NULL));
	EXPECT_GT(0, ttd_add_pid(&self->nl, getpid(), 1U << 30, 0, &id));
	EXPECT_GT(0, ttd_add_pid(&self->nl, getpid(), TTD_CLASS_ALL, 1U << 7,
				 &id));
	EXPECT_GT(0, ttd_set_mode(&self->nl, 7));
	/* No such process, kernel thread, nonsense pids. */
	EXPECT_EQ(-EINVAL, ttd_add_pid(&self->nl, 0, TTD_CLASS_ALL, 0, &id));
	EXPECT_EQ(-EINVAL, ttd_add_pid(&self->nl, -5, TTD_CLASS_ALL, 0, &id));
	EXPECT_EQ(-ESRCH,
		  ttd_add_pid(&self->nl, 4194000, TTD_CLASS_ALL, 0, &id));
	EXPECT_EQ(-EINVAL, ttd_add_pid(&self->nl, 2, TTD_CLASS_ALL, 0, &id));
	EXPECT_EQ(-ENOENT, ttd_add_cgroup(&self->nl, 0xdeadbeef12ULL,
					  TTD_CLASS_ALL, &id));
	/* Commands on groups that do not exist, missing attributes. */
	EXPECT_EQ(-ENOENT, ttd_del_group(&self->nl, 123456));
	ttd_msg_init(&m, TTD_CMD_SET_EVENTS);
	ttd_msg_u32(&m, TTD_ATTR_GROUP_ID, 123456);
	ttd_msg_u32(&m, TTD_ATTR_EVENTS, TTD_CLASS_SCHED);
	EXPECT_EQ(-ENOENT, ttd_nl_request(&self->nl, &m, 0, NULL));
	ttd_msg_init(&m, TTD_CMD_SET_EVENTS);
	EXPECT_EQ(-EINVAL, ttd_nl_request(&self->nl, &m, 0, NULL));
	ttd_msg_init(&m, TTD_CMD_DEL_GROUP);
	EXPECT_EQ(-EINVAL, ttd_nl_request(&self->nl, &m, 0, NULL));
	ttd_msg_init(&m, TTD_CMD_SET_RING_MODE);
	EXPECT_EQ(-EINVAL, ttd_nl_request(&self->nl, &m, 0, NULL));
	/* NOTIFY is not a request; unknown commands. */
	ttd_msg_init(&m, TTD_CMD_NOTIFY);
	EXPECT_GT(0, ttd_nl_request(&self->nl, &m, 0, NULL));
	ttd_msg_init(&m, 200);
	EXPECT_GT(0, ttd_nl_request(&self->nl, &m, 0, NULL));
}

TEST_F(ctl, children_follow)
{
	struct ttd_child c, d;
	struct ttd_stats st;
	uint32_t id;
	int fds[2], fds2[2];

	ASSERT_EQ(0, pipe(fds));
	ASSERT_EQ(0, ttd_child_start(&c, fork_tree, fds));
	close(fds[0]);
	ASSERT_EQ(0, ttd_add_pid(&self->nl, c.pid, TTD_CLASS_ALL, 0, &id));
	ttd_child_go(&c);
	usleep(300000);
	ASSERT_EQ(0, ttd_get_stats(&self->nl, &st));
	EXPECT_EQ(2, st.processes);
	close(fds[1]);
	EXPECT_EQ(0, ttd_child_wait(&c));
	ASSERT_EQ(0, ttd_get_stats(&self->nl, &st));
	EXPECT_EQ(0, st.processes);
	EXPECT_EQ(1, st.groups);
	EXPECT_EQ(0, ttd_del_group(&self->nl, id));

	/* The same with TTD_GROUP_NO_CHILDREN: only the process itself. */
	ASSERT_EQ(0, pipe(fds2));
	ASSERT_EQ(0, ttd_child_start(&d, fork_tree, fds2));
	close(fds2[0]);
	ASSERT_EQ(0, ttd_add_pid(&self->nl, d.pid, TTD_CLASS_ALL,
				 TTD_GROUP_NO_CHILDREN, &id));
	ttd_child_go(&d);
	usleep(300000);
	ASSERT_EQ(0, ttd_get_stats(&self->nl, &st));
	EXPECT_EQ(1, st.processes);
	close(fds2[1]);
	EXPECT_EQ(0, ttd_child_wait(&d));
	EXPECT_EQ(0, ttd_del_group(&self->nl, id));
}

TEST_F(ctl, get_groups)
{
	struct ttd_child a, b;
	struct ttd_msg m, rep;
	uint32_t ida, idb, id, pid;
	int seen = 0;
	size_t off;

	ASSERT_EQ(0, ttd_child_start(&a, wait_forever, NULL));
	ASSERT_EQ(0, ttd_child_start(&b, wait_forever, NULL));
	ASSERT_EQ(0, ttd_add_pid(&self->nl, a.pid, TTD_CLASS_SCHED, 0, &ida));
	ASSERT_EQ(0, ttd_add_pid(&self->nl, b.pid, TTD_CLASS_FAULT, 0, &idb));
	ttd_msg_init(&m, TTD_CMD_GET_GROUPS);
	ASSERT_EQ(0, ttd_nl_request(&self->nl, &m, NLM_F_DUMP, &rep));
	for (off = 0; off < rep.len;) {
		struct nlmsghdr *h = (struct nlmsghdr *)(rep.buf + off);
		struct ttd_msg one;

		memcpy(one.buf, h, h->nlmsg_len);
		one.len = h->nlmsg_len;
		off += NLMSG_ALIGN(h->nlmsg_len);
		ASSERT_TRUE(ttd_msg_get_u32(&one, TTD_ATTR_GROUP_ID, &id));
		ASSERT_TRUE(ttd_msg_get_u32(&one, TTD_ATTR_PID, &pid));
		if (id == ida)
			EXPECT_EQ(a.pid, (pid_t)pid);
		if (id == idb)
			EXPECT_EQ(b.pid, (pid_t)pid);
		seen++;
	}
	EXPECT_EQ(2, seen);
	EXPECT_EQ(0, ttd_del_group(&self->nl, ida));
	EXPECT_EQ(0, ttd_del_group(&self->nl, idb));
	kill(a.pid, SIGKILL);
	kill(b.pid, SIGKILL);
	ttd_child_wait(&a);
	ttd_child_wait(&b);
}

/* Expects the next notification to be @type for @pid; returns its value
 * (signal or exit code) or -1. */
static long expect_note(struct ttd_nl *nl, uint32_t type, pid_t pid)
{
	struct ttd_msg m;
	uint32_t t, p, v;
	int tries;

	for (tries = 0; tries < 20; tries++) {
		if (ttd_nl_recv(nl, &m, 5000) < 0)
			return -1;
		if (!ttd_msg_get_u32(&m, TTD_ATTR_NOTIFY_TYPE, &t) ||
		    !ttd_msg_get_u32(&m, TTD_ATTR_PID, &p))
			continue;
		if (t != type || (pid_t)p != pid)
			continue;
		if (ttd_msg_get_u32(&m,
				    type == TTD_NOTIFY_EXIT ? TTD_ATTR_EXIT_CODE
							    : TTD_ATTR_SIGNAL,
				    &v))
			return v;
	}
	return -1;
}

TEST_F(ctl, notify_fatal_signal_and_exit)
{
	struct ttd_nl listen;
	struct ttd_child c;
	uint32_t id;
	int st;

	ASSERT_EQ(0, ttd_nl_open(&listen));
	ASSERT_EQ(0, ttd_nl_join_notify(&listen));
	ASSERT_EQ(0, ttd_child_start(&c, crash, NULL));
	ASSERT_EQ(0, ttd_add_pid(&self->nl, c.pid, 0, 0, &id));
	st = ttd_child_wait(&c);
	ASSERT_TRUE(WIFSIGNALED(st));
	EXPECT_EQ(SIGSEGV,
		  expect_note(&listen, TTD_NOTIFY_FATAL_SIGNAL, c.pid));
	EXPECT_EQ(SIGSEGV, expect_note(&listen, TTD_NOTIFY_EXIT, c.pid) & 0x7f);
	EXPECT_EQ(0, ttd_del_group(&self->nl, id));

	ASSERT_EQ(0, ttd_child_start(&c, exit_42, NULL));
	ASSERT_EQ(0, ttd_add_pid(&self->nl, c.pid, 0, 0, &id));
	st = ttd_child_wait(&c);
	EXPECT_EQ(42, WEXITSTATUS(st));
	EXPECT_EQ(42 << 8, expect_note(&listen, TTD_NOTIFY_EXIT, c.pid));
	EXPECT_EQ(0, ttd_del_group(&self->nl, id));

	/* SIGKILL from outside is fatal too. */
	ASSERT_EQ(0, ttd_child_start(&c, wait_forever, NULL));
	ASSERT_EQ(0, ttd_add_pid(&self->nl, c.pid, 0, 0, &id));
	kill(c.pid, SIGKILL);
	ttd_child_wait(&c);
	EXPECT_EQ(SIGKILL,
		  expect_note(&listen, TTD_NOTIFY_FATAL_SIGNAL, c.pid));
	EXPECT_EQ(0, ttd_del_group(&self->nl, id));
	ttd_nl_close(&listen);
}

static int fork_once(void *arg)
{
	pid_t p = fork();

	if (p == 0)
		_exit(3);
	waitpid(p, NULL, 0);
	return 0;
}

static bool find_fork(const struct ttd_recs *rs, pid_t parent)
{
	size_t i;

	for (i = 0; i < rs->n; i++) {
		if (rs->v[i]->type == TTD_REC_FORK && rs->v[i]->pid == parent)
			return true;
	}
	return false;
}

TEST_F(ctl, cgroup_group)
{
	const char *dir = "/sys/fs/cgroup/ttd-ctl-test";
	struct ttd_recs in = { 0 }, out = { 0 };
	struct ttd_rings r;
	struct ttd_child c, d;
	struct stat sb;
	uint32_t id;
	char path[256], buf[32];
	FILE *f;

	if (mkdir(dir, 0755) && errno != EEXIST)
		SKIP(return, "no cgroup2 hierarchy: %s", strerror(errno));
	ASSERT_EQ(0, stat(dir, &sb));
	ASSERT_EQ(0, ttd_rings_open(&r));
	ASSERT_LE(0, ttd_rings_drain(&r, ttd_recs_collect, &out));
	ttd_recs_free(&out);
	ASSERT_EQ(0, ttd_add_cgroup(&self->nl, sb.st_ino, TTD_CLASS_TASK, &id));
	EXPECT_EQ(-EEXIST,
		  ttd_add_cgroup(&self->nl, sb.st_ino, TTD_CLASS_TASK, &id));

	/* c is moved into the cgroup, d stays outside. */
	ASSERT_EQ(0, ttd_child_start(&c, fork_once, NULL));
	ASSERT_EQ(0, ttd_child_start(&d, fork_once, NULL));
	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	f = fopen(path, "w");
	ASSERT_NE(NULL, f);
	snprintf(buf, sizeof(buf), "%d\n", c.pid);
	fputs(buf, f);
	ASSERT_EQ(0, fclose(f));
	EXPECT_EQ(0, ttd_child_wait(&c));
	EXPECT_EQ(0, ttd_child_wait(&d));
	ASSERT_LE(0, ttd_rings_drain(&r, ttd_recs_collect, &in));
	EXPECT_TRUE(find_fork(&in, c.pid));
	EXPECT_FALSE(find_fork(&in, d.pid));
	EXPECT_EQ(0, ttd_del_group(&self->nl, id));
	ttd_recs_free(&in);
	ttd_rings_close(&r);
	rmdir(dir);
}

/* Reads the statistics in a loop until killed. */
static int stats_loop(void *arg)
{
	struct ttd_stats st;
	struct ttd_nl nl;

	if (ttd_nl_open(&nl))
		return 1;
	for (;;) {
		if (ttd_get_stats(&nl, &st))
			return 2;
	}
	return 0;
}

/*
 * Groups are published and removed under stop_machine(), whose callbacks
 * take the lock that the statistics are read under.  On PREEMPT_RT a
 * spinlock_t holder can be preempted, by the stopper too, and the
 * callback, interrupts off on every CPU, would then wait for a task that
 * cannot run again until it returns.
 */
TEST_F_TIMEOUT(ctl, groups_change_under_stats_readers, 120)
{
	struct ttd_child c, r[2];
	uint32_t id;
	int i;

	ASSERT_EQ(0, ttd_child_start(&c, wait_forever, NULL));
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, ttd_child_start(&r[i], stats_loop, NULL));
		ttd_child_go(&r[i]);
	}
	for (i = 0; i < 200; i++) {
		ASSERT_EQ(0,
			  ttd_add_pid(&self->nl, c.pid, TTD_CLASS_ALL, 0, &id));
		ASSERT_EQ(0, ttd_del_group(&self->nl, id));
	}
	for (i = 0; i < 2; i++) {
		kill(r[i].pid, SIGKILL);
		ttd_child_wait(&r[i]);
	}
	kill(c.pid, SIGKILL);
	ttd_child_wait(&c);
}

TEST_HARNESS_MAIN
