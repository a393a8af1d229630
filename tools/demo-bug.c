// SPDX-License-Identifier: GPL-2.0
/*
 * The record/replay demo: a "parser" that copies a field of random
 * length into a fixed buffer.  Most runs are fine; about one in four
 * overflows into the handler stored after the buffer, and the program
 * crashes later, far from the bug, when it calls the handler.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

struct handler {
	char name[16];
	void (*fn)(const char *msg);
};

struct message {
	char field[32];
	struct handler h;
};

static void greet(const char *msg)
{
	printf("handler got %zu bytes\n", strlen(msg));
}

static void parse(struct message *m, const unsigned char *in, size_t len)
{
	memcpy(m->field, in, len); /* the bug: len may exceed the field */
	m->field[sizeof(m->field) - 1] = '\0';
}

int main(void)
{
	unsigned char in[64];
	struct message *m = calloc(1, sizeof(*m));
	struct timespec ts;
	size_t len;

	if (!m || getrandom(in, sizeof(in), 0) != sizeof(in))
		return 1;
	clock_gettime(CLOCK_REALTIME, &ts);
	strcpy(m->h.name, "greeter");
	m->h.fn = greet;
	len = in[0] % 64;
	printf("input at %ld.%09ld: field of %zu bytes\n", (long)ts.tv_sec,
	       ts.tv_nsec, len);
	for (unsigned i = 1; i < sizeof(in); i++)
		in[i] |= 1; /* no NULs: strings run on */
	parse(m, in + 1, len);
	fflush(stdout);
	m->h.fn(m->field);
	return 0;
}
