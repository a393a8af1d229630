// SPDX-License-Identifier: GPL-2.0
/*
 * Drain rate of kernel records, in records per second:
 *
 *   drain_bench ttdd SOCKET PID COUNT
 *                                   fill a ring of the running ttdd (the
 *                                   newest "rings" map) while it is
 *                                   stopped, then time until it reports
 *                                   them all drained
 *   drain_bench loop COUNT FILE RING_BYTES
 *                                   the classic consumer: epoll, copy
 *                                   each record out, write() 1 MiB
 *                                   buffers, on rings of its own
 *
 * The producer is a BPF program run with BPF_PROG_TEST_RUN; the ring is
 * filled before the clock starts, so only the consumer is timed (pinned
 * to CPU 0; ttdd by the caller).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "ctl_client.h"
#include "fill.skel.h"

struct fill_args {
	__u32 ring;
	__u32 count;
	__u64 slots;
	__u64 written;
	__u64 dropped;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void pin(int cpu)
{
	cpu_set_t s;

	CPU_ZERO(&s);
	CPU_SET(cpu, &s);
	sched_setaffinity(0, sizeof(s), &s);
}

static struct fill *open_filler(int rings_fd)
{
	struct fill *f = fill__open();

	if (!f || bpf_map__reuse_fd(f->maps.rings, rings_fd) || fill__load(f)) {
		fprintf(stderr, "drain_bench: cannot load the filler\n");
		exit(1);
	}
	return f;
}

/* Write count records into ring; returns the number dropped. */
static uint64_t produce(struct fill *f, unsigned int ring, uint64_t count,
			uint64_t slots)
{
	struct fill_args a;
	uint64_t dropped = 0;
	LIBBPF_OPTS(bpf_test_run_opts, o, .ctx_in = &a,
		    .ctx_size_in = sizeof(a));

	while (count) {
		memset(&a, 0, sizeof(a));
		a.ring = ring;
		a.count = count > (1 << 20) ? 1 << 20 : count;
		a.slots = slots;
		if (bpf_prog_test_run_opts(bpf_program__fd(f->progs.fill),
					   &o)) {
			perror("drain_bench: test_run");
			exit(1);
		}
		dropped += a.dropped;
		count -= a.count;
	}
	return dropped;
}

/* The newest map called "rings": the ttdd just started. */
static int find_rings(void)
{
	struct bpf_map_info info;
	__u32 id = 0, len;
	int fd, best = -1;

	while (!bpf_map_get_next_id(id, &id)) {
		fd = bpf_map_get_fd_by_id(id);
		if (fd < 0)
			continue;
		len = sizeof(info);
		memset(&info, 0, len);
		if (!bpf_obj_get_info_by_fd(fd, &info, &len) &&
		    !strcmp(info.name, "rings") &&
		    info.type == BPF_MAP_TYPE_ARRAY_OF_MAPS) {
			if (best >= 0)
				close(best);
			best = fd;
			continue;
		}
		close(fd);
	}
	return best;
}

static uint64_t ttdd_drained(const char *sock)
{
	unsigned char buf[TTD_CTL_MAX_MSG];
	struct ttd_ctl_hdr h;
	struct ctl_iter it;
	struct ctl_attr a;
	struct ctl_msg m;
	const char *why;
	uint64_t v = 0;
	int s = ctl_connect(sock), n;

	if (s < 0)
		return 0;
	ctl_msg_init(&m, TTD_CTL_STATUS, 1);
	n = ctl_send(s, &m, -1);
	if (!n)
		n = ctl_recv(s, buf, &h, &why);
	close(s);
	if (n < 0)
		return 0;
	ctl_iter_init(&it, buf + sizeof(h), n);
	while (ctl_iter_next(&it, &a) > 0)
		if (a.type == TTD_CTL_A_EVENTS)
			ctl_attr_u64(&a, &v);
	return v;
}

static int bench_ttdd(const char *sock, pid_t ttdd, uint64_t count)
{
	int rings = find_rings();
	struct fill *f;
	uint64_t base, dropped;
	double t0, t1;

	if (rings < 0) {
		fprintf(stderr, "drain_bench: no ttdd rings map found\n");
		return 1;
	}
	pin(1);
	f = open_filler(rings);
	base = ttdd_drained(sock);
	/*
	 * Fill the ring while ttdd is stopped, then time ttdd alone: the
	 * producer is faster than any consumer and must not be measured.
	 * Slot 0 is the session the caller started first.
	 */
	kill(ttdd, SIGSTOP);
	dropped = produce(f, 1, count, 1);
	t0 = now();
	kill(ttdd, SIGCONT);
	while (ttdd_drained(sock) < base + count - dropped && now() - t0 < 120)
		usleep(2000);
	t1 = now();
	printf("%.0f %llu\n", (count - dropped) / (t1 - t0),
	       (unsigned long long)dropped);
	fill__destroy(f);
	return 0;
}

struct loop {
	struct ring_buffer *rb;
	int out;
	unsigned char *buf;
	size_t used;
	uint64_t got, want;
};

static int loop_cb(void *ctx, void *data, size_t len)
{
	struct loop *l = ctx;

	if (l->used + len > (1 << 20)) {
		if (write(l->out, l->buf, l->used) != (ssize_t)l->used)
			return -EIO;
		l->used = 0;
	}
	memcpy(l->buf + l->used, data, len);
	l->used += len;
	l->got++;
	return 0;
}

static void *consumer(void *arg)
{
	struct loop *l = arg;

	pin(0);
	/*
	 * The producer wakes a consumer only when it had caught up, so a
	 * poll can time out with records waiting: consume after every poll,
	 * as ttdd does on its timer.
	 */
	while (l->got < l->want)
		if (ring_buffer__poll(l->rb, 10) < 0 ||
		    ring_buffer__consume(l->rb) < 0)
			break;
	if (l->used && write(l->out, l->buf, l->used) < 0)
		perror("write");
	return NULL;
}

static int bench_loop(uint64_t count, const char *file, size_t bytes)
{
	struct loop l = { .want = count };
	int outer, ring[2], i;
	struct fill *f;
	pthread_t t;
	double t0, t1;
	uint64_t dropped;

	for (i = 0; i < 2; i++) {
		ring[i] = bpf_map_create(BPF_MAP_TYPE_RINGBUF, NULL, 0, 0,
					 bytes, NULL);
		if (ring[i] < 0) {
			perror("drain_bench: ring");
			return 1;
		}
	}
	{
		LIBBPF_OPTS(bpf_map_create_opts, mo, .inner_map_fd = ring[0]);

		outer = bpf_map_create(BPF_MAP_TYPE_ARRAY_OF_MAPS, "rings", 4,
				       4, 2, &mo);
	}
	if (outer < 0) {
		perror("drain_bench: rings map");
		return 1;
	}
	for (i = 0; i < 2; i++)
		bpf_map_update_elem(outer, &i, &ring[i], BPF_ANY);
	l.rb = ring_buffer__new(ring[1], loop_cb, &l, NULL);
	l.buf = malloc(1 << 20);
	l.out = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (!l.rb || !l.buf || l.out < 0) {
		perror("drain_bench");
		return 1;
	}
	pin(1);
	f = open_filler(outer);
	dropped = produce(f, 1, count, 1);
	l.want = count - dropped;
	t0 = now();
	pthread_create(&t, NULL, consumer, &l);
	pthread_join(t, NULL);
	t1 = now();
	printf("%.0f %llu\n", l.got / (t1 - t0), (unsigned long long)dropped);
	fill__destroy(f);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 5 && !strcmp(argv[1], "ttdd"))
		return bench_ttdd(argv[2], atoi(argv[3]),
				  strtoull(argv[4], NULL, 0));
	if (argc == 5 && !strcmp(argv[1], "loop"))
		return bench_loop(strtoull(argv[2], NULL, 0), argv[3],
				  strtoull(argv[4], NULL, 0));
	fprintf(stderr, "usage: drain_bench ttdd SOCKET TTDD_PID COUNT\n"
			"       drain_bench loop COUNT FILE RING_BYTES\n");
	return 2;
}
