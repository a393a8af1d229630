// SPDX-License-Identifier: GPL-2.0
/* Freestanding runtime of the engine (see lib.h). */
#include "lib.h"
#include "ctl.h"
#include "linux/sys.h"

void *memcpy(void *dst, const void *src, size_t n)
{
	void *ret = dst;

	__asm__ volatile("rep movsb"
			 : "+D"(dst), "+S"(src), "+c"(n)
			 :
			 : "memory");
	return ret;
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d <= s || d >= s + n)
		return memcpy(dst, src, n);
	while (n--)
		d[n] = s[n];
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	void *ret = dst;

	__asm__ volatile("rep stosb" : "+D"(dst), "+c"(n) : "a"(c) : "memory");
	return ret;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (unsigned char)*a - (unsigned char)*b;
}

char *strchr(const char *s, int c)
{
	for (; *s; s++)
		if (*s == (char)c)
			return (char *)s;
	return c ? NULL : (char *)s;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (!*a)
			return 0;
	}
	return 0;
}

struct out {
	char *buf;
	size_t size;
	size_t len;
};

static void out_c(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void out_num(struct out *o, unsigned long v, unsigned base, int neg,
		    int width, char pad)
{
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	if (neg)
		tmp[n++] = '-';
	while (width-- > n)
		out_c(o, pad);
	while (n)
		out_c(o, tmp[--n]);
}

static const char *parse_width(const char *f, int *width, char *pad)
{
	*pad = ' ';
	*width = 0;
	if (*f == '0') {
		*pad = '0';
		f++;
	}
	while (*f >= '0' && *f <= '9')
		*width = *width * 10 + (*f++ - '0');
	return f;
}

static void out_arg(struct out *o, char conv, int lng, int width, char pad,
		    va_list *ap)
{
	unsigned long u;
	long s;
	const char *str;

	switch (conv) {
	case 'd':
		s = lng ? va_arg(*ap, long) : va_arg(*ap, int);
		u = s < 0 ? -(unsigned long)s : (unsigned long)s;
		out_num(o, u, 10, s < 0, width, pad);
		break;
	case 'u':
	case 'x':
		u = lng ? va_arg(*ap, unsigned long) : va_arg(*ap, unsigned);
		out_num(o, u, conv == 'x' ? 16 : 10, 0, width, pad);
		break;
	case 'p':
		out_c(o, '0');
		out_c(o, 'x');
		out_num(o, (unsigned long)va_arg(*ap, void *), 16, 0, width,
			pad);
		break;
	case 's':
		str = va_arg(*ap, const char *);
		if (!str)
			str = "(null)";
		for (s = strlen(str); width > s; width--)
			out_c(o, ' ');
		while (*str)
			out_c(o, *str++);
		break;
	case 'c':
		out_c(o, (char)va_arg(*ap, int));
		break;
	default:
		out_c(o, '%');
		out_c(o, conv);
	}
}

int vfmt(char *buf, size_t size, const char *f, va_list ap)
{
	struct out o = { buf, size, 0 };
	va_list aq;
	int width, lng;
	char pad;

	va_copy(aq, ap);
	for (; *f; f++) {
		if (*f != '%') {
			out_c(&o, *f);
			continue;
		}
		f = parse_width(f + 1, &width, &pad);
		lng = 0;
		while (*f == 'l' || *f == 'z') {
			lng = 1;
			f++;
		}
		if (*f == '%') {
			out_c(&o, '%');
			continue;
		}
		out_arg(&o, *f, lng, width, pad, &aq);
	}
	va_end(aq);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int fmt(char *buf, size_t size, const char *f, ...)
{
	va_list ap;
	int n;

	va_start(ap, f);
	n = vfmt(buf, size, f, ap);
	va_end(ap);
	return n;
}

void sb_printf(struct strbuf *sb, const char *f, ...)
{
	va_list ap;
	int room = (int)sizeof(sb->buf) - sb->len;

	if (room <= 1)
		return;
	va_start(ap, f);
	sb->len += vfmt(sb->buf + sb->len, room, f, ap);
	va_end(ap);
	if (sb->len > (int)sizeof(sb->buf) - 1)
		sb->len = sizeof(sb->buf) - 1;
}

/* Messages go to the supervisor, which prints them on its stderr. */
void eprintf(const char *f, ...)
{
	char buf[1024];
	va_list ap;
	int n;

	va_start(ap, f);
	n = vfmt(buf, sizeof(buf), f, ap);
	va_end(ap);
	if (n > (int)sizeof(buf) - 1)
		n = sizeof(buf) - 1;
	ctl_log(buf, n);
}

void fatal(const char *f, ...)
{
	char buf[1024];
	va_list ap;
	int n;

	n = fmt(buf, sizeof(buf),
		"ttd: engine error (pid %ld tid %ld): ", sys_getpid(),
		sys_gettid());
	va_start(ap, f);
	n += vfmt(buf + n, sizeof(buf) - n, f, ap);
	va_end(ap);
	if (n > (int)sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';
	ctl_log(buf, n);
	sys_exit_group(125);
}

/*
 * 0 free, 1 held, 2 held with sleepers.  Spinning must use cmpxchg from 0:
 * an xchg to 1 would erase the 2 of a sleeping waiter, and the holder
 * would then release without waking it.
 */
void elock_acquire(struct elock *l)
{
	int c;

	for (int spins = 0; spins < 100; spins++) {
		c = 0;
		if (__atomic_compare_exchange_n(&l->v, &c, 1, 0,
						__ATOMIC_ACQUIRE,
						__ATOMIC_RELAXED))
			return;
		__asm__ volatile("pause");
	}
	while (__atomic_exchange_n(&l->v, 2, __ATOMIC_ACQUIRE))
		sys_futex(&l->v, 0 /* FUTEX_WAIT */, 2, NULL);
}

void elock_release(struct elock *l)
{
	if (__atomic_exchange_n(&l->v, 0, __ATOMIC_RELEASE) == 2)
		sys_futex(&l->v, 1 /* FUTEX_WAKE */, 1, NULL);
}
