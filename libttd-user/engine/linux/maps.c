// SPDX-License-Identifier: GPL-2.0
/* /proc/self/maps parsing (see maps.h). */
#include "maps.h"
#include "sys.h"
#include "../lib.h"

static uint64_t hex_field(char **pp, char stop)
{
	uint64_t v = 0;
	char *p = *pp;

	while (*p && *p != stop && *p != '\n')
		v = v * 16 + hexval(*p++);
	*pp = *p == stop ? p + 1 : p;
	return v;
}

/* "start-end perms offset major:minor inode   path" */
static void parse_line(char *p, struct vm_area *a)
{
	int n = 0;

	a->start = hex_field(&p, '-');
	a->end = hex_field(&p, ' ');
	a->prot = (p[0] == 'r' ? PROT_READ : 0) |
		  (p[1] == 'w' ? PROT_WRITE : 0) |
		  (p[2] == 'x' ? PROT_EXEC : 0);
	a->shared = p[3] == 's';
	p += 5;
	a->off = hex_field(&p, ' ');
	a->dev = (uint32_t)(hex_field(&p, ':') << 12);
	a->dev |= (uint32_t)hex_field(&p, ' ');
	a->ino = 0;
	while (*p >= '0' && *p <= '9')
		a->ino = a->ino * 10 + (uint64_t)(*p++ - '0');
	while (*p == ' ')
		p++;
	while (*p && *p != '\n' && n < (int)sizeof(a->name) - 1)
		a->name[n++] = *p++;
	a->name[n] = '\0';
}

int maps_for_each(int (*cb)(const struct vm_area *a, void *arg), void *arg)
{
	static char buf[16384];
	static struct elock lock;
	int fd = (int)sys_openat(-100, "/proc/self/maps", O_RDONLY, 0);
	long n, len = 0;
	struct vm_area a;
	int ret = 0;
	char *p;

	if (fd < 0)
		return -1;
	elock_acquire(&lock);
	while (!ret &&
	       (n = sys_read(fd, buf + len, sizeof(buf) - 1 - len)) > 0) {
		len += n;
		buf[len] = '\0';
		p = buf;
		for (char *nl; !ret && (nl = strchr(p, '\n')); p = nl + 1) {
			parse_line(p, &a);
			ret = cb(&a, arg);
		}
		len = buf + len - p;
		memmove(buf, p, len);
	}
	elock_release(&lock);
	sys_close(fd);
	return ret;
}
