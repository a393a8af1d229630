// SPDX-License-Identifier: GPL-2.0
/* The table of event type names, extendable by components. */
#include <pthread.h>
#include <stdio.h>

#include "format/ttd_events.h"

#define T(id, name)            \
	{                      \
		id, name, NULL \
	}
static const struct ttd_event_type_desc generic[] = {
	T(TTD_EV_STREAM_DEF, "stream_def"),
	T(TTD_EV_META_KV, "meta"),
	T(TTD_EV_MARK, "mark"),
	T(TTD_EV_PROCESS_CREATE, "process_create"),
	T(TTD_EV_PROCESS_EXIT, "process_exit"),
	T(TTD_EV_THREAD_CREATE, "thread_create"),
	T(TTD_EV_THREAD_EXIT, "thread_exit"),
	T(TTD_EV_EXEC, "exec"),
	T(TTD_EV_MMAP, "mmap"),
	T(TTD_EV_MUNMAP, "munmap"),
	T(TTD_EV_SYSCALL, "syscall"),
	T(TTD_EV_SYSCALL_MEM, "syscall_mem"),
	T(TTD_EV_SIGNAL, "signal"),
	T(TTD_EV_RDTSC, "rdtsc"),
	T(TTD_EV_RDTSCP, "rdtscp"),
	T(TTD_EV_RDRAND, "rdrand"),
	T(TTD_EV_RDSEED, "rdseed"),
	T(TTD_EV_CPUID, "cpuid"),
	T(TTD_EV_XGETBV, "xgetbv"),
	T(TTD_EV_RDPID, "rdpid"),
	T(TTD_EV_SHARED_READ, "shared_read"),
	T(TTD_EV_VDSO, "vdso"),
	T(TTD_EV_THREAD_SWITCH, "thread_switch"),
	T(TTD_EV_SCHED_SWITCH, "sched_switch"),
	T(TTD_EV_SCHED_WAKEUP, "sched_wakeup"),
	T(TTD_EV_FAULT, "fault"),
	T(TTD_EV_KSIGNAL, "ksignal"),
	T(TTD_EV_KFORK, "kfork"),
	T(TTD_EV_KEXEC, "kexec"),
	T(TTD_EV_KEXIT, "kexit"),
	T(TTD_EV_RING_LOST, "ring_lost"),
	T(TTD_EV_SNAPSHOT, "snapshot"),
	T(TTD_EV_SNAPSHOT_REGION, "snapshot_region"),
	T(TTD_EV_SNAPSHOT_REGS, "snapshot_regs"),
	T(TTD_EV_FILE, "file"),
	T(TTD_EV_CODE_REGION, "code_region"),
};
#undef T

/* Indexed by id: pointers into the generic or components' tables. */
static const struct ttd_event_type_desc *table[UINT16_MAX + 1];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void add(const struct ttd_event_type_desc *t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		table[t[i].id] = &t[i];
}

static void add_generic(void)
{
	add(generic, sizeof(generic) / sizeof(generic[0]));
}

static void init_generic(void)
{
	pthread_once(&once, add_generic);
}

int ttd_event_types_register(const struct ttd_event_type_desc *t, size_t n)
{
	init_generic();
	add(t, n);
	return 0;
}

const struct ttd_event_type_desc *ttd_event_type(uint16_t id)
{
	init_generic();
	return table[id];
}

const char *ttd_event_type_name(uint16_t id)
{
	static __thread char buf[16];
	const struct ttd_event_type_desc *d = ttd_event_type(id);

	if (d)
		return d->name;
	snprintf(buf, sizeof(buf), "type-0x%04x", id);
	return buf;
}
