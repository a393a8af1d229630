/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x86-64 instruction decoder for the DBT engine.
 *
 * The translator copies most instructions verbatim, so it needs the layout
 * of an instruction (length, where the ModRM, displacement and immediate
 * are, whether the memory operand is RIP-relative), its control-flow class,
 * whether it is one of the instructions the engine must route to a handler,
 * and which arithmetic flags it reads and unconditionally overwrites (for
 * flags liveness around the inline instruction counter).
 *
 * Freestanding: no libc, no allocation, no global state.
 */
#ifndef TTD_X86_DECODE_H
#define TTD_X86_DECODE_H

#include <stddef.h>
#include <stdint.h>

#define X86_MAX_INSN_LEN 15

/* Arithmetic status flags, as bits of RFLAGS. */
#define X86_FL_CF 0x001
#define X86_FL_PF 0x004
#define X86_FL_AF 0x010
#define X86_FL_ZF 0x040
#define X86_FL_SF 0x080
#define X86_FL_OF 0x800
#define X86_FL_ALL \
	(X86_FL_CF | X86_FL_PF | X86_FL_AF | X86_FL_ZF | X86_FL_SF | X86_FL_OF)
/* DF is tracked separately: string instructions read it. */
#define X86_FL_DF 0x400

enum x86_encoding {
	X86_ENC_LEGACY, /* optional REX, then 1-3 opcode bytes */
	X86_ENC_VEX, /* C4/C5 */
	X86_ENC_EVEX, /* 62 */
	X86_ENC_XOP, /* 8F with map >= 8 */
};

/* Control-flow class. */
enum x86_branch {
	X86_BR_NONE,
	X86_BR_JMP, /* jmp rel8/rel32 (EB, E9) */
	X86_BR_JCC, /* jcc rel8/rel32 (70-7F, 0F 80-8F) */
	X86_BR_JRCXZ, /* jrcxz/jecxz rel8 (E3) */
	X86_BR_LOOP, /* loop, loope, loopne rel8 (E0-E2) */
	X86_BR_CALL, /* call rel32 (E8) */
	X86_BR_JMP_IND, /* jmp r/m64 (FF /4) */
	X86_BR_CALL_IND, /* call r/m64 (FF /2) */
	X86_BR_RET, /* ret (C3) */
	X86_BR_RET_IMM, /* ret imm16 (C2) */
	X86_BR_FAR, /* far jmp/call/ret, iret, (EA/9A invalid) */
	X86_BR_XBEGIN, /* xbegin rel32 (C7 F8): aborts branch */
};

/* Instructions the engine must not execute directly. */
enum x86_special {
	X86_SP_NONE,
	X86_SP_SYSCALL, /* 0F 05 */
	X86_SP_SYSENTER, /* 0F 34 (invalid in 64-bit user mode) */
	X86_SP_INT80, /* CD 80 */
	X86_SP_INT, /* CD ib other than 80, CC int3, F1 int1, CE */
	X86_SP_RDTSC, /* 0F 31 */
	X86_SP_RDTSCP, /* 0F 01 F9 */
	X86_SP_CPUID, /* 0F A2 */
	X86_SP_RDRAND, /* 0F C7 /6 (mod=3, no F3/F2) */
	X86_SP_RDSEED, /* 0F C7 /7 (mod=3, no F3/F2) */
	X86_SP_RDPID, /* F3 0F C7 /7 (mod=3) */
	X86_SP_XGETBV, /* 0F 01 D0 */
	X86_SP_RDPMC, /* 0F 33 */
	X86_SP_UD, /* ud0/ud1/ud2, hlt and other faulting ones */
	X86_SP_WRFSBASE, /* F3 0F AE /2 (mod=3) */
	X86_SP_WRGSBASE, /* F3 0F AE /3 (mod=3) */
	X86_SP_RDGSBASE, /* F3 0F AE /1 (mod=3) */
	X86_SP_SEG_GS, /* any instruction with a GS segment override */
	X86_SP_MOV_SEG, /* mov to/from a segment register, push/pop fs/gs */
};

/* Legacy prefix bits in x86_insn.prefixes. */
#define X86_PFX_LOCK 0x01
#define X86_PFX_REP 0x02 /* F3 */
#define X86_PFX_REPNE 0x04 /* F2 */
#define X86_PFX_OPSIZE 0x08 /* 66 */
#define X86_PFX_ADSIZE 0x10 /* 67 */
#define X86_PFX_SEG 0x20 /* a segment override; see x86_insn.seg */

struct x86_insn {
	uint8_t len; /* total length in bytes */
	uint8_t enc; /* enum x86_encoding */
	uint8_t branch; /* enum x86_branch */
	uint8_t special; /* enum x86_special */
	uint8_t prefixes; /* X86_PFX_* */
	uint8_t seg; /* segment override byte (26,2E,36,3E,64,65) or 0 */
	uint8_t rex; /* REX byte or 0 */
	uint8_t map; /* 0: one-byte, 1: 0F, 2: 0F38, 3: 0F3A;
				 * VEX/EVEX: mmmmm; XOP: 8, 9 or 10 */
	uint8_t opcode; /* the final opcode byte */
	uint8_t opcode_off; /* offset of that byte */
	uint8_t modrm_off; /* offset of ModRM, 0 if none */
	uint8_t modrm; /* its value when modrm_off != 0 */
	uint8_t sib_off; /* offset of SIB, 0 if none */
	uint8_t disp_off; /* offset of displacement, 0 if none */
	uint8_t disp_size; /* 0, 1, 2 (never in 64-bit), 4 or 8 (moffs) */
	uint8_t imm_off; /* offset of the first immediate, 0 if none */
	uint8_t imm_size; /* total immediate bytes (enter: 3) */
	uint8_t rip_rel; /* memory operand is [rip + disp32] */
	uint8_t is_rep_string; /* string insn with F3/F2 (counts once) */
	uint8_t uses_rsp; /* implicitly reads or writes rsp (push/pop...) */
	uint16_t flags_read; /* X86_FL_* possibly read (a superset) */
	uint16_t flags_killed; /* X86_FL_* always overwritten (a subset) */
	int32_t disp; /* sign-extended displacement (not moffs) */
	int64_t rel; /* branch displacement for relative branches */
};

/* Decode errors. */
#define X86_ERR_INVALID (-1) /* not a valid 64-bit mode instruction */
#define X86_ERR_SHORT (-2) /* would read past 'avail' bytes */

/*
 * Decode one instruction in 64-bit mode at 'code', reading at most 'avail'
 * bytes.  Returns its length (1..15) and fills 'insn', or X86_ERR_*.
 */
int x86_decode(const uint8_t *code, size_t avail, struct x86_insn *insn);

#endif
