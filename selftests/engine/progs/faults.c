// SPDX-License-Identifier: GPL-2.0
/*
 * Faulting and unusual instructions, one case per argument:
 *   int80      the 32-bit system call gate from 64-bit code: prints the
 *              instruction's address first, so that a refusal naming it
 *              can be checked
 *   ud2        dies by SIGILL
 *   ud2-handler, int3-handler, hlt-handler
 *              a handler reports si_addr and the saved rip relative to
 *              the faulting instruction, then skips it
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>

extern const char insn_int80[], insn_ud2[], insn_int3[], insn_hlt[];

__asm__(".text\n"
	"do_int80:\n"
	"	push %rbx\n"
	"	mov $20, %eax\n" /* getpid in the 32-bit table */
	"insn_int80:\n"
	"	int $0x80\n"
	"	pop %rbx\n"
	"	ret\n"
	"do_ud2:\n"
	"insn_ud2:\n"
	"	ud2\n"
	"	ret\n"
	"do_int3:\n"
	"insn_int3:\n"
	"	int3\n"
	"	ret\n"
	"do_hlt:\n"
	"insn_hlt:\n"
	"	hlt\n"
	"	ret\n");

int do_int80(void);
void do_ud2(void);
void do_int3(void);
void do_hlt(void);

static const char *fault_insn;
static int skip_len;

static void handler(int sig, siginfo_t *si, void *p)
{
	ucontext_t *uc = p;
	greg_t *rip = &uc->uc_mcontext.gregs[REG_RIP];

	printf("sig %d code %d si_addr %+ld rip %+ld\n", sig, si->si_code,
	       (long)((char *)si->si_addr - fault_insn),
	       (long)((char *)*rip - fault_insn));
	/* int3 traps after itself; the others fault on themselves. */
	if (*rip == (greg_t)fault_insn)
		*rip += skip_len;
}

static void with_handler(int sig, const char *insn, int len, void (*fn)(void))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = handler;
	sa.sa_flags = SA_SIGINFO;
	sigaction(sig, &sa, NULL);
	fault_insn = insn;
	skip_len = len;
	fn();
	printf("continued after the instruction\n");
}

int main(int argc, char **argv)
{
	const char *c = argc > 1 ? argv[1] : "";

	setvbuf(stdout, NULL, _IONBF, 0);
	if (!strcmp(c, "int80")) {
		printf("int $0x80 at %p\n", (void *)insn_int80);
		printf("returned %d\n", do_int80() == getpid());
	} else if (!strcmp(c, "ud2")) {
		printf("executing ud2\n");
		do_ud2();
	} else if (!strcmp(c, "ud2-handler")) {
		with_handler(SIGILL, insn_ud2, 2, do_ud2);
	} else if (!strcmp(c, "int3-handler")) {
		with_handler(SIGTRAP, insn_int3, 1, do_int3);
	} else if (!strcmp(c, "hlt-handler")) {
		with_handler(SIGSEGV, insn_hlt, 1, do_hlt);
	} else {
		fprintf(stderr, "usage: faults CASE\n");
		return 2;
	}
	return 0;
}
