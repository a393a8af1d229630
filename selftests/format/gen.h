/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Deterministic event content for the format tests: event k of stream s
 * is a pure function of (seed, s, k), so a reader can check every byte it
 * gets back without keeping a copy.
 */
#ifndef TTD_SELFTEST_FORMAT_GEN_H
#define TTD_SELFTEST_FORMAT_GEN_H

#include <stdint.h>
#include <string.h>

static inline uint64_t splitmix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

struct gen_ev {
	uint16_t type;
	uint64_t icount;
	uint32_t len;
};

/* Instruction counts grow, sometimes staying put between two events. */
static inline uint64_t gen_icount(uint64_t seed, uint32_t s, uint64_t k)
{
	uint64_t odd = (k & 1) * (splitmix(seed + s + k) & 1) * 5;

	return (k / 2) * 37 + odd;
}

/*
 * A mix shaped like a recorder's: mostly small syscall/rdtsc records,
 * some medium (read buffers), rarely big.  big_every = 0 disables big.
 */
static inline void gen_event(uint64_t seed, uint32_t s, uint64_t k,
			     uint32_t big_every, struct gen_ev *e)
{
	uint64_t r = splitmix(seed * 31 + ((uint64_t)s << 40) + k);

	e->icount = gen_icount(seed, s, k);
	switch (r % 8) {
	case 0:
	case 1:
	case 2:
		e->type = 35; /* rdtsc */
		e->len = 8;
		break;
	case 3:
	case 4:
	case 5:
		e->type = 32; /* syscall */
		e->len = 24 + (r >> 8) % 40;
		break;
	case 6:
		e->type = 33; /* syscall_mem */
		e->len = (r >> 8) % 600;
		break;
	default:
		e->type = 49;
		e->len = 16;
		break;
	}
	if (big_every && k % big_every == big_every - 1)
		e->len = 20000 + (r >> 16) % 40000;
}

/* Payload: a counter-like prefix and a partly repetitive body. */
static inline void gen_payload(uint64_t seed, uint32_t s, uint64_t k,
			       uint8_t *p, uint32_t len)
{
	uint64_t x = splitmix(seed ^ ((uint64_t)s << 32) ^ (k << 1));

	for (uint32_t i = 0; i < len; i++) {
		if (i < 8)
			p[i] = (uint8_t)((k * 40503u) >> (8 * i));
		else if ((i & 15) < 4)
			p[i] = (uint8_t)(x >> ((i & 7) * 8));
		else
			p[i] = (uint8_t)(s + (i & 0x3f));
		if ((i & 63) == 63)
			x = splitmix(x);
	}
}

#endif
