/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The engine's small freestanding runtime: memory and string helpers,
 * formatted output to the engine's private descriptor, fatal errors.
 */
#ifndef TTD_ENGINE_LIB_H
#define TTD_ENGINE_LIB_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a) (((x) + (a)-1) & ~((__typeof__(x))(a)-1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a)-1))
#define PAGE_SIZE 4096UL
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define READ_ONCE(x) (*(volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);

static inline int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return 0;
}

/* Formatted output: %d %u %ld %lu %lx %x %s %p %c %%, widths, 0-pad. */
int vfmt(char *buf, size_t size, const char *fmt, va_list ap);
int fmt(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Text assembled for one eprintf-like message. */
struct strbuf {
	int len;
	char buf[4000];
};
void sb_printf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* A message for the user, printed by the supervisor. */
void eprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Report an internal error with the application state and abort. */
__attribute__((noreturn, format(printf, 1, 2))) void fatal(const char *fmt,
							   ...);

/* A simple spinning-then-futex lock, usable between threads. */
struct elock {
	int v;
};
void elock_acquire(struct elock *l);
void elock_release(struct elock *l);

#endif
