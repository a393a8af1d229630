// SPDX-License-Identifier: GPL-2.0
/*
 * Filtered /proc/PID/{maps,smaps} (see procfs.h).  The real file is read
 * in full, the engine's mappings are dropped, the rest goes into a memfd
 * that takes the place of the descriptor the application opened.
 */
#include "procfs.h"
#include "syscall.h"
#include "sys.h"
#include "../cache.h"
#include "../heap.h"
#include "../lib.h"
#include "../thread.h"

#define MFD_CLOEXEC 1U

enum { NOT_MAPS, MAPS, SMAPS };

static int parse_dec(const char **pp)
{
	const char *p = *pp;
	int v = 0;

	if (*p < '0' || *p > '9')
		return -1;
	while (*p >= '0' && *p <= '9')
		v = v * 10 + (*p++ - '0');
	*pp = p;
	return v;
}

/* /proc/{self,thread-self,PID}[/task/TID]/{maps,smaps} of ourselves. */
static int classify(const char *p)
{
	long pid = sys_getpid();

	if (strncmp(p, "/proc/", 6))
		return NOT_MAPS;
	p += 6;
	if (!strncmp(p, "self/", 5)) {
		p += 5;
	} else if (!strncmp(p, "thread-self/", 12)) {
		p += 12;
	} else {
		if (parse_dec(&p) != pid || *p++ != '/')
			return NOT_MAPS;
	}
	if (!strncmp(p, "task/", 5)) {
		p += 5;
		if (parse_dec(&p) < 0 || *p++ != '/')
			return NOT_MAPS;
	}
	if (!strcmp(p, "maps"))
		return MAPS;
	if (!strcmp(p, "smaps"))
		return SMAPS;
	return NOT_MAPS;
}

static int engine_range(uint64_t start)
{
	return heap_owns(start) || cache_owns(start);
}

static uint64_t line_start(const char *p)
{
	uint64_t v = 0;

	while ((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'))
		v = v * 16 + hexval(*p++);
	return *p == '-' ? v : ~0ULL;
}

/* Drop the engine's entries in place; returns the new length. */
static size_t filter(char *buf, size_t len)
{
	size_t in = 0, out = 0;
	int skipping = 0;

	while (in < len) {
		size_t end = in;
		uint64_t start;

		while (end < len && buf[end] != '\n')
			end++;
		if (end < len)
			end++;
		start = line_start(buf + in);
		if (start != ~0ULL)
			skipping = engine_range(start);
		if (!skipping) {
			memmove(buf + out, buf + in, end - in);
			out += end - in;
		}
		in = end;
	}
	return out;
}

static char *slurp(int fd, size_t *len, size_t *cap)
{
	char *buf = NULL;
	long n;

	*len = 0;
	*cap = 0;
	for (;;) {
		if (*len == *cap) {
			size_t ncap = *cap ? *cap * 2 : 65536;
			char *nb = heap_alloc(ncap);
			memcpy(nb, buf, *len);
			heap_free(buf, *cap);
			buf = nb;
			*cap = ncap;
		}
		n = sys_read(fd, buf + *len, *cap - *len);
		if (n <= 0)
			break;
		*len += (size_t)n;
	}
	return buf;
}

void procfs_after_open(struct ttd_thread *t, uint64_t path)
{
	char name[64] = { 0 };
	int fd = (int)t->ctx.rax, mfd;
	size_t len, cap;
	char *buf;

	if (fd < 0 || app_read(path, name, sizeof(name) - 1))
		return;
	if (classify(name) == NOT_MAPS)
		return;
	buf = slurp(fd, &len, &cap);
	len = filter(buf, len);
	mfd = (int)sys_call2(__NR_memfd_create, "maps", MFD_CLOEXEC);
	if (mfd >= 0) {
		sys_write(mfd, buf, len);
		sys_call3(__NR_lseek, mfd, 0, 0);
		/* The application keeps its descriptor number and flags. */
		if (sys_call3(__NR_dup3, mfd, fd,
			      (sys_call2(__NR_fcntl, fd, 1 /* F_GETFD */) & 1)
				      ? 02000000
				      : 0) == fd)
			sys_close(mfd);
	}
	heap_free(buf, cap);
}
