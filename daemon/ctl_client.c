// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "ctl_client.h"

const char *ctl_socket_path(void)
{
	const char *env = getenv("TTD_SOCKET");

	return env && *env ? env : TTD_CTL_DEFAULT_SOCKET;
}

int ctl_connect(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd, err;

	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

int ctl_send(int sock, struct ctl_msg *m, int pass_fd)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} ctrl;
	struct iovec iov = { .iov_base = m->buf, .iov_len = m->len };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *c;
	ssize_t n;

	if (ctl_msg_finish(m))
		return -EMSGSIZE;
	if (pass_fd >= 0) {
		memset(&ctrl, 0, sizeof(ctrl));
		mh.msg_control = ctrl.buf;
		mh.msg_controllen = sizeof(ctrl.buf);
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &pass_fd, sizeof(int));
	}
	do
		n = sendmsg(sock, &mh, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return 0;
}

int ctl_recv(int sock, void *buf, struct ttd_ctl_hdr *hdr, const char **why)
{
	ssize_t n;
	int err;

	do
		n = recv(sock, buf, TTD_CTL_MAX_MSG, MSG_TRUNC);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if (n == 0) {
		*why = "ttdd closed the connection";
		return -ECONNRESET;
	}
	err = ctl_check_hdr(buf, n, hdr, why);
	return err ? err : (int)hdr->len;
}

int ctl_reply_error(const void *payload, size_t len, const char **msg)
{
	struct ctl_iter it;
	struct ctl_attr a;
	uint32_t e = EIO;

	*msg = NULL;
	ctl_iter_init(&it, payload, len);
	while (ctl_iter_next(&it, &a) > 0) {
		if (a.type == TTD_CTL_A_ERRNO)
			ctl_attr_u32(&a, &e);
		else if (a.type == TTD_CTL_A_MSG)
			*msg = ctl_attr_str(&a);
	}
	if (!*msg)
		*msg = strerror(e);
	return e;
}
