// SPDX-License-Identifier: GPL-2.0
/* Emulation of non-deterministic and machine-specific instructions. */
#include "special.h"
#include "decode.h"
#include "../thread.h"
#include "../lib.h"
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

static void emulate_cpuid(struct ttd_regs *r)
{
	uint32_t v[4];

	cpuid_raw((uint32_t)r->rax, (uint32_t)r->rcx, v);
	if ((uint32_t)r->rax == 7 && (uint32_t)r->rcx == 0) {
		/* Hide TSX: a transaction abort cannot be replayed. */
		v[1] &= ~(CPUID7_EBX_HLE | CPUID7_EBX_RTM);
	}
	r->rax = v[0];
	r->rbx = v[1];
	r->rcx = v[2];
	r->rdx = v[3];
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

static void emulate_rand(struct ttd_regs *r, uint64_t pc, int seed)
{
	int size, reg = reg_operand(pc, &size);
	uint64_t v = 0;
	uint8_t ok = 0;

	for (int tries = 0; tries < 10 && !ok; tries++) {
		if (seed)
			__asm__ volatile("rdseed %0; setc %1"
					 : "=r"(v), "=qm"(ok));
		else
			__asm__ volatile("rdrand %0; setc %1"
					 : "=r"(v), "=qm"(ok));
	}
	write_reg(r, reg, size, ok ? v : 0);
	/* CF = success; OF SF ZF AF PF cleared. */
	r->rflags = (r->rflags & ~(uint64_t)X86_FL_ALL) | (ok ? X86_FL_CF : 0);
}

void special_emulate(struct ttd_thread *t, int special, uint64_t pc)
{
	struct ttd_regs *r = &t->ctx;
	uint32_t lo, hi, aux;
	int size, reg;

	switch (special) {
	case X86_SP_RDTSC:
		__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
		r->rax = lo;
		r->rdx = hi;
		return;
	case X86_SP_RDTSCP:
		__asm__ volatile("rdtscp" : "=a"(lo), "=d"(hi), "=c"(aux));
		r->rax = lo;
		r->rdx = hi;
		r->rcx = aux;
		return;
	case X86_SP_CPUID:
		emulate_cpuid(r);
		return;
	case X86_SP_RDRAND:
	case X86_SP_RDSEED:
		emulate_rand(r, pc, special == X86_SP_RDSEED);
		return;
	case X86_SP_RDPID:
		reg = reg_operand(pc, &size);
		__asm__ volatile("rdtscp" : "=a"(lo), "=d"(hi), "=c"(aux));
		write_reg(r, reg, 8, aux);
		return;
	case X86_SP_XGETBV:
		__asm__ volatile("xgetbv"
				 : "=a"(lo), "=d"(hi)
				 : "c"((uint32_t)r->rcx));
		r->rax = lo;
		r->rdx = hi;
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
