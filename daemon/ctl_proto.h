/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ttdd control protocol, spoken over a SOCK_SEQPACKET unix socket
 * (default /run/ttd/ttdd.sock).  One packet is one message: a fixed header
 * followed by netlink-like attributes.  All integers are in host byte
 * order (the socket never leaves the machine).  Documentation/daemon.md
 * describes every message; bump TTD_CTL_VERSION on incompatible change.
 */
#ifndef TTDD_CTL_PROTO_H
#define TTDD_CTL_PROTO_H

#include <linux/types.h>

#define TTD_CTL_MAGIC 0x43445454u /* "TTDC" read as little-endian */
#define TTD_CTL_VERSION 1
#define TTD_CTL_MAX_MSG 4096 /* header + payload */
#define TTD_CTL_MAX_PIDS 64 /* PID attributes in one TRACE_START */
#define TTD_CTL_DEFAULT_SOCKET "/run/ttd/ttdd.sock"

struct ttd_ctl_hdr {
	__u32 magic;
	__u16 version;
	__u16 type; /* enum ttd_ctl_type */
	__u32 len; /* payload bytes after the header */
	__u32 seq; /* chosen by the client, echoed in the reply */
};

/* Each attribute is padded to 4 bytes; len covers the header and value. */
struct ttd_ctl_attr {
	__u16 len;
	__u16 type; /* enum ttd_ctl_attr_type */
};

#define TTD_CTL_ALIGN(n) (((n) + 3u) & ~3u)

enum ttd_ctl_type {
	/* requests */
	TTD_CTL_TRACE_START = 1, /* PID* | CGROUP, DURATION_MS?, FLAGS?; fd */
	TTD_CTL_TRACE_STOP = 2, /* SESSION */
	TTD_CTL_STATUS = 3, /* no attributes */
	/* replies and notifications */
	TTD_CTL_REPLY_OK = 0x100, /* request-specific attributes */
	TTD_CTL_REPLY_ERR = 0x101, /* ERRNO, MSG */
	TTD_CTL_SESSION_END = 0x102, /* SESSION_INFO, sent to the owner */
};

enum ttd_ctl_attr_type {
	TTD_CTL_A_UNSPEC,
	TTD_CTL_A_PID, /* u32 */
	TTD_CTL_A_CGROUP, /* NUL-terminated path of a cgroup v2 dir */
	TTD_CTL_A_DURATION_MS, /* u64, 0 = until stopped */
	TTD_CTL_A_FLAGS, /* u32, TTD_CTL_F_* */
	TTD_CTL_A_SESSION, /* u32 session id */
	TTD_CTL_A_ERRNO, /* u32 positive errno */
	TTD_CTL_A_MSG, /* NUL-terminated human-readable text */
	TTD_CTL_A_BACKEND, /* NUL-terminated: "bpf" or "kmod" */
	TTD_CTL_A_VERSION, /* NUL-terminated daemon version */
	TTD_CTL_A_SESSION_INFO, /* nested: SESSION, UID, PID*, CGROUP, ... */
	TTD_CTL_A_UID, /* u32 */
	TTD_CTL_A_EVENTS, /* u64 records written */
	TTD_CTL_A_LOST, /* u64 records the backend dropped */
	TTD_CTL_A_ELAPSED_MS, /* u64 */
	TTD_CTL_A_REASON, /* u32, enum ttd_ctl_end_reason */
	TTD_CTL_A_NCPUS, /* u32 per-CPU streams */
	TTD_CTL_A_MAX,
};

/*
 * TRACE_START flags.  DETACH: the session outlives the connection (stop it
 * with TRACE_STOP from any connection of the same user).  NO_CHILDREN: do
 * not follow processes forked by the traced ones.
 */
#define TTD_CTL_F_DETACH 0x1u
#define TTD_CTL_F_NO_CHILDREN 0x2u
#define TTD_CTL_F_ALL (TTD_CTL_F_DETACH | TTD_CTL_F_NO_CHILDREN)

enum ttd_ctl_end_reason {
	TTD_CTL_END_STOPPED = 1, /* TRACE_STOP */
	TTD_CTL_END_DURATION = 2, /* the requested duration elapsed */
	TTD_CTL_END_EXITED = 3, /* every traced process exited */
	TTD_CTL_END_SHUTDOWN = 4, /* ttdd is stopping */
	TTD_CTL_END_ERROR = 5, /* writing the recording failed */
	TTD_CTL_END_HANGUP = 6, /* the owner's connection closed */
};

#endif
