/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A gdb remote target over a backend: command dispatch, stop replies,
 * qXfer objects, reverse execution.  The backend owns the program's
 * state (a replayed recording); this layer only speaks the protocol.
 * See Documentation/gdbserver.md.
 *
 * Everything is read-only: memory and register writes are refused, since
 * a recording cannot be changed.  One server serves one connection in
 * all-stop mode; it holds no global state.
 */
#ifndef TTD_GDB_SERVER_H
#define TTD_GDB_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tdesc.h"

struct gdbs_server;

/*
 * A thread: pid and tid as the kernel numbers them.  In requests from
 * gdb, 0 means "any" and -1 means "all".
 */
struct gdbs_tid {
	int pid, tid;
};

enum gdbs_stop_kind {
	GDBS_STOP_SIGNAL, /* signo, e.g. SIGTRAP after a step */
	GDBS_STOP_SWBREAK, /* a Z0 breakpoint */
	GDBS_STOP_HWBREAK, /* a Z1 breakpoint */
	GDBS_STOP_WATCH, /* a Z2 watchpoint, at addr */
	GDBS_STOP_RWATCH, /* a Z3 watchpoint, at addr */
	GDBS_STOP_AWATCH, /* a Z4 watchpoint, at addr */
	GDBS_STOP_HISTORY_BEGIN, /* reverse execution reached the start */
	GDBS_STOP_HISTORY_END, /* forward execution reached the end */
	GDBS_STOP_EXITED, /* the process exited with status */
	GDBS_STOP_KILLED, /* the process died of signo */
	GDBS_STOP_FORK, /* the thread forked child (a new process) */
};

struct gdbs_stop {
	enum gdbs_stop_kind kind;
	struct gdbs_tid thread; /* becomes the current thread */
	int signo; /* host (Linux) numbering; 0 is reported as SIGTRAP */
	int status;
	uint64_t addr;
	struct gdbs_tid child; /* GDBS_STOP_FORK */
};

enum gdbs_resume_kind {
	GDBS_CONTINUE,
	GDBS_STEP, /* one instruction of .thread */
};

struct gdbs_resume {
	enum gdbs_resume_kind kind;
	bool reverse;
	struct gdbs_tid thread; /* the thread to step or to continue */
	bool others; /* other threads may run meanwhile */
	/* A signal gdb asked to deliver (C/S actions), host numbering.  A
	 * replay delivers what was recorded, so this is advisory. */
	int signo;
};

enum gdbs_point {
	GDBS_SWBREAK = 0, /* Z0 */
	GDBS_HWBREAK = 1, /* Z1 */
	GDBS_WATCH_WRITE = 2, /* Z2 */
	GDBS_WATCH_READ = 3, /* Z3 */
	GDBS_WATCH_ACCESS = 4, /* Z4 */
};

/* qXfer objects the backend provides; target.xml and the thread list
 * are generated here. */
enum gdbs_object {
	GDBS_OBJ_AUXV,
	GDBS_OBJ_EXEC_FILE,
	GDBS_OBJ_LIBRARIES_SVR4,
	GDBS_OBJ_SIGINFO,
	GDBS_OBJ_COUNT,
};

struct gdbs_thread {
	struct gdbs_tid id;
	char name[32];
};

/*
 * The backend.  Callbacks return 0 or a negative errno unless said
 * otherwise; ctx is the pointer given to gdbs_new().  Optional callbacks
 * may be NULL, which gdb sees as "not supported".
 */
struct gdbs_backend {
	/* Registers of one thread. */
	int (*get_regs)(void *ctx, struct gdbs_tid thread,
			struct gdbs_x86_regs *regs);
	/* Returns the number of bytes read, fewer when the range runs into
	 * unmapped memory, or a negative errno. */
	long (*read_mem)(void *ctx, uint64_t addr, void *buf, size_t len);
	/* Fills up to max threads; returns how many there are in all. */
	int (*list_threads)(void *ctx, struct gdbs_thread *out, int max);
	/* Why the program is stopped where it is, and in which thread. */
	int (*stop_state)(void *ctx, struct gdbs_stop *stop);
	/* Run until something stops the program and describe it.  May
	 * take long; poll gdbs_interrupted() and stop with SIGINT. */
	int (*resume)(void *ctx, struct gdbs_server *srv,
		      const struct gdbs_resume *how, struct gdbs_stop *stop);

	/* Insert or remove a break- or watchpoint.  -EOPNOTSUPP: this
	 * kind is not supported. */
	int (*set_point)(void *ctx, enum gdbs_point type, bool insert,
			 uint64_t addr, uint64_t len);
	/* Read len bytes at offset off of an object; returns the number
	 * read (0 at its end) or a negative errno.  annex is the text
	 * between the object's name and the offset. */
	long (*read_object)(void *ctx, enum gdbs_object obj, const char *annex,
			    uint64_t off, void *buf, size_t len);
	/* Run a "monitor" command; print with gdbs_monitor_printf(). */
	int (*monitor)(void *ctx, struct gdbs_server *srv, const char *cmd);
	/* The thread gdb's next memory reads, break- and watchpoints and
	 * objects are about (Hg): with several processes, its process. */
	int (*select_thread)(void *ctx, struct gdbs_tid thread);
	/* Detach from one process (D;pid): gdb lets go of a forked child
	 * or of the parent.  With it, fork events are offered. */
	int (*detach_process)(void *ctx, int pid);

	/* Describe and transfer the AVX-512 registers. */
	bool avx512;
	/* Which objects read_object serves. */
	bool objects[GDBS_OBJ_COUNT];
};

/* Why gdbs_run() returned. */
enum gdbs_end {
	GDBS_END_DETACH = 1, /* D */
	GDBS_END_KILL = 2, /* k or vKill */
	GDBS_END_EOF = 3, /* gdb went away */
};

/*
 * A server on a connection: it reads gdb's packets from in_fd and writes
 * to out_fd (the same descriptor for a socket).  max_packet is the
 * largest packet gdb may send (0: RSP_DEFAULT_PACKET).  Returns NULL when
 * out of memory or when a required callback is missing.
 */
struct gdbs_server *gdbs_new(const struct gdbs_backend *be, void *ctx,
			     int in_fd, int out_fd, size_t max_packet);
void gdbs_free(struct gdbs_server *s);

/* Serve until gdb detaches, kills or hangs up: a gdbs_end, or a
 * negative rsp_status when the connection fails. */
int gdbs_run(struct gdbs_server *s);

/* For resume: has gdb asked to stop (Ctrl-C)?  True once per request. */
bool gdbs_interrupted(struct gdbs_server *s);

/* For monitor: send text to gdb's console.  Returns 0 or an error. */
int gdbs_monitor_printf(struct gdbs_server *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Handle one decoded packet and send the reply; what gdbs_run() does for
 * each packet.  Returns 0, a gdbs_end when the session is over, or a
 * negative rsp_status.
 */
int gdbs_handle(struct gdbs_server *s, const char *pkt, size_t len);

/* Linux signal number to gdb's protocol numbering and back (0 if none). */
int gdbs_signal_to_gdb(int host_signo);
int gdbs_signal_from_gdb(int gdb_signo);

/* Copy the part [off, off + len) of a blob; for read_object. */
long gdbs_xfer_slice(const void *blob, size_t size, uint64_t off, void *buf,
		     size_t len);

#endif
