// SPDX-License-Identifier: GPL-2.0
/*
 * The BPF backend: loads the CO-RE program of bpf/ttd_trace.bpf.c, gives
 * it one ring buffer per CPU (an array of ring-buffer maps, so that each
 * CPU's records stay a stream of their own), and attaches the programs
 * only while at least one session runs, so an idle ttdd costs nothing.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "backend.h"
#include "bpf/ttd_sample.h"
#include "log.h"
#include "ttd_trace.skel.h"

struct bpf_backend {
	struct backend b;
	struct ttd_trace *skel;
	struct ring_buffer *rb;
	int *ring_fds;
	uint64_t active; /* slots started */
	int attached;
	backend_record_fn fn; /* valid during a drain */
	void *fn_ctx;
	int stop;
};

#define to_bpf(b) ((struct bpf_backend *)(b))

static int libbpf_log(enum libbpf_print_level lvl, const char *fmt, va_list ap)
{
	char buf[512];
	size_t n;

	if (lvl == LIBBPF_DEBUG)
		return 0;
	vsnprintf(buf, sizeof(buf), fmt, ap);
	n = strlen(buf);
	if (n && buf[n - 1] == '\n')
		buf[n - 1] = '\0';
	log_msg(lvl == LIBBPF_WARN ? LOG_WARNING : LOG_INFO, "libbpf: %s", buf);
	return 0;
}

static int on_sample(void *ctx, void *data, size_t len)
{
	struct bpf_backend *bb = ctx;
	const struct ttdd_sample_hdr *s = data;
	const struct ttd_rec_header *rec = (const void *)(s + 1);

	if (len < sizeof(*s) + sizeof(*rec) || rec->size < sizeof(*rec) ||
	    rec->size > len - sizeof(*s)) {
		log_warn("bpf: malformed ring record (%zu bytes), skipped",
			 len);
		return 0;
	}
	if (bb->fn(bb->fn_ctx, s->slots, rec)) {
		bb->stop = 1;
		return -ECANCELED;
	}
	return 0;
}

static int attach(struct bpf_backend *bb)
{
	int err;

	if (bb->attached)
		return 0;
	err = ttd_trace__attach(bb->skel);
	if (err) {
		log_err("bpf: attaching the programs failed: %s",
			strerror(-err));
		return err;
	}
	bb->attached = 1;
	return 0;
}

static void detach(struct bpf_backend *bb)
{
	if (!bb->attached)
		return;
	ttd_trace__detach(bb->skel);
	bb->attached = 0;
}

static int bpf_slot_start(struct backend *b, unsigned int slot, uint32_t flags)
{
	struct bpf_backend *bb = to_bpf(b);
	uint64_t bit = 1ULL << slot;
	int err;

	if (flags & TTD_GROUP_NO_CHILDREN)
		bb->skel->bss->nochild_slots |= bit;
	else
		bb->skel->bss->nochild_slots &= ~bit;
	err = attach(bb);
	if (err)
		return err;
	bb->active |= bit;
	bb->skel->bss->active_slots = bb->active;
	return 0;
}

static int map_or_bits(int fd, const void *key, uint64_t bit)
{
	uint64_t v = 0;

	if (bpf_map_lookup_elem(fd, key, &v) && errno != ENOENT)
		return -errno;
	v |= bit;
	if (bpf_map_update_elem(fd, key, &v, BPF_ANY))
		return -errno;
	return 0;
}

/* After any change to the tgid hash: the switch hook's per-CPU cache of
 * it holds only while this generation stays. */
static void tgids_changed(struct bpf_backend *bb)
{
	__atomic_fetch_add(&bb->skel->bss->tgids_gen, 1, __ATOMIC_SEQ_CST);
}

/* The hooks' filter in front of the tgid hash (see ttd_sample.h). */
static void tgid_mark(struct bpf_backend *bb, uint32_t tgid, bool on)
{
	__u64 *w = &bb->skel->bss->traced_tgids[tgid / 64];
	uint64_t bit = 1ULL << (tgid % 64);

	tgids_changed(bb);
	if (on)
		__atomic_fetch_or(w, bit, __ATOMIC_SEQ_CST);
	else
		__atomic_fetch_and(w, ~bit, __ATOMIC_SEQ_CST);
}

static int bpf_slot_add_pid(struct backend *b, unsigned int slot, pid_t tgid)
{
	struct bpf_backend *bb = to_bpf(b);
	uint32_t key = tgid;
	int err;

	if (tgid <= 0 || (uint32_t)tgid >= TTDD_PID_LIMIT)
		return -EINVAL;
	err = map_or_bits(bpf_map__fd(bb->skel->maps.tgids), &key,
			  1ULL << slot);
	/* Entry first, then the bit: the hooks must never skip a task
	 * whose entry exists. */
	if (!err)
		tgid_mark(bb, tgid, true);
	return err;
}

static int bpf_slot_add_cgroup(struct backend *b, unsigned int slot,
			       uint64_t cgid)
{
	struct bpf_backend *bb = to_bpf(b);
	int err;

	err = map_or_bits(bpf_map__fd(bb->skel->maps.cgroups), &cgid,
			  1ULL << slot);
	if (!err)
		bb->skel->bss->nr_cgroups++;
	return err;
}

/*
 * Visit every entry of a hash map holding slot masks.  Keys are copied
 * first: deleting while walking with get_next_key restarts the walk.
 */
static int clear_slot(struct bpf_backend *bb, int fd, size_t ksz, uint64_t bit,
		      int *left)
{
	unsigned char key[8], next[8];
	unsigned char *keys = NULL;
	size_t n = 0, cap = 0, i;
	int removed = 0;
	void *prev = NULL;
	uint64_t v;

	while (!bpf_map_get_next_key(fd, prev, next)) {
		if (n == cap) {
			unsigned char *k;

			cap = cap ? cap * 2 : 256;
			k = realloc(keys, cap * ksz);
			if (!k)
				break;
			keys = k;
		}
		memcpy(keys + n++ * ksz, next, ksz);
		memcpy(key, next, ksz);
		prev = key;
	}
	for (i = 0; i < n; i++) {
		void *k = keys + i * ksz;

		if (bpf_map_lookup_elem(fd, k, &v) || !(v & bit))
			continue;
		if (left) {
			(*left)++;
			continue;
		}
		v &= ~bit;
		if (v) {
			bpf_map_update_elem(fd, k, &v, BPF_EXIST);
		} else if (!bpf_map_delete_elem(fd, k) && ksz == 4) {
			uint32_t tgid;

			memcpy(&tgid, k, sizeof(tgid));
			tgid_mark(bb, tgid, false);
		}
		removed++;
	}
	free(keys);
	if (removed && ksz == 4)
		tgids_changed(bb);
	return removed;
}

static int bpf_slot_nr_pids(struct backend *b, unsigned int slot)
{
	struct bpf_backend *bb = to_bpf(b);
	int left = 0;

	clear_slot(bb, bpf_map__fd(bb->skel->maps.tgids), 4, 1ULL << slot,
		   &left);
	return left;
}

static void bpf_slot_stop(struct backend *b, unsigned int slot)
{
	struct bpf_backend *bb = to_bpf(b);
	uint64_t bit = 1ULL << slot;
	int n;

	bb->active &= ~bit;
	bb->skel->bss->active_slots = bb->active;
	bb->skel->bss->nochild_slots &= ~bit;
	clear_slot(bb, bpf_map__fd(bb->skel->maps.tgids), 4, bit, NULL);
	n = clear_slot(bb, bpf_map__fd(bb->skel->maps.cgroups), 8, bit, NULL);
	if ((unsigned int)n > bb->skel->bss->nr_cgroups)
		n = bb->skel->bss->nr_cgroups;
	bb->skel->bss->nr_cgroups -= n;
	if (!bb->active)
		detach(bb);
}

static int bpf_poll_fds(struct backend *b, int *fds)
{
	fds[0] = ring_buffer__epoll_fd(to_bpf(b)->rb);
	return 1;
}

static long bpf_drain(struct backend *b, backend_record_fn fn, void *ctx)
{
	struct bpf_backend *bb = to_bpf(b);
	int n;

	bb->fn = fn;
	bb->fn_ctx = ctx;
	bb->stop = 0;
	n = ring_buffer__consume(bb->rb);
	if (n < 0 && bb->stop)
		return 0;
	return n;
}

static uint64_t bpf_lost(struct backend *b)
{
	struct bpf_backend *bb = to_bpf(b);
	struct ttdd_drops *d;
	uint64_t total = 0;
	uint32_t zero = 0;
	unsigned int i;

	d = calloc(b->ncpus, sizeof(*d));
	if (!d)
		return 0;
	if (!bpf_map_lookup_elem(bpf_map__fd(bb->skel->maps.drops), &zero, d))
		for (i = 0; i < b->ncpus; i++)
			total += d[i].total;
	free(d);
	return total;
}

static void bpf_close(struct backend *b)
{
	struct bpf_backend *bb = to_bpf(b);
	unsigned int i;

	ring_buffer__free(bb->rb);
	if (bb->ring_fds)
		for (i = 0; i < b->ncpus; i++)
			if (bb->ring_fds[i] >= 0)
				close(bb->ring_fds[i]);
	free(bb->ring_fds);
	ttd_trace__destroy(bb->skel);
	free(bb);
}

static const struct backend_ops bpf_ops = {
	.name = "bpf",
	.slot_start = bpf_slot_start,
	.slot_add_pid = bpf_slot_add_pid,
	.slot_add_cgroup = bpf_slot_add_cgroup,
	.slot_nr_pids = bpf_slot_nr_pids,
	.slot_stop = bpf_slot_stop,
	.poll_fds = bpf_poll_fds,
	.drain = bpf_drain,
	.lost = bpf_lost,
	.close = bpf_close,
};

static int make_rings(struct bpf_backend *bb, size_t bytes)
{
	unsigned int i;
	int fd;

	bb->ring_fds = malloc(bb->b.ncpus * sizeof(int));
	if (!bb->ring_fds)
		return -ENOMEM;
	for (i = 0; i < bb->b.ncpus; i++)
		bb->ring_fds[i] = -1;
	for (i = 0; i < bb->b.ncpus; i++) {
		fd = bpf_map_create(BPF_MAP_TYPE_RINGBUF, NULL, 0, 0, bytes,
				    NULL);
		if (fd < 0)
			return -errno;
		bb->ring_fds[i] = fd;
		if (!bb->rb)
			bb->rb = ring_buffer__new(fd, on_sample, bb, NULL);
		else if (ring_buffer__add(bb->rb, fd, on_sample, bb))
			return -errno;
		if (!bb->rb)
			return -errno;
	}
	return 0;
}

static int fill_rings(struct bpf_backend *bb)
{
	int outer = bpf_map__fd(bb->skel->maps.rings);
	unsigned int i;

	for (i = 0; i < bb->b.ncpus; i++)
		if (bpf_map_update_elem(outer, &i, &bb->ring_fds[i], BPF_ANY))
			return -errno;
	return 0;
}

int backend_bpf_open(struct backend **bp, const struct backend_opts *o)
{
	struct bpf_backend *bb;
	int err, n;

	if (o->ring_mode != TTD_RING_DROP) {
		log_err("bpf: BPF ring buffers cannot overwrite their oldest "
			"records; overwrite mode needs ttd.ko");
		return -EOPNOTSUPP;
	}
	libbpf_set_print(libbpf_log);
	n = libbpf_num_possible_cpus();
	if (n <= 0)
		return n < 0 ? n : -EINVAL;
	bb = calloc(1, sizeof(*bb));
	if (!bb)
		return -ENOMEM;
	bb->b.ops = &bpf_ops;
	bb->b.ncpus = n;
	/* The programs wake ttdd only per quarter ring: what stays below
	 * that is drained on this short period. */
	bb->b.drain_ns = 50 * 1000000ULL;
	bb->skel = ttd_trace__open();
	if (!bb->skel) {
		err = -errno;
		goto fail;
	}
	bb->skel->rodata->wakeup_bytes = o->ring_bytes / 4;
	bpf_map__set_max_entries(bb->skel->maps.rings, n);
	/*
	 * The outer map's template must have the size of the real rings;
	 * libbpf (1.1) cannot resize an inner map, so hand it CPU 0's ring.
	 */
	err = make_rings(bb, o->ring_bytes);
	if (err) {
		log_err("bpf: creating %d rings of %zu bytes failed: %s", n,
			o->ring_bytes, strerror(-err));
		goto fail;
	}
	err = bpf_map__set_inner_map_fd(bb->skel->maps.rings, bb->ring_fds[0]);
	if (!err)
		err = ttd_trace__load(bb->skel);
	if (err) {
		log_err("bpf: loading the program failed: %s", strerror(-err));
		goto fail;
	}
	err = fill_rings(bb);
	if (err) {
		log_err("bpf: installing the rings failed: %s", strerror(-err));
		goto fail;
	}
	*bp = &bb->b;
	return 0;
fail:
	bpf_close(&bb->b);
	return err;
}
