// SPDX-License-Identifier: GPL-2.0
/*
 * x86-64 target description and register layout (see tdesc.h).
 *
 * gdb identifies registers by feature and name, and numbers them in the
 * order the description lists them; the 'g' packet is the concatenation
 * of all of them in that order.  Both come from the runs below.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tdesc.h"

enum feature {
	F_CORE,
	F_SSE,
	F_LINUX,
	F_SEGMENTS,
	F_AVX,
	F_AVX512,
	F_COUNT,
};

static const char *const feature_names[F_COUNT] = {
	[F_CORE] = "org.gnu.gdb.i386.core",
	[F_SSE] = "org.gnu.gdb.i386.sse",
	[F_LINUX] = "org.gnu.gdb.i386.linux",
	[F_SEGMENTS] = "org.gnu.gdb.i386.segments",
	[F_AVX] = "org.gnu.gdb.i386.avx",
	[F_AVX512] = "org.gnu.gdb.i386.avx512",
};

/* A run of registers named fmt % (first .. first + count - 1). */
struct run {
	const char *fmt;
	int first, count, bits;
	size_t offset, stride;
	const char *type, *group;
	enum feature feature;
};

#define R(name, field, bits, type, group, feat)                             \
	{                                                                   \
		name, 0, 1, bits, offsetof(struct gdbs_x86_regs, field), 0, \
			type, group, feat                                   \
	}
#define RN(fmt, first, n, field, bits, stride, type, feat)                  \
	{                                                                   \
		fmt, first, n, bits, offsetof(struct gdbs_x86_regs, field), \
			stride, type, NULL, feat                            \
	}

static const struct run runs[] = {
	R("rax", rax, 64, "int64", NULL, F_CORE),
	R("rbx", rbx, 64, "int64", NULL, F_CORE),
	R("rcx", rcx, 64, "int64", NULL, F_CORE),
	R("rdx", rdx, 64, "int64", NULL, F_CORE),
	R("rsi", rsi, 64, "int64", NULL, F_CORE),
	R("rdi", rdi, 64, "int64", NULL, F_CORE),
	R("rbp", rbp, 64, "data_ptr", NULL, F_CORE),
	R("rsp", rsp, 64, "data_ptr", NULL, F_CORE),
	RN("r%d", 8, 8, r8, 64, 8, "int64", F_CORE),
	R("rip", rip, 64, "code_ptr", NULL, F_CORE),
	R("eflags", eflags, 32, "x86_eflags", NULL, F_CORE),
	R("cs", cs, 32, "int32", NULL, F_CORE),
	R("ss", ss, 32, "int32", NULL, F_CORE),
	R("ds", ds, 32, "int32", NULL, F_CORE),
	R("es", es, 32, "int32", NULL, F_CORE),
	R("fs", fs, 32, "int32", NULL, F_CORE),
	R("gs", gs, 32, "int32", NULL, F_CORE),
	RN("st%d", 0, 8, st, 80, 10, "i387_ext", F_CORE),
	R("fctrl", fctrl, 32, "int", "float", F_CORE),
	R("fstat", fstat, 32, "int", "float", F_CORE),
	R("ftag", ftag, 32, "int", "float", F_CORE),
	R("fiseg", fiseg, 32, "int", "float", F_CORE),
	R("fioff", fioff, 32, "int", "float", F_CORE),
	R("foseg", foseg, 32, "int", "float", F_CORE),
	R("fooff", fooff, 32, "int", "float", F_CORE),
	R("fop", fop, 32, "int", "float", F_CORE),
	RN("xmm%d", 0, 16, xmm, 128, 16, "vec128", F_SSE),
	R("mxcsr", mxcsr, 32, "x86_mxcsr", "vector", F_SSE),
	R("orig_rax", orig_rax, 64, "int", "system", F_LINUX),
	R("fs_base", fs_base, 64, "int", NULL, F_SEGMENTS),
	R("gs_base", gs_base, 64, "int", NULL, F_SEGMENTS),
	RN("ymm%dh", 0, 16, ymmh, 128, 16, "uint128", F_AVX),
	RN("xmm%d", 16, 16, xmm[16], 128, 16, "vec128", F_AVX512),
	RN("ymm%dh", 16, 16, ymmh[16], 128, 16, "uint128", F_AVX512),
	RN("k%d", 0, 8, k, 64, 8, "uint64", F_AVX512),
	RN("zmm%dh", 0, 32, zmmh, 256, 32, "v2ui128", F_AVX512),
};

int gdbs_reg_table(struct gdbs_reg *regs, bool avx512)
{
	int n = 0;

	for (size_t i = 0; i < sizeof(runs) / sizeof(runs[0]); i++) {
		const struct run *r = &runs[i];

		if (r->feature == F_AVX512 && !avx512)
			continue;
		for (int j = 0; j < r->count; j++, n++) {
			snprintf(regs[n].name, sizeof(regs[n].name), r->fmt,
				 r->first + j);
			regs[n].bits = r->bits;
			regs[n].offset = r->offset + j * r->stride;
			regs[n].type = r->type;
			regs[n].group = r->group;
			regs[n].feature = r->feature;
		}
	}
	return n;
}

size_t gdbs_regs_size(const struct gdbs_reg *regs, int n)
{
	size_t size = 0;

	for (int i = 0; i < n; i++)
		size += regs[i].bits / 8;
	return size;
}

struct bit_field {
	const char *name;
	int bit;
};

static const struct bit_field eflags_bits[] = {
	{ "CF", 0 },   { "", 1 },    { "PF", 2 },  { "AF", 4 },	 { "ZF", 6 },
	{ "SF", 7 },   { "TF", 8 },  { "IF", 9 },  { "DF", 10 }, { "OF", 11 },
	{ "NT", 14 },  { "RF", 16 }, { "VM", 17 }, { "AC", 18 }, { "VIF", 19 },
	{ "VIP", 20 }, { "ID", 21 }, { NULL, 0 },
};

static const struct bit_field mxcsr_bits[] = {
	{ "IE", 0 },  { "DE", 1 },  { "ZE", 2 },  { "OE", 3 },	{ "UE", 4 },
	{ "PE", 5 },  { "DAZ", 6 }, { "IM", 7 },  { "DM", 8 },	{ "ZM", 9 },
	{ "OM", 10 }, { "UM", 11 }, { "PM", 12 }, { "FZ", 15 }, { NULL, 0 },
};

static void put_flags(FILE *f, const char *id, const struct bit_field *b)
{
	fprintf(f, "<flags id=\"%s\" size=\"4\">\n", id);
	for (; b->name; b++)
		fprintf(f, "<field name=\"%s\" start=\"%d\" end=\"%d\"/>\n",
			b->name, b->bit, b->bit);
	fputs("</flags>\n", f);
}

/* The views of a 128-bit vector register that gdb offers the user. */
static void put_vec128(FILE *f)
{
	static const char *const v[][3] = {
		{ "v4f", "ieee_single", "4" }, { "v2d", "ieee_double", "2" },
		{ "v16i8", "int8", "16" },     { "v8i16", "int16", "8" },
		{ "v4i32", "int32", "4" },     { "v2i64", "int64", "2" },
	};
	static const char *const u[][2] = {
		{ "v4_float", "v4f" },	  { "v2_double", "v2d" },
		{ "v16_int8", "v16i8" },  { "v8_int16", "v8i16" },
		{ "v4_int32", "v4i32" },  { "v2_int64", "v2i64" },
		{ "uint128", "uint128" },
	};

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		fprintf(f, "<vector id=\"%s\" type=\"%s\" count=\"%s\"/>\n",
			v[i][0], v[i][1], v[i][2]);
	fputs("<union id=\"vec128\">\n", f);
	for (size_t i = 0; i < sizeof(u) / sizeof(u[0]); i++)
		fprintf(f, "<field name=\"%s\" type=\"%s\"/>\n", u[i][0],
			u[i][1]);
	fputs("</union>\n", f);
}

/* Types are scoped to the feature that defines them. */
static void put_types(FILE *f, int feature)
{
	switch (feature) {
	case F_CORE:
		put_flags(f, "x86_eflags", eflags_bits);
		break;
	case F_SSE:
		put_vec128(f);
		put_flags(f, "x86_mxcsr", mxcsr_bits);
		break;
	case F_AVX512:
		put_vec128(f);
		fputs("<vector id=\"v2ui128\" type=\"uint128\" count=\"2\"/>\n",
		      f);
		break;
	}
}

static void put_reg(FILE *f, const struct gdbs_reg *r, int regnum)
{
	fprintf(f, "<reg name=\"%s\" bitsize=\"%u\" type=\"%s\" regnum=\"%d\"",
		r->name, r->bits, r->type, regnum);
	if (r->group)
		fprintf(f, " group=\"%s\"", r->group);
	fputs("/>\n", f);
}

char *gdbs_tdesc_xml(const struct gdbs_reg *regs, int n, size_t *len)
{
	char *xml = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&xml, &size);
	int feature = -1, bad;

	if (!f)
		return NULL;
	fputs("<?xml version=\"1.0\"?>\n"
	      "<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n"
	      "<target version=\"1.0\">\n"
	      "<architecture>i386:x86-64</architecture>\n"
	      "<osabi>GNU/Linux</osabi>\n",
	      f);
	for (int i = 0; i < n; i++) {
		if (regs[i].feature != feature) {
			if (feature >= 0)
				fputs("</feature>\n", f);
			feature = regs[i].feature;
			fprintf(f, "<feature name=\"%s\">\n",
				feature_names[feature]);
			put_types(f, feature);
		}
		put_reg(f, &regs[i], i);
	}
	if (feature >= 0)
		fputs("</feature>\n", f);
	fputs("</target>\n", f);
	bad = ferror(f);
	if (fclose(f) || bad) {
		free(xml);
		return NULL;
	}
	*len = size;
	return xml;
}
