/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the BPF backend puts in its per-CPU ring buffers: a ttd record (the
 * uapi layout of include/uapi/linux/ttd.h, shared with ttd.ko) behind the
 * set of ttdd sessions it belongs to.  One BPF program serves every
 * session, so a record of a task traced by two sessions is emitted once
 * and routed by the daemon.
 */
#ifndef TTDD_BPF_SAMPLE_H
#define TTDD_BPF_SAMPLE_H

#define TTDD_MAX_SLOTS 64 /* sessions at once (bits of a __u64) */
#define TTDD_MAX_CGROUP_DEPTH 16 /* ancestor levels a cgroup walk checks */

struct ttdd_sample_hdr {
	__u64 slots; /* bit n: session slot n wants this record */
	/* followed by struct ttd_rec_header and its payload */
};

/*
 * Thread groups that may be traced, one bit per tgid up to the kernel's
 * PID_MAX_LIMIT (the .bss array "traced_tgids", shared with ttdd).  A
 * clear bit lets the hooks skip a task with one load; a set bit sends
 * them to the exact tgid -> sessions hash.
 */
#define TTDD_PID_LIMIT (1U << 22)
#define TTDD_TGID_WORDS (TTDD_PID_LIMIT / 64)

/* Per-CPU drop and wake-up accounting (BPF map "drops"). */
struct ttdd_drops {
	__u64 pending; /* dropped since the last TTD_REC_LOST marker */
	__u64 total;
	__u64 unwoken; /* bytes submitted since ttdd was last woken */
};

#endif
