// SPDX-License-Identifier: GPL-2.0
/*
 * Traced task groups.
 *
 * A pid group traces one process and, unless told otherwise, the processes
 * it forks later.  Traced processes are kept in a hash table keyed by the
 * struct pid of their thread group, of which we hold a reference: unlike a
 * pid number or a task pointer, the address of a struct pid we hold cannot
 * be reused by another process, so a stale entry can never make an
 * unrelated process traced.  Threads need no entry of their own.
 *
 * A cgroup group traces every task of a cgroup v2 subtree; membership is
 * checked at each hook, so tasks moving in and out follow automatically.
 *
 * Readers (the hooks) use RCU; writers take ttd_track_lock, a spinlock
 * because the fork and exit hooks cannot sleep.  Control operations are
 * serialized by ttd_track_mutex, under which the hooks are armed before
 * the first group is published and disarmed after the last is removed.
 */
#include <linux/cgroup.h>
#include <linux/err.h>
#include <linux/hashtable.h>
#include <linux/pid.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "uapi/linux/ttd.h"
#include "ttd_hooks.h"
#include "ttd_track.h"

DEFINE_HASHTABLE(ttd_procs, TTD_PROC_HASH_BITS);
static LIST_HEAD(ttd_groups);
static DEFINE_SPINLOCK(ttd_track_lock);
static DEFINE_MUTEX(ttd_track_mutex);
static struct kmem_cache *ttd_proc_cache;
static struct kmem_cache *ttd_group_cache;

int ttd_nr_groups;
int ttd_nr_cgroup_groups;
static u32 ttd_nr_procs;
static u32 ttd_next_id = 1;
static atomic64_t ttd_untracked = ATOMIC64_INIT(0);

struct ttd_group *ttd_cgroup_match(struct task_struct *p)
{
	struct cgroup *cg = task_dfl_cgroup(p);
	struct ttd_group *g;

	list_for_each_entry_rcu(g, &ttd_groups, node) {
		if (g->cgrp && cgroup_is_descendant(cg, g->cgrp))
			return g;
	}
	return NULL;
}

static void ttd_proc_free_rcu(struct rcu_head *rcu)
{
	struct ttd_proc *tp = container_of(rcu, struct ttd_proc, rcu);

	put_pid(tp->tgid);
	kmem_cache_free(ttd_proc_cache, tp);
}

static void ttd_proc_unhash(struct ttd_proc *tp)
{
	lockdep_assert_held(&ttd_track_lock);
	hash_del_rcu(&tp->node);
	tp->group->nr_procs--;
	ttd_nr_procs--;
	call_rcu(&tp->rcu, ttd_proc_free_rcu);
}

static void ttd_proc_hash(struct ttd_proc *tp)
{
	lockdep_assert_held(&ttd_track_lock);
	hash_add_rcu(ttd_procs, &tp->node, (unsigned long)tp->tgid);
	tp->group->nr_procs++;
	ttd_nr_procs++;
}

/* Fork hook: a traced process created a new process. */
void ttd_track_fork(struct task_struct *child, struct ttd_group *g)
{
	struct ttd_proc *tp;

	if (g->cgrp || (g->flags & TTD_GROUP_NO_CHILDREN))
		return;
	tp = kmem_cache_alloc(ttd_proc_cache, GFP_ATOMIC | __GFP_NOWARN);
	if (!tp) {
		atomic64_inc(&ttd_untracked);
		return;
	}
	tp->tgid = get_pid(task_tgid(child));
	tp->group = g;
	spin_lock(&ttd_track_lock);
	/* The group may have been deleted since the caller found it. */
	if (!g->removed && !ttd_proc_find(tp->tgid)) {
		ttd_proc_hash(tp);
		tp = NULL;
	}
	spin_unlock(&ttd_track_lock);
	if (tp) {
		put_pid(tp->tgid);
		kmem_cache_free(ttd_proc_cache, tp);
	}
}

/*
 * Threads that left the table while still running: the last thread of a
 * process exits (and its process leaves the table) before its final
 * switch-out, which the switch hook still owes to the group.  A task is
 * here only between its exit hook and its final schedule(), so a few
 * slots suffice; when more processes than that die at once, the oldest
 * entries are overwritten and those final switches go unrecorded.  The
 * lock is taken by the exit hook (process context) and by the switch hook
 * under the runqueue lock, and nothing is called while holding it.
 */
#define TTD_DYING_SLOTS 32

struct ttd_dying {
	struct task_struct *task;
	u32 group;
	u32 events;
};

static struct ttd_dying ttd_dying[TTD_DYING_SLOTS];
static unsigned int ttd_dying_next;
static int ttd_nr_dying;
static DEFINE_RAW_SPINLOCK(ttd_dying_lock);

static void ttd_track_dying(struct task_struct *p, struct ttd_group *g)
{
	struct ttd_dying *d;
	unsigned long flags;

	raw_spin_lock_irqsave(&ttd_dying_lock, flags);
	d = &ttd_dying[ttd_dying_next++ % TTD_DYING_SLOTS];
	if (!d->task)
		WRITE_ONCE(ttd_nr_dying, ttd_nr_dying + 1);
	d->task = p;
	d->group = g->id;
	d->events = READ_ONCE(g->events);
	raw_spin_unlock_irqrestore(&ttd_dying_lock, flags);
}

/* Switch hook, @p switched out for the last time: its group id if @p was
 * the last thread of a traced process and the group wants @ev, else 0. */
u32 ttd_track_take_dying(struct task_struct *p, u32 ev)
{
	u32 group = 0;
	unsigned int i;

	if (!READ_ONCE(ttd_nr_dying))
		return 0;
	raw_spin_lock(&ttd_dying_lock);
	for (i = 0; i < TTD_DYING_SLOTS; i++) {
		struct ttd_dying *d = &ttd_dying[i];

		if (d->task != p)
			continue;
		if (d->events & ev)
			group = d->group;
		d->task = NULL;
		WRITE_ONCE(ttd_nr_dying, ttd_nr_dying - 1);
		break;
	}
	raw_spin_unlock(&ttd_dying_lock);
	return group;
}

/* Exit hook: the last thread of @p's process is exiting.  Returns whether
 * the process was traced through pid group @g (and is no longer). */
bool ttd_track_exit_process(struct task_struct *p, struct ttd_group *g)
{
	struct ttd_proc *tp;

	spin_lock(&ttd_track_lock);
	tp = ttd_proc_find(task_tgid(p));
	if (tp)
		ttd_proc_unhash(tp);
	spin_unlock(&ttd_track_lock);
	if (tp)
		ttd_track_dying(p, g);
	return tp != NULL;
}

static u32 ttd_alloc_id(void)
{
	struct ttd_group *g;
	u32 id;

again:
	id = ttd_next_id++;
	if (!id)
		goto again;
	list_for_each_entry(g, &ttd_groups, node) {
		if (g->id == id)
			goto again;
	}
	return id;
}

static struct ttd_group *ttd_group_find(u32 id)
{
	struct ttd_group *g;

	lockdep_assert_held(&ttd_track_mutex);
	list_for_each_entry(g, &ttd_groups, node) {
		if (g->id == id)
			return g;
	}
	return NULL;
}

static struct ttd_group *ttd_group_new(u32 events, u32 flags)
{
	struct ttd_group *g = kmem_cache_zalloc(ttd_group_cache, GFP_KERNEL);

	if (!g)
		return NULL;
	g->events = events;
	g->flags = flags;
	return g;
}

static void ttd_group_free_rcu(struct rcu_head *rcu)
{
	struct ttd_group *g = container_of(rcu, struct ttd_group, rcu);

	if (g->cgrp)
		cgroup_put(g->cgrp);
	kmem_cache_free(ttd_group_cache, g);
}

static void ttd_group_publish(struct ttd_group *g)
{
	lockdep_assert_held(&ttd_track_mutex);
	lockdep_assert_held(&ttd_track_lock);
	g->id = ttd_alloc_id();
	list_add_tail_rcu(&g->node, &ttd_groups);
	if (g->cgrp)
		WRITE_ONCE(ttd_nr_cgroup_groups, ttd_nr_cgroup_groups + 1);
	WRITE_ONCE(ttd_nr_groups, ttd_nr_groups + 1);
}

static struct task_struct *ttd_get_task_vnr(pid_t vnr)
{
	struct task_struct *t;
	struct pid *pid;

	pid = find_get_pid(vnr);
	if (!pid)
		return NULL;
	t = get_pid_task(pid, PIDTYPE_PID);
	put_pid(pid);
	return t;
}

int ttd_group_add_pid(pid_t vnr, u32 events, u32 flags, u32 *id)
{
	struct task_struct *t;
	struct ttd_group *g;
	struct ttd_proc *tp;
	int err = 0;

	if (vnr <= 0)
		return -EINVAL;
	t = ttd_get_task_vnr(vnr);
	if (!t)
		return -ESRCH;
	if (t->flags & PF_KTHREAD) {
		err = -EINVAL;
		goto out_task;
	}
	g = ttd_group_new(events, flags);
	tp = kmem_cache_alloc(ttd_proc_cache, GFP_KERNEL);
	if (!g || !tp) {
		err = -ENOMEM;
		goto out_free;
	}
	g->pid = task_tgid_nr(t);
	tp->tgid = get_pid(task_tgid(t));
	tp->group = g;

	mutex_lock(&ttd_track_mutex);
	/* Hooks first: the process may fork as soon as it is in the table. */
	err = ttd_hooks_arm();
	spin_lock(&ttd_track_lock);
	if (!err && ttd_proc_find(tp->tgid))
		err = -EEXIST;
	if (err) {
		spin_unlock(&ttd_track_lock);
		mutex_unlock(&ttd_track_mutex);
		put_pid(tp->tgid);
		goto out_free;
	}
	ttd_group_publish(g);
	ttd_proc_hash(tp);
	/* The exit hook may have run before the entry existed: check again
	 * now that it does (it removes the entry if it runs later). */
	if (!atomic_read(&t->signal->live))
		ttd_proc_unhash(tp);
	*id = g->id;
	spin_unlock(&ttd_track_lock);
	mutex_unlock(&ttd_track_mutex);
	put_task_struct(t);
	return 0;

out_free:
	if (tp)
		kmem_cache_free(ttd_proc_cache, tp);
	if (g)
		kmem_cache_free(ttd_group_cache, g);
out_task:
	put_task_struct(t);
	return err;
}

int ttd_group_add_cgroup(u64 cgroup_id, u32 events, u32 flags, u32 *id)
{
	struct ttd_group *g, *other;
	struct cgroup *cg;
	int err = 0;

	if (flags & TTD_GROUP_NO_CHILDREN)
		return -EINVAL;
	cg = cgroup_get_from_id(cgroup_id);
	if (IS_ERR_OR_NULL(cg))
		return cg ? PTR_ERR(cg) : -ENOENT;
	g = ttd_group_new(events, flags);
	if (!g) {
		cgroup_put(cg);
		return -ENOMEM;
	}
	g->cgrp = cg;
	g->cgroup_id = cgroup_id;

	mutex_lock(&ttd_track_mutex);
	list_for_each_entry(other, &ttd_groups, node) {
		if (other->cgrp == cg) {
			err = -EEXIST;
			break;
		}
	}
	if (!err)
		err = ttd_hooks_arm();
	if (!err) {
		spin_lock(&ttd_track_lock);
		ttd_group_publish(g);
		*id = g->id;
		spin_unlock(&ttd_track_lock);
	}
	mutex_unlock(&ttd_track_mutex);
	if (err) {
		cgroup_put(cg);
		kmem_cache_free(ttd_group_cache, g);
	}
	return err;
}

static void ttd_group_remove(struct ttd_group *g)
{
	struct hlist_node *tmp;
	struct ttd_proc *tp;
	int bkt;

	lockdep_assert_held(&ttd_track_mutex);
	spin_lock(&ttd_track_lock);
	g->removed = true;
	list_del_rcu(&g->node);
	if (g->nr_procs) {
		hash_for_each_safe(ttd_procs, bkt, tmp, tp, node) {
			if (tp->group == g)
				ttd_proc_unhash(tp);
		}
	}
	if (g->cgrp)
		WRITE_ONCE(ttd_nr_cgroup_groups, ttd_nr_cgroup_groups - 1);
	WRITE_ONCE(ttd_nr_groups, ttd_nr_groups - 1);
	spin_unlock(&ttd_track_lock);
	call_rcu(&g->rcu, ttd_group_free_rcu);
}

/* Forget the final switch-outs still owed: once no hook runs, nothing
 * takes them, and a task pointer kept until the hooks come back could by
 * then name another task. */
static void ttd_forget_dying(void)
{
	raw_spin_lock_irq(&ttd_dying_lock);
	memset(ttd_dying, 0, sizeof(ttd_dying));
	WRITE_ONCE(ttd_nr_dying, 0);
	raw_spin_unlock_irq(&ttd_dying_lock);
}

/* The last group is gone: detach the hooks. */
static void ttd_track_idle(void)
{
	lockdep_assert_held(&ttd_track_mutex);
	if (ttd_nr_groups)
		return;
	ttd_hooks_disarm();
	ttd_forget_dying();
}

int ttd_group_del(u32 id)
{
	struct ttd_group *g;
	int err = 0;

	mutex_lock(&ttd_track_mutex);
	g = ttd_group_find(id);
	if (g) {
		ttd_group_remove(g);
		ttd_track_idle();
	} else {
		err = -ENOENT;
	}
	mutex_unlock(&ttd_track_mutex);
	return err;
}

int ttd_group_set_events(u32 id, u32 events)
{
	struct ttd_group *g;
	int err = 0;

	mutex_lock(&ttd_track_mutex);
	g = ttd_group_find(id);
	if (g)
		WRITE_ONCE(g->events, events);
	else
		err = -ENOENT;
	mutex_unlock(&ttd_track_mutex);
	return err;
}

bool ttd_group_next(u32 after_id, struct ttd_group_info *gi)
{
	struct ttd_group *g, *best = NULL;

	mutex_lock(&ttd_track_mutex);
	list_for_each_entry(g, &ttd_groups, node) {
		if (g->id > after_id && (!best || g->id < best->id))
			best = g;
	}
	if (best) {
		gi->id = best->id;
		gi->events = READ_ONCE(best->events);
		gi->flags = best->flags;
		gi->pid = best->pid;
		gi->cgroup_id = best->cgroup_id;
		spin_lock(&ttd_track_lock);
		gi->nr_procs = best->nr_procs;
		spin_unlock(&ttd_track_lock);
	}
	mutex_unlock(&ttd_track_mutex);
	return best != NULL;
}

void ttd_track_counts(u32 *groups, u32 *procs, u64 *untracked)
{
	spin_lock(&ttd_track_lock);
	*groups = ttd_nr_groups;
	*procs = ttd_nr_procs;
	spin_unlock(&ttd_track_lock);
	*untracked = atomic64_read(&ttd_untracked);
}

int ttd_track_init(void)
{
	ttd_proc_cache = KMEM_CACHE(ttd_proc, 0);
	ttd_group_cache = KMEM_CACHE(ttd_group, 0);
	if (!ttd_proc_cache || !ttd_group_cache) {
		kmem_cache_destroy(ttd_proc_cache);
		kmem_cache_destroy(ttd_group_cache);
		return -ENOMEM;
	}
	return 0;
}

/* Called after the hooks are gone: no new entries can appear. */
void ttd_track_exit(void)
{
	struct ttd_group *g, *tmp;

	mutex_lock(&ttd_track_mutex);
	list_for_each_entry_safe(g, tmp, &ttd_groups, node)
		ttd_group_remove(g);
	mutex_unlock(&ttd_track_mutex);
	/* No hook runs any more. */
	ttd_forget_dying();
	/* Wait for the frees queued above and by the exit hook. */
	rcu_barrier();
	/* Both caches complain loudly if anything leaked. */
	kmem_cache_destroy(ttd_proc_cache);
	kmem_cache_destroy(ttd_group_cache);
}
