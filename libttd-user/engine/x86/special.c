// SPDX-License-Identifier: GPL-2.0
/* Emulation of non-deterministic and machine-specific instructions. */
#include "special.h"
#include "decode.h"
#include "../thread.h"
#include "../lib.h"
#include "../mode.h"
#include "../linux/signal.h"

#define CPUID7_EBX_HLE (1u << 4)
#define CPUID7_EBX_RTM (1u << 11)
#define CPUID7_EDX_RTM_ALWAYS_ABORT (1u << 11)

uint64_t *regs_slot(struct ttd_regs *r, int num)
{
	static const uint8_t idx[16] = { 0, 2, 3,  1,  7,  6,  4,  5,
					 8, 9, 10, 11, 12, 13, 14, 15 };

	return &((uint64_t *)r)[idx[num & 15]];
}

void cpuid_raw(uint32_t leaf, uint32_t sub, uint32_t out[4])
{
	__asm__ volatile("cpuid"
			 : "=a"(out[0]), "=b"(out[1]), "=c"(out[2]),
			   "=d"(out[3])
			 : "a"(leaf), "c"(sub));
}

static void native_cpuid(const struct ttd_regs *r, uint64_t v[4])
{
	uint32_t o[4];

	cpuid_raw((uint32_t)r->rax, (uint32_t)r->rcx, o);
	if ((uint32_t)r->rax == 7 && (uint32_t)r->rcx == 0) {
		/* Hide TSX: a transaction abort cannot be replayed. */
		o[1] &= ~(CPUID7_EBX_HLE | CPUID7_EBX_RTM);
	}
	for (int i = 0; i < 4; i++)
		v[i] = o[i];
}

/* Write a register the way an instruction of that size would. */
static void write_reg(struct ttd_regs *r, int num, int size, uint64_t v)
{
	uint64_t *slot = regs_slot(r, num);

	if (size == 8)
		*slot = v;
	else if (size == 4)
		*slot = (uint32_t)v;
	else
		*slot = (*slot & ~0xffffULL) | (v & 0xffff);
}

/* The register operand (ModRM.rm) and operand size of insn at pc. */
static int reg_operand(uint64_t pc, int *size)
{
	struct x86_insn d;

	if (x86_decode((const uint8_t *)pc, X86_MAX_INSN_LEN, &d) <= 0)
		fatal("cannot re-decode instruction at %p", (void *)pc);
	*size = (d.rex & 8) ? 8 : (d.prefixes & X86_PFX_OPSIZE) ? 2 : 4;
	return (d.modrm & 7) | ((d.rex & 1) << 3);
}

/* v[0] = the value, v[1] = CF (success). */
static void native_rand(uint64_t v[4], int seed)
{
	uint64_t x = 0;
	uint8_t ok = 0;

	for (int tries = 0; tries < 10 && !ok; tries++) {
		if (seed)
			__asm__ volatile("rdseed %0; setc %1"
					 : "=r"(x), "=qm"(ok));
		else
			__asm__ volatile("rdrand %0; setc %1"
					 : "=r"(x), "=qm"(ok));
	}
	v[0] = ok ? x : 0;
	v[1] = ok;
}

/*
 * The results of a non-deterministic instruction, in v: computed here
 * when running or recording (and then recorded), taken from the
 * recording when replaying.
 */
static void nondet_values(struct ttd_thread *t, int special, uint64_t v[4])
{
	uint32_t lo, hi, aux = 0;

	v[0] = v[1] = v[2] = v[3] = 0;
	if (engine_mode == MODE_REPLAY && replay_insn(t, special, v))
		return;
	switch (special) {
	case X86_SP_RDTSC:
		__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
		v[0] = lo, v[3] = hi;
		break;
	case X86_SP_RDTSCP:
	case X86_SP_RDPID:
		__asm__ volatile("rdtscp" : "=a"(lo), "=d"(hi), "=c"(aux));
		v[0] = lo, v[2] = aux, v[3] = hi;
		break;
	case X86_SP_CPUID:
		native_cpuid(&t->ctx, v);
		break;
	case X86_SP_RDRAND:
	case X86_SP_RDSEED:
		native_rand(v, special == X86_SP_RDSEED);
		break;
	case X86_SP_XGETBV:
		__asm__ volatile("xgetbv"
				 : "=a"(lo), "=d"(hi)
				 : "c"((uint32_t)t->ctx.rcx));
		v[0] = lo, v[3] = hi;
		break;
	}
	if (engine_mode == MODE_RECORD)
		record_insn(t, special, v);
}

void special_emulate(struct ttd_thread *t, int special, uint64_t pc)
{
	struct ttd_regs *r = &t->ctx;
	uint64_t v[4];
	int size, reg;

	switch (special) {
	case X86_SP_RDTSC:
	case X86_SP_XGETBV:
		nondet_values(t, special, v);
		r->rax = v[0];
		r->rdx = v[3];
		return;
	case X86_SP_RDTSCP:
		nondet_values(t, special, v);
		r->rax = v[0];
		r->rcx = v[2];
		r->rdx = v[3];
		return;
	case X86_SP_CPUID:
		nondet_values(t, special, v);
		r->rax = v[0];
		r->rbx = v[1];
		r->rcx = v[2];
		r->rdx = v[3];
		return;
	case X86_SP_RDRAND:
	case X86_SP_RDSEED:
		reg = reg_operand(pc, &size);
		nondet_values(t, special, v);
		write_reg(r, reg, size, v[0]);
		/* CF = success; OF SF ZF AF PF cleared. */
		r->rflags = (r->rflags & ~(uint64_t)X86_FL_ALL) |
			    (v[1] ? X86_FL_CF : 0);
		return;
	case X86_SP_RDPID:
		reg = reg_operand(pc, &size);
		nondet_values(t, special, v);
		write_reg(r, reg, 8, v[2]);
		return;
	case X86_SP_WRFSBASE:
		reg = reg_operand(pc, &size);
		r->fs_base = size == 8 ? *regs_slot(r, reg)
				       : (uint32_t)*regs_slot(r, reg);
		__asm__ volatile("wrfsbase %0" ::"r"(r->fs_base));
		return;
	case X86_SP_WRGSBASE:
		reg = reg_operand(pc, &size);
		t->app_gs_base = size == 8 ? *regs_slot(r, reg)
					   : (uint32_t)*regs_slot(r, reg);
		return;
	case X86_SP_RDGSBASE:
		reg = reg_operand(pc, &size);
		write_reg(r, reg, size == 8 ? 8 : 4, t->app_gs_base);
		return;
	case X86_SP_INT80:
		fatal("32-bit system call (int $0x80) at %p: not supported",
		      (void *)pc);
	case X86_SP_SYSENTER:
		r->rip = pc;
		signal_code_fault(t, pc, 2); /* #UD in 64-bit mode */
		return;
	default:
		/* rdpmc and friends fault natively (#GP). */
		r->rip = pc;
		signal_code_fault(t, pc, 3);
	}
}
