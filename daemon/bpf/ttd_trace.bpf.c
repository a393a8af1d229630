// SPDX-License-Identifier: GPL-2.0
/*
 * The BPF backend of ttd: the scheduler, task, signal and user page fault
 * hooks that BPF can observe, emitting the same records as ttd.ko into one
 * ring buffer per CPU.  Tasks are selected by thread group (hash "tgids")
 * or by cgroup v2 (hash "cgroups", checked over the task's ancestors).
 * An untraced task costs a bit test (bitmap "traced_tgids"); a traced one
 * a hash lookup, which the switch hook caches per CPU.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

/* vmlinux.h already defines what <linux/types.h> would. */
#define _LINUX_TYPES_H
#define _LINUX_IOCTL_H
#include <linux/ttd.h>

#include "ttd_sample.h"

char LICENSE[] SEC("license") = "GPL";

/* Set by ttdd before load. */
const volatile __u64 wakeup_bytes = 1 << 20;

/* Set by ttdd while running (memory-mapped .bss). */
__u32 nr_cgroups;
__u64 active_slots;
__u64 nochild_slots;
/* Set by ttdd and the fork hook, cleared by ttdd and the exit hook. */
__u64 traced_tgids[TTDD_TGID_WORDS];
/* Bumped by whoever changes an entry of "tgids" (ttdd, the fork and exit
 * hooks), after the change: it invalidates every switch_cache entry. */
__u64 tgids_gen;

struct ring {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 22);
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 1); /* resized to the number of CPUs */
	__type(key, __u32);
	__array(values, struct ring);
} rings SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, __u32); /* tgid */
	__type(value, __u64); /* session slots */
} tgids SEC(".maps");

/*
 * Last threads of traced processes between their exit hook (where the
 * process leaves "tgids", before its pid can be reused) and their final
 * switch-out, which is still recorded.  Keyed by task address.
 */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 256);
	__type(key, __u64);
	__type(value, __u64); /* session slots */
} dying SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u64); /* cgroup v2 id */
	__type(value, __u64); /* session slots */
} cgroups SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct ttdd_drops);
} drops SEC(".maps");

/*
 * The switch hook's per-CPU cache of "tgids" lookups: a traced pair of
 * processes switching back and forth on one CPU would otherwise pay two
 * hash lookups per switch, the largest part of what a traced switch
 * costs.  An entry holds while tgids_gen is unchanged.  Only on_switch
 * uses it: it runs with interrupts off, so no other program on this CPU
 * can see an entry half written.
 */
#define TGID_CACHE_SIZE 16

struct tgid_cache {
	struct {
		__u32 tgid;
		__u32 pad;
		__u64 gen;
		__u64 slots;
	} e[TGID_CACHE_SIZE];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct tgid_cache);
} tgid_cache SEC(".maps");

/* Kernel bits that are not ABI (include/linux/sched.h, mm.h). */
#define K_TASK_INTERRUPTIBLE 0x1
#define K_TASK_UNINTERRUPTIBLE 0x2
#define K_TASK_STOPPED 0x4
#define K_TASK_TRACED 0x8
#define K_EXIT_DEAD 0x10
#define K_EXIT_ZOMBIE 0x20
#define K_TASK_PARKED 0x40
#define K_TASK_DEAD 0x80
#define K_TASK_NOLOAD 0x400
#define K_VM_SHARED 0x8UL
#define K_VM_PFNMAP 0x400UL
#define K_VM_IO 0x4000UL
#define K_VM_MIXEDMAP 0x10000000UL
#define K_PF_PROT 0x1
#define K_PF_WRITE 0x2
#define K_PF_INSTR 0x10
#define K_TMPFS_MAGIC 0x01021994
#define K_SI_USER 0
#define K_SI_KERNEL 0x80
#define K_SI_QUEUE -1
#define K_SI_TIMER -2
#define K_SI_MESGQ -3
#define K_SIG_DFL 0
#define K_CLONE_THREAD 0x10000
#define K_PF_IO_WORKER 0x10
#define K_PF_KTHREAD 0x00200000

static __always_inline __u64 cgroup_slots(struct cgroup *cg)
{
	__u64 slots = 0, *v, id;
	int level, i;

	if (!cg)
		return 0;
	level = BPF_CORE_READ(cg, level);
	for (i = 0; i < TTDD_MAX_CGROUP_DEPTH; i++) {
		struct cgroup *anc;

		if (i > level)
			break;
		anc = BPF_CORE_READ(cg, ancestors[i]);
		if (!anc)
			continue;
		id = BPF_CORE_READ(anc, kn, id);
		v = bpf_map_lookup_elem(&cgroups, &id);
		if (v)
			slots |= *v;
	}
	return slots;
}

/*
 * The sessions that trace task t.  Task pointers given to tp_btf programs
 * are BTF-typed: fields are read directly (still relocated by CO-RE),
 * which spares a helper call per field on the context-switch path.
 */
static __always_inline bool tgid_maybe_traced(__u32 tgid)
{
	__u32 w = tgid / 64;

	if (w >= TTDD_TGID_WORDS)
		return false;
	return traced_tgids[w] >> (tgid & 63) & 1;
}

static __always_inline void tgid_mark(__u32 tgid, bool on)
{
	__u32 w = tgid / 64;
	__u64 bit = 1ULL << (tgid & 63);

	__sync_fetch_and_add(&tgids_gen, 1);
	if (w >= TTDD_TGID_WORDS)
		return;
	if (on)
		__sync_fetch_and_or(&traced_tgids[w], bit);
	else
		__sync_fetch_and_and(&traced_tgids[w], ~bit);
}

static __always_inline __u64 tgid_lookup(__u32 tgid)
{
	__u64 *v = bpf_map_lookup_elem(&tgids, &tgid);

	return v ? *v : 0;
}

/* tgid_lookup() through this CPU's cache; for on_switch only. */
static __always_inline __u64 tgid_lookup_cached(__u32 tgid)
{
	__u64 gen = *(volatile __u64 *)&tgids_gen;
	struct tgid_cache *c;
	__u32 zero = 0, i;

	c = bpf_map_lookup_elem(&tgid_cache, &zero);
	if (!c)
		return tgid_lookup(tgid);
	i = (tgid ^ (tgid >> 4)) & (TGID_CACHE_SIZE - 1);
	if (c->e[i].tgid != tgid || c->e[i].gen != gen) {
		c->e[i].slots = tgid_lookup(tgid);
		c->e[i].tgid = tgid;
		c->e[i].gen = gen;
	}
	return c->e[i].slots;
}

/*
 * An untraced task costs one bit test here (plus the cgroup walk while a
 * cgroup session exists); only a task whose thread group bit is set pays
 * for the hash lookup, or with @cached, usually for a cache probe.
 */
static __always_inline __u64 task_slots_in(struct task_struct *t, bool cached)
{
	__u32 tgid = t->tgid;
	__u64 slots = 0;

	if (tgid_maybe_traced(tgid))
		slots = cached ? tgid_lookup_cached(tgid) : tgid_lookup(tgid);
	if (nr_cgroups)
		slots |= cgroup_slots(BPF_CORE_READ(t, cgroups, dfl_cgrp));
	return slots;
}

static __always_inline __u64 task_slots(struct task_struct *t)
{
	return task_slots_in(t, false);
}

static __always_inline void *cpu_ring(__u32 cpu)
{
	return bpf_map_lookup_elem(&rings, &cpu);
}

static __always_inline void fill_hdr(struct ttd_rec_header *h, __u16 type,
				     __u16 size, __u32 cpu,
				     struct task_struct *t)
{
	h->type = type;
	h->size = size;
	h->cpu = cpu;
	h->flags = 0;
	h->pid = t->tgid;
	h->tid = t->pid;
	h->time_ns = bpf_ktime_get_ns();
	h->group = 0;
	h->reserved = 0;
}

/* Emit the TTD_REC_LOST marker owed for earlier drops, if any. */
static __always_inline void emit_lost(void *ring, __u32 cpu,
				      struct ttdd_drops *d)
{
	struct {
		struct ttdd_sample_hdr s;
		struct ttd_rec_lost r;
	} * m;

	if (!d->pending)
		return;
	m = bpf_ringbuf_reserve(ring, sizeof(*m), 0);
	if (!m)
		return;
	m->s.slots = active_slots;
	fill_hdr(&m->r.hdr, TTD_REC_LOST, sizeof(m->r), cpu,
		 bpf_get_current_task_btf());
	m->r.count = d->pending;
	d->pending = 0;
	bpf_ringbuf_submit(m, BPF_RB_NO_WAKEUP);
}

/*
 * Reserve a sample of size bytes (after the slot header) on this CPU's
 * ring, counting a drop when it is full.
 */
struct out {
	void *ring;
	struct ttdd_drops *d;
	__u32 size;
};

static __always_inline void *reserve(struct out *o, __u32 cpu, __u32 size)
{
	__u32 zero = 0;
	void *p;

	o->ring = cpu_ring(cpu);
	o->d = bpf_map_lookup_elem(&drops, &zero);
	if (!o->ring || !o->d)
		return NULL;
	emit_lost(o->ring, cpu, o->d);
	o->size = sizeof(struct ttdd_sample_hdr) + size;
	p = bpf_ringbuf_reserve(o->ring, o->size, 0);
	if (!p) {
		o->d->pending++;
		o->d->total++;
		return NULL;
	}
	return p;
}

/*
 * Wake ttdd once per quarter ring of records: it drains on a short timer
 * anyway, and a wake-up per record would double the cost of a traced
 * context switch.  Counting the bytes here spares a ring query per record.
 */
static __always_inline void submit(struct out *o, void *p)
{
	__u64 flags = BPF_RB_NO_WAKEUP;

	o->d->unwoken += o->size;
	if (o->d->unwoken >= wakeup_bytes) {
		o->d->unwoken = 0;
		flags = BPF_RB_FORCE_WAKEUP;
	}
	bpf_ringbuf_submit(p, flags);
}

static __always_inline __u32 map_state(unsigned int s, bool runnable)
{
	if (runnable || !s)
		return TTD_STATE_RUNNING;
	if ((s & K_TASK_NOLOAD) && (s & K_TASK_UNINTERRUPTIBLE))
		return TTD_STATE_IDLE;
	if (s & K_TASK_PARKED)
		return TTD_STATE_PARKED;
	if (s & (K_TASK_DEAD | K_EXIT_DEAD | K_EXIT_ZOMBIE))
		return TTD_STATE_DEAD;
	if (s & K_TASK_TRACED)
		return TTD_STATE_TRACED;
	if (s & K_TASK_STOPPED)
		return TTD_STATE_STOPPED;
	if (s & K_TASK_UNINTERRUPTIBLE)
		return TTD_STATE_DISK;
	if (s & K_TASK_INTERRUPTIBLE)
		return TTD_STATE_SLEEPING;
	return TTD_STATE_OTHER;
}

/* The final switch-out of a traced process's last thread, if @t is one. */
static __always_inline __u64 dying_slots(struct task_struct *t)
{
	__u64 key = (__u64)t, slots, *v;

	v = bpf_map_lookup_elem(&dying, &key);
	if (!v)
		return 0;
	slots = *v;
	bpf_map_delete_elem(&dying, &key);
	return slots;
}

/*
 * A task switched out that is not traced is not named, as with ttd.ko,
 * whose hooks do not see it.  The preempt flag and a running state mean
 * that the task stayed on its runqueue, as ttd.ko reports them.
 */
SEC("tp_btf/sched_switch")
int BPF_PROG(on_switch, bool preempt, struct task_struct *prev,
	     struct task_struct *next, unsigned int prev_state)
{
	__u64 ps = task_slots_in(prev, true), ns = task_slots_in(next, true);
	struct {
		struct ttdd_sample_hdr s;
		struct ttd_rec_switch r;
	} * m;
	bool runnable;
	struct out o;
	__u32 cpu;

	if (!ps && (prev_state & K_TASK_DEAD))
		ps = dying_slots(prev);
	if (!(ps | ns))
		return 0;
	cpu = bpf_get_smp_processor_id();
	m = reserve(&o, cpu, sizeof(m->r));
	if (!m)
		return 0;
	m->s.slots = ps | ns;
	fill_hdr(&m->r.hdr, TTD_REC_SWITCH, sizeof(m->r), cpu, prev);
	runnable = ps && prev->on_rq;
	m->r.hdr.flags = (runnable ? TTD_SWITCH_PREEMPT : 0) |
			 (ps ? TTD_SWITCH_PREV_TRACED : 0) |
			 (ns ? TTD_SWITCH_NEXT_TRACED : 0);
	m->r.prev_state = map_state(prev_state, runnable);
	if (!ps) {
		m->r.hdr.pid = 0;
		m->r.hdr.tid = 0;
		m->r.prev_state = TTD_STATE_OTHER;
	}
	m->r.prev_pid = m->r.hdr.pid;
	m->r.prev_tid = m->r.hdr.tid;
	m->r.next_pid = next->tgid;
	m->r.next_tid = next->pid;
	m->r.next_group = 0;
	submit(&o, m);
	return 0;
}

/*
 * task_newtask rather than sched_process_fork: it fires in copy_process()
 * for every new task, the threads io_uring starts for a process included
 * (create_io_thread() bypasses the fork tracepoint), before the child
 * first runs.  The creator is the current task.
 */
SEC("tp_btf/task_newtask")
int BPF_PROG(on_fork, struct task_struct *child, unsigned long clone_flags)
{
	struct task_struct *parent = bpf_get_current_task_btf();
	__u64 slots = task_slots(parent), inherit;
	__u32 cpu = bpf_get_smp_processor_id();
	__u32 ctgid = BPF_CORE_READ(child, tgid);
	unsigned int pf = BPF_CORE_READ(child, flags);
	bool thread = clone_flags & K_CLONE_THREAD;
	struct {
		struct ttdd_sample_hdr s;
		struct ttd_rec_fork r;
	} * m;
	struct out o;

	if (!slots || (pf & K_PF_KTHREAD))
		return 0;
	/* A new process joins the sessions that follow children. */
	inherit = slots & ~nochild_slots;
	if (!thread && inherit &&
	    !bpf_map_update_elem(&tgids, &ctgid, &inherit, BPF_ANY))
		tgid_mark(ctgid, true);
	m = reserve(&o, cpu, sizeof(m->r));
	if (!m)
		return 0;
	m->s.slots = slots;
	fill_hdr(&m->r.hdr, TTD_REC_FORK, sizeof(m->r), cpu, parent);
	m->r.hdr.flags = thread ? TTD_FORK_THREAD : 0;
	if (pf & K_PF_IO_WORKER)
		m->r.hdr.flags |= TTD_FORK_IO_THREAD;
	m->r.child_pid = ctgid;
	m->r.child_tid = BPF_CORE_READ(child, pid);
	submit(&o, m);
	return 0;
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(on_exec, struct task_struct *p, pid_t old_pid,
	     struct linux_binprm *bprm)
{
	__u64 slots = task_slots(p);
	__u32 cpu = bpf_get_smp_processor_id();
	struct {
		struct ttdd_sample_hdr s;
		struct ttd_rec_exec r;
	} * m;
	struct out o;
	long n;

	if (!slots)
		return 0;
	m = reserve(&o, cpu, sizeof(m->r) + TTD_EXEC_NAME_MAX);
	if (!m)
		return 0;
	m->s.slots = slots;
	n = bpf_probe_read_kernel_str(m->r.filename, TTD_EXEC_NAME_MAX,
				      BPF_CORE_READ(bprm, filename));
	if (n < 1) {
		m->r.filename[0] = '\0';
		n = 1;
	}
	fill_hdr(&m->r.hdr, TTD_REC_EXEC,
		 (sizeof(m->r) + n + TTD_REC_ALIGN - 1) & ~(TTD_REC_ALIGN - 1),
		 cpu, p);
	m->r.old_tid = old_pid;
	m->r.filename_len = n - 1;
	submit(&o, m);
	return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(on_exit, struct task_struct *p)
{
	__u32 tgid = BPF_CORE_READ(p, tgid);
	__u64 slots = task_slots(p);
	__u32 cpu = bpf_get_smp_processor_id();
	struct signal_struct *sig = BPF_CORE_READ(p, signal);
	bool group_dead = BPF_CORE_READ(sig, live.counter) == 0;
	struct {
		struct ttdd_sample_hdr s;
		struct ttd_rec_exit r;
	} * m;
	struct out o;

	if (!slots)
		return 0;
	/* The pid may be reused by an untraced process; the final
	 * switch-out of this thread is still ours. */
	if (group_dead) {
		__u64 key = (__u64)p;

		bpf_map_update_elem(&dying, &key, &slots, BPF_ANY);
		bpf_map_delete_elem(&tgids, &tgid);
		tgid_mark(tgid, false);
	}
	m = reserve(&o, cpu, sizeof(m->r));
	if (!m)
		return 0;
	m->s.slots = slots;
	fill_hdr(&m->r.hdr, TTD_REC_EXIT, sizeof(m->r), cpu, p);
	m->r.hdr.flags = group_dead ? TTD_EXIT_GROUP : 0;
	m->r.exit_code = BPF_CORE_READ(p, exit_code);
	m->r.reserved = 0;
	submit(&o, m);
	return 0;
}

/* Signals whose default action terminates the process (with or without
 * a core dump). */
#define FATAL_DEFAULT_MASK                                                     \
	((1UL << 1) | (1UL << 2) | (1UL << 3) | (1UL << 4) | (1UL << 5) |      \
	 (1UL << 6) | (1UL << 7) | (1UL << 8) | (1UL << 9) | (1UL << 10) |     \
	 (1UL << 11) | (1UL << 12) | (1UL << 13) | (1UL << 14) | (1UL << 15) | \
	 (1UL << 16) | (1UL << 24) | (1UL << 25) | (1UL << 26) | (1UL << 27) | \
	 (1UL << 29) | (1UL << 30) | (1UL << 31))

static __always_inline bool sig_is_fatal(struct task_struct *t, int sig)
{
	struct sighand_struct *sh = BPF_CORE_READ(t, sighand);
	unsigned long h;

	if (sig == 9)
		return true;
	if (sig < 1 || sig > 64 || !sh)
		return false;
	h = (unsigned long)BPF_CORE_READ(sh,
					 action[(sig - 1) & 63].sa.sa_handler);
	if (h != K_SIG_DFL)
		return false;
	return sig >= 32 || (FATAL_DEFAULT_MASK >> sig & 1);
}

static __always_inline __u64 siginfo_value(struct kernel_siginfo *info, int sig,
					   int code)
{
	if (code == K_SI_QUEUE || code == K_SI_TIMER || code == K_SI_MESGQ)
		return (__u64)BPF_CORE_READ(info,
					    _sifields._rt._sigval.sival_ptr);
	if (code > 0 &&
	    (sig == 4 || sig == 5 || sig == 7 || sig == 8 || sig == 11))
		return (__u64)BPF_CORE_READ(info, _sifields._sigfault._addr);
	return 0;
}

/* SEND_SIG_NOINFO and SEND_SIG_PRIV are small integers, not siginfo. */
static __always_inline int siginfo_code(struct kernel_siginfo *info)
{
	if ((unsigned long)info == 0)
		return K_SI_USER;
	if ((unsigned long)info == 1)
		return K_SI_KERNEL;
	return BPF_CORE_READ(info, si_code);
}

SEC("tp_btf/signal_generate")
int BPF_PROG(on_signal_generate, int sig, struct kernel_siginfo *info,
	     struct task_struct *task, int group, int result)
{
	__u64 slots = task_slots(task);
	__u32 cpu = bpf_get_smp_processor_id();
	bool real = (unsigned long)info > 1;
	int code = siginfo_code(info);
	struct {
		struct ttdd_sample_hdr s;
		struct ttd_rec_signal_generate r;
	} * m;
	struct out o;

	if (!slots)
		return 0;
	m = reserve(&o, cpu, sizeof(m->r));
	if (!m)
		return 0;
	m->s.slots = slots;
	fill_hdr(&m->r.hdr, TTD_REC_SIGNAL_GENERATE, sizeof(m->r), cpu,
		 bpf_get_current_task_btf());
	m->r.hdr.flags = (group ? TTD_SIG_GROUP : 0) |
			 (sig_is_fatal(task, sig) ? TTD_SIG_FATAL : 0);
	m->r.sig = sig;
	m->r.code = code;
	m->r.err = real ? BPF_CORE_READ(info, si_errno) : 0;
	m->r.result = result;
	m->r.target_pid = BPF_CORE_READ(task, tgid);
	m->r.target_tid = BPF_CORE_READ(task, pid);
	m->r.value = real ? siginfo_value(info, sig, code) : 0;
	submit(&o, m);
	return 0;
}

SEC("tp_btf/signal_deliver")
int BPF_PROG(on_signal_deliver, int sig, struct kernel_siginfo *info,
	     struct k_sigaction *ka)
{
	struct task_struct *cur = bpf_get_current_task_btf();
	__u64 slots = task_slots(cur);
	__u32 cpu = bpf_get_smp_processor_id();
	bool real = (unsigned long)info > 1;
	struct {
		struct ttdd_sample_hdr s;
		struct ttd_rec_signal_deliver r;
	} * m;
	struct out o;

	if (!slots)
		return 0;
	m = reserve(&o, cpu, sizeof(m->r));
	if (!m)
		return 0;
	m->s.slots = slots;
	fill_hdr(&m->r.hdr, TTD_REC_SIGNAL_DELIVER, sizeof(m->r), cpu, cur);
	m->r.sig = sig;
	m->r.code = siginfo_code(info);
	m->r.err = real ? BPF_CORE_READ(info, si_errno) : 0;
	m->r.reserved = 0;
	m->r.handler = (__u64)BPF_CORE_READ(ka, sa.sa_handler);
	m->r.sa_flags = BPF_CORE_READ(ka, sa.sa_flags);
	submit(&o, m);
	return 0;
}

struct vma_desc {
	__u64 start, end, flags, pgoff, ino;
	__u32 dev, kind;
};

static long read_vma(struct task_struct *t, struct vm_area_struct *vma,
		     struct vma_desc *d)
{
	struct file *f = BPF_CORE_READ(vma, vm_file);
	struct inode *ino;

	d->start = BPF_CORE_READ(vma, vm_start);
	d->end = BPF_CORE_READ(vma, vm_end);
	d->flags = BPF_CORE_READ(vma, vm_flags);
	d->pgoff = BPF_CORE_READ(vma, vm_pgoff);
	if (!f) {
		d->kind = TTD_VM_NOFILE;
		return 0;
	}
	ino = BPF_CORE_READ(f, f_inode);
	d->ino = BPF_CORE_READ(ino, i_ino);
	d->dev = BPF_CORE_READ(ino, i_sb, s_dev);
	/* shmem_zero_setup() names the object behind MAP_SHARED|ANON so. */
	if (BPF_CORE_READ(ino, i_sb, s_magic) == K_TMPFS_MAGIC) {
		char name[9] = {};

		bpf_probe_read_kernel_str(
			name, sizeof(name),
			BPF_CORE_READ(f, f_path.dentry, d_name.name));
		if (name[0] == 'd' && name[1] == 'e' && name[2] == 'v' &&
		    name[3] == '/' && name[4] == 'z' && name[5] == 'e' &&
		    name[6] == 'r' && name[7] == 'o' && !name[8])
			d->kind = TTD_VM_ANON_SHARED;
	}
	return 0;
}

SEC("tp_btf/page_fault_user")
int BPF_PROG(on_fault, unsigned long address, struct pt_regs *regs,
	     unsigned long error_code)
{
	struct task_struct *cur = bpf_get_current_task_btf();
	__u64 slots = task_slots(cur);
	__u32 cpu = bpf_get_smp_processor_id();
	struct vma_desc d = {};
	struct {
		struct ttdd_sample_hdr s;
		struct ttd_rec_fault r;
	} * m;
	__u32 kind;
	struct out o;

	if (!slots)
		return 0;
	/* Faults outside any mapping (SIGSEGV) are signals, not inputs. */
	if (bpf_find_vma(cur, address, read_vma, &d, 0) || !d.end)
		return 0;
	kind = d.kind;
	if (d.flags & K_VM_SHARED)
		kind |= TTD_VM_SHARED;
	if (d.flags & K_VM_IO)
		kind |= TTD_VM_IO;
	if (d.flags & K_VM_PFNMAP)
		kind |= TTD_VM_PFNMAP;
	if (d.flags & K_VM_MIXEDMAP)
		kind |= TTD_VM_MIXEDMAP;
	if (!(kind &
	      (TTD_VM_SHARED | TTD_VM_IO | TTD_VM_PFNMAP | TTD_VM_MIXEDMAP)))
		return 0;
	m = reserve(&o, cpu, sizeof(m->r));
	if (!m)
		return 0;
	m->s.slots = slots;
	fill_hdr(&m->r.hdr, TTD_REC_FAULT, sizeof(m->r), cpu, cur);
	m->r.hdr.flags = (error_code & K_PF_WRITE ? TTD_FAULT_WRITE : 0) |
			 (error_code & K_PF_INSTR ? TTD_FAULT_EXEC : 0) |
			 (error_code & K_PF_PROT ? TTD_FAULT_PROT : 0);
	m->r.address = address;
	m->r.ip = BPF_CORE_READ(regs, ip);
	m->r.vm_start = d.start;
	m->r.vm_end = d.end;
	m->r.ino = d.ino;
	m->r.pgoff = d.pgoff + ((address - d.start) >> 12);
	m->r.dev_major = d.dev >> 20;
	m->r.dev_minor = d.dev & 0xfffff;
	m->r.vm_kind = kind;
	m->r.reserved = 0;
	submit(&o, m);
	return 0;
}
