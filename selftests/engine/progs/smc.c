// SPDX-License-Identifier: GPL-2.0
/*
 * Self-modifying code, one case per argument:
 *   rwx        write code into an RWX page, run it, rewrite it, run again
 *   mprotect   the same with RW -> RX -> RW -> RX transitions
 *   samepage   code on a page rewrites another function on that page
 *   sameblock  a store rewrites the very next instruction (the CPU
 *              guarantees the new bytes execute)
 *   dualmap    one memfd mapped twice: written through an RW view,
 *              run through an RX view (how JITs avoid RWX pages)
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

typedef int (*fn_t)(int, int);

/* mov $imm32, %eax; ret */
static void emit_const(uint8_t *p, int32_t imm)
{
	p[0] = 0xb8;
	memcpy(p + 1, &imm, 4);
	p[5] = 0xc3;
}

/* lea (%rdi,%rsi,scale), %eax; ret  (scale 1, 2, 4, 8) */
static void emit_lea(uint8_t *p, int scale_log2)
{
	static const uint8_t tmpl[] = { 0x8d, 0x04, 0x37, 0xc3 };

	memcpy(p, tmpl, sizeof(tmpl));
	p[2] = (uint8_t)(scale_log2 << 6 | 6 << 3 | 7);
}

static int rewrite_loop(uint8_t *code, int (*before)(uint8_t *),
			int (*after)(uint8_t *))
{
	long sum = 0;

	for (int i = 0; i < 200; i++) {
		if (before && before(code))
			return 1;
		if (i % 2)
			emit_const(code, i * 3);
		else
			emit_lea(code, i % 4);
		if (after && after(code))
			return 1;
		sum = sum * 31 + ((fn_t)code)(i, 1000);
	}
	printf("sum %ld\n", sum);
	return 0;
}

static int to_rw(uint8_t *p)
{
	return mprotect(p, 4096, PROT_READ | PROT_WRITE);
}

static int to_rx(uint8_t *p)
{
	return mprotect(p, 4096, PROT_READ | PROT_EXEC);
}

static uint8_t *map(int prot)
{
	void *p = mmap(NULL, 4096, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

static int c_rwx(void)
{
	uint8_t *p = map(PROT_READ | PROT_WRITE | PROT_EXEC);

	return !p || rewrite_loop(p, NULL, NULL);
}

static int c_mprotect(void)
{
	uint8_t *p = map(PROT_READ | PROT_WRITE);

	return !p || rewrite_loop(p, to_rw, to_rx);
}

/*
 * At offset 0, a function that stores its first argument as the immediate
 * of "mov $imm32, %eax" at offset 64 and calls it:
 *   mov %edi, 65(%rip-relative)  ; 89 3d disp32
 *   jmp 64                       ; e9 rel32
 */
static int c_samepage(void)
{
	uint8_t *p = map(PROT_READ | PROT_WRITE | PROT_EXEC);
	long sum = 0;
	int32_t disp = 65 - 6, rel = 64 - 11;

	if (!p)
		return 1;
	p[0] = 0x89;
	p[1] = 0x3d;
	memcpy(p + 2, &disp, 4);
	p[6] = 0xe9;
	memcpy(p + 7, &rel, 4);
	emit_const(p + 64, 0);
	for (int i = 1; i <= 300; i++)
		sum = sum * 7 + ((fn_t)p)(i, 0);
	printf("sum %ld\n", sum);
	return 0;
}

/*   mov %edi, 1(%rip)   ; 89 3d 01 00 00 00: the imm32 of the next insn
 *   mov $0, %eax        ; b8 00 00 00 00
 *   ret */
static int c_sameblock(void)
{
	static const uint8_t code[] = { 0x89, 0x3d, 0x01, 0x00, 0x00, 0x00,
					0xb8, 0x00, 0x00, 0x00, 0x00, 0xc3 };
	uint8_t *p = map(PROT_READ | PROT_WRITE | PROT_EXEC);
	long sum = 0;

	if (!p)
		return 1;
	memcpy(p, code, sizeof(code));
	for (int i = 1; i <= 300; i++)
		sum = sum * 7 + ((fn_t)p)(i, 0);
	printf("sum %ld\n", sum);
	return 0;
}

static int c_dualmap(void)
{
	int fd = memfd_create("jit", 0);
	uint8_t *w, *x;

	if (fd < 0 || ftruncate(fd, 4096))
		return 1;
	w = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	x = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_SHARED, fd, 0);
	if (w == MAP_FAILED || x == MAP_FAILED)
		return 1;
	for (long i = 0, sum = 0; i < 200; i++) {
		emit_const(w, (int32_t)(i * 5));
		sum = sum * 31 + ((fn_t)x)(0, 0);
		if (i == 199)
			printf("sum %ld\n", sum);
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(void);
	} cases[] = {
		{ "rwx", c_rwx },	    { "mprotect", c_mprotect },
		{ "samepage", c_samepage }, { "sameblock", c_sameblock },
		{ "dualmap", c_dualmap },
	};

	for (size_t i = 0; argc > 1 && i < sizeof(cases) / sizeof(cases[0]);
	     i++)
		if (!strcmp(argv[1], cases[i].name))
			return cases[i].fn();
	fprintf(stderr, "usage: smc CASE\n");
	return 2;
}
