// SPDX-License-Identifier: GPL-2.0
/*
 * The injector maps the engine image at a fixed address in the stopped
 * process (by making it run mmap/mprotect through ptrace), writes the
 * relocated image and a boot block through /proc/PID/mem, points the
 * thread at the engine's entry and lets it go.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#include "inject.h"
#include "engine/boot.h"
#include "engine/heap.h"

#define BOOT_STACK_SIZE (64 << 10)

static struct {
	uint8_t *image; /* relocated for ENGINE_ARENA_BASE */
	size_t size; /* page-aligned image size */
	uint64_t entry;
	struct {
		uint64_t off, len;
		int prot;
	} seg[8];
	int nseg;
} eng;

static char errbuf[512];

static int fail(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(errbuf, sizeof(errbuf), fmt, ap);
	va_end(ap);
	return -err;
}

const char *inject_error(void)
{
	return errbuf;
}

static int read_file(const char *path, uint8_t **out, size_t *len)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return fail(errno, "cannot open engine image %s: %s", path,
			    strerror(errno));
	if (fstat(fd, &st) || st.st_size < (off_t)sizeof(Elf64_Ehdr)) {
		close(fd);
		return fail(EINVAL, "engine image %s is not an ELF file", path);
	}
	*out = malloc(st.st_size);
	if (!*out) {
		close(fd);
		return fail(ENOMEM, "out of memory");
	}
	n = pread(fd, *out, st.st_size, 0);
	close(fd);
	if (n != st.st_size)
		return fail(EIO, "short read of %s", path);
	*len = st.st_size;
	return 0;
}

static int apply_relocs(const uint8_t *file, size_t flen, const Elf64_Ehdr *eh)
{
	const Elf64_Shdr *sh = (const Elf64_Shdr *)(file + eh->e_shoff);

	if (eh->e_shoff + (uint64_t)eh->e_shnum * sizeof(*sh) > flen)
		return fail(EINVAL, "engine image: bad section table");
	for (int i = 0; i < eh->e_shnum; i++) {
		const Elf64_Rela *r;
		size_t n;

		if (sh[i].sh_type != SHT_RELA)
			continue;
		if (sh[i].sh_offset + sh[i].sh_size > flen)
			return fail(EINVAL, "engine image: bad relocations");
		r = (const Elf64_Rela *)(file + sh[i].sh_offset);
		n = sh[i].sh_size / sizeof(*r);
		for (size_t k = 0; k < n; k++) {
			if (ELF64_R_TYPE(r[k].r_info) != R_X86_64_RELATIVE)
				return fail(EINVAL,
					    "engine image: relocation type %lu",
					    ELF64_R_TYPE(r[k].r_info));
			if (r[k].r_offset + 8 > eng.size)
				return fail(EINVAL, "engine image: bad reloc");
			*(uint64_t *)(eng.image + r[k].r_offset) =
				ENGINE_ARENA_BASE + r[k].r_addend;
		}
	}
	return 0;
}

int inject_load_engine(const char *path)
{
	uint8_t *file = NULL;
	size_t flen = 0;
	const Elf64_Ehdr *eh;
	const Elf64_Phdr *ph;
	int err = read_file(path, &file, &flen);

	if (err)
		return err;
	eh = (const Elf64_Ehdr *)file;
	if (memcmp(eh->e_ident, ELFMAG, SELFMAG) ||
	    eh->e_machine != EM_X86_64 ||
	    eh->e_phoff + (uint64_t)eh->e_phnum * sizeof(*ph) > flen)
		return fail(EINVAL, "%s is not an x86-64 engine image", path);
	ph = (const Elf64_Phdr *)(file + eh->e_phoff);
	for (int i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_LOAD &&
		    ph[i].p_vaddr + ph[i].p_memsz > eng.size)
			eng.size = ph[i].p_vaddr + ph[i].p_memsz;
	eng.size = (eng.size + 4095) & ~4095UL;
	eng.image = calloc(1, eng.size);
	if (!eng.image)
		return fail(ENOMEM, "out of memory");
	for (int i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type != PT_LOAD)
			continue;
		if (ph[i].p_offset + ph[i].p_filesz > flen || eng.nseg == 8)
			return fail(EINVAL, "engine image: bad segment");
		memcpy(eng.image + ph[i].p_vaddr, file + ph[i].p_offset,
		       ph[i].p_filesz);
		eng.seg[eng.nseg].off = ph[i].p_vaddr & ~4095UL;
		eng.seg[eng.nseg].len =
			((ph[i].p_vaddr + ph[i].p_memsz + 4095) & ~4095UL) -
			eng.seg[eng.nseg].off;
		eng.seg[eng.nseg].prot =
			((ph[i].p_flags & PF_R) ? PROT_READ : 0) |
			((ph[i].p_flags & PF_W) ? PROT_WRITE : 0) |
			((ph[i].p_flags & PF_X) ? PROT_EXEC : 0);
		eng.nseg++;
	}
	eng.entry = ENGINE_ARENA_BASE + eh->e_entry;
	err = apply_relocs(file, flen, eh);
	free(file);
	return err;
}

/* ---- running system calls in the stopped thread ---- */

struct remote {
	pid_t tid;
	struct user_regs_struct saved;
	uint64_t insn_addr;
	long saved_word;
};

static int remote_begin(struct remote *r, pid_t tid)
{
	long word;

	r->tid = tid;
	if (ptrace(PTRACE_GETREGS, tid, 0, &r->saved))
		return fail(errno, "PTRACE_GETREGS %d: %s", tid,
			    strerror(errno));
	r->insn_addr = r->saved.rip;
	errno = 0;
	r->saved_word = ptrace(PTRACE_PEEKTEXT, tid, r->insn_addr, 0);
	if (errno)
		return fail(errno, "cannot read code of %d: %s", tid,
			    strerror(errno));
	word = (r->saved_word & ~0xffffL) | 0x050f; /* syscall */
	if (ptrace(PTRACE_POKETEXT, tid, r->insn_addr, word))
		return fail(errno, "cannot write code of %d: %s", tid,
			    strerror(errno));
	return 0;
}

static int remote_end(struct remote *r)
{
	if (ptrace(PTRACE_POKETEXT, r->tid, r->insn_addr, r->saved_word))
		return fail(errno, "cannot restore code: %s", strerror(errno));
	return 0;
}

static long remote_syscall(struct remote *r, long nr, long a, long b, long c,
			   long d, long e, long f)
{
	struct user_regs_struct regs = r->saved, call;
	int status;

	regs.rax = nr;
	regs.orig_rax = -1;
	regs.rdi = a, regs.rsi = b, regs.rdx = c;
	regs.r10 = d, regs.r8 = e, regs.r9 = f;
	regs.rip = r->insn_addr;
	call = regs;
	/*
	 * From an exec event stop, the first step may report before the
	 * instruction runs (the trap of the execve return itself): step
	 * until the syscall instruction is behind us.
	 */
	for (int steps = 0; steps < 8; steps++) {
		/* (the execve return path rewrites rax: set it each time) */
		if (ptrace(PTRACE_SETREGS, r->tid, 0, &call))
			return fail(errno, "PTRACE_SETREGS: %s",
				    strerror(errno));
		if (ptrace(PTRACE_SINGLESTEP, r->tid, 0, 0))
			return fail(errno, "PTRACE_SINGLESTEP: %s",
				    strerror(errno));
		if (waitpid(r->tid, &status, __WALL) < 0)
			return fail(errno, "waitpid: %s", strerror(errno));
		if (!WIFSTOPPED(status))
			return fail(ESRCH, "thread %d died during injection",
				    r->tid);
		if (WSTOPSIG(status) != SIGTRAP)
			continue; /* another signal: stays pending */
		if (ptrace(PTRACE_GETREGS, r->tid, 0, &regs))
			return fail(errno, "PTRACE_GETREGS: %s",
				    strerror(errno));
		if (regs.rip == r->insn_addr + 2)
			return (long)regs.rax;
		if (regs.rip != r->insn_addr)
			return fail(EFAULT, "injected syscall went astray");
	}
	return fail(EFAULT, "injected syscall did not complete");
}

static int write_mem(pid_t tid, uint64_t addr, const void *buf, size_t len)
{
	char path[64];
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/mem", tid);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return fail(errno, "open %s: %s", path, strerror(errno));
	n = pwrite(fd, buf, len, (off_t)addr);
	close(fd);
	if (n != (ssize_t)len)
		return fail(EIO, "write to %s failed", path);
	return 0;
}

static void regs_to_boot(struct ttd_regs *o, const struct user_regs_struct *r)
{
	o->rax = r->rax, o->rbx = r->rbx, o->rcx = r->rcx, o->rdx = r->rdx;
	o->rsi = r->rsi, o->rdi = r->rdi, o->rbp = r->rbp, o->rsp = r->rsp;
	o->r8 = r->r8, o->r9 = r->r9, o->r10 = r->r10, o->r11 = r->r11;
	o->r12 = r->r12, o->r13 = r->r13, o->r14 = r->r14, o->r15 = r->r15;
	o->rflags = r->eflags, o->rip = r->rip;
	o->fs_base = r->fs_base, o->gs_base = r->gs_base;
}

static int map_engine(struct remote *r, uint64_t *boot_addr)
{
	uint64_t base = ENGINE_ARENA_BASE;
	uint64_t total = eng.size + 4096 + BOOT_STACK_SIZE;
	long ret;

	ret = remote_syscall(r, SYS_mmap, base, ENGINE_ARENA_SIZE, PROT_NONE,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE |
				     MAP_FIXED_NOREPLACE,
			     -1, 0);
	if (ret != (long)base)
		return fail(EEXIST,
			    "cannot reserve the engine arena at %#lx "
			    "(error %ld)",
			    (unsigned long)base, -ret);
	ret = remote_syscall(r, SYS_mmap, base, total, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	if (ret != (long)base)
		return fail(ENOMEM, "cannot map the engine (error %ld)", -ret);
	if (write_mem(r->tid, base, eng.image, eng.size))
		return -EIO;
	for (int i = 0; i < eng.nseg; i++) {
		ret = remote_syscall(r, SYS_mprotect, base + eng.seg[i].off,
				     eng.seg[i].len, eng.seg[i].prot, 0, 0, 0);
		if (ret)
			return fail(-ret, "mprotect in target: %ld", ret);
	}
	*boot_addr = base + eng.size;
	return 0;
}

int inject_engine(pid_t tid, const struct inject_opts *o)
{
	struct remote r;
	struct ttd_boot boot;
	struct user_regs_struct regs;
	uint64_t boot_addr = 0;
	int err;

	if (!eng.image)
		return fail(EINVAL, "engine image not loaded");
	err = remote_begin(&r, tid);
	if (err)
		return err;
	err = map_engine(&r, &boot_addr);
	if (remote_end(&r) && !err)
		err = -EIO;
	if (err)
		return err;
	memset(&boot, 0, sizeof(boot));
	boot.magic = TTD_BOOT_MAGIC;
	boot.version = TTD_BOOT_VERSION;
	boot.options = o->options;
	boot.engine_base = ENGINE_ARENA_BASE;
	boot.engine_size = eng.size + 4096 + BOOT_STACK_SIZE;
	boot.arena_end = ENGINE_ARENA_BASE + ENGINE_ARENA_SIZE;
	boot.stop_at = o->stop_at;
	snprintf(boot.ctl_name, sizeof(boot.ctl_name), "%s",
		 o->ctl_name ? o->ctl_name : "");
	boot.icount_base = o->icount_base;
	boot.out_dev = o->out_dev;
	boot.out_ino = o->out_ino;
	boot.err_dev = o->err_dev;
	boot.err_ino = o->err_ino;
	boot.rec_pid = o->rec_pid;
	boot.rec_tid = o->rec_tid;
	boot.ring_tail = o->ring_tail;
	regs_to_boot(&boot.regs, &r.saved);
	if (write_mem(tid, boot_addr, &boot, sizeof(boot)))
		return -EIO;
	regs = r.saved;
	regs.rip = eng.entry;
	regs.rdi = boot_addr;
	regs.rsp = boot_addr + 4096 + BOOT_STACK_SIZE - 64;
	regs.orig_rax = -1;
	if (ptrace(PTRACE_SETREGS, tid, 0, &regs))
		return fail(errno, "PTRACE_SETREGS: %s", strerror(errno));
	if (ptrace(PTRACE_DETACH, tid, 0, 0))
		return fail(errno, "PTRACE_DETACH: %s", strerror(errno));
	return 0;
}
