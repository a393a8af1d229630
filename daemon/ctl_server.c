// SPDX-License-Identifier: GPL-2.0
/*
 * Control requests.  Every packet gets exactly one reply: REPLY_OK, or
 * REPLY_ERR with an errno and a message that says what was wrong, so a
 * client (or a fuzzer) learns why, and the daemon never trusts a length
 * or a string it did not check.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <linux/magic.h>

#include "ctl_msg.h"
#include "log.h"
#include "ttdd.h"

#ifndef TTD_VERSION
#define TTD_VERSION "0.1"
#endif

static void reply_err(struct client *c, uint32_t seq, int err, const char *fmt,
		      ...) __attribute__((format(printf, 4, 5)));

static void reply_err(struct client *c, uint32_t seq, int err, const char *fmt,
		      ...)
{
	struct ctl_msg m;
	char text[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	ctl_msg_init(&m, TTD_CTL_REPLY_ERR, seq);
	ctl_put_u32(&m, TTD_CTL_A_ERRNO, err < 0 ? -err : err);
	ctl_put_str(&m, TTD_CTL_A_MSG, text);
	ttdd_send(c, &m);
}

struct start_req {
	pid_t pids[TTD_CTL_MAX_PIDS];
	int npids;
	const char *cgroup;
	uint64_t duration_ms;
	uint32_t flags;
};

/* Parse TRACE_START; on error fills why and returns -errno. */
static int parse_start(const void *p, size_t len, struct start_req *r,
		       char *why, size_t wlen)
{
	struct ctl_iter it;
	struct ctl_attr a;
	uint32_t v;
	int e;

	memset(r, 0, sizeof(*r));
	ctl_iter_init(&it, p, len);
	while ((e = ctl_iter_next(&it, &a)) > 0) {
		switch (a.type) {
		case TTD_CTL_A_PID:
			if (ctl_attr_u32(&a, &v) || !v || v > INT32_MAX) {
				snprintf(why, wlen,
					 "PID attribute must be a "
					 "positive 32-bit pid");
				return -EINVAL;
			}
			if (r->npids == TTD_CTL_MAX_PIDS) {
				snprintf(why, wlen,
					 "at most %d pids per "
					 "session",
					 TTD_CTL_MAX_PIDS);
				return -E2BIG;
			}
			r->pids[r->npids++] = v;
			break;
		case TTD_CTL_A_CGROUP:
			r->cgroup = ctl_attr_str(&a);
			if (!r->cgroup || r->cgroup[0] != '/') {
				snprintf(why, wlen,
					 "CGROUP attribute must be "
					 "an absolute path string");
				return -EINVAL;
			}
			break;
		case TTD_CTL_A_DURATION_MS:
			if (ctl_attr_u64(&a, &r->duration_ms) ||
			    r->duration_ms > 366ULL * 86400 * 1000) {
				snprintf(why, wlen,
					 "DURATION_MS must be a "
					 "u64 of at most a year");
				return -EINVAL;
			}
			break;
		case TTD_CTL_A_FLAGS:
			if (ctl_attr_u32(&a, &r->flags) ||
			    (r->flags & ~TTD_CTL_F_ALL)) {
				snprintf(why, wlen, "unknown FLAGS bits");
				return -EINVAL;
			}
			break;
		default:
			snprintf(why, wlen,
				 "unknown attribute %u in "
				 "TRACE_START",
				 a.type);
			return -EINVAL;
		}
	}
	if (e < 0) {
		snprintf(why, wlen, "malformed attribute list");
		return e;
	}
	if (!r->npids == !r->cgroup) {
		snprintf(why, wlen, "give either PID attributes or one CGROUP");
		return -EINVAL;
	}
	return 0;
}

static int free_slot(struct ttdd *d)
{
	int i;

	for (i = 0; i < BACKEND_MAX_SLOTS; i++)
		if (!d->sessions[i])
			return i;
	return -1;
}

/* Resolve a cgroup v2 directory to its id and check the caller owns it. */
static int open_cgroup(const struct peer *p, const char *path, uint64_t *id,
		       char *why, size_t wlen)
{
	struct statfs sfs;
	struct stat st;
	int fd, e;

	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		e = -errno;
		snprintf(why, wlen, "%s: %s", path, strerror(errno));
		return e;
	}
	e = 0;
	if (fstatfs(fd, &sfs) || sfs.f_type != CGROUP2_SUPER_MAGIC) {
		snprintf(why, wlen, "%s is not a cgroup v2 directory", path);
		e = -ENOTDIR;
	} else if (peer_may_trace_cgroup(p, fd)) {
		snprintf(why, wlen,
			 "permission denied: %s belongs to another "
			 "user",
			 path);
		e = -EPERM;
	} else if (fstat(fd, &st)) {
		e = -errno;
		snprintf(why, wlen, "%s: %s", path, strerror(errno));
	} else {
		/* On cgroup2 the directory's inode number is the cgroup id. */
		*id = st.st_ino;
	}
	close(fd);
	return e;
}

static void trace_start(struct ttdd *d, struct client *c,
			const struct ttd_ctl_hdr *h, const void *p, int fd)
{
	struct session_opts so = { 0 };
	struct start_req r;
	struct session *s;
	struct ctl_msg m;
	char why[256] = "";
	int e, i, slot;

	e = parse_start(p, h->len, &r, why, sizeof(why));
	if (e)
		goto err;
	if (fd < 0) {
		e = -EBADF;
		snprintf(why, sizeof(why),
			 "TRACE_START needs the output file "
			 "descriptor (SCM_RIGHTS)");
		goto err;
	}
	for (i = 0; i < r.npids; i++) {
		e = peer_may_trace_pid(&c->peer, r.pids[i]);
		if (e == -ESRCH) {
			snprintf(why, sizeof(why), "no such process: %d",
				 r.pids[i]);
			goto err;
		}
		if (e) {
			snprintf(why, sizeof(why),
				 "permission denied: uid "
				 "%u may not trace pid %d",
				 c->peer.uid, r.pids[i]);
			goto err;
		}
	}
	if (r.cgroup) {
		e = open_cgroup(&c->peer, r.cgroup, &so.cgid, why, sizeof(why));
		if (e)
			goto err;
	}
	slot = free_slot(d);
	if (slot < 0) {
		e = -EBUSY;
		snprintf(why, sizeof(why), "too many sessions (%d)",
			 BACKEND_MAX_SLOTS);
		goto err;
	}
	so.pids = r.pids;
	so.npids = r.npids;
	so.cgroup = r.cgroup;
	so.duration_ns = r.duration_ms * 1000000ULL;
	so.flags = r.flags;
	so.out_fd = fd;
	so.owner = &c->peer;
	fd = -1; /* the session owns it now, even on failure */
	e = session_create(&s, d->be, slot, ++d->next_id, &so, why,
			   sizeof(why));
	if (e)
		goto err;
	if (!(r.flags & TTD_CTL_F_DETACH)) {
		s->client = c - d->clients;
		s->client_gen = c->gen;
	}
	d->sessions[slot] = s;
	ttdd_reschedule(d);
	log_info("session %u: uid %u traces %s%s%s for %s", s->id, c->peer.uid,
		 r.cgroup ? "cgroup " : "", r.cgroup ? r.cgroup : "",
		 r.cgroup ? "" : "processes",
		 r.duration_ms ? "a set time" : "until stopped");
	ctl_msg_init(&m, TTD_CTL_REPLY_OK, h->seq);
	ctl_put_u32(&m, TTD_CTL_A_SESSION, s->id);
	ctl_put_str(&m, TTD_CTL_A_BACKEND, d->be->ops->name);
	ctl_put_u32(&m, TTD_CTL_A_NCPUS, d->be->ncpus);
	ttdd_send(c, &m);
	return;
err:
	if (fd >= 0)
		close(fd);
	reply_err(c, h->seq, e, "%s", why[0] ? why : strerror(-e));
}

static struct session *find_session(struct ttdd *d, uint32_t id)
{
	int i;

	for (i = 0; i < BACKEND_MAX_SLOTS; i++)
		if (d->sessions[i] && d->sessions[i]->id == id)
			return d->sessions[i];
	return NULL;
}

static bool may_control(const struct client *c, const struct session *s)
{
	return c->peer.privileged || c->peer.uid == s->owner.uid;
}

static void trace_stop(struct ttdd *d, struct client *c,
		       const struct ttd_ctl_hdr *h, const void *p)
{
	struct ctl_iter it;
	struct ctl_attr a;
	struct session *s;
	struct ctl_msg m;
	uint32_t id = 0;
	int e, have = 0;

	ctl_iter_init(&it, p, h->len);
	while ((e = ctl_iter_next(&it, &a)) > 0) {
		if (a.type != TTD_CTL_A_SESSION || ctl_attr_u32(&a, &id))
			return reply_err(c, h->seq, EINVAL,
					 "TRACE_STOP takes "
					 "one u32 SESSION attribute");
		have++;
	}
	if (e < 0 || have != 1)
		return reply_err(c, h->seq, EINVAL,
				 "TRACE_STOP takes one u32 "
				 "SESSION attribute");
	s = find_session(d, id);
	if (!s)
		return reply_err(c, h->seq, ENOENT, "no session %u", id);
	if (!may_control(c, s))
		return reply_err(c, h->seq, EPERM,
				 "permission denied: "
				 "session %u belongs to uid %u",
				 id, s->owner.uid);
	ctl_msg_init(&m, TTD_CTL_REPLY_OK, h->seq);
	ctl_put_u32(&m, TTD_CTL_A_SESSION, id);
	ttdd_send(c, &m);
	ttdd_end_session(d, s->slot, TTD_CTL_END_STOPPED);
}

static void status(struct ttdd *d, struct client *c,
		   const struct ttd_ctl_hdr *h)
{
	struct ctl_msg m;
	int i;

	if (h->len)
		return reply_err(c, h->seq, EINVAL,
				 "STATUS takes no "
				 "attributes");
	ttdd_drain(d);
	ctl_msg_init(&m, TTD_CTL_REPLY_OK, h->seq);
	ctl_put_str(&m, TTD_CTL_A_VERSION, TTD_VERSION);
	ctl_put_str(&m, TTD_CTL_A_BACKEND, d->be->ops->name);
	ctl_put_u32(&m, TTD_CTL_A_NCPUS, d->be->ncpus);
	ctl_put_u64(&m, TTD_CTL_A_LOST, d->be->ops->lost(d->be));
	ctl_put_u64(&m, TTD_CTL_A_EVENTS, d->drained);
	/* Other users' sessions name their processes: show only one's own. */
	for (i = 0; i < BACKEND_MAX_SLOTS; i++)
		if (d->sessions[i] && may_control(c, d->sessions[i]))
			ttdd_session_info(d, &m, d->sessions[i]);
	if (ctl_msg_finish(&m))
		return reply_err(c, h->seq, EMSGSIZE,
				 "too many sessions to "
				 "list in one reply");
	ttdd_send(c, &m);
}

void ctl_handle(struct ttdd *d, struct client *c, const void *buf, size_t n,
		int fd)
{
	const unsigned char *payload =
		(const unsigned char *)buf + sizeof(struct ttd_ctl_hdr);
	struct ttd_ctl_hdr h;
	const char *why;
	int e;

	e = ctl_check_hdr(buf, n, &h, &why);
	if (e) {
		if (fd >= 0)
			close(fd);
		/* Echo what can be read of the sequence number. */
		h.seq = 0;
		if (n >= sizeof(h))
			memcpy(&h, buf, sizeof(h));
		log_debug("client uid %u: %s", c->peer.uid, why);
		return reply_err(c, h.seq, e, "%s", why);
	}
	if (h.type != TTD_CTL_TRACE_START && fd >= 0) {
		close(fd);
		fd = -1;
	}
	if (d->stopping && h.type == TTD_CTL_TRACE_START)
		return reply_err(c, h.seq, ESHUTDOWN, "ttdd is stopping");
	switch (h.type) {
	case TTD_CTL_TRACE_START:
		return trace_start(d, c, &h, payload, fd);
	case TTD_CTL_TRACE_STOP:
		return trace_stop(d, c, &h, payload);
	case TTD_CTL_STATUS:
		return status(d, c, &h);
	default:
		return reply_err(c, h.seq, EOPNOTSUPP,
				 "unknown request type "
				 "%u",
				 h.type);
	}
}
