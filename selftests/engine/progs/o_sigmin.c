// SPDX-License-Identifier: GPL-2.0
/*
 * The smallest signal round trip, without libc: install a handler with
 * rt_sigaction, send SIGUSR1 to self with kill, the handler sets the
 * exit status and returns through its restorer (rt_sigreturn), exit.  Thirty-odd instructions:
 * every one is visible in a --dump-syscalls report of the oracle.
 */
__asm__(".text\n"
	".globl _start\n"
	"_start:\n"
	/* struct kernel_sigaction on the stack: handler, flags, restorer, mask */
	"	sub $32, %rsp\n"
	"	lea handler(%rip), %rax\n"
	"	mov %rax, 0(%rsp)\n"
	"	movq $0x04000000, 8(%rsp)\n" /* SA_RESTORER */
	"	lea restorer(%rip), %rax\n"
	"	mov %rax, 16(%rsp)\n"
	"	movq $0, 24(%rsp)\n"
	"	mov $13, %eax\n" /* rt_sigaction */
	"	mov $10, %edi\n" /* SIGUSR1 */
	"	mov %rsp, %rsi\n"
	"	xor %edx, %edx\n"
	"	mov $8, %r10d\n"
	"	syscall\n"
	"	mov $39, %eax\n" /* getpid */
	"	syscall\n"
	"	mov %eax, %edi\n"
	"	mov $10, %esi\n"
	"	mov $62, %eax\n" /* kill */
	"	syscall\n"
	"	mov $60, %eax\n" /* exit(flag) */
	"	mov flag(%rip), %edi\n"
	"	syscall\n"
	"handler:\n"
	"	movl $42, flag(%rip)\n"
	"	ret\n"
	"restorer:\n"
	"	mov $15, %eax\n" /* rt_sigreturn */
	"	syscall\n"
	"	hlt\n"
	".data\n"
	"flag: .long 0\n");
