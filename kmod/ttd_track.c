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
 * Every thread of a traced process also carries a ttd_thread, the preempt
 * notifier that reports its context switches (ttd_hooks.c).
 *
 * A cgroup group traces every task of a cgroup v2 subtree; membership is
 * checked at each hook, so tasks moving in and out follow automatically.
 *
 * Readers (the hooks) use RCU; writers take ttd_track_lock, a raw spinlock
 * because the fork and exit hooks cannot sleep: tracepoint probes run with
 * preemption off, and stop_machine() callbacks with interrupts off, where
 * PREEMPT_RT's sleeping spinlock_t must not be taken.  Control operations
 * are serialized by ttd_track_mutex, under which the hooks are armed before
 * the first group is published and disarmed after the last is removed.
 * Groups are published and removed under stop_machine(): that is the only
 * way to change the notifier lists of tasks other than the caller, and it
 * makes each change happen between two context switches of every CPU.
 */
#include <linux/cgroup.h>
#include <linux/err.h>
#include <linux/hashtable.h>
#include <linux/pid.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/stop_machine.h>
#include <linux/workqueue.h>

#include "uapi/linux/ttd.h"
#include "ttd_hooks.h"
#include "ttd_track.h"

DEFINE_HASHTABLE(ttd_procs, TTD_PROC_HASH_BITS);
static LIST_HEAD(ttd_groups);
static DEFINE_RAW_SPINLOCK(ttd_track_lock);
static DEFINE_MUTEX(ttd_track_mutex);
static struct kmem_cache *ttd_proc_cache;
static struct kmem_cache *ttd_group_cache;
static struct kmem_cache *ttd_thread_cache;
/* Nests inside the runqueue lock (the final switch-out takes it). */
static DEFINE_RAW_SPINLOCK(ttd_thread_lock);
static LLIST_HEAD(ttd_dead_threads);

int ttd_nr_groups;
int ttd_nr_cgroup_groups;
bool ttd_switch_by_tp;
static u32 ttd_nr_procs;
static u32 ttd_next_id = 1;
static atomic64_t ttd_untracked = ATOMIC64_INIT(0);

/*
 * The fork hook cannot sleep, and a failed allocation there leaves a new
 * task untraced for good: nothing else will give it a notifier.  So it
 * falls back on a reserve of objects, which a work item refills from
 * process context, where the allocator may reclaim.  TTD_RESERVE forks
 * in a row can find no memory at hand before one is lost.  On PREEMPT_RT
 * the reserve is all the hook has: the slab allocator takes sleeping locks
 * there, and the hook runs with preemption off.
 */
#define TTD_RESERVE 64

struct ttd_reserve {
	struct kmem_cache *cache;
	unsigned int nr; /* under ttd_reserve_lock */
	void *obj[TTD_RESERVE];
};

static struct ttd_reserve ttd_proc_reserve, ttd_thread_reserve;
static DEFINE_RAW_SPINLOCK(ttd_reserve_lock);
static void ttd_refill(struct work_struct *work);
static DECLARE_WORK(ttd_refill_work, ttd_refill);

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

static void *ttd_reserve_take(struct ttd_reserve *r)
{
	void *obj = NULL;

	raw_spin_lock(&ttd_reserve_lock);
	if (r->nr)
		obj = r->obj[--r->nr];
	raw_spin_unlock(&ttd_reserve_lock);
	return obj;
}

/* Whether @obj went into @r, which may be full. */
static bool ttd_reserve_put(struct ttd_reserve *r, void *obj)
{
	bool kept = false;

	raw_spin_lock(&ttd_reserve_lock);
	if (r->nr < TTD_RESERVE) {
		r->obj[r->nr++] = obj;
		kept = true;
	}
	raw_spin_unlock(&ttd_reserve_lock);
	return kept;
}

static int ttd_reserve_fill(struct ttd_reserve *r)
{
	void *obj;

	for (;;) {
		obj = kmem_cache_alloc(r->cache, GFP_KERNEL);
		if (!obj)
			return -ENOMEM;
		if (!ttd_reserve_put(r, obj)) {
			kmem_cache_free(r->cache, obj);
			return 0;
		}
	}
}

static void ttd_reserve_drain(struct ttd_reserve *r)
{
	void *obj;

	while ((obj = ttd_reserve_take(r)))
		kmem_cache_free(r->cache, obj);
}

static void ttd_refill(struct work_struct *work)
{
	/* On failure the next fork that needs the reserve tries again. */
	ttd_reserve_fill(&ttd_proc_reserve);
	ttd_reserve_fill(&ttd_thread_reserve);
}

/* The fail_fork_alloc parameter: whether to fail this allocation. */
static bool ttd_fork_alloc_injected(void)
{
	unsigned int n = READ_ONCE(ttd_fail_fork_alloc), old;

	while (n) {
		old = cmpxchg(&ttd_fail_fork_alloc, n, n - 1);
		if (old == n)
			return true;
		n = old;
	}
	return false;
}

/* The slab allocator, unless a test fails the call or the kernel is
 * PREEMPT_RT, where it takes sleeping locks and the hook cannot sleep. */
static void *ttd_fork_slab(struct ttd_reserve *r, gfp_t gfp, bool fail)
{
	if (fail || IS_ENABLED(CONFIG_PREEMPT_RT))
		return NULL;
	return kmem_cache_alloc(r->cache, gfp | __GFP_NOWARN);
}

/*
 * An object for the fork hook: from the allocator when it has memory at
 * hand, else from the reserve.  GFP_NOWAIT first, so that the kernel's
 * emergency pool is left alone while the reserve lasts; GFP_ATOMIC once
 * the reserve is empty.
 */
static void *ttd_fork_alloc(struct ttd_reserve *r)
{
	bool fail = ttd_fork_alloc_injected();
	void *obj = ttd_fork_slab(r, GFP_NOWAIT, fail);

	if (obj)
		return obj;
	obj = ttd_reserve_take(r);
	schedule_work(&ttd_refill_work);
	if (!obj)
		obj = ttd_fork_slab(r, GFP_ATOMIC, fail);
	if (!obj)
		atomic64_inc(&ttd_untracked);
	return obj;
}

static void ttd_proc_init(struct ttd_proc *tp, struct task_struct *t,
			  struct ttd_group *g)
{
	tp->tgid = get_pid(task_tgid(t));
	tp->group = g;
}

static struct ttd_proc *ttd_proc_new(struct task_struct *t, struct ttd_group *g)
{
	struct ttd_proc *tp = kmem_cache_alloc(ttd_proc_cache, GFP_KERNEL);

	if (tp)
		ttd_proc_init(tp, t, g);
	return tp;
}

static void ttd_proc_free(struct ttd_proc *tp)
{
	put_pid(tp->tgid);
	kmem_cache_free(ttd_proc_cache, tp);
}

static void ttd_proc_free_rcu(struct rcu_head *rcu)
{
	ttd_proc_free(container_of(rcu, struct ttd_proc, rcu));
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

static void ttd_thread_init(struct ttd_thread *th, struct ttd_group *g)
{
	preempt_notifier_init(&th->pn, &ttd_preempt_ops);
	th->group = g;
}

static struct ttd_thread *ttd_thread_new(struct ttd_group *g)
{
	struct ttd_thread *th = kmem_cache_alloc(ttd_thread_cache, GFP_KERNEL);

	if (th)
		ttd_thread_init(th, g);
	return th;
}

/* @t has not run yet, or no task runs: nothing else touches its list. */
static void ttd_thread_attach(struct task_struct *t, struct ttd_thread *th)
{
	hlist_add_head(&th->pn.link, &t->preempt_notifiers);
	raw_spin_lock(&ttd_thread_lock);
	list_add(&th->node, &th->group->threads);
	raw_spin_unlock(&ttd_thread_lock);
}

/* A new process of group @g: whether it joined the table. */
static bool ttd_track_fork_process(struct task_struct *child,
				   struct ttd_group *g)
{
	struct ttd_proc *tp;

	if (g->flags & TTD_GROUP_NO_CHILDREN)
		return false;
	tp = ttd_fork_alloc(&ttd_proc_reserve);
	if (!tp)
		return false;
	ttd_proc_init(tp, child, g);
	raw_spin_lock(&ttd_track_lock);
	if (!ttd_proc_find(tp->tgid)) {
		ttd_proc_hash(tp);
		tp = NULL;
	}
	raw_spin_unlock(&ttd_track_lock);
	/* Not freed here: on PREEMPT_RT that takes sleeping locks. */
	if (tp)
		call_rcu(&tp->rcu, ttd_proc_free_rcu);
	return !tp;
}

/*
 * Fork hook, preemption off (so that @g cannot be removed meanwhile): a
 * task of pid group @g created @child, a thread when @thread, which has
 * not run yet.
 */
void ttd_track_fork(struct task_struct *child, struct ttd_group *g, bool thread)
{
	struct ttd_thread *th;

	/*
	 * The child is on its thread list before the hook runs, so a group
	 * published in between has given it a notifier already.  Its list
	 * cannot change under us: that takes stop_machine(), which waits
	 * for preemption to be back on here.
	 */
	if (ttd_thread_of(child))
		return;
	if (!thread && !ttd_track_fork_process(child, g))
		return;
	th = ttd_fork_alloc(&ttd_thread_reserve);
	if (!th)
		return;
	ttd_thread_init(th, g);
	ttd_thread_attach(child, th);
}

/*
 * The final switch-out of @th's task, from its own notifier.  The
 * scheduler walks on down the list after this returns, so the entry keeps
 * its next pointer, and its memory until a grace period has passed.  It
 * is freed from process context (ttd_reap_threads()): call_rcu() may wake
 * a thread, which must not happen under the runqueue lock.
 */
void ttd_thread_dead(struct ttd_thread *th)
{
	__hlist_del(&th->pn.link);
	raw_spin_lock(&ttd_thread_lock);
	list_del(&th->node);
	raw_spin_unlock(&ttd_thread_lock);
	llist_add(&th->dead, &ttd_dead_threads);
}

static void ttd_thread_free_rcu(struct rcu_head *rcu)
{
	kmem_cache_free(ttd_thread_cache,
			container_of(rcu, struct ttd_thread, rcu));
}

/* Free the threads that have switched out for the last time. */
void ttd_reap_threads(void)
{
	struct llist_node *dead = llist_del_all(&ttd_dead_threads);
	struct ttd_thread *th, *tmp;

	llist_for_each_entry_safe(th, tmp, dead, dead)
		call_rcu(&th->rcu, ttd_thread_free_rcu);
}

/* After a group change, or a failed one: detach what no group needs. */
static void ttd_track_idle(void)
{
	lockdep_assert_held(&ttd_track_mutex);
	if (!ttd_nr_cgroup_groups)
		ttd_hooks_switch_tp(false);
	if (!ttd_nr_groups)
		ttd_hooks_disarm();
	ttd_reap_threads();
}

/* Exit hook: the last thread of @p's process is exiting.  Returns whether
 * the process was traced through a pid group (and is no longer). */
bool ttd_track_exit_process(struct task_struct *p)
{
	struct ttd_proc *tp;

	raw_spin_lock(&ttd_track_lock);
	tp = ttd_proc_find(task_tgid(p));
	if (tp)
		ttd_proc_unhash(tp);
	raw_spin_unlock(&ttd_track_lock);
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
	INIT_LIST_HEAD(&g->threads);
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
	lockdep_assert_held(&ttd_track_lock);
	g->id = ttd_alloc_id();
	list_add_tail_rcu(&g->node, &ttd_groups);
	if (g->cgrp) {
		WRITE_ONCE(ttd_nr_cgroup_groups, ttd_nr_cgroup_groups + 1);
		WRITE_ONCE(ttd_switch_by_tp, true);
	}
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

/* A group to publish, and for a pid group what its process needs. */
struct ttd_new_group {
	struct ttd_group *g;
	struct ttd_proc *tp; /* NULL once in the table */
	struct task_struct *task;
	struct list_head spare; /* ttd_thread.node, one per thread */
	unsigned int nr_spare;
};

static int ttd_spare_threads(struct ttd_new_group *ng, unsigned int want)
{
	struct ttd_thread *th;

	while (ng->nr_spare < want) {
		th = ttd_thread_new(ng->g);
		if (!th)
			return -ENOMEM;
		list_add(&th->node, &ng->spare);
		ng->nr_spare++;
	}
	return 0;
}

static void ttd_attach_threads(struct ttd_new_group *ng)
{
	struct ttd_thread *th;
	struct task_struct *t;

	for_each_thread(ng->task, t) {
		th = list_first_entry(&ng->spare, struct ttd_thread, node);
		list_del(&th->node);
		ng->nr_spare--;
		ttd_thread_attach(t, th);
	}
}

/* Under stop_machine(): no task runs, so every thread's notifier list is
 * ours to change, and no thread can start or finish meanwhile. */
static int ttd_publish_pid_stopped(void *arg)
{
	struct ttd_new_group *ng = arg;
	struct task_struct *t;
	unsigned int n = 0;
	bool live;
	int err = 0;

	rcu_read_lock();
	raw_spin_lock(&ttd_track_lock);
	/* Once its last thread has passed the exit hook, a process is not
	 * added: nothing would take it out of the table. */
	live = atomic_read(&ng->task->signal->live);
	for_each_thread(ng->task, t)
		n++;
	if (ttd_proc_find(ng->tp->tgid))
		err = -EEXIST;
	else if (live && n > ng->nr_spare)
		err = -EAGAIN;
	if (!err) {
		ttd_group_publish(ng->g);
		if (live) {
			ttd_proc_hash(ng->tp);
			ng->tp = NULL;
			ttd_attach_threads(ng);
		}
	}
	raw_spin_unlock(&ttd_track_lock);
	rcu_read_unlock();
	return err;
}

static void ttd_new_group_free(struct ttd_new_group *ng, bool published)
{
	struct ttd_thread *th, *tmp;

	list_for_each_entry_safe(th, tmp, &ng->spare, node)
		kmem_cache_free(ttd_thread_cache, th);
	if (ng->tp)
		ttd_proc_free(ng->tp);
	if (!published && ng->g)
		kmem_cache_free(ttd_group_cache, ng->g);
}

int ttd_group_add_pid(pid_t vnr, u32 events, u32 flags, u32 *id)
{
	struct ttd_new_group ng = { .spare = LIST_HEAD_INIT(ng.spare) };
	int err;

	if (vnr <= 0)
		return -EINVAL;
	ng.task = ttd_get_task_vnr(vnr);
	if (!ng.task)
		return -ESRCH;
	err = -EINVAL;
	if (ng.task->flags & PF_KTHREAD)
		goto out;
	err = -ENOMEM;
	ng.g = ttd_group_new(events, flags);
	if (!ng.g)
		goto out;
	ng.g->pid = task_tgid_nr(ng.task);
	ng.tp = ttd_proc_new(ng.task, ng.g);
	if (!ng.tp)
		goto out;

	mutex_lock(&ttd_track_mutex);
	/* Hooks first: the process may fork as soon as it is in the table. */
	err = ttd_hooks_arm();
	/* Threads started since the count want another try. */
	while (!err) {
		err = ttd_spare_threads(&ng, get_nr_threads(ng.task) + 4);
		if (!err)
			err = stop_machine(ttd_publish_pid_stopped, &ng, NULL);
		if (err != -EAGAIN)
			break;
		err = 0;
	}
	if (!err)
		*id = ng.g->id;
	else
		ttd_track_idle();
	mutex_unlock(&ttd_track_mutex);
out:
	ttd_new_group_free(&ng, !err);
	put_task_struct(ng.task);
	return err;
}

static int ttd_publish_cgroup_stopped(void *arg)
{
	raw_spin_lock(&ttd_track_lock);
	ttd_group_publish(arg);
	raw_spin_unlock(&ttd_track_lock);
	return 0;
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
	/* Membership of a cgroup changes with no hook of ours running, so
	 * its tasks have no notifiers: the sched_switch tracepoint records
	 * switches while a cgroup group exists. */
	if (!err)
		err = ttd_hooks_arm();
	if (!err)
		err = ttd_hooks_switch_tp(true);
	if (!err)
		stop_machine(ttd_publish_cgroup_stopped, g, NULL);
	if (!err)
		*id = g->id;
	else
		ttd_track_idle();
	mutex_unlock(&ttd_track_mutex);
	if (err) {
		cgroup_put(cg);
		kmem_cache_free(ttd_group_cache, g);
	}
	return err;
}

/*
 * Under stop_machine(), like ttd_publish_pid_stopped().  @g's threads are
 * left on g->threads for the caller to free: with interrupts off, freeing
 * would take the slab allocator's sleeping locks on PREEMPT_RT.
 */
static int ttd_remove_stopped(void *arg)
{
	struct ttd_group *g = arg;
	struct ttd_thread *th;
	struct hlist_node *tmp;
	struct ttd_proc *tp;
	int bkt;

	raw_spin_lock(&ttd_track_lock);
	list_del_rcu(&g->node);
	if (g->nr_procs) {
		hash_for_each_safe(ttd_procs, bkt, tmp, tp, node) {
			if (tp->group == g)
				ttd_proc_unhash(tp);
		}
	}
	if (g->cgrp)
		WRITE_ONCE(ttd_nr_cgroup_groups, ttd_nr_cgroup_groups - 1);
	if (!ttd_nr_cgroup_groups)
		WRITE_ONCE(ttd_switch_by_tp, false);
	WRITE_ONCE(ttd_nr_groups, ttd_nr_groups - 1);
	raw_spin_unlock(&ttd_track_lock);
	/* No notifier is running, and none of these will run again. */
	raw_spin_lock(&ttd_thread_lock);
	list_for_each_entry(th, &g->threads, node)
		hlist_del(&th->pn.link);
	raw_spin_unlock(&ttd_thread_lock);
	return 0;
}

static void ttd_group_remove(struct ttd_group *g)
{
	struct ttd_thread *th, *tmp;

	lockdep_assert_held(&ttd_track_mutex);
	stop_machine(ttd_remove_stopped, g, NULL);
	/* Off every task's list, and the group is off ttd_groups: no
	 * notifier runs them and ttd_thread_dead() cannot reach them. */
	list_for_each_entry_safe(th, tmp, &g->threads, node) {
		list_del(&th->node);
		kmem_cache_free(ttd_thread_cache, th);
	}
	call_rcu(&g->rcu, ttd_group_free_rcu);
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
		raw_spin_lock(&ttd_track_lock);
		gi->nr_procs = best->nr_procs;
		raw_spin_unlock(&ttd_track_lock);
	}
	mutex_unlock(&ttd_track_mutex);
	return best != NULL;
}

void ttd_track_counts(u32 *groups, u32 *procs, u64 *untracked)
{
	raw_spin_lock(&ttd_track_lock);
	*groups = ttd_nr_groups;
	*procs = ttd_nr_procs;
	raw_spin_unlock(&ttd_track_lock);
	*untracked = atomic64_read(&ttd_untracked);
}

static void ttd_caches_destroy(void)
{
	ttd_reserve_drain(&ttd_proc_reserve);
	ttd_reserve_drain(&ttd_thread_reserve);
	/* They complain loudly if anything leaked. */
	kmem_cache_destroy(ttd_proc_cache);
	kmem_cache_destroy(ttd_group_cache);
	kmem_cache_destroy(ttd_thread_cache);
}

int ttd_track_init(void)
{
	ttd_proc_cache = KMEM_CACHE(ttd_proc, 0);
	ttd_group_cache = KMEM_CACHE(ttd_group, 0);
	ttd_thread_cache = KMEM_CACHE(ttd_thread, 0);
	if (!ttd_proc_cache || !ttd_group_cache || !ttd_thread_cache)
		goto err;
	ttd_proc_reserve.cache = ttd_proc_cache;
	ttd_thread_reserve.cache = ttd_thread_cache;
	if (ttd_reserve_fill(&ttd_proc_reserve) ||
	    ttd_reserve_fill(&ttd_thread_reserve))
		goto err;
	return 0;
err:
	ttd_caches_destroy();
	return -ENOMEM;
}

/* Called after the hooks are gone: no new entries can appear. */
void ttd_track_exit(void)
{
	struct ttd_group *g, *tmp;

	mutex_lock(&ttd_track_mutex);
	list_for_each_entry_safe(g, tmp, &ttd_groups, node)
		ttd_group_remove(g);
	mutex_unlock(&ttd_track_mutex);
	/* No notifier is left: every thread has been freed or queued. */
	ttd_reap_threads();
	/* Wait for the frees queued above and by the exit hook. */
	rcu_barrier();
	/* No hook is left to queue it again. */
	cancel_work_sync(&ttd_refill_work);
	ttd_caches_destroy();
}
