// SPDX-License-Identifier: GPL-2.0
/*
 * Hooks.
 *
 * Scheduler, task and signal events come from tracepoints, found by name so
 * that the module does not depend on which of them a kernel exports.  The
 * tracepoint prototypes used here are those of 6.1; later kernels only
 * appended arguments (sched_process_exit gained group_dead), which the C
 * calling convention lets a shorter probe ignore.
 *
 * Page faults in shared and device mappings come from a kprobe on
 * handle_mm_fault(), not from the exceptions:page_fault_user tracepoint:
 * that tracepoint fires with interrupts disabled before the VMA is known,
 * so we would have to take the mmap lock (trylock only) and look the VMA up
 * again.  handle_mm_fault() is entered with the VMA already found and held
 * stable by its caller (mmap lock or, from 6.4, the per-VMA lock), in
 * process context, so reading vm_flags and vm_file there is safe and cheap.
 *
 * Context switches come from preempt notifiers, which the scheduler calls
 * only for the tasks that registered one: every thread of a traced process
 * carries one (ttd_track.c), so an untraced task costs nothing but the
 * scheduler's check of its own empty list of notifiers.  A cgroup group
 * has no such notifiers (tasks join the cgroup behind our back), so while
 * one exists the sched_switch tracepoint records every switch instead.
 *
 * Every other probe returns at once when no task group exists; otherwise
 * it looks the task up (one hash probe, plus a cgroup walk when cgroup
 * groups exist) and emits nothing for untraced tasks.
 */
#include <linux/kprobes.h>
#include <linux/kdev_t.h>
#include <linux/binfmts.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/signal.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/tracepoint.h>

#include "uapi/linux/ttd.h"
#include "ttd_genl.h"
#include "ttd_hooks.h"
#include "ttd_ring.h"
#include "ttd_track.h"

/* @p NULL: a task that is not named (pid and tid 0). */
static void ttd_hdr(struct ttd_rec_header *h, u16 type, u16 size,
		    struct task_struct *p, u32 group)
{
	h->type = type;
	h->size = size;
	h->cpu = 0;
	h->flags = 0;
	h->pid = p ? task_tgid_nr(p) : 0;
	h->tid = p ? task_pid_nr(p) : 0;
	h->time_ns = ktime_get_mono_fast_ns();
	h->group = group;
	h->reserved = 0;
}

static bool ttd_wants(struct ttd_group *g, u32 ev)
{
	return g && (READ_ONCE(g->events) & ev);
}

/* The group id a record of @g carries when @g wants class @ev, else 0. */
static u32 ttd_wanted_id(struct ttd_group *g, u32 ev)
{
	return ttd_wants(g, ev) ? g->id : 0;
}

/* The state of @prev, which blocks as it switches out, @state its
 * __state. */
static u32 ttd_prev_state(struct task_struct *prev, unsigned int state)
{
	state |= prev->exit_state;
	if (state & (TASK_DEAD | EXIT_DEAD | EXIT_ZOMBIE))
		return TTD_STATE_DEAD;
	if (state & __TASK_TRACED)
		return TTD_STATE_TRACED;
	if (state & __TASK_STOPPED)
		return TTD_STATE_STOPPED;
	if (state & TASK_PARKED)
		return TTD_STATE_PARKED;
	if ((state & TASK_IDLE) == TASK_IDLE)
		return TTD_STATE_IDLE;
	if (state & TASK_UNINTERRUPTIBLE)
		return TTD_STATE_DISK;
	/* A wake-up from another CPU that raced with the switch-out has
	 * already replaced the kind of sleep. */
	if (state & (TASK_INTERRUPTIBLE | TASK_WAKING))
		return TTD_STATE_SLEEPING;
	return state ? TTD_STATE_OTHER : TTD_STATE_RUNNING;
}

/*
 * Record a switch from @prev, of group @pg, in state @prev_state, to @next,
 * of group @ng, straight into this CPU's ring; interrupts off.  A @prev of
 * NULL is an untraced task, which is not named.
 */
static void ttd_switch(struct task_struct *prev, struct ttd_group *pg,
		       unsigned int prev_state, struct task_struct *next,
		       struct ttd_group *ng)
{
	u32 pgid = ttd_wanted_id(pg, TTD_CLASS_SCHED);
	u32 ngid = ttd_wanted_id(ng, TTD_CLASS_SCHED);
	struct ttd_rec_switch *rec;
	u16 flags = 0;

	if (!pgid && !ngid)
		return;
	rec = ttd_ring_reserve_irqs_off(sizeof(*rec));
	if (!rec)
		return;
	ttd_hdr(&rec->hdr, TTD_REC_SWITCH, sizeof(*rec), prev, pgid);
	if (!prev) {
		rec->prev_state = TTD_STATE_OTHER;
	} else if (READ_ONCE(prev->on_rq)) {
		/* Still on its runqueue: preempted or yielding. */
		rec->prev_state = TTD_STATE_RUNNING;
		flags |= TTD_SWITCH_PREEMPT;
	} else {
		rec->prev_state = ttd_prev_state(prev, prev_state);
	}
	if (pgid)
		flags |= TTD_SWITCH_PREV_TRACED;
	if (ngid)
		flags |= TTD_SWITCH_NEXT_TRACED;
	rec->hdr.flags = flags;
	rec->prev_pid = rec->hdr.pid;
	rec->prev_tid = rec->hdr.tid;
	rec->next_pid = task_tgid_nr(next);
	rec->next_tid = task_pid_nr(next);
	rec->next_group = ngid;
	ttd_ring_commit_irqs_off(&rec->hdr);
}

/*
 * The next task of the switch this CPU is in, when the switched-out task's
 * notifier has recorded the switch already: the next task's own notifier
 * then has nothing to add.  Set and read between the two halves of one
 * switch, which nothing can interrupt with another switch.
 */
static DEFINE_PER_CPU(struct task_struct *, ttd_switch_done);

/*
 * A traced thread switches out, interrupts off, the runqueue locked.  The
 * record is written here, whether or not @next is traced, because only
 * this side knows both tasks.
 */
static void ttd_sched_out(struct preempt_notifier *pn, struct task_struct *next)
{
	struct ttd_thread *th = container_of(pn, struct ttd_thread, pn);
	struct ttd_thread *nth = ttd_thread_of(next);
	unsigned int state = READ_ONCE(current->__state);

	if (nth)
		__this_cpu_write(ttd_switch_done, next);
	if (!READ_ONCE(ttd_switch_by_tp))
		ttd_switch(current, th->group, state, next,
			   nth ? nth->group : NULL);
	if (unlikely(state & TASK_DEAD))
		ttd_thread_dead(th);
}

/*
 * A traced thread has been switched in, interrupts on, preemption off.
 * When the task it replaced was not traced, nobody has recorded the
 * switch, and nobody can say what that task was.
 */
static void ttd_sched_in(struct preempt_notifier *pn, int cpu)
{
	struct ttd_thread *th = container_of(pn, struct ttd_thread, pn);
	unsigned long flags;

	if (__this_cpu_read(ttd_switch_done) == current) {
		__this_cpu_write(ttd_switch_done, NULL);
		return;
	}
	if (READ_ONCE(ttd_switch_by_tp))
		return;
	local_irq_save(flags);
	ttd_switch(NULL, NULL, 0, current, th->group);
	local_irq_restore(flags);
}

struct preempt_ops ttd_preempt_ops = {
	.sched_in = ttd_sched_in,
	.sched_out = ttd_sched_out,
};

/* The group of a task of a switch, for the tracepoint: @p is current or
 * being switched in. */
static struct ttd_group *ttd_switch_group(struct task_struct *p)
{
	struct ttd_thread *th = ttd_thread_of(p);

	if (th)
		return th->group;
	if (p->flags & PF_KTHREAD)
		return NULL;
	return ttd_cgroup_match(p);
}

/*
 * Attached only while a cgroup group exists, and then the one recorder of
 * switches.  Interrupts are off here, which makes this an RCU read-side
 * critical section without rcu_read_lock().
 */
static void ttd_probe_switch(void *data, bool preempt, struct task_struct *prev,
			     struct task_struct *next, unsigned int prev_state)
{
	struct ttd_group *pg, *ng;

	if (!READ_ONCE(ttd_switch_by_tp))
		return;
	pg = ttd_switch_group(prev);
	ng = ttd_switch_group(next);
	ttd_switch(pg ? prev : NULL, pg, prev_state, next, ng);
}

/*
 * task_newtask, not sched_process_fork: copy_process() fires it for every
 * new task, also for the io_uring threads (iou-wrk-N, iou-sqp-N) that
 * create_io_thread() makes without going through kernel_clone(), where
 * sched_process_fork is.  It fires last, once the child has its pids,
 * signal struct and place on the thread list, and before the child can
 * run: its creator wakes it up only after copy_process() returns.  The
 * creator is current.
 */
static void ttd_probe_newtask(void *data, struct task_struct *child,
			      unsigned long clone_flags)
{
	struct task_struct *parent = current;
	struct ttd_rec_fork rec;
	struct ttd_group *g;
	bool thread;
	u32 gid;

	/* A kernel thread never belongs to a traced process. */
	if (likely(!ttd_tracking_active()) || (child->flags & PF_KTHREAD))
		return;
	/* Preemption off keeps a group's removal, under stop_machine(), from
	 * coming between finding the group and joining the child to it. */
	preempt_disable();
	rcu_read_lock();
	g = ttd_task_group(parent);
	thread = clone_flags & CLONE_THREAD;
	if (g && !g->cgrp)
		ttd_track_fork(child, g, thread);
	gid = ttd_wanted_id(g, TTD_CLASS_TASK);
	rcu_read_unlock();
	preempt_enable();
	if (!gid)
		return;
	ttd_hdr(&rec.hdr, TTD_REC_FORK, sizeof(rec), parent, gid);
	rec.hdr.flags = thread ? TTD_FORK_THREAD : 0;
	if (child->flags & PF_IO_WORKER)
		rec.hdr.flags |= TTD_FORK_IO_THREAD;
	rec.child_pid = task_tgid_nr(child);
	rec.child_tid = task_pid_nr(child);
	ttd_ring_write(&rec.hdr);
}

static void ttd_probe_exec(void *data, struct task_struct *p, pid_t old_pid,
			   struct linux_binprm *bprm)
{
	union {
		struct ttd_rec_exec rec;
		u8 buf[sizeof(struct ttd_rec_exec) + TTD_EXEC_NAME_MAX];
	} u;
	size_t len;
	u32 gid;

	if (likely(!ttd_tracking_active()))
		return;
	rcu_read_lock();
	gid = ttd_wanted_id(ttd_task_group(p), TTD_CLASS_TASK);
	rcu_read_unlock();
	if (!gid)
		return;
	/* Zeroed so that padding never carries stack contents. */
	memset(&u, 0, sizeof(u));
	len = strnlen(bprm->filename, TTD_EXEC_NAME_MAX - 1);
	memcpy(u.rec.filename, bprm->filename, len);
	ttd_hdr(&u.rec.hdr, TTD_REC_EXEC,
		ALIGN(sizeof(u.rec) + len + 1, TTD_REC_ALIGN), p, gid);
	u.rec.old_tid = old_pid;
	u.rec.filename_len = len;
	ttd_ring_write(&u.rec.hdr);
}

static void ttd_probe_exit(void *data, struct task_struct *p)
{
	struct signal_struct *sig = p->signal;
	struct ttd_rec_exit rec;
	struct ttd_group *g;
	bool group_dead, notify = false;
	int code;
	u32 gid = 0, emit;

	if (likely(!ttd_tracking_active()))
		return;
	group_dead = !atomic_read(&sig->live);
	code = (sig->flags & SIGNAL_GROUP_EXIT) ? sig->group_exit_code
						: p->exit_code;
	rcu_read_lock();
	g = ttd_task_group(p);
	emit = ttd_wanted_id(g, TTD_CLASS_TASK);
	if (g && group_dead) {
		gid = g->id;
		/* Report a pid-group process once, as it leaves the table;
		 * cgroup groups have no entry to remove. */
		notify = ttd_track_exit_process(p) || g->cgrp;
	}
	rcu_read_unlock();
	/* Free the threads that died before this one, now that we can. */
	if (g)
		ttd_reap_threads();
	if (notify)
		ttd_notify(TTD_NOTIFY_EXIT, gid, p, code);
	if (!emit)
		return;
	ttd_hdr(&rec.hdr, TTD_REC_EXIT, sizeof(rec), p, emit);
	rec.hdr.flags = group_dead ? TTD_EXIT_GROUP : 0;
	rec.exit_code = p->exit_code;
	rec.reserved = 0;
	ttd_ring_write(&rec.hdr);
}

static bool ttd_sig_is_fault(int sig)
{
	return sig == SIGSEGV || sig == SIGBUS || sig == SIGILL ||
	       sig == SIGFPE || sig == SIGTRAP;
}

/* si_code, si_errno and the one word of payload worth keeping.  SEND_SIG_*
 * "pointers" are markers, not siginfo. */
static void ttd_siginfo(int sig, struct kernel_siginfo *info, s32 *code,
			s32 *err, u64 *value)
{
	*err = 0;
	*value = 0;
	if (info == SEND_SIG_NOINFO) {
		*code = SI_USER;
		return;
	}
	if (info == SEND_SIG_PRIV) {
		*code = SI_KERNEL;
		return;
	}
	*code = info->si_code;
	*err = info->si_errno;
	if (info->si_code == SI_QUEUE || info->si_code == SI_TIMER ||
	    info->si_code == SI_MESGQ)
		*value = (u64)(unsigned long)info->si_ptr;
	else if (info->si_code > 0 && ttd_sig_is_fault(sig))
		*value = (u64)(unsigned long)info->si_addr;
}

/* Called with the target's siglock held. */
/*
 * sig_fatal() reads task->sighand as a plain pointer; the tracepoint's caller
 * holds sighand->siglock, which keeps it stable, so say so to the checker.
 */
static bool ttd_sig_fatal(struct task_struct *task, int sig)
{
	struct sighand_struct *sh = rcu_dereference_raw(task->sighand);

	if (sig == SIGKILL)
		return true;
	if (siginmask(sig, SIG_KERNEL_IGNORE_MASK | SIG_KERNEL_STOP_MASK))
		return false;
	return sh->action[sig - 1].sa.sa_handler == SIG_DFL;
}

static void ttd_probe_signal_generate(void *data, int sig,
				      struct kernel_siginfo *info,
				      struct task_struct *task, int group,
				      int result)
{
	struct ttd_rec_signal_generate rec;
	struct ttd_group *g;
	bool emit, fatal;
	u32 gid = 0;

	if (likely(!ttd_tracking_active()))
		return;
	rcu_read_lock();
	g = ttd_task_group(task);
	emit = ttd_wants(g, TTD_CLASS_SIGNAL);
	if (g)
		gid = g->id;
	rcu_read_unlock();
	if (!g)
		return;
	fatal = result == TTD_SIG_DELIVERED && ttd_sig_fatal(task, sig);
	if (fatal)
		ttd_notify(TTD_NOTIFY_FATAL_SIGNAL, gid, task, sig);
	if (!emit)
		return;
	ttd_hdr(&rec.hdr, TTD_REC_SIGNAL_GENERATE, sizeof(rec), current, gid);
	rec.hdr.flags =
		(group ? TTD_SIG_GROUP : 0) | (fatal ? TTD_SIG_FATAL : 0);
	rec.sig = sig;
	ttd_siginfo(sig, info, &rec.code, &rec.err, &rec.value);
	rec.result = result;
	rec.target_pid = task_tgid_nr(task);
	rec.target_tid = task_pid_nr(task);
	ttd_ring_write(&rec.hdr);
}

static void ttd_probe_signal_deliver(void *data, int sig,
				     struct kernel_siginfo *info,
				     struct k_sigaction *ka)
{
	struct ttd_rec_signal_deliver rec;
	u64 value;
	u32 gid;

	if (likely(!ttd_tracking_active()))
		return;
	rcu_read_lock();
	gid = ttd_wanted_id(ttd_task_group(current), TTD_CLASS_SIGNAL);
	rcu_read_unlock();
	if (!gid)
		return;
	ttd_hdr(&rec.hdr, TTD_REC_SIGNAL_DELIVER, sizeof(rec), current, gid);
	rec.sig = sig;
	ttd_siginfo(sig, info, &rec.code, &rec.err, &value);
	rec.reserved = 0;
	rec.handler = (u64)(unsigned long)ka->sa.sa_handler;
	rec.sa_flags = ka->sa.sa_flags;
	ttd_ring_write(&rec.hdr);
}

#define TTD_VM_WATCHED \
	(VM_SHARED | VM_MAYSHARE | VM_IO | VM_PFNMAP | VM_MIXEDMAP)

static u32 ttd_vm_kind(struct vm_area_struct *vma)
{
	unsigned long f = vma->vm_flags;
	u32 kind = 0;

	/* A MAP_SHARED mapping of a file opened read-only loses VM_SHARED
	 * but keeps VM_MAYSHARE: other writers still show through it. */
	if (f & (VM_SHARED | VM_MAYSHARE))
		kind |= TTD_VM_SHARED;
	if (f & VM_IO)
		kind |= TTD_VM_IO;
	if (f & VM_PFNMAP)
		kind |= TTD_VM_PFNMAP;
	if (f & VM_MIXEDMAP)
		kind |= TTD_VM_MIXEDMAP;
	if (!vma->vm_file)
		kind |= TTD_VM_NOFILE;
	/* shmem_zero_setup() names the object behind MAP_SHARED|
	 * MAP_ANONYMOUS "dev/zero"; no other object carries that name. */
	else if (!strcmp(vma->vm_file->f_path.dentry->d_name.name, "dev/zero"))
		kind |= TTD_VM_ANON_SHARED;
	return kind;
}

/*
 * The inode that /proc/PID/maps names for a mapped file.  On newer
 * kernels a file mapped through overlayfs is a backing file, whose own
 * inode is the one underneath, on another device, not the one the
 * process opened; those kernels have file_user_inode() for this.
 */
static const struct inode *ttd_map_inode(const struct file *f)
{
#ifdef TTD_HAVE_FILE_USER_INODE
	return file_user_inode(f);
#else
	return file_inode(f);
#endif
}

static void ttd_fault(struct vm_area_struct *vma, unsigned long address,
		      unsigned int flags, struct pt_regs *uregs)
{
	struct ttd_rec_fault rec;
	const struct inode *inode;
	u32 gid;

	rcu_read_lock();
	gid = ttd_wanted_id(ttd_task_group(current), TTD_CLASS_FAULT);
	rcu_read_unlock();
	if (!gid)
		return;
	ttd_hdr(&rec.hdr, TTD_REC_FAULT, sizeof(rec), current, gid);
	rec.hdr.flags = ((flags & FAULT_FLAG_WRITE) ? TTD_FAULT_WRITE : 0) |
			((flags & FAULT_FLAG_INSTRUCTION) ? TTD_FAULT_EXEC : 0);
	rec.address = address;
	rec.ip = instruction_pointer(uregs);
	rec.vm_start = vma->vm_start;
	rec.vm_end = vma->vm_end;
	rec.pgoff = vma->vm_pgoff + ((address - vma->vm_start) >> PAGE_SHIFT);
	rec.vm_kind = ttd_vm_kind(vma);
	rec.ino = 0;
	rec.dev_major = 0;
	rec.dev_minor = 0;
	if (vma->vm_file) {
		inode = ttd_map_inode(vma->vm_file);
		rec.ino = inode->i_ino;
		rec.dev_major = MAJOR(inode->i_sb->s_dev);
		rec.dev_minor = MINOR(inode->i_sb->s_dev);
	}
	rec.reserved = 0;
	ttd_ring_write(&rec.hdr);
}

/* handle_mm_fault(vma, address, flags, regs) */
static int ttd_fault_pre(struct kprobe *kp, struct pt_regs *regs)
{
	struct vm_area_struct *vma;
	struct pt_regs *uregs;
	unsigned int flags;

	if (likely(!ttd_tracking_active()))
		return 0;
	vma = (struct vm_area_struct *)regs_get_kernel_argument(regs, 0);
	flags = regs_get_kernel_argument(regs, 2);
	uregs = (struct pt_regs *)regs_get_kernel_argument(regs, 3);
	/* User-mode faults of the task itself, first attempt only: not
	 * get_user_pages() on behalf of others, not retries. */
	if (!(flags & FAULT_FLAG_USER) || (flags & FAULT_FLAG_TRIED) ||
	    !uregs || !user_mode(uregs))
		return 0;
	if (!(vma->vm_flags & TTD_VM_WATCHED) || vma->vm_mm != current->mm)
		return 0;
	ttd_fault(vma, regs_get_kernel_argument(regs, 1), flags, uregs);
	return 0;
}

static struct kprobe ttd_fault_kprobe = {
	.symbol_name = "handle_mm_fault",
	.pre_handler = ttd_fault_pre,
};
static bool ttd_fault_registered;

struct ttd_tracepoint {
	const char *name;
	void *probe;
	struct tracepoint *tp;
	bool attached;
};

static struct ttd_tracepoint ttd_tps[] = {
	{ "task_newtask", ttd_probe_newtask },
	{ "sched_process_exec", ttd_probe_exec },
	{ "sched_process_exit", ttd_probe_exit },
	{ "signal_generate", ttd_probe_signal_generate },
	{ "signal_deliver", ttd_probe_signal_deliver },
};

/* Only while a cgroup group exists. */
static struct ttd_tracepoint ttd_switch_tp = { "sched_switch",
					       ttd_probe_switch };

/*
 * The hooks are attached only while some group exists, so that a host with
 * the module loaded and nothing traced pays nothing at a context switch,
 * not even the scheduler's look at a task's list of preempt notifiers.
 * The group table arms them before it publishes its first group and
 * disarms them once the last one is gone; ttd_hooks_shutdown() disarms
 * them for good at unload.
 */
static DEFINE_MUTEX(ttd_hooks_lock);
static bool ttd_hooks_armed, ttd_hooks_closed, ttd_fault_wanted;

static void ttd_find_tp(struct tracepoint *tp, void *priv)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ttd_tps); i++) {
		if (!strcmp(tp->name, ttd_tps[i].name))
			ttd_tps[i].tp = tp;
	}
	if (!strcmp(tp->name, ttd_switch_tp.name))
		ttd_switch_tp.tp = tp;
}

static int ttd_tp_attach(struct ttd_tracepoint *t)
{
	int err = 0;

	if (!t->attached)
		err = tracepoint_probe_register(t->tp, t->probe, NULL);
	if (err)
		pr_err("ttd: cannot hook %s: %d\n", t->name, err);
	else
		t->attached = true;
	return err;
}

static void ttd_tp_detach(struct ttd_tracepoint *t)
{
	if (t->attached)
		tracepoint_probe_unregister(t->tp, t->probe, NULL);
	t->attached = false;
}

static void ttd_hooks_detach(void)
{
	unsigned int i;

	lockdep_assert_held(&ttd_hooks_lock);
	if (ttd_fault_registered) {
		unregister_kprobe(&ttd_fault_kprobe);
		ttd_fault_registered = false;
	}
	for (i = 0; i < ARRAY_SIZE(ttd_tps); i++)
		ttd_tp_detach(&ttd_tps[i]);
	ttd_tp_detach(&ttd_switch_tp);
	/* No probe is running or will run after this. */
	tracepoint_synchronize_unregister();
	/* The notifiers may still be on tasks (at unload, until their groups
	 * are removed), but the scheduler stops calling them. */
	preempt_notifier_dec();
}

static int ttd_hooks_attach(void)
{
	unsigned int i;
	int err;

	lockdep_assert_held(&ttd_hooks_lock);
	preempt_notifier_inc();
	for (i = 0; i < ARRAY_SIZE(ttd_tps); i++) {
		err = ttd_tp_attach(&ttd_tps[i]);
		if (err) {
			ttd_hooks_detach();
			return err;
		}
	}
	if (ttd_fault_wanted) {
		/* A kprobe registered before keeps the address it found. */
		ttd_fault_kprobe.addr = NULL;
		ttd_fault_kprobe.flags = 0;
		err = register_kprobe(&ttd_fault_kprobe);
		if (err)
			pr_warn("ttd: no fault events: kprobe on %s: %d\n",
				ttd_fault_kprobe.symbol_name, err);
		else
			ttd_fault_registered = true;
	}
	return 0;
}

int ttd_hooks_arm(void)
{
	int err = 0;

	mutex_lock(&ttd_hooks_lock);
	if (ttd_hooks_closed)
		err = -ENODEV;
	else if (!ttd_hooks_armed)
		err = ttd_hooks_attach();
	if (!err)
		ttd_hooks_armed = true;
	mutex_unlock(&ttd_hooks_lock);
	return err;
}

int ttd_hooks_switch_tp(bool on)
{
	int err = 0;

	mutex_lock(&ttd_hooks_lock);
	if (on) {
		err = ttd_hooks_armed ? ttd_tp_attach(&ttd_switch_tp) : -ENODEV;
	} else if (ttd_switch_tp.attached) {
		ttd_tp_detach(&ttd_switch_tp);
		tracepoint_synchronize_unregister();
	}
	mutex_unlock(&ttd_hooks_lock);
	return err;
}

void ttd_hooks_disarm(void)
{
	mutex_lock(&ttd_hooks_lock);
	if (ttd_hooks_armed)
		ttd_hooks_detach();
	ttd_hooks_armed = false;
	mutex_unlock(&ttd_hooks_lock);
}

void ttd_hooks_shutdown(void)
{
	mutex_lock(&ttd_hooks_lock);
	ttd_hooks_closed = true;
	mutex_unlock(&ttd_hooks_lock);
	ttd_hooks_disarm();
}

int ttd_hooks_init(bool fault_hook)
{
	unsigned int i;

	for_each_kernel_tracepoint(ttd_find_tp, NULL);
	for (i = 0; i < ARRAY_SIZE(ttd_tps); i++) {
		if (!ttd_tps[i].tp) {
			pr_err("ttd: tracepoint %s not found\n",
			       ttd_tps[i].name);
			return -ENOENT;
		}
	}
	if (!ttd_switch_tp.tp) {
		pr_err("ttd: tracepoint %s not found\n", ttd_switch_tp.name);
		return -ENOENT;
	}
	ttd_fault_wanted = fault_hook;
	return 0;
}
