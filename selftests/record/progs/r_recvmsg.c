// SPDX-License-Identifier: GPL-2.0
/*
 * recvmsg in a thread that blocks while the sender thread runs: random
 * payloads in two buffers, a sender address, and a descriptor passed
 * with SCM_RIGHTS whose contents the receiver then reads.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

static int sv[2];

static void *sender(void *arg)
{
	unsigned char buf[300];
	int p[2];

	(void)arg;
	if (pipe(p) || getrandom(buf, sizeof(buf), 0) != sizeof(buf))
		return NULL;
	dprintf(p[1], "through a passed pipe: %u\n", buf[0]);
	close(p[1]);
	for (int i = 0; i < 4; i++) {
		char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
		struct iovec iov = { buf, 20 + buf[i] % 200 };
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
		if (i == 2) {
			struct cmsghdr *c;
			mh.msg_control = cbuf;
			mh.msg_controllen = sizeof(cbuf);
			c = CMSG_FIRSTHDR(&mh);
			c->cmsg_level = SOL_SOCKET;
			c->cmsg_type = SCM_RIGHTS;
			c->cmsg_len = CMSG_LEN(sizeof(int));
			memcpy(CMSG_DATA(c), &p[0], sizeof(int));
		}
		usleep(buf[i] * 10);
		if (sendmsg(sv[0], &mh, 0) < 0)
			break;
	}
	close(p[0]);
	shutdown(sv[0], SHUT_WR);
	return NULL;
}

int main(void)
{
	unsigned char a[64], b[512];
	unsigned long sum = 0;
	pthread_t t;
	ssize_t n;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) ||
	    pthread_create(&t, NULL, sender, NULL))
		return 1;
	for (;;) {
		char cbuf[CMSG_SPACE(sizeof(int))];
		struct iovec iov[2] = { { a, sizeof(a) }, { b, sizeof(b) } };
		struct msghdr mh = { .msg_iov = iov,
				     .msg_iovlen = 2,
				     .msg_control = cbuf,
				     .msg_controllen = sizeof(cbuf) };
		struct cmsghdr *c;

		n = recvmsg(sv[1], &mh, 0);
		if (n <= 0)
			break;
		for (ssize_t i = 0; i < n; i++)
			sum = sum * 131 + (i < 64 ? a[i] : b[i - 64]);
		printf("got %zd bytes, control %zu, flags %d\n", n,
		       (size_t)mh.msg_controllen, mh.msg_flags);
		c = mh.msg_controllen ? CMSG_FIRSTHDR(&mh) : NULL;
		if (c && c->cmsg_type == SCM_RIGHTS) {
			char line[80] = { 0 };
			int fd;
			memcpy(&fd, CMSG_DATA(c), sizeof(fd));
			if (read(fd, line, sizeof(line) - 1) > 0)
				printf("%s", line);
			close(fd);
		}
	}
	pthread_join(t, NULL);
	printf("checksum %016lx\n", sum);
	return 0;
}
