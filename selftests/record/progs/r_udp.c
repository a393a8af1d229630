// SPDX-License-Identifier: GPL-2.0
/* UDP datagrams of random sizes on loopback, with sender ports. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET }, from;
	socklen_t len = sizeof(a);
	unsigned char buf[1500];
	unsigned short sizes[8];
	int r, s;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	r = socket(AF_INET, SOCK_DGRAM, 0);
	s = socket(AF_INET, SOCK_DGRAM, 0);
	if (r < 0 || s < 0 || bind(r, (struct sockaddr *)&a, sizeof(a)) ||
	    getsockname(r, (struct sockaddr *)&a, &len))
		return 1;
	printf("receiver port %d\n", ntohs(a.sin_port));
	if (getrandom(sizes, sizeof(sizes), 0) != sizeof(sizes))
		return 1;
	for (int i = 0; i < 8; i++) {
		size_t n = sizes[i] % sizeof(buf) + 1;

		if (getrandom(buf, n, 0) != (ssize_t)n ||
		    sendto(s, buf, n, 0, (struct sockaddr *)&a, sizeof(a)) < 0)
			return 1;
	}
	for (int i = 0; i < 8; i++) {
		ssize_t n;

		len = sizeof(from);
		n = recvfrom(r, buf, sizeof(buf), 0, (struct sockaddr *)&from,
			     &len);
		if (n <= 0)
			return 1;
		printf("datagram %d: %zd bytes from port %d, first %02x\n", i,
		       n, ntohs(from.sin_port), buf[0]);
	}
	close(r);
	close(s);
	return 0;
}
