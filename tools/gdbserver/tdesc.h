/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The x86-64 register file as gdb sees it: the target description
 * (target.xml) and the byte layout of the 'g' and 'p' packets, both
 * derived from one table so they cannot disagree.
 */
#ifndef TTD_GDB_TDESC_H
#define TTD_GDB_TDESC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * What a backend fills in for one thread.  Values are in the target's
 * (little-endian) byte order, as the CPU and the kernel store them; byte
 * arrays hold the register's memory image.  Fields of features the CPU
 * lacks stay zero.
 */
struct gdbs_x86_regs {
	uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp, rsp;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rip;
	uint32_t eflags;
	uint32_t cs, ss, ds, es, fs, gs;
	uint8_t st[8][10]; /* x87 stack, 80-bit, physical st(i) order */
	/* x87 control: ftag is the full 16-bit tag word, not fxsave's
	 * abridged byte; fop is the 11-bit opcode. */
	uint32_t fctrl, fstat, ftag, fiseg, fioff, foseg, fooff, fop;
	uint8_t xmm[32][16]; /* 16..31 only with AVX-512 */
	uint32_t mxcsr;
	uint64_t orig_rax; /* the system call number, -1 outside one */
	uint64_t fs_base, gs_base;
	uint8_t ymmh[32][16]; /* bits 128..255 of ymm0..31 */
	uint64_t k[8]; /* AVX-512 opmask registers */
	uint8_t zmmh[32][32]; /* bits 256..511 of zmm0..31 */
};

/* One register of the description, in remote register number order. */
struct gdbs_reg {
	char name[12];
	uint16_t bits;
	uint16_t offset; /* into struct gdbs_x86_regs */
	const char *type;
	const char *group; /* NULL: gdb's default for the type */
	uint8_t feature; /* index into the feature names */
};

/* Upper bound on the number of registers, with AVX-512. */
#define GDBS_MAX_REGS 176

/*
 * Fill regs[] with the register list in remote order; returns the count.
 * avx512 adds xmm16-31, ymm16h-31h, k0-7 and zmm0h-31h.
 */
int gdbs_reg_table(struct gdbs_reg *regs, bool avx512);

/* Bytes of the 'g' packet payload before hex encoding. */
size_t gdbs_regs_size(const struct gdbs_reg *regs, int n);

/*
 * The target description as a malloc'd NUL-terminated string, or NULL
 * when out of memory.
 */
char *gdbs_tdesc_xml(const struct gdbs_reg *regs, int n, size_t *len);

#endif
