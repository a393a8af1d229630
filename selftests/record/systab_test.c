// SPDX-License-Identifier: GPL-2.0
/*
 * Selftests of the recorder's system-call table (TAP), on the host: the
 * names against the C library's numbers, the sizes against its
 * structures, and real calls: buffers are filled with a pattern, the call
 * is made, and every byte the kernel changed must lie in a reported
 * range, with the ranges inside the buffers the call was given.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/futex.h>
#include <linux/io_uring.h>
#include <net/if.h>
#include <netinet/in.h>
#include <linux/aio_abi.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/timex.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <mqueue.h>

#include "record/systab.h"

/* ---- the engine's accessor, for the table ---- */

int app_read(uint64_t app, void *local, size_t n)
{
	struct iovec l = { local, n }, r = { (void *)app, n };

	return process_vm_readv(getpid(), &l, 1, &r, 1, 0) == (ssize_t)n
		       ? 0
		       : -EFAULT;
}

/* ---- TAP ---- */

static int test_no;

static void ok(int cond, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", cond ? "" : "not ", ++test_no);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

/* ---- names ---- */

struct name {
	long nr;
	const char *name;
};

#define N(x)                \
	{                   \
		SYS_##x, #x \
	}
static const struct name names[] = {
	N(read),
	N(write),
	N(open),
	N(close),
	N(stat),
	N(fstat),
	N(lstat),
	N(poll),
	N(lseek),
	N(mmap),
	N(mprotect),
	N(munmap),
	N(brk),
	N(rt_sigaction),
	N(rt_sigprocmask),
	N(rt_sigreturn),
	N(ioctl),
	N(pread64),
	N(pwrite64),
	N(readv),
	N(writev),
	N(access),
	N(pipe),
	N(select),
	N(sched_yield),
	N(mremap),
	N(msync),
	N(mincore),
	N(madvise),
	N(shmget),
	N(shmat),
	N(shmctl),
	N(dup),
	N(dup2),
	N(pause),
	N(nanosleep),
	N(getitimer),
	N(alarm),
	N(setitimer),
	N(getpid),
	N(sendfile),
	N(socket),
	N(connect),
	N(accept),
	N(sendto),
	N(recvfrom),
	N(sendmsg),
	N(recvmsg),
	N(shutdown),
	N(bind),
	N(listen),
	N(getsockname),
	N(getpeername),
	N(socketpair),
	N(setsockopt),
	N(getsockopt),
	N(clone),
	N(fork),
	N(vfork),
	N(execve),
	N(exit),
	N(wait4),
	N(kill),
	N(uname),
	N(semget),
	N(semop),
	N(semctl),
	N(shmdt),
	N(msgget),
	N(msgsnd),
	N(msgrcv),
	N(msgctl),
	N(fcntl),
	N(flock),
	N(fsync),
	N(fdatasync),
	N(truncate),
	N(ftruncate),
	N(getdents),
	N(getcwd),
	N(chdir),
	N(fchdir),
	N(rename),
	N(mkdir),
	N(rmdir),
	N(creat),
	N(link),
	N(unlink),
	N(symlink),
	N(readlink),
	N(chmod),
	N(fchmod),
	N(chown),
	N(fchown),
	N(lchown),
	N(umask),
	N(gettimeofday),
	N(getrlimit),
	N(getrusage),
	N(sysinfo),
	N(times),
	N(ptrace),
	N(getuid),
	N(syslog),
	N(getgid),
	N(setuid),
	N(setgid),
	N(geteuid),
	N(getegid),
	N(setpgid),
	N(getppid),
	N(getpgrp),
	N(setsid),
	N(setreuid),
	N(setregid),
	N(getgroups),
	N(setgroups),
	N(setresuid),
	N(getresuid),
	N(setresgid),
	N(getresgid),
	N(getpgid),
	N(setfsuid),
	N(setfsgid),
	N(getsid),
	N(capget),
	N(capset),
	N(rt_sigpending),
	N(rt_sigtimedwait),
	N(rt_sigqueueinfo),
	N(rt_sigsuspend),
	N(sigaltstack),
	N(utime),
	N(mknod),
	N(uselib),
	N(personality),
	N(ustat),
	N(statfs),
	N(fstatfs),
	N(sysfs),
	N(getpriority),
	N(setpriority),
	N(sched_setparam),
	N(sched_getparam),
	N(sched_setscheduler),
	N(sched_getscheduler),
	N(sched_get_priority_max),
	N(sched_get_priority_min),
	N(sched_rr_get_interval),
	N(mlock),
	N(munlock),
	N(mlockall),
	N(munlockall),
	N(vhangup),
	N(modify_ldt),
	N(pivot_root),
	N(_sysctl),
	N(prctl),
	N(arch_prctl),
	N(adjtimex),
	N(setrlimit),
	N(chroot),
	N(sync),
	N(acct),
	N(settimeofday),
	N(mount),
	N(umount2),
	N(swapon),
	N(swapoff),
	N(reboot),
	N(sethostname),
	N(setdomainname),
	N(iopl),
	N(ioperm),
	N(create_module),
	N(init_module),
	N(delete_module),
	N(get_kernel_syms),
	N(query_module),
	N(quotactl),
	N(nfsservctl),
	N(getpmsg),
	N(putpmsg),
	N(afs_syscall),
	N(tuxcall),
	N(security),
	N(gettid),
	N(readahead),
	N(setxattr),
	N(lsetxattr),
	N(fsetxattr),
	N(getxattr),
	N(lgetxattr),
	N(fgetxattr),
	N(listxattr),
	N(llistxattr),
	N(flistxattr),
	N(removexattr),
	N(lremovexattr),
	N(fremovexattr),
	N(tkill),
	N(time),
	N(futex),
	N(sched_setaffinity),
	N(sched_getaffinity),
	N(set_thread_area),
	N(io_setup),
	N(io_destroy),
	N(io_getevents),
	N(io_submit),
	N(io_cancel),
	N(get_thread_area),
	N(lookup_dcookie),
	N(epoll_create),
	N(epoll_ctl_old),
	N(epoll_wait_old),
	N(remap_file_pages),
	N(getdents64),
	N(set_tid_address),
	N(restart_syscall),
	N(semtimedop),
	N(fadvise64),
	N(timer_create),
	N(timer_settime),
	N(timer_gettime),
	N(timer_getoverrun),
	N(timer_delete),
	N(clock_settime),
	N(clock_gettime),
	N(clock_getres),
	N(clock_nanosleep),
	N(exit_group),
	N(epoll_wait),
	N(epoll_ctl),
	N(tgkill),
	N(utimes),
	N(vserver),
	N(mbind),
	N(set_mempolicy),
	N(get_mempolicy),
	N(mq_open),
	N(mq_unlink),
	N(mq_timedsend),
	N(mq_timedreceive),
	N(mq_notify),
	N(mq_getsetattr),
	N(kexec_load),
	N(waitid),
	N(add_key),
	N(request_key),
	N(keyctl),
	N(ioprio_set),
	N(ioprio_get),
	N(inotify_init),
	N(inotify_add_watch),
	N(inotify_rm_watch),
	N(migrate_pages),
	N(openat),
	N(mkdirat),
	N(mknodat),
	N(fchownat),
	N(futimesat),
	N(newfstatat),
	N(unlinkat),
	N(renameat),
	N(linkat),
	N(symlinkat),
	N(readlinkat),
	N(fchmodat),
	N(faccessat),
	N(pselect6),
	N(ppoll),
	N(unshare),
	N(set_robust_list),
	N(get_robust_list),
	N(splice),
	N(tee),
	N(sync_file_range),
	N(vmsplice),
	N(move_pages),
	N(utimensat),
	N(epoll_pwait),
	N(signalfd),
	N(timerfd_create),
	N(eventfd),
	N(fallocate),
	N(timerfd_settime),
	N(timerfd_gettime),
	N(accept4),
	N(signalfd4),
	N(eventfd2),
	N(epoll_create1),
	N(dup3),
	N(pipe2),
	N(inotify_init1),
	N(preadv),
	N(pwritev),
	N(rt_tgsigqueueinfo),
	N(perf_event_open),
	N(recvmmsg),
	N(fanotify_init),
	N(fanotify_mark),
	N(prlimit64),
	N(name_to_handle_at),
	N(open_by_handle_at),
	N(clock_adjtime),
	N(syncfs),
	N(sendmmsg),
	N(setns),
	N(getcpu),
	N(process_vm_readv),
	N(process_vm_writev),
	N(kcmp),
	N(finit_module),
	N(sched_setattr),
	N(sched_getattr),
	N(renameat2),
	N(seccomp),
	N(getrandom),
	N(memfd_create),
	N(kexec_file_load),
	N(bpf),
	N(execveat),
	N(userfaultfd),
	N(membarrier),
	N(mlock2),
	N(copy_file_range),
	N(preadv2),
	N(pwritev2),
	N(pkey_mprotect),
	N(pkey_alloc),
	N(pkey_free),
	N(statx),
	N(io_pgetevents),
	N(rseq),
	N(pidfd_send_signal),
	N(io_uring_setup),
	N(io_uring_enter),
	N(io_uring_register),
	N(open_tree),
	N(move_mount),
	N(fsopen),
	N(fsconfig),
	N(fsmount),
	N(fspick),
	N(pidfd_open),
	N(clone3),
	N(close_range),
	N(openat2),
	N(pidfd_getfd),
	N(faccessat2),
	N(process_madvise),
	N(epoll_pwait2),
	N(mount_setattr),
	N(quotactl_fd),
	N(landlock_create_ruleset),
	N(landlock_add_rule),
	N(landlock_restrict_self),
	N(memfd_secret),
	N(process_mrelease),
	N(futex_waitv),
	N(set_mempolicy_home_node),
};

/* Numbers no x86-64 kernel assigns: 335..423 were skipped so that the
 * calls added from 424 on have one number on every architecture. */
static int is_hole(long nr)
{
	return nr >= 335 && nr <= 423;
}

static void test_names(void)
{
	long nr, highest = 0, bad = 0, missing = 0, unknown = 0;
	unsigned int i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const char *n = systab_name(names[i].nr);

		if (!n || strcmp(n, names[i].name)) {
			printf("# %ld: table says %s, libc says %s\n",
			       names[i].nr, n ? n : "(none)", names[i].name);
			bad++;
		}
		if (names[i].nr > highest)
			highest = names[i].nr;
	}
	ok(bad == 0, "%u names match <sys/syscall.h> (%ld wrong)", i, bad);
	for (nr = 0; nr <= highest; nr++) {
		if (!systab_name(nr) && !is_hole(nr)) {
			printf("# %ld has no name\n", nr);
			missing++;
		}
		if (systab_name(nr) && is_hole(nr))
			missing++;
		if (systab_name(nr) && !(systab_flags(nr) & SR_KNOWN) &&
		    nr != SYS_restart_syscall)
			unknown++;
	}
	ok(missing == 0, "every number 0..%ld is named or a hole", highest);
	ok(unknown == 0, "every named call is described");
	ok(!systab_name(-1) && !systab_name(SYSTAB_NR) && !systab_name(400) &&
		   systab_flags(400) == 0,
	   "out-of-table numbers have no name");
}

static void test_flags(void)
{
	static const long blocking[] = {
		SYS_read,
		SYS_readv,
		SYS_pread64,
		SYS_recvfrom,
		SYS_recvmsg,
		SYS_recvmmsg,
		SYS_accept,
		SYS_accept4,
		SYS_connect,
		SYS_wait4,
		SYS_waitid,
		SYS_futex,
		SYS_poll,
		SYS_ppoll,
		SYS_select,
		SYS_pselect6,
		SYS_epoll_wait,
		SYS_epoll_pwait,
		SYS_epoll_pwait2,
		SYS_nanosleep,
		SYS_clock_nanosleep,
		SYS_pause,
		SYS_rt_sigsuspend,
		SYS_rt_sigtimedwait,
		SYS_msgrcv,
		SYS_semop,
		SYS_semtimedop,
		SYS_mq_timedreceive,
		SYS_flock,
		SYS_fcntl,
		SYS_write,
		SYS_writev,
		SYS_sendto,
		SYS_sendmsg,
		SYS_splice,
		SYS_tee,
		SYS_sendfile,
		SYS_open,
		SYS_openat,
		SYS_io_uring_enter,
		SYS_fsync,
		SYS_ioctl,
	};
	static const long quick[] = { SYS_getpid, SYS_getuid,	     SYS_uname,
				      SYS_fstat,  SYS_clock_gettime, SYS_lseek,
				      SYS_mmap };
	unsigned int i, bad = 0;

	for (i = 0; i < sizeof(blocking) / sizeof(blocking[0]); i++) {
		if ((systab_flags(blocking[i]) & (SR_KNOWN | SR_MAY_BLOCK)) !=
		    (SR_KNOWN | SR_MAY_BLOCK)) {
			printf("# %s should block\n", systab_name(blocking[i]));
			bad++;
		}
	}
	for (i = 0; i < sizeof(quick) / sizeof(quick[0]); i++) {
		if (systab_flags(quick[i]) != SR_KNOWN) {
			printf("# %s should not block\n",
			       systab_name(quick[i]));
			bad++;
		}
	}
	ok(bad == 0, "blocking calls are marked, quick ones are not");
}

/* ---- checking real calls ---- */

#define ARENA 65536
#define PAT 0xa5

static unsigned char *arena, *before;
static struct sysrec_range rr[SYSTAB_MAX_OUT];
static int nrr;
static const char *why;

static void fill(void)
{
	memset(arena, PAT, ARENA);
	memset(before, PAT, ARENA);
}

/* The arena as the call will find it, after the test set up its input. */
static void snap(void)
{
	memcpy(before, arena, ARENA);
}

static long raw(long r)
{
	return r == -1 ? -errno : r;
}

static uint64_t A(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

static int outputs(long nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
		   uint64_t a4, uint64_t a5, long ret)
{
	const uint64_t a[6] = { a0, a1, a2, a3, a4, a5 };

	why = NULL;
	nrr = systab_outputs(nr, a, ret, rr, SYSTAB_MAX_OUT, &why);
	return nrr;
}

static int covered(uint64_t addr)
{
	int i;

	for (i = 0; i < nrr; i++) {
		if (addr >= rr[i].addr && addr - rr[i].addr < rr[i].len)
			return 1;
	}
	return 0;
}

static uint64_t total(void)
{
	uint64_t t = 0;
	int i;

	for (i = 0; i < nrr; i++)
		t += rr[i].len;
	return t;
}

/*
 * Every byte of the arena the call changed is reported, and every range
 * lies inside the arena (where the test puts all the call's memory).
 */
static int check(const char *what)
{
	size_t i, changed = 0, missed = 0;
	int k;

	if (nrr < 0) {
		printf("# %s: %s\n", what, why);
		return 0;
	}
	for (i = 0; i < ARENA; i++) {
		if (arena[i] == before[i])
			continue;
		changed++;
		if (!covered(A(arena + i)))
			missed++;
	}
	for (k = 0; k < nrr; k++) {
		if (rr[k].addr < A(arena) ||
		    rr[k].addr + rr[k].len > A(arena + ARENA)) {
			printf("# %s: range %d outside the buffers\n", what, k);
			return 0;
		}
	}
	if (missed)
		printf("# %s: %zu of %zu changed bytes not reported\n", what,
		       missed, changed);
	return missed == 0 && changed > 0;
}

/* Exactly one range, [p, p + len). */
static int one(const void *p, uint64_t len)
{
	return nrr == 1 && rr[0].addr == A(p) && rr[0].len == len;
}

static void test_read(void)
{
	int p[2];
	long r;
	struct iovec *iov = (struct iovec *)(arena + 1024);

	if (pipe(p))
		abort();
	fill();
	write(p[1], "0123456789", 10);
	r = raw(syscall(SYS_read, p[0], arena, 64));
	outputs(SYS_read, p[0], A(arena), 64, 0, 0, 0, r);
	ok(check("read") && one(arena, 10), "read: the 10 bytes read");

	outputs(SYS_read, p[0], A(arena), 64, 0, 0, 0, -EAGAIN);
	ok(nrr == 0, "read: nothing on EAGAIN");

	fill();
	iov[0] = (struct iovec){ arena, 4 };
	iov[1] = (struct iovec){ arena + 100, 0 };
	iov[2] = (struct iovec){ arena + 200, 8 };
	iov[3] = (struct iovec){ arena + 300, 8 };
	write(p[1], "abcdefghij", 10);
	snap();
	r = raw(syscall(SYS_readv, p[0], iov, 4));
	outputs(SYS_readv, p[0], A(iov), 4, 0, 0, 0, r);
	ok(check("readv") && nrr == 2 && rr[0].addr == A(arena) &&
		   rr[0].len == 4 && rr[1].addr == A(arena + 200) &&
		   rr[1].len == 6,
	   "readv: 10 bytes spread over the iovecs");

	fill();
	iov[0] = (struct iovec){ arena, 4 };
	write(p[1], "xyz", 3);
	snap();
	r = raw(syscall(SYS_preadv2, p[0], iov, 1, -1L, 0L, 0L));
	outputs(SYS_preadv2, p[0], A(iov), 1, -1, 0, 0, r);
	ok(check("preadv2") && one(arena, 3), "preadv2 on a pipe");
	close(p[0]);
	close(p[1]);
}

/* More iovecs than ranges: merged, never dropped. */
static void test_many(void)
{
	struct iovec *iov = (struct iovec *)(arena + 32768);
	unsigned char src[200];
	int p[2], i;
	long r;

	if (pipe(p))
		abort();
	fill();
	for (i = 0; i < 200; i++) {
		iov[i] = (struct iovec){ arena + i * 100, 1 };
		src[i] = i;
	}
	write(p[1], src, 200);
	snap();
	r = raw(syscall(SYS_readv, p[0], iov, 200));
	outputs(SYS_readv, p[0], A(iov), 200, 0, 0, 0, r);
	ok(r == 200 && check("readv x200") && nrr == SYSTAB_MAX_OUT,
	   "readv of 200 iovecs: merged into %d ranges", nrr);
	{
		const uint64_t a[6] = { p[0], A(iov), 200 };
		struct sysrec_range one_r;

		ok(systab_outputs(SYS_readv, a, 200, &one_r, 1, &why) == 1 &&
			   one_r.addr == A(arena) && one_r.len == 199 * 100 + 1,
		   "readv with room for one range: their hull");
		int n = systab_outputs(SYS_readv, a, 200, &one_r, 0, &why);

		ok(n == -1 && why, "readv with no room: refused (%s)",
		   why ? why : "");
	}
	close(p[0]);
	close(p[1]);
}

static void test_recvmsg(void)
{
	struct msghdr *m = (struct msghdr *)(arena + 4096);
	struct iovec *iov = (struct iovec *)(arena + 4200);
	unsigned char *name = arena + 4300, *ctl = arena + 4512;
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct msghdr sm = { 0 };
	struct iovec siov = { "hello, world", 12 };
	struct cmsghdr *c;
	int sv[2], fd = 0;
	long r;

	if (socketpair(AF_UNIX, SOCK_DGRAM, 0, sv))
		abort();
	sm.msg_iov = &siov;
	sm.msg_iovlen = 1;
	sm.msg_control = u.buf;
	sm.msg_controllen = sizeof(u.buf);
	c = CMSG_FIRSTHDR(&sm);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(fd));
	if (sendmsg(sv[0], &sm, 0) != 12)
		abort();

	fill();
	memset(m, 0, sizeof(*m));
	iov[0] = (struct iovec){ arena, 5 };
	iov[1] = (struct iovec){ arena + 64, 100 };
	m->msg_name = name;
	m->msg_namelen = 110;
	m->msg_iov = iov;
	m->msg_iovlen = 2;
	m->msg_control = ctl;
	m->msg_controllen = 64;
	snap();
	r = raw(syscall(SYS_recvmsg, sv[1], m, MSG_CMSG_CLOEXEC));
	outputs(SYS_recvmsg, sv[1], A(m), MSG_CMSG_CLOEXEC, 0, 0, 0, r);
	ok(r == 12 && check("recvmsg"),
	   "recvmsg: data, name, SCM_RIGHTS and header in %d ranges", nrr);
	if (r == 12 && m->msg_controllen) {
		memcpy(&fd, CMSG_DATA(CMSG_FIRSTHDR(m)), sizeof(fd));
		close(fd);
	}
	close(sv[0]);
	close(sv[1]);
}

static int udp_pair(int *a, int *b)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	socklen_t len = sizeof(sin);

	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	*a = socket(AF_INET, SOCK_DGRAM, 0);
	*b = socket(AF_INET, SOCK_DGRAM, 0);
	if (*a < 0 || *b < 0 || bind(*b, (void *)&sin, sizeof(sin)) ||
	    getsockname(*b, (void *)&sin, &len) ||
	    connect(*a, (void *)&sin, sizeof(sin)))
		return -1;
	return 0;
}

static void test_udp(void)
{
	struct mmsghdr *mm = (struct mmsghdr *)(arena + 8192);
	struct iovec *iov = (struct iovec *)(arena + 8192 + 512);
	socklen_t *lenp = (socklen_t *)(arena + 2048);
	int a, b, i;
	long r;

	if (udp_pair(&a, &b)) {
		ok(0, "udp sockets");
		return;
	}
	send(a, "datagram", 8, 0);
	fill();
	*lenp = 128;
	snap();
	r = raw(syscall(SYS_recvfrom, b, arena, 4, MSG_TRUNC, arena + 1024,
			lenp));
	outputs(SYS_recvfrom, b, A(arena), 4, MSG_TRUNC, A(arena + 1024),
		A(lenp), r);
	ok(r == 8 && check("recvfrom") && covered(A(arena + 1024 + 15)) &&
		   !covered(A(arena + 4)),
	   "recvfrom: truncated data, source address, its length");

	send(a, "one", 3, 0);
	send(a, "two!", 4, 0);
	fill();
	memset(mm, 0, 2 * sizeof(*mm));
	for (i = 0; i < 2; i++) {
		iov[i] = (struct iovec){ arena + i * 100, 50 };
		mm[i].msg_hdr.msg_iov = &iov[i];
		mm[i].msg_hdr.msg_iovlen = 1;
		mm[i].msg_hdr.msg_name = arena + 1024 + i * 128;
		mm[i].msg_hdr.msg_namelen = 128;
	}
	snap();
	r = raw(syscall(SYS_recvmmsg, b, mm, 2, MSG_WAITFORONE, NULL));
	outputs(SYS_recvmmsg, b, A(mm), 2, MSG_WAITFORONE, 0, 0, r);
	ok(r == 2 && check("recvmmsg") && covered(A(arena + 100 + 3)) &&
		   !covered(A(arena + 100 + 4)),
	   "recvmmsg: two datagrams, msg_len, names");
	close(a);
	close(b);
}

static void test_tcp(void)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	socklen_t *lenp = (socklen_t *)(arena + 512), len = sizeof(sin);
	int l, c, s;
	long r;

	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	l = socket(AF_INET, SOCK_STREAM, 0);
	c = socket(AF_INET, SOCK_STREAM, 0);
	if (bind(l, (void *)&sin, sizeof(sin)) || listen(l, 1) ||
	    getsockname(l, (void *)&sin, &len) ||
	    connect(c, (void *)&sin, sizeof(sin))) {
		ok(0, "tcp sockets");
		return;
	}
	fill();
	*lenp = 128;
	snap();
	r = raw(syscall(SYS_accept4, l, arena, lenp, SOCK_CLOEXEC));
	s = r;
	outputs(SYS_accept4, l, A(arena), A(lenp), SOCK_CLOEXEC, 0, 0, r);
	ok(r >= 0 && check("accept4") && nrr == 2,
	   "accept4: peer address and its length");

	fill();
	*lenp = 128;
	snap();
	r = raw(syscall(SYS_getsockname, c, arena, lenp));
	outputs(SYS_getsockname, c, A(arena), A(lenp), 0, 0, 0, r);
	ok(r == 0 && check("getsockname"), "getsockname");

	fill();
	*lenp = 128;
	snap();
	r = raw(syscall(SYS_getpeername, s, arena, lenp));
	outputs(SYS_getpeername, s, A(arena), A(lenp), 0, 0, 0, r);
	ok(r == 0 && check("getpeername"), "getpeername");

	fill();
	*lenp = 64;
	snap();
	r = raw(syscall(SYS_getsockopt, c, SOL_SOCKET, SO_RCVBUF, arena, lenp));
	outputs(SYS_getsockopt, c, SOL_SOCKET, SO_RCVBUF, A(arena), A(lenp), 0,
		r);
	ok(r == 0 && check("getsockopt") && covered(A(arena + 3)) &&
		   !covered(A(arena + 4)),
	   "getsockopt: the value and its length");
	close(s);
	close(c);
	close(l);
}

static void test_files(void)
{
	int fd = open("/", O_RDONLY | O_DIRECTORY);
	long r;

	fill();
	r = raw(syscall(SYS_getdents64, fd, arena, 4096));
	outputs(SYS_getdents64, fd, A(arena), 4096, 0, 0, 0, r);
	ok(r > 0 && check("getdents64") && one(arena, r),
	   "getdents64: %ld bytes", r);

	fill();
	r = raw(syscall(SYS_statx, AT_FDCWD, "/", 0, 0xfff, arena));
	outputs(SYS_statx, AT_FDCWD, A("/"), 0, 0xfff, A(arena), 0, r);
	ok(r == 0 && check("statx") && one(arena, sizeof(struct statx)),
	   "statx");

	fill();
	r = raw(syscall(SYS_fstat, fd, arena));
	outputs(SYS_fstat, fd, A(arena), 0, 0, 0, 0, r);
	ok(r == 0 && check("fstat") && one(arena, sizeof(struct stat)),
	   "fstat");

	fill();
	r = raw(syscall(SYS_newfstatat, AT_FDCWD, "/", arena, 0));
	outputs(SYS_newfstatat, AT_FDCWD, A("/"), A(arena), 0, 0, 0, r);
	ok(r == 0 && check("newfstatat") && one(arena, sizeof(struct stat)),
	   "newfstatat");

	fill();
	r = raw(syscall(SYS_fstatfs, fd, arena));
	outputs(SYS_fstatfs, fd, A(arena), 0, 0, 0, 0, r);
	ok(r == 0 && check("fstatfs") && one(arena, sizeof(struct statfs)),
	   "fstatfs");

	fill();
	r = raw(syscall(SYS_readlink, "/proc/self/exe", arena, 4096));
	outputs(SYS_readlink, A("/proc/self/exe"), A(arena), 4096, 0, 0, 0, r);
	ok(r > 0 && check("readlink") && one(arena, r), "readlink");

	fill();
	r = raw(syscall(SYS_getcwd, arena, 4096));
	outputs(SYS_getcwd, A(arena), 4096, 0, 0, 0, 0, r);
	ok(r > 0 && check("getcwd") && one(arena, r),
	   "getcwd: the path and its NUL");

	fill();
	((struct flock *)arena)->l_type = F_WRLCK;
	((struct flock *)arena)->l_whence = SEEK_SET;
	((struct flock *)arena)->l_start = 0;
	((struct flock *)arena)->l_len = 0;
	close(fd);
	fd = open("/proc/self/exe", O_RDONLY);
	snap();
	r = raw(syscall(SYS_fcntl, fd, F_GETLK, arena));
	outputs(SYS_fcntl, fd, F_GETLK, A(arena), 0, 0, 0, r);
	ok(r == 0 && nrr == 1 && check("fcntl") &&
		   one(arena, sizeof(struct flock)),
	   "fcntl F_GETLK");
	outputs(SYS_fcntl, fd, 4242, 0, 0, 0, 0, 0);
	ok(nrr == -1 && why && !strcmp(why, "fcntl cmd 4242"),
	   "fcntl: unknown command named (%s)", why ? why : "");
	close(fd);
}

static void test_poll(void)
{
	struct pollfd *pfd = (struct pollfd *)arena;
	struct timeval *tv = (struct timeval *)(arena + 512);
	fd_set *rs = (fd_set *)(arena + 1024), *ws = (fd_set *)(arena + 2048);
	int p[2];
	long r;

	if (pipe(p))
		abort();
	write(p[1], "x", 1);
	fill();
	pfd[0] = (struct pollfd){ p[0], POLLIN, 0x5a5a };
	pfd[1] = (struct pollfd){ p[1], POLLOUT, 0x5a5a };
	snap();
	r = raw(syscall(SYS_poll, pfd, 2, 0));
	outputs(SYS_poll, A(pfd), 2, 0, 0, 0, 0, r);
	ok(r == 2 && check("poll") && one(pfd, 2 * sizeof(*pfd)),
	   "poll: revents");

	fill();
	FD_ZERO(rs);
	FD_ZERO(ws);
	FD_SET(p[0], rs);
	FD_SET(p[1], rs);
	FD_SET(p[1], ws);
	tv->tv_sec = 1;
	tv->tv_usec = 0;
	snap();
	r = raw(syscall(SYS_select, p[1] + 1, rs, ws, NULL, tv));
	outputs(SYS_select, p[1] + 1, A(rs), A(ws), 0, A(tv), 0, r);
	ok(r == 2 && check("select") && nrr == 3 && rr[0].len == 8,
	   "select: the sets and the remaining time");
	close(p[0]);
	close(p[1]);
}

static void test_wait(void)
{
	int *status = (int *)arena;
	struct rusage *ru = (struct rusage *)(arena + 64);
	pid_t pid;
	long r;

	fill();
	pid = fork();
	if (pid == 0)
		_exit(7);
	r = raw(syscall(SYS_wait4, pid, status, 0, ru));
	outputs(SYS_wait4, pid, A(status), 0, A(ru), 0, 0, r);
	ok(r == pid && check("wait4") && nrr == 2 && rr[0].len == 4 &&
		   rr[1].len == sizeof(*ru),
	   "wait4: status and rusage");
	outputs(SYS_wait4, -1, A(status), WNOHANG, A(ru), 0, 0, 0);
	ok(nrr == 0, "wait4: nothing when no child changed state");

	fill();
	pid = fork();
	if (pid == 0)
		_exit(3);
	r = raw(syscall(SYS_waitid, P_PID, pid, arena, WEXITED, ru));
	outputs(SYS_waitid, P_PID, pid, A(arena), WEXITED, A(ru), 0, r);
	ok(r == 0 && check("waitid"), "waitid: siginfo and rusage");
}

static void test_misc(void)
{
	long r;

	fill();
	r = raw(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, arena));
	outputs(SYS_clock_gettime, CLOCK_MONOTONIC, A(arena), 0, 0, 0, 0, r);
	ok(r == 0 && check("clock_gettime") && one(arena, 16), "clock_gettime");

	fill();
	r = raw(syscall(SYS_uname, arena));
	outputs(SYS_uname, A(arena), 0, 0, 0, 0, 0, r);
	ok(r == 0 && check("uname") && one(arena, sizeof(struct utsname)),
	   "uname");

	fill();
	r = raw(syscall(SYS_sysinfo, arena));
	outputs(SYS_sysinfo, A(arena), 0, 0, 0, 0, 0, r);
	ok(r == 0 && check("sysinfo") && one(arena, sizeof(struct sysinfo)),
	   "sysinfo");

	fill();
	r = raw(syscall(SYS_times, arena));
	outputs(SYS_times, A(arena), 0, 0, 0, 0, 0, r);
	ok(one(arena, sizeof(struct tms)), "times");

	fill();
	r = raw(syscall(SYS_getrusage, RUSAGE_SELF, arena));
	outputs(SYS_getrusage, RUSAGE_SELF, A(arena), 0, 0, 0, 0, r);
	ok(r == 0 && check("getrusage") && one(arena, sizeof(struct rusage)),
	   "getrusage");

	fill();
	r = raw(syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, NULL, arena));
	outputs(SYS_prlimit64, 0, RLIMIT_NOFILE, 0, A(arena), 0, 0, r);
	ok(r == 0 && check("prlimit64") && one(arena, sizeof(struct rlimit)),
	   "prlimit64: the old limit");

	fill();
	r = raw(syscall(SYS_gettimeofday, arena, arena + 64));
	outputs(SYS_gettimeofday, A(arena), A(arena + 64), 0, 0, 0, 0, r);
	ok(r == 0 && check("gettimeofday") && nrr == 2,
	   "gettimeofday: time and zone");

	fill();
	r = raw(syscall(SYS_getrandom, arena, 100, 0));
	outputs(SYS_getrandom, A(arena), 100, 0, 0, 0, 0, r);
	ok(r == 100 && check("getrandom") && one(arena, 100), "getrandom");

	fill();
	r = raw(syscall(SYS_pipe2, arena, O_CLOEXEC));
	outputs(SYS_pipe2, A(arena), O_CLOEXEC, 0, 0, 0, 0, r);
	ok(r == 0 && check("pipe2") && one(arena, 8), "pipe2");
	close(((int *)arena)[0]);
	close(((int *)arena)[1]);

	fill();
	r = raw(syscall(SYS_socketpair, AF_UNIX, SOCK_STREAM, 0, arena));
	outputs(SYS_socketpair, AF_UNIX, SOCK_STREAM, 0, A(arena), 0, 0, r);
	ok(r == 0 && check("socketpair") && one(arena, 8), "socketpair");
	close(((int *)arena)[0]);
	close(((int *)arena)[1]);

	fill();
	r = raw(syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, arena, 8));
	outputs(SYS_rt_sigprocmask, SIG_BLOCK, 0, A(arena), 8, 0, 0, r);
	ok(r == 0 && check("rt_sigprocmask") && one(arena, 8),
	   "rt_sigprocmask: the old mask");

	fill();
	r = raw(syscall(SYS_sigaltstack, NULL, arena));
	outputs(SYS_sigaltstack, 0, A(arena), 0, 0, 0, 0, r);
	ok(r == 0 && check("sigaltstack") && one(arena, sizeof(stack_t)),
	   "sigaltstack: the old stack");

	fill();
	r = raw(syscall(SYS_prctl, PR_GET_NAME, arena, 0, 0, 0));
	outputs(SYS_prctl, PR_GET_NAME, A(arena), 0, 0, 0, 0, r);
	ok(r == 0 && check("prctl") && one(arena, 16), "prctl PR_GET_NAME");

	fill();
	r = raw(syscall(SYS_sched_getaffinity, 0, 128, arena));
	outputs(SYS_sched_getaffinity, 0, 128, A(arena), 0, 0, 0, r);
	ok(r > 0 && check("sched_getaffinity") && one(arena, r),
	   "sched_getaffinity");

	fill();
	r = raw(syscall(SYS_getresuid, arena, arena + 16, arena + 32));
	outputs(SYS_getresuid, A(arena), A(arena + 16), A(arena + 32), 0, 0, 0,
		r);
	ok(r == 0 && nrr == 3 && total() == 12, "getresuid");

	fill();
	r = raw(syscall(SYS_arch_prctl, 0x1003 /* ARCH_GET_FS */, arena));
	outputs(SYS_arch_prctl, 0x1003, A(arena), 0, 0, 0, 0, r);
	ok(r == 0 && check("arch_prctl") && one(arena, 8),
	   "arch_prctl ARCH_GET_FS");

	fill();
	r = raw(syscall(SYS_io_uring_setup, 4, arena));
	outputs(SYS_io_uring_setup, 4, A(arena), 0, 0, 0, 0, r);
	if (r >= 0) {
		ok(check("io_uring_setup") &&
			   one(arena, sizeof(struct io_uring_params)),
		   "io_uring_setup: the parameters");
		close(r);
	} else {
		ok(nrr == 0, "io_uring_setup: nothing when refused");
	}
}

static void test_ipc(void)
{
	int id = semget(IPC_PRIVATE, 5, 0600), q;
	long r;

	if (id < 0) {
		printf("ok %d # SKIP no System V IPC\n", ++test_no);
		printf("ok %d # SKIP no System V IPC\n", ++test_no);
		printf("ok %d # SKIP no System V IPC\n", ++test_no);
		return;
	}
	fill();
	r = raw(syscall(SYS_semctl, id, 0, GETALL, arena));
	outputs(SYS_semctl, id, 0, GETALL, A(arena), 0, 0, r);
	ok(r == 0 && check("semctl") && one(arena, 10),
	   "semctl GETALL: five semaphores");
	fill();
	r = raw(syscall(SYS_semctl, id, 0, IPC_STAT, arena));
	outputs(SYS_semctl, id, 0, IPC_STAT, A(arena), 0, 0, r);
	ok(r == 0 && check("semctl IPC_STAT") &&
		   one(arena, sizeof(struct semid_ds)),
	   "semctl IPC_STAT");
	semctl(id, 0, IPC_RMID);

	q = msgget(IPC_PRIVATE, 0600);
	msgsnd(q, &(struct {
		       long t;
		       char m[6];
	       }){ 1, "hello" },
	       6, 0);
	fill();
	r = raw(syscall(SYS_msgrcv, q, arena, 100, 0, 0));
	outputs(SYS_msgrcv, q, A(arena), 100, 0, 0, 0, r);
	ok(r == 6 && check("msgrcv") && one(arena, 14),
	   "msgrcv: type and text");
	msgctl(q, IPC_RMID, NULL);
}

static void test_ioctl(void)
{
	struct ifconf *ifc = (struct ifconf *)(arena + 512);
	int m = posix_openpt(O_RDWR | O_NOCTTY), p[2];
	long r;

	if (m < 0 || grantpt(m) || unlockpt(m)) {
		ok(0, "pty");
		return;
	}
	fill();
	r = raw(syscall(SYS_ioctl, m, TCGETS, arena));
	outputs(SYS_ioctl, m, TCGETS, A(arena), 0, 0, 0, r);
	ok(r == 0 && check("TCGETS") && one(arena, 36),
	   "ioctl TCGETS: the kernel's struct termios");

	fill();
	r = raw(syscall(SYS_ioctl, m, TIOCGWINSZ, arena));
	outputs(SYS_ioctl, m, TIOCGWINSZ, A(arena), 0, 0, 0, r);
	ok(r == 0 && one(arena, sizeof(struct winsize)), "ioctl TIOCGWINSZ");

	fill();
	r = raw(syscall(SYS_ioctl, m, TIOCGPTN, arena));
	outputs(SYS_ioctl, m, TIOCGPTN, A(arena), 0, 0, 0, r);
	ok(r == 0 && check("TIOCGPTN") && one(arena, 4),
	   "ioctl TIOCGPTN: from the _IOR encoding");

	outputs(SYS_ioctl, m, TIOCSWINSZ, A(arena), 0, 0, 0, 0);
	ok(nrr == 0, "ioctl TIOCSWINSZ: nothing written");
	outputs(SYS_ioctl, m, TIOCSPTLCK, A(arena), 0, 0, 0, 0);
	ok(nrr == 0, "ioctl TIOCSPTLCK (_IOW): nothing written");
	close(m);

	if (pipe(p))
		abort();
	write(p[1], "abc", 3);
	fill();
	r = raw(syscall(SYS_ioctl, p[0], FIONREAD, arena));
	outputs(SYS_ioctl, p[0], FIONREAD, A(arena), 0, 0, 0, r);
	ok(r == 0 && check("FIONREAD") && one(arena, 4), "ioctl FIONREAD");
	close(p[0]);
	close(p[1]);

	fill();
	r = raw(syscall(SYS_socket, AF_INET, SOCK_DGRAM, 0));
	if (r >= 0) {
		int s = r;

		strcpy((char *)arena, "lo");
		snap();
		r = raw(syscall(SYS_ioctl, s, SIOCGIFINDEX, arena));
		outputs(SYS_ioctl, s, SIOCGIFINDEX, A(arena), 0, 0, 0, r);
		ok(r == 0 && one(arena, sizeof(struct ifreq)),
		   "ioctl SIOCGIFINDEX: struct ifreq");

		fill();
		ifc->ifc_len = 4096;
		ifc->ifc_buf = (char *)arena + 1024;
		snap();
		r = raw(syscall(SYS_ioctl, s, SIOCGIFCONF, ifc));
		outputs(SYS_ioctl, s, SIOCGIFCONF, A(ifc), 0, 0, 0, r);
		ok(r == 0 && check("SIOCGIFCONF") && nrr == 2 &&
			   rr[1].len == (uint64_t)ifc->ifc_len,
		   "ioctl SIOCGIFCONF: the ifconf and %d bytes of ifreqs",
		   ifc->ifc_len);
		close(s);
	} else {
		ok(0, "socket");
	}

	outputs(SYS_ioctl, 0, 0x1234, 0, 0, 0, 0, 0);
	ok(nrr == -1 && why && !strcmp(why, "ioctl 0x1234"),
	   "unknown legacy ioctl named (%s)", why ? why : "");
	outputs(SYS_ioctl, 0, 0x7801, 0, 0, 0, 0, 0);
	ok(nrr == -1 && why && strstr(why, "0x7801"),
	   "unknown _IO ioctl named (%s)", why ? why : "");
	outputs(SYS_ioctl, 0, 0x1234, 0, 0, 0, 0, -ENOTTY);
	ok(nrr == 0, "failed unknown ioctl: nothing written");
	outputs(SYS_ioctl, 0, _IOR('z', 3, char[100]), A(arena), 0, 0, 0, 0);
	ok(one(arena, 100), "_IOR of another driver: its encoded size");
}

/*
 * Fixed-size outputs of calls not run above, against the C library's
 * and the UAPI headers' structures: { call, arguments, result, size }.
 */
struct size_case {
	const char *what;
	long nr;
	uint64_t a[6];
	long ret;
	uint64_t size;
};

#define P 0x10000 /* where the object would be */

static const struct size_case size_cases[] = {
	{ "getitimer", SYS_getitimer, { 0, P }, 0, sizeof(struct itimerval) },
	{ "setitimer",
	  SYS_setitimer,
	  { 0, 0, P },
	  0,
	  sizeof(struct itimerval) },
	{ "timer_gettime",
	  SYS_timer_gettime,
	  { 0, P },
	  0,
	  sizeof(struct itimerspec) },
	{ "timerfd_settime",
	  SYS_timerfd_settime,
	  { 0, 0, 0, P },
	  0,
	  sizeof(struct itimerspec) },
	{ "adjtimex", SYS_adjtimex, { P }, 0, sizeof(struct timex) },
	{ "clock_adjtime",
	  SYS_clock_adjtime,
	  { 0, P },
	  0,
	  sizeof(struct timex) },
	{ "mq_getsetattr",
	  SYS_mq_getsetattr,
	  { 0, 0, P },
	  0,
	  sizeof(struct mq_attr) },
	{ "statfs", SYS_statfs, { 0, P }, 0, sizeof(struct statfs) },
	{ "lstat", SYS_lstat, { 0, P }, 0, sizeof(struct stat) },
	{ "shmctl",
	  SYS_shmctl,
	  { 0, IPC_STAT, P },
	  0,
	  sizeof(struct shmid_ds) },
	{ "msgctl",
	  SYS_msgctl,
	  { 0, IPC_STAT, P },
	  0,
	  sizeof(struct msqid_ds) },
	{ "sched_rr_get_interval",
	  SYS_sched_rr_get_interval,
	  { 0, P },
	  0,
	  sizeof(struct timespec) },
	{ "sched_getparam",
	  SYS_sched_getparam,
	  { 0, P },
	  0,
	  sizeof(struct sched_param) },
	{ "epoll_wait",
	  SYS_epoll_wait,
	  { 0, P, 8 },
	  3,
	  3 * sizeof(struct epoll_event) },
	{ "epoll_pwait2",
	  SYS_epoll_pwait2,
	  { 0, P, 8 },
	  1,
	  sizeof(struct epoll_event) },
	{ "io_getevents",
	  SYS_io_getevents,
	  { 0, 1, 4, P },
	  2,
	  2 * sizeof(struct io_event) },
	{ "rt_sigtimedwait",
	  SYS_rt_sigtimedwait,
	  { 0, P, 0, 8 },
	  10,
	  sizeof(siginfo_t) },
	{ "rt_sigaction",
	  SYS_rt_sigaction,
	  { 10, 0, P, 8 },
	  0,
	  3 * sizeof(void *) + 8 },
	{ "timer_create", SYS_timer_create, { 0, 0, P }, 0, sizeof(int) },
	{ "getrlimit", SYS_getrlimit, { 0, P }, 0, sizeof(struct rlimit) },
	{ "mincore", SYS_mincore, { 0, 3 * 4096 + 1, P }, 0, 4 },
	{ "getgroups", SYS_getgroups, { 32, P }, 5, 5 * sizeof(gid_t) },
	{ "fcntl F_GETOWN_EX",
	  SYS_fcntl,
	  { 0, F_GETOWN_EX, P },
	  0,
	  sizeof(struct f_owner_ex) },
	{ "sendfile", SYS_sendfile, { 0, 0, P, 100 }, -EAGAIN, sizeof(off_t) },
	{ "ioctl TCGETS2", SYS_ioctl, { 0, 0x802c542a, P }, 0, 44 },
};

static void test_sizes(void)
{
	unsigned int i, bad = 0;

	for (i = 0; i < sizeof(size_cases) / sizeof(size_cases[0]); i++) {
		const struct size_case *c = &size_cases[i];
		int n = systab_outputs(c->nr, c->a, c->ret, rr, SYSTAB_MAX_OUT,
				       &why);

		if (n != 1 || rr[0].addr != P || rr[0].len != c->size) {
			printf("# %s: %d ranges, %llu bytes, want %llu\n",
			       c->what, n,
			       n > 0 ? (unsigned long long)rr[0].len : 0ULL,
			       (unsigned long long)c->size);
			bad++;
		}
	}
	ok(bad == 0, "%u fixed-size outputs match the headers' sizes", i);
}

/* Calls whose outputs depend on the result or on flags. */
static void test_rules(void)
{
	uint64_t p = A(arena);

	outputs(SYS_nanosleep, p, p + 64, 0, 0, 0, 0, -EINTR);
	ok(one(arena + 64, 16), "nanosleep: remaining time on EINTR");
	outputs(SYS_nanosleep, p, p + 64, 0, 0, 0, 0, 0);
	ok(nrr == 0, "nanosleep: nothing when it slept");
	outputs(SYS_clock_nanosleep, 0, 1 /* TIMER_ABSTIME */, p, p + 64, 0, 0,
		-EINTR);
	ok(nrr == 0, "clock_nanosleep: nothing for an absolute sleep");
	outputs(SYS_futex, p, FUTEX_WAKE_OP | FUTEX_PRIVATE_FLAG, 1, 1, p + 8,
		0, 1);
	ok(one(arena + 8, 4), "futex FUTEX_WAKE_OP: the second word");
	outputs(SYS_futex, p, FUTEX_WAIT_PRIVATE, 0, 0, 0, 0, 0);
	ok(nrr == 0, "futex FUTEX_WAIT: nothing");
	outputs(SYS_clone, CLONE_PARENT_SETTID | CLONE_VM, 0, p, p + 8, 0, 0,
		1234);
	ok(one(arena, 4), "clone: CLONE_PARENT_SETTID in the parent");
	outputs(SYS_clone, CLONE_CHILD_SETTID, 0, p, p + 8, 0, 0, 0);
	ok(one(arena + 8, 4), "clone: CLONE_CHILD_SETTID in the child");
	outputs(SYS_close, 3, 0, 0, 0, 0, 0, 0);
	ok(nrr == 0, "close: nothing");
	outputs(SYS_io_pgetevents, 0, 0, 0, 0, 0, 0, 0);
	ok(nrr == 0, "io_pgetevents: nothing for no events");
	outputs(400, 0, 0, 0, 0, 0, 0, 0);
	ok(nrr == -1 && why && !strcmp(why, "syscall 400"),
	   "unknown number named (%s)", why ? why : "");
	outputs(-5, 0, 0, 0, 0, 0, 0, 0);
	ok(nrr == -1, "negative number refused");
	outputs(SYS_read, 0, p, 64, 0, 0, 0, -ENOSYS);
	ok(nrr == 0, "ENOSYS: nothing");
}

int main(void)
{
	arena = mmap(NULL, ARENA, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	before = malloc(ARENA);
	if (arena == MAP_FAILED || !before)
		return 1;
	printf("1..78\n");
	test_names();
	test_flags();
	test_read();
	test_many();
	test_recvmsg();
	test_udp();
	test_tcp();
	test_files();
	test_poll();
	test_wait();
	test_misc();
	test_ipc();
	test_ioctl();
	test_rules();
	test_sizes();
	return 0;
}
