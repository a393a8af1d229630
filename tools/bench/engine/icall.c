// SPDX-License-Identifier: GPL-2.0
/*
 * icall: an indirect-branch-heavy workload for the engine benchmark.
 *
 *   icall [ROUNDS]
 *
 * Two kernels that real programs are full of and that a binary translator
 * finds hardest, because every indirect call and return needs a lookup
 * from application address to translated code:
 *
 *  - a bytecode interpreter whose handlers are reached through a table of
 *    function pointers (as in call-threaded interpreters), running a small
 *    program (a sieve and a polynomial hash);
 *  - virtual dispatch over a shuffled array of objects of eight classes,
 *    each with its own table of methods (as C++ vtables or kernel ops
 *    structures).
 *
 * Prints a checksum so that a translated run can be compared with a
 * native one.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

enum op {
	OP_PUSH,
	OP_LOAD,
	OP_STORE,
	OP_ADD,
	OP_SUB,
	OP_MUL,
	OP_AND,
	OP_XOR,
	OP_SHR,
	OP_LT,
	OP_JZ,
	OP_JMP,
	OP_ALOAD,
	OP_ASTORE,
	OP_DUP,
	OP_HALT,
	NOPS
};

struct vm {
	const int32_t *code;
	int64_t stack[64];
	int sp;
	int64_t var[8];
	int64_t mem[4096];
	int halted;
};

typedef int (*handler_fn)(struct vm *vm, int pc);

static int h_push(struct vm *vm, int pc)
{
	vm->stack[vm->sp++] = vm->code[pc + 1];
	return pc + 2;
}

static int h_load(struct vm *vm, int pc)
{
	vm->stack[vm->sp++] = vm->var[vm->code[pc + 1]];
	return pc + 2;
}

static int h_store(struct vm *vm, int pc)
{
	vm->var[vm->code[pc + 1]] = vm->stack[--vm->sp];
	return pc + 2;
}

#define BINOP(name, expr)                          \
	static int h_##name(struct vm *vm, int pc) \
	{                                          \
		int64_t b = vm->stack[--vm->sp];   \
		int64_t a = vm->stack[vm->sp - 1]; \
		vm->stack[vm->sp - 1] = (expr);    \
		return pc + 1;                     \
	}
BINOP(add, a + b)
BINOP(sub, a - b)
BINOP(mul, (int64_t)((uint64_t)a *(uint64_t)b))
BINOP(and, a &b)
BINOP(xor, a ^ b)
BINOP(shr, (int64_t)((uint64_t)a >> (b & 63)))
BINOP(lt, a < b)

static int h_jz(struct vm *vm, int pc)
{
	return vm->stack[--vm->sp] ? pc + 2 : vm->code[pc + 1];
}

static int h_jmp(struct vm *vm, int pc)
{
	return vm->code[pc + 1];
}

static int h_aload(struct vm *vm, int pc)
{
	int64_t i = vm->stack[vm->sp - 1];
	vm->stack[vm->sp - 1] = vm->mem[i & 4095];
	return pc + 1;
}

static int h_astore(struct vm *vm, int pc)
{
	int64_t v = vm->stack[--vm->sp];
	int64_t i = vm->stack[--vm->sp];
	vm->mem[i & 4095] = v;
	return pc + 1;
}

static int h_dup(struct vm *vm, int pc)
{
	vm->stack[vm->sp] = vm->stack[vm->sp - 1];
	vm->sp++;
	return pc + 1;
}

static int h_halt(struct vm *vm, int pc)
{
	vm->halted = 1;
	return pc;
}

static const handler_fn handlers[NOPS] = {
	h_push, h_load, h_store, h_add, h_sub,	 h_mul,	   h_and, h_xor,
	h_shr,	h_lt,	h_jz,	 h_jmp, h_aload, h_astore, h_dup, h_halt,
};

/*
 * var0 = i, var1 = hash, var2 = j.  For i in 0..4095: mem[i] = i * 7919;
 * then for j in 0..4095: hash = (hash * 31) ^ (mem[j] >> 3), twice over
 * with the inner loop re-reading memory.
 */
static const int32_t program[] = {
	/* 0 */ OP_PUSH,
	0,
	OP_STORE,
	0,
	/* 4: fill loop */
	OP_LOAD,
	0,
	OP_PUSH,
	4096,
	OP_LT,
	OP_JZ,
	30,
	OP_LOAD,
	0,
	OP_LOAD,
	0,
	OP_PUSH,
	7919,
	OP_MUL,
	OP_ASTORE,
	OP_LOAD,
	0,
	OP_PUSH,
	1,
	OP_ADD,
	OP_STORE,
	0,
	OP_JMP,
	4,
	/* 28 */ OP_HALT,
	OP_HALT,
	/* 30 */ OP_PUSH,
	0,
	OP_STORE,
	2,
	/* 34: hash loop */
	OP_LOAD,
	2,
	OP_PUSH,
	8192,
	OP_LT,
	OP_JZ,
	64,
	OP_LOAD,
	1,
	OP_PUSH,
	31,
	OP_MUL,
	OP_LOAD,
	2,
	OP_ALOAD,
	OP_PUSH,
	3,
	OP_SHR,
	OP_XOR,
	OP_STORE,
	1,
	OP_LOAD,
	2,
	OP_PUSH,
	1,
	OP_ADD,
	OP_STORE,
	2,
	OP_JMP,
	34,
	/* 64 */ OP_HALT,
};

static int64_t run_vm(int64_t seed)
{
	static struct vm vm;
	int pc = 0;

	vm.code = program;
	vm.sp = 0;
	vm.halted = 0;
	vm.var[1] = seed;
	while (!vm.halted)
		pc = handlers[program[pc]](&vm, pc);
	return vm.var[1];
}

struct shape;
struct shape_ops {
	int64_t (*area)(const struct shape *s);
	int64_t (*perimeter)(const struct shape *s);
	void (*grow)(struct shape *s, int64_t by);
};

struct shape {
	const struct shape_ops *ops;
	int64_t a, b;
};

/* Eight classes, each with distinct code, so each call site sees 8 targets. */
#define SHAPE_CLASS(n, AREA, PERIM)                                    \
	static int64_t area_##n(const struct shape *s)                 \
	{                                                              \
		int64_t a = s->a, b = s->b;                            \
		return (AREA);                                         \
	}                                                              \
	static int64_t perim_##n(const struct shape *s)                \
	{                                                              \
		int64_t a = s->a, b = s->b;                            \
		return (PERIM);                                        \
	}                                                              \
	static void grow_##n(struct shape *s, int64_t by)              \
	{                                                              \
		s->a = (s->a + by * (n + 1)) & 0xffff;                 \
		s->b = (s->b ^ by) & 0xffff;                           \
	}                                                              \
	static const struct shape_ops ops_##n = { area_##n, perim_##n, \
						  grow_##n }
SHAPE_CLASS(0, a *b, 2 * (a + b));
SHAPE_CLASS(1, a *a + b, 4 * a - b);
SHAPE_CLASS(2, a *b / 2, a + b + (a ^ b));
SHAPE_CLASS(3, 3 * a * a / (b | 1), 6 * a + b);
SHAPE_CLASS(4, (a * b) >> 1, a * 3 + b);
SHAPE_CLASS(5, a *(b + 1), 2 * a + 2 * b + 2);
SHAPE_CLASS(6, (a + b) * (a - b), a - b);
SHAPE_CLASS(7, (a << 3) ^ b, (b << 2) + a);

static const struct shape_ops *const classes[8] = {
	&ops_0, &ops_1, &ops_2, &ops_3, &ops_4, &ops_5, &ops_6, &ops_7,
};

#define NSHAPES 4096

static int64_t run_shapes(struct shape *shapes, int passes)
{
	int64_t sum = 0;
	int p, i;

	for (p = 0; p < passes; p++) {
		for (i = 0; i < NSHAPES; i++) {
			struct shape *s = &shapes[i];
			sum += s->ops->area(s) - s->ops->perimeter(s);
			s->ops->grow(s, sum & 7);
		}
	}
	return sum;
}

int main(int argc, char **argv)
{
	static struct shape shapes[NSHAPES];
	long rounds = argc > 1 ? strtol(argv[1], NULL, 0) : 60;
	uint64_t x = 88172645463325252ULL, check = 0;
	long r;
	int i;

	if (rounds <= 0) {
		fprintf(stderr, "usage: icall [ROUNDS]\n");
		return 2;
	}
	for (i = 0; i < NSHAPES; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		shapes[i].ops = classes[x % 8];
		shapes[i].a = (int64_t)(x >> 8 & 0xfff);
		shapes[i].b = (int64_t)(x >> 24 & 0xfff);
	}
	for (r = 0; r < rounds; r++) {
		check = check * 1000003 ^ (uint64_t)run_vm((int64_t)r);
		check = check * 1000003 ^ (uint64_t)run_shapes(shapes, 40);
	}
	printf("icall rounds %ld checksum %016llx\n", rounds,
	       (unsigned long long)check);
	return 0;
}
