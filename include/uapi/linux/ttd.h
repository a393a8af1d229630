/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * ttd kernel <-> user ABI: per-CPU event rings exported by /dev/ttd (ttd.ko)
 * or filled by the BPF backend, and the "ttd" generic netlink family.
 *
 * Everything here is fixed-layout, little-endian, naturally aligned and free
 * of kernel pointers, so that a BPF program can emit the very same records.
 * See Documentation/kmod.md for the ring protocol in prose.
 */
#ifndef _UAPI_LINUX_TTD_H
#define _UAPI_LINUX_TTD_H

#include <linux/types.h>
#include <linux/ioctl.h>

#define TTD_ABI_VERSION 2

/*
 * Rings
 * =====
 *
 * One ring per possible CPU.  The per-CPU mapping of /dev/ttd starts at
 * mmap offset cpu * ttd_ring_info.map_size and is map_size bytes long:
 *
 *	[0, header_size)			struct ttd_ring_header
 *	[header_size, header_size + data_size)	record data, data_size a
 *						power of two
 *
 * The whole mapping is read-only; the consumer reports what it has read
 * with TTD_IOC_CONSUME.  head, tail and consumed are free-running byte
 * positions (never wrapped); a position p lives at data[p & (data_size-1)].
 *
 * Producer (one per CPU, interrupts off while it writes a record):
 *	records are 8-byte aligned and never straddle the end of the data
 *	area: when the next record does not fit before the end, the rest of
 *	the area is filled with a TTD_REC_PAD record (whose size may be
 *	smaller than struct ttd_rec_header: only type and size are valid).
 *	The record is written, then head is published with release order.
 *
 *	TTD_RING_DROP: a record that does not fit in data_size - (head -
 *	consumed) is dropped and counted in lost; when space returns, a
 *	TTD_REC_LOST marker carrying the number of records dropped since
 *	the previous marker precedes the next record.
 *
 *	TTD_RING_OVERWRITE (flight recorder): the oldest records are
 *	discarded to make room; tail is advanced past them (release order)
 *	BEFORE their bytes are overwritten.  Discarded records that the
 *	consumer had not yet acknowledged (position >= consumed) count in
 *	lost.
 *
 * Consumer:
 *	pos = max(own position, tail); h = load-acquire(head);
 *	copy records in [pos, h); in overwrite mode then read-barrier, load
 *	tail again and throw away the copied records that start below it
 *	(they were being overwritten while copied); finally
 *	ioctl(TTD_IOC_CONSUME, {cpu, new position}).
 *
 * Waiting (ttd.ko): poll() on /dev/ttd reports EPOLLIN | EPOLLRDNORM
 * while some ring holds at least the watermark of unread bytes (head -
 * max(consumed, tail)), or lost records after the consumer's last
 * TTD_IOC_CONSUME on it.  The watermark is one value for all rings, a
 * quarter of data_size after loading; TTD_IOC_SET_WATERMARK changes it.
 * Waiters are woken at most once per ring and consumed position, so a
 * consumer reads and acknowledges after each wake-up before it polls
 * again (without that, poll() keeps returning at once).  Records below
 * the watermark wake nobody: a consumer that wants them within some
 * time polls with that timeout.
 *
 * The counters are exact and count hook records only (not pads or lost
 * markers) since the last reset (module load or a ring mode change, which
 * clears every ring and bumps generation): in drop mode records + lost is
 * the number of records the hooks produced on that CPU; in overwrite mode
 * every produced record is counted in records, and lost counts those of
 * them that were overwritten before the consumer acknowledged them.
 */
#define TTD_RING_MAGIC 0x52445454 /* "TTDR" */

enum ttd_ring_mode {
	TTD_RING_DROP = 0,
	TTD_RING_OVERWRITE = 1,
};

struct ttd_ring_header {
	__u32 magic;
	__u16 version; /* TTD_ABI_VERSION */
	__u16 header_size; /* sizeof(struct ttd_ring_header) */
	__u32 cpu;
	__u32 mode; /* enum ttd_ring_mode */
	__u64 data_offset; /* from the start of this CPU's mapping */
	__u64 data_size;
	__u64 generation; /* bumped at every reset */
	__u64 reserved0[3];

	/* Written by the producer; own cache line. */
	__u64 head;
	__u64 tail;
	__u64 records; /* records written */
	__u64 lost; /* records dropped or overwritten unread */
	__u64 reserved1[4];

	/* Written on behalf of the consumer by TTD_IOC_CONSUME. */
	__u64 consumed;
	__u64 reserved2[7];
};

/*
 * Records
 * =======
 *
 * Every record starts with this header.  size covers the whole record,
 * header included, and is a multiple of 8.  pid/tid are the current task
 * (thread group id / thread id in the initial pid namespace) when the hook
 * ran; time_ns is CLOCK_MONOTONIC (ktime_get_mono_fast_ns(), which is also
 * what bpf_ktime_get_ns() returns).  Consumers must skip unknown types by
 * size.
 *
 * group is the ttd.ko task group (TTD_ATTR_GROUP_ID) the record was made
 * for: the group of the traced task it is about (for TTD_REC_SWITCH, of
 * the task switched out, 0 when that one is not traced; for
 * TTD_REC_SIGNAL_GENERATE, of the target).  It lets one consumer serving
 * several groups route records without a table of its own.  0 in
 * TTD_REC_LOST and TTD_REC_PAD, and in records of the BPF backend, which
 * routes by other means.
 */
enum ttd_rec_type {
	TTD_REC_PAD = 0,
	TTD_REC_LOST = 1,
	TTD_REC_SWITCH = 2,
	TTD_REC_FORK = 3,
	TTD_REC_EXEC = 4,
	TTD_REC_EXIT = 5,
	TTD_REC_SIGNAL_GENERATE = 6,
	TTD_REC_SIGNAL_DELIVER = 7,
	TTD_REC_FAULT = 8,
	__TTD_REC_MAX,
};

#define TTD_REC_ALIGN 8
#define TTD_REC_MAX_SIZE 4096

struct ttd_rec_header {
	__u16 type; /* enum ttd_rec_type */
	__u16 size;
	__u16 cpu;
	__u16 flags; /* type-specific TTD_*_ flags below */
	__s32 pid;
	__s32 tid;
	__u64 time_ns;
	__u32 group;
	__u32 reserved;
};

/* TTD_REC_LOST: records lost (drop mode) since the previous marker. */
struct ttd_rec_lost {
	struct ttd_rec_header hdr;
	__u64 count;
};

/* Scheduler state of the task switched out; the kernel's own bits are not
 * ABI, so both backends map them to these. */
enum ttd_task_state {
	TTD_STATE_RUNNING = 0, /* preempted, still runnable */
	TTD_STATE_SLEEPING = 1, /* interruptible sleep */
	TTD_STATE_DISK = 2, /* uninterruptible sleep */
	TTD_STATE_STOPPED = 3,
	TTD_STATE_TRACED = 4, /* ptrace stop */
	TTD_STATE_DEAD = 5,
	TTD_STATE_IDLE = 6,
	TTD_STATE_PARKED = 7,
	TTD_STATE_OTHER = 8,
};

/* TTD_REC_SWITCH flags */
#define TTD_SWITCH_PREEMPT (1 << 0) /* prev stayed runnable (preempted) */
#define TTD_SWITCH_PREV_TRACED (1 << 1)
#define TTD_SWITCH_NEXT_TRACED (1 << 2)

/*
 * TTD_REC_SWITCH: hdr.pid/tid is the task switched out.  A task switched
 * out that is not traced is not named: hdr.pid/tid and prev_pid/tid are 0
 * and prev_state is TTD_STATE_OTHER (ttd.ko does not see that task).
 */
struct ttd_rec_switch {
	struct ttd_rec_header hdr;
	__s32 prev_pid;
	__s32 prev_tid;
	__s32 next_pid;
	__s32 next_tid;
	__u32 prev_state; /* enum ttd_task_state */
	__u32 next_group; /* ttd.ko group of next, 0 when not traced */
};

/* TTD_REC_FORK flags */
#define TTD_FORK_THREAD (1 << 0) /* same thread group (CLONE_THREAD) */
/* A thread the kernel started in the process, which never runs user code:
 * io_uring's iou-wrk-N and iou-sqp-N (ttd.ko only). */
#define TTD_FORK_IO_THREAD (1 << 1)

/* TTD_REC_FORK: hdr is the parent. */
struct ttd_rec_fork {
	struct ttd_rec_header hdr;
	__s32 child_pid;
	__s32 child_tid;
};

/* TTD_REC_EXEC: hdr is the task after exec; filename is NUL-terminated and
 * padded to the record size (truncated to fit TTD_EXEC_NAME_MAX). */
#define TTD_EXEC_NAME_MAX 256
struct ttd_rec_exec {
	struct ttd_rec_header hdr;
	__s32 old_tid; /* differs from hdr.tid when a thread other than the
			* leader called execve */
	__u32 filename_len; /* without the NUL */
	char filename[];
};

/* TTD_REC_EXIT flags */
#define TTD_EXIT_GROUP (1 << 0) /* last thread of the process */

struct ttd_rec_exit {
	struct ttd_rec_header hdr;
	__s32 exit_code; /* wait(2) status encoding, as task->exit_code */
	__u32 reserved;
};

/* Result of a signal generation (same values as the signal_generate
 * tracepoint). */
enum ttd_sig_result {
	TTD_SIG_DELIVERED = 0,
	TTD_SIG_IGNORED = 1,
	TTD_SIG_ALREADY_PENDING = 2,
	TTD_SIG_OVERFLOW_FAIL = 3,
	TTD_SIG_LOSE_INFO = 4,
};

/* TTD_REC_SIGNAL_GENERATE flags */
#define TTD_SIG_GROUP (1 << 0) /* sent to the thread group */
#define TTD_SIG_FATAL (1 << 1) /* default action kills the target */

/* TTD_REC_SIGNAL_GENERATE: hdr is the sender (current), which need not be
 * traced; the target is. */
struct ttd_rec_signal_generate {
	struct ttd_rec_header hdr;
	__s32 sig;
	__s32 code; /* si_code */
	__s32 err; /* si_errno */
	__u32 result; /* enum ttd_sig_result */
	__s32 target_pid;
	__s32 target_tid;
	__u64 value; /* si_value for SI_QUEUE/SI_TIMER/SI_MESGQ, si_addr for
		      * fault signals, 0 otherwise */
};

/* TTD_REC_SIGNAL_DELIVER: hdr is the receiving task, about to run the
 * handler (or the default action). */
struct ttd_rec_signal_deliver {
	struct ttd_rec_header hdr;
	__s32 sig;
	__s32 code;
	__s32 err;
	__u32 reserved;
	__u64 handler; /* user address, or 0 = SIG_DFL, 1 = SIG_IGN */
	__u64 sa_flags;
};

/* TTD_REC_FAULT flags: access type */
#define TTD_FAULT_WRITE (1 << 0)
#define TTD_FAULT_EXEC (1 << 1)
/* Page present, protection fault.  Only the BPF backend, which sees the
 * hardware error code, sets it; ttd.ko hooks handle_mm_fault(), where that
 * code is gone, and leaves it clear. */
#define TTD_FAULT_PROT (1 << 2)

/* ttd_rec_fault.vm_kind */
#define TTD_VM_SHARED (1 << 0)
#define TTD_VM_IO (1 << 1)
#define TTD_VM_PFNMAP (1 << 2)
#define TTD_VM_MIXEDMAP (1 << 3)
#define TTD_VM_NOFILE (1 << 4) /* no backing file: dev/ino are 0 */
#define TTD_VM_ANON_SHARED \
	(1 << 5) /* MAP_SHARED|MAP_ANONYMOUS (shmem
				     * object without a name) */

/*
 * TTD_REC_FAULT: a user-mode page fault of a traced task in a shared or
 * device mapping.  (dev_major, dev_minor, ino) is the mapping identity as
 * /proc/pid/maps prints it; pgoff is the page index in that object of the
 * faulting address, so two processes mapping the same object at different
 * addresses report the same (dev, ino, pgoff).
 */
struct ttd_rec_fault {
	struct ttd_rec_header hdr;
	__u64 address;
	__u64 ip;
	__u64 vm_start;
	__u64 vm_end;
	__u64 ino;
	__u64 pgoff;
	__u32 dev_major;
	__u32 dev_minor;
	__u32 vm_kind; /* TTD_VM_* */
	__u32 reserved;
};

/*
 * /dev/ttd ioctls
 * ===============
 *
 * Opening /dev/ttd requires CAP_SYS_ADMIN.
 */
struct ttd_ring_info {
	__u32 abi_version;
	__u32 nr_cpu_ids; /* rings 0 .. nr_cpu_ids-1; impossible CPUs have
			   * none and their offsets fail to map (ENXIO) */
	__u32 page_size;
	__u32 mode; /* enum ttd_ring_mode */
	__u64 header_size; /* == data_offset */
	__u64 data_size;
	__u64 map_size; /* per-CPU mapping length and mmap offset stride */
	__u64 watermark; /* unread bytes of one ring that wake poll(); 0
			  * from a module without poll() */
	__u64 reserved[1];
};

struct ttd_consume {
	__u32 cpu;
	__u32 reserved; /* must be 0 */
	__u64 position; /* new consumed position: tail <= position <= head */
};

/*
 * Watermark of poll(): bytes from 1 (any record) to data_size, for every
 * ring; EINVAL otherwise.  It is the module's, like the ring mode, and
 * stays after the file is closed.  ENOTTY from a module without poll(),
 * whose device then always polls readable.
 */
struct ttd_watermark {
	__u64 bytes;
	__u64 reserved; /* must be 0 */
};

#define TTD_IOC_MAGIC 0xB7
#define TTD_IOC_GET_INFO _IOR(TTD_IOC_MAGIC, 0x01, struct ttd_ring_info)
#define TTD_IOC_CONSUME _IOW(TTD_IOC_MAGIC, 0x02, struct ttd_consume)
#define TTD_IOC_SET_WATERMARK _IOW(TTD_IOC_MAGIC, 0x03, struct ttd_watermark)

/*
 * Generic netlink family "ttd"
 * ============================
 *
 * Every command requires CAP_SYS_ADMIN, and so does joining the "notify"
 * multicast group.  The family lives in the initial network namespace;
 * pids are interpreted in the caller's pid namespace and reported in the
 * initial one.
 *
 * A task group is either a process (TTD_ATTR_PID: its threads, and unless
 * TTD_GROUP_NO_CHILDREN its descendants created after the group was added)
 * or a cgroup v2 (TTD_ATTR_CGROUP_ID, the cgroup directory's inode number:
 * every task in it or below it).
 */
#define TTD_GENL_NAME "ttd"
#define TTD_GENL_VERSION 1
#define TTD_GENL_MCGRP_NOTIFY "notify"

enum ttd_cmd {
	TTD_CMD_UNSPEC,
	/* PID or CGROUP_ID, [EVENTS], [GROUP_FLAGS] -> reply GROUP_ID */
	TTD_CMD_ADD_GROUP,
	/* GROUP_ID */
	TTD_CMD_DEL_GROUP,
	/* GROUP_ID, EVENTS */
	TTD_CMD_SET_EVENTS,
	/* RING_MODE; clears every ring */
	TTD_CMD_SET_RING_MODE,
	/* -> reply with the TTD_STAT_* totals and one CPU_STATS per CPU */
	TTD_CMD_GET_STATS,
	/* dump: one message per group (GROUP_ID, PID or CGROUP_ID, EVENTS,
	 * GROUP_FLAGS) */
	TTD_CMD_GET_GROUPS,
	/* multicast on "notify" only: NOTIFY_TYPE, GROUP_ID, PID, TID,
	 * TIME_NS, and SIGNAL or EXIT_CODE */
	TTD_CMD_NOTIFY,
	__TTD_CMD_MAX,
};
#define TTD_CMD_MAX (__TTD_CMD_MAX - 1)

/*
 * Event classes (TTD_ATTR_EVENTS bits).  Named TTD_CLASS_* so that they
 * cannot clash with the event type ids of the recording format.
 */
#define TTD_CLASS_SCHED (1U << 0) /* TTD_REC_SWITCH */
#define TTD_CLASS_TASK (1U << 1) /* TTD_REC_FORK, _EXEC, _EXIT */
#define TTD_CLASS_SIGNAL (1U << 2) /* TTD_REC_SIGNAL_* */
#define TTD_CLASS_FAULT (1U << 3) /* TTD_REC_FAULT */
#define TTD_CLASS_ALL \
	(TTD_CLASS_SCHED | TTD_CLASS_TASK | TTD_CLASS_SIGNAL | TTD_CLASS_FAULT)

/* TTD_ATTR_GROUP_FLAGS */
#define TTD_GROUP_NO_CHILDREN (1U << 0) /* do not follow fork() */
#define TTD_GROUP_ALL (TTD_GROUP_NO_CHILDREN)

enum ttd_notify_type {
	TTD_NOTIFY_FATAL_SIGNAL = 1, /* fatal signal generated for a traced
				      * task: SIGNAL, TID is the target */
	TTD_NOTIFY_EXIT = 2, /* traced process exited: EXIT_CODE */
};

enum ttd_attr {
	TTD_ATTR_UNSPEC,
	TTD_ATTR_GROUP_ID, /* u32 */
	TTD_ATTR_PID, /* u32 */
	TTD_ATTR_CGROUP_ID, /* u64 */
	TTD_ATTR_EVENTS, /* u32, TTD_CLASS_* */
	TTD_ATTR_GROUP_FLAGS, /* u32, TTD_GROUP_* */
	TTD_ATTR_RING_MODE, /* u32, enum ttd_ring_mode */
	TTD_ATTR_CPU_STATS, /* nest of TTD_STAT_*, repeated */
	TTD_ATTR_NOTIFY_TYPE, /* u32, enum ttd_notify_type */
	TTD_ATTR_TID, /* u32 */
	TTD_ATTR_SIGNAL, /* u32 */
	TTD_ATTR_EXIT_CODE, /* u32 */
	TTD_ATTR_TIME_NS, /* u64 */
	TTD_ATTR_ABI_VERSION, /* u32 */
	TTD_ATTR_STAT_GROUPS, /* u32: task groups */
	TTD_ATTR_STAT_PROCESSES, /* u32: processes traced through pid groups */
	TTD_ATTR_STAT_RECORDS, /* u64: sum over CPUs */
	TTD_ATTR_STAT_LOST, /* u64: sum over CPUs */
	TTD_ATTR_STAT_NOTIFY_LOST, /* u64: notifications not sent (no memory) */
	TTD_ATTR_PAD,
	TTD_ATTR_STAT_UNTRACKED, /* u64: children of traced processes left
				  * untraced (no memory in the fork hook) */
	__TTD_ATTR_MAX,
};
#define TTD_ATTR_MAX (__TTD_ATTR_MAX - 1)

/* Inside TTD_ATTR_CPU_STATS */
enum ttd_stat_attr {
	TTD_STAT_UNSPEC,
	TTD_STAT_CPU, /* u32 */
	TTD_STAT_RECORDS, /* u64 */
	TTD_STAT_LOST, /* u64 */
	TTD_STAT_HEAD, /* u64 */
	TTD_STAT_TAIL, /* u64 */
	TTD_STAT_CONSUMED, /* u64 */
	TTD_STAT_PAD,
	__TTD_STAT_MAX,
};
#define TTD_STAT_MAX (__TTD_STAT_MAX - 1)

/* Any one record, for a consumer that copies it out of a ring first
 * (records are not aligned for every member in a chunk or a ring). */
union ttd_rec_any {
	struct ttd_rec_header h;
	struct ttd_rec_switch sw;
	struct ttd_rec_fork fork;
	struct ttd_rec_exec exec;
	struct ttd_rec_exit exit;
	struct ttd_rec_signal_generate gen;
	struct ttd_rec_signal_deliver del;
	struct ttd_rec_fault fault;
	struct ttd_rec_lost lost;
	unsigned char raw[TTD_REC_MAX_SIZE];
};

#endif /* _UAPI_LINUX_TTD_H */
