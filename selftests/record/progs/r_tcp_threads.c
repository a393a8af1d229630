// SPDX-License-Identifier: GPL-2.0
/*
 * A loopback TCP server and client in one process, on threads: the
 * ephemeral port, the client's port, and random data echoed back.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

static int lfd;

static void *server(void *arg)
{
	struct sockaddr_in peer;
	socklen_t len = sizeof(peer);
	char buf[1024];
	ssize_t n;
	int c;

	(void)arg;
	c = accept(lfd, (struct sockaddr *)&peer, &len);
	if (c < 0)
		return NULL;
	printf("server: connection from port %d\n", ntohs(peer.sin_port));
	while ((n = read(c, buf, sizeof(buf))) > 0)
		if (write(c, buf, n) != n)
			break;
	close(c);
	return NULL;
}

int main(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	unsigned char msg[48], back[48];
	size_t got = 0;
	pthread_t t;
	int c;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&a, sizeof(a)) ||
	    listen(lfd, 1) || getsockname(lfd, (struct sockaddr *)&a, &len))
		return 1;
	printf("listening on port %d\n", ntohs(a.sin_port));
	fflush(stdout);
	if (pthread_create(&t, NULL, server, NULL))
		return 1;
	c = socket(AF_INET, SOCK_STREAM, 0);
	if (c < 0 || connect(c, (struct sockaddr *)&a, sizeof(a)))
		return 1;
	if (getrandom(msg, sizeof(msg), 0) != sizeof(msg) ||
	    write(c, msg, sizeof(msg)) != sizeof(msg))
		return 1;
	while (got < sizeof(back)) {
		ssize_t n = read(c, back + got, sizeof(back) - got);

		if (n <= 0)
			return 1;
		got += n;
	}
	close(c);
	pthread_join(t, NULL);
	printf("echoed:");
	for (size_t i = 0; i < got; i++)
		printf("%02x", back[i]);
	printf("\n");
	return 0;
}
