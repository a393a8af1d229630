/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The debug agent's protocol: how a debugger's supervisor (ttdctl, the
 * timeline in session/timeline.c) drives a replaying process whose
 * engine runs the agent (replay/agent.c).
 *
 * One SOCK_SEQPACKET connection per replaying process, one message per
 * packet: a struct agent_msg, then its payload.  The process is either
 * stopped, answering requests, or running after AGENT_RUN until its
 * AGENT_STOPPED; while it runs it may announce checkpoints it forked
 * (AGENT_CHECKPOINT with the checkpoint's connection attached).  A
 * checkpoint is a frozen copy of the process: it answers requests, and
 * AGENT_FORK makes it fork a copy that can run on.
 *
 * Positions are instruction counts: each thread's own, and the
 * process's global count, the sum over all its threads.  Replay is
 * deterministic, so a position names one state.
 *
 * Included by the freestanding engine: fixed-size types only.
 */
#ifndef TTD_AGENT_PROTO_H
#define TTD_AGENT_PROTO_H

#include <stdint.h>

enum agent_op {
	AGENT_HELLO = 1, /* agent: ready at the start, payload hello */
	AGENT_RUN, /* payload agent_run; answered by AGENT_STOPPED */
	AGENT_STOPPED, /* payload agent_stop */
	/* agent: a[0] = global count, a[1] = its pid, fd attached */
	AGENT_CHECKPOINT,
	AGENT_FORK, /* answered by AGENT_CHECKPOINT */
	AGENT_REGS, /* a[0] = tid; answered by payload agent_regs */
	AGENT_MEM, /* a[0] = addr, a[1] = len; answered by the bytes */
	AGENT_THREADS, /* answered by agent_thread[] */
	AGENT_POINTS, /* payload agent_points; answered by a[0] = error */
	AGENT_AUXV, /* answered by the auxiliary vector's bytes */
	AGENT_EXE, /* answered by the path of the program's file, if known */
	/* agent, while running: a[0] = the recorded pid of a child it is
	 * forking, a[1] = 1 for a vfork; answered with a[0] = 1 if the
	 * child is to be replayed */
	AGENT_FORKING,
	AGENT_QUIT, /* the process exits, without an answer */
	AGENT_ERROR, /* answer: a[0] = errno */
};

#define AGENT_MAX_PAYLOAD 65536
#define AGENT_MAX_MEM 16384
#define AGENT_MAX_BREAKS 256
#define AGENT_MAX_WATCH 4
#define AGENT_MAX_THREADS 1024

struct agent_msg {
	uint32_t op;
	uint32_t len; /* payload bytes */
	uint64_t a[4];
};

struct agent_hello {
	int32_t pid; /* the recorded process */
	int32_t tid; /* its current thread */
	uint64_t count; /* global count */
	uint64_t pc;
};

/* What a run looks for; it ends at the first of these. */
enum agent_run_mode {
	AGENT_RUN_STOP = 1, /* stop at a breakpoint, watchpoint or signal */
	AGENT_RUN_SEARCH, /* note them, stop only at a target */
};

struct agent_run {
	uint32_t mode;
	/* Thread tid about to execute with its count at tid_count. */
	int32_t tid;
	uint64_t tid_count;
	uint64_t end; /* global count to stop at, or UINT64_MAX */
	uint64_t ckpt_every; /* fork a checkpoint this often, 0: never */
	uint64_t ckpt_after; /* ... only after this global count */
};

enum agent_stop_kind {
	AGENT_STOP_TARGET = 1, /* a target of the run */
	AGENT_STOP_BREAK,
	AGENT_STOP_WATCH,
	AGENT_STOP_SIGNAL,
	AGENT_STOP_INTERRUPT,
	AGENT_STOP_END, /* the history ends here */
	AGENT_STOP_FORK, /* forked a child that is replayed too (addr) */
};

/* A place where a forward run would stop, as seen by a search. */
struct agent_hit {
	uint32_t kind; /* agent_stop_kind, 0: none */
	int32_t tid;
	uint64_t count; /* global count */
	uint64_t tid_count; /* of tid: the state is tid about to run */
	uint64_t addr; /* watchpoint: the address written */
	int32_t sig;
	uint32_t pad;
};

struct agent_stop {
	uint32_t kind;
	int32_t tid; /* the thread that stopped */
	uint64_t count; /* global count */
	uint64_t tid_count;
	uint64_t pc;
	uint64_t addr; /* watchpoint */
	int32_t sig;
	int32_t end_status; /* AGENT_STOP_END: how the process ended */
	struct agent_hit hit; /* AGENT_RUN_SEARCH: the last hit */
	/* AGENT_STOP_WATCH: a write seen by the run; position it exactly */
	uint8_t siginfo[128];
};

enum agent_point_type {
	AGENT_WATCH_WRITE = 1,
	AGENT_WATCH_READ,
	AGENT_WATCH_ACCESS,
};

struct agent_points {
	uint32_t nbreaks;
	uint32_t nwatch;
	uint64_t breaks[AGENT_MAX_BREAKS];
	struct {
		uint64_t addr;
		uint32_t len;
		uint32_t type;
	} watch[AGENT_MAX_WATCH];
};

struct agent_thread {
	int32_t tid;
	int32_t exited;
	uint64_t count;
};

/* A thread's registers: the general ones as struct ttd_regs (fs and gs
 * bases included), then the xsave area (standard format). */
struct agent_regs {
	uint64_t gpr[22];
	uint64_t orig_rax;
	uint32_t xsave_len;
	uint32_t pad;
	uint8_t xsave[];
};

#endif
