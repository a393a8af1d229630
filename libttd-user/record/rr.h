/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What recording and replay share inside the engine: the per-process
 * state, the event ring to the supervisor, the run token that lets one
 * thread of a process run at a time, the vDSO entry points, and the
 * checksum of a process's memory.
 */
#ifndef TTD_RR_H
#define TTD_RR_H

#include <stdint.h>
#include "rec_events.h"

struct ttd_thread;
struct ttd_ring;

/* Ticket lock: threads take the CPU in the order they asked for it. */
struct rr_token {
	uint32_t next, serving;
};

struct rr_proc {
	struct ttd_ring *ring;
	uint64_t ring_bytes; /* of the mapping */
	struct rr_token token;
	int nthreads; /* live threads */
	uint32_t nvdso;
	uint64_t vdso_addr[REC_MAX_VDSO];
	uint32_t vdso_kind[REC_MAX_VDSO];
	/* Replay: the real pids of the recorded children forked here. */
	struct {
		int rec, real;
	} child[64];
	int nchild;
};

/* TTD_CTL_RING's reasons, in err. */
enum { RING_LAUNCH = 1, RING_EXEC = 2, RING_FORK = 3 };

/*
 * One page shared by every process of a recording or replay (the
 * supervisor's memfd): the order in which they wrote to the user's
 * stdout and stderr, so that replay shows the output in that order.
 */
#define RR_MAX_CHAIN 64
struct rr_session {
	uint32_t out_seq; /* recording: the next write's number */
	uint32_t out_lock; /* recording: 0, or the tid writing now */
	uint32_t out_next; /* replay: the number allowed to show now */
	uint32_t interrupt; /* debugging: the user wants the replay stopped */
	/* Debugging: the recorded processes from the first one down to the
	 * one the debugger wants (forks of others are not replayed). */
	uint32_t debug_nchain;
	int32_t debug_chain[RR_MAX_CHAIN];
	uint32_t debug_all; /* ... or every process */
};
extern struct rr_session *rr_session;

struct rr_proc *rr_proc_new(void);
int rr_engine_emulated(long nr);
/* Ask the supervisor for this process's ring; fatal on failure.
 * For replay, rec_pid names the recorded process to feed. */
void rr_attach_ring(struct rr_proc *p, int why, int rec_pid);
void rr_detach_ring(struct rr_proc *p);
/* Replay: is there a record of this type anywhere ahead in the stream? */
int rr_stream_ahead(struct rr_proc *p, uint16_t type);

void rr_token_acquire(struct rr_proc *p);
void rr_token_release(struct rr_proc *p);
/* Threads queued for the token behind the holder. */
int rr_token_waiters(struct rr_proc *p);

/* Producer side (recording). */
void *rlog_reserve(struct rr_proc *p, uint32_t len);
void rlog_commit(struct rr_proc *p, uint16_t type, uint16_t flags,
		 uint32_t len);
void rlog_put(struct rr_proc *p, uint16_t type, const void *payload,
	      uint32_t len);
/* Application memory [addr, addr + len) in records of at most 1 MiB:
 * each is a struct rec_mem and the bytes (unreadable pages as zeros). */
void rlog_mem(struct rr_proc *p, uint16_t type, uint16_t flags, uint64_t addr,
	      uint64_t len);
/* Raw bytes of a blob, as REC_RING_CONT records. */
void rlog_blob_mem(struct rr_proc *p, uint16_t type, uint64_t addr,
		   uint64_t len);

/* Consumer side (replay): the next record, waiting for it; NULL at the
 * end of the process's stream. */
struct ttd_ring_rec *rr_peek(struct rr_proc *p);
void rr_consume(struct rr_proc *p, struct ttd_ring_rec *r);

/* Ring record flag: raw contents continuing the previous record. */
#define REC_RING_CONT 1

void rr_hdr(struct rec_hdr *h, struct ttd_thread *t);
/* Find the vDSO's time functions (from the auxiliary vector). */
void rr_find_vdso(struct rr_proc *p);
/* Checksum of the process's writable memory, the engine's excluded. */
uint64_t rr_mem_checksum(void);
/* A mapping of the engine's own (arena, code cache). */
int rr_engine_area(uint64_t start);
const char *ttd_event_type_name_engine(uint16_t type);
void rr_report_end(struct ttd_thread *t, int pid, int status);

#endif
