/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A source of kernel records: ttd.ko (/dev/ttd) or the BPF backend.  Both
 * produce the records of include/uapi/linux/ttd.h, one ring per CPU.
 * Sessions own "slots" (0..BACKEND_MAX_SLOTS-1); every record comes with
 * the set of slots whose task groups it concerns.
 */
#ifndef TTDD_BACKEND_H
#define TTDD_BACKEND_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <linux/ttd.h>

#define BACKEND_MAX_SLOTS 64
#define BACKEND_MAX_POLL_FDS 2

struct backend;

/* Called for every drained record; a non-zero return stops the drain. */
typedef int (*backend_record_fn)(void *ctx, uint64_t slots,
				 const struct ttd_rec_header *rec);

struct backend_opts {
	const char *kind; /* "auto", "bpf" or "kmod" */
	size_t ring_bytes; /* per CPU, a power of two */
	uint32_t ring_mode; /* enum ttd_ring_mode; overwrite: kmod only */
};

struct backend_ops {
	const char *name;
	/* Start a slot; NO_CHILDREN in flags stops following fork(). */
	int (*slot_start)(struct backend *b, unsigned int slot, uint32_t flags);
	int (*slot_add_pid)(struct backend *b, unsigned int slot, pid_t tgid);
	int (*slot_add_cgroup)(struct backend *b, unsigned int slot,
			       uint64_t cgid);
	/* Processes still traced for the slot (pid groups only). */
	int (*slot_nr_pids)(struct backend *b, unsigned int slot);
	void (*slot_stop)(struct backend *b, unsigned int slot);
	/* Descriptors that poll readable when records wait (or something
	 * else needs a drain): fills fds, returns how many (at most
	 * BACKEND_MAX_POLL_FDS). */
	int (*poll_fds)(struct backend *b, int *fds);
	/* Hand every waiting record to fn; returns the number or -errno. */
	long (*drain)(struct backend *b, backend_record_fn fn, void *ctx);
	/* Records dropped because a ring was full, since start. */
	uint64_t (*lost)(struct backend *b);
	void (*close)(struct backend *b);
};

struct backend {
	const struct backend_ops *ops;
	unsigned int ncpus; /* rings 0..ncpus-1 */
	/* Longest time records may wait in a ring without any poll fd
	 * turning readable: how often ttdd drains regardless. */
	uint64_t drain_ns;
	/* Set by a drain: slots whose recordings should reach the disk now
	 * (a traced task got a fatal signal); the caller clears it. */
	uint64_t flush_slots;
	/* Set by a drain: slots one of whose processes ended, learnt from
	 * outside the rings (whose exit record a full ring may have
	 * dropped); the caller clears it. */
	uint64_t exit_slots;
};

/*
 * Open the backend o->kind asks for.  "auto" uses ttd.ko when /dev/ttd
 * exists or the module can be loaded, else BPF, with a log line saying
 * why; "kmod" and "bpf" fail rather than fall back.
 */
int backend_open(struct backend **bp, const struct backend_opts *o);
int backend_bpf_open(struct backend **bp, const struct backend_opts *o);
/* -ENODEV when ttd.ko is absent and cannot be loaded. */
int backend_kmod_open(struct backend **bp, const struct backend_opts *o);

#endif
