// SPDX-License-Identifier: GPL-2.0
/* CPU identification for the file header (x86-64). */
#include <cpuid.h>
#include <string.h>

#include "cpu_x86.h"

static void query(uint32_t leaf, uint32_t sub, struct ttd_cpuid_leaf *l)
{
	unsigned int a, b, c, d;

	__cpuid_count(leaf, sub, a, b, c, d);
	l->leaf = leaf;
	l->subleaf = sub;
	l->eax = a;
	l->ebx = b;
	l->ecx = c;
	l->edx = d;
}

void cpu_identify(char vendor[16], uint32_t *family, uint32_t *model,
		  uint32_t *stepping)
{
	struct ttd_cpuid_leaf l;
	uint32_t fam;

	query(0, 0, &l);
	memset(vendor, 0, 16);
	memcpy(vendor, &l.ebx, 4);
	memcpy(vendor + 4, &l.edx, 4);
	memcpy(vendor + 8, &l.ecx, 4);
	query(1, 0, &l);
	fam = (l.eax >> 8) & 0xf;
	*model = (l.eax >> 4) & 0xf;
	if (fam == 0xf)
		fam += (l.eax >> 20) & 0xff;
	if (fam == 0x6 || fam >= 0xf)
		*model |= ((l.eax >> 16) & 0xf) << 4;
	*family = fam;
	*stepping = l.eax & 0xf;
}

unsigned int cpu_default_leaves(struct ttd_cpuid_leaf *out, unsigned int max)
{
	static const uint32_t want[][2] = {
		{ 0, 0 },	   { 1, 0 },	      { 7, 0 },
		{ 7, 1 },	   { 0xd, 0 },	      { 0xd, 1 },
		{ 0x80000000, 0 }, { 0x80000001, 0 }, { 0x80000007, 0 },
		{ 0x80000008, 0 },
	};
	struct ttd_cpuid_leaf l;
	uint32_t maxb, maxe;
	unsigned int n = 0;

	query(0, 0, &l);
	maxb = l.eax;
	query(0x80000000, 0, &l);
	maxe = l.eax;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]) && n < max; i++) {
		uint32_t leaf = want[i][0];

		if (leaf < 0x80000000 ? leaf > maxb : leaf > maxe)
			continue;
		query(leaf, want[i][1], &out[n++]);
	}
	return n;
}
