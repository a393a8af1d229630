// SPDX-License-Identifier: GPL-2.0
/*
 * A burst of records reaches ttdd's recording without a loss, in drop
 * mode.  In the guest run, ttd.ko is loaded with 64 KiB rings, which the
 * burst fills eight times over in about 150 ms of emulated time: a ttdd
 * draining on a 50 ms period loses most of it, and keeps up only when
 * the rings wake it.  On a host (BPF backend, 4 MiB rings) it checks the
 * same thing with room to spare.
 */
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util.h"

#include "kselftest_harness.h"

#define BURST 4000

static void on_usr1(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)si;
	(void)uc;
}

/* Queues BURST signals to itself as fast as it can: two records each. */
static int burst_workload(void *arg)
{
	struct sigaction sa = { .sa_sigaction = on_usr1,
				.sa_flags = SA_SIGINFO };
	int i;

	(void)arg;
	sigaction(SIGUSR1, &sa, NULL);
	for (i = 0; i < BURST; i++) {
		union sigval v = { .sival_int = i };

		if (sigqueue(getpid(), SIGUSR1, v))
			return 1;
	}
	return 0;
}

/* Both fixtures: a private ttdd, with rings of ring bytes if set. */
struct burst_env {
	struct ttdd_proc d;
	char out[192];
};

static void start_ttdd(struct __test_metadata *_metadata, struct burst_env *env,
		       const char *ring)
{
	int e;

	env->d.ring_size = ring;
	e = ttdd_start(&env->d);
	ASSERT_EQ(0, e)
	TH_LOG("ttdd did not start: %s (see %s/ttdd.log)", strerror(-e),
	       env->d.dir);
	snprintf(env->out, sizeof(env->out), "%s/trace.ttd", env->d.dir);
}

FIXTURE(burst)
{
	struct burst_env env;
};

FIXTURE_SETUP(burst)
{
	if (geteuid())
		SKIP(return, "needs root (loads BPF programs)");
	start_ttdd(_metadata, &self->env, NULL);
}

FIXTURE_TEARDOWN(burst)
{
	ttdd_cleanup(&self->env.d);
}

/*
 * In the guest, the rings leave ttdd about 25 ms to drain once woken, and
 * a guest CPU is a host thread that something outside the test can hold
 * up for longer.  A ttdd that is not woken loses most of every burst, so
 * one burst in TRIES without a loss is proof enough that it keeps up.
 */
#define TRIES 3

TEST_F(burst, signals_without_loss)
{
	struct child c;
	struct recs r;
	char err[256] = "";
	int status, end, i;
	size_t lost = 0;

	for (i = 0; i < TRIES; i++) {
		ASSERT_EQ(0, trace_child(self->env.d.sock, self->env.out,
					 burst_workload, NULL, &c, &status,
					 &end, err, sizeof(err)))
		TH_LOG("%s", err);
		ASSERT_EQ(0, status);
		EXPECT_EQ(TTD_CTL_END_EXITED, end);
		ASSERT_EQ(0, recs_load(self->env.out, &r, err, sizeof(err)))
		TH_LOG("%s", err);
		lost = recs_count(&r, TTD_REC_LOST, 0);
		if (!lost)
			break;
		TH_LOG("%zu loss records (try %d of %d)", lost, i + 1, TRIES);
		if (i + 1 < TRIES)
			recs_free(&r);
	}
	EXPECT_EQ(0, r.iter_err) TH_LOG("%s", err);
	EXPECT_EQ(0, lost);
	EXPECT_EQ(BURST, recs_count(&r, TTD_REC_SIGNAL_GENERATE, c.pid));
	EXPECT_EQ(BURST, recs_count(&r, TTD_REC_SIGNAL_DELIVER, c.pid));
	recs_free(&r);
}

/*
 * While ttdd is stopped, the burst fills the 64 KiB rings and the
 * process exits: in drop mode its exit record is among the records
 * dropped.  The session must still end once ttdd runs again, from a
 * recount of the traced processes, not wait for a record that never
 * comes.
 */
FIXTURE(lost_exit)
{
	struct burst_env env;
};

FIXTURE_SETUP(lost_exit)
{
	if (geteuid())
		SKIP(return, "needs root (loads BPF programs)");
	start_ttdd(_metadata, &self->env, "64K");
}

FIXTURE_TEARDOWN(lost_exit)
{
	ttdd_cleanup(&self->env.d);
}

TEST_F(lost_exit, session_ends_without_the_exit_record)
{
	struct start s = { .npids = 1, .output = self->env.out };
	struct child c;
	struct recs r;
	char err[256] = "";
	uint32_t id;
	int sock;

	ASSERT_EQ(0, child_spawn(&c, burst_workload, NULL));
	s.pids = &c.pid;
	ASSERT_EQ(0, trace_start(self->env.d.sock, &s, &sock, &id, err,
				 sizeof(err)))
	TH_LOG("%s", err);
	ASSERT_EQ(0, kill(self->env.d.pid, SIGSTOP));
	child_release(&c);
	ASSERT_EQ(0, child_wait(&c));
	ASSERT_EQ(0, kill(self->env.d.pid, SIGCONT));
	EXPECT_EQ(TTD_CTL_END_EXITED, trace_wait_end(sock, 10000, NULL));
	close(sock);
	ASSERT_EQ(0, recs_load(self->env.out, &r, err, sizeof(err)))
	TH_LOG("%s", err);
	EXPECT_EQ(0, r.iter_err) TH_LOG("%s", err);
	/* Otherwise the test did not test what it says. */
	EXPECT_EQ(0, recs_count(&r, TTD_REC_EXIT, c.pid));
	EXPECT_GT(BURST, recs_count(&r, TTD_REC_SIGNAL_GENERATE, c.pid));
	recs_free(&r);
}

TEST_HARNESS_MAIN
