/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Payloads of the events the engine records (the TTD_EV_* ids of
 * format/ttd_events.h).  They travel through the event ring as they are
 * and are stored in a process's stream in the recording, except where
 * noted: memory contents that may repeat (mapped files, snapshot regions)
 * are stored as blobs and the stored event names the blob by its hash.
 *
 * Every event starts with struct rec_hdr: the thread and its own
 * instruction count when the event happened.  The stream's instruction
 * count field holds a per-process sequence number instead, since the
 * threads of a process interleave.
 */
#ifndef TTD_REC_EVENTS_H
#define TTD_REC_EVENTS_H

#include <stdint.h>

#define REC_EVENTS_VERSION 1

struct rec_hdr {
	int32_t tid;
	uint32_t flags;
	uint64_t icount;
};

/* TTD_EV_PROCESS_CREATE: a process started being recorded. */
struct rec_process {
	struct rec_hdr h;
	int32_t pid, ppid;
	uint32_t version; /* REC_EVENTS_VERSION */
	uint32_t how; /* REC_START_* */
};

enum { REC_START_LAUNCH = 1, REC_START_FORK = 2, REC_START_VFORK = 3 };

#define REC_MAX_VDSO 8
enum {
	VDSO_CLOCK_GETTIME = 1,
	VDSO_GETTIMEOFDAY,
	VDSO_TIME,
	VDSO_GETCPU,
	VDSO_CLOCK_GETRES,
};

/* TTD_EV_EXEC: a new image; its regions follow, then its first insn. */
struct rec_exec {
	struct rec_hdr h;
	uint64_t regs[20]; /* struct ttd_regs */
	uint32_t nregions;
	uint32_t nvdso;
	struct {
		uint64_t addr;
		uint32_t kind; /* VDSO_* */
		uint32_t pad;
	} vdso[REC_MAX_VDSO];
	uint64_t brk; /* the program break at exec */
};

/*
 * TTD_EV_SNAPSHOT_REGION: one mapping of the image.  In the ring the
 * contents follow as TTD_EV_SYSCALL_MEM records (REC_MEM_CONT) of the
 * same range; in the file they are one blob.
 */
struct rec_region {
	struct rec_hdr h;
	uint64_t start, end;
	uint32_t prot;
	uint32_t flags; /* REC_REGION_* */
	uint64_t data_len; /* bytes of contents from start (rest zero) */
	uint8_t hash[16]; /* in the file: blob of the contents */
	char name[64];
};

enum { REC_REGION_SHARED = 1, REC_REGION_STACK = 2 };

/* TTD_EV_SYSCALL: a completed system call (or an emulated vDSO call). */
struct rec_syscall {
	struct rec_hdr h;
	int64_t nr;
	uint64_t args[6];
	int64_t ret; /* the memory it wrote follows: TTD_EV_SYSCALL_MEM,
		      * TTD_EV_MMAP events */
	uint32_t sflags; /* REC_SC_* */
	uint32_t out_seq; /* REC_SC_STDOUT/STDERR: the write's place among
			   * all processes' writes to them */
	/* For interrupted masked waits (see syscall_masked_wait). */
	uint64_t override_mask, restore_mask;
};

enum {
	REC_SC_STDOUT = 1, /* wrote to the recording's stdout */
	REC_SC_STDERR = 2,
	REC_SC_OVERRIDE = 4, /* a signal mask override is in effect */
};

/* TTD_EV_SYSCALL_MEM: memory the kernel wrote; the bytes follow. */
struct rec_mem {
	uint64_t addr, len;
};

/*
 * TTD_EV_MMAP: the contents of a file mapping at the time it was made.
 * In the ring, the bytes follow (data_len of them, the rest of the range
 * is zero); in the file, hash names a blob.
 */
struct rec_mmap {
	uint64_t addr, len;
	uint64_t data_len;
	uint8_t hash[16];
};

/* TTD_EV_SIGNAL: delivered to the application at h.icount. */
struct rec_signal {
	struct rec_hdr h;
	int32_t sig;
	uint32_t sync; /* a fault of the thread itself */
	uint64_t err, trapno, cr2;
	uint8_t info[128];
};

/* TTD_EV_RDTSC ... TTD_EV_RDPID, TTD_EV_CPUID, TTD_EV_XGETBV. */
struct rec_insn {
	struct rec_hdr h;
	uint64_t v[4];
};

/*
 * TTD_EV_CODE_REGION: the engine put a code cache region here.  The
 * recorded program never maps anything there; replay keeps its own
 * cache regions in these places, out of the way of the program's.
 */
struct rec_code_region {
	struct rec_hdr h;
	uint64_t base, size;
};

/* TTD_EV_THREAD_SWITCH: the thread gave up the CPU at h.icount. */
struct rec_switch {
	struct rec_hdr h;
};

/* TTD_EV_THREAD_EXIT, TTD_EV_PROCESS_EXIT. */
struct rec_exit {
	struct rec_hdr h;
	int32_t status; /* a wait status */
	uint32_t pad;
	uint64_t mem_hash; /* PROCESS_EXIT: checksum of writable memory */
	uint64_t regs[20];
};

#endif
