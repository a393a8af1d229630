/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Event type ids and their names.  The format itself treats payloads as
 * opaque bytes; these ids give tools (ttdctl info/dump) something to print.
 *
 * Ids below TTD_EV_USER are generic and fixed here: never renumber one, it
 * is written into recordings.  Components register their own ids
 * (TTD_EV_USER and up) and, optionally, a payload formatter with
 * ttd_event_types_register().
 */
#ifndef TTD_EVENTS_H
#define TTD_EVENTS_H

#include <stddef.h>
#include <stdint.h>

enum ttd_event_type {
	TTD_EV_NONE = 0,
	/* Metadata */
	TTD_EV_STREAM_DEF = 1, /* registry record (inside STREAMS chunks) */
	TTD_EV_META_KV = 2, /* "key\0value" */
	TTD_EV_MARK = 3, /* user marker / bookmark */
	/* Process and thread life */
	TTD_EV_PROCESS_CREATE = 16,
	TTD_EV_PROCESS_EXIT = 17,
	TTD_EV_THREAD_CREATE = 18,
	TTD_EV_THREAD_EXIT = 19,
	TTD_EV_EXEC = 20,
	TTD_EV_MMAP = 21,
	TTD_EV_MUNMAP = 22,
	/* Non-deterministic inputs */
	TTD_EV_SYSCALL = 32, /* a system call and its results */
	TTD_EV_SYSCALL_MEM = 33, /* memory the kernel wrote */
	TTD_EV_SIGNAL = 34,
	TTD_EV_RDTSC = 35,
	TTD_EV_RDTSCP = 36,
	TTD_EV_RDRAND = 37,
	TTD_EV_RDSEED = 38,
	TTD_EV_CPUID = 39,
	TTD_EV_XGETBV = 40,
	TTD_EV_RDPID = 41,
	TTD_EV_SHARED_READ = 42, /* value read from shared memory */
	TTD_EV_VDSO = 43,
	/* Scheduling */
	TTD_EV_THREAD_SWITCH = 48, /* engine: thread serialisation */
	TTD_EV_SCHED_SWITCH = 49, /* kernel: context switch on a CPU */
	TTD_EV_SCHED_WAKEUP = 50,
	/* Kernel side */
	TTD_EV_FAULT = 64, /* fault on a shared/DMA mapping */
	TTD_EV_KSIGNAL = 65,
	TTD_EV_KFORK = 66,
	TTD_EV_KEXEC = 67,
	TTD_EV_KEXIT = 68,
	TTD_EV_RING_LOST = 69, /* ring overflow: records dropped */
	/* References to stored blobs */
	TTD_EV_SNAPSHOT = 80, /* start of a checkpoint */
	TTD_EV_SNAPSHOT_REGION = 81, /* memory region -> blob */
	TTD_EV_SNAPSHOT_REGS = 82, /* register state of one thread */
	TTD_EV_FILE = 83, /* path -> blob of its contents */
	TTD_EV_CODE_REGION = 84, /* engine: where its code cache went */

	TTD_EV_USER = 0x1000, /* first id for components */
};

struct ttd_event_type_desc {
	uint16_t id;
	const char *name;
	/*
	 * Optional: write a one-line description of the payload into buf
	 * (at most len bytes, NUL-terminated).  NULL prints hex.
	 */
	void (*format)(const void *payload, size_t plen, char *buf, size_t len);
};

/*
 * Add types to the table (ids already present are replaced).  The table
 * must stay valid for the life of the process.  Not thread-safe: call it
 * at start-up.  Returns 0.
 */
int ttd_event_types_register(const struct ttd_event_type_desc *t, size_t n);
/* Descriptor for id, or NULL when unknown. */
const struct ttd_event_type_desc *ttd_event_type(uint16_t id);
/* Name for id; unknown ids print as "type-0xNNNN" in a static buffer. */
const char *ttd_event_type_name(uint16_t id);

#endif
