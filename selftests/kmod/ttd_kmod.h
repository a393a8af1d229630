/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the ttd.ko selftests: module loading, a raw generic
 * netlink client for the "ttd" family, and a ring reader that follows the
 * consumer protocol of include/uapi/linux/ttd.h.
 */
#ifndef _TTD_KMOD_TEST_H
#define _TTD_KMOD_TEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "uapi/linux/ttd.h"

/* Module: $TTD_KO, else build/kmod/ttd.ko. */
int ttd_mod_load(const char *params);
int ttd_mod_unload(void);
bool ttd_mod_loaded(void);

/* Netlink message under construction or received. */
struct ttd_msg {
	unsigned char buf[16384];
	size_t len;
};

struct ttd_nl {
	int fd;
	uint16_t family;
	uint32_t mcgrp;
	uint32_t seq;
};

/* Resolve the family; -errno (-ENOENT when ttd.ko is not loaded). */
int ttd_nl_open(struct ttd_nl *nl);
void ttd_nl_close(struct ttd_nl *nl);
int ttd_nl_join_notify(struct ttd_nl *nl);

void ttd_msg_init(struct ttd_msg *m, uint8_t cmd);
void ttd_msg_put(struct ttd_msg *m, uint16_t type, const void *data,
		 size_t len);
void ttd_msg_u32(struct ttd_msg *m, uint16_t type, uint32_t v);
void ttd_msg_u64(struct ttd_msg *m, uint16_t type, uint64_t v);

/* Send @m as a request of the ttd family (flags added to NLM_F_REQUEST |
 * NLM_F_ACK), collect the reply messages into @reply (may be NULL), and
 * return 0 or the -errno of the kernel's answer. */
int ttd_nl_request(struct ttd_nl *nl, struct ttd_msg *m, uint16_t flags,
		   struct ttd_msg *reply);
/* Send raw bytes as they are (fuzzing); returns the -errno answered, 0 for
 * success, or 1 when no answer came. */
int ttd_nl_send_raw(struct ttd_nl *nl, const void *buf, size_t len);
/* Wait up to @ms for one notification; returns its length or -errno. */
int ttd_nl_recv(struct ttd_nl *nl, struct ttd_msg *m, int ms);

/* Attribute lookup in the first generic netlink message of @m (or in a
 * nested attribute payload, with ttd_attr_next). */
const void *ttd_msg_attr(const struct ttd_msg *m, uint16_t type, size_t *len);
bool ttd_msg_get_u32(const struct ttd_msg *m, uint16_t type, uint32_t *v);
bool ttd_msg_get_u64(const struct ttd_msg *m, uint16_t type, uint64_t *v);

/* Convenience wrappers; return 0 or -errno. */
int ttd_add_pid(struct ttd_nl *nl, pid_t pid, uint32_t events, uint32_t flags,
		uint32_t *group);
int ttd_add_cgroup(struct ttd_nl *nl, uint64_t cgid, uint32_t events,
		   uint32_t *group);
int ttd_del_group(struct ttd_nl *nl, uint32_t group);
int ttd_set_mode(struct ttd_nl *nl, uint32_t mode);

struct ttd_stats {
	uint32_t groups;
	uint32_t processes;
	uint64_t records;
	uint64_t lost;
	uint64_t untracked; /* tasks the fork hook could not track */
};
int ttd_get_stats(struct ttd_nl *nl, struct ttd_stats *st);

/* Ring reader. */
struct ttd_rings {
	int fd;
	struct ttd_ring_info info;
	void **map; /* per CPU, NULL when the CPU has no ring */
	uint64_t *pos; /* per CPU consumer position */
};

typedef void (*ttd_rec_fn)(const struct ttd_rec_header *rec, void *ctx);

int ttd_rings_open(struct ttd_rings *r);
void ttd_rings_close(struct ttd_rings *r);
const struct ttd_ring_header *ttd_ring_hdr(const struct ttd_rings *r,
					   unsigned int cpu);
/* Deliver every new record of every CPU to @fn (pads skipped), then
 * acknowledge.  Returns the number of records delivered or -errno. */
long ttd_rings_drain(struct ttd_rings *r, ttd_rec_fn fn, void *ctx);
/* TTD_IOC_SET_WATERMARK; 0 or -errno. */
int ttd_rings_set_watermark(struct ttd_rings *r, uint64_t bytes);
/* poll() the device for POLLIN up to @ms: 1 readable, 0 timed out, or
 * -errno. */
int ttd_rings_poll(struct ttd_rings *r, int ms);
/* Unread bytes of CPU @cpu's ring. */
uint64_t ttd_ring_unread(const struct ttd_rings *r, unsigned int cpu);

/* A growable copy of records, for tests that look at them afterwards. */
struct ttd_recs {
	struct ttd_rec_header **v;
	size_t n, cap;
};
void ttd_recs_collect(const struct ttd_rec_header *rec, void *ctx);
void ttd_recs_free(struct ttd_recs *rs);
/* Sort the records by time: the rings of several CPUs, merged. */
void ttd_recs_by_time(struct ttd_recs *rs);
/*
 * Switches of @tid, in time order, must alternate in and out: one missing
 * or recorded twice (two notifiers) breaks the alternation.  Returns the
 * switch-outs, or -1 on a break.
 */
int ttd_switch_outs(const struct ttd_recs *rs, pid_t tid);

/* Kernel log: true if it contains BUG/WARNING/Oops lines since boot. */
bool ttd_kernel_log_clean(char *first_bad, size_t len);

/* A child process that waits at a gate until the parent lets it run, so
 * the parent can start tracing it first. */
struct ttd_child {
	pid_t pid;
	int gate;
};

int ttd_child_start(struct ttd_child *c, int (*fn)(void *), void *arg);
void ttd_child_go(struct ttd_child *c);
/* Returns the wait status, or -1. */
int ttd_child_wait(struct ttd_child *c);

#endif /* _TTD_KMOD_TEST_H */
