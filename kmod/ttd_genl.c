// SPDX-License-Identifier: GPL-2.0
/*
 * Generic netlink family "ttd".
 *
 * Every command checks CAP_SYS_ADMIN on both the socket and the caller
 * (netlink_capable()); joining the "notify" group needs it too.  Input is
 * validated strictly against ttd_policy before any handler runs.
 *
 * Notifications are raised by hooks that may hold a signal lock, so they
 * are only queued there (lock-free list) and sent from a work item.  The
 * hooks are tracepoint probes, run with preemption off, where PREEMPT_RT
 * allows no allocation at all (the slab allocator takes sleeping locks
 * there), so notes come from a fixed pool that the work item returns them
 * to.  Notes only wait for the next run of the work item; a full pool
 * counts as lost notifications.
 */
#include <linux/bitops.h>
#include <linux/capability.h>
#include <linux/llist.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <linux/workqueue.h>
#include <net/genetlink.h>
#include <net/netlink.h>

#include "uapi/linux/ttd.h"
#include "ttd_genl.h"
#include "ttd_ring.h"
#include "ttd_track.h"

static const struct nla_policy ttd_policy[TTD_ATTR_MAX + 1] = {
	[TTD_ATTR_GROUP_ID] = { .type = NLA_U32 },
	[TTD_ATTR_PID] = { .type = NLA_U32 },
	[TTD_ATTR_CGROUP_ID] = { .type = NLA_U64 },
	[TTD_ATTR_EVENTS] = NLA_POLICY_MASK(NLA_U32, TTD_CLASS_ALL),
	[TTD_ATTR_GROUP_FLAGS] = NLA_POLICY_MASK(NLA_U32, TTD_GROUP_ALL),
	[TTD_ATTR_RING_MODE] = NLA_POLICY_MAX(NLA_U32, TTD_RING_OVERWRITE),
};

static struct genl_family ttd_family;

static atomic64_t ttd_notify_lost = ATOMIC64_INIT(0);

static int ttd_perm(struct sk_buff *skb)
{
	return netlink_capable(skb, CAP_SYS_ADMIN) ? 0 : -EPERM;
}

static int ttd_reply_u32(struct genl_info *info, u8 cmd, int attr, u32 v)
{
	struct sk_buff *msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	void *hdr;

	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &ttd_family, 0, cmd);
	if (!hdr || nla_put_u32(msg, attr, v)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int ttd_cmd_add_group(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **a = info->attrs;
	u32 events = TTD_CLASS_ALL, flags = 0, id = 0;
	int err = ttd_perm(skb);

	if (err)
		return err;
	if (!a[TTD_ATTR_PID] == !a[TTD_ATTR_CGROUP_ID]) {
		NL_SET_ERR_MSG(info->extack,
			       "need exactly one of PID, CGROUP_ID");
		return -EINVAL;
	}
	if (a[TTD_ATTR_EVENTS])
		events = nla_get_u32(a[TTD_ATTR_EVENTS]);
	if (a[TTD_ATTR_GROUP_FLAGS])
		flags = nla_get_u32(a[TTD_ATTR_GROUP_FLAGS]);
	if (a[TTD_ATTR_PID])
		err = ttd_group_add_pid((s32)nla_get_u32(a[TTD_ATTR_PID]),
					events, flags, &id);
	else
		err = ttd_group_add_cgroup(nla_get_u64(a[TTD_ATTR_CGROUP_ID]),
					   events, flags, &id);
	if (err)
		return err;
	err = ttd_reply_u32(info, TTD_CMD_ADD_GROUP, TTD_ATTR_GROUP_ID, id);
	/* Without a reply the caller cannot know the id: undo. */
	if (err)
		ttd_group_del(id);
	return err;
}

static int ttd_cmd_del_group(struct sk_buff *skb, struct genl_info *info)
{
	int err = ttd_perm(skb);

	if (err)
		return err;
	if (!info->attrs[TTD_ATTR_GROUP_ID]) {
		NL_SET_ERR_MSG(info->extack, "GROUP_ID missing");
		return -EINVAL;
	}
	return ttd_group_del(nla_get_u32(info->attrs[TTD_ATTR_GROUP_ID]));
}

static int ttd_cmd_set_events(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **a = info->attrs;
	int err = ttd_perm(skb);

	if (err)
		return err;
	if (!a[TTD_ATTR_GROUP_ID] || !a[TTD_ATTR_EVENTS]) {
		NL_SET_ERR_MSG(info->extack, "GROUP_ID and EVENTS needed");
		return -EINVAL;
	}
	return ttd_group_set_events(nla_get_u32(a[TTD_ATTR_GROUP_ID]),
				    nla_get_u32(a[TTD_ATTR_EVENTS]));
}

static int ttd_cmd_set_ring_mode(struct sk_buff *skb, struct genl_info *info)
{
	int err = ttd_perm(skb);

	if (err)
		return err;
	if (!info->attrs[TTD_ATTR_RING_MODE]) {
		NL_SET_ERR_MSG(info->extack, "RING_MODE missing");
		return -EINVAL;
	}
	return ttd_rings_set_mode(nla_get_u32(info->attrs[TTD_ATTR_RING_MODE]));
}

static int ttd_put_cpu_stats(struct sk_buff *msg, unsigned int cpu,
			     const struct ttd_ring_stats *st)
{
	struct nlattr *nest = nla_nest_start(msg, TTD_ATTR_CPU_STATS);

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(msg, TTD_STAT_CPU, cpu) ||
	    nla_put_u64_64bit(msg, TTD_STAT_RECORDS, st->records,
			      TTD_STAT_PAD) ||
	    nla_put_u64_64bit(msg, TTD_STAT_LOST, st->lost, TTD_STAT_PAD) ||
	    nla_put_u64_64bit(msg, TTD_STAT_HEAD, st->head, TTD_STAT_PAD) ||
	    nla_put_u64_64bit(msg, TTD_STAT_TAIL, st->tail, TTD_STAT_PAD) ||
	    nla_put_u64_64bit(msg, TTD_STAT_CONSUMED, st->consumed,
			      TTD_STAT_PAD)) {
		nla_nest_cancel(msg, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	return 0;
}

static int ttd_fill_stats(struct sk_buff *msg)
{
	struct ttd_ring_stats st;
	u64 records = 0, lost = 0, untracked;
	u32 groups, procs;
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		if (!ttd_ring_stats(cpu, &st))
			continue;
		records += st.records;
		lost += st.lost;
		if (ttd_put_cpu_stats(msg, cpu, &st))
			return -EMSGSIZE;
	}
	ttd_track_counts(&groups, &procs, &untracked);
	if (nla_put_u32(msg, TTD_ATTR_ABI_VERSION, TTD_ABI_VERSION) ||
	    nla_put_u32(msg, TTD_ATTR_RING_MODE, ttd_rings_mode()) ||
	    nla_put_u32(msg, TTD_ATTR_STAT_GROUPS, groups) ||
	    nla_put_u32(msg, TTD_ATTR_STAT_PROCESSES, procs) ||
	    nla_put_u64_64bit(msg, TTD_ATTR_STAT_RECORDS, records,
			      TTD_ATTR_PAD) ||
	    nla_put_u64_64bit(msg, TTD_ATTR_STAT_LOST, lost, TTD_ATTR_PAD) ||
	    nla_put_u64_64bit(msg, TTD_ATTR_STAT_NOTIFY_LOST,
			      atomic64_read(&ttd_notify_lost), TTD_ATTR_PAD) ||
	    nla_put_u64_64bit(msg, TTD_ATTR_STAT_UNTRACKED, untracked,
			      TTD_ATTR_PAD))
		return -EMSGSIZE;
	return 0;
}

static int ttd_cmd_get_stats(struct sk_buff *skb, struct genl_info *info)
{
	size_t size = 512 + (size_t)num_possible_cpus() * 128;
	struct sk_buff *msg;
	void *hdr;
	int err = ttd_perm(skb);

	if (err)
		return err;
	msg = genlmsg_new(size, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &ttd_family, 0, TTD_CMD_GET_STATS);
	if (!hdr || ttd_fill_stats(msg)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int ttd_put_group(struct sk_buff *msg, const struct ttd_group_info *gi)
{
	if (nla_put_u32(msg, TTD_ATTR_GROUP_ID, gi->id) ||
	    nla_put_u32(msg, TTD_ATTR_EVENTS, gi->events) ||
	    nla_put_u32(msg, TTD_ATTR_GROUP_FLAGS, gi->flags) ||
	    nla_put_u32(msg, TTD_ATTR_STAT_PROCESSES, gi->nr_procs))
		return -EMSGSIZE;
	if (gi->pid)
		return nla_put_u32(msg, TTD_ATTR_PID, gi->pid);
	return nla_put_u64_64bit(msg, TTD_ATTR_CGROUP_ID, gi->cgroup_id,
				 TTD_ATTR_PAD);
}

static int ttd_cmd_get_groups(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct ttd_group_info gi;
	void *hdr;
	int err = ttd_perm(cb->skb);

	if (err)
		return err;
	while (ttd_group_next(cb->args[0], &gi)) {
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &ttd_family, NLM_F_MULTI,
				  TTD_CMD_GET_GROUPS);
		if (!hdr)
			break;
		if (ttd_put_group(skb, &gi)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		cb->args[0] = gi.id;
	}
	return skb->len;
}

static const struct genl_small_ops ttd_ops[] = {
	{ .cmd = TTD_CMD_ADD_GROUP, .doit = ttd_cmd_add_group },
	{ .cmd = TTD_CMD_DEL_GROUP, .doit = ttd_cmd_del_group },
	{ .cmd = TTD_CMD_SET_EVENTS, .doit = ttd_cmd_set_events },
	{ .cmd = TTD_CMD_SET_RING_MODE, .doit = ttd_cmd_set_ring_mode },
	{ .cmd = TTD_CMD_GET_STATS, .doit = ttd_cmd_get_stats },
	{ .cmd = TTD_CMD_GET_GROUPS, .dumpit = ttd_cmd_get_groups },
};

static const struct genl_multicast_group ttd_mcgrps[] = {
	{
		.name = TTD_GENL_MCGRP_NOTIFY,
#ifdef GENL_MCAST_CAP_SYS_ADMIN
		.flags = GENL_MCAST_CAP_SYS_ADMIN,
#endif
	},
};

static struct genl_family ttd_family __ro_after_init = {
	.name = TTD_GENL_NAME,
	.version = TTD_GENL_VERSION,
	.maxattr = TTD_ATTR_MAX,
	.policy = ttd_policy,
	.module = THIS_MODULE,
	.small_ops = ttd_ops,
	.n_small_ops = ARRAY_SIZE(ttd_ops),
	/* Strict validation for every command. */
	.resv_start_op = TTD_CMD_ADD_GROUP,
	.mcgrps = ttd_mcgrps,
	.n_mcgrps = ARRAY_SIZE(ttd_mcgrps),
};

struct ttd_note {
	struct llist_node node;
	u32 type;
	u32 group_id;
	s32 pid;
	s32 tid;
	s32 value;
	u64 time_ns;
};

#define TTD_NOTES 256

static struct ttd_note ttd_note_pool[TTD_NOTES];
static DECLARE_BITMAP(ttd_note_busy, TTD_NOTES);
static LLIST_HEAD(ttd_notes);
static void ttd_notify_workfn(struct work_struct *work);
static DECLARE_WORK(ttd_notify_work, ttd_notify_workfn);
static bool ttd_notify_stopped;

static struct ttd_note *ttd_note_get(void)
{
	unsigned int i;

	for (;;) {
		i = find_first_zero_bit(ttd_note_busy, TTD_NOTES);
		if (i >= TTD_NOTES)
			return NULL;
		if (!test_and_set_bit_lock(i, ttd_note_busy))
			return &ttd_note_pool[i];
	}
}

static void ttd_note_put(struct ttd_note *n)
{
	clear_bit_unlock(n - ttd_note_pool, ttd_note_busy);
}

void ttd_notify(u32 type, u32 group_id, struct task_struct *p, int value)
{
	struct ttd_note *n;

	if (READ_ONCE(ttd_notify_stopped))
		return;
	n = ttd_note_get();
	if (!n) {
		atomic64_inc(&ttd_notify_lost);
		return;
	}
	n->type = type;
	n->group_id = group_id;
	n->pid = task_tgid_nr(p);
	n->tid = task_pid_nr(p);
	n->value = value;
	n->time_ns = ktime_get_mono_fast_ns();
	llist_add(&n->node, &ttd_notes);
	schedule_work(&ttd_notify_work);
}

static int ttd_notify_fill(struct sk_buff *msg, const struct ttd_note *n)
{
	int attr = n->type == TTD_NOTIFY_EXIT ? TTD_ATTR_EXIT_CODE
					      : TTD_ATTR_SIGNAL;

	if (nla_put_u32(msg, TTD_ATTR_NOTIFY_TYPE, n->type) ||
	    nla_put_u32(msg, TTD_ATTR_GROUP_ID, n->group_id) ||
	    nla_put_u32(msg, TTD_ATTR_PID, n->pid) ||
	    nla_put_u32(msg, TTD_ATTR_TID, n->tid) ||
	    nla_put_u32(msg, attr, n->value) ||
	    nla_put_u64_64bit(msg, TTD_ATTR_TIME_NS, n->time_ns, TTD_ATTR_PAD))
		return -EMSGSIZE;
	return 0;
}

static void ttd_notify_send(const struct ttd_note *n)
{
	struct sk_buff *msg;
	void *hdr;

	if (!genl_has_listeners(&ttd_family, &init_net, 0))
		return;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg) {
		atomic64_inc(&ttd_notify_lost);
		return;
	}
	hdr = genlmsg_put(msg, 0, 0, &ttd_family, 0, TTD_CMD_NOTIFY);
	if (!hdr || ttd_notify_fill(msg, n)) {
		nlmsg_free(msg);
		atomic64_inc(&ttd_notify_lost);
		return;
	}
	genlmsg_end(msg, hdr);
	/* -ESRCH only means nobody listens any more. */
	genlmsg_multicast(&ttd_family, msg, 0, 0, GFP_KERNEL);
}

static void ttd_notify_workfn(struct work_struct *work)
{
	struct llist_node *list =
		llist_reverse_order(llist_del_all(&ttd_notes));
	struct ttd_note *n, *tmp;

	llist_for_each_entry_safe(n, tmp, list, node) {
		ttd_notify_send(n);
		ttd_note_put(n);
	}
}

void ttd_notify_flush(void)
{
	WRITE_ONCE(ttd_notify_stopped, true);
	flush_work(&ttd_notify_work);
	ttd_notify_workfn(NULL);
}

int ttd_genl_init(void)
{
	return genl_register_family(&ttd_family);
}

void ttd_genl_exit(void)
{
	genl_unregister_family(&ttd_family);
}
