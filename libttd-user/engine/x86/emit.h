/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Byte emitters for the few instruction forms the translator generates.
 * All engine-state accesses are GS-relative absolute addresses
 * ([disp32] through a SIB byte with no base and no index), so generated
 * code needs no free register to reach the thread's state.
 */
#ifndef TTD_X86_EMIT_H
#define TTD_X86_EMIT_H

#include <stdint.h>
#include "../lib.h"

struct emit {
	uint8_t *p; /* where the next byte goes (its final address) */
	uint8_t *end;
};

enum { RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI };

static inline void emit_u8(struct emit *e, uint8_t b)
{
	if (e->p >= e->end)
		fatal("translation buffer overflow");
	*e->p++ = b;
}

static inline void emit_u32(struct emit *e, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		emit_u8(e, v >> (8 * i));
}

static inline void emit_u64(struct emit *e, uint64_t v)
{
	emit_u32(e, (uint32_t)v);
	emit_u32(e, (uint32_t)(v >> 32));
}

static inline void emit_bytes(struct emit *e, const uint8_t *b, int n)
{
	while (n--)
		emit_u8(e, *b++);
}

/* op gs:[disp], reg  /  op reg, gs:[disp] with a 64-bit register. */
static inline void emit_gs_op(struct emit *e, uint8_t op, int reg,
			      uint32_t disp)
{
	emit_u8(e, 0x65);
	emit_u8(e, 0x48 | (reg >= 8 ? 4 : 0));
	emit_u8(e, op);
	emit_u8(e, ((reg & 7) << 3) | 4);
	emit_u8(e, 0x25);
	emit_u32(e, disp);
}

static inline void emit_store_gs(struct emit *e, uint32_t disp, int reg)
{
	emit_gs_op(e, 0x89, reg, disp);
}

static inline void emit_load_gs(struct emit *e, int reg, uint32_t disp)
{
	emit_gs_op(e, 0x8b, reg, disp);
}

/* add qword gs:[disp], imm32 (clobbers flags). */
static inline void emit_add_gs_imm(struct emit *e, uint32_t disp, int32_t imm)
{
	int small = imm >= -128 && imm < 128;

	emit_u8(e, 0x65);
	emit_u8(e, 0x48);
	emit_u8(e, small ? 0x83 : 0x81);
	emit_u8(e, 0x04);
	emit_u8(e, 0x25);
	emit_u32(e, disp);
	if (small)
		emit_u8(e, (uint8_t)imm);
	else
		emit_u32(e, (uint32_t)imm);
}

/* lea reg, [reg + disp32] (flags untouched). */
static inline void emit_lea_disp(struct emit *e, int reg, int32_t disp)
{
	emit_u8(e, 0x48 | (reg >= 8 ? 5 : 0));
	emit_u8(e, 0x8d);
	if ((reg & 7) == RSP) {
		emit_u8(e, 0x80 | ((reg & 7) << 3) | 4);
		emit_u8(e, 0x24);
	} else {
		emit_u8(e, 0x80 | ((reg & 7) << 3) | (reg & 7));
	}
	emit_u32(e, (uint32_t)disp);
}

/* mov reg, imm64 */
static inline void emit_mov_imm64(struct emit *e, int reg, uint64_t v)
{
	emit_u8(e, 0x48);
	emit_u8(e, 0xb8 + (reg & 7));
	emit_u64(e, v);
}

static inline int32_t rel32_to(struct emit *e, int insn_len, uintptr_t to)
{
	intptr_t d = (intptr_t)to - (intptr_t)(e->p + insn_len);

	if (d != (int32_t)d)
		fatal("branch out of rel32 reach: %p -> %p", (void *)e->p,
		      (void *)to);
	return (int32_t)d;
}

/* lea reg, [rip + to] */
static inline void emit_lea_rip(struct emit *e, int reg, uintptr_t to)
{
	int32_t d = to ? rel32_to(e, 7, to) : 0;

	emit_u8(e, 0x48 | (reg >= 8 ? 4 : 0));
	emit_u8(e, 0x8d);
	emit_u8(e, ((reg & 7) << 3) | 5);
	emit_u32(e, (uint32_t)d);
}

/* Pad with nops so that a rel32 that starts 'at' bytes into the next
 * instruction is 4-byte aligned: linking must be one atomic store. */
static inline void emit_align_rel32(struct emit *e, int at)
{
	static const uint8_t nops[4][4] = {
		{ 0 },
		{ 0x90 },
		{ 0x66, 0x90 },
		{ 0x0f, 0x1f, 0x00 },
	};
	int pad = (4 - (((uintptr_t)e->p + at) & 3)) & 3;

	emit_bytes(e, nops[pad], pad);
}

/* jmp rel32, aligned; returns the address of the rel32 field.  A zero
 * 'to' leaves the field for patch_rel32(). */
static inline uint8_t *emit_jmp32(struct emit *e, uintptr_t to)
{
	uint8_t *field;

	emit_align_rel32(e, 1);
	emit_u8(e, 0xe9);
	field = e->p;
	emit_u32(e, to ? (uint32_t)rel32_to(e, 4, to) : 0);
	return field;
}

/* jcc rel32 (cc = low nibble), aligned; returns the rel32 field. */
static inline uint8_t *emit_jcc32(struct emit *e, int cc, uintptr_t to)
{
	uint8_t *field;

	emit_align_rel32(e, 2);
	emit_u8(e, 0x0f);
	emit_u8(e, 0x80 | cc);
	field = e->p;
	emit_u32(e, to ? (uint32_t)rel32_to(e, 4, to) : 0);
	return field;
}

static inline void patch_rel32(uint8_t *field, uintptr_t to)
{
	intptr_t d = (intptr_t)to - (intptr_t)(field + 4);

	if (d != (int32_t)d)
		fatal("link out of rel32 reach");
	__atomic_store_n((int32_t *)field, (int32_t)d, __ATOMIC_RELEASE);
}

#endif
