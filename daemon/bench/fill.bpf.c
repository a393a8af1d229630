// SPDX-License-Identifier: GPL-2.0
/*
 * Benchmark helper: write synthetic context-switch records into one of
 * ttdd's per-CPU rings as fast as BPF can, so that the drain rate of the
 * consumer (not of the scheduler) is what gets measured.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#define _LINUX_TYPES_H
#define _LINUX_IOCTL_H
#include <linux/ttd.h>

#include "ttd_sample.h"

char LICENSE[] SEC("license") = "GPL";

struct ring {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 22);
};

/* Reused from the running ttdd (same layout as in ttd_trace.bpf.c). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 1);
	__type(key, __u32);
	__array(values, struct ring);
} rings SEC(".maps");

struct fill_args {
	__u32 ring;
	__u32 count;
	__u64 slots;
	__u64 written; /* out */
	__u64 dropped; /* out */
};

struct loop_ctx {
	void *ring;
	struct fill_args *a;
	__u64 written, dropped;
};

static long fill_one(__u64 i, struct loop_ctx *c)
{
	struct {
		struct ttdd_sample_hdr s;
		struct ttd_rec_switch r;
	} * m;

	m = bpf_ringbuf_reserve(c->ring, sizeof(*m), 0);
	if (!m) {
		c->dropped++;
		return 0;
	}
	m->s.slots = c->a->slots;
	m->r.hdr.type = TTD_REC_SWITCH;
	m->r.hdr.size = sizeof(m->r);
	m->r.hdr.cpu = c->a->ring;
	m->r.hdr.flags = TTD_SWITCH_PREV_TRACED;
	m->r.hdr.pid = 1000;
	m->r.hdr.tid = 1000 + (i & 7);
	m->r.hdr.time_ns = bpf_ktime_get_ns();
	m->r.hdr.group = 0;
	m->r.hdr.reserved = 0;
	m->r.prev_pid = 1000;
	m->r.prev_tid = 1000 + (i & 7);
	m->r.next_pid = 2000;
	m->r.next_tid = 2000 + (i & 3);
	m->r.prev_state = TTD_STATE_SLEEPING;
	m->r.next_group = 0;
	/* Wake the consumer now and then, as the real hooks do. */
	bpf_ringbuf_submit(m, (i & 4095) ? BPF_RB_NO_WAKEUP : 0);
	c->written++;
	return 0;
}

SEC("syscall")
int fill(struct fill_args *a)
{
	struct loop_ctx c = { .a = a };
	__u32 idx = a->ring;

	c.ring = bpf_map_lookup_elem(&rings, &idx);
	if (!c.ring)
		return -1;
	bpf_loop(a->count, fill_one, &c, 0);
	a->written = c.written;
	a->dropped = c.dropped;
	return 0;
}
