// SPDX-License-Identifier: GPL-2.0
/*
 * A loopback TCP server in the parent and a client in a forked child:
 * the child sends random numbers, the server sums them and replies.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	unsigned int nums[16], sum = 0;
	int lfd, c, status;
	size_t got = 0;
	pid_t pid;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&a, sizeof(a)) ||
	    listen(lfd, 1) || getsockname(lfd, (struct sockaddr *)&a, &len))
		return 1;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		c = socket(AF_INET, SOCK_STREAM, 0);
		if (c < 0 || connect(c, (struct sockaddr *)&a, sizeof(a)))
			_exit(1);
		if (getrandom(nums, sizeof(nums), 0) != sizeof(nums) ||
		    write(c, nums, sizeof(nums)) != sizeof(nums))
			_exit(1);
		if (read(c, &sum, sizeof(sum)) != sizeof(sum))
			_exit(1);
		printf("client %d: server says sum %08x\n", getpid(), sum);
		_exit(0);
	}
	c = accept(lfd, NULL, NULL);
	if (c < 0)
		return 1;
	while (got < sizeof(nums)) {
		ssize_t n = read(c, (char *)nums + got, sizeof(nums) - got);

		if (n <= 0)
			return 1;
		got += n;
	}
	for (int i = 0; i < 16; i++)
		sum += nums[i];
	if (write(c, &sum, sizeof(sum)) != sizeof(sum))
		return 1;
	waitpid(pid, &status, 0);
	printf("server on port %d: sum %08x, client status %d\n",
	       ntohs(a.sin_port), sum, status);
	close(c);
	close(lfd);
	return 0;
}
