// SPDX-License-Identifier: GPL-2.0
/*
 * Faults in shared mappings of a traced process: a MAP_SHARED file, a
 * memfd, SysV shm, shared anonymous memory and a read-only MAP_SHARED file;
 * private mappings must not be reported.  The mapping identity in each
 * record is checked against /proc/self/maps.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ttd_kmod.h"

#define PG 4096UL

struct map_id {
	unsigned int major, minor;
	unsigned long ino;
	unsigned long start, end;
	bool exec;
};

/* The /proc/self/maps line covering @addr. */
static bool maps_lookup(unsigned long addr, struct map_id *m)
{
	char line[512], perms[8];
	unsigned long off;
	FILE *f = fopen("/proc/self/maps", "r");
	bool found = false;

	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx %7s %lx %x:%x %lu", &m->start,
			   &m->end, perms, &off, &m->major, &m->minor,
			   &m->ino) != 7)
			continue;
		if (addr >= m->start && addr < m->end) {
			m->exec = perms[2] == 'x';
			found = true;
			break;
		}
	}
	fclose(f);
	return found;
}

FIXTURE(fault)
{
	struct ttd_nl nl;
	struct ttd_rings r;
	struct ttd_recs rs;
	uint32_t id;
};

FIXTURE_SETUP(fault)
{
	memset(&self->rs, 0, sizeof(self->rs));
	ASSERT_EQ(0, ttd_nl_open(&self->nl));
	ASSERT_EQ(0, ttd_set_mode(&self->nl, TTD_RING_DROP));
	ASSERT_EQ(0, ttd_rings_open(&self->r));
	/* The test process traces itself (the harness forked it). */
	ASSERT_EQ(0, ttd_add_pid(&self->nl, getpid(), TTD_CLASS_FAULT, 0,
				 &self->id));
}

FIXTURE_TEARDOWN(fault)
{
	ttd_del_group(&self->nl, self->id);
	ttd_recs_free(&self->rs);
	ttd_rings_close(&self->r);
	ttd_nl_close(&self->nl);
}

static void collect(struct __test_metadata *_metadata,
		    FIXTURE_DATA(fault) * self)
{
	ASSERT_LE(0, ttd_rings_drain(&self->r, ttd_recs_collect, &self->rs));
}

static const struct ttd_rec_fault *find(FIXTURE_DATA(fault) * self,
					unsigned long addr)
{
	size_t i;

	for (i = 0; i < self->rs.n; i++) {
		const struct ttd_rec_fault *f = (const void *)self->rs.v[i];

		if (f->hdr.type == TTD_REC_FAULT &&
		    f->address >> 12 == addr >> 12)
			return f;
	}
	return NULL;
}

/* Checks one record against the mapping at @addr. */
static void check_fault(struct __test_metadata *_metadata,
			const struct ttd_rec_fault *f, unsigned long addr,
			unsigned long pgoff, bool write, uint32_t kind)
{
	struct map_id m, code;

	ASSERT_NE(NULL, f);
	ASSERT_TRUE(maps_lookup(addr, &m));
	EXPECT_EQ(getpid(), f->hdr.pid);
	EXPECT_EQ(syscall(SYS_gettid), f->hdr.tid);
	EXPECT_EQ(m.major, f->dev_major);
	EXPECT_EQ(m.minor, f->dev_minor);
	EXPECT_EQ(m.ino, f->ino);
	EXPECT_EQ(m.start, f->vm_start);
	EXPECT_EQ(m.end, f->vm_end);
	EXPECT_EQ(pgoff, f->pgoff);
	EXPECT_EQ(write, !!(f->hdr.flags & TTD_FAULT_WRITE));
	EXPECT_EQ(kind, f->vm_kind);
	/* The faulting instruction is ours, in executable memory. */
	ASSERT_TRUE(maps_lookup(f->ip, &code));
	EXPECT_TRUE(code.exec);
}

TEST_F(fault, shared_file)
{
	char path[] = "/tmp/ttd-fault-XXXXXX";
	volatile char *p;
	int fd = mkstemp(path);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ftruncate(fd, 4 * PG));
	p = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	p[0] = 1;
	(void)p[2 * PG + 100];
	collect(_metadata, self);
	check_fault(_metadata, find(self, (unsigned long)p), (unsigned long)p,
		    0, true, TTD_VM_SHARED);
	check_fault(_metadata, find(self, (unsigned long)p + 2 * PG),
		    (unsigned long)p + 2 * PG, 2, false, TTD_VM_SHARED);
	EXPECT_EQ(NULL, find(self, (unsigned long)p + PG));
	munmap((void *)p, 4 * PG);
	close(fd);
	unlink(path);
}

TEST_F(fault, shared_file_offset_and_readonly)
{
	char path[] = "/tmp/ttd-fault-XXXXXX";
	volatile char *p;
	int fd = mkstemp(path), ro;

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ftruncate(fd, 8 * PG));
	/* Mapped from page 3 of the file: pgoff counts in the file. */
	p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 3 * PG);
	ASSERT_NE(MAP_FAILED, p);
	p[PG] = 1;
	/* MAP_SHARED of a read-only descriptor is still shared memory. */
	ro = open(path, O_RDONLY);
	ASSERT_LE(0, ro);
	{
		volatile char *q = mmap(NULL, PG, PROT_READ, MAP_SHARED, ro, 0);

		ASSERT_NE(MAP_FAILED, q);
		(void)q[10];
		collect(_metadata, self);
		check_fault(_metadata, find(self, (unsigned long)q),
			    (unsigned long)q, 0, false, TTD_VM_SHARED);
		munmap((void *)q, PG);
	}
	check_fault(_metadata, find(self, (unsigned long)p + PG),
		    (unsigned long)p + PG, 4, true, TTD_VM_SHARED);
	munmap((void *)p, 2 * PG);
	close(ro);
	close(fd);
	unlink(path);
}

TEST_F(fault, memfd)
{
	volatile char *p;
	struct stat sb;
	int fd = memfd_create("ttd-fault", MFD_CLOEXEC);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ftruncate(fd, 2 * PG));
	ASSERT_EQ(0, fstat(fd, &sb));
	p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	p[PG + 5] = 7;
	collect(_metadata, self);
	check_fault(_metadata, find(self, (unsigned long)p + PG),
		    (unsigned long)p + PG, 1, true, TTD_VM_SHARED);
	EXPECT_EQ(sb.st_ino, find(self, (unsigned long)p + PG)->ino);
	munmap((void *)p, 2 * PG);
	close(fd);
}

TEST_F(fault, sysv_shm)
{
	int id = shmget(IPC_PRIVATE, 3 * PG, IPC_CREAT | 0600);
	volatile char *p;

	ASSERT_LE(0, id);
	p = shmat(id, NULL, 0);
	ASSERT_NE((void *)-1, p);
	shmctl(id, IPC_RMID, NULL);
	p[2 * PG] = 3;
	collect(_metadata, self);
	check_fault(_metadata, find(self, (unsigned long)p + 2 * PG),
		    (unsigned long)p + 2 * PG, 2, true, TTD_VM_SHARED);
	shmdt((void *)p);
}

TEST_F(fault, shared_anonymous)
{
	volatile char *p = mmap(NULL, PG, PROT_READ | PROT_WRITE,
				MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	ASSERT_NE(MAP_FAILED, p);
	p[0] = 1;
	collect(_metadata, self);
	check_fault(_metadata, find(self, (unsigned long)p), (unsigned long)p,
		    0, true, TTD_VM_SHARED | TTD_VM_ANON_SHARED);
	munmap((void *)p, PG);
}

TEST_F(fault, private_not_reported)
{
	char path[] = "/tmp/ttd-fault-XXXXXX";
	volatile char *a, *f;
	int fd = mkstemp(path);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ftruncate(fd, PG));
	a = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		 -1, 0);
	f = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	ASSERT_NE(MAP_FAILED, a);
	ASSERT_NE(MAP_FAILED, f);
	a[0] = 1;
	f[0] = 1;
	collect(_metadata, self);
	EXPECT_EQ(NULL, find(self, (unsigned long)a));
	EXPECT_EQ(NULL, find(self, (unsigned long)f));
	munmap((void *)a, PG);
	munmap((void *)f, PG);
	close(fd);
	unlink(path);
}

TEST_HARNESS_MAIN
