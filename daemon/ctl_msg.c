// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <string.h>

#include "ctl_msg.h"

void ctl_msg_init(struct ctl_msg *m, unsigned int type, uint32_t seq)
{
	struct ttd_ctl_hdr h = {
		.magic = TTD_CTL_MAGIC,
		.version = TTD_CTL_VERSION,
		.type = type,
		.seq = seq,
	};

	memcpy(m->buf, &h, sizeof(h));
	m->len = sizeof(h);
	m->overflow = 0;
	m->depth = 0;
}

void ctl_put(struct ctl_msg *m, unsigned int type, const void *val, size_t len)
{
	size_t total = sizeof(struct ttd_ctl_attr) + len;
	struct ttd_ctl_attr a = { .len = total, .type = type };

	if (total > UINT16_MAX ||
	    m->len + TTD_CTL_ALIGN(total) > sizeof(m->buf)) {
		m->overflow = 1;
		return;
	}
	memcpy(m->buf + m->len, &a, sizeof(a));
	if (len)
		memcpy(m->buf + m->len + sizeof(a), val, len);
	memset(m->buf + m->len + total, 0, TTD_CTL_ALIGN(total) - total);
	m->len += TTD_CTL_ALIGN(total);
}

void ctl_put_u32(struct ctl_msg *m, unsigned int type, uint32_t v)
{
	ctl_put(m, type, &v, sizeof(v));
}

void ctl_put_u64(struct ctl_msg *m, unsigned int type, uint64_t v)
{
	ctl_put(m, type, &v, sizeof(v));
}

void ctl_put_str(struct ctl_msg *m, unsigned int type, const char *s)
{
	ctl_put(m, type, s, strlen(s) + 1);
}

void ctl_nest_begin(struct ctl_msg *m, unsigned int type)
{
	if (m->depth == CTL_MAX_NEST) {
		m->overflow = 1;
		return;
	}
	m->nest[m->depth++] = m->len;
	ctl_put(m, type, NULL, 0);
}

void ctl_nest_end(struct ctl_msg *m)
{
	struct ttd_ctl_attr a;
	size_t start;

	if (!m->depth)
		return;
	start = m->nest[--m->depth];
	if (m->overflow || m->len - start > UINT16_MAX) {
		m->overflow = 1;
		return;
	}
	memcpy(&a, m->buf + start, sizeof(a));
	a.len = m->len - start;
	memcpy(m->buf + start, &a, sizeof(a));
}

int ctl_msg_finish(struct ctl_msg *m)
{
	struct ttd_ctl_hdr h;

	if (m->overflow || m->depth)
		return -EMSGSIZE;
	memcpy(&h, m->buf, sizeof(h));
	h.len = m->len - sizeof(h);
	memcpy(m->buf, &h, sizeof(h));
	return 0;
}

int ctl_check_hdr(const void *buf, size_t n, struct ttd_ctl_hdr *hdr,
		  const char **why)
{
	if (n < sizeof(*hdr)) {
		*why = "message shorter than the protocol header";
		return -EBADMSG;
	}
	memcpy(hdr, buf, sizeof(*hdr));
	if (hdr->magic != TTD_CTL_MAGIC) {
		*why = "bad magic (not a ttdd control message)";
		return -EBADMSG;
	}
	if (hdr->version != TTD_CTL_VERSION) {
		*why = "unsupported protocol version";
		return -EPROTONOSUPPORT;
	}
	if (n > TTD_CTL_MAX_MSG) {
		*why = "message larger than the protocol allows";
		return -EMSGSIZE;
	}
	if (hdr->len != n - sizeof(*hdr)) {
		*why = "header length does not match the message size";
		return -EBADMSG;
	}
	return 0;
}

void ctl_iter_init(struct ctl_iter *it, const void *payload, size_t len)
{
	it->p = payload;
	it->end = it->p + len;
}

void ctl_iter_nested(struct ctl_iter *it, const struct ctl_attr *a)
{
	ctl_iter_init(it, a->val, a->len);
}

int ctl_iter_next(struct ctl_iter *it, struct ctl_attr *a)
{
	struct ttd_ctl_attr h;
	size_t left = it->end - it->p;
	size_t step;

	if (!left)
		return 0;
	if (left < sizeof(h))
		return -EINVAL;
	memcpy(&h, it->p, sizeof(h));
	if (h.len < sizeof(h) || h.len > left)
		return -EINVAL;
	a->type = h.type;
	a->val = it->p + sizeof(h);
	a->len = h.len - sizeof(h);
	step = TTD_CTL_ALIGN(h.len);
	/* The last attribute may omit its padding. */
	it->p += step < left ? step : left;
	return 1;
}

int ctl_attr_u32(const struct ctl_attr *a, uint32_t *v)
{
	if (a->len != sizeof(*v))
		return -EINVAL;
	memcpy(v, a->val, sizeof(*v));
	return 0;
}

int ctl_attr_u64(const struct ctl_attr *a, uint64_t *v)
{
	if (a->len != sizeof(*v))
		return -EINVAL;
	memcpy(v, a->val, sizeof(*v));
	return 0;
}

const char *ctl_attr_str(const struct ctl_attr *a)
{
	const char *s = a->val;

	if (!a->len || s[a->len - 1] || strlen(s) != a->len - 1)
		return NULL;
	return s;
}
