// SPDX-License-Identifier: GPL-2.0
/*
 * Load and unload ttd.ko over and over while traced processes fork, start
 * threads and exit underneath.  Use-after-free or leaks show up as oopses,
 * "Objects remaining" from the module's caches, or a crashed workload.
 * Run without the module loaded (run_vm --no-load).
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ttd_kmod.h"

static void *short_thread(void *arg)
{
	return arg;
}

/* Forks forever; every child touches a shared page (a fault the module
 * reports: fork does not copy shared page table entries), starts a thread,
 * forks and exits. */
static int churn(void *arg)
{
	volatile char *shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
				     MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (shared == MAP_FAILED)
		return 1;
	for (;;) {
		pid_t p = fork();

		if (p == 0) {
			pthread_t t;

			shared[0]++;
			if (!pthread_create(&t, NULL, short_thread, NULL))
				pthread_join(t, NULL);
			if (fork() == 0)
				_exit(0);
			_exit(0);
		}
		if (p > 0)
			waitpid(p, NULL, 0);
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
	}
	return 0;
}

static void drain_quietly(const struct ttd_rec_header *h, void *ctx)
{
	(*(long *)ctx)++;
}

/*
 * The load cycles take about 20 s in an emulated guest on an idle host,
 * and the harness's default limit of 30 s is too tight when the host is
 * busy: give them room, as a real hang still ends the test.
 */
FIXTURE(cycles){};
FIXTURE_SETUP(cycles)
{
}
FIXTURE_TEARDOWN(cycles)
{
}

TEST_F_TIMEOUT(cycles, load_unload_under_churn, 180)
{
	struct ttd_child w[2];
	struct ttd_stats st;
	struct ttd_nl nl;
	struct ttd_rings r;
	uint32_t id;
	long records = 0;
	int i, k, err, status;
	char bad[2048] = "";

	if (ttd_mod_loaded())
		ASSERT_EQ(0, ttd_mod_unload());
	for (k = 0; k < 2; k++) {
		ASSERT_EQ(0, ttd_child_start(&w[k], churn, NULL));
		ttd_child_go(&w[k]);
	}
	for (i = 0; i < 12; i++) {
		const char *params = i % 2 ? "ring_mode=1 ring_kb=16" : "";

		err = ttd_mod_load(params);
		ASSERT_EQ(0, err) TH_LOG("load %d: %s", i, strerror(-err));
		ASSERT_EQ(0, ttd_nl_open(&nl));
		ASSERT_EQ(0, ttd_add_pid(&nl, w[0].pid, TTD_CLASS_ALL, 0, &id));
		ASSERT_EQ(0, ttd_add_pid(&nl, w[1].pid, TTD_CLASS_ALL, 0, &id));
		ASSERT_EQ(0, ttd_rings_open(&r));
		/* Every record after an acknowledgement queues a wake-up, so
		 * that one is likely pending when the module goes. */
		ASSERT_EQ(0, ttd_rings_set_watermark(&r, 8));
		EXPECT_EQ(1, ttd_rings_poll(&r, 5000));
		usleep(100000);
		ASSERT_LE(0, ttd_rings_drain(&r, drain_quietly, &records));
		ASSERT_EQ(0, ttd_get_stats(&nl, &st));
		EXPECT_LE(2, st.processes);
		/* Busy while mapped or open: the module stays. */
		EXPECT_NE(0, ttd_mod_unload());
		EXPECT_TRUE(ttd_mod_loaded());
		ttd_rings_close(&r);
		ttd_nl_close(&nl);
		/* Unload with groups and traced processes still live. */
		usleep(20000);
		err = ttd_mod_unload();
		ASSERT_EQ(0, err) TH_LOG("unload %d: %s", i, strerror(-err));
	}
	TH_LOG("%ld records read over 12 loads", records);
	EXPECT_LT(0, records);
	for (k = 0; k < 2; k++) {
		/* The workload never noticed. */
		EXPECT_EQ(0, kill(w[k].pid, 0));
		kill(w[k].pid, SIGKILL);
		status = ttd_child_wait(&w[k]);
		EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	}
	EXPECT_TRUE(ttd_kernel_log_clean(bad, sizeof(bad)))
	TH_LOG("kernel log: %s", bad);
}

/*
 * Hooks come and go while the workload faults, forks and exits on every
 * CPU: each load arms the probes under running code, each unload disarms
 * them.  Many short cycles make a narrow window there likely to be hit.
 */
#define FAST_CYCLES 24

TEST_F_TIMEOUT(cycles, fast_load_unload_under_faults, 180)
{
	struct ttd_child w[2];
	struct ttd_nl nl;
	uint32_t id;
	int i, k, err, status;
	char bad[2048] = "";

	if (ttd_mod_loaded())
		ASSERT_EQ(0, ttd_mod_unload());
	for (k = 0; k < 2; k++) {
		ASSERT_EQ(0, ttd_child_start(&w[k], churn, NULL));
		ttd_child_go(&w[k]);
	}
	for (i = 0; i < FAST_CYCLES; i++) {
		err = ttd_mod_load(i % 2 ? "ring_mode=1" : "");
		ASSERT_EQ(0, err) TH_LOG("load %d: %s", i, strerror(-err));
		ASSERT_EQ(0, ttd_nl_open(&nl));
		ASSERT_EQ(0, ttd_add_pid(&nl, w[i % 2].pid, TTD_CLASS_ALL, 0,
					 &id));
		ttd_nl_close(&nl);
		err = ttd_mod_unload();
		ASSERT_EQ(0, err) TH_LOG("unload %d: %s", i, strerror(-err));
	}
	for (k = 0; k < 2; k++) {
		EXPECT_EQ(0, kill(w[k].pid, 0));
		kill(w[k].pid, SIGKILL);
		status = ttd_child_wait(&w[k]);
		EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	}
	EXPECT_TRUE(ttd_kernel_log_clean(bad, sizeof(bad)))
	TH_LOG("kernel log: %s", bad);
}

TEST(bad_parameters_refused)
{
	if (ttd_mod_loaded())
		ASSERT_EQ(0, ttd_mod_unload());
	EXPECT_EQ(-EINVAL, ttd_mod_load("ring_kb=3"));
	EXPECT_EQ(-EINVAL, ttd_mod_load("ring_kb=8"));
	EXPECT_EQ(-EINVAL, ttd_mod_load("ring_mode=2"));
	EXPECT_FALSE(ttd_mod_loaded());
	ASSERT_EQ(0, ttd_mod_load("ring_kb=32"));
	ASSERT_EQ(0, ttd_mod_unload());
}

TEST_HARNESS_MAIN
