// SPDX-License-Identifier: GPL-2.0
/* The engine's side of the supervisor channel (see ctl.h). */
#include "ctl.h"
#include "lib.h"
#include "linux/sys.h"

#define AF_UNIX 1
#define SOCK_SEQPACKET 5
#define SOCK_CLOEXEC 02000000
#define MSG_NOSIGNAL 0x4000
#define MSG_CMSG_CLOEXEC 0x40000000
#define SOL_SOCKET 1
#define SCM_RIGHTS 1

static struct {
	uint16_t family;
	char path[108];
} addr;
static int addr_len;

void ctl_init(const char *name)
{
	int n = 0;

	addr.family = AF_UNIX;
	addr.path[0] = '\0'; /* abstract namespace */
	while (name[n] && n < 63) {
		addr.path[n + 1] = name[n];
		n++;
	}
	addr_len = n ? (int)(2 + 1 + n) : 0;
}

static int ctl_connect(void)
{
	int fd;

	if (!addr_len)
		return -1;
	fd = (int)sys_call3(__NR_socket, AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC,
			    0);
	if (fd < 0)
		return -1;
	if (sys_call3(__NR_connect, fd, &addr, addr_len)) {
		sys_close(fd);
		return -1;
	}
	return fd;
}

static long send_all(int fd, const void *buf, size_t len)
{
	return sys_call6(__NR_sendto, fd, (long)buf, (long)len, MSG_NOSIGNAL, 0,
			 0);
}

/* The kernel's struct iovec and struct msghdr, for sendmsg/recvmsg. */
struct k_iovec {
	const void *base;
	size_t len;
};

struct k_msghdr {
	void *name;
	uint32_t namelen, pad0;
	struct k_iovec *iov;
	size_t iovlen;
	void *control;
	size_t controllen;
	int32_t flags, pad1;
};

/* recvmsg of one packet with room for two SCM_RIGHTS descriptors. */
long ctl_recv_packet(int fd, void *buf, size_t len, int rfd[2])
{
	struct {
		uint64_t len;
		int32_t level, type;
		int32_t fd[2];
	} cmsg = { 0 };
	struct k_iovec iov = { buf, len };
	struct k_msghdr mh = { 0, 0, 0, &iov, 1, &cmsg, sizeof(cmsg), 0, 0 };
	long n;

	do
		n = sys_call3(__NR_recvmsg, fd, &mh, MSG_CMSG_CLOEXEC);
	while (n == -EINTR);
	if (!rfd)
		return n;
	rfd[0] = rfd[1] = -1;
	if (mh.controllen < 20 || cmsg.level != SOL_SOCKET ||
	    cmsg.type != SCM_RIGHTS)
		return n;
	rfd[0] = cmsg.fd[0];
	if (cmsg.len >= 24)
		rfd[1] = cmsg.fd[1];
	return n;
}

int ctl_request_fds(struct ttd_ctl_msg *m, int rfd[2])
{
	struct ttd_ctl_msg reply;
	int fd = ctl_connect();
	long n;

	if (rfd)
		rfd[0] = rfd[1] = -1;
	if (fd < 0)
		return -1;
	if (send_all(fd, m, sizeof(*m) + m->len) !=
	    (long)(sizeof(*m) + m->len)) {
		sys_close(fd);
		return -1;
	}
	n = ctl_recv_packet(fd, &reply, sizeof(reply), rfd);
	sys_close(fd);
	return n == sizeof(reply) && reply.type == TTD_CTL_READY ? 0 : -1;
}

long ctl_send_packet(int fd, const void *buf, size_t len, int pass)
{
	struct {
		uint64_t len;
		int32_t level, type;
		int32_t fd, pad;
	} cmsg = { 20, SOL_SOCKET, SCM_RIGHTS, pass, 0 };
	struct k_iovec iov = { buf, len };
	struct k_msghdr mh = { .iov = &iov, .iovlen = 1 };
	long n;

	if (pass >= 0) {
		mh.control = &cmsg;
		mh.controllen = sizeof(cmsg);
	}
	do
		n = sys_call3(__NR_sendmsg, fd, &mh, MSG_NOSIGNAL);
	while (n == -EINTR);
	return n;
}

int ctl_request(struct ttd_ctl_msg *m)
{
	return ctl_request_fds(m, NULL);
}

void ctl_send_text(int type, const char *text, int len)
{
	static char buf[sizeof(struct ttd_ctl_msg) + TTD_CTL_MAX_TEXT];
	struct ttd_ctl_msg *m = (struct ttd_ctl_msg *)buf;
	int fd;

	if (len > TTD_CTL_MAX_TEXT)
		len = TTD_CTL_MAX_TEXT;
	fd = ctl_connect();
	if (fd < 0) {
		/* No supervisor: the process's own stderr is all there is. */
		sys_write(2, text, len);
		return;
	}
	memset(m, 0, sizeof(*m));
	m->type = (uint32_t)type;
	m->pid = (int)sys_getpid();
	m->tid = (int)sys_gettid();
	m->len = (uint32_t)len;
	memcpy(m->text, text, len);
	send_all(fd, m, sizeof(*m) + len);
	sys_close(fd);
}

void ctl_log(const char *text, int len)
{
	ctl_send_text(TTD_CTL_LOG, text, len);
}
