/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which tasks are traced: task groups (a process and its descendants, or a
 * cgroup subtree) and the table of traced processes the hooks consult.
 */
#ifndef _TTD_TRACK_H
#define _TTD_TRACK_H

#include <linux/hashtable.h>
#include <linux/list.h>
#include <linux/llist.h>
#include <linux/preempt.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/types.h>

#ifndef CONFIG_PREEMPT_NOTIFIERS
#error "ttd.ko needs CONFIG_PREEMPT_NOTIFIERS"
#endif

struct cgroup;

struct ttd_group {
	struct list_head node; /* ttd_groups, RCU */
	struct rcu_head rcu;
	u32 id;
	u32 events; /* TTD_CLASS_*, read locklessly by the hooks */
	u32 flags; /* TTD_GROUP_* */
	pid_t pid; /* pid group: thread group id, initial namespace */
	u64 cgroup_id;
	struct cgroup *cgrp; /* cgroup group: reference held */
	u32 nr_procs; /* under ttd_track_lock */
	struct list_head threads; /* ttd_thread.node, under ttd_thread_lock */
};

/* Snapshot of a group for GET_GROUPS. */
struct ttd_group_info {
	u32 id;
	u32 events;
	u32 flags;
	pid_t pid;
	u64 cgroup_id;
	u32 nr_procs;
};

/*
 * A traced process: the table is keyed by the struct pid of its thread
 * group, of which the entry holds a reference.
 */
struct ttd_proc {
	struct hlist_node node; /* ttd_procs, RCU */
	struct rcu_head rcu;
	struct pid *tgid;
	struct ttd_group *group;
};

/*
 * A thread of a traced process: the preempt notifier through which the
 * scheduler reports its switches (ttd_hooks.c), on its task's list of
 * notifiers from the moment the thread is traced until its final
 * switch-out or the removal of its group.  That list belongs to the task:
 * only the task itself may change it, except while no task runs at all
 * (stop_machine()) or before a new task first runs (the fork hook).
 */
struct ttd_thread {
	struct preempt_notifier pn;
	struct ttd_group *group;
	struct list_head node; /* group->threads, under ttd_thread_lock */
	union {
		struct llist_node dead; /* after the final switch-out */
		struct rcu_head rcu;
	};
};

#define TTD_PROC_HASH_BITS 10

extern struct hlist_head ttd_procs[1 << TTD_PROC_HASH_BITS];
extern int ttd_nr_groups;
extern int ttd_nr_cgroup_groups;
/* Set while a cgroup group exists: switches are then recorded by the
 * sched_switch tracepoint, not by the notifiers.  Changes only while no
 * task runs, so one switch never sees both. */
extern bool ttd_switch_by_tp;
extern struct preempt_ops ttd_preempt_ops;
/* Module parameter fail_fork_alloc: fail that many of the fork hook's
 * allocations, as if memory were short (testing). */
extern unsigned int ttd_fail_fork_alloc;

int ttd_track_init(void);
void ttd_track_exit(void);

/* Hooks, under rcu_read_lock() or with interrupts off. */
static inline bool ttd_tracking_active(void)
{
	return READ_ONCE(ttd_nr_groups) != 0;
}

static inline struct ttd_proc *ttd_proc_find(struct pid *tgid)
{
	struct ttd_proc *tp;

	hash_for_each_possible_rcu(ttd_procs, tp, node, (unsigned long)tgid) {
		if (tp->tgid == tgid)
			return tp;
	}
	return NULL;
}

struct ttd_group *ttd_cgroup_match(struct task_struct *p);

/*
 * @p's ttd_thread, or NULL.  Only for @p current, or switched in by the
 * caller's switch: a task that does not run cannot change its list.
 */
static inline struct ttd_thread *ttd_thread_of(struct task_struct *p)
{
	struct preempt_notifier *pn;

	hlist_for_each_entry(pn, &p->preempt_notifiers, link) {
		if (pn->ops == &ttd_preempt_ops)
			return container_of(pn, struct ttd_thread, pn);
	}
	return NULL;
}

/* The group tracing @p, or NULL. */
static inline struct ttd_group *ttd_task_group(struct task_struct *p)
{
	struct ttd_proc *tp;

	if (!ttd_tracking_active() || (p->flags & PF_KTHREAD))
		return NULL;
	tp = ttd_proc_find(task_tgid(p));
	if (tp)
		return tp->group;
	if (unlikely(READ_ONCE(ttd_nr_cgroup_groups)))
		return ttd_cgroup_match(p);
	return NULL;
}

void ttd_track_fork(struct task_struct *child, struct ttd_group *g,
		    bool thread);
bool ttd_track_exit_process(struct task_struct *p);
void ttd_thread_dead(struct ttd_thread *th);
void ttd_reap_threads(void);

/* Control, process context. */
int ttd_group_add_pid(pid_t vnr, u32 events, u32 flags, u32 *id);
int ttd_group_add_cgroup(u64 cgroup_id, u32 events, u32 flags, u32 *id);
int ttd_group_del(u32 id);
int ttd_group_set_events(u32 id, u32 events);
bool ttd_group_next(u32 after_id, struct ttd_group_info *gi);
void ttd_track_counts(u32 *groups, u32 *procs, u64 *untracked);

#endif /* _TTD_TRACK_H */
