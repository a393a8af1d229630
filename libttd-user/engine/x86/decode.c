// SPDX-License-Identifier: GPL-2.0
/*
 * x86-64 instruction decoder: layout, control-flow class, special class and
 * flags effects of one instruction.  See decode.h for the contract and
 * Documentation/engine-decoder.md for how it is verified.
 *
 * The decoder never trusts the input: every byte read is bounds-checked
 * against both 'avail' and the architectural 15-byte limit.
 */
#include "decode.h"

/* Opcode attributes for the legacy maps. */
#define A_M 0x0001 /* has ModRM */
#define A_INV 0x0002 /* invalid in 64-bit mode */
#define A_GRP 0x0004 /* validity or layout depends on ModRM (see code) */
#define A_REL 0x0008 /* immediate is a relative branch target */
#define A_MEM 0x0010 /* ModRM must name memory */
#define A_REG 0x0020 /* ModRM must name a register */
#define A_IMM_SHIFT 8
#define A_IMM(a) (((a) >> A_IMM_SHIFT) & 0xf)
/* Immediate kinds. */
#define I_NONE 0
#define I_B 1 /* imm8 */
#define I_Z 2 /* imm16 with 66, else imm32 */
#define I_V 3 /* imm64 with REX.W, imm16 with 66, else imm32 */
#define I_W 4 /* imm16 */
#define I_ENTER 5 /* imm16 + imm8 */
#define I_MOFFS 6 /* 8-byte address, 4 with 67 */
#define I_D 7 /* imm32 regardless of 66 (near branches) */
#define I_GRP3 8 /* F6/F7: only /0 and /1 take an immediate */

#define M A_M
#define IB (I_B << A_IMM_SHIFT)
#define IZ (I_Z << A_IMM_SHIFT)
#define IV (I_V << A_IMM_SHIFT)
#define IW (I_W << A_IMM_SHIFT)
#define ID (I_D << A_IMM_SHIFT)
#define INV A_INV
#define GRP A_GRP

/*
 * Mandatory-prefix validity for SSE-style opcodes: which of no prefix,
 * 66, F3 and F2 select a defined instruction.  0 means the opcode has no
 * mandatory prefix and any of them is accepted.
 */
#define P_NP 0x1
#define P_66 0x2
#define P_F3 0x4
#define P_F2 0x8
#define P_ALL 0xf
#define P_SSE (P_NP | P_66)

static const uint16_t map0_attr[256] = {
	[0x00 ... 0x03] = M,
	[0x04] = IB,
	[0x05] = IZ,
	[0x06 ... 0x07] = INV,
	[0x08 ... 0x0b] = M,
	[0x0c] = IB,
	[0x0d] = IZ,
	[0x0e] = INV,
	[0x10 ... 0x13] = M,
	[0x14] = IB,
	[0x15] = IZ,
	[0x16 ... 0x17] = INV,
	[0x18 ... 0x1b] = M,
	[0x1c] = IB,
	[0x1d] = IZ,
	[0x1e ... 0x1f] = INV,
	[0x20 ... 0x23] = M,
	[0x24] = IB,
	[0x25] = IZ,
	[0x27] = INV,
	[0x28 ... 0x2b] = M,
	[0x2c] = IB,
	[0x2d] = IZ,
	[0x2f] = INV,
	[0x30 ... 0x33] = M,
	[0x34] = IB,
	[0x35] = IZ,
	[0x37] = INV,
	[0x38 ... 0x3b] = M,
	[0x3c] = IB,
	[0x3d] = IZ,
	[0x3f] = INV,
	[0x60 ... 0x61] = INV,
	[0x63] = M,
	[0x68] = IZ,
	[0x69] = M | IZ,
	[0x6a] = IB,
	[0x6b] = M | IB,
	[0x70 ... 0x7f] = IB | A_REL,
	[0x80] = M | IB,
	[0x81] = M | IZ,
	[0x82] = INV,
	[0x83] = M | IB,
	[0x84 ... 0x8b] = M,
	[0x8c] = M | GRP,
	[0x8d] = M | A_MEM,
	[0x8e] = M | GRP,
	[0x8f] = M | GRP,
	[0x9a] = INV,
	[0xa0 ... 0xa3] = I_MOFFS << A_IMM_SHIFT,
	[0xa8] = IB,
	[0xa9] = IZ,
	[0xb0 ... 0xb7] = IB,
	[0xb8 ... 0xbf] = IV,
	[0xc0 ... 0xc1] = M | IB,
	[0xc2] = IW,
	[0xc6] = M | IB | GRP,
	[0xc7] = M | IZ | GRP,
	[0xc8] = I_ENTER << A_IMM_SHIFT,
	[0xca] = IW,
	[0xcd] = IB,
	[0xce] = INV,
	[0xd0 ... 0xd3] = M,
	[0xd4 ... 0xd6] = INV,
	[0xd8 ... 0xdf] = M | GRP,
	[0xe0 ... 0xe3] = IB | A_REL,
	[0xe4 ... 0xe7] = IB,
	[0xe8 ... 0xe9] = ID | A_REL,
	[0xea] = INV,
	[0xeb] = IB | A_REL,
	[0xf6 ... 0xf7] = M | GRP | (I_GRP3 << A_IMM_SHIFT),
	[0xfe ... 0xff] = M | GRP,
};

/* 0F map: attributes in the low 12 bits, P_* mask in the top 4. */
#define PM(m) ((m) << 12)
static const uint16_t map1_attr[256] = {
	[0x00 ... 0x01] = M | GRP,
	[0x02 ... 0x03] = M,
	[0x04] = INV,
	[0x0a] = INV,
	[0x0c] = INV,
	[0x0d] = M,
	[0x0f] = M | IB,
	[0x10 ... 0x11] = M | PM(P_ALL),
	[0x12] = M | GRP | PM(P_ALL),
	[0x13] = M | A_MEM | PM(P_SSE),
	[0x14 ... 0x15] = M | PM(P_SSE),
	[0x16] = M | GRP | PM(P_SSE | P_F3),
	[0x17] = M | A_MEM | PM(P_SSE),
	[0x18 ... 0x1f] = M,
	[0x20 ... 0x23] = M | A_REG | GRP,
	[0x24 ... 0x27] = INV,
	[0x28 ... 0x29] = M | PM(P_SSE),
	[0x2a] = M | PM(P_ALL),
	[0x2b] = M | A_MEM | PM(P_ALL),
	[0x2c ... 0x2d] = M | PM(P_ALL),
	[0x2e ... 0x2f] = M | PM(P_SSE),
	[0x37] = PM(P_NP),
	[0x36] = INV,
	[0x39] = INV,
	[0x3b ... 0x3f] = INV,
	[0x40 ... 0x4f] = M,
	[0x50] = M | A_REG | PM(P_SSE),
	[0x51] = M | PM(P_ALL),
	[0x52 ... 0x53] = M | PM(P_NP | P_F3),
	[0x54 ... 0x57] = M | PM(P_SSE),
	[0x58 ... 0x5a] = M | PM(P_ALL),
	[0x5b] = M | PM(P_SSE | P_F3),
	[0x5c ... 0x5f] = M | PM(P_ALL),
	[0x60 ... 0x6b] = M | PM(P_SSE),
	[0x6c ... 0x6d] = M | PM(P_66),
	[0x6e] = M | PM(P_SSE),
	[0x6f] = M | PM(P_SSE | P_F3),
	[0x70] = M | IB | PM(P_ALL),
	[0x71 ... 0x73] = M | IB | A_REG | GRP | PM(P_SSE),
	[0x74 ... 0x76] = M | PM(P_SSE),
	[0x77] = PM(P_NP),
	[0x78 ... 0x79] = M | GRP | PM(P_NP | P_66 | P_F2),
	[0x7a ... 0x7b] = INV,
	[0x7c ... 0x7d] = M | PM(P_66 | P_F2),
	[0x7e ... 0x7f] = M | PM(P_SSE | P_F3),
	[0x80 ... 0x8f] = ID | A_REL,
	[0x90 ... 0x9f] = M,
	[0xa3] = M,
	[0xa4] = M | IB,
	[0xa5] = M,
	[0xa6 ... 0xa7] = M | A_REG | GRP,
	[0xab] = M,
	[0xac] = M | IB,
	[0xad] = M,
	[0xae] = M | GRP,
	[0xaf] = M,
	[0xb0 ... 0xb1] = M,
	[0xb2] = M | A_MEM,
	[0xb3] = M,
	[0xb4 ... 0xb5] = M | A_MEM,
	[0xb6 ... 0xb7] = M,
	[0xb8] = M | PM(P_F3),
	[0xb9] = M,
	[0xba] = M | IB | GRP,
	[0xbb ... 0xbf] = M,
	[0xc0 ... 0xc1] = M,
	[0xc2] = M | IB | PM(P_ALL),
	[0xc3] = M | A_MEM | PM(P_NP),
	[0xc4] = M | IB | PM(P_SSE),
	[0xc5] = M | IB | A_REG | PM(P_SSE),
	[0xc6] = M | IB | PM(P_SSE),
	[0xc7] = M | GRP,
	[0xd0] = M | PM(P_66 | P_F2),
	[0xd1 ... 0xd5] = M | PM(P_SSE),
	[0xd6] = M | GRP | PM(P_66 | P_F3 | P_F2),
	[0xd7] = M | A_REG | PM(P_SSE),
	[0xd8 ... 0xe5] = M | PM(P_SSE),
	[0xe6] = M | PM(P_66 | P_F3 | P_F2),
	[0xe7] = M | A_MEM | PM(P_SSE),
	[0xe8 ... 0xef] = M | PM(P_SSE),
	[0xf0] = M | A_MEM | PM(P_F2),
	[0xf1 ... 0xf6] = M | PM(P_SSE),
	[0xf7] = M | A_REG | PM(P_SSE),
	[0xf8 ... 0xfe] = M | PM(P_SSE),
	[0xff] = M,
};

/* 0F 38 and 0F 3A (legacy encoding): P_* masks, 0 = undefined. */
static const uint8_t map2_pfx[256] = {
	[0x00 ... 0x0b] = P_SSE,
	[0x10] = P_66,
	[0x14 ... 0x15] = P_66,
	[0x17] = P_66,
	[0x1c ... 0x1e] = P_SSE,
	[0x20 ... 0x25] = P_66,
	[0x28 ... 0x2b] = P_66,
	[0x30 ... 0x35] = P_66,
	[0x37 ... 0x41] = P_66,
	[0x80 ... 0x82] = P_66,
	[0xc8 ... 0xcd] = P_NP,
	[0xcf] = P_66,
	[0xd8] = P_F3,
	[0xdb] = P_66,
	[0xdc ... 0xdf] = P_66 | P_F3,
	[0xf0 ... 0xf1] = P_NP | P_66 | P_F2,
	[0xf5] = P_66,
	[0xf6] = P_NP | P_66 | P_F3,
	[0xf8] = P_66 | P_F3 | P_F2,
	[0xf9] = P_NP,
	[0xfa ... 0xfb] = P_F3,
};

static const uint8_t map3_pfx[256] = {
	[0x08 ... 0x0e] = P_66, [0x0f] = P_SSE,		[0x14 ... 0x17] = P_66,
	[0x20 ... 0x22] = P_66, [0x40 ... 0x42] = P_66, [0x44] = P_66,
	[0x60 ... 0x63] = P_66, [0xcc] = P_NP,		[0xce ... 0xcf] = P_66,
	[0xdf] = P_66,		[0xf0] = P_F3,
};

/* Condition code (low nibble of jcc/setcc/cmovcc) -> flags it reads. */
static const uint16_t cc_flags[16] = {
	X86_FL_OF,
	X86_FL_OF,
	X86_FL_CF,
	X86_FL_CF,
	X86_FL_ZF,
	X86_FL_ZF,
	X86_FL_CF | X86_FL_ZF,
	X86_FL_CF | X86_FL_ZF,
	X86_FL_SF,
	X86_FL_SF,
	X86_FL_PF,
	X86_FL_PF,
	X86_FL_SF | X86_FL_OF,
	X86_FL_SF | X86_FL_OF,
	X86_FL_ZF | X86_FL_SF | X86_FL_OF,
	X86_FL_ZF | X86_FL_SF | X86_FL_OF,
};

#define FL_NOCF (X86_FL_ALL & ~X86_FL_CF)
#define FL_SHIFT (X86_FL_CF | X86_FL_PF | X86_FL_ZF | X86_FL_SF)
#define FL_LOGIC4 (X86_FL_CF | X86_FL_ZF | X86_FL_SF | X86_FL_OF)

/* Decoding state beyond what struct x86_insn records. */
struct dec {
	const uint8_t *code;
	size_t avail;
	struct x86_insn *in;
	unsigned int pos;
	unsigned int pfx; /* mandatory prefix: 0 none, 1 66, 2 F3, 3 F2 */
	unsigned int rexw;
	unsigned int vex_l; /* VEX.L / EVEX.L'L */
	unsigned int vex_pp;
};

static int fetch(struct dec *d, uint8_t *b)
{
	if (d->pos >= X86_MAX_INSN_LEN)
		return X86_ERR_INVALID;
	if (d->pos >= d->avail)
		return X86_ERR_SHORT;
	*b = d->code[d->pos++];
	return 0;
}

/* Read an n-byte little-endian field at the current position. */
static int fetch_le(struct dec *d, unsigned int n, uint64_t *val)
{
	uint64_t v = 0;
	unsigned int i;
	uint8_t b;
	int err;

	for (i = 0; i < n; i++) {
		err = fetch(d, &b);
		if (err)
			return err;
		v |= (uint64_t)b << (8 * i);
	}
	*val = v;
	return 0;
}

static inline int modrm_mod(const struct x86_insn *in)
{
	return in->modrm >> 6;
}

static inline int modrm_reg(const struct x86_insn *in)
{
	return (in->modrm >> 3) & 7;
}

static inline int modrm_rm(const struct x86_insn *in)
{
	return in->modrm & 7;
}

static int read_modrm(struct dec *d)
{
	struct x86_insn *in = d->in;
	unsigned int at = d->pos;
	int err = fetch(d, &in->modrm);

	if (err)
		return err;
	in->modrm_off = at;
	return 0;
}

/*
 * SIB and displacement after an already read ModRM.  'force_reg' is for
 * mov to/from control and debug registers, which ignore the mod field.
 */
static int read_mem(struct dec *d, int force_reg)
{
	struct x86_insn *in = d->in;
	int mod = modrm_mod(in), rm = modrm_rm(in);
	unsigned int dsize = 0;
	uint64_t v;
	uint8_t sib;
	int err;

	if (mod == 3 || force_reg)
		return 0;
	if (rm == 4) {
		in->sib_off = d->pos;
		err = fetch(d, &sib);
		if (err)
			return err;
		if (mod == 0 && (sib & 7) == 5)
			dsize = 4;
	} else if (mod == 0 && rm == 5) {
		dsize = 4;
		in->rip_rel = 1;
	}
	if (mod == 1)
		dsize = 1;
	else if (mod == 2)
		dsize = 4;
	if (!dsize)
		return 0;
	in->disp_off = d->pos;
	in->disp_size = dsize;
	err = fetch_le(d, dsize, &v);
	if (err)
		return err;
	in->disp = dsize == 1 ? (int8_t)v : (int32_t)v;
	return 0;
}

static int read_imm(struct dec *d, unsigned int size, int rel)
{
	struct x86_insn *in = d->in;
	uint64_t v;
	int err;

	if (!size)
		return 0;
	if (!in->imm_size)
		in->imm_off = d->pos;
	in->imm_size += size;
	err = fetch_le(d, size, &v);
	if (err)
		return err;
	if (rel) {
		if (size == 1)
			in->rel = (int8_t)v;
		else if (size == 2)
			in->rel = (int16_t)v;
		else
			in->rel = (int32_t)v;
	}
	return 0;
}

static unsigned int opsize_z(const struct dec *d)
{
	return (d->in->prefixes & X86_PFX_OPSIZE) && !d->rexw ? 2 : 4;
}

/* ------------------------------------------------------------------ */
/* Validity rules that depend on ModRM.                                */

static int x87_valid(unsigned int op, uint8_t modrm)
{
	unsigned int reg = (modrm >> 3) & 7, lo = modrm & 0x3f;

	if (modrm < 0xc0) {
		switch (op) {
		case 0xd9:
			return reg != 1;
		case 0xdb:
			return reg != 4 && reg != 6;
		case 0xdd:
			return reg != 5;
		default:
			return 1;
		}
	}
	switch (op) {
	case 0xd9:
		/* fld/fxch/fnop, fchs..fxam, constants, transcendentals. */
		return lo <= 0x10 || (lo >= 0x18 && lo < 0x20) || lo == 0x20 ||
		       lo == 0x21 || lo == 0x24 || lo == 0x25 ||
		       (lo >= 0x28 && lo < 0x2f) || lo >= 0x30;
	case 0xda:
		return lo < 0x20 || lo == 0x29;
	case 0xdb:
		/* fcmovn*, feni/fdisi/fnclex/fninit/fsetpm, fucomi/fcomi */
		return lo <= 0x24 || (lo >= 0x28 && lo < 0x38);
	case 0xdd:
		return lo < 0x30;
	case 0xde:
		return lo != 0x18 && !(lo > 0x19 && lo < 0x20);
	case 0xdf:
		return lo < 0x21 || (lo >= 0x28 && lo < 0x38);
	default:
		return 1;
	}
}

/* LOCK is only allowed on read-modify-write instructions to memory. */
static int lock_ok(const struct x86_insn *in)
{
	unsigned int op = in->opcode, reg = modrm_reg(in);

	if (!in->modrm_off || modrm_mod(in) == 3)
		return 0;
	if (in->map == 0) {
		if (op < 0x40 && (op & 7) < 2 && (op & 0x38) != 0x38)
			return 1;
		switch (op) {
		case 0x80:
		case 0x81:
		case 0x83:
			return reg != 7;
		case 0x86:
		case 0x87:
			return 1;
		case 0xf6:
		case 0xf7:
			return reg == 2 || reg == 3;
		case 0xfe:
		case 0xff:
			return reg < 2;
		}
		return 0;
	}
	if (in->map == 1) {
		switch (op) {
		case 0xab:
		case 0xb3:
		case 0xbb:
		case 0xb0:
		case 0xb1:
		case 0xc0:
		case 0xc1:
			return 1;
		case 0xba:
			return reg >= 5;
		case 0xc7:
			return reg == 1;
		}
	}
	return 0;
}

static int grp_valid_map0(struct dec *d)
{
	struct x86_insn *in = d->in;
	int reg = modrm_reg(in), mod = modrm_mod(in);

	switch (in->opcode) {
	case 0x8c:
		return reg < 6;
	case 0x8e:
		return reg < 6 && reg != 1;
	case 0x8f:
		return reg == 0;
	case 0xc6:
	case 0xc7:
		/* mov, or xabort/xbegin encoded as /7 with mod=3, rm=0. */
		return reg == 0 || in->modrm == 0xf8;
	case 0xf6:
	case 0xf7:
		return 1;
	case 0xfe:
		return reg < 2;
	case 0xff:
		if (reg == 7)
			return 0;
		return !((reg == 3 || reg == 5) && mod == 3);
	default:
		return x87_valid(in->opcode, in->modrm);
	}
}

/*
 * 0F 01 with mod = 3 encodes one instruction per ModRM byte (vmcall,
 * monitor, xgetbv, swapgs, rdtscp, serialize, ...).  Bit n says whether
 * ModRM 0xc0 + n is defined, per mandatory prefix (none, 66, F3, F2).
 */
static const uint64_t grp7_reg_valid[4] = {
	0xffffc1fffff38f3full,
	0x33ff00ffff00f000ull,
	0xf7fff5ffff000000ull,
	0xf3ff03ffff000000ull,
};

/* 3DNow! instructions are selected by an imm8 after the operands. */
static int amd3dnow_valid(uint8_t suffix)
{
	switch (suffix) {
	case 0x0c:
	case 0x0d:
	case 0x1c:
	case 0x1d:
	case 0x8a:
	case 0x8e:
	case 0x90:
	case 0x94:
	case 0x96:
	case 0x97:
	case 0x9a:
	case 0x9e:
	case 0xa0:
	case 0xa4:
	case 0xa6:
	case 0xa7:
	case 0xaa:
	case 0xae:
	case 0xb0:
	case 0xb4:
	case 0xb6:
	case 0xb7:
	case 0xbb:
	case 0xbf:
		return 1;
	}
	return 0;
}

static int grp_valid_map1(struct dec *d)
{
	struct x86_insn *in = d->in;
	int reg = modrm_reg(in), mod = modrm_mod(in);

	switch (in->opcode) {
	case 0x00:
		return reg < 6;
	case 0x01:
		if (mod != 3)
			return reg != 5 || d->pfx == 2;
		return (grp7_reg_valid[d->pfx] >> (in->modrm - 0xc0)) & 1;
	case 0x12:
	case 0x16:
		return d->pfx != 1 || mod != 3;
	case 0x71:
	case 0x72:
		return reg == 2 || reg == 4 || reg == 6;
	case 0x73:
		return reg == 2 || reg == 6 ||
		       ((reg == 3 || reg == 7) && d->pfx == 1);
	case 0x78:
		if (d->pfx == 0)
			return 1;
		return mod == 3 && (d->pfx == 3 || reg == 0);
	case 0x79:
		return d->pfx == 0 || mod == 3;
	case 0xae:
		if (mod != 3) {
			if (d->pfx == 0)
				return 1;
			if (d->pfx == 1)
				return reg >= 6;
			return d->pfx == 2 && (reg == 4 || reg == 6);
		}
		if (d->pfx == 0)
			return reg >= 5;
		if (d->pfx == 2)
			return reg != 7;
		return reg == 6;
	case 0xba:
		return reg >= 4;
	case 0xc7:
		if (mod != 3) {
			if (reg == 1)
				return 1;
			if (reg >= 3 && reg <= 5)
				return d->pfx == 0;
			if (reg == 6)
				return d->pfx != 3;
			return reg == 7 && d->pfx == 0;
		}
		if (reg == 6)
			return d->pfx != 3;
		return reg == 7 && d->pfx != 3;
	case 0xd6:
		return d->pfx == 1 || mod == 3;
	case 0x20:
	case 0x22:
		/* CR0, CR2-CR4 and (with REX.R) CR8 exist. */
		reg |= (in->rex & 4) << 1;
		return reg == 0 || (reg >= 2 && reg <= 4) || reg == 8;
	case 0x21:
	case 0x23:
		return !(in->rex & 4);
	case 0xa6:
		return d->pfx == 2 && (in->modrm == 0xc0 || in->modrm == 0xc8 ||
				       in->modrm == 0xd0);
	case 0xa7:
		/* VIA PadLock: xstore, and with F3 the rep'd crypt forms. */
		if (d->pfx == 2)
			return in->modrm <= 0xe8 && !(in->modrm & 7);
		return d->pfx != 3 && in->modrm == 0xc0;
	}
	return 1;
}

/* ------------------------------------------------------------------ */
/* Classification.                                                      */

static void classify_map0(struct dec *d)
{
	struct x86_insn *in = d->in;
	unsigned int op = in->opcode, reg = modrm_reg(in);
	unsigned int cnt, mask = d->rexw ? 0x3f : 0x1f;
	int rep = (in->prefixes & (X86_PFX_REP | X86_PFX_REPNE)) != 0;

	if (op < 0x40 && (op & 7) < 6) {
		in->flags_killed = X86_FL_ALL;
		if ((op >> 3) == 2 || (op >> 3) == 3)
			in->flags_read = X86_FL_CF;
		return;
	}
	if (op >= 0x50 && op <= 0x5f) {
		in->uses_rsp = 1;
		return;
	}
	if (op >= 0x70 && op <= 0x7f) {
		in->branch = X86_BR_JCC;
		in->flags_read = cc_flags[op & 15];
		return;
	}
	switch (op) {
	case 0x68:
	case 0x6a:
	case 0x9c:
	case 0x9d:
	case 0xc8:
	case 0xc9:
		in->uses_rsp = 1;
		if (op == 0x9c)
			in->flags_read = X86_FL_ALL | X86_FL_DF;
		if (op == 0x9d)
			in->flags_killed = X86_FL_ALL;
		break;
	case 0x8f:
		in->uses_rsp = 1;
		break;
	case 0x69:
	case 0x6b:
		/* imul: SF, ZF, AF and PF are undefined, and some CPUs
		 * leave them as they were. */
		in->flags_killed = X86_FL_CF | X86_FL_OF;
		break;
	case 0x84:
	case 0x85:
	case 0xa8:
	case 0xa9:
		in->flags_killed = X86_FL_ALL;
		break;
	case 0x6c ... 0x6f:
	case 0xa4 ... 0xa7:
	case 0xaa ... 0xaf:
		in->flags_read = X86_FL_DF;
		in->is_rep_string = rep;
		if (op == 0xa6 || op == 0xa7 || op == 0xae || op == 0xaf) {
			/* repe/repne test the ZF their own compare produced;
			 * with rcx = 0 nothing is written. */
			if (rep)
				in->flags_read |= X86_FL_ZF;
			else
				in->flags_killed = X86_FL_ALL;
		}
		break;
	case 0x80 ... 0x83:
		in->flags_killed = X86_FL_ALL;
		if (reg == 2 || reg == 3)
			in->flags_read = X86_FL_CF;
		break;
	case 0x8c:
	case 0x8e:
		in->special = X86_SP_MOV_SEG;
		break;
	case 0x9e:
		in->flags_killed = X86_FL_ALL & ~X86_FL_OF;
		break;
	case 0x9f:
		in->flags_read = X86_FL_ALL & ~X86_FL_OF;
		break;
	case 0xc0:
	case 0xc1:
	case 0xd0:
	case 0xd1:
		cnt = op >= 0xd0 ? 1 : d->code[in->imm_off] & mask;
		if (reg == 2 || reg == 3)
			in->flags_read = X86_FL_CF;
		if (!cnt)
			break;
		if (reg >= 4)
			in->flags_killed = FL_SHIFT;
		else if (reg < 2)
			in->flags_killed = X86_FL_CF;
		if (cnt == 1)
			in->flags_killed |= X86_FL_CF | X86_FL_OF;
		break;
	case 0xd2:
	case 0xd3:
		if (reg == 2 || reg == 3)
			in->flags_read = X86_FL_CF;
		break;
	case 0xc2:
		in->branch = X86_BR_RET_IMM;
		in->uses_rsp = 1;
		break;
	case 0xc3:
		in->branch = X86_BR_RET;
		in->uses_rsp = 1;
		break;
	case 0xc7:
		if (in->modrm == 0xf8)
			in->branch = X86_BR_XBEGIN;
		break;
	case 0xca:
	case 0xcb:
	case 0xcf:
		in->branch = X86_BR_FAR;
		in->uses_rsp = 1;
		break;
	case 0xcc:
	case 0xf1:
		in->special = X86_SP_INT;
		in->flags_read = X86_FL_ALL | X86_FL_DF;
		break;
	case 0xcd:
		in->special = d->code[in->imm_off] == 0x80 ? X86_SP_INT80
							   : X86_SP_INT;
		in->flags_read = X86_FL_ALL | X86_FL_DF;
		break;
	case 0xda:
	case 0xdb:
		if (in->modrm >= 0xc0 && in->modrm < 0xe0)
			in->flags_read = X86_FL_CF | X86_FL_ZF | X86_FL_PF;
		else if (in->modrm >= 0xe8 && in->modrm < 0xf8 && op == 0xdb)
			in->flags_killed = X86_FL_ALL;
		break;
	case 0xdf:
		if (in->modrm >= 0xe8 && in->modrm < 0xf8)
			in->flags_killed = X86_FL_ALL;
		break;
	case 0xe0:
	case 0xe1:
		in->flags_read = X86_FL_ZF;
		/* fall through */
	case 0xe2:
		in->branch = X86_BR_LOOP;
		break;
	case 0xe3:
		in->branch = X86_BR_JRCXZ;
		break;
	case 0xe8:
		in->branch = X86_BR_CALL;
		in->uses_rsp = 1;
		break;
	case 0xe9:
	case 0xeb:
		in->branch = X86_BR_JMP;
		break;
	case 0xf4:
	case 0xfa:
	case 0xfb:
		in->special = X86_SP_UD;
		in->flags_read = X86_FL_ALL | X86_FL_DF;
		break;
	case 0xf5:
		in->flags_read = X86_FL_CF;
		in->flags_killed = X86_FL_CF;
		break;
	case 0xf8:
	case 0xf9:
		in->flags_killed = X86_FL_CF;
		break;
	case 0xf6:
	case 0xf7:
		if (reg < 2 || reg == 3)
			in->flags_killed = X86_FL_ALL;
		else if (reg == 4 || reg == 5) /* mul, imul: as above */
			in->flags_killed = X86_FL_CF | X86_FL_OF;
		break;
	case 0xfe:
		in->flags_killed = FL_NOCF;
		break;
	case 0xff:
		if (reg < 2) {
			in->flags_killed = FL_NOCF;
		} else if (reg == 2) {
			in->branch = X86_BR_CALL_IND;
			in->uses_rsp = 1;
		} else if (reg == 4) {
			in->branch = X86_BR_JMP_IND;
		} else if (reg == 3 || reg == 5) {
			in->branch = X86_BR_FAR;
			in->uses_rsp = reg == 3;
		} else if (reg == 6) {
			in->uses_rsp = 1;
		}
		break;
	}
}

static void classify_0f01(struct dec *d)
{
	struct x86_insn *in = d->in;
	unsigned int reg = modrm_reg(in);

	if (modrm_mod(in) != 3) {
		if (reg == 2 || reg == 3 || reg == 6 || reg == 7)
			in->special = X86_SP_UD;
		return;
	}
	switch (in->modrm) {
	case 0xd0:
		in->special = X86_SP_XGETBV;
		break;
	case 0xf9:
		in->special = X86_SP_RDTSCP;
		break;
	case 0xf8:
		in->special = X86_SP_UD;
		break;
	case 0xd6:
		in->flags_killed = X86_FL_ALL;
		break;
	default:
		if (reg == 6)
			in->special = X86_SP_UD;
		break;
	}
}

static void classify_map1(struct dec *d)
{
	struct x86_insn *in = d->in;
	unsigned int op = in->opcode, reg = modrm_reg(in);
	unsigned int cnt, mask = d->rexw ? 0x3f : 0x1f;

	if (op >= 0x40 && op <= 0x4f) {
		in->flags_read = cc_flags[op & 15];
		return;
	}
	if (op >= 0x80 && op <= 0x8f) {
		in->branch = X86_BR_JCC;
		in->flags_read = cc_flags[op & 15];
		return;
	}
	if (op >= 0x90 && op <= 0x9f) {
		in->flags_read = cc_flags[op & 15];
		return;
	}
	switch (op) {
	case 0x00:
		if (reg == 2 || reg == 3)
			in->special = X86_SP_UD;
		else if (reg == 4 || reg == 5)
			in->flags_killed = X86_FL_ZF;
		break;
	case 0x01:
		classify_0f01(d);
		break;
	case 0x02:
	case 0x03:
		in->flags_killed = X86_FL_ZF;
		break;
	case 0x05:
		in->special = X86_SP_SYSCALL;
		in->flags_read = X86_FL_ALL | X86_FL_DF;
		break;
	case 0x34:
		in->special = X86_SP_SYSENTER;
		in->flags_read = X86_FL_ALL | X86_FL_DF;
		in->uses_rsp = 1;
		break;
	case 0x06 ... 0x09:
	case 0x20 ... 0x23:
	case 0x30:
	case 0x32:
	case 0x35:
	case 0xaa:
		in->special = X86_SP_UD;
		in->flags_read = X86_FL_ALL | X86_FL_DF;
		in->uses_rsp = op == 0x35; /* sysexit loads rsp */
		break;
	case 0x0b:
	case 0xb9:
	case 0xff:
		in->special = X86_SP_UD;
		in->flags_read = X86_FL_ALL | X86_FL_DF;
		break;
	case 0x2e:
	case 0x2f:
		in->flags_killed = X86_FL_ALL;
		break;
	case 0x31:
		in->special = X86_SP_RDTSC;
		break;
	case 0x33:
		in->special = X86_SP_RDPMC;
		break;
	case 0xa2:
		in->special = X86_SP_CPUID;
		break;
	case 0xa0:
	case 0xa1:
	case 0xa8:
	case 0xa9:
		in->special = X86_SP_MOV_SEG;
		in->uses_rsp = 1;
		break;
	case 0xa3:
	case 0xab:
	case 0xb3:
	case 0xbb:
	case 0xba:
		/* bt*: CF is defined, the rest is left undefined. */
		in->flags_killed = X86_FL_CF;
		break;
	case 0xa4:
	case 0xac:
		cnt = d->code[in->imm_off] & mask;
		if (cnt)
			in->flags_killed = FL_SHIFT;
		if (cnt == 1)
			in->flags_killed |= X86_FL_OF;
		break;
	case 0xae:
		if (modrm_mod(in) == 3 && d->pfx == 2) {
			if (reg == 1)
				in->special = X86_SP_RDGSBASE;
			else if (reg == 2)
				in->special = X86_SP_WRFSBASE;
			else if (reg == 3)
				in->special = X86_SP_WRGSBASE;
		}
		break;
	case 0xaf:
		/* imul: SF, ZF, AF and PF are left undefined. */
		in->flags_killed = X86_FL_CF | X86_FL_OF;
		break;
	case 0xb0:
	case 0xb1:
	case 0xb8:
	case 0xc0:
	case 0xc1:
		in->flags_killed = X86_FL_ALL;
		break;
	case 0xbc:
	case 0xbd:
		in->flags_killed = X86_FL_ZF;
		if (d->pfx == 2)
			in->flags_killed |= X86_FL_CF;
		break;
	case 0xc7:
		if (modrm_mod(in) != 3) {
			if (reg == 1)
				in->flags_killed = X86_FL_ZF;
			break;
		}
		if (d->pfx == 2 && reg == 7) {
			in->special = X86_SP_RDPID;
		} else if (d->pfx < 2 && (reg == 6 || reg == 7)) {
			in->special = reg == 6 ? X86_SP_RDRAND : X86_SP_RDSEED;
			in->flags_killed = X86_FL_ALL;
		}
		break;
	}
}

static void classify_map2(struct dec *d)
{
	struct x86_insn *in = d->in;

	switch (in->opcode) {
	case 0x17:
	case 0xd8:
	case 0xdc ... 0xdf:
	case 0xfa:
	case 0xfb:
		/* ptest; Key Locker: ZF written, the others cleared. */
		if (in->opcode == 0x17 || d->pfx == 2)
			in->flags_killed = X86_FL_ALL;
		break;
	case 0xf8:
		if (d->pfx >= 2)
			in->flags_killed = X86_FL_ALL;
		break;
	case 0xf6:
		if (d->pfx == 1) {
			in->flags_read = X86_FL_CF;
			in->flags_killed = X86_FL_CF;
		} else if (d->pfx == 2) {
			in->flags_read = X86_FL_OF;
			in->flags_killed = X86_FL_OF;
		}
		break;
	}
}

static void classify_vex(struct dec *d)
{
	struct x86_insn *in = d->in;
	unsigned int op = in->opcode, pp = d->vex_pp;

	if (in->map == 1) {
		if ((op == 0x2e || op == 0x2f) && pp < 2)
			in->flags_killed = X86_FL_ALL;
		if ((op == 0x98 || op == 0x99) && pp < 2 &&
		    in->enc == X86_ENC_VEX)
			in->flags_killed = X86_FL_ALL;
	} else if (in->map == 5) {
		if ((op == 0x2e || op == 0x2f) && pp == 0)
			in->flags_killed = X86_FL_ALL;
	} else if (in->map == 3 && in->enc == X86_ENC_VEX) {
		if (op >= 0x60 && op <= 0x63 && pp == 1)
			in->flags_killed = X86_FL_ALL;
	} else if (in->map == 2 && in->enc == X86_ENC_VEX) {
		if ((op == 0x0e || op == 0x0f || op == 0x17) && pp == 1) {
			/* The SDM also clears OF AF PF SF; not every
			 * reference agrees, so claim only ZF and CF. */
			in->flags_killed = X86_FL_ZF | X86_FL_CF;
		} else if (op >= 0xe0 && op <= 0xef) {
			/* cmpccxadd: reads the condition, writes all. */
			in->flags_read = X86_FL_ALL;
		} else if (pp == 0) {
			if (op == 0xf2 || op == 0xf3 || op == 0xf5)
				in->flags_killed = FL_LOGIC4;
			else if (op == 0xf7)
				in->flags_killed =
					X86_FL_ZF | X86_FL_CF | X86_FL_OF;
		}
	}
}

/* ------------------------------------------------------------------ */
/* Encodings.                                                           */

static int finish_vex_like(struct dec *d, int has_modrm, unsigned int imm)
{
	struct x86_insn *in = d->in;
	unsigned int at = d->pos;
	int err = fetch(d, &in->opcode);

	if (err)
		return err;
	in->opcode_off = at;
	if (has_modrm) {
		err = read_modrm(d);
		if (!err)
			err = read_mem(d, 0);
		if (err)
			return err;
	}
	return read_imm(d, imm, 0);
}

/* VEX (C4/C5).  'op' is the escape byte already consumed. */
static int decode_vex(struct dec *d, uint8_t op)
{
	struct x86_insn *in = d->in;
	uint8_t b1, b2 = 0;
	unsigned int imm = 0;
	int err;

	err = fetch(d, &b1);
	if (err)
		return err;
	if (op == 0xc5) {
		in->map = 1;
		d->vex_pp = b1 & 3;
		d->vex_l = (b1 >> 2) & 1;
	} else {
		err = fetch(d, &b2);
		if (err)
			return err;
		in->map = b1 & 0x1f;
		d->rexw = b2 >> 7;
		d->vex_pp = b2 & 3;
		d->vex_l = (b2 >> 2) & 1;
		if (in->map < 1 || in->map > 3)
			return X86_ERR_INVALID;
	}
	in->enc = X86_ENC_VEX;
	/* Peek at the opcode: vzeroupper/vzeroall have no ModRM. */
	if (d->pos >= X86_MAX_INSN_LEN)
		return X86_ERR_INVALID;
	if (d->pos >= d->avail)
		return X86_ERR_SHORT;
	if (in->map == 3)
		imm = 1;
	else if (in->map == 1 &&
		 ((d->code[d->pos] >= 0x70 && d->code[d->pos] <= 0x73) ||
		  d->code[d->pos] == 0xc2 ||
		  (d->code[d->pos] >= 0xc4 && d->code[d->pos] <= 0xc6)))
		imm = 1;
	return finish_vex_like(d, !(in->map == 1 && d->code[d->pos] == 0x77),
			       imm);
}

static int decode_evex(struct dec *d)
{
	struct x86_insn *in = d->in;
	uint8_t p0, p1, p2, nop;
	unsigned int imm = 0;
	int err;

	err = fetch(d, &p0);
	if (!err)
		err = fetch(d, &p1);
	if (!err)
		err = fetch(d, &p2);
	if (err)
		return err;
	in->enc = X86_ENC_EVEX;
	in->map = p0 & 7;
	d->rexw = p1 >> 7;
	d->vex_pp = p1 & 3;
	d->vex_l = (p2 >> 5) & 3;
	if ((p0 & 8) || !(p1 & 4))
		return X86_ERR_INVALID;
	if (in->map == 0 || in->map == 4 || in->map == 7)
		return X86_ERR_INVALID;
	if (d->pos >= X86_MAX_INSN_LEN)
		return X86_ERR_INVALID;
	if (d->pos >= d->avail)
		return X86_ERR_SHORT;
	nop = d->code[d->pos];
	if (in->map == 3)
		imm = 1;
	else if (in->map == 1 && ((nop >= 0x70 && nop <= 0x73) || nop == 0xc2 ||
				  (nop >= 0xc4 && nop <= 0xc6)))
		imm = 1;
	return finish_vex_like(d, 1, imm);
}

static int decode_xop(struct dec *d)
{
	struct x86_insn *in = d->in;
	uint8_t b1, b2;
	int err;

	err = fetch(d, &b1);
	if (!err)
		err = fetch(d, &b2);
	if (err)
		return err;
	in->enc = X86_ENC_XOP;
	in->map = b1 & 0x1f;
	d->rexw = b2 >> 7;
	d->vex_pp = b2 & 3;
	d->vex_l = (b2 >> 2) & 1;
	if (in->map > 10)
		return X86_ERR_INVALID;
	return finish_vex_like(d, 1, in->map == 8 ? 1 : in->map == 10 ? 4 : 0);
}

/* One-byte map, after prefixes; the opcode is already in insn->opcode. */
static int decode_map0(struct dec *d)
{
	struct x86_insn *in = d->in;
	unsigned int op = in->opcode, a = map0_attr[op], imm = 0, kind;
	int err;

	if (a & A_INV)
		return X86_ERR_INVALID;
	if (a & A_M) {
		err = read_modrm(d);
		if (!err)
			err = read_mem(d, 0);
		if (err)
			return err;
		if ((a & A_MEM) && modrm_mod(in) == 3)
			return X86_ERR_INVALID;
		if ((a & A_GRP) && !grp_valid_map0(d))
			return X86_ERR_INVALID;
	}
	kind = A_IMM(a);
	switch (kind) {
	case I_B:
		imm = 1;
		break;
	case I_Z:
		imm = opsize_z(d);
		break;
	case I_V:
		imm = d->rexw ? 8 : opsize_z(d);
		break;
	case I_W:
		imm = 2;
		break;
	case I_ENTER:
		imm = 3;
		break;
	case I_D:
		imm = 4;
		break;
	case I_GRP3:
		if (modrm_reg(in) < 2)
			imm = op == 0xf6 ? 1 : opsize_z(d);
		break;
	case I_MOFFS:
		in->disp_off = d->pos;
		in->disp_size = (in->prefixes & X86_PFX_ADSIZE) ? 4 : 8;
		d->pos += in->disp_size;
		if (d->pos > X86_MAX_INSN_LEN)
			return X86_ERR_INVALID;
		if (d->pos > d->avail)
			return X86_ERR_SHORT;
		break;
	}
	if (op == 0xc6 || op == 0xc7) {
		/* xabort imm8; xbegin rel16/rel32. */
		if (in->modrm == 0xf8 && op == 0xc7)
			a |= A_REL;
	}
	err = read_imm(d, imm, (a & A_REL) != 0);
	if (err)
		return err;
	classify_map0(d);
	return 0;
}

static int decode_legacy_ext(struct dec *d, unsigned int mask, int imm)
{
	int err;

	if (!(mask & (1u << d->pfx)))
		return X86_ERR_INVALID;
	err = read_modrm(d);
	if (!err)
		err = read_mem(d, 0);
	if (!err)
		err = read_imm(d, imm, 0);
	return err;
}

/* Mod constraints of 0F 38 opcodes that only exist as memory or register
 * forms. */
static int map2_mod_ok(struct dec *d)
{
	struct x86_insn *in = d->in;
	unsigned int op = in->opcode, mod = modrm_mod(in);

	switch (op) {
	case 0x2a:
	case 0x80 ... 0x82:
	case 0xf5:
	case 0xf8:
	case 0xf9:
		return mod != 3;
	case 0xd8:
		return mod != 3 && modrm_reg(in) < 4;
	case 0xdc:
		return 1;
	case 0xdd ... 0xdf:
		return d->pfx != 2 || mod != 3;
	case 0xf0:
	case 0xf1:
		return d->pfx == 3 || mod != 3;
	case 0xf6:
		return d->pfx != 0 || mod != 3;
	case 0xfa:
	case 0xfb:
		return mod == 3;
	}
	return 1;
}

static int decode_0f(struct dec *d)
{
	struct x86_insn *in = d->in;
	unsigned int at = d->pos, a, mask, imm = 0;
	uint8_t op;
	int err;

	err = fetch(d, &op);
	if (err)
		return err;
	in->opcode_off = at;
	in->opcode = op;
	in->map = 1;
	if (op == 0x38 || op == 0x3a) {
		at = d->pos;
		err = fetch(d, &in->opcode);
		if (err)
			return err;
		in->opcode_off = at;
		if (op == 0x38) {
			in->map = 2;
			err = decode_legacy_ext(d, map2_pfx[in->opcode], 0);
			if (!err && !map2_mod_ok(d))
				err = X86_ERR_INVALID;
			if (!err)
				classify_map2(d);
		} else {
			in->map = 3;
			err = decode_legacy_ext(d, map3_pfx[in->opcode], 1);
			/* hreset exists only with ModRM C0. */
			if (!err && in->opcode == 0xf0 && in->modrm != 0xc0)
				err = X86_ERR_INVALID;
			if (!err && in->opcode >= 0x60 && in->opcode <= 0x63)
				in->flags_killed = X86_FL_ALL;
		}
		return err;
	}
	a = map1_attr[op];
	mask = a >> 12;
	if (a & A_INV)
		return X86_ERR_INVALID;
	if (mask && !(mask & (1u << d->pfx)))
		return X86_ERR_INVALID;
	if (a & A_M) {
		err = read_modrm(d);
		if (!err)
			err = read_mem(d, op >= 0x20 && op <= 0x23);
		if (err)
			return err;
		if ((a & A_MEM) && modrm_mod(in) == 3)
			return X86_ERR_INVALID;
		if ((a & A_REG) && modrm_mod(in) != 3 &&
		    !(op >= 0x20 && op <= 0x23))
			return X86_ERR_INVALID;
		if ((a & A_GRP) && !grp_valid_map1(d))
			return X86_ERR_INVALID;
	}
	switch (A_IMM(a)) {
	case I_B:
		imm = 1;
		break;
	case I_D:
		imm = 4;
		break;
	}
	/* SSE4a extrq/insertq with immediates carry two imm8. */
	if (op == 0x78 && d->pfx != 0)
		imm = 2;
	err = read_imm(d, imm, (a & A_REL) != 0);
	if (err)
		return err;
	if (op == 0x0f && !amd3dnow_valid(d->code[in->imm_off]))
		return X86_ERR_INVALID;
	classify_map1(d);
	return 0;
}

static int is_legacy_prefix(uint8_t b)
{
	switch (b) {
	case 0x26:
	case 0x2e:
	case 0x36:
	case 0x3e:
	case 0x64:
	case 0x65:
	case 0x66:
	case 0x67:
	case 0xf0:
	case 0xf2:
	case 0xf3:
		return 1;
	}
	return 0;
}

static void note_prefix(struct dec *d, uint8_t b, unsigned int *last_rep)
{
	struct x86_insn *in = d->in;

	switch (b) {
	case 0xf0:
		in->prefixes |= X86_PFX_LOCK;
		break;
	case 0xf2:
		in->prefixes |= X86_PFX_REPNE;
		*last_rep = 3;
		break;
	case 0xf3:
		in->prefixes |= X86_PFX_REP;
		*last_rep = 2;
		break;
	case 0x66:
		in->prefixes |= X86_PFX_OPSIZE;
		break;
	case 0x67:
		in->prefixes |= X86_PFX_ADSIZE;
		break;
	default:
		in->prefixes |= X86_PFX_SEG;
		/* In 64-bit mode only FS and GS overrides take effect, and
		 * a later one of those wins. */
		if (b == 0x64 || b == 0x65 ||
		    (in->seg != 0x64 && in->seg != 0x65))
			in->seg = b;
		break;
	}
}

/* Whether a segment override can apply: an explicit or implicit memory
 * operand whose segment is not fixed to ES. */
static int has_mem_operand(const struct x86_insn *in)
{
	if (in->enc == X86_ENC_LEGACY && in->map == 0 && in->opcode == 0x8d)
		return 0; /* lea computes an address, never accesses it */
	if (in->enc == X86_ENC_LEGACY && in->map == 1) {
		switch (in->opcode) {
		case 0x1a:
		case 0x1b:
			/* bndcl/bndcu/bndcn/bndmk only compute addresses. */
			if (in->prefixes & (X86_PFX_REP | X86_PFX_REPNE))
				return 0;
			break;
		case 0x20 ... 0x23:
			return 0;
		case 0xf7: /* maskmovq/maskmovdqu store to [rdi] */
			return 1;
		}
	}
	if (in->modrm_off)
		return modrm_mod(in) != 3;
	if (in->map != 0 || in->enc != X86_ENC_LEGACY)
		return 0;
	switch (in->opcode) {
	case 0xa0 ... 0xa7:
	case 0xac:
	case 0xad:
	case 0x6e:
	case 0x6f:
	case 0xd7:
		return 1;
	}
	return 0;
}

static void clear_insn(struct x86_insn *in)
{
	volatile uint8_t *p = (volatile uint8_t *)in;
	unsigned int i;

	/* Byte loop: the freestanding build must not turn this into a
	 * memset call. */
	for (i = 0; i < sizeof(*in); i++)
		p[i] = 0;
}

int x86_decode(const uint8_t *code, size_t avail, struct x86_insn *insn)
{
	struct dec d = { .code = code, .avail = avail, .in = insn };
	unsigned int last_rep = 0, at;
	uint8_t b, next;
	int err;

	clear_insn(insn);
	for (;;) {
		at = d.pos;
		err = fetch(&d, &b);
		if (err)
			return err;
		if (is_legacy_prefix(b)) {
			insn->rex = 0;
			note_prefix(&d, b, &last_rep);
			continue;
		}
		if ((b & 0xf0) == 0x40) {
			insn->rex = b;
			continue;
		}
		break;
	}
	d.rexw = (insn->rex >> 3) & 1;
	d.pfx = last_rep ? last_rep : (insn->prefixes & X86_PFX_OPSIZE) ? 1 : 0;
	insn->opcode = b;
	insn->opcode_off = at;

	if (b == 0xc4 || b == 0xc5 || b == 0x62 || b == 0x8f) {
		if (b == 0x8f) {
			if (d.pos >= X86_MAX_INSN_LEN)
				return X86_ERR_INVALID;
			if (d.pos >= d.avail)
				return X86_ERR_SHORT;
			next = code[d.pos];
		}
		if (b != 0x8f || (next & 0x1f) >= 8) {
			if (insn->rex ||
			    (insn->prefixes & (X86_PFX_LOCK | X86_PFX_REP |
					       X86_PFX_REPNE | X86_PFX_OPSIZE)))
				return X86_ERR_INVALID;
			if (b == 0x62)
				err = decode_evex(&d);
			else if (b == 0x8f)
				err = decode_xop(&d);
			else
				err = decode_vex(&d, b);
			if (err)
				return err;
			classify_vex(&d);
			goto done;
		}
	}

	if (b == 0x0f)
		err = decode_0f(&d);
	else
		err = decode_map0(&d);
	if (err)
		return err;
	if ((insn->prefixes & X86_PFX_LOCK) && !lock_ok(insn))
		return X86_ERR_INVALID;

done:
	insn->len = d.pos;
	if (insn->special == X86_SP_NONE && insn->seg == 0x65 &&
	    has_mem_operand(insn))
		insn->special = X86_SP_SEG_GS;
	return d.pos;
}
