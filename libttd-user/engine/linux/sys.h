/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Raw Linux system calls for the freestanding engine.  The engine never
 * calls into libc: the application may be inside malloc or hold stdio
 * locks when the engine runs.
 */
#ifndef TTD_ENGINE_SYS_H
#define TTD_ENGINE_SYS_H

#include <stdint.h>
#include <stddef.h>
#include <asm/unistd.h>
#include <linux/mman.h>
#include <linux/fcntl.h>
#include <linux/errno.h>

#define MAP_FAILED ((void *)-1)

static inline long sys_call6(long nr, long a, long b, long c, long d, long e,
			     long f)
{
	long ret;
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8),
			   "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

#define sys_call0(n) sys_call6(n, 0, 0, 0, 0, 0, 0)
#define sys_call1(n, a) sys_call6(n, (long)(a), 0, 0, 0, 0, 0)
#define sys_call2(n, a, b) sys_call6(n, (long)(a), (long)(b), 0, 0, 0, 0)
#define sys_call3(n, a, b, c) \
	sys_call6(n, (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define sys_call4(n, a, b, c, d) \
	sys_call6(n, (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)
#define sys_call5(n, a, b, c, d, e) \
	sys_call6(n, (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), 0)

static inline long sys_write(int fd, const void *buf, size_t n)
{
	return sys_call3(__NR_write, fd, buf, n);
}

static inline long sys_read(int fd, void *buf, size_t n)
{
	return sys_call3(__NR_read, fd, buf, n);
}

static inline long sys_openat(int dfd, const char *path, int flags, int mode)
{
	return sys_call4(__NR_openat, dfd, path, flags, mode);
}

static inline long sys_close(int fd)
{
	return sys_call1(__NR_close, fd);
}

static inline void *sys_mmap(void *addr, size_t len, int prot, int flags,
			     int fd, long off)
{
	return (void *)sys_call6(__NR_mmap, (long)addr, (long)len, prot, flags,
				 fd, off);
}

static inline long sys_munmap(void *addr, size_t len)
{
	return sys_call2(__NR_munmap, addr, len);
}

static inline long sys_mprotect(void *addr, size_t len, int prot)
{
	return sys_call3(__NR_mprotect, addr, len, prot);
}

static inline long sys_gettid(void)
{
	return sys_call0(__NR_gettid);
}

static inline long sys_getpid(void)
{
	return sys_call0(__NR_getpid);
}

static inline __attribute__((noreturn)) void sys_exit_group(int code)
{
	for (;;)
		sys_call1(__NR_exit_group, code);
}

static inline __attribute__((noreturn)) void sys_exit_thread(int code)
{
	for (;;)
		sys_call1(__NR_exit, code);
}

static inline long sys_futex(int *uaddr, int op, int val, const void *ts)
{
	return sys_call4(__NR_futex, uaddr, op, val, ts);
}

static inline int sys_is_err(long r)
{
	return (unsigned long)r >= (unsigned long)-4095;
}

#endif
