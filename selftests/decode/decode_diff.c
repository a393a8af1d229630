// SPDX-License-Identifier: GPL-2.0
/*
 * Differential test of the engine's x86-64 decoder against Zydis.
 *
 *   decode-diff [--random N] [--seed S] [--sweep] [--verbose] FILE...
 *
 * For every executable section of each ELF file, disassemble linearly
 * with Zydis and compare length, validity, control-flow class, RIP-relative
 * addressing, the special class and the flags effects with x86_decode().
 * Then decode N biased random 15-byte buffers with both and compare
 * validity, length and control-flow class.  Prints TAP, one result per file
 * and one for the random run.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <Zydis/Zydis.h>

#include "engine/x86/decode.h"

#define MAX_SHOWN 8
#define FL_MASK (X86_FL_ALL | X86_FL_DF)

struct stats {
	uint64_t insns; /* instructions both decoders accepted */
	uint64_t skipped; /* bytes Zydis rejected (resync) */
	uint64_t len_mis, branch_mis, riprel_mis, special_mis;
	uint64_t read_mis, kill_mis, valid_mis, layout_mis, rsp_mis, rep_mis;
	uint64_t over_ok; /* tolerated over-acceptance, see above */
	uint64_t under_kill; /* we kill fewer flags than Zydis writes */
	uint64_t trunc_mis;
	unsigned int shown;
};

static ZydisDecoder zdec;
static int verbose;
static int show_over; /* 1 + encoding whose over-acceptance to list */

static const char *const branch_names[] = {
	"none",	   "jmp",      "jcc", "jrcxz",	 "loop", "call",
	"jmp_ind", "call_ind", "ret", "ret_imm", "far",	 "xbegin",
};

static const char *const special_names[] = {
	"none",	    "syscall",	"sysenter", "int80",   "int",
	"rdtsc",    "rdtscp",	"cpuid",    "rdrand",  "rdseed",
	"rdpid",    "xgetbv",	"rdpmc",    "ud",      "wrfsbase",
	"wrgsbase", "rdgsbase", "seg_gs",   "mov_seg",
};

static void hex(char *out, const uint8_t *p, size_t n)
{
	size_t i;

	out[0] = 0;
	for (i = 0; i < n; i++)
		sprintf(out + 3 * i, "%02x ", p[i]);
}

static void zydis_text(const ZydisDecodedInstruction *zi,
		       const ZydisDecodedOperand *ops, char *buf, size_t n)
{
	static ZydisFormatter fmt;
	static int init;

	if (!init) {
		ZydisFormatterInit(&fmt, ZYDIS_FORMATTER_STYLE_INTEL);
		init = 1;
	}
	if (ZYAN_FAILED(ZydisFormatterFormatInstruction(
		    &fmt, zi, ops, zi->operand_count_visible, buf, n, 0, NULL)))
		snprintf(buf, n, "?");
}

/*
 * Whether Zydis decoded a valid instruction.  Knights Corner instructions
 * (VEX-encoded mask branches such as jknzd) exist on no CPU that runs
 * Linux user code in 64-bit mode; the engine's decoder rejects them.
 */
static int zydis_ok(ZyanStatus s, const ZydisDecodedInstruction *zi)
{
	if (!ZYAN_SUCCESS(s))
		return 0;
	return zi->meta.isa_ext != ZYDIS_ISA_EXT_KNC &&
	       zi->meta.isa_ext != ZYDIS_ISA_EXT_KNCE &&
	       zi->meta.isa_ext != ZYDIS_ISA_EXT_KNCV;
}

/*
 * Over-acceptance we tolerate (and count as information): the decoder
 * validates VEX, EVEX and XOP structurally (escape, map, reserved bits),
 * not opcode by opcode, because their layout does not depend on the
 * opcode and the CPU raises #UD for undefined ones at the same address;
 * and 0F 1A/0F 1B are hint NOPs on every CPU without MPX (Zydis decodes
 * them as MPX and rejects bound registers 4-7).  Anything else we accept
 * must be valid for Zydis.
 */
static int tolerated_over(const struct x86_insn *in)
{
	if (in->enc != X86_ENC_LEGACY)
		return 1;
	return in->map == 1 && (in->opcode == 0x1a || in->opcode == 0x1b);
}

/* Where ModRM, SIB, displacement and immediates are, and their values. */
static const char *layout_diff(const ZydisDecodedInstruction *zi,
			       const struct x86_insn *in)
{
	unsigned int zimm = zi->raw.imm[0].size / 8 + zi->raw.imm[1].size / 8;
	int moffs = in->enc == X86_ENC_LEGACY && in->map == 0 &&
		    in->opcode >= 0xa0 && in->opcode <= 0xa3;

	if (in->modrm_off != ((zi->attributes & ZYDIS_ATTRIB_HAS_MODRM)
				      ? zi->raw.modrm.offset
				      : 0))
		return "modrm offset";
	if (in->sib_off !=
	    ((zi->attributes & ZYDIS_ATTRIB_HAS_SIB) ? zi->raw.sib.offset : 0))
		return "sib offset";
	if (in->disp_size != zi->raw.disp.size / 8 ||
	    (in->disp_size && in->disp_off != zi->raw.disp.offset))
		return "displacement layout";
	if (!moffs && in->disp != zi->raw.disp.value)
		return "displacement value";
	if (in->enc == X86_ENC_LEGACY && in->map == 1 && in->opcode == 0x0f)
		return NULL; /* 3DNow! suffix: an opcode, not an imm */
	if (in->imm_size != zimm ||
	    (zimm && in->imm_off != zi->raw.imm[0].offset))
		return "immediate layout";
	if (zi->raw.imm[0].is_relative && in->rel != zi->raw.imm[0].value.s)
		return "branch displacement";
	return NULL;
}

static int zydis_branch(const ZydisDecodedInstruction *zi)
{
	int rel = zi->raw.imm[0].is_relative;
	int far = zi->meta.branch_type == ZYDIS_BRANCH_TYPE_FAR;

	switch (zi->mnemonic) {
	case ZYDIS_MNEMONIC_JMP:
		return far ? X86_BR_FAR : rel ? X86_BR_JMP : X86_BR_JMP_IND;
	case ZYDIS_MNEMONIC_CALL:
		return far ? X86_BR_FAR : rel ? X86_BR_CALL : X86_BR_CALL_IND;
	case ZYDIS_MNEMONIC_RET:
		if (far)
			return X86_BR_FAR;
		return zi->raw.imm[0].size ? X86_BR_RET_IMM : X86_BR_RET;
	case ZYDIS_MNEMONIC_IRET:
	case ZYDIS_MNEMONIC_IRETD:
	case ZYDIS_MNEMONIC_IRETQ:
		return X86_BR_FAR;
	case ZYDIS_MNEMONIC_JRCXZ:
	case ZYDIS_MNEMONIC_JECXZ:
	case ZYDIS_MNEMONIC_JCXZ:
		return X86_BR_JRCXZ;
	case ZYDIS_MNEMONIC_LOOP:
	case ZYDIS_MNEMONIC_LOOPE:
	case ZYDIS_MNEMONIC_LOOPNE:
		return X86_BR_LOOP;
	case ZYDIS_MNEMONIC_XBEGIN:
		return X86_BR_XBEGIN;
	case ZYDIS_MNEMONIC_XEND:
		/* Zydis calls it a conditional branch; for the engine it
		 * only ends a transaction (an abort goes to xbegin's). */
		return X86_BR_NONE;
	default:
		break;
	}
	if (zi->meta.category == ZYDIS_CATEGORY_COND_BR)
		return X86_BR_JCC;
	return X86_BR_NONE;
}

static int is_seg_reg(ZydisRegister r)
{
	return r >= ZYDIS_REGISTER_ES && r <= ZYDIS_REGISTER_GS;
}

/* The special class Zydis implies, or -1 when we do not compare. */
static int zydis_special(const ZydisDecodedInstruction *zi,
			 const ZydisDecodedOperand *ops)
{
	unsigned int i;

	switch (zi->mnemonic) {
	case ZYDIS_MNEMONIC_SYSCALL:
		return X86_SP_SYSCALL;
	case ZYDIS_MNEMONIC_SYSENTER:
		return X86_SP_SYSENTER;
	case ZYDIS_MNEMONIC_INT:
		return zi->raw.imm[0].value.u == 0x80 ? X86_SP_INT80
						      : X86_SP_INT;
	case ZYDIS_MNEMONIC_INT1:
	case ZYDIS_MNEMONIC_INT3:
		return X86_SP_INT;
	case ZYDIS_MNEMONIC_RDTSC:
		return X86_SP_RDTSC;
	case ZYDIS_MNEMONIC_RDTSCP:
		return X86_SP_RDTSCP;
	case ZYDIS_MNEMONIC_CPUID:
		return X86_SP_CPUID;
	case ZYDIS_MNEMONIC_RDRAND:
		return X86_SP_RDRAND;
	case ZYDIS_MNEMONIC_RDSEED:
		return X86_SP_RDSEED;
	case ZYDIS_MNEMONIC_RDPID:
		return X86_SP_RDPID;
	case ZYDIS_MNEMONIC_XGETBV:
		return X86_SP_XGETBV;
	case ZYDIS_MNEMONIC_RDPMC:
		return X86_SP_RDPMC;
	case ZYDIS_MNEMONIC_UD0:
	case ZYDIS_MNEMONIC_UD1:
	case ZYDIS_MNEMONIC_UD2:
	case ZYDIS_MNEMONIC_HLT:
		return X86_SP_UD;
	case ZYDIS_MNEMONIC_WRFSBASE:
		return X86_SP_WRFSBASE;
	case ZYDIS_MNEMONIC_WRGSBASE:
		return X86_SP_WRGSBASE;
	case ZYDIS_MNEMONIC_RDGSBASE:
		return X86_SP_RDGSBASE;
	case ZYDIS_MNEMONIC_MOV:
	case ZYDIS_MNEMONIC_PUSH:
	case ZYDIS_MNEMONIC_POP:
		for (i = 0; i < zi->operand_count_visible; i++)
			if (ops[i].type == ZYDIS_OPERAND_TYPE_REGISTER &&
			    is_seg_reg(ops[i].reg.value))
				return X86_SP_MOV_SEG;
		break;
	default:
		break;
	}
	if (zi->attributes & ZYDIS_ATTRIB_HAS_SEGMENT_GS)
		return X86_SP_SEG_GS;
	return X86_SP_NONE;
}

/* An implicit stack access: a hidden rsp operand or [rsp] memory. */
static int zydis_uses_rsp(const ZydisDecodedInstruction *zi,
			  const ZydisDecodedOperand *ops)
{
	unsigned int i;

	for (i = 0; i < zi->operand_count; i++) {
		if (ops[i].visibility != ZYDIS_OPERAND_VISIBILITY_HIDDEN)
			continue;
		if (ops[i].type == ZYDIS_OPERAND_TYPE_REGISTER &&
		    (ops[i].reg.value == ZYDIS_REGISTER_RSP ||
		     ops[i].reg.value == ZYDIS_REGISTER_ESP ||
		     ops[i].reg.value == ZYDIS_REGISTER_SP))
			return 1;
		if (ops[i].type == ZYDIS_OPERAND_TYPE_MEMORY &&
		    ops[i].mem.base == ZYDIS_REGISTER_RSP)
			return 1;
	}
	return 0;
}

static int zydis_rep_string(const ZydisDecodedInstruction *zi)
{
	if (!(zi->attributes & (ZYDIS_ATTRIB_HAS_REP | ZYDIS_ATTRIB_HAS_REPE |
				ZYDIS_ATTRIB_HAS_REPNE)))
		return 0;
	return zi->meta.category == ZYDIS_CATEGORY_STRINGOP ||
	       zi->meta.category == ZYDIS_CATEGORY_IOSTRINGOP;
}

static int zydis_riprel(const ZydisDecodedInstruction *zi,
			const ZydisDecodedOperand *ops)
{
	unsigned int i;

	for (i = 0; i < zi->operand_count; i++)
		if (ops[i].type == ZYDIS_OPERAND_TYPE_MEMORY &&
		    (ops[i].mem.base == ZYDIS_REGISTER_RIP ||
		     ops[i].mem.base == ZYDIS_REGISTER_EIP))
			return 1;
	return 0;
}

static void show(struct stats *st, const char *what, const uint8_t *p,
		 size_t avail, uint64_t where, int zlen, const char *ztext,
		 const char *zextra, int olen, const struct x86_insn *in)
{
	char bytes[3 * X86_MAX_INSN_LEN + 1];
	size_t n = avail < X86_MAX_INSN_LEN ? avail : X86_MAX_INSN_LEN;

	if (st->shown++ >= MAX_SHOWN && !verbose)
		return;
	hex(bytes, p, n);
	printf("#   %s at 0x%" PRIx64 ": %s\n", what, where, bytes);
	printf("#     zydis: len %d  %s %s\n", zlen, ztext, zextra);
	if (olen < 0) {
		printf("#     ours:  %s\n",
		       olen == X86_ERR_SHORT ? "SHORT" : "INVALID");
		return;
	}
	printf("#     ours:  len %d enc %u map %u op %02x branch %s special %s"
	       " riprel %u read %03x killed %03x imm %u+%u disp %u+%u\n",
	       olen, in->enc, in->map, in->opcode, branch_names[in->branch],
	       special_names[in->special], in->rip_rel, in->flags_read,
	       in->flags_killed, in->imm_off, in->imm_size, in->disp_off,
	       in->disp_size);
}

/* Compare one instruction that Zydis decoded; returns its length. */
static void compare_one(struct stats *st, const uint8_t *p, size_t avail,
			uint64_t where, const ZydisDecodedInstruction *zi,
			const ZydisDecodedOperand *ops)
{
	struct x86_insn in;
	char text[160], extra[160];
	const ZydisAccessedFlags *f = zi->cpu_flags;
	uint32_t zwritten = 0, ztested = 0;
	int len, zb, zs;
	const char *bad = NULL;

	len = x86_decode(p, avail, &in);
	if (f) {
		ztested = f->tested & FL_MASK;
		zwritten = (f->modified | f->set_0 | f->set_1 | f->undefined) &
			   X86_FL_ALL;
	}
	zb = zydis_branch(zi);
	zs = zydis_special(zi, ops);
	if (len < 0) {
		st->valid_mis++;
		bad = "validity";
	} else {
		st->insns++;
		if (len != zi->length) {
			st->len_mis++;
			bad = "length";
		} else if ((bad = layout_diff(zi, &in))) {
			st->layout_mis++;
		} else if (in.branch != zb) {
			st->branch_mis++;
			bad = "branch class";
		} else if (in.rip_rel != zydis_riprel(zi, ops)) {
			st->riprel_mis++;
			bad = "rip_rel";
		} else if (in.special != zs &&
			   !(in.special == X86_SP_UD &&
			     (zs == X86_SP_NONE || zs == X86_SP_SEG_GS))) {
			st->special_mis++;
			bad = "special class";
		} else if (in.uses_rsp != zydis_uses_rsp(zi, ops)) {
			st->rsp_mis++;
			bad = "uses_rsp";
		} else if (in.is_rep_string != zydis_rep_string(zi)) {
			st->rep_mis++;
			bad = "is_rep_string";
		} else if (ztested & ~in.flags_read) {
			st->read_mis++;
			bad = "flags read";
		} else if (in.flags_killed & ~zwritten) {
			st->kill_mis++;
			bad = "flags killed";
		}
		if (zwritten & ~in.flags_killed)
			st->under_kill++;
	}
	if (!bad)
		return;
	zydis_text(zi, ops, text, sizeof(text));
	snprintf(extra, sizeof(extra),
		 "(branch %s special %s riprel %d tested %03x written %03x)",
		 branch_names[zb], special_names[zs], zydis_riprel(zi, ops),
		 ztested, zwritten);
	show(st, bad, p, avail, where, zi->length, text, extra, len, &in);
}

static uint64_t st_bad(const struct stats *st)
{
	return st->len_mis + st->layout_mis + st->branch_mis + st->riprel_mis +
	       st->special_mis + st->read_mis + st->kill_mis + st->rsp_mis +
	       st->rep_mis;
}

static void print_mismatches(const struct stats *st)
{
	printf("#   mismatches: length %" PRIu64 ", layout %" PRIu64
	       ", branch %" PRIu64 ", rip_rel %" PRIu64 ", special %" PRIu64
	       ", uses_rsp %" PRIu64 ", rep string %" PRIu64
	       ", flags read %" PRIu64 ", flags killed %" PRIu64 "\n",
	       st->len_mis, st->layout_mis, st->branch_mis, st->riprel_mis,
	       st->special_mis, st->rsp_mis, st->rep_mis, st->read_mis,
	       st->kill_mis);
}

static void walk(struct stats *st, const uint8_t *code, size_t size,
		 uint64_t addr)
{
	ZydisDecodedInstruction zi;
	ZydisDecodedOperand ops[ZYDIS_MAX_OPERAND_COUNT];
	struct x86_insn in;
	size_t off = 0;
	ZyanStatus zst;
	int len;

	while (off < size) {
		zst = ZydisDecoderDecodeFull(&zdec, code + off, size - off, &zi,
					     ops);
		if (zydis_ok(zst, &zi)) {
			compare_one(st, code + off, size - off, addr + off, &zi,
				    ops);
			off += zi.length;
			continue;
		}
		len = x86_decode(code + off, size - off, &in);
		if (zst == ZYDIS_STATUS_NO_MORE_DATA && len == X86_ERR_SHORT)
			break;
		if (len >= 0 && tolerated_over(&in)) {
			st->over_ok++;
		} else if (len >= 0) {
			st->valid_mis++;
			show(st, "validity", code + off, size - off, addr + off,
			     -1, "invalid", "", len, &in);
		}
		st->skipped++;
		off++;
	}
}

static int check_file(const char *arg, int n)
{
	char path[PATH_MAX];
	struct stats st = { 0 };
	const Elf64_Ehdr *eh;
	const Elf64_Shdr *sh;
	struct stat sb;
	const uint8_t *map;
	unsigned int i, nsec = 0;
	uint64_t bytes = 0, bad;
	int fd;

	if (!realpath(arg, path)) {
		printf("ok %d # SKIP %s: %s\n", n, arg, strerror(errno));
		return 0;
	}
	fd = open(path, O_RDONLY);
	if (fd < 0 || fstat(fd, &sb) < 0) {
		printf("not ok %d - %s: %s\n", n, path, strerror(errno));
		return 1;
	}
	map = mmap(NULL, sb.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED) {
		printf("not ok %d - %s: mmap: %s\n", n, path, strerror(errno));
		return 1;
	}
	eh = (const Elf64_Ehdr *)map;
	if ((size_t)sb.st_size < sizeof(*eh) ||
	    memcmp(eh->e_ident, ELFMAG, SELFMAG) ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_machine != EM_X86_64 ||
	    eh->e_shoff + (uint64_t)eh->e_shnum * sizeof(*sh) >
		    (uint64_t)sb.st_size) {
		printf("not ok %d - %s: not a well-formed x86-64 ELF file\n", n,
		       path);
		munmap((void *)map, sb.st_size);
		return 1;
	}
	sh = (const Elf64_Shdr *)(map + eh->e_shoff);
	for (i = 0; i < eh->e_shnum; i++) {
		if (sh[i].sh_type != SHT_PROGBITS ||
		    !(sh[i].sh_flags & SHF_EXECINSTR))
			continue;
		if (sh[i].sh_offset + sh[i].sh_size > (uint64_t)sb.st_size)
			continue;
		walk(&st, map + sh[i].sh_offset, sh[i].sh_size, sh[i].sh_addr);
		bytes += sh[i].sh_size;
		nsec++;
	}
	munmap((void *)map, sb.st_size);
	bad = st_bad(&st) + st.valid_mis;
	printf("# %s: %u sections, %" PRIu64 " bytes, %" PRIu64
	       " instructions, %" PRIu64 " bytes skipped by zydis\n",
	       path, nsec, bytes, st.insns, st.skipped);
	printf("#   validity mismatches: %" PRIu64 "\n", st.valid_mis);
	print_mismatches(&st);
	printf("#   info: %" PRIu64 " instructions kill fewer flags than zydis"
	       " says they write; %" PRIu64 " zydis-invalid byte sequences"
	       " accepted as VEX/EVEX/XOP or MPX hint NOPs\n",
	       st.under_kill, st.over_ok);
	if (!nsec || !st.insns) {
		printf("not ok %d - %s: no executable code found\n", n, path);
		return 1;
	}
	printf("%s %d - %s: %" PRIu64 " instructions, %" PRIu64 " mismatches\n",
	       bad ? "not ok" : "ok", n, path, st.insns, bad);
	return bad != 0;
}

/* ------------------------------------------------------------------ */
/* Random buffers.                                                      */

static uint64_t rng_state;

static uint64_t rnd(void)
{
	uint64_t x = rng_state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	rng_state = x;
	return x;
}

static unsigned int rnd_below(unsigned int n)
{
	return (unsigned int)((rnd() >> 11) % n);
}

static const uint8_t legacy_pfx[] = {
	0x66, 0x67, 0xf2, 0xf3, 0xf0, 0x2e, 0x3e, 0x26, 0x36, 0x64, 0x65,
};

/* A buffer biased towards prefix and escape combinations. */
static void gen(uint8_t *b)
{
	unsigned int i, n = 0, npfx, kind;

	for (i = 0; i < X86_MAX_INSN_LEN; i++)
		b[i] = (uint8_t)rnd();
	npfx = rnd_below(8) < 5 ? 0 : rnd_below(5);
	if (rnd_below(16) == 0)
		npfx = rnd_below(15);
	for (i = 0; i < npfx && n < X86_MAX_INSN_LEN; i++)
		b[n++] = legacy_pfx[rnd_below(sizeof(legacy_pfx))];
	if (rnd_below(3) == 0 && n < X86_MAX_INSN_LEN)
		b[n++] = 0x40 | rnd_below(16);
	if (n >= X86_MAX_INSN_LEN - 4)
		return;
	kind = rnd_below(16);
	switch (kind) {
	case 0 ... 3: /* one-byte map: leave random */
		break;
	case 4 ... 6:
		b[n] = 0x0f;
		break;
	case 7:
		b[n] = 0x0f;
		b[n + 1] = 0x38;
		break;
	case 8:
		b[n] = 0x0f;
		b[n + 1] = 0x3a;
		break;
	case 9:
		b[n] = 0x0f;
		b[n + 1] = 0x0f;
		break;
	case 10:
		b[n] = 0xc5;
		break;
	case 11:
		b[n] = 0xc4;
		b[n + 1] = (b[n + 1] & 0xe0) | (1 + rnd_below(3));
		break;
	case 12:
		b[n] = 0xc4;
		break;
	case 13:
		b[n] = 0x62;
		b[n + 1] = (b[n + 1] & 0xf0) | rnd_below(8);
		b[n + 2] |= 4;
		break;
	case 14:
		b[n] = 0x62;
		break;
	case 15:
		b[n] = 0x8f;
		if (rnd_below(2))
			b[n + 1] = (b[n + 1] & 0xe0) | (8 + rnd_below(3));
		break;
	}
}

/*
 * Every proper prefix of a valid instruction must decode as X86_ERR_SHORT,
 * reading nothing past its end: the bytes sit right before a page that is
 * not mapped.
 */
static uint8_t *guard_page;

static int truncation_ok(const uint8_t *buf, int len)
{
	long pg = sysconf(_SC_PAGESIZE);
	struct x86_insn in;
	int k;

	if (!guard_page) {
		guard_page = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (guard_page == MAP_FAILED ||
		    mprotect(guard_page + pg, pg, PROT_NONE)) {
			perror("decode-diff: guard page");
			exit(1);
		}
		guard_page += pg;
	}
	for (k = 0; k < len; k++) {
		memcpy(guard_page - k, buf, k);
		if (x86_decode(guard_page - k, k, &in) != X86_ERR_SHORT)
			return 0;
	}
	return 1;
}

static int check_random(uint64_t count, uint64_t seed, int n)
{
	uint8_t buf[X86_MAX_INSN_LEN];
	ZydisDecodedInstruction zi;
	ZydisDecodedOperand ops[ZYDIS_MAX_OPERAND_COUNT];
	struct x86_insn in;
	struct stats st = { 0 };
	uint64_t i, both = 0, under = 0, over = 0, over_enc[4] = { 0 };
	uint64_t over_bad = 0;
	char text[160];
	ZyanStatus zs;
	int len;

	rng_state = seed * 0x9e3779b97f4a7c15ull + 1;
	for (i = 0; i < count; i++) {
		gen(buf);
		zs = ZydisDecoderDecodeInstruction(&zdec, NULL, buf,
						   sizeof(buf), &zi);
		len = x86_decode(buf, sizeof(buf), &in);
		if (!zydis_ok(zs, &zi)) {
			if (len >= 0 && !tolerated_over(&in)) {
				over_bad++;
				show(&st, "accepted invalid insn", buf,
				     sizeof(buf), i, -1, "invalid", "", len,
				     &in);
			} else if (len >= 0) {
				over++;
				over_enc[in.enc & 3]++;
				if (show_over == 1 + in.enc)
					show(&st, "accepted invalid insn", buf,
					     sizeof(buf), i, -1, "invalid", "",
					     len, &in);
			}
			continue;
		}
		if (len < 0) {
			under++;
			ZydisDecoderDecodeFull(&zdec, buf, sizeof(buf), &zi,
					       ops);
			zydis_text(&zi, ops, text, sizeof(text));
			show(&st, "rejected valid insn", buf, sizeof(buf), i,
			     zi.length, text, "", len, &in);
			continue;
		}
		both++;
		ZydisDecoderDecodeFull(&zdec, buf, sizeof(buf), &zi, ops);
		compare_one(&st, buf, sizeof(buf), i, &zi, ops);
		if (!truncation_ok(buf, len)) {
			st.trunc_mis++;
			show(&st, "truncated decode", buf, sizeof(buf), i,
			     zi.length, "", "", len, &in);
		}
	}
	printf("# random: %" PRIu64 " buffers (seed %" PRIu64 "), %" PRIu64
	       " valid for both\n",
	       count, seed, both);
	printf("#   mismatches: zydis-valid rejected %" PRIu64
	       ", zydis-invalid accepted %" PRIu64 ", truncation %" PRIu64 "\n",
	       under, over_bad, st.trunc_mis);
	print_mismatches(&st);
	printf("#   info: %" PRIu64 " instructions kill fewer flags than"
	       " zydis says they write\n",
	       st.under_kill);
	printf("#   info: tolerated zydis-invalid accepted: %" PRIu64
	       " (mpx hint nops %" PRIu64 ", vex %" PRIu64 ", evex %" PRIu64
	       ", xop %" PRIu64 ")\n",
	       over, over_enc[0], over_enc[1], over_enc[2], over_enc[3]);
	i = under + over_bad + st.trunc_mis + st_bad(&st);
	printf("%s %d - random: %" PRIu64 " buffers, %" PRIu64 " mismatches\n",
	       i ? "not ok" : "ok", n, count, i);
	return i != 0;
}

/* ------------------------------------------------------------------ */
/* Systematic sweep: every opcode of every map, under each mandatory    */
/* prefix (or VEX/EVEX/XOP pp, L and W), with every ModRM byte.         */

struct sweep {
	uint64_t total, both, under, over, over_bad, len_mis;
	unsigned int shown;
	int dump; /* print every disagreeing opcode group */
};

static void sweep_one(struct sweep *sw, const uint8_t *buf, size_t hdr,
		      const char *group)
{
	uint8_t b[X86_MAX_INSN_LEN];
	ZydisDecodedInstruction zi;
	struct x86_insn in;
	unsigned int m, under = 0, over = 0, lenm = 0, ex = 0, exkind = 0;
	unsigned int over_bad = 0;
	char list[256 * 4 + 1] = "";
	size_t ll = 0;
	ZyanStatus zs;
	int len, zv;
	char bytes[3 * X86_MAX_INSN_LEN + 1];

	memcpy(b, buf, sizeof(b));
	for (m = 0; m < 256; m++) {
		b[hdr] = m;
		zs = ZydisDecoderDecodeInstruction(&zdec, NULL, b, sizeof(b),
						   &zi);
		zv = zydis_ok(zs, &zi);
		len = x86_decode(b, sizeof(b), &in);
		sw->total++;
		if (zv && len >= 0) {
			sw->both++;
			if (len != zi.length) {
				lenm++;
				ex = m;
				exkind = 3;
			}
		} else if (zv) {
			under++;
			ll += sprintf(list + ll, " -%02x", m);
			ex = m;
			exkind = 1;
		} else if (len >= 0) {
			over++;
			if (!tolerated_over(&in))
				over_bad++;
			ll += sprintf(list + ll, " +%02x", m);
			if (!exkind)
				ex = m, exkind = 2;
		}
	}
	sw->under += under;
	sw->over += over - over_bad;
	sw->over_bad += over_bad;
	sw->len_mis += lenm;
	if (!(under || lenm || over_bad || (sw->dump && over)))
		return;
	if (sw->shown++ >= MAX_SHOWN && !verbose && !sw->dump)
		return;
	b[hdr] = ex;
	hex(bytes, b, hdr + 2);
	printf("#   %s: modrm values rejected-valid %u, accepted-invalid %u,"
	       " length %u; e.g. %s(%s)\n",
	       group, under, over, lenm, bytes,
	       exkind == 1   ? "rejected"
	       : exkind == 2 ? "accepted"
			     : "length");
	if (sw->dump)
		printf("#     modrm:%s\n", list);
}

static int check_sweep(int n, int dump)
{
	static const uint8_t pfx[] = { 0, 0x66, 0xf3, 0xf2 };
	struct sweep sw = { .dump = dump };
	uint8_t b[X86_MAX_INSN_LEN];
	unsigned int p, map, op, w, l, h;
	char group[64];
	uint64_t bad;

	memset(b, 0x11, sizeof(b));
	for (p = 0; p < 4; p++)
		for (w = 0; w < 2; w++)
			for (map = 0; map < 4; map++)
				for (op = 0; op < 256; op++) {
					h = 0;
					if (pfx[p])
						b[h++] = pfx[p];
					if (w)
						b[h++] = 0x48;
					if (map)
						b[h++] = 0x0f;
					if (map == 2)
						b[h++] = 0x38;
					if (map == 3)
						b[h++] = 0x3a;
					b[h++] = op;
					memset(b + h, 0x11, sizeof(b) - h);
					snprintf(group, sizeof(group),
						 "legacy %02x%s map %u op %02x",
						 pfx[p], w ? " rex.w" : "", map,
						 op);
					sweep_one(&sw, b, h, group);
				}
	/* VEX (3-byte form), XOP and EVEX with all-ones inverted fields. */
	for (map = 1; map <= 10; map++)
		for (p = 0; p < 4; p++)
			for (w = 0; w < 2; w++)
				for (l = 0; l < 2; l++)
					for (op = 0; op < 256; op++) {
						if (map > 3 && map < 8)
							break;
						if (map >= 8 && p)
							break;
						memset(b, 0x11, sizeof(b));
						b[0] = map >= 8 ? 0x8f : 0xc4;
						b[1] = 0xe0 | map;
						b[2] = w << 7 | 0x78 | l << 2 |
						       p;
						b[3] = op;
						snprintf(
							group, sizeof(group),
							"%s map %u pp %u W%u L%u op %02x",
							map >= 8 ? "xop"
								 : "vex",
							map, p, w, l, op);
						sweep_one(&sw, b, 4, group);
					}
	for (map = 1; map <= 6; map++)
		for (p = 0; p < 4; p++)
			for (w = 0; w < 2; w++)
				for (l = 0; l < 3; l++)
					for (op = 0; op < 256; op++) {
						if (map == 4)
							break;
						memset(b, 0x11, sizeof(b));
						b[0] = 0x62;
						b[1] = 0xf0 | map;
						b[2] = w << 7 | 0x7c | p;
						b[3] = l << 5 | 0x08;
						b[4] = op;
						snprintf(
							group, sizeof(group),
							"evex map %u pp %u W%u L%u op %02x",
							map, p, w, l, op);
						sweep_one(&sw, b, 5, group);
					}
	printf("# sweep: %" PRIu64 " encodings, %" PRIu64 " valid for both\n",
	       sw.total, sw.both);
	printf("#   mismatches: zydis-valid rejected %" PRIu64
	       ", zydis-invalid accepted %" PRIu64 ", length %" PRIu64 "\n",
	       sw.under, sw.over_bad, sw.len_mis);
	printf("#   info: tolerated zydis-invalid accepted (VEX/EVEX/XOP,"
	       " MPX hint NOPs): %" PRIu64 "\n",
	       sw.over);
	bad = sw.under + sw.over_bad + sw.len_mis;
	printf("%s %d - sweep: %" PRIu64 " encodings, %" PRIu64 " mismatches\n",
	       bad ? "not ok" : "ok", n, sw.total, bad);
	return bad != 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: decode-diff [--random N] [--seed S] "
			"[--sweep] [--verbose] FILE...\n");
	exit(2);
}

int main(int argc, char **argv)
{
	uint64_t count = 0, seed = 1;
	int i, first = 1, fail = 0, n = 0, nfiles, sweep = 0;
	char *end;

	for (; first < argc && argv[first][0] == '-'; first++) {
		if (!strcmp(argv[first], "--verbose")) {
			verbose = 1;
			continue;
		}
		if (!strcmp(argv[first], "--sweep")) {
			sweep = 1;
			continue;
		}
		if (!strcmp(argv[first], "--sweep-dump")) {
			sweep = 2;
			continue;
		}
		if (first + 1 >= argc)
			usage();
		if (!strcmp(argv[first], "--show-accepted"))
			show_over = 1 + strtoul(argv[first + 1], &end, 0);
		else if (!strcmp(argv[first], "--random"))
			count = strtoull(argv[first + 1], &end, 0);
		else if (!strcmp(argv[first], "--seed"))
			seed = strtoull(argv[first + 1], &end, 0);
		else
			usage();
		if (*end)
			usage();
		first++;
	}
	nfiles = argc - first;
	if (!nfiles && !count && !sweep)
		usage();
	if (ZYAN_FAILED(ZydisDecoderInit(&zdec, ZYDIS_MACHINE_MODE_LONG_64,
					 ZYDIS_STACK_WIDTH_64))) {
		fprintf(stderr, "decode-diff: cannot initialise Zydis\n");
		return 1;
	}
	printf("1..%d\n", nfiles + (count ? 1 : 0) + (sweep ? 1 : 0));
	for (i = first; i < argc; i++)
		fail |= check_file(argv[i], ++n);
	if (count)
		fail |= check_random(count, seed, ++n);
	if (sweep)
		fail |= check_sweep(++n, sweep == 2);
	return fail;
}
