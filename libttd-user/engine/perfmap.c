// SPDX-License-Identifier: GPL-2.0
/* perf map of translated blocks (see perfmap.h). */
#include "perfmap.h"
#include "dispatch.h"
#include "lib.h"
#include "linux/sys.h"

static char buf[65536];
static size_t used;
static int fd = -1;

void perfmap_flush(void)
{
	char path[64];

	if (!used)
		return;
	if (fd < 0) {
		fmt(path, sizeof(path), "/tmp/perf-%ld.map", sys_getpid());
		fd = (int)sys_openat(-100, path,
				     O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
				     0644);
	}
	if (fd >= 0)
		sys_write(fd, buf, used);
	used = 0;
}

/* Called under cache_lock. */
void perfmap_block(const void *code, uint32_t len, uint64_t app_pc)
{
	if (!(eopts.options & TTD_OPT_PERF_MAP))
		return;
	if (used + 64 > sizeof(buf))
		perfmap_flush();
	used += fmt(buf + used, sizeof(buf) - used, "%lx %x app_%lx\n",
		    (unsigned long)code, len, (unsigned long)app_pc);
}
