// SPDX-License-Identifier: GPL-2.0
/*
 * The ttd.ko backend: drains the module's per-CPU rings, mapped read-only
 * from /dev/ttd, and drives the module over its generic netlink family
 * "ttd" (libnl-genl-3).
 *
 * A session slot owns one ttd.ko task group per traced process (or one
 * for its cgroup).  Records carry the group they were made for (and a
 * switch the group of the task switched in), which a table of group ids
 * turns into session slots.  ttdd drains the rings when /dev/ttd polls
 * readable (a ring holds a quarter ring of unread records, or lost some),
 * at once when a "notify" multicast message (a fatal signal or a process
 * exit) arrives, since that is when the last records of a process matter
 * most, and otherwise once a second.
 */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include "backend.h"
#include "log.h"

#define TTD_DEVICE "/dev/ttd"
#define GID_TABLE 8192 /* power of two, > 2 * the groups we make */
#define GID_EMPTY 0
#define GID_GONE UINT32_MAX
#define SLOT_MAX_GROUPS 64 /* a session traces at most 64 pids */
/* With poll(), records below the watermark wait at most this long. */
#define POLL_DRAIN_NS (1000 * 1000000ULL)
/* Without it (an older ttd.ko), the rings are drained on this period. */
#define TICK_DRAIN_NS (50 * 1000000ULL)

extern char **environ;

struct gid_ent {
	uint32_t gid;
	uint32_t slot;
};

struct slot_groups {
	uint32_t gid[SLOT_MAX_GROUPS];
	unsigned int n;
	uint32_t flags; /* TTD_GROUP_* for its pid groups */
	/* Group ids of this slot's previous session, routed until reuse. */
	uint32_t old[SLOT_MAX_GROUPS];
	unsigned int nold;
};

struct kmod_ring {
	const struct ttd_ring_header *hdr;
	const unsigned char *data;
	uint64_t pos; /* consumer position */
	uint64_t gen;
};

struct kmod_backend {
	struct backend b;
	int fd;
	bool dev_poll; /* the module wakes poll() on /dev/ttd */
	struct ttd_ring_info info;
	struct kmod_ring *rings;
	unsigned char *bounce; /* overwrite mode: a copy of the unread bytes */
	struct nl_sock *ctl;
	struct nl_sock *notify;
	int family;
	uint64_t active;
	struct slot_groups slots[BACKEND_MAX_SLOTS];
	struct gid_ent gids[GID_TABLE];
	unsigned int gone; /* tombstones in gids */
	uint64_t fatal; /* fatal signal notifications seen */
};

#define to_kmod(b) ((struct kmod_backend *)(b))

/* ---- group id -> slot ---- */

static uint32_t gid_hash(uint32_t gid)
{
	return (gid * 2654435761u) & (GID_TABLE - 1);
}

/* Tombstones make misses slower: rebuild once they are many. */
static void gid_rehash(struct kmod_backend *kb)
{
	static struct gid_ent old[GID_TABLE];
	uint32_t i, j;

	memcpy(old, kb->gids, sizeof(old));
	memset(kb->gids, 0, sizeof(kb->gids));
	kb->gone = 0;
	for (i = 0; i < GID_TABLE; i++) {
		if (old[i].gid == GID_EMPTY || old[i].gid == GID_GONE)
			continue;
		j = gid_hash(old[i].gid);
		while (kb->gids[j].gid != GID_EMPTY)
			j = (j + 1) & (GID_TABLE - 1);
		kb->gids[j] = old[i];
	}
}

static int gid_insert(struct kmod_backend *kb, uint32_t gid, unsigned int slot)
{
	uint32_t i, n;

	if (kb->gone > GID_TABLE / 4)
		gid_rehash(kb);
	i = gid_hash(gid);

	for (n = 0; n < GID_TABLE; n++, i = (i + 1) & (GID_TABLE - 1)) {
		struct gid_ent *e = &kb->gids[i];

		if (e->gid == GID_EMPTY || e->gid == GID_GONE) {
			if (e->gid == GID_GONE)
				kb->gone--;
			e->gid = gid;
			e->slot = slot;
			return 0;
		}
	}
	return -ENOSPC;
}

static struct gid_ent *gid_find(struct kmod_backend *kb, uint32_t gid)
{
	uint32_t i = gid_hash(gid), n;

	for (n = 0; n < GID_TABLE; n++, i = (i + 1) & (GID_TABLE - 1)) {
		struct gid_ent *e = &kb->gids[i];

		if (e->gid == gid)
			return e;
		if (e->gid == GID_EMPTY)
			return NULL;
	}
	return NULL;
}

static void gid_remove(struct kmod_backend *kb, uint32_t gid)
{
	struct gid_ent *e = gid_find(kb, gid);

	if (e) {
		e->gid = GID_GONE;
		kb->gone++;
	}
}

static uint64_t gid_slots(struct kmod_backend *kb, uint32_t gid)
{
	struct gid_ent *e;

	if (!gid)
		return 0;
	e = gid_find(kb, gid);
	return e ? 1ULL << e->slot : 0;
}

/* ---- generic netlink ---- */

struct nl_req {
	int err;
	bool done;
	int (*fn)(struct nl_msg *m, void *arg);
	void *arg;
};

static int req_err(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct nl_req *r = arg;

	(void)nla;
	r->err = e->error;
	r->done = true;
	return NL_STOP;
}

static int req_stop(struct nl_msg *m, void *arg)
{
	struct nl_req *r = arg;

	(void)m;
	r->done = true;
	return NL_STOP;
}

static int req_valid(struct nl_msg *m, void *arg)
{
	struct nl_req *r = arg;

	return r->fn ? r->fn(m, r->arg) : NL_OK;
}

static struct nl_msg *req_new(struct kmod_backend *kb, uint8_t cmd, int flags)
{
	struct nl_msg *m = nlmsg_alloc();

	if (m && !genlmsg_put(m, NL_AUTO_PORT, NL_AUTO_SEQ, kb->family, 0,
			      flags, cmd, TTD_GENL_VERSION)) {
		nlmsg_free(m);
		m = NULL;
	}
	return m;
}

/*
 * Send m (consumed) and read the answer: replies go to fn, the kernel's
 * error code is returned as -errno as it is, not through libnl's coarser
 * NLE_* codes.
 */
static int req_run(struct kmod_backend *kb, struct nl_msg *m,
		   int (*fn)(struct nl_msg *, void *), void *arg)
{
	struct nl_req r = { .fn = fn, .arg = arg };
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);
	int e;

	if (!cb) {
		nlmsg_free(m);
		return -ENOMEM;
	}
	nl_cb_err(cb, NL_CB_CUSTOM, req_err, &r);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, req_stop, &r);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, req_stop, &r);
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, req_valid, &r);
	e = nl_send_auto(kb->ctl, m);
	nlmsg_free(m);
	while (e >= 0 && !r.done)
		e = nl_recvmsgs(kb->ctl, cb);
	nl_cb_put(cb);
	if (e < 0) {
		log_err("kmod: netlink: %s", nl_geterror(e));
		return -EIO;
	}
	return r.err;
}

static int parse_u32(struct nl_msg *m, int attr, uint32_t *v)
{
	struct nlattr *tb[TTD_ATTR_MAX + 1];

	if (genlmsg_parse(nlmsg_hdr(m), 0, tb, TTD_ATTR_MAX, NULL) || !tb[attr])
		return -EINVAL;
	*v = nla_get_u32(tb[attr]);
	return 0;
}

static int on_group_id(struct nl_msg *m, void *arg)
{
	parse_u32(m, TTD_ATTR_GROUP_ID, arg);
	return NL_OK;
}

static int add_group(struct kmod_backend *kb, int attr, uint64_t v,
		     uint32_t flags, uint32_t *gid)
{
	struct nl_msg *m = req_new(kb, TTD_CMD_ADD_GROUP, NLM_F_ACK);

	if (!m)
		return -ENOMEM;
	if ((attr == TTD_ATTR_PID ? nla_put_u32(m, attr, v)
				  : nla_put_u64(m, attr, v)) ||
	    nla_put_u32(m, TTD_ATTR_EVENTS, TTD_CLASS_ALL) ||
	    nla_put_u32(m, TTD_ATTR_GROUP_FLAGS, flags)) {
		nlmsg_free(m);
		return -EMSGSIZE;
	}
	*gid = 0;
	return req_run(kb, m, on_group_id, gid) ?: (*gid ? 0 : -EPROTO);
}

static int del_group(struct kmod_backend *kb, uint32_t gid)
{
	struct nl_msg *m = req_new(kb, TTD_CMD_DEL_GROUP, NLM_F_ACK);

	if (!m)
		return -ENOMEM;
	if (nla_put_u32(m, TTD_ATTR_GROUP_ID, gid)) {
		nlmsg_free(m);
		return -EMSGSIZE;
	}
	return req_run(kb, m, NULL, NULL);
}

struct groups_walk {
	struct kmod_backend *kb;
	int slot; /* count processes of this slot; -1: delete all */
	int procs;
	uint32_t stale[256];
	unsigned int nstale;
};

static int on_group(struct nl_msg *m, void *arg)
{
	struct groups_walk *w = arg;
	struct nlattr *tb[TTD_ATTR_MAX + 1];
	struct gid_ent *e;
	uint32_t gid;

	if (genlmsg_parse(nlmsg_hdr(m), 0, tb, TTD_ATTR_MAX, NULL) ||
	    !tb[TTD_ATTR_GROUP_ID])
		return NL_OK;
	gid = nla_get_u32(tb[TTD_ATTR_GROUP_ID]);
	if (w->slot < 0) {
		if (w->nstale < sizeof(w->stale) / sizeof(w->stale[0]))
			w->stale[w->nstale++] = gid;
		return NL_OK;
	}
	e = gid_find(w->kb, gid);
	if (e && (int)e->slot == w->slot && tb[TTD_ATTR_PID] &&
	    tb[TTD_ATTR_STAT_PROCESSES])
		w->procs += nla_get_u32(tb[TTD_ATTR_STAT_PROCESSES]);
	return NL_OK;
}

static int walk_groups(struct kmod_backend *kb, struct groups_walk *w)
{
	struct nl_msg *m = req_new(kb, TTD_CMD_GET_GROUPS, NLM_F_DUMP);

	if (!m)
		return -ENOMEM;
	return req_run(kb, m, on_group, w);
}

/*
 * Groups left by a ttdd that was killed keep filling the rings with
 * records nobody will read: one daemon per host owns the module.
 */
static void drop_stale_groups(struct kmod_backend *kb)
{
	struct groups_walk w = { .kb = kb, .slot = -1 };
	unsigned int i;

	if (walk_groups(kb, &w) || !w.nstale)
		return;
	log_warn("kmod: removing %u task groups left by a previous ttdd",
		 w.nstale);
	for (i = 0; i < w.nstale; i++)
		del_group(kb, w.stale[i]);
}

struct stats {
	uint64_t lost;
	uint32_t mode;
};

static int on_stats(struct nl_msg *m, void *arg)
{
	struct nlattr *tb[TTD_ATTR_MAX + 1];
	struct stats *st = arg;

	if (genlmsg_parse(nlmsg_hdr(m), 0, tb, TTD_ATTR_MAX, NULL))
		return NL_OK;
	if (tb[TTD_ATTR_STAT_LOST])
		st->lost = nla_get_u64(tb[TTD_ATTR_STAT_LOST]);
	if (tb[TTD_ATTR_RING_MODE])
		st->mode = nla_get_u32(tb[TTD_ATTR_RING_MODE]);
	return NL_OK;
}

static int get_stats(struct kmod_backend *kb, struct stats *st)
{
	struct nl_msg *m = req_new(kb, TTD_CMD_GET_STATS, NLM_F_ACK);

	if (!m)
		return -ENOMEM;
	return req_run(kb, m, on_stats, st);
}

static int set_ring_mode(struct kmod_backend *kb, uint32_t mode)
{
	struct nl_msg *m = req_new(kb, TTD_CMD_SET_RING_MODE, NLM_F_ACK);

	if (!m)
		return -ENOMEM;
	if (nla_put_u32(m, TTD_ATTR_RING_MODE, mode)) {
		nlmsg_free(m);
		return -EMSGSIZE;
	}
	return req_run(kb, m, NULL, NULL);
}

static int on_notify(struct nl_msg *m, void *arg)
{
	struct kmod_backend *kb = arg;
	struct nlattr *tb[TTD_ATTR_MAX + 1];
	uint32_t type, gid, pid, sig;
	struct gid_ent *e;

	if (genlmsg_parse(nlmsg_hdr(m), 0, tb, TTD_ATTR_MAX, NULL) ||
	    !tb[TTD_ATTR_NOTIFY_TYPE] || !tb[TTD_ATTR_GROUP_ID] ||
	    !tb[TTD_ATTR_PID])
		return NL_OK;
	type = nla_get_u32(tb[TTD_ATTR_NOTIFY_TYPE]);
	gid = nla_get_u32(tb[TTD_ATTR_GROUP_ID]);
	pid = nla_get_u32(tb[TTD_ATTR_PID]);
	e = gid_find(kb, gid);
	if (!e)
		return NL_OK;
	if (type == TTD_NOTIFY_EXIT) {
		kb->b.exit_slots |= 1ULL << e->slot;
		return NL_OK;
	}
	if (type != TTD_NOTIFY_FATAL_SIGNAL || !tb[TTD_ATTR_SIGNAL])
		return NL_OK;
	sig = nla_get_u32(tb[TTD_ATTR_SIGNAL]);
	kb->fatal++;
	/* The session's recording is flushed after this drain. */
	kb->b.flush_slots |= 1ULL << e->slot;
	log_info("kmod: traced pid %u got fatal signal %u (slot %u)", pid, sig,
		 e->slot);
	return NL_OK;
}

/* Read every waiting notification; the socket is non-blocking. */
static void read_notifications(struct kmod_backend *kb)
{
	int i, n;

	for (i = 0; i < 256; i++) {
		n = nl_recvmsgs_default(kb->notify);
		if (n < 0) {
			if (n != -NLE_AGAIN)
				log_warn("kmod: notifications: %s",
					 nl_geterror(n));
			return;
		}
	}
}

static int open_netlink(struct kmod_backend *kb)
{
	int grp, e;

	kb->ctl = nl_socket_alloc();
	kb->notify = nl_socket_alloc();
	if (!kb->ctl || !kb->notify)
		return -ENOMEM;
	nl_socket_disable_auto_ack(kb->ctl);
	if (genl_connect(kb->ctl) || genl_connect(kb->notify))
		return -ECONNREFUSED;
	kb->family = genl_ctrl_resolve(kb->ctl, TTD_GENL_NAME);
	if (kb->family < 0)
		return -ENOENT;
	grp = genl_ctrl_resolve_grp(kb->ctl, TTD_GENL_NAME,
				    TTD_GENL_MCGRP_NOTIFY);
	if (grp < 0)
		return -ENOENT;
	nl_socket_disable_seq_check(kb->notify);
	nl_socket_modify_cb(kb->notify, NL_CB_VALID, NL_CB_CUSTOM, on_notify,
			    kb);
	e = nl_socket_add_membership(kb->notify, grp);
	if (!e)
		e = nl_socket_set_nonblocking(kb->notify);
	return e ? -EPERM : 0;
}

/* ---- rings ---- */

static int map_rings(struct kmod_backend *kb)
{
	const struct ttd_ring_info *in = &kb->info;
	unsigned int cpu;
	void *p;

	kb->rings = calloc(in->nr_cpu_ids, sizeof(*kb->rings));
	kb->bounce = malloc(in->data_size);
	if (!kb->rings || !kb->bounce)
		return -ENOMEM;
	for (cpu = 0; cpu < in->nr_cpu_ids; cpu++) {
		struct kmod_ring *r = &kb->rings[cpu];

		p = mmap(NULL, in->map_size, PROT_READ, MAP_SHARED, kb->fd,
			 (off_t)cpu * in->map_size);
		if (p == MAP_FAILED) {
			if (errno == ENXIO)
				continue; /* impossible CPU */
			return -errno;
		}
		r->hdr = p;
		r->data = (const unsigned char *)p + r->hdr->data_offset;
		if (r->hdr->magic != TTD_RING_MAGIC ||
		    r->hdr->data_size != in->data_size)
			return -EPROTO;
		/* What an earlier consumer left is not ours. */
		r->gen = __atomic_load_n(&r->hdr->generation, __ATOMIC_ACQUIRE);
		r->pos = __atomic_load_n(&r->hdr->head, __ATOMIC_ACQUIRE);
		ioctl(kb->fd, TTD_IOC_CONSUME,
		      &(struct ttd_consume){ .cpu = cpu, .position = r->pos });
	}
	return 0;
}

/* The sessions a record concerns. */
static uint64_t rec_slots(struct kmod_backend *kb,
			  const struct ttd_rec_header *h)
{
	uint64_t s = gid_slots(kb, h->group);

	if (h->type == TTD_REC_SWITCH &&
	    h->size >= sizeof(struct ttd_rec_switch))
		s |= gid_slots(kb,
			       ((const struct ttd_rec_switch *)h)->next_group);
	/* A gap concerns everyone reading this CPU. */
	if (h->type == TTD_REC_LOST)
		s = kb->active;
	return s;
}

struct drain_ctx {
	backend_record_fn fn;
	void *ctx;
	long n;
	bool stop;
};

/*
 * Hand the records in buf (ring positions [from, to), buf[0] at base) to
 * the sessions; returns the position reached.  A record that is not
 * 8-aligned, smaller than 8 bytes or longer than what is left means the
 * bytes were being overwritten: stop there.
 */
static uint64_t deliver(struct kmod_backend *kb, struct drain_ctx *dc,
			const unsigned char *data, uint64_t mask, uint64_t from,
			uint64_t to)
{
	uint64_t pos = from, slots;

	while (pos < to && !dc->stop) {
		const struct ttd_rec_header *h =
			(const void *)(data + (pos & mask));
		/* Records never straddle the end of the ring's data area. */
		uint64_t room =
			mask == UINT64_MAX ? to - pos : mask + 1 - (pos & mask);

		if (h->size < 8 || h->size % TTD_REC_ALIGN || h->size > room ||
		    h->size > to - pos)
			break;
		if (h->type != TTD_REC_PAD && h->size >= sizeof(*h)) {
			slots = rec_slots(kb, h);
			if (slots) {
				dc->n++;
				if (dc->fn(dc->ctx, slots, h))
					dc->stop = true;
			}
		}
		pos += h->size;
	}
	return pos;
}

/* Overwrite mode: copy first, then keep what tail says was not reused. */
static uint64_t drain_overwrite(struct kmod_backend *kb, struct kmod_ring *r,
				struct drain_ctx *dc, uint64_t pos,
				uint64_t head)
{
	uint64_t size = kb->info.data_size, mask = size - 1, tail, p;
	uint64_t len = head - pos, off = pos & mask, first;

	first = len < size - off ? len : size - off;
	memcpy(kb->bounce, r->data + off, first);
	memcpy(kb->bounce + first, r->data, len - first);
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	tail = __atomic_load_n(&r->hdr->tail, __ATOMIC_ACQUIRE);
	if (tail >= head)
		return head;
	p = tail > pos ? tail : pos;
	/*
	 * The bounce buffer is the ring unrolled from pos: a record never
	 * straddles the ring's end, and it does not straddle it here.
	 */
	return p +
	       deliver(kb, dc, kb->bounce + (p - pos), UINT64_MAX, 0, head - p);
}

static long drain_ring(struct kmod_backend *kb, unsigned int cpu,
		       struct drain_ctx *dc)
{
	struct kmod_ring *r = &kb->rings[cpu];
	uint64_t gen, head, tail, pos, end;
	struct ttd_consume c = { .cpu = cpu };

	if (!r->hdr)
		return 0;
	gen = __atomic_load_n(&r->hdr->generation, __ATOMIC_ACQUIRE);
	if (gen != r->gen) { /* the rings were reset */
		r->gen = gen;
		r->pos = 0;
	}
	head = __atomic_load_n(&r->hdr->head, __ATOMIC_ACQUIRE);
	tail = __atomic_load_n(&r->hdr->tail, __ATOMIC_ACQUIRE);
	pos = r->pos > tail ? r->pos : tail;
	if (pos >= head)
		return 0;
	if (r->hdr->mode == TTD_RING_OVERWRITE)
		end = drain_overwrite(kb, r, dc, pos, head);
	else
		end = deliver(kb, dc, r->data, kb->info.data_size - 1, pos,
			      head);
	if (end == pos)
		return 0;
	c.position = end;
	if (ioctl(kb->fd, TTD_IOC_CONSUME, &c))
		return -errno;
	r->pos = end;
	return 0;
}

/* ---- backend operations ---- */

static int kmod_slot_start(struct backend *b, unsigned int slot, uint32_t flags)
{
	struct kmod_backend *kb = to_kmod(b);
	struct slot_groups *sg = &kb->slots[slot];
	unsigned int i;

	for (i = 0; i < sg->nold; i++)
		gid_remove(kb, sg->old[i]);
	memset(sg, 0, sizeof(*sg));
	sg->flags = flags & TTD_GROUP_NO_CHILDREN;
	kb->active |= 1ULL << slot;
	return 0;
}

static int slot_add(struct kmod_backend *kb, unsigned int slot, int attr,
		    uint64_t v, uint32_t flags)
{
	struct slot_groups *sg = &kb->slots[slot];
	uint32_t gid;
	int e;

	if (sg->n == SLOT_MAX_GROUPS)
		return -E2BIG;
	e = add_group(kb, attr, v, flags, &gid);
	if (e == -EEXIST)
		log_info("kmod: %s %llu is already traced by another session",
			 attr == TTD_ATTR_PID ? "pid" : "cgroup",
			 (unsigned long long)v);
	if (e)
		return e;
	e = gid_insert(kb, gid, slot);
	if (e) {
		del_group(kb, gid);
		return e;
	}
	sg->gid[sg->n++] = gid;
	return 0;
}

static int kmod_slot_add_pid(struct backend *b, unsigned int slot, pid_t tgid)
{
	struct kmod_backend *kb = to_kmod(b);

	if (tgid <= 0)
		return -EINVAL;
	return slot_add(kb, slot, TTD_ATTR_PID, tgid, kb->slots[slot].flags);
}

static int kmod_slot_add_cgroup(struct backend *b, unsigned int slot,
				uint64_t cgid)
{
	return slot_add(to_kmod(b), slot, TTD_ATTR_CGROUP_ID, cgid, 0);
}

static int kmod_slot_nr_pids(struct backend *b, unsigned int slot)
{
	struct kmod_backend *kb = to_kmod(b);
	struct groups_walk w = { .kb = kb, .slot = slot };
	int e = walk_groups(kb, &w);

	/* On failure claim one: ending a session early loses records. */
	return e ? 1 : w.procs;
}

static void kmod_slot_stop(struct backend *b, unsigned int slot)
{
	struct kmod_backend *kb = to_kmod(b);
	struct slot_groups *sg = &kb->slots[slot];
	unsigned int i;
	int e;

	for (i = 0; i < sg->n; i++) {
		e = del_group(kb, sg->gid[i]);
		if (e && e != -ENOENT)
			log_warn("kmod: removing group %u: %s", sg->gid[i],
				 strerror(-e));
	}
	/* Records already in the rings still reach the session. */
	memcpy(sg->old, sg->gid, sg->n * sizeof(sg->gid[0]));
	sg->nold = sg->n;
	sg->n = 0;
	kb->active &= ~(1ULL << slot);
}

static int kmod_poll_fds(struct backend *b, int *fds)
{
	struct kmod_backend *kb = to_kmod(b);
	int n = 0;

	fds[n++] = nl_socket_get_fd(kb->notify);
	if (kb->dev_poll)
		fds[n++] = kb->fd;
	return n;
}

static long kmod_drain(struct backend *b, backend_record_fn fn, void *ctx)
{
	struct kmod_backend *kb = to_kmod(b);
	struct drain_ctx dc = { .fn = fn, .ctx = ctx };
	unsigned int cpu;
	long e;

	read_notifications(kb);
	for (cpu = 0; cpu < kb->info.nr_cpu_ids && !dc.stop; cpu++) {
		e = drain_ring(kb, cpu, &dc);
		if (e < 0)
			return e;
	}
	return dc.n;
}

static uint64_t kmod_lost(struct backend *b)
{
	struct stats st = { 0 };

	get_stats(to_kmod(b), &st);
	return st.lost;
}

static void kmod_close(struct backend *b)
{
	struct kmod_backend *kb = to_kmod(b);
	unsigned int i;

	for (i = 0; i < BACKEND_MAX_SLOTS && kb->ctl && kb->family > 0; i++)
		if (kb->slots[i].n)
			kmod_slot_stop(b, i);
	if (kb->rings)
		for (i = 0; i < kb->info.nr_cpu_ids; i++)
			if (kb->rings[i].hdr)
				munmap((void *)kb->rings[i].hdr,
				       kb->info.map_size);
	free(kb->rings);
	free(kb->bounce);
	nl_socket_free(kb->ctl);
	nl_socket_free(kb->notify);
	if (kb->fd >= 0)
		close(kb->fd);
	free(kb);
}

static const struct backend_ops kmod_ops = {
	.name = "kmod",
	.slot_start = kmod_slot_start,
	.slot_add_pid = kmod_slot_add_pid,
	.slot_add_cgroup = kmod_slot_add_cgroup,
	.slot_nr_pids = kmod_slot_nr_pids,
	.slot_stop = kmod_slot_stop,
	.poll_fds = kmod_poll_fds,
	.drain = kmod_drain,
	.lost = kmod_lost,
	.close = kmod_close,
};

/*
 * Try "modprobe ttd ring_kb=N" unless the kernel cannot load modules at
 * all (no /proc/modules), which is common on hardened and container hosts.
 */
static int load_module(size_t ring_bytes)
{
	char param[32];
	char *argv[] = { "modprobe", "-q", "ttd", param, NULL };
	int status;
	pid_t pid;

	if (access("/proc/modules", F_OK))
		return -ENOSYS;
	snprintf(param, sizeof(param), "ring_kb=%zu", ring_bytes >> 10);
	if (posix_spawnp(&pid, "modprobe", NULL, NULL, argv, environ))
		return -ENOENT;
	if (waitpid(pid, &status, 0) < 0)
		return -errno;
	return WIFEXITED(status) && !WEXITSTATUS(status) ? 0 : -ENODEV;
}

static int find_device(const struct backend_opts *o)
{
	int err;

	if (!access(TTD_DEVICE, F_OK))
		return 0;
	err = load_module(o->ring_bytes);
	if (err == -ENOSYS)
		log_info("kmod: %s absent and this kernel cannot load "
			 "modules",
			 TTD_DEVICE);
	else if (err)
		log_info("kmod: %s absent and 'modprobe ttd' failed",
			 TTD_DEVICE);
	if (err || access(TTD_DEVICE, F_OK))
		return -ENODEV;
	return 0;
}

/*
 * Be woken at a quarter ring, as the BPF backend is: three quarters are
 * left for a burst while ttdd gets to run.  Set every time, since the
 * module keeps what an earlier consumer chose.  A module without poll()
 * (ENOTTY) would always poll readable: drain it on a short period.
 */
static void set_watermark(struct kmod_backend *kb)
{
	struct ttd_watermark wm = { .bytes = kb->info.data_size / 4 };

	kb->dev_poll = !ioctl(kb->fd, TTD_IOC_SET_WATERMARK, &wm);
	kb->b.drain_ns = kb->dev_poll ? POLL_DRAIN_NS : TICK_DRAIN_NS;
	if (!kb->dev_poll)
		log_info("kmod: no poll() on %s (%s): draining every %llu ms",
			 TTD_DEVICE, strerror(errno),
			 (unsigned long long)TICK_DRAIN_NS / 1000000);
}

static int setup(struct kmod_backend *kb, const struct backend_opts *o)
{
	struct stats st = { 0 };
	int e;

	if (ioctl(kb->fd, TTD_IOC_GET_INFO, &kb->info))
		return -errno;
	if (kb->info.abi_version != TTD_ABI_VERSION) {
		log_err("kmod: ttd.ko speaks ABI %u, this ttdd %u",
			kb->info.abi_version, TTD_ABI_VERSION);
		return -EPROTO;
	}
	e = open_netlink(kb);
	if (e) {
		log_err("kmod: generic netlink family '%s': %s", TTD_GENL_NAME,
			strerror(-e));
		return e;
	}
	drop_stale_groups(kb);
	e = get_stats(kb, &st);
	if (!e && st.mode != o->ring_mode) {
		/* Resets every ring: only when the module's differs. */
		e = set_ring_mode(kb, o->ring_mode);
		if (!e && ioctl(kb->fd, TTD_IOC_GET_INFO, &kb->info))
			e = -errno;
	}
	if (e) {
		log_err("kmod: ring mode: %s", strerror(-e));
		return e;
	}
	kb->b.ncpus = kb->info.nr_cpu_ids;
	set_watermark(kb);
	return map_rings(kb);
}

int backend_kmod_open(struct backend **bp, const struct backend_opts *o)
{
	struct kmod_backend *kb;
	int e;

	e = find_device(o);
	if (e)
		return e;
	kb = calloc(1, sizeof(*kb));
	if (!kb)
		return -ENOMEM;
	kb->b.ops = &kmod_ops;
	kb->fd = open(TTD_DEVICE, O_RDONLY | O_CLOEXEC);
	if (kb->fd < 0) {
		e = -errno;
		log_err("kmod: %s: %s", TTD_DEVICE, strerror(-e));
		kb->family = -1;
		kmod_close(&kb->b);
		return e;
	}
	e = setup(kb, o);
	if (e) {
		kmod_close(&kb->b);
		return e;
	}
	log_info("kmod: %u rings of %llu KiB, %s mode", kb->info.nr_cpu_ids,
		 (unsigned long long)kb->info.data_size >> 10,
		 kb->info.mode == TTD_RING_OVERWRITE ? "overwrite" : "drop");
	*bp = &kb->b;
	return 0;
}
