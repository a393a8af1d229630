// SPDX-License-Identifier: GPL-2.0
/*
 * Ring overflow in drop and overwrite mode, with exact lost counts.
 *
 * A traced child pinned to one CPU queues N signals to itself, each
 * carrying its index; with only signal events enabled every signal makes
 * exactly two records of the same size (generate, deliver), so what the
 * ring must hold and what it must have lost is known exactly.  Run with
 * ring_kb=16.
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>

#include "kselftest_harness.h"
#include "ttd_kmod.h"

#define REC_SIZE sizeof(struct ttd_rec_signal_generate)

static void on_usr1(int sig, siginfo_t *si, void *uc)
{
}

static int queue_signals(void *arg)
{
	long n = (long)arg, i;
	struct sigaction sa = { .sa_sigaction = on_usr1,
				.sa_flags = SA_SIGINFO };
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(0, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		return 2;
	sigaction(SIGUSR1, &sa, NULL);
	for (i = 0; i < n; i++) {
		union sigval v = { .sival_int = i };

		if (sigqueue(getpid(), SIGUSR1, v))
			return 3;
	}
	return 0;
}

/* Runs a traced child queueing @n signals; returns 0 or -1. */
static int run_signaller(struct ttd_nl *nl, long n)
{
	struct ttd_child c;
	uint32_t id;
	int st;

	if (ttd_child_start(&c, queue_signals, (void *)n))
		return -1;
	/* The child is pinned by itself once released. */
	if (ttd_add_pid(nl, c.pid, TTD_CLASS_SIGNAL, 0, &id))
		return -1;
	st = ttd_child_wait(&c);
	ttd_del_group(nl, id);
	return st == 0 ? 0 : -1;
}

struct seq_check {
	long first; /* value of the first generate record */
	long next; /* expected value of the next one */
	long gens, dels, markers;
	uint64_t marked; /* sum of lost markers */
	bool bad_order;
	bool want_gen;
};

static void check_rec(const struct ttd_rec_header *h, void *ctx)
{
	struct seq_check *s = ctx;
	const struct ttd_rec_signal_generate *g = (const void *)h;

	if (h->type == TTD_REC_LOST) {
		s->markers++;
		s->marked += ((const struct ttd_rec_lost *)h)->count;
		return;
	}
	if (h->size != REC_SIZE)
		s->bad_order = true;
	if (h->type == TTD_REC_SIGNAL_GENERATE) {
		if (s->first < 0) {
			s->first = g->value;
			s->next = g->value;
		}
		if (!s->want_gen || (long)g->value != s->next)
			s->bad_order = true;
		s->next = g->value + 1;
		s->gens++;
		s->want_gen = false;
	} else if (h->type == TTD_REC_SIGNAL_DELIVER) {
		/* The ring may start with the deliver half of a pair. */
		if (s->want_gen && s->gens)
			s->bad_order = true;
		s->dels++;
		s->want_gen = true;
	} else {
		s->bad_order = true;
	}
}

static void seq_init(struct seq_check *s)
{
	memset(s, 0, sizeof(*s));
	s->first = -1;
	s->want_gen = true;
}

FIXTURE(ring)
{
	struct ttd_nl nl;
	struct ttd_rings r;
};

FIXTURE_SETUP(ring)
{
	ASSERT_EQ(0, ttd_nl_open(&self->nl));
}

FIXTURE_TEARDOWN(ring)
{
	ttd_nl_close(&self->nl);
}

TEST_F(ring, drop_mode_exact)
{
	const long n = 1000;
	struct ttd_stats st;
	struct seq_check s;
	uint64_t cap, lost1;
	long got;

	ASSERT_EQ(0, ttd_set_mode(&self->nl, TTD_RING_DROP));
	ASSERT_EQ(0, ttd_rings_open(&self->r));
	ASSERT_EQ(16384, self->r.info.data_size)
	TH_LOG("load ttd.ko with ring_kb=16");
	cap = self->r.info.data_size / REC_SIZE;

	ASSERT_EQ(0, run_signaller(&self->nl, n));
	ASSERT_EQ(0, ttd_get_stats(&self->nl, &st));
	EXPECT_EQ(2 * n, st.records + st.lost);
	EXPECT_EQ(cap, st.records);
	lost1 = st.lost;

	/* Drop mode keeps the oldest records: the first ones, in order. */
	seq_init(&s);
	got = ttd_rings_drain(&self->r, check_rec, &s);
	EXPECT_EQ((long)cap, got);
	EXPECT_EQ(0, s.first);
	EXPECT_FALSE(s.bad_order);
	EXPECT_EQ(0, s.markers);

	/* With room again, a marker reports exactly what was dropped, then
	 * the ring fills and drops again. */
	ASSERT_EQ(0, run_signaller(&self->nl, n));
	seq_init(&s);
	got = ttd_rings_drain(&self->r, check_rec, &s);
	EXPECT_EQ(1, s.markers);
	EXPECT_EQ(lost1, s.marked);
	EXPECT_EQ(0, s.first);
	EXPECT_FALSE(s.bad_order);
	ASSERT_EQ(0, ttd_get_stats(&self->nl, &st));
	EXPECT_EQ(4 * n, st.records + st.lost);
	EXPECT_EQ(st.records - cap, (uint64_t)(got - s.markers));
	ttd_rings_close(&self->r);
}

TEST_F(ring, overwrite_mode_exact)
{
	const long n = 1000, n2 = 100;
	struct ttd_stats st;
	struct seq_check s;
	uint64_t lost1;
	long got;

	ASSERT_EQ(0, ttd_set_mode(&self->nl, TTD_RING_OVERWRITE));
	ASSERT_EQ(0, ttd_rings_open(&self->r));
	ASSERT_EQ(0, ttd_get_stats(&self->nl, &st));
	ASSERT_EQ(0, st.records + st.lost) TH_LOG("mode change resets");

	ASSERT_EQ(0, run_signaller(&self->nl, n));
	ASSERT_EQ(0, ttd_get_stats(&self->nl, &st));
	/* Everything is written; what was overwritten unread is lost. */
	EXPECT_EQ(2 * n, st.records);
	seq_init(&s);
	got = ttd_rings_drain(&self->r, check_rec, &s);
	EXPECT_EQ(2 * n, got + st.lost);
	EXPECT_FALSE(s.bad_order);
	/* The newest records survive, ending with the last signal. */
	EXPECT_EQ(n, s.next);
	EXPECT_GE(got, (long)(self->r.info.data_size / REC_SIZE) - 2);
	lost1 = st.lost;

	/* Overwriting records the consumer already read loses nothing. */
	ASSERT_EQ(0, run_signaller(&self->nl, n2));
	ASSERT_EQ(0, ttd_get_stats(&self->nl, &st));
	EXPECT_EQ(lost1, st.lost);
	seq_init(&s);
	got = ttd_rings_drain(&self->r, check_rec, &s);
	EXPECT_EQ(2 * n2, got);
	EXPECT_EQ(0, s.first);
	EXPECT_EQ(n2, s.next);
	EXPECT_FALSE(s.bad_order);
	ttd_rings_close(&self->r);
	ASSERT_EQ(0, ttd_set_mode(&self->nl, TTD_RING_DROP));
}

TEST_F(ring, consume_validation)
{
	struct ttd_consume c = { 0 };
	const struct ttd_ring_header *h;

	ASSERT_EQ(0, ttd_set_mode(&self->nl, TTD_RING_DROP));
	ASSERT_EQ(0, ttd_rings_open(&self->r));
	ASSERT_EQ(0, run_signaller(&self->nl, 10));
	h = ttd_ring_hdr(&self->r, 0);
	ASSERT_NE(NULL, h);
	ASSERT_EQ(20 * REC_SIZE, h->head);
	c.cpu = 0;
	c.position = h->head + 8;
	EXPECT_EQ(-1, ioctl(self->r.fd, TTD_IOC_CONSUME, &c));
	EXPECT_EQ(EINVAL, errno);
	c.position = 4;
	EXPECT_EQ(-1, ioctl(self->r.fd, TTD_IOC_CONSUME, &c));
	c.position = REC_SIZE;
	EXPECT_EQ(0, ioctl(self->r.fd, TTD_IOC_CONSUME, &c));
	EXPECT_EQ(REC_SIZE, h->consumed);
	EXPECT_EQ(REC_SIZE, h->tail);
	c.position = 0; /* backwards */
	EXPECT_EQ(-1, ioctl(self->r.fd, TTD_IOC_CONSUME, &c));
	c.position = REC_SIZE;
	c.reserved = 1;
	EXPECT_EQ(-1, ioctl(self->r.fd, TTD_IOC_CONSUME, &c));
	c.reserved = 0;
	c.cpu = self->r.info.nr_cpu_ids;
	EXPECT_EQ(-1, ioctl(self->r.fd, TTD_IOC_CONSUME, &c));
	ttd_rings_close(&self->r);
}

TEST_HARNESS_MAIN
