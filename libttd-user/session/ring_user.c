// SPDX-License-Identifier: GPL-2.0
/* Rings in shared memory files (see ring_user.h). */
#include <stdint.h>
#include <pthread.h>
#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ring_user.h"

int session_ring_new(struct ttd_ring **ring, uint64_t size)
{
	size_t bytes = TTD_RING_DATA_OFF + size;
	int fd = memfd_create("ttd-ring", MFD_CLOEXEC);
	void *p;

	if (fd < 0)
		return -1;
	if (ftruncate(fd, (off_t)bytes)) {
		close(fd);
		return -1;
	}
	p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		close(fd);
		return -1;
	}
	ring_init(p, size);
	*ring = p;
	return fd;
}

int session_thread(pthread_t *th, void *(*fn)(void *), void *arg)
{
	sigset_t all, old;
	int err;

	/* Signals are for the supervisor's main loop (its signalfd). */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	err = pthread_create(th, NULL, fn, arg);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return err;
}

void session_block_sigchld(void)
{
	sigset_t set;

	/* Before any thread exists: SIGCHLD must stay pending for the
	 * supervisor's signalfd, not be taken (and dropped) by a thread. */
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, NULL);
}

int session_page_new(void)
{
	int fd = memfd_create("ttd-session", MFD_CLOEXEC);

	if (fd >= 0 && ftruncate(fd, 4096)) {
		close(fd);
		return -1;
	}
	return fd;
}
