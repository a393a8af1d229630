// SPDX-License-Identifier: GPL-2.0
/*
 * empty_switch: attach an empty sched_switch BPF program (empty.bpf.c),
 * print "ready", and keep it attached until standard input is closed.
 * The benchmark runs the ping-pong meanwhile to measure what merely
 * having a program on that tracepoint costs on this kernel.
 */
#include <stdio.h>
#include <unistd.h>

#include "empty.skel.h"

int main(void)
{
	struct empty *e = empty__open_and_load();
	char c;

	if (!e || empty__attach(e)) {
		fprintf(stderr, "empty_switch: cannot load or attach\n");
		empty__destroy(e);
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	while (read(0, &c, 1) > 0)
		;
	empty__destroy(e);
	return 0;
}
