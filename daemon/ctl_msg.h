/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Building and parsing ttdd control messages (see ctl_proto.h).  Shared by
 * the daemon and ttdctl; the parser assumes nothing about its input.
 */
#ifndef TTDD_CTL_MSG_H
#define TTDD_CTL_MSG_H

#include <stddef.h>
#include <stdint.h>

#include "ctl_proto.h"

#define CTL_MAX_NEST 4

struct ctl_msg {
	unsigned char buf[TTD_CTL_MAX_MSG];
	size_t len;
	int overflow;
	size_t nest[CTL_MAX_NEST];
	int depth;
};

void ctl_msg_init(struct ctl_msg *m, unsigned int type, uint32_t seq);
void ctl_put(struct ctl_msg *m, unsigned int type, const void *val, size_t len);
void ctl_put_u32(struct ctl_msg *m, unsigned int type, uint32_t v);
void ctl_put_u64(struct ctl_msg *m, unsigned int type, uint64_t v);
void ctl_put_str(struct ctl_msg *m, unsigned int type, const char *s);
void ctl_nest_begin(struct ctl_msg *m, unsigned int type);
void ctl_nest_end(struct ctl_msg *m);
/* Fix up the header length; -EMSGSIZE if anything did not fit. */
int ctl_msg_finish(struct ctl_msg *m);

struct ctl_attr {
	unsigned int type;
	const void *val;
	size_t len;
};

struct ctl_iter {
	const unsigned char *p;
	const unsigned char *end;
};

/*
 * Check a received packet: magic, version, header length against the
 * packet size.  On error returns -errno and points *why at a message.
 */
int ctl_check_hdr(const void *buf, size_t n, struct ttd_ctl_hdr *hdr,
		  const char **why);
void ctl_iter_init(struct ctl_iter *it, const void *payload, size_t len);
void ctl_iter_nested(struct ctl_iter *it, const struct ctl_attr *a);
/* 1: *a holds the next attribute, 0: done, -EINVAL: malformed. */
int ctl_iter_next(struct ctl_iter *it, struct ctl_attr *a);
int ctl_attr_u32(const struct ctl_attr *a, uint32_t *v);
int ctl_attr_u64(const struct ctl_attr *a, uint64_t *v);
/* The value as a C string, or NULL unless it is exactly one. */
const char *ctl_attr_str(const struct ctl_attr *a);

#endif
