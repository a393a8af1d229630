// SPDX-License-Identifier: GPL-2.0
/*
 * An off-by-one in fill() overwrites the pointer that follows the array
 * it fills; total() then follows the bad pointer and crashes.
 */
#include <stdio.h>
#include <stdlib.h>

struct node {
	long val;
	struct node *next;
};

struct rec {
	long vals[4];
	struct node *link;
};

static void fill(struct rec *r, long base)
{
	for (int i = 0; i <= 4; i++)
		r->vals[i] = base + i * 1000; /* CORRUPT */
}

static long total(const struct rec *r)
{
	long s = 0;

	for (const struct node *n = r->link; n; n = n->next)
		s += n->val; /* CRASH */
	return s;
}

int main(void)
{
	struct rec *r = calloc(1, sizeof(*r));
	struct node *n = calloc(1, sizeof(*n));

	n->val = 42;
	r->link = n; /* LINK */
	printf("total %ld\n", total(r));
	fill(r, 7);
	printf("vals %ld\n", r->vals[3]);
	printf("total %ld\n", total(r));
	return 0;
}
