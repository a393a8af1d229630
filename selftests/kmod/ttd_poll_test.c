// SPDX-License-Identifier: GPL-2.0
/*
 * poll() on /dev/ttd: a consumer sleeps until a ring holds the watermark
 * of unread bytes, and is woken by the producer when it gets there.
 *
 * The producer is a traced child pinned to CPU 0 that queues signals to
 * itself with only signal events enabled: every signal makes exactly two
 * records of REC_SIZE bytes in CPU 0's ring, so how full the ring is at
 * each step is known.  Run with ring_kb=64: small enough for a burst
 * to overflow it many times over in 50 ms.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ttd_kmod.h"

#define REC_SIZE sizeof(struct ttd_rec_signal_generate)
#define SIG_BYTES (2 * REC_SIZE)

static void on_usr1(int sig, siginfo_t *si, void *uc)
{
}

static int pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set);
}

static int queue_signals(long n)
{
	long i;

	for (i = 0; i < n; i++) {
		union sigval v = { .sival_int = i };

		if (sigqueue(getpid(), SIGUSR1, v))
			return -1;
	}
	return 0;
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000;
}

/*
 * Queues @before signals, says so on @ready, waits for a byte on @go,
 * sleeps @delay_ms (so that the parent is asleep in poll() by then) and
 * queues @after more.
 */
struct signaller {
	long before, after;
	int delay_ms;
	int ready[2], go[2];
};

static int signaller(void *arg)
{
	struct signaller *s = arg;
	struct sigaction sa = { .sa_sigaction = on_usr1,
				.sa_flags = SA_SIGINFO };
	char c = 0;

	if (pin(0))
		return 2;
	sigaction(SIGUSR1, &sa, NULL);
	if (queue_signals(s->before))
		return 3;
	if (write(s->ready[1], &c, 1) != 1 || read(s->go[0], &c, 1) != 1)
		return 4;
	usleep(s->delay_ms * 1000);
	return queue_signals(s->after) ? 3 : 0;
}

static int start_signaller(struct ttd_nl *nl, struct ttd_child *c,
			   struct signaller *s, uint32_t *id)
{
	if (pipe(s->ready) || pipe(s->go))
		return -1;
	if (ttd_child_start(c, signaller, s))
		return -1;
	if (ttd_add_pid(nl, c->pid, TTD_CLASS_SIGNAL, 0, id))
		return -1;
	ttd_child_go(c);
	return 0;
}

/* Waits for the child, stops tracing it; returns its wait status. */
static int end_signaller(struct ttd_nl *nl, struct ttd_child *c,
			 struct signaller *s, uint32_t id)
{
	int st = ttd_child_wait(c);

	ttd_del_group(nl, id);
	close(s->ready[0]);
	close(s->ready[1]);
	close(s->go[0]);
	close(s->go[1]);
	return st;
}

static void count_rec(const struct ttd_rec_header *h, void *ctx)
{
	(*(long *)ctx)++;
}

FIXTURE(poll)
{
	struct ttd_nl nl;
	struct ttd_rings r;
};

FIXTURE_SETUP(poll)
{
	long n = 0;

	ASSERT_EQ(0, ttd_nl_open(&self->nl));
	ASSERT_EQ(0, ttd_set_mode(&self->nl, TTD_RING_DROP));
	ASSERT_EQ(0, ttd_rings_open(&self->r));
	ASSERT_EQ(65536, self->r.info.data_size)
	TH_LOG("load ttd.ko with ring_kb=64");
	ASSERT_LE(0, ttd_rings_drain(&self->r, count_rec, &n));
}

FIXTURE_TEARDOWN(poll)
{
	ttd_rings_close(&self->r);
	ttd_nl_close(&self->nl);
}

/* First, while the watermark is still the one the module loaded with. */
TEST_F(poll, bad_watermarks_rejected)
{
	uint64_t size = self->r.info.data_size;
	struct ttd_watermark wm = { .bytes = 64, .reserved = 1 };
	struct ttd_ring_info info;

	EXPECT_EQ(size / 4, self->r.info.watermark);
	EXPECT_EQ(-EINVAL, ttd_rings_set_watermark(&self->r, 0));
	EXPECT_EQ(-EINVAL, ttd_rings_set_watermark(&self->r, size + 1));
	EXPECT_EQ(-EINVAL, ttd_rings_set_watermark(&self->r, UINT64_MAX));
	EXPECT_EQ(-1, ioctl(self->r.fd, TTD_IOC_SET_WATERMARK, &wm));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(self->r.fd, TTD_IOC_SET_WATERMARK, (void *)8));
	EXPECT_EQ(EFAULT, errno);
	/* Nothing rejected changed it. */
	ASSERT_EQ(0, ioctl(self->r.fd, TTD_IOC_GET_INFO, &info));
	EXPECT_EQ(size / 4, info.watermark);

	EXPECT_EQ(0, ttd_rings_set_watermark(&self->r, 1));
	ASSERT_EQ(0, ioctl(self->r.fd, TTD_IOC_GET_INFO, &info));
	EXPECT_EQ(1, info.watermark);
	EXPECT_EQ(0, ttd_rings_set_watermark(&self->r, size));
	ASSERT_EQ(0, ioctl(self->r.fd, TTD_IOC_GET_INFO, &info));
	EXPECT_EQ(size, info.watermark);
}

TEST_F(poll, times_out_when_nothing_traced)
{
	struct signaller s = { .before = 1, .after = 0 };
	struct ttd_child c;
	uint32_t id;
	long n = 0;
	char b;

	/* Any record would do, and there is none. */
	ASSERT_EQ(0, ttd_rings_set_watermark(&self->r, 8));
	EXPECT_EQ(0, ttd_rings_poll(&self->r, 0));
	EXPECT_EQ(0, ttd_rings_poll(&self->r, 1000));

	/* One signal is enough to tell the test is not blind. */
	ASSERT_EQ(0, start_signaller(&self->nl, &c, &s, &id));
	ASSERT_EQ(1, read(s.ready[0], &b, 1));
	EXPECT_EQ(1, ttd_rings_poll(&self->r, 0));
	ASSERT_EQ(1, write(s.go[1], &b, 1));
	EXPECT_EQ(0, end_signaller(&self->nl, &c, &s, id));
	EXPECT_EQ(2, ttd_rings_drain(&self->r, count_rec, &n));
	/* Acknowledged: nothing left to report. */
	EXPECT_EQ(0, ttd_rings_poll(&self->r, 500));
}

TEST_F(poll, sleeps_below_watermark_and_wakes_past_it)
{
	const uint64_t wm = 32 * SIG_BYTES;
	struct signaller s = { .before = 16, .after = 32, .delay_ms = 300 };
	struct ttd_child c;
	long t0, waited, n = 0;
	uint32_t id;
	char b;
	int ready;

	ASSERT_EQ(0, ttd_rings_set_watermark(&self->r, wm));
	ASSERT_EQ(0, start_signaller(&self->nl, &c, &s, &id));
	ASSERT_EQ(1, read(s.ready[0], &b, 1));
	/* Half the watermark: poll() sleeps and times out. */
	EXPECT_EQ(16 * SIG_BYTES, ttd_ring_unread(&self->r, 0));
	EXPECT_EQ(0, ttd_rings_poll(&self->r, 1000));

	/* Asleep when the child crosses it: the producer must wake us. */
	ASSERT_EQ(1, write(s.go[1], &b, 1));
	t0 = now_ms();
	ready = ttd_rings_poll(&self->r, 15000);
	waited = now_ms() - t0;
	EXPECT_EQ(1, ready);
	EXPECT_LT(waited, 10000);
	EXPECT_LE(wm, ttd_ring_unread(&self->r, 0));
	TH_LOG("woken after %ld ms with %llu bytes unread", waited,
	       (unsigned long long)ttd_ring_unread(&self->r, 0));

	EXPECT_EQ(0, end_signaller(&self->nl, &c, &s, id));
	EXPECT_EQ(2 * 48, ttd_rings_drain(&self->r, count_rec, &n));
	EXPECT_EQ(0, ttd_rings_poll(&self->r, 0));
}

/*
 * A consumer thread on CPU 1 drains while the child bursts on CPU 0:
 * either every 50 ms, or whenever poll() says so.
 */
struct consumer {
	struct ttd_rings *r;
	bool use_poll;
	atomic_bool stop;
	long records, markers, wakeups, timeouts;
	int err;
};

static void count_kind(const struct ttd_rec_header *h, void *ctx)
{
	struct consumer *c = ctx;

	if (h->type == TTD_REC_LOST)
		c->markers++;
	else
		c->records++;
}

static void *consume(void *arg)
{
	struct consumer *c = arg;
	long n;
	int p;

	if (pin(1)) {
		c->err = errno;
		return NULL;
	}
	while (!atomic_load(&c->stop)) {
		if (c->use_poll) {
			p = ttd_rings_poll(c->r, 200);
			if (p < 0) {
				c->err = -p;
				return NULL;
			}
			if (p)
				c->wakeups++;
			else
				c->timeouts++;
		} else {
			usleep(50000);
		}
		n = ttd_rings_drain(c->r, count_kind, c);
		if (n < 0) {
			c->err = -n;
			return NULL;
		}
	}
	n = ttd_rings_drain(c->r, count_kind, c);
	if (n < 0)
		c->err = -n;
	return NULL;
}

#define BURST 4000

/* Runs the burst against a consumer; returns the records lost. */
static long burst(struct __test_metadata *_metadata, struct ttd_nl *nl,
		  struct consumer *con)
{
	struct signaller s = { .before = 0, .after = BURST };
	struct ttd_stats st;
	struct ttd_child c;
	pthread_t t;
	long t0;
	uint32_t id;
	char b;

	/* A fresh ring and fresh counters for each consumer. */
	EXPECT_EQ(0, ttd_set_mode(nl, TTD_RING_DROP));
	EXPECT_EQ(0, ttd_rings_open(con->r));
	EXPECT_EQ(0,
		  ttd_rings_set_watermark(con->r, con->r->info.data_size / 4));
	EXPECT_EQ(0, pthread_create(&t, NULL, consume, con));
	EXPECT_EQ(0, start_signaller(nl, &c, &s, &id));
	EXPECT_EQ(1, read(s.ready[0], &b, 1));
	t0 = now_ms();
	EXPECT_EQ(1, write(s.go[1], &b, 1));
	EXPECT_EQ(0, end_signaller(nl, &c, &s, id));
	TH_LOG("%s consumer: %d signals in %ld ms",
	       con->use_poll ? "poll()" : "50 ms", BURST, now_ms() - t0);
	atomic_store(&con->stop, true);
	pthread_join(t, NULL);
	EXPECT_EQ(0, con->err);
	EXPECT_EQ(0, ttd_get_stats(nl, &st));
	TH_LOG("%ld records, %ld lost markers, %llu lost, %ld wake-ups, "
	       "%ld timeouts",
	       con->records, con->markers, (unsigned long long)st.lost,
	       con->wakeups, con->timeouts);
	EXPECT_EQ(2 * BURST, st.records + st.lost);
	EXPECT_EQ(st.records, con->records);
	ttd_rings_close(con->r);
	return st.lost;
}

/*
 * The guest's CPUs are threads of the host, so the consumer can lose its
 * CPU to something outside the test for longer than the rest of the ring
 * takes to fill (about 25 ms).  A consumer that poll() does not wake
 * loses most of every burst, so one burst in TRIES without a loss is
 * proof enough that it is woken in time.
 */
#define TRIES 3

TEST_F(poll, drop_mode_burst_kept_up_with)
{
	struct consumer tick = { .r = &self->r };
	struct consumer woken;
	long lost = 0;
	int i;

	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		SKIP(return, "needs two CPUs");
	ttd_rings_close(&self->r);
	/* The burst overflows a consumer that looks every 50 ms ... */
	EXPECT_LT(0, burst(_metadata, &self->nl, &tick));
	/* ... and one that sleeps in poll() keeps up. */
	for (i = 0; i < TRIES; i++) {
		woken = (struct consumer){ .r = &self->r, .use_poll = true };
		lost = burst(_metadata, &self->nl, &woken);
		if (!lost)
			break;
		TH_LOG("the poll() consumer lost %ld records (try %d of %d)",
		       lost, i + 1, TRIES);
	}
	EXPECT_EQ(0, lost);
	EXPECT_EQ(0, woken.markers);
	EXPECT_EQ(2 * BURST, woken.records);
	EXPECT_LT(0, woken.wakeups);
	/* Reopened for the teardown. */
	ASSERT_EQ(0, ttd_rings_open(&self->r));
}

TEST_HARNESS_MAIN
