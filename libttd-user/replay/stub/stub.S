/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The replay stub: the program a replay execs so that the engine can be
 * injected into a fresh process.  The engine unmaps it before running a
 * single recorded instruction, so it never runs; it is linked at the
 * lowest address a process may map, where no recorded program lives.
 */
	.text
	.globl _start
_start:
	mov $60, %eax	/* exit(127) if ever started without the engine */
	mov $127, %edi
	syscall
	ud2
	.section .note.GNU-stack, "", @progbits
