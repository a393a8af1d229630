// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers for the ttd.ko selftests.  The netlink client is written against
 * the raw protocol on purpose: the fuzz test needs to send what no library
 * would, and the ABI checked here is the bytes, not a library's view.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "ttd_kmod.h"

/* Module loading */

static const char *ttd_ko_path(void)
{
	const char *p = getenv("TTD_KO");

	return p && *p ? p : "build/kmod/ttd.ko";
}

int ttd_mod_load(const char *params)
{
	int fd = open(ttd_ko_path(), O_RDONLY | O_CLOEXEC);
	int err = 0;

	if (fd < 0)
		return -errno;
	if (syscall(SYS_finit_module, fd, params ? params : "", 0))
		err = -errno;
	close(fd);
	return err;
}

int ttd_mod_unload(void)
{
	return syscall(SYS_delete_module, "ttd", O_NONBLOCK) ? -errno : 0;
}

bool ttd_mod_loaded(void)
{
	return access("/sys/module/ttd", F_OK) == 0;
}

/* Netlink */

#define NLA_OK_LEN(len) ((len) >= (int)sizeof(struct nlattr))

static struct nlmsghdr *ttd_nlh(struct ttd_msg *m)
{
	return (struct nlmsghdr *)m->buf;
}

void ttd_msg_init(struct ttd_msg *m, uint8_t cmd)
{
	struct genlmsghdr *g;

	memset(m->buf, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	g = (struct genlmsghdr *)(m->buf + NLMSG_HDRLEN);
	g->cmd = cmd;
	g->version = TTD_GENL_VERSION;
	m->len = NLMSG_HDRLEN + GENL_HDRLEN;
}

void ttd_msg_put(struct ttd_msg *m, uint16_t type, const void *data, size_t len)
{
	struct nlattr *a = (struct nlattr *)(m->buf + m->len);
	size_t total = NLA_ALIGN(NLA_HDRLEN + len);

	if (m->len + total > sizeof(m->buf))
		abort();
	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	memcpy((char *)a + NLA_HDRLEN, data, len);
	memset((char *)a + NLA_HDRLEN + len, 0, total - NLA_HDRLEN - len);
	m->len += total;
}

void ttd_msg_u32(struct ttd_msg *m, uint16_t type, uint32_t v)
{
	ttd_msg_put(m, type, &v, sizeof(v));
}

void ttd_msg_u64(struct ttd_msg *m, uint16_t type, uint64_t v)
{
	ttd_msg_put(m, type, &v, sizeof(v));
}

/* Collects data messages of one request into @reply; returns 0, -errno
 * from the kernel, or -errno of the socket. */
static int ttd_nl_collect(struct ttd_nl *nl, uint32_t seq,
			  struct ttd_msg *reply)
{
	static unsigned char buf[65536];
	struct nlmsghdr *h;
	ssize_t n;

	if (reply)
		reply->len = 0;
	for (;;) {
		n = recv(nl->fd, buf, sizeof(buf), 0);
		if (n < 0)
			return -errno;
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, n);
		     h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_seq != seq)
				continue;
			if (h->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(h);

				return e->error;
			}
			if (h->nlmsg_type == NLMSG_DONE) {
				int *e = NLMSG_DATA(h);

				return h->nlmsg_len >= NLMSG_LENGTH(sizeof(int))
					       ? *e
					       : 0;
			}
			if (reply &&
			    reply->len + h->nlmsg_len <= sizeof(reply->buf)) {
				memcpy(reply->buf + reply->len, h,
				       h->nlmsg_len);
				reply->len += NLMSG_ALIGN(h->nlmsg_len);
			}
		}
	}
}

static int ttd_nl_xfer(struct ttd_nl *nl, uint16_t type, struct ttd_msg *m,
		       uint16_t flags, struct ttd_msg *reply)
{
	struct nlmsghdr *h = ttd_nlh(m);

	h->nlmsg_len = m->len;
	h->nlmsg_type = type;
	h->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	h->nlmsg_seq = ++nl->seq;
	if (send(nl->fd, m->buf, m->len, 0) < 0)
		return -errno;
	return ttd_nl_collect(nl, h->nlmsg_seq, reply);
}

int ttd_nl_request(struct ttd_nl *nl, struct ttd_msg *m, uint16_t flags,
		   struct ttd_msg *reply)
{
	return ttd_nl_xfer(nl, nl->family, m, flags, reply);
}

int ttd_nl_send_raw(struct ttd_nl *nl, const void *buf, size_t len)
{
	static unsigned char rbuf[65536];
	struct nlmsghdr *h;
	ssize_t n;
	int ret = 1;

	if (send(nl->fd, buf, len, 0) < 0)
		return -errno;
	/* Netlink handles a request inside send(): the answers (an ack, an
	 * error, the first part of a dump) are queued already. */
	while ((n = recv(nl->fd, rbuf, sizeof(rbuf), MSG_DONTWAIT)) > 0) {
		for (h = (struct nlmsghdr *)rbuf; NLMSG_OK(h, n);
		     h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_type == NLMSG_ERROR)
				ret = ((struct nlmsgerr *)NLMSG_DATA(h))->error;
		}
	}
	return ret;
}

static const struct nlattr *ttd_attr_find(const void *p, int len, uint16_t type)
{
	const struct nlattr *a = p;

	while (NLA_OK_LEN(len) && a->nla_len >= NLA_HDRLEN &&
	       a->nla_len <= len) {
		if ((a->nla_type & NLA_TYPE_MASK) == type)
			return a;
		len -= NLA_ALIGN(a->nla_len);
		a = (const struct nlattr *)((const char *)a +
					    NLA_ALIGN(a->nla_len));
	}
	return NULL;
}

const void *ttd_msg_attr(const struct ttd_msg *m, uint16_t type, size_t *len)
{
	const struct nlmsghdr *h = (const struct nlmsghdr *)m->buf;
	const struct nlattr *a;
	int alen;

	if (m->len < NLMSG_HDRLEN + GENL_HDRLEN || h->nlmsg_len > m->len)
		return NULL;
	alen = h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
	a = ttd_attr_find(m->buf + NLMSG_HDRLEN + GENL_HDRLEN, alen, type);
	if (!a)
		return NULL;
	if (len)
		*len = a->nla_len - NLA_HDRLEN;
	return (const char *)a + NLA_HDRLEN;
}

bool ttd_msg_get_u32(const struct ttd_msg *m, uint16_t type, uint32_t *v)
{
	size_t len;
	const void *p = ttd_msg_attr(m, type, &len);

	if (!p || len != sizeof(*v))
		return false;
	memcpy(v, p, sizeof(*v));
	return true;
}

bool ttd_msg_get_u64(const struct ttd_msg *m, uint16_t type, uint64_t *v)
{
	size_t len;
	const void *p = ttd_msg_attr(m, type, &len);

	if (!p || len != sizeof(*v))
		return false;
	memcpy(v, p, sizeof(*v));
	return true;
}

int ttd_nl_open(struct ttd_nl *nl)
{
	struct timeval tv = { .tv_sec = 10 };
	struct ttd_msg req, rep;
	const struct nlattr *grps, *g, *name, *id;
	const void *fam;
	size_t len;
	int err, glen;

	memset(nl, 0, sizeof(*nl));
	nl->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (nl->fd < 0)
		return -errno;
	setsockopt(nl->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	ttd_msg_init(&req, CTRL_CMD_GETFAMILY);
	((struct genlmsghdr *)(req.buf + NLMSG_HDRLEN))->version = 1;
	ttd_msg_put(&req, CTRL_ATTR_FAMILY_NAME, TTD_GENL_NAME,
		    sizeof(TTD_GENL_NAME));
	err = ttd_nl_xfer(nl, GENL_ID_CTRL, &req, 0, &rep);
	if (err)
		goto fail;
	fam = ttd_msg_attr(&rep, CTRL_ATTR_FAMILY_ID, &len);
	if (!fam || len != 2) {
		err = -EPROTO;
		goto fail;
	}
	memcpy(&nl->family, fam, 2);
	grps = ttd_msg_attr(&rep, CTRL_ATTR_MCAST_GROUPS, &len);
	if (grps) {
		/* Nested array: each element nests NAME and ID. */
		g = (const struct nlattr *)grps;
		for (glen = len; NLA_OK_LEN(glen) && g->nla_len >= NLA_HDRLEN &&
				 g->nla_len <= glen;
		     glen -= NLA_ALIGN(g->nla_len),
		    g = (const void *)((const char *)g +
				       NLA_ALIGN(g->nla_len))) {
			name = ttd_attr_find((const char *)g + NLA_HDRLEN,
					     g->nla_len - NLA_HDRLEN,
					     CTRL_ATTR_MCAST_GRP_NAME);
			id = ttd_attr_find((const char *)g + NLA_HDRLEN,
					   g->nla_len - NLA_HDRLEN,
					   CTRL_ATTR_MCAST_GRP_ID);
			if (name && id &&
			    !strcmp((const char *)name + NLA_HDRLEN,
				    TTD_GENL_MCGRP_NOTIFY))
				memcpy(&nl->mcgrp,
				       (const char *)id + NLA_HDRLEN, 4);
		}
	}
	return 0;
fail:
	close(nl->fd);
	nl->fd = -1;
	return err;
}

void ttd_nl_close(struct ttd_nl *nl)
{
	if (nl->fd >= 0)
		close(nl->fd);
	nl->fd = -1;
}

int ttd_nl_join_notify(struct ttd_nl *nl)
{
	if (!nl->mcgrp)
		return -ENOENT;
	if (setsockopt(nl->fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &nl->mcgrp,
		       sizeof(nl->mcgrp)))
		return -errno;
	return 0;
}

int ttd_nl_recv(struct ttd_nl *nl, struct ttd_msg *m, int ms)
{
	struct pollfd pfd = { .fd = nl->fd, .events = POLLIN };
	ssize_t n;
	int r = poll(&pfd, 1, ms);

	if (r < 0)
		return -errno;
	if (r == 0)
		return -ETIMEDOUT;
	n = recv(nl->fd, m->buf, sizeof(m->buf), 0);
	if (n < 0)
		return -errno;
	m->len = n;
	return n;
}

int ttd_add_pid(struct ttd_nl *nl, pid_t pid, uint32_t events, uint32_t flags,
		uint32_t *group)
{
	struct ttd_msg m, rep;
	int err;

	ttd_msg_init(&m, TTD_CMD_ADD_GROUP);
	ttd_msg_u32(&m, TTD_ATTR_PID, pid);
	ttd_msg_u32(&m, TTD_ATTR_EVENTS, events);
	if (flags)
		ttd_msg_u32(&m, TTD_ATTR_GROUP_FLAGS, flags);
	err = ttd_nl_request(nl, &m, 0, &rep);
	if (!err && !ttd_msg_get_u32(&rep, TTD_ATTR_GROUP_ID, group))
		err = -EPROTO;
	return err;
}

int ttd_add_cgroup(struct ttd_nl *nl, uint64_t cgid, uint32_t events,
		   uint32_t *group)
{
	struct ttd_msg m, rep;
	int err;

	ttd_msg_init(&m, TTD_CMD_ADD_GROUP);
	ttd_msg_u64(&m, TTD_ATTR_CGROUP_ID, cgid);
	ttd_msg_u32(&m, TTD_ATTR_EVENTS, events);
	err = ttd_nl_request(nl, &m, 0, &rep);
	if (!err && !ttd_msg_get_u32(&rep, TTD_ATTR_GROUP_ID, group))
		err = -EPROTO;
	return err;
}

int ttd_del_group(struct ttd_nl *nl, uint32_t group)
{
	struct ttd_msg m;

	ttd_msg_init(&m, TTD_CMD_DEL_GROUP);
	ttd_msg_u32(&m, TTD_ATTR_GROUP_ID, group);
	return ttd_nl_request(nl, &m, 0, NULL);
}

int ttd_set_mode(struct ttd_nl *nl, uint32_t mode)
{
	struct ttd_msg m;

	ttd_msg_init(&m, TTD_CMD_SET_RING_MODE);
	ttd_msg_u32(&m, TTD_ATTR_RING_MODE, mode);
	return ttd_nl_request(nl, &m, 0, NULL);
}

int ttd_get_stats(struct ttd_nl *nl, struct ttd_stats *st)
{
	struct ttd_msg m, rep;
	int err;

	ttd_msg_init(&m, TTD_CMD_GET_STATS);
	err = ttd_nl_request(nl, &m, 0, &rep);
	if (err)
		return err;
	if (!ttd_msg_get_u32(&rep, TTD_ATTR_STAT_GROUPS, &st->groups) ||
	    !ttd_msg_get_u32(&rep, TTD_ATTR_STAT_PROCESSES, &st->processes) ||
	    !ttd_msg_get_u64(&rep, TTD_ATTR_STAT_RECORDS, &st->records) ||
	    !ttd_msg_get_u64(&rep, TTD_ATTR_STAT_LOST, &st->lost) ||
	    !ttd_msg_get_u64(&rep, TTD_ATTR_STAT_UNTRACKED, &st->untracked))
		return -EPROTO;
	return 0;
}

/* Rings */

int ttd_rings_open(struct ttd_rings *r)
{
	unsigned int cpu;
	int err;

	memset(r, 0, sizeof(*r));
	r->fd = open("/dev/ttd", O_RDONLY | O_CLOEXEC);
	if (r->fd < 0)
		return -errno;
	if (ioctl(r->fd, TTD_IOC_GET_INFO, &r->info)) {
		err = -errno;
		close(r->fd);
		return err;
	}
	r->map = calloc(r->info.nr_cpu_ids, sizeof(*r->map));
	r->pos = calloc(r->info.nr_cpu_ids, sizeof(*r->pos));
	if (!r->map || !r->pos)
		abort();
	for (cpu = 0; cpu < r->info.nr_cpu_ids; cpu++) {
		void *p = mmap(NULL, r->info.map_size, PROT_READ, MAP_SHARED,
			       r->fd, (off_t)cpu * r->info.map_size);

		if (p == MAP_FAILED)
			continue;
		r->map[cpu] = p;
		r->pos[cpu] = ((struct ttd_ring_header *)p)->consumed;
	}
	return 0;
}

void ttd_rings_close(struct ttd_rings *r)
{
	unsigned int cpu;

	for (cpu = 0; r->map && cpu < r->info.nr_cpu_ids; cpu++) {
		if (r->map[cpu])
			munmap(r->map[cpu], r->info.map_size);
	}
	free(r->map);
	free(r->pos);
	r->map = NULL;
	r->pos = NULL;
	if (r->fd >= 0)
		close(r->fd);
	r->fd = -1;
}

const struct ttd_ring_header *ttd_ring_hdr(const struct ttd_rings *r,
					   unsigned int cpu)
{
	return cpu < r->info.nr_cpu_ids ? r->map[cpu] : NULL;
}

struct ttd_copy {
	uint64_t pos;
	struct ttd_rec_header *rec;
};

static long ttd_drain_cpu(struct ttd_rings *r, unsigned int cpu, ttd_rec_fn fn,
			  void *ctx)
{
	const struct ttd_ring_header *h = r->map[cpu];
	const unsigned char *data = (const unsigned char *)h + h->data_offset;
	uint64_t size = h->data_size, mask = size - 1;
	uint64_t tail, head, pos;
	struct ttd_copy *copies = NULL;
	size_t n = 0, cap = 0, i;
	struct ttd_consume c = { .cpu = cpu };
	long delivered = 0;
	bool torn = false;

	tail = __atomic_load_n(&h->tail, __ATOMIC_ACQUIRE);
	pos = r->pos[cpu] < tail ? tail : r->pos[cpu];
	head = __atomic_load_n(&h->head, __ATOMIC_ACQUIRE);
	while (pos < head) {
		const struct ttd_rec_header *rec =
			(const void *)(data + (pos & mask));
		uint16_t sz = __atomic_load_n(&rec->size, __ATOMIC_RELAXED);

		/* A size this bad means the bytes were being overwritten:
		 * the tail check below will say so. */
		if (sz < 8 || sz % 8 || (pos & mask) + sz > size) {
			torn = true;
			break;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			copies = realloc(copies, cap * sizeof(*copies));
			if (!copies)
				abort();
		}
		copies[n].pos = pos;
		copies[n].rec = malloc(sz);
		if (!copies[n].rec)
			abort();
		memcpy(copies[n].rec, rec, sz);
		n++;
		pos += sz;
	}
	atomic_thread_fence(memory_order_acquire);
	tail = __atomic_load_n(&h->tail, __ATOMIC_ACQUIRE);
	for (i = 0; i < n; i++) {
		if (copies[i].pos >= tail &&
		    copies[i].rec->type != TTD_REC_PAD) {
			fn(copies[i].rec, ctx);
			delivered++;
		}
		free(copies[i].rec);
	}
	free(copies);
	if (torn && tail <= pos)
		return -EIO;
	if (pos < tail)
		pos = tail;
	r->pos[cpu] = pos;
	c.position = pos;
	if (ioctl(r->fd, TTD_IOC_CONSUME, &c))
		return -errno;
	return delivered;
}

long ttd_rings_drain(struct ttd_rings *r, ttd_rec_fn fn, void *ctx)
{
	unsigned int cpu;
	long total = 0, n;

	for (cpu = 0; cpu < r->info.nr_cpu_ids; cpu++) {
		if (!r->map[cpu])
			continue;
		n = ttd_drain_cpu(r, cpu, fn, ctx);
		if (n < 0)
			return n;
		total += n;
	}
	return total;
}

int ttd_rings_set_watermark(struct ttd_rings *r, uint64_t bytes)
{
	struct ttd_watermark wm = { .bytes = bytes };

	return ioctl(r->fd, TTD_IOC_SET_WATERMARK, &wm) ? -errno : 0;
}

int ttd_rings_poll(struct ttd_rings *r, int ms)
{
	struct pollfd p = { .fd = r->fd, .events = POLLIN };
	int n = poll(&p, 1, ms);

	if (n < 0)
		return -errno;
	if (n && p.revents != POLLIN)
		return -EPROTO;
	return n;
}

uint64_t ttd_ring_unread(const struct ttd_rings *r, unsigned int cpu)
{
	const struct ttd_ring_header *h = ttd_ring_hdr(r, cpu);
	uint64_t consumed, tail;

	if (!h)
		return 0;
	consumed = __atomic_load_n(&h->consumed, __ATOMIC_RELAXED);
	tail = __atomic_load_n(&h->tail, __ATOMIC_RELAXED);
	return __atomic_load_n(&h->head, __ATOMIC_ACQUIRE) -
	       (consumed > tail ? consumed : tail);
}

void ttd_recs_collect(const struct ttd_rec_header *rec, void *ctx)
{
	struct ttd_recs *rs = ctx;

	if (rs->n == rs->cap) {
		rs->cap = rs->cap ? rs->cap * 2 : 1024;
		rs->v = realloc(rs->v, rs->cap * sizeof(*rs->v));
		if (!rs->v)
			abort();
	}
	rs->v[rs->n] = malloc(rec->size);
	if (!rs->v[rs->n])
		abort();
	memcpy(rs->v[rs->n++], rec, rec->size);
}

void ttd_recs_free(struct ttd_recs *rs)
{
	size_t i;

	for (i = 0; i < rs->n; i++)
		free(rs->v[i]);
	free(rs->v);
	memset(rs, 0, sizeof(*rs));
}

bool ttd_kernel_log_clean(char *first_bad, size_t len)
{
	static const char *const bad[] = {
		"BUG:",
		"Oops",
		"WARNING:",
		"general protection",
		"Objects remaining",
		"refcount_t:",
		"list_add corruption",
		"list_del corruption",
		"stack-protector",
		"RCU stall",
	};
	char line[2048];
	ssize_t n;
	size_t i;
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return true;
	while ((n = read(fd, line, sizeof(line) - 1)) != 0) {
		if (n < 0) {
			if (errno == EPIPE)
				continue;
			break;
		}
		line[n] = 0;
		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			if (strstr(line, bad[i])) {
				snprintf(first_bad, len, "%s", line);
				close(fd);
				return false;
			}
		}
	}
	close(fd);
	return true;
}

int ttd_child_start(struct ttd_child *c, int (*fn)(void *), void *arg)
{
	int p[2];
	char b;

	/* The gate may be opened after the child was killed. */
	signal(SIGPIPE, SIG_IGN);
	if (pipe2(p, O_CLOEXEC))
		return -errno;
	c->pid = fork();
	if (c->pid < 0)
		return -errno;
	if (c->pid == 0) {
		close(p[1]);
		if (read(p[0], &b, 1) != 1)
			_exit(125);
		close(p[0]);
		_exit(fn(arg));
	}
	close(p[0]);
	c->gate = p[1];
	return 0;
}

void ttd_child_go(struct ttd_child *c)
{
	if (c->gate >= 0) {
		(void)!write(c->gate, "g", 1);
		close(c->gate);
		c->gate = -1;
	}
}

int ttd_child_wait(struct ttd_child *c)
{
	int st;

	ttd_child_go(c);
	if (waitpid(c->pid, &st, 0) != c->pid)
		return -1;
	return st;
}

static int by_time(const void *a, const void *b)
{
	const struct ttd_rec_header *x = *(void *const *)a;
	const struct ttd_rec_header *y = *(void *const *)b;

	return x->time_ns < y->time_ns ? -1 : x->time_ns > y->time_ns;
}

void ttd_recs_by_time(struct ttd_recs *rs)
{
	qsort(rs->v, rs->n, sizeof(rs->v[0]), by_time);
}

/* @rs is in time order: the caller sorted it (ttd_recs_by_time()). */
int ttd_switch_outs(const struct ttd_recs *rs, pid_t tid)
{
	int outs = 0, last = 0; /* 1 in, 2 out */
	size_t k;

	for (k = 0; k < rs->n; k++) {
		const struct ttd_rec_switch *sw = (const void *)rs->v[k];

		if (sw->hdr.type != TTD_REC_SWITCH)
			continue;
		if ((sw->hdr.flags & TTD_SWITCH_PREV_TRACED) &&
		    sw->prev_tid == tid) {
			if (last == 2)
				return -1;
			last = 2;
			outs++;
		}
		if ((sw->hdr.flags & TTD_SWITCH_NEXT_TRACED) &&
		    sw->next_tid == tid) {
			if (last == 1)
				return -1;
			last = 1;
		}
	}
	return outs;
}
