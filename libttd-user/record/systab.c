// SPDX-License-Identifier: GPL-2.0
/*
 * The recorder's system-call table.  Replay does not run system calls:
 * it returns the recorded result and writes back the recorded bytes, so
 * this table must name every byte of application memory the kernel may
 * have written.  It is consulted after the call returned, so lengths come
 * from the result and from structures the kernel updated in place (the
 * msghdr's msg_namelen and msg_controllen, *addrlen, ...).
 *
 * Layouts are those of the x86-64 kernel ABI, written out here because
 * the engine has no libc headers; the host test compares each size with
 * the C library's and the UAPI headers' own.
 */
#include <asm/unistd.h>
#include <linux/errno.h>

#include "lib.h"
#include "linux/sys.h"
#include "linux/syscall.h"
#include "systab.h"

/* Calls added after the Debian 12 (Linux 6.1) headers. */
#ifndef __NR_cachestat
#define __NR_cachestat 451
#define __NR_fchmodat2 452
#define __NR_map_shadow_stack 453
#define __NR_futex_wake 454
#define __NR_futex_wait 455
#define __NR_futex_requeue 456
#define __NR_statmount 457
#define __NR_listmount 458
#define __NR_lsm_get_self_attr 459
#define __NR_lsm_set_self_attr 460
#define __NR_lsm_list_modules 461
#define __NR_mseal 462
#endif
#ifndef __NR_setxattrat
#define __NR_setxattrat 463
#define __NR_getxattrat 464
#define __NR_listxattrat 465
#define __NR_removexattrat 466
#endif
#ifndef __NR_open_tree_attr
#define __NR_open_tree_attr 467
#endif
#ifndef __NR_file_getattr
#define __NR_file_getattr 468
#define __NR_file_setattr 469
#endif

/* Kernel-internal results that a tracer or a signal path may see. */
#define ERESTARTSYS 512
#define ERESTARTNOINTR 513
#define ERESTARTNOHAND 514
#define ERESTART_RESTARTBLOCK 516

/* ---- x86-64 kernel ABI sizes and layouts ---- */

enum {
	SZ_STAT = 144,
	SZ_STATX = 256,
	SZ_STATFS = 120,
	SZ_USTAT = 32,
	SZ_TIMESPEC = 16,
	SZ_TIMEVAL = 16,
	SZ_TIMEZONE = 8,
	SZ_ITIMERSPEC = 32,
	SZ_ITIMERVAL = 32,
	SZ_TIMEX = 208,
	SZ_RUSAGE = 144,
	SZ_TMS = 32,
	SZ_SYSINFO = 112,
	SZ_UTSNAME = 390,
	SZ_RLIMIT = 16,
	SZ_SIGINFO = 128,
	SZ_STACK_T = 24,
	SZ_KSIGACTION_HEAD = 24, /* handler, flags, restorer; mask follows */
	SZ_SOCKADDR_MAX = 128, /* struct sockaddr_storage */
	SZ_POLLFD = 8,
	SZ_EPOLL_EVENT = 12, /* packed on x86-64 */
	SZ_IO_EVENT = 32,
	SZ_URING_PARAMS = 120,
	SZ_MQ_ATTR = 64,
	SZ_USER_DESC = 16,
	SZ_SCHED_PARAM = 4,
	SZ_CAP_DATA = 12,
	SZ_MSQID_DS = 120,
	SZ_SEMID_DS = 104,
	SZ_SHMID_DS = 112,
	SZ_MSGINFO = 32,
	SZ_SEMINFO = 40,
	SZ_SHMINFO = 72,
	SZ_SHM_INFO = 48,
	SZ_FLOCK = 32,
	SZ_F_OWNER_EX = 8,
	SZ_TERMIOS = 36,
	SZ_TERMIO = 18,
	SZ_WINSIZE = 8,
	SZ_IFREQ = 40,
	SZ_ARPREQ = 68,
	SZ_SERIAL = 72,
	SZ_ICOUNTER = 80,
	SZ_RS485 = 32,
	SZ_LOOP_INFO = 168,
	SZ_LOOP_INFO64 = 232,
	SZ_USER_REGS = 216,
	SZ_USER_FPREGS = 512,
	SZ_DQBLK = 72,
	SZ_DQINFO = 24,
	SZ_FS_DISK_QUOTA = 112,
	SZ_FS_QUOTA_STAT = 80,
	SZ_FS_QUOTA_STATV = 160,
	SZ_PKEY_QUERY = 56,
	SZ_NOTIF_SIZES = 6,
	SZ_CACHESTAT = 40,
	SZ_MAX_HANDLE = 128,
};

struct k_iovec {
	uint64_t base;
	uint64_t len;
};
_Static_assert(sizeof(struct k_iovec) == 16, "struct iovec");

struct k_msghdr {
	uint64_t name;
	uint32_t namelen;
	uint32_t pad0;
	uint64_t iov;
	uint64_t iovlen;
	uint64_t control;
	uint64_t controllen;
	uint32_t flags;
	uint32_t pad1;
};
_Static_assert(sizeof(struct k_msghdr) == 56, "struct msghdr");

struct k_mmsghdr {
	struct k_msghdr hdr;
	uint32_t len;
	uint32_t pad;
};
_Static_assert(sizeof(struct k_mmsghdr) == 64, "struct mmsghdr");

/* The leading fields of struct clone_args, all that can be written. */
struct k_clone_args_head {
	uint64_t flags;
	uint64_t pidfd;
	uint64_t child_tid;
	uint64_t parent_tid;
};
_Static_assert(sizeof(struct k_clone_args_head) == 32, "struct clone_args");

struct k_ifconf {
	int32_t len;
	int32_t pad;
	uint64_t buf;
};
_Static_assert(sizeof(struct k_ifconf) == 16, "struct ifconf");

#define CLONE_PIDFD 0x00001000UL
#define CLONE_VM 0x00000100UL
#define CLONE_PARENT_SETTID 0x00100000UL
#define CLONE_CHILD_SETTID 0x01000000UL
#define IPC_64 0x100
#define UIO_MAXIOV 1024

/* ---- ranges ---- */

struct sr {
	const uint64_t *a;
	long ret;
	struct sysrec_range *out;
	int max;
	int n;
	int lost; /* a range could not be stored at all */
	const char *why;
};

static uint64_t gap(const struct sysrec_range *r, uint64_t addr, uint64_t len)
{
	if (addr + len < r->addr)
		return r->addr - (addr + len);
	if (r->addr + r->len < addr)
		return addr - (r->addr + r->len);
	return 0;
}

/*
 * With every slot taken, the new range joins the nearest one: the union
 * covers memory in between that was not written, which only costs bytes.
 */
static void merge(struct sr *s, uint64_t addr, uint64_t len)
{
	struct sysrec_range *r = &s->out[0];
	uint64_t best = gap(r, addr, len), lo, hi;
	int i;

	for (i = 1; i < s->n; i++) {
		if (gap(&s->out[i], addr, len) < best) {
			r = &s->out[i];
			best = gap(r, addr, len);
		}
	}
	lo = addr < r->addr ? addr : r->addr;
	hi = addr + len > r->addr + r->len ? addr + len : r->addr + r->len;
	r->addr = lo;
	r->len = hi - lo;
}

static void add(struct sr *s, uint64_t addr, uint64_t len)
{
	if (!addr || !len)
		return;
	if (addr + len < addr)
		len = -addr;
	if (s->n && s->out[s->n - 1].addr + s->out[s->n - 1].len == addr) {
		s->out[s->n - 1].len += len; /* contiguous: one range */
	} else if (s->n < s->max) {
		s->out[s->n].addr = addr;
		s->out[s->n].len = len;
		s->n++;
	} else if (s->n) {
		merge(s, addr, len);
	} else {
		s->lost = 1;
	}
}

static uint64_t min64(uint64_t x, uint64_t y)
{
	return x < y ? x : y;
}

/* ---- messages for calls that cannot be described ---- */

static char why_ring[8][64];
static unsigned int why_next;

static char *put_str(char *p, char *end, const char *s)
{
	while (*s && p < end)
		*p++ = *s++;
	return p;
}

static char *put_num(char *p, char *end, uint64_t v, int hex)
{
	char tmp[24];
	int i = 0;

	if (hex)
		p = put_str(p, end, "0x");
	do {
		tmp[i++] = "0123456789abcdef"[v % (hex ? 16 : 10)];
		v /= hex ? 16 : 10;
	} while (v);
	while (i && p < end)
		*p++ = tmp[--i];
	return p;
}

/*
 * A ring rather than one buffer: threads record concurrently, and a
 * message only has to live until the caller has printed it.
 */
static const char *why_num(const char *what, uint64_t v, int hex)
{
	unsigned int slot = __atomic_fetch_add(&why_next, 1, __ATOMIC_RELAXED);
	char *b = why_ring[slot % ARRAY_SIZE(why_ring)];
	char *end = b + sizeof(why_ring[0]) - 1;
	char *p = put_str(b, end, what);

	p = put_num(p, end, v, hex);
	*p = 0;
	return b;
}

static int unknown(struct sr *s, const char *what, uint64_t v, int hex)
{
	s->why = why_num(what, v, hex);
	return -1;
}

/* A sub-command this table does not know: a failed call wrote nothing. */
static int unknown_sub(struct sr *s, const char *what, uint64_t v, int hex)
{
	if (s->ret < 0)
		return 0;
	return unknown(s, what, v, hex);
}

/* ---- helpers over application memory ---- */

/* Spread 'bytes' over an iovec array, in order, as the kernel fills it. */
static int add_iov(struct sr *s, uint64_t iov, uint64_t cnt, uint64_t bytes)
{
	struct k_iovec v[16];
	uint64_t i = 0, k, chunk;

	if (cnt > UIO_MAXIOV)
		cnt = UIO_MAXIOV;
	while (bytes && i < cnt) {
		chunk = min64(cnt - i, ARRAY_SIZE(v));
		if (app_read(iov + i * sizeof(v[0]), v, chunk * sizeof(v[0]))) {
			s->why = "iovec array unreadable after the call";
			return -1;
		}
		for (k = 0; k < chunk && bytes; k++) {
			uint64_t n = min64(v[k].len, bytes);

			add(s, v[k].base, n);
			bytes -= n;
		}
		i += chunk;
	}
	return 0;
}

/* A sockaddr written through (addr, *addrlen), the length read back. */
static int add_sockaddr(struct sr *s, uint64_t addr, uint64_t lenp)
{
	uint32_t len;

	if (!lenp)
		return 0;
	if (app_read(lenp, &len, sizeof(len))) {
		s->why = "address length unreadable after the call";
		return -1;
	}
	add(s, lenp, sizeof(len));
	/* The kernel copied min(buffer, actual) and stored actual. */
	add(s, addr, min64(len, SZ_SOCKADDR_MAX));
	return 0;
}

/*
 * A received message: the header (hdr bytes: msghdr, or mmsghdr with its
 * msg_len), name, data and control.
 */
static int add_msg(struct sr *s, uint64_t msgp, uint64_t hdr, uint64_t bytes)
{
	struct k_msghdr m;

	if (app_read(msgp, &m, sizeof(m))) {
		s->why = "msghdr unreadable after the call";
		return -1;
	}
	add(s, msgp, hdr);
	add(s, m.name, min64(m.namelen, SZ_SOCKADDR_MAX));
	add(s, m.control, m.controllen);
	return add_iov(s, m.iov, m.iovlen, bytes);
}

/* ---- generic descriptions ---- */

struct systab_ent {
	const char *name;
	unsigned char flags;
	unsigned char arg; /* the argument that points at the output */
	unsigned short size; /* its size, for the fixed-size kinds */
	int (*fn)(struct sr *s, const struct systab_ent *e);
};

/* A fixed-size object, written on success. */
static int out_fixed(struct sr *s, const struct systab_ent *e)
{
	if (s->ret >= 0)
		add(s, s->a[e->arg], e->size);
	return 0;
}

/* A fixed-size object that the kernel writes whatever the result. */
static int out_always(struct sr *s, const struct systab_ent *e)
{
	add(s, s->a[e->arg], e->size);
	return 0;
}

/* ret bytes at a[arg]; a[arg + 1] is the buffer's size. */
static int out_retlen(struct sr *s, const struct systab_ent *e)
{
	if (s->ret > 0)
		add(s, s->a[e->arg], min64(s->ret, s->a[e->arg + 1]));
	return 0;
}

/* ret bytes over the iovec array a[arg] of a[arg + 1] entries. */
static int out_iov(struct sr *s, const struct systab_ent *e)
{
	if (s->ret <= 0)
		return 0;
	return add_iov(s, s->a[e->arg], s->a[e->arg + 1], s->ret);
}

/* ret records of 'size' bytes at a[arg]. */
static int out_array(struct sr *s, const struct systab_ent *e)
{
	if (s->ret > 0)
		add(s, s->a[e->arg], (uint64_t)s->ret * e->size);
	return 0;
}

/* ---- calls with their own rules ---- */

static int interrupted(long ret)
{
	return ret == -EINTR || ret == -ERESTARTSYS || ret == -ERESTARTNOINTR ||
	       ret == -ERESTARTNOHAND || ret == -ERESTART_RESTARTBLOCK;
}

static int out_nanosleep(struct sr *s, const struct systab_ent *e)
{
	if (interrupted(s->ret))
		add(s, s->a[1], SZ_TIMESPEC);
	return 0;
}

static int out_clock_nanosleep(struct sr *s, const struct systab_ent *e)
{
	/* An absolute sleep has no remaining time. */
	if (interrupted(s->ret) && !(s->a[1] & 1 /* TIMER_ABSTIME */))
		add(s, s->a[3], SZ_TIMESPEC);
	return 0;
}

static int out_gettimeofday(struct sr *s, const struct systab_ent *e)
{
	if (s->ret >= 0) {
		add(s, s->a[0], SZ_TIMEVAL);
		add(s, s->a[1], SZ_TIMEZONE);
	}
	return 0;
}

/* Three ids (getresuid, getresgid) or two (getcpu), 4 bytes each. */
static int out_ids(struct sr *s, const struct systab_ent *e)
{
	int i;

	if (s->ret < 0)
		return 0;
	for (i = 0; i < e->size; i++)
		add(s, s->a[i], 4);
	return 0;
}

static int out_getgroups(struct sr *s, const struct systab_ent *e)
{
	if (s->ret > 0 && s->a[0])
		add(s, s->a[1], (uint64_t)s->ret * 4);
	return 0;
}

static int out_sched_getaffinity(struct sr *s, const struct systab_ent *e)
{
	if (s->ret > 0)
		add(s, s->a[2], min64(s->ret, s->a[1]));
	return 0;
}

/* a[arg + 1] bytes at a[arg], on success: rt_sigprocmask's old set,
 * sched_getattr, statmount, file_getattr. */
static int out_sized(struct sr *s, const struct systab_ent *e)
{
	if (s->ret >= 0)
		add(s, s->a[e->arg], s->a[e->arg + 1]);
	return 0;
}

static int out_rt_sigaction(struct sr *s, const struct systab_ent *e)
{
	if (s->ret >= 0)
		add(s, s->a[2], SZ_KSIGACTION_HEAD + s->a[3]);
	return 0;
}

static int out_rt_sigtimedwait(struct sr *s, const struct systab_ent *e)
{
	if (s->ret > 0)
		add(s, s->a[1], SZ_SIGINFO);
	return 0;
}

static int out_wait4(struct sr *s, const struct systab_ent *e)
{
	if (s->ret > 0) {
		add(s, s->a[1], 4);
		add(s, s->a[3], SZ_RUSAGE);
	}
	return 0;
}

static int out_waitid(struct sr *s, const struct systab_ent *e)
{
	/* The siginfo fields are stored whatever the result. */
	add(s, s->a[2], SZ_SIGINFO);
	if (s->ret >= 0)
		add(s, s->a[4], SZ_RUSAGE);
	return 0;
}

static int out_capget(struct sr *s, const struct systab_ent *e)
{
	uint32_t version;
	uint64_t n = 2;

	/* An unknown version makes the kernel store the one it prefers. */
	if (s->ret == -EINVAL)
		add(s, s->a[0], 4);
	if (s->ret < 0 || !s->a[1])
		return 0;
	if (!app_read(s->a[0], &version, sizeof(version)) &&
	    version == 0x19980330 /* _LINUX_CAPABILITY_VERSION_1 */)
		n = 1;
	add(s, s->a[1], n * SZ_CAP_DATA);
	return 0;
}

static int out_pipe(struct sr *s, const struct systab_ent *e)
{
	if (s->ret >= 0)
		add(s, s->a[e->arg], 8);
	return 0;
}

/* ---- descriptors, sockets ---- */

/* poll, ppoll, select and pselect6 store their results when interrupted
 * too, and the remaining timeout whatever the result. */
static int out_poll(struct sr *s, const struct systab_ent *e)
{
	if (s->ret >= 0 || interrupted(s->ret))
		add(s, s->a[0], s->a[1] * SZ_POLLFD);
	if (e->arg)
		add(s, s->a[2], SZ_TIMESPEC);
	return 0;
}

static int out_select(struct sr *s, const struct systab_ent *e)
{
	/* fd_set bits are copied in whole longs. */
	uint64_t bytes = ((s->a[0] & 0xffffffff) + 63) / 64 * 8;
	int i;

	if (s->ret >= 0 && (int)s->a[0] > 0) {
		for (i = 1; i <= 3; i++)
			add(s, s->a[i], bytes);
	}
	add(s, s->a[4], e->size);
	return 0;
}

static int out_accept(struct sr *s, const struct systab_ent *e)
{
	if (s->ret < 0 || !s->a[1])
		return 0;
	return add_sockaddr(s, s->a[1], s->a[2]);
}

static int out_recvfrom(struct sr *s, const struct systab_ent *e)
{
	if (s->ret < 0)
		return 0;
	/* With MSG_TRUNC the result is the datagram's full length. */
	add(s, s->a[1], min64(s->ret, s->a[2]));
	if (s->a[4])
		return add_sockaddr(s, s->a[4], s->a[5]);
	return 0;
}

static int out_recvmsg(struct sr *s, const struct systab_ent *e)
{
	if (s->ret < 0)
		return 0;
	return add_msg(s, s->a[1], sizeof(struct k_msghdr), s->ret);
}

static int out_recvmmsg(struct sr *s, const struct systab_ent *e)
{
	struct k_mmsghdr m;
	long i;

	if (s->ret < 0)
		return 0;
	add(s, s->a[4], SZ_TIMESPEC);
	for (i = 0; i < s->ret && i < UIO_MAXIOV; i++) {
		uint64_t p = s->a[1] + i * sizeof(m);

		if (app_read(p, &m, sizeof(m))) {
			s->why = "mmsghdr unreadable after the call";
			return -1;
		}
		if (add_msg(s, p, sizeof(m), m.len))
			return -1;
	}
	return 0;
}

static int out_sendmmsg(struct sr *s, const struct systab_ent *e)
{
	long i;

	for (i = 0; i < s->ret && i < UIO_MAXIOV; i++)
		add(s,
		    s->a[1] + i * sizeof(struct k_mmsghdr) +
			    sizeof(struct k_msghdr),
		    4);
	return 0;
}

static int out_getsockopt(struct sr *s, const struct systab_ent *e)
{
	uint32_t len;

	if (s->ret < 0 || !s->a[4])
		return 0;
	if (app_read(s->a[4], &len, sizeof(len))) {
		s->why = "getsockopt length unreadable after the call";
		return -1;
	}
	add(s, s->a[4], sizeof(len));
	add(s, s->a[3], len);
	return 0;
}

/* Offsets of splice, copy_file_range, sendfile: stored back always. */
static int out_offsets(struct sr *s, const struct systab_ent *e)
{
	if (e->arg == 2) { /* sendfile */
		add(s, s->a[2], 8);
	} else {
		add(s, s->a[1], 8);
		add(s, s->a[3], 8);
	}
	return 0;
}

static int out_vmsplice(struct sr *s, const struct systab_ent *e)
{
	/*
	 * From a pipe's read side vmsplice copies into the iovecs; which
	 * side the descriptor is cannot be told here, so report both.
	 */
	if (s->ret <= 0)
		return 0;
	return add_iov(s, s->a[1], s->a[2], s->ret);
}

static int out_process_vm_readv(struct sr *s, const struct systab_ent *e)
{
	if (s->ret <= 0)
		return 0;
	return add_iov(s, s->a[1], s->a[2], s->ret);
}

static int out_name_to_handle_at(struct sr *s, const struct systab_ent *e)
{
	uint32_t bytes;

	if (s->ret == -EOVERFLOW) /* the size needed is stored */
		add(s, s->a[2], 4);
	if (s->ret < 0)
		return 0;
	if (app_read(s->a[2], &bytes, sizeof(bytes))) {
		s->why = "file_handle unreadable after the call";
		return -1;
	}
	add(s, s->a[2], 8 + min64(bytes, SZ_MAX_HANDLE));
	add(s, s->a[3], 8); /* int, or u64 with AT_HANDLE_MNT_ID_UNIQUE */
	return 0;
}

static int out_mq_timedreceive(struct sr *s, const struct systab_ent *e)
{
	if (s->ret < 0)
		return 0;
	add(s, s->a[1], min64(s->ret, s->a[2]));
	add(s, s->a[3], 4);
	return 0;
}

static int out_msgrcv(struct sr *s, const struct systab_ent *e)
{
	if (s->ret >= 0)
		add(s, s->a[1], 8 + (uint64_t)s->ret); /* mtype, mtext */
	return 0;
}

static int out_move_pages(struct sr *s, const struct systab_ent *e)
{
	if (s->ret >= 0)
		add(s, s->a[4], s->a[1] * 4);
	return 0;
}

static int out_get_mempolicy(struct sr *s, const struct systab_ent *e)
{
	if (s->ret < 0)
		return 0;
	add(s, s->a[0], 4);
	add(s, s->a[1], (s->a[2] + 63) / 64 * 8);
	return 0;
}

static int out_get_robust_list(struct sr *s, const struct systab_ent *e)
{
	if (s->ret >= 0) {
		add(s, s->a[1], 8);
		add(s, s->a[2], 8);
	}
	return 0;
}

static int out_mincore(struct sr *s, const struct systab_ent *e)
{
	if (s->ret >= 0)
		add(s, s->a[2], (s->a[1] + PAGE_SIZE - 1) / PAGE_SIZE);
	return 0;
}

/* The size field of an extensible struct, stored back on E2BIG. */
static int out_e2big_size(struct sr *s, const struct systab_ent *e)
{
	if (s->ret == -E2BIG)
		add(s, s->a[e->arg] + e->size, 4);
	return 0;
}

static int out_rseq(struct sr *s, const struct systab_ent *e)
{
	/*
	 * Registration: the kernel keeps rewriting the area (cpu_id on
	 * every return after a migration), which a recorder must treat as
	 * volatile; this is only the first store.
	 */
	if (s->ret >= 0 && !(s->a[2] & 1 /* RSEQ_FLAG_UNREGISTER */))
		add(s, s->a[0], s->a[1]);
	return 0;
}

static int out_sysfs(struct sr *s, const struct systab_ent *e)
{
	uint64_t i;
	char c;

	/* Option 2 stores a file-system type name, NUL-terminated. */
	if (s->ret < 0 || s->a[0] != 2)
		return 0;
	for (i = 0; i < 256; i++) {
		if (app_read(s->a[2] + i, &c, 1) || !c)
			break;
	}
	add(s, s->a[2], i + 1);
	return 0;
}

static int out_syslog(struct sr *s, const struct systab_ent *e)
{
	/* SYSLOG_ACTION_READ, _READ_ALL, _READ_CLEAR */
	if (s->a[0] >= 2 && s->a[0] <= 4 && s->ret > 0)
		add(s, s->a[1], min64(s->ret, s->a[2]));
	return 0;
}

static int out_modify_ldt(struct sr *s, const struct systab_ent *e)
{
	if ((s->a[0] == 0 || s->a[0] == 2) && s->ret > 0)
		add(s, s->a[1], min64(s->ret, s->a[2]));
	return 0;
}

static int out_lsm_get_self_attr(struct sr *s, const struct systab_ent *e)
{
	uint32_t size;

	if (s->ret < 0 && s->ret != -E2BIG)
		return 0;
	add(s, s->a[2], 4);
	if (s->ret < 0)
		return 0;
	if (app_read(s->a[2], &size, sizeof(size))) {
		s->why = "lsm_get_self_attr size unreadable after the call";
		return -1;
	}
	add(s, s->a[1], size);
	return 0;
}

static int out_lsm_list_modules(struct sr *s, const struct systab_ent *e)
{
	if (s->ret < 0 && s->ret != -E2BIG)
		return 0;
	add(s, s->a[1], 4);
	if (s->ret > 0)
		add(s, s->a[0], (uint64_t)s->ret * 8);
	return 0;
}

static int out_getxattrat(struct sr *s, const struct systab_ent *e)
{
	uint64_t value;

	if (s->ret <= 0)
		return 0;
	/* struct xattr_args { u64 value; u32 size; u32 flags; } */
	if (app_read(s->a[4], &value, sizeof(value))) {
		s->why = "xattr_args unreadable after the call";
		return -1;
	}
	add(s, value, s->ret);
	return 0;
}

/* ---- process creation, futexes ---- */

static int out_clone(struct sr *s, const struct systab_ent *e)
{
	uint64_t flags = s->a[0], ptid = s->a[2], ctid = s->a[3];

	if (s->ret < 0)
		return 0;
	if (s->ret > 0 && (flags & (CLONE_PARENT_SETTID | CLONE_PIDFD)))
		add(s, ptid, 4);
	/* The child stores its tid itself, into shared memory with CLONE_VM. */
	if ((flags & CLONE_CHILD_SETTID) && (s->ret == 0 || (flags & CLONE_VM)))
		add(s, ctid, 4);
	return 0;
}

static int out_clone3(struct sr *s, const struct systab_ent *e)
{
	struct k_clone_args_head ca;

	if (s->ret < 0)
		return 0;
	if (s->a[1] < sizeof(ca) || app_read(s->a[0], &ca, sizeof(ca))) {
		s->why = "clone_args unreadable after the call";
		return -1;
	}
	if (s->ret > 0 && (ca.flags & CLONE_PIDFD))
		add(s, ca.pidfd, 4);
	if (s->ret > 0 && (ca.flags & CLONE_PARENT_SETTID))
		add(s, ca.parent_tid, 4);
	if ((ca.flags & CLONE_CHILD_SETTID) &&
	    (s->ret == 0 || (ca.flags & CLONE_VM)))
		add(s, ca.child_tid, 4);
	return 0;
}

static int out_futex(struct sr *s, const struct systab_ent *e)
{
	unsigned int cmd = s->a[1] & ~(128u | 256u); /* PRIVATE, CLOCK_RT */

	switch (cmd) {
	case 0: /* FUTEX_WAIT */
	case 1: /* FUTEX_WAKE */
	case 2: /* FUTEX_FD */
	case 3: /* FUTEX_REQUEUE */
	case 4: /* FUTEX_CMP_REQUEUE */
	case 9: /* FUTEX_WAIT_BITSET */
	case 10: /* FUTEX_WAKE_BITSET */
		return 0;
	case 5: /* FUTEX_WAKE_OP: an atomic operation on *uaddr2 */
		if (s->ret >= 0)
			add(s, s->a[4], 4);
		return 0;
	/*
	 * PI futexes: the kernel sets the owner and waiter bits in the
	 * word, also on paths that end in a timeout or a signal.
	 */
	case 6: /* FUTEX_LOCK_PI */
	case 7: /* FUTEX_UNLOCK_PI */
	case 8: /* FUTEX_TRYLOCK_PI */
	case 13: /* FUTEX_LOCK_PI2 */
		add(s, s->a[0], 4);
		return 0;
	case 11: /* FUTEX_WAIT_REQUEUE_PI */
	case 12: /* FUTEX_CMP_REQUEUE_PI */
		add(s, s->a[4], 4);
		return 0;
	}
	return unknown_sub(s, "futex op ", cmd, 0);
}

/* ---- multiplexers ---- */

static int out_fcntl(struct sr *s, const struct systab_ent *e)
{
	switch (s->a[1]) {
	case 5: /* F_GETLK */
	case 36: /* F_OFD_GETLK */
		if (s->ret >= 0)
			add(s, s->a[2], SZ_FLOCK);
		return 0;
	case 16: /* F_GETOWN_EX */
		if (s->ret >= 0)
			add(s, s->a[2], SZ_F_OWNER_EX);
		return 0;
	case 17: /* F_GETOWNER_UIDS */
	case 1035: /* F_GET_RW_HINT */
	case 1037: /* F_GET_FILE_RW_HINT */
		if (s->ret >= 0)
			add(s, s->a[2], 8);
		return 0;
	case 0 ... 4: /* F_DUPFD .. F_SETFL */
	case 6 ... 11: /* F_SETLK .. F_GETSIG */
	case 15: /* F_SETOWN_EX */
	case 37: /* F_OFD_SETLK */
	case 38: /* F_OFD_SETLKW */
	case 1024 ... 1034: /* leases, notify, pipe size, seals, ... */
	case 1036: /* F_SET_RW_HINT */
	case 1038: /* F_SET_FILE_RW_HINT */
		return 0;
	}
	return unknown_sub(s, "fcntl cmd ", s->a[1], 0);
}

static int out_prctl(struct sr *s, const struct systab_ent *e)
{
	uint64_t opt = s->a[0];

	if (s->ret < 0)
		return 0;
	switch (opt) {
	case 2: /* PR_GET_PDEATHSIG */
	case 5: /* PR_GET_UNALIGN */
	case 9: /* PR_GET_FPEMU */
	case 11: /* PR_GET_FPEXC */
	case 19: /* PR_GET_ENDIAN */
	case 25: /* PR_GET_TSC */
	case 37: /* PR_GET_CHILD_SUBREAPER */
		add(s, s->a[1], 4);
		return 0;
	case 16: /* PR_GET_NAME */
		add(s, s->a[1], 16);
		return 0;
	case 40: /* PR_GET_TID_ADDRESS */
		add(s, s->a[1], 8);
		return 0;
	case 35: /* PR_SET_MM */
		if (s->a[1] == 15) /* PR_SET_MM_MAP_SIZE */
			add(s, s->a[2], 4);
		return 0;
	case 62: /* PR_SCHED_CORE */
		if (s->a[1] == 0) /* PR_SCHED_CORE_GET */
			add(s, s->a[4], 8);
		return 0;
	case 0x41555856: /* PR_GET_AUXV */
		add(s, s->a[1], min64(s->ret, s->a[2]));
		return 0;
	case 1: /* PR_SET_PDEATHSIG */
	case 3 ... 4: /* dumpable */
	case 6 ... 8: /* unaligned, keepcaps */
	case 10: /* PR_SET_FPEMU */
	case 12 ... 15: /* fpexc, timing, PR_SET_NAME */
	case 20 ... 24: /* endian, seccomp, capability bounding set */
	case 26 ... 34: /* tsc, securebits, timer slack, perf, mce */
	case 36: /* PR_SET_CHILD_SUBREAPER */
	case 38 ... 39: /* no_new_privs */
	case 41 ... 61: /* thp, mpx, fp mode, ambient, speculation, ... */
	case 63 ... 68: /* sme, mdwe, memory merge */
	case 0x59616d61: /* PR_SET_PTRACER */
	case 0x53564d41: /* PR_SET_VMA */
		return 0;
	}
	return unknown(s, "prctl option ", opt, 0);
}

static int out_arch_prctl(struct sr *s, const struct systab_ent *e)
{
	switch (s->a[0]) {
	case 0x1003: /* ARCH_GET_FS */
	case 0x1004: /* ARCH_GET_GS */
	case 0x1021: /* ARCH_GET_XCOMP_SUPP */
	case 0x1022: /* ARCH_GET_XCOMP_PERM */
	case 0x1024: /* ARCH_GET_XCOMP_GUEST_PERM */
	case 0x4001: /* ARCH_GET_UNTAG_MASK */
	case 0x4003: /* ARCH_GET_MAX_TAG_BITS */
	case 0x5005: /* ARCH_SHSTK_STATUS */
		if (s->ret >= 0)
			add(s, s->a[1], 8);
		return 0;
	case 0x1001: /* ARCH_SET_GS */
	case 0x1002: /* ARCH_SET_FS */
	case 0x1011: /* ARCH_GET_CPUID */
	case 0x1012: /* ARCH_SET_CPUID */
	case 0x1023: /* ARCH_REQ_XCOMP_PERM */
	case 0x1025: /* ARCH_REQ_XCOMP_GUEST_PERM */
	case 0x2001 ... 0x2003: /* ARCH_MAP_VDSO_* */
	case 0x4002: /* ARCH_ENABLE_TAGGED_ADDR */
	case 0x4004: /* ARCH_FORCE_TAGGED_SVA */
	case 0x5001 ... 0x5004: /* ARCH_SHSTK_* */
		return 0;
	}
	return unknown_sub(s, "arch_prctl code ", s->a[0], 1);
}

static int out_ptrace(struct sr *s, const struct systab_ent *e)
{
	uint64_t req = s->a[0], addr = s->a[2], data = s->a[3];
	struct k_iovec v;

	if (s->ret < 0)
		return 0;
	switch (req) {
	case 1 ... 3: /* PTRACE_PEEKTEXT, _PEEKDATA, _PEEKUSR */
	case 0x4201: /* PTRACE_GETEVENTMSG */
		add(s, data, 8);
		return 0;
	case 12: /* PTRACE_GETREGS */
		add(s, data, SZ_USER_REGS);
		return 0;
	case 14: /* PTRACE_GETFPREGS */
		add(s, data, SZ_USER_FPREGS);
		return 0;
	case 25: /* PTRACE_GET_THREAD_AREA */
		add(s, data, SZ_USER_DESC);
		return 0;
	case 30: /* PTRACE_ARCH_PRCTL: code in data, result at addr */
		if (data == 0x1003 || data == 0x1004)
			add(s, addr, 8);
		return 0;
	case 0x4202: /* PTRACE_GETSIGINFO */
		add(s, data, SZ_SIGINFO);
		return 0;
	case 0x4204: /* PTRACE_GETREGSET: iov_len is updated */
		if (app_read(data, &v, sizeof(v))) {
			s->why = "ptrace iovec unreadable after the call";
			return -1;
		}
		add(s, data, sizeof(v));
		add(s, v.base, v.len);
		return 0;
	case 0x4209: /* PTRACE_PEEKSIGINFO */
		add(s, data, (uint64_t)s->ret * SZ_SIGINFO);
		return 0;
	case 0x420a: /* PTRACE_GETSIGMASK */
	case 0x420d: /* PTRACE_SECCOMP_GET_METADATA */
	case 0x4211: /* PTRACE_GET_SYSCALL_USER_DISPATCH_CONFIG */
		add(s, data, addr);
		return 0;
	case 0x420c: /* PTRACE_SECCOMP_GET_FILTER */
		if (data)
			add(s, data, (uint64_t)s->ret * 8);
		return 0;
	case 0x420e: /* PTRACE_GET_SYSCALL_INFO */
	case 0x420f: /* PTRACE_GET_RSEQ_CONFIGURATION */
		add(s, data, min64(addr, s->ret));
		return 0;
	case 0: /* PTRACE_TRACEME */
	case 4 ... 9: /* pokes, cont, kill, singlestep */
	case 13: /* PTRACE_SETREGS */
	case 15 ... 17: /* setfpregs, attach, detach */
	case 24: /* PTRACE_SYSCALL */
	case 26: /* PTRACE_SET_THREAD_AREA */
	case 31 ... 33: /* sysemu, singleblock */
	case 0x4200: /* PTRACE_SETOPTIONS */
	case 0x4203: /* PTRACE_SETSIGINFO */
	case 0x4205 ... 0x4208: /* setregset, seize, interrupt, listen */
	case 0x420b: /* PTRACE_SETSIGMASK */
	case 0x4210: /* PTRACE_SET_SYSCALL_USER_DISPATCH_CONFIG */
		return 0;
	}
	return unknown(s, "ptrace request ", req, 1);
}

static int out_keyctl(struct sr *s, const struct systab_ent *e)
{
	if (s->ret < 0)
		return 0;
	switch (s->a[0]) {
	case 6: /* KEYCTL_DESCRIBE */
	case 11: /* KEYCTL_READ */
	case 17: /* KEYCTL_GET_SECURITY */
	case 23: /* KEYCTL_DH_COMPUTE */
		add(s, s->a[2], min64(s->ret, s->a[3]));
		return 0;
	case 31: /* KEYCTL_CAPABILITIES */
		add(s, s->a[1], min64(s->ret, s->a[2]));
		return 0;
	case 24: /* KEYCTL_PKEY_QUERY */
		add(s, s->a[4], SZ_PKEY_QUERY);
		return 0;
	case 25: /* KEYCTL_PKEY_ENCRYPT */
	case 26: /* KEYCTL_PKEY_DECRYPT */
	case 27: /* KEYCTL_PKEY_SIGN */
		add(s, s->a[4], s->ret);
		return 0;
	case 0 ... 5:
	case 7 ... 10:
	case 12 ... 16:
	case 18 ... 22:
	case 28 ... 30:
	case 32: /* KEYCTL_WATCH_KEY */
		return 0;
	}
	return unknown(s, "keyctl operation ", s->a[0], 0);
}

static int out_semctl(struct sr *s, const struct systab_ent *e)
{
	uint64_t cmd = s->a[2] & ~(uint64_t)IPC_64;
	unsigned char ds[SZ_SEMID_DS];
	uint64_t nsems;
	long r;

	if (s->ret < 0)
		return 0;
	switch (cmd) {
	case 2: /* IPC_STAT */
	case 18: /* SEM_STAT */
	case 20: /* SEM_STAT_ANY */
		add(s, s->a[3], SZ_SEMID_DS);
		return 0;
	case 3: /* IPC_INFO */
	case 19: /* SEM_INFO */
		add(s, s->a[3], SZ_SEMINFO);
		return 0;
	case 13: /* GETALL: one unsigned short per semaphore */
		r = sys_call4(__NR_semctl, s->a[0], 0, 2 /* IPC_STAT */, ds);
		if (r < 0) {
			s->why = "semctl GETALL: semaphore set gone";
			return -1;
		}
		memcpy(&nsems, ds + 80, sizeof(nsems)); /* sem_nsems */
		add(s, s->a[3], nsems * 2);
		return 0;
	case 0 ... 1: /* IPC_RMID, IPC_SET */
	case 11 ... 12: /* GETPID, GETVAL */
	case 14 ... 17: /* GETNCNT, GETZCNT, SETVAL, SETALL */
		return 0;
	}
	return unknown(s, "semctl cmd ", cmd, 0);
}

static int out_msgctl(struct sr *s, const struct systab_ent *e)
{
	uint64_t cmd = s->a[1] & ~(uint64_t)IPC_64;

	if (s->ret < 0)
		return 0;
	switch (cmd) {
	case 2: /* IPC_STAT */
	case 11: /* MSG_STAT */
	case 13: /* MSG_STAT_ANY */
		add(s, s->a[2], SZ_MSQID_DS);
		return 0;
	case 3: /* IPC_INFO */
	case 12: /* MSG_INFO */
		add(s, s->a[2], SZ_MSGINFO);
		return 0;
	case 0 ... 1:
		return 0;
	}
	return unknown(s, "msgctl cmd ", cmd, 0);
}

static int out_shmctl(struct sr *s, const struct systab_ent *e)
{
	uint64_t cmd = s->a[1] & ~(uint64_t)IPC_64;

	if (s->ret < 0)
		return 0;
	switch (cmd) {
	case 2: /* IPC_STAT */
	case 13: /* SHM_STAT */
	case 15: /* SHM_STAT_ANY */
		add(s, s->a[2], SZ_SHMID_DS);
		return 0;
	case 3: /* IPC_INFO */
		add(s, s->a[2], SZ_SHMINFO);
		return 0;
	case 14: /* SHM_INFO */
		add(s, s->a[2], SZ_SHM_INFO);
		return 0;
	case 0 ... 1:
	case 11 ... 12: /* SHM_LOCK, SHM_UNLOCK */
		return 0;
	}
	return unknown(s, "shmctl cmd ", cmd, 0);
}

/* quotactl(cmd, special, id, addr) and quotactl_fd(fd, cmd, id, addr) */
static int out_quota(struct sr *s, uint64_t qcmd, uint64_t addr)
{
	uint64_t cmd = (qcmd & 0xffffffff) >> 8; /* QCMD(cmd, type) */
	uint64_t size = 0;

	if (s->ret < 0)
		return 0;
	switch (cmd) {
	case 0x800004: /* Q_GETFMT */
		size = 4;
		break;
	case 0x800005: /* Q_GETINFO */
		size = SZ_DQINFO;
		break;
	case 0x800007: /* Q_GETQUOTA */
	case 0x800009: /* Q_GETNEXTQUOTA */
		size = SZ_DQBLK;
		break;
	case 0x5803: /* Q_XGETQUOTA */
	case 0x5809: /* Q_XGETNEXTQUOTA */
		size = SZ_FS_DISK_QUOTA;
		break;
	case 0x5805: /* Q_XGETQSTAT */
		size = SZ_FS_QUOTA_STAT;
		break;
	case 0x5808: /* Q_XGETQSTATV */
		size = SZ_FS_QUOTA_STATV;
		break;
	case 0x800001 ... 0x800003: /* sync, on, off */
	case 0x800006: /* Q_SETINFO */
	case 0x800008: /* Q_SETQUOTA */
	case 0x5801 ... 0x5802: /* XFS on, off */
	case 0x5804: /* Q_XSETQLIM */
	case 0x5806 ... 0x5807: /* Q_XQUOTARM, Q_XQUOTASYNC */
		break;
	default:
		return unknown(s, "quotactl cmd ", cmd, 1);
	}
	add(s, addr, size);
	return 0;
}

static int out_quotactl(struct sr *s, const struct systab_ent *e)
{
	return out_quota(s, s->a[0], s->a[3]);
}

static int out_quotactl_fd(struct sr *s, const struct systab_ent *e)
{
	return out_quota(s, s->a[1], s->a[3]);
}

static int out_io_uring_register(struct sr *s, const struct systab_ent *e)
{
	uint64_t op = s->a[1] & 0x7fffffff; /* less USE_REGISTERED_RING */

	if (s->ret < 0)
		return 0;
	switch (op) {
	case 8: /* IORING_REGISTER_PROBE: header and one op per entry */
		add(s, s->a[2], 16 + s->a[3] * 8);
		return 0;
	case 19: /* IORING_REGISTER_IOWQ_MAX_WORKERS: old values back */
		add(s, s->a[2], 8);
		return 0;
	case 20: /* IORING_REGISTER_RING_FDS: offsets back */
		add(s, s->a[2], s->a[3] * 16);
		return 0;
	case 0 ... 7:
	case 9 ... 18:
	case 21 ... 25:
		return 0;
	}
	return unknown(s, "io_uring_register opcode ", op, 0);
}

static int out_io_cancel(struct sr *s, const struct systab_ent *e)
{
	if (s->ret >= 0)
		add(s, s->a[2], SZ_IO_EVENT);
	return 0;
}

static int out_seccomp(struct sr *s, const struct systab_ent *e)
{
	if (s->ret < 0)
		return 0;
	switch (s->a[0]) {
	case 3: /* SECCOMP_GET_NOTIF_SIZES */
		add(s, s->a[2], SZ_NOTIF_SIZES);
		return 0;
	case 0 ... 2: /* strict, filter, action available */
		return 0;
	}
	return unknown(s, "seccomp operation ", s->a[0], 0);
}

static int out_bpf(struct sr *s, const struct systab_ent *e)
{
	/* Most commands write through pointers inside union bpf_attr. */
	return unknown_sub(s, "bpf cmd ", s->a[0], 0);
}

static int out_restart(struct sr *s, const struct systab_ent *e)
{
	s->why = "restart_syscall: the outputs are the interrupted call's";
	return -1;
}

/* ---- ioctl ---- */

#define IOC_DIR(r) (((r) >> 30) & 3)
#define IOC_TYPE(r) (((r) >> 8) & 0xff)
#define IOC_SIZE(r) (((r) >> 16) & 0x3fff)
#define IOC_READ 2u

/* Requests with legacy numbers (no size or direction encoded). */
struct ioctl_ent {
	uint32_t req;
	uint16_t size; /* written at the argument; 0: nothing */
};

static const struct ioctl_ent ioctl_legacy[] = {
	/* terminals */
	{ 0x5401, SZ_TERMIOS }, /* TCGETS */
	{ 0x5402, 0 }, /* TCSETS */
	{ 0x5403, 0 }, /* TCSETSW */
	{ 0x5404, 0 }, /* TCSETSF */
	{ 0x5405, SZ_TERMIO }, /* TCGETA */
	{ 0x5406, 0 }, /* TCSETA */
	{ 0x5407, 0 }, /* TCSETAW */
	{ 0x5408, 0 }, /* TCSETAF */
	{ 0x5409, 0 }, /* TCSBRK */
	{ 0x540a, 0 }, /* TCXONC */
	{ 0x540b, 0 }, /* TCFLSH */
	{ 0x540c, 0 }, /* TIOCEXCL */
	{ 0x540d, 0 }, /* TIOCNXCL */
	{ 0x540e, 0 }, /* TIOCSCTTY */
	{ 0x540f, 4 }, /* TIOCGPGRP */
	{ 0x5410, 0 }, /* TIOCSPGRP */
	{ 0x5411, 4 }, /* TIOCOUTQ */
	{ 0x5412, 0 }, /* TIOCSTI */
	{ 0x5413, SZ_WINSIZE }, /* TIOCGWINSZ */
	{ 0x5414, 0 }, /* TIOCSWINSZ */
	{ 0x5415, 4 }, /* TIOCMGET */
	{ 0x5416, 0 }, /* TIOCMBIS */
	{ 0x5417, 0 }, /* TIOCMBIC */
	{ 0x5418, 0 }, /* TIOCMSET */
	{ 0x5419, 4 }, /* TIOCGSOFTCAR */
	{ 0x541a, 0 }, /* TIOCSSOFTCAR */
	{ 0x541b, 4 }, /* FIONREAD, TIOCINQ */
	{ 0x541d, 0 }, /* TIOCCONS */
	{ 0x541e, SZ_SERIAL }, /* TIOCGSERIAL */
	{ 0x541f, 0 }, /* TIOCSSERIAL */
	{ 0x5420, 0 }, /* TIOCPKT */
	{ 0x5421, 0 }, /* FIONBIO */
	{ 0x5422, 0 }, /* TIOCNOTTY */
	{ 0x5423, 0 }, /* TIOCSETD */
	{ 0x5424, 4 }, /* TIOCGETD */
	{ 0x5425, 0 }, /* TCSBRKP */
	{ 0x5427, 0 }, /* TIOCSBRK */
	{ 0x5428, 0 }, /* TIOCCBRK */
	{ 0x5429, 4 }, /* TIOCGSID */
	{ 0x542e, SZ_RS485 }, /* TIOCGRS485 */
	{ 0x542f, SZ_RS485 }, /* TIOCSRS485: the applied setting back */
	{ 0x5437, 0 }, /* TIOCVHANGUP */
	{ 0x5441, 0 }, /* TIOCGPTPEER */
	{ 0x5450, 0 }, /* FIONCLEX */
	{ 0x5451, 0 }, /* FIOCLEX */
	{ 0x5452, 0 }, /* FIOASYNC */
	{ 0x5453, 0 }, /* TIOCSERCONFIG */
	{ 0x5454, 4 }, /* TIOCSERGWILD */
	{ 0x5455, 0 }, /* TIOCSERSWILD */
	{ 0x5456, SZ_TERMIOS }, /* TIOCGLCKTRMIOS */
	{ 0x5457, 0 }, /* TIOCSLCKTRMIOS */
	{ 0x5459, 4 }, /* TIOCSERGETLSR */
	{ 0x545c, 0 }, /* TIOCMIWAIT */
	{ 0x545d, SZ_ICOUNTER }, /* TIOCGICOUNT */
	{ 0x5460, 8 }, /* FIOQSIZE */
	/* consoles */
	{ 0x4b33, 1 }, /* KDGKBTYPE */
	{ 0x4b3b, 4 }, /* KDGETMODE */
	{ 0x4b44, 4 }, /* KDGKBMODE */
	{ 0x5600, 4 }, /* VT_OPENQRY */
	{ 0x5601, 8 }, /* VT_GETMODE */
	{ 0x5603, 6 }, /* VT_GETSTATE */
	/* sockets */
	{ 0x8901, 0 }, /* FIOSETOWN */
	{ 0x8902, 0 }, /* SIOCSPGRP */
	{ 0x8903, 4 }, /* FIOGETOWN */
	{ 0x8904, 4 }, /* SIOCGPGRP */
	{ 0x8905, 4 }, /* SIOCATMARK */
	{ 0x8906, SZ_TIMEVAL }, /* SIOCGSTAMP_OLD */
	{ 0x8907, SZ_TIMESPEC }, /* SIOCGSTAMPNS_OLD */
	{ 0x890b, 0 }, /* SIOCADDRT */
	{ 0x890c, 0 }, /* SIOCDELRT */
	{ 0x8910, SZ_IFREQ }, /* SIOCGIFNAME */
	{ 0x8911, 0 }, /* SIOCSIFLINK */
	{ 0x8913, SZ_IFREQ }, /* SIOCGIFFLAGS */
	{ 0x8914, 0 }, /* SIOCSIFFLAGS */
	{ 0x8915, SZ_IFREQ }, /* SIOCGIFADDR */
	{ 0x8916, 0 }, /* SIOCSIFADDR */
	{ 0x8917, SZ_IFREQ }, /* SIOCGIFDSTADDR */
	{ 0x8918, 0 }, /* SIOCSIFDSTADDR */
	{ 0x8919, SZ_IFREQ }, /* SIOCGIFBRDADDR */
	{ 0x891a, 0 }, /* SIOCSIFBRDADDR */
	{ 0x891b, SZ_IFREQ }, /* SIOCGIFNETMASK */
	{ 0x891c, 0 }, /* SIOCSIFNETMASK */
	{ 0x891d, SZ_IFREQ }, /* SIOCGIFMETRIC */
	{ 0x891e, 0 }, /* SIOCSIFMETRIC */
	{ 0x891f, SZ_IFREQ }, /* SIOCGIFMEM */
	{ 0x8920, 0 }, /* SIOCSIFMEM */
	{ 0x8921, SZ_IFREQ }, /* SIOCGIFMTU */
	{ 0x8922, 0 }, /* SIOCSIFMTU */
	{ 0x8923, 0 }, /* SIOCSIFNAME */
	{ 0x8924, 0 }, /* SIOCSIFHWADDR */
	{ 0x8925, SZ_IFREQ }, /* SIOCGIFENCAP */
	{ 0x8926, 0 }, /* SIOCSIFENCAP */
	{ 0x8927, SZ_IFREQ }, /* SIOCGIFHWADDR */
	{ 0x8929, SZ_IFREQ }, /* SIOCGIFSLAVE */
	{ 0x8930, 0 }, /* SIOCSIFSLAVE */
	{ 0x8931, 0 }, /* SIOCADDMULTI */
	{ 0x8932, 0 }, /* SIOCDELMULTI */
	{ 0x8933, SZ_IFREQ }, /* SIOCGIFINDEX */
	{ 0x8934, 0 }, /* SIOCSIFPFLAGS */
	{ 0x8935, SZ_IFREQ }, /* SIOCGIFPFLAGS */
	{ 0x8936, 0 }, /* SIOCDIFADDR */
	{ 0x8937, 0 }, /* SIOCSIFHWBROADCAST */
	{ 0x8938, SZ_IFREQ }, /* SIOCGIFCOUNT */
	{ 0x8942, SZ_IFREQ }, /* SIOCGIFTXQLEN */
	{ 0x8943, 0 }, /* SIOCSIFTXQLEN */
	{ 0x8947, SZ_IFREQ }, /* SIOCGMIIPHY */
	{ 0x8948, SZ_IFREQ }, /* SIOCGMIIREG */
	{ 0x8949, 0 }, /* SIOCSMIIREG */
	{ 0x894b, 4 }, /* SIOCOUTQNSD */
	{ 0x894c, 0 }, /* SIOCGSKNS */
	{ 0x8953, 0 }, /* SIOCDARP */
	{ 0x8954, SZ_ARPREQ }, /* SIOCGARP */
	{ 0x8955, 0 }, /* SIOCSARP */
	{ 0x8970, SZ_IFREQ }, /* SIOCGIFMAP */
	{ 0x8971, 0 }, /* SIOCSIFMAP */
	/* block devices and files */
	{ 0x0001, 4 }, /* FIBMAP */
	{ 0x0002, 4 }, /* FIGETBSZ */
	{ 0x125d, 0 }, /* BLKROSET */
	{ 0x125e, 4 }, /* BLKROGET */
	{ 0x125f, 0 }, /* BLKRRPART */
	{ 0x1260, 8 }, /* BLKGETSIZE */
	{ 0x1261, 0 }, /* BLKFLSBUF */
	{ 0x1262, 0 }, /* BLKRASET */
	{ 0x1263, 8 }, /* BLKRAGET */
	{ 0x1264, 0 }, /* BLKFRASET */
	{ 0x1265, 8 }, /* BLKFRAGET */
	{ 0x1267, 2 }, /* BLKSECTGET */
	{ 0x1268, 4 }, /* BLKSSZGET */
	{ 0x1277, 0 }, /* BLKDISCARD */
	{ 0x1278, 4 }, /* BLKIOMIN */
	{ 0x1279, 4 }, /* BLKIOOPT */
	{ 0x127a, 4 }, /* BLKALIGNOFF */
	{ 0x127b, 4 }, /* BLKPBSZGET */
	{ 0x127c, 4 }, /* BLKDISCARDZEROES */
	{ 0x127d, 0 }, /* BLKSECDISCARD */
	{ 0x127e, 2 }, /* BLKROTATIONAL */
	{ 0x127f, 0 }, /* BLKZEROOUT */
	{ 0x4c00, 0 }, /* LOOP_SET_FD */
	{ 0x4c01, 0 }, /* LOOP_CLR_FD */
	{ 0x4c02, 0 }, /* LOOP_SET_STATUS */
	{ 0x4c03, SZ_LOOP_INFO }, /* LOOP_GET_STATUS */
	{ 0x4c04, 0 }, /* LOOP_SET_STATUS64 */
	{ 0x4c05, SZ_LOOP_INFO64 }, /* LOOP_GET_STATUS64 */
	{ 0x4c06, 0 }, /* LOOP_CHANGE_FD */
	{ 0x4c07, 0 }, /* LOOP_SET_CAPACITY */
	{ 0x4c08, 0 }, /* LOOP_SET_DIRECT_IO */
	{ 0x4c09, 0 }, /* LOOP_SET_BLOCK_SIZE */
	{ 0x4c0a, 0 }, /* LOOP_CONFIGURE */
	{ 0x4c80, 0 }, /* LOOP_CTL_ADD */
	{ 0x4c81, 0 }, /* LOOP_CTL_REMOVE */
	{ 0x4c82, 0 }, /* LOOP_CTL_GET_FREE */
	/* _IO() requests with a type, no argument memory */
	{ 0x2400, 0 }, /* PERF_EVENT_IOC_ENABLE */
	{ 0x2401, 0 }, /* PERF_EVENT_IOC_DISABLE */
	{ 0x2402, 0 }, /* PERF_EVENT_IOC_REFRESH */
	{ 0x2403, 0 }, /* PERF_EVENT_IOC_RESET */
	{ 0x2405, 0 }, /* PERF_EVENT_IOC_SET_OUTPUT */
	{ 0xb701, 0 }, /* NS_GET_USERNS */
	{ 0xb702, 0 }, /* NS_GET_PARENT */
	{ 0xb703, 0 }, /* NS_GET_NSTYPE */
	{ 0xb704, 4 }, /* NS_GET_OWNER_UID */
};

/*
 * Driver families whose requests carry pointers to more buffers inside
 * the argument (DRM, usbdevfs, V4L2, KVM, btrfs): the encoded size does
 * not cover what the kernel writes.
 */
static int ioctl_indirect(uint32_t type)
{
	return type == 'd' || type == 'U' || type == 'V' || type == 0xae ||
	       type == 0x94;
}

static int ioctl_ifconf(struct sr *s, uint64_t arg)
{
	struct k_ifconf ic;

	if (app_read(arg, &ic, sizeof(ic))) {
		s->why = "ifconf unreadable after the call";
		return -1;
	}
	add(s, arg, sizeof(ic));
	if (ic.len > 0)
		add(s, ic.buf, ic.len);
	return 0;
}

/* Encoded requests whose encoded size understates the output. */
static int ioctl_special(struct sr *s, uint32_t req, uint64_t arg)
{
	uint32_t n32;
	uint16_t n16;
	uint64_t p;

	switch (req) {
	case 0xc0189436: /* FIDEDUPERANGE: dest_count records follow */
		if (app_read(arg + 18, &n16, sizeof(n16)))
			break;
		add(s, arg, 24 + (uint64_t)n16 * 32);
		return 0;
	case 0xc020660b: /* FS_IOC_FIEMAP: fm_extent_count extents */
		if (app_read(arg + 24, &n32, sizeof(n32)))
			break;
		add(s, arg, 32 + (uint64_t)n32 * 56);
		return 0;
	case 0xc140583b: /* FS_IOC_GETFSMAP: fmh_count records */
		if (app_read(arg + 8, &n32, sizeof(n32)))
			break;
		add(s, arg, 320 + (uint64_t)n32 * 128);
		return 0;
	case 0xc008240a: /* PERF_EVENT_IOC_QUERY_BPF: ids_len ids */
		if (app_read(arg, &n32, sizeof(n32)))
			break;
		add(s, arg, 8 + (uint64_t)n32 * 4);
		return 0;
	case 0x81009431: /* FS_IOC_GETFSLABEL */
		add(s, arg, 256);
		return 0;
	case 0x400454ca: /* TUNSETIFF: the chosen name back */
	case 0x800454d2: /* TUNGETIFF: a struct ifreq, not an int */
		add(s, arg, SZ_IFREQ);
		return 0;
	case 0x8912: /* SIOCGIFCONF */
		return ioctl_ifconf(s, arg);
	case 0x89b0: /* SIOCSHWTSTAMP: the applied config back */
	case 0x89b1: /* SIOCGHWTSTAMP */
		add(s, arg, SZ_IFREQ);
		if (app_read(arg + 16, &p, sizeof(p))) /* ifr_data */
			break;
		add(s, p, 12); /* struct hwtstamp_config */
		return 0;
	default:
		return 1;
	}
	s->why = "ioctl argument unreadable after the call";
	return -1;
}

static int out_ioctl(struct sr *s, const struct systab_ent *e)
{
	uint32_t req = s->a[1];
	uint64_t arg = s->a[2];
	unsigned int i;
	int r;

	/* A failed ioctl writes nothing, by the kernel's convention. */
	if (s->ret < 0)
		return 0;
	r = ioctl_special(s, req, arg);
	if (r <= 0)
		return r;
	for (i = 0; i < ARRAY_SIZE(ioctl_legacy); i++) {
		if (ioctl_legacy[i].req == req) {
			add(s, arg, ioctl_legacy[i].size);
			return 0;
		}
	}
	if (IOC_DIR(req) == 0 || IOC_SIZE(req) == 0)
		return unknown(s, "ioctl ", req, 1);
	if (!(IOC_DIR(req) & IOC_READ))
		return 0;
	if (ioctl_indirect(IOC_TYPE(req)))
		return unknown(s, "ioctl with indirect buffers ", req, 1);
	add(s, arg, IOC_SIZE(req));
	return 0;
}

/* ---- the table ---- */

#define B SR_MAY_BLOCK
#define X(nr, fl, h, ar, sz) \
	[__NR_##nr] = { #nr, SR_KNOWN | (fl), (ar), (sz), (h) }
/* No memory written. */
#define NONE(nr, fl) X(nr, fl, NULL, 0, 0)
/* A fixed-size object at a[ar], on success. */
#define FIXED(nr, fl, ar, sz) X(nr, fl, out_fixed, ar, sz)
/* ret bytes at a[ar], a[ar + 1] the buffer size. */
#define RETLEN(nr, fl, ar) X(nr, fl, out_retlen, ar, 0)
/* ret bytes over the iovecs at a[ar], a[ar + 1] of them. */
#define IOV(nr, fl, ar) X(nr, fl, out_iov, ar, 0)
/* Its own function. */
#define FN(nr, fl, h) X(nr, fl, h, 0, 0)

static const struct systab_ent table[SYSTAB_NR] = {
	RETLEN(read, B, 1),
	NONE(write, B),
	NONE(open, B), /* a FIFO waits for its other end */
	NONE(close, B), /* SO_LINGER */
	FIXED(stat, 0, 1, SZ_STAT),
	FIXED(fstat, 0, 1, SZ_STAT),
	FIXED(lstat, 0, 1, SZ_STAT),
	X(poll, B, out_poll, 0, 0),
	NONE(lseek, 0),
	NONE(mmap, 0),
	NONE(mprotect, 0),
	NONE(munmap, 0),
	NONE(brk, 0),
	FN(rt_sigaction, 0, out_rt_sigaction),
	X(rt_sigprocmask, 0, out_sized, 2, 0),
	NONE(rt_sigreturn, 0),
	FN(ioctl, B, out_ioctl),
	RETLEN(pread64, B, 1),
	NONE(pwrite64, B),
	IOV(readv, B, 1),
	NONE(writev, B),
	NONE(access, 0),
	X(pipe, 0, out_pipe, 0, 0),
	X(select, B, out_select, 0, SZ_TIMEVAL),
	NONE(sched_yield, 0),
	NONE(mremap, 0),
	NONE(msync, B),
	FN(mincore, 0, out_mincore),
	NONE(madvise, 0),
	NONE(shmget, 0),
	NONE(shmat, 0),
	FN(shmctl, 0, out_shmctl),
	NONE(dup, 0),
	NONE(dup2, 0),
	NONE(pause, B),
	FN(nanosleep, B, out_nanosleep),
	FIXED(getitimer, 0, 1, SZ_ITIMERVAL),
	NONE(alarm, 0),
	FIXED(setitimer, 0, 2, SZ_ITIMERVAL),
	NONE(getpid, 0),
	X(sendfile, B, out_offsets, 2, 0),
	NONE(socket, 0),
	NONE(connect, B),
	FN(accept, B, out_accept),
	NONE(sendto, B),
	FN(recvfrom, B, out_recvfrom),
	NONE(sendmsg, B),
	FN(recvmsg, B, out_recvmsg),
	NONE(shutdown, 0),
	NONE(bind, 0),
	NONE(listen, 0),
	FN(getsockname, 0, out_accept),
	FN(getpeername, 0, out_accept),
	X(socketpair, 0, out_pipe, 3, 0),
	NONE(setsockopt, 0),
	FN(getsockopt, 0, out_getsockopt),
	FN(clone, B, out_clone), /* CLONE_VFORK */
	NONE(fork, 0),
	NONE(vfork, B),
	NONE(execve, 0),
	NONE(exit, 0),
	FN(wait4, B, out_wait4),
	NONE(kill, 0),
	FIXED(uname, 0, 0, SZ_UTSNAME),
	NONE(semget, 0),
	NONE(semop, B),
	FN(semctl, 0, out_semctl),
	NONE(shmdt, 0),
	NONE(msgget, 0),
	NONE(msgsnd, B),
	FN(msgrcv, B, out_msgrcv),
	FN(msgctl, 0, out_msgctl),
	FN(fcntl, B, out_fcntl),
	NONE(flock, B),
	NONE(fsync, B),
	NONE(fdatasync, B),
	NONE(truncate, 0),
	NONE(ftruncate, 0),
	RETLEN(getdents, 0, 1),
	RETLEN(getcwd, 0, 0),
	NONE(chdir, 0),
	NONE(fchdir, 0),
	NONE(rename, 0),
	NONE(mkdir, 0),
	NONE(rmdir, 0),
	NONE(creat, B),
	NONE(link, 0),
	NONE(unlink, 0),
	NONE(symlink, 0),
	RETLEN(readlink, 0, 1),
	NONE(chmod, 0),
	NONE(fchmod, 0),
	NONE(chown, 0),
	NONE(fchown, 0),
	NONE(lchown, 0),
	NONE(umask, 0),
	FN(gettimeofday, 0, out_gettimeofday),
	FIXED(getrlimit, 0, 1, SZ_RLIMIT),
	FIXED(getrusage, 0, 1, SZ_RUSAGE),
	FIXED(sysinfo, 0, 0, SZ_SYSINFO),
	/* The tick count may look like an error: store regardless. */
	X(times, 0, out_always, 0, SZ_TMS),
	FN(ptrace, 0, out_ptrace),
	NONE(getuid, 0),
	FN(syslog, B, out_syslog),
	NONE(getgid, 0),
	NONE(setuid, 0),
	NONE(setgid, 0),
	NONE(geteuid, 0),
	NONE(getegid, 0),
	NONE(setpgid, 0),
	NONE(getppid, 0),
	NONE(getpgrp, 0),
	NONE(setsid, 0),
	NONE(setreuid, 0),
	NONE(setregid, 0),
	FN(getgroups, 0, out_getgroups),
	NONE(setgroups, 0),
	NONE(setresuid, 0),
	X(getresuid, 0, out_ids, 0, 3),
	NONE(setresgid, 0),
	X(getresgid, 0, out_ids, 0, 3),
	NONE(getpgid, 0),
	NONE(setfsuid, 0),
	NONE(setfsgid, 0),
	NONE(getsid, 0),
	FN(capget, 0, out_capget),
	NONE(capset, 0),
	X(rt_sigpending, 0, out_sized, 0, 0),
	FN(rt_sigtimedwait, B, out_rt_sigtimedwait),
	NONE(rt_sigqueueinfo, 0),
	NONE(rt_sigsuspend, B),
	FIXED(sigaltstack, 0, 1, SZ_STACK_T),
	NONE(utime, 0),
	NONE(mknod, 0),
	NONE(uselib, 0),
	NONE(personality, 0),
	FIXED(ustat, 0, 1, SZ_USTAT),
	FIXED(statfs, 0, 1, SZ_STATFS),
	FIXED(fstatfs, 0, 1, SZ_STATFS),
	FN(sysfs, 0, out_sysfs),
	NONE(getpriority, 0),
	NONE(setpriority, 0),
	NONE(sched_setparam, 0),
	FIXED(sched_getparam, 0, 1, SZ_SCHED_PARAM),
	NONE(sched_setscheduler, 0),
	NONE(sched_getscheduler, 0),
	NONE(sched_get_priority_max, 0),
	NONE(sched_get_priority_min, 0),
	FIXED(sched_rr_get_interval, 0, 1, SZ_TIMESPEC),
	NONE(mlock, 0),
	NONE(munlock, 0),
	NONE(mlockall, 0),
	NONE(munlockall, 0),
	NONE(vhangup, 0),
	FN(modify_ldt, 0, out_modify_ldt),
	NONE(pivot_root, 0),
	NONE(_sysctl, 0), /* removed: ENOSYS */
	FN(prctl, 0, out_prctl),
	FN(arch_prctl, 0, out_arch_prctl),
	FIXED(adjtimex, 0, 0, SZ_TIMEX),
	NONE(setrlimit, 0),
	NONE(chroot, 0),
	NONE(sync, B),
	NONE(acct, 0),
	NONE(settimeofday, 0),
	NONE(mount, B),
	NONE(umount2, B),
	NONE(swapon, 0),
	NONE(swapoff, 0),
	NONE(reboot, 0),
	NONE(sethostname, 0),
	NONE(setdomainname, 0),
	NONE(iopl, 0),
	NONE(ioperm, 0),
	NONE(create_module, 0), /* this and the next ones: ENOSYS */
	NONE(init_module, 0),
	NONE(delete_module, 0),
	NONE(get_kernel_syms, 0),
	NONE(query_module, 0),
	FN(quotactl, 0, out_quotactl),
	NONE(nfsservctl, 0),
	NONE(getpmsg, 0),
	NONE(putpmsg, 0),
	NONE(afs_syscall, 0),
	NONE(tuxcall, 0),
	NONE(security, 0),
	NONE(gettid, 0),
	NONE(readahead, 0),
	NONE(setxattr, 0),
	NONE(lsetxattr, 0),
	NONE(fsetxattr, 0),
	RETLEN(getxattr, 0, 2),
	RETLEN(lgetxattr, 0, 2),
	RETLEN(fgetxattr, 0, 2),
	RETLEN(listxattr, 0, 1),
	RETLEN(llistxattr, 0, 1),
	RETLEN(flistxattr, 0, 1),
	NONE(removexattr, 0),
	NONE(lremovexattr, 0),
	NONE(fremovexattr, 0),
	NONE(tkill, 0),
	/* The time may look like an error: store regardless. */
	X(time, 0, out_always, 0, 8),
	FN(futex, B, out_futex),
	NONE(sched_setaffinity, 0),
	FN(sched_getaffinity, 0, out_sched_getaffinity),
	/* entry_number is stored back when it was -1 */
	FIXED(set_thread_area, 0, 0, 4),
	FIXED(io_setup, 0, 1, 8),
	NONE(io_destroy, B),
	X(io_getevents, B, out_array, 3, SZ_IO_EVENT),
	NONE(io_submit, 0),
	FN(io_cancel, 0, out_io_cancel),
	FIXED(get_thread_area, 0, 0, SZ_USER_DESC),
	RETLEN(lookup_dcookie, 0, 1),
	NONE(epoll_create, 0),
	NONE(epoll_ctl_old, 0), /* ENOSYS */
	NONE(epoll_wait_old, 0), /* ENOSYS */
	NONE(remap_file_pages, 0),
	RETLEN(getdents64, 0, 1),
	NONE(set_tid_address, 0),
	/* The outputs are those of the interrupted call, unknown here. */
	[__NR_restart_syscall] = { "restart_syscall", B, 0, 0, out_restart },
	NONE(semtimedop, B),
	NONE(fadvise64, 0),
	FIXED(timer_create, 0, 2, 4),
	FIXED(timer_settime, 0, 3, SZ_ITIMERSPEC),
	FIXED(timer_gettime, 0, 1, SZ_ITIMERSPEC),
	NONE(timer_getoverrun, 0),
	NONE(timer_delete, 0),
	NONE(clock_settime, 0),
	FIXED(clock_gettime, 0, 1, SZ_TIMESPEC),
	FIXED(clock_getres, 0, 1, SZ_TIMESPEC),
	FN(clock_nanosleep, B, out_clock_nanosleep),
	NONE(exit_group, 0),
	X(epoll_wait, B, out_array, 1, SZ_EPOLL_EVENT),
	NONE(epoll_ctl, 0),
	NONE(tgkill, 0),
	NONE(utimes, 0),
	NONE(vserver, 0), /* ENOSYS */
	NONE(mbind, 0),
	NONE(set_mempolicy, 0),
	FN(get_mempolicy, 0, out_get_mempolicy),
	NONE(mq_open, 0),
	NONE(mq_unlink, 0),
	NONE(mq_timedsend, B),
	FN(mq_timedreceive, B, out_mq_timedreceive),
	NONE(mq_notify, 0),
	FIXED(mq_getsetattr, 0, 2, SZ_MQ_ATTR),
	NONE(kexec_load, 0),
	FN(waitid, B, out_waitid),
	NONE(add_key, 0),
	NONE(request_key, B), /* may wait for an upcall */
	FN(keyctl, 0, out_keyctl),
	NONE(ioprio_set, 0),
	NONE(ioprio_get, 0),
	NONE(inotify_init, 0),
	NONE(inotify_add_watch, 0),
	NONE(inotify_rm_watch, 0),
	NONE(migrate_pages, 0),
	NONE(openat, B),
	NONE(mkdirat, 0),
	NONE(mknodat, 0),
	NONE(fchownat, 0),
	NONE(futimesat, 0),
	FIXED(newfstatat, 0, 2, SZ_STAT),
	NONE(unlinkat, 0),
	NONE(renameat, 0),
	NONE(linkat, 0),
	NONE(symlinkat, 0),
	RETLEN(readlinkat, 0, 2),
	NONE(fchmodat, 0),
	NONE(faccessat, 0),
	X(pselect6, B, out_select, 0, SZ_TIMESPEC),
	X(ppoll, B, out_poll, 1, 0),
	NONE(unshare, 0),
	NONE(set_robust_list, 0),
	FN(get_robust_list, 0, out_get_robust_list),
	X(splice, B, out_offsets, 0, 0),
	NONE(tee, B),
	NONE(sync_file_range, B),
	FN(vmsplice, B, out_vmsplice),
	FN(move_pages, 0, out_move_pages),
	NONE(utimensat, 0),
	X(epoll_pwait, B, out_array, 1, SZ_EPOLL_EVENT),
	NONE(signalfd, 0),
	NONE(timerfd_create, 0),
	NONE(eventfd, 0),
	NONE(fallocate, 0),
	FIXED(timerfd_settime, 0, 3, SZ_ITIMERSPEC),
	FIXED(timerfd_gettime, 0, 1, SZ_ITIMERSPEC),
	FN(accept4, B, out_accept),
	NONE(signalfd4, 0),
	NONE(eventfd2, 0),
	NONE(epoll_create1, 0),
	NONE(dup3, 0),
	X(pipe2, 0, out_pipe, 0, 0),
	NONE(inotify_init1, 0),
	IOV(preadv, B, 1),
	NONE(pwritev, B),
	NONE(rt_tgsigqueueinfo, 0),
	X(perf_event_open, 0, out_e2big_size, 0, 4),
	FN(recvmmsg, B, out_recvmmsg),
	NONE(fanotify_init, 0),
	NONE(fanotify_mark, 0),
	FIXED(prlimit64, 0, 3, SZ_RLIMIT),
	FN(name_to_handle_at, 0, out_name_to_handle_at),
	NONE(open_by_handle_at, B),
	FIXED(clock_adjtime, 0, 1, SZ_TIMEX),
	NONE(syncfs, B),
	FN(sendmmsg, B, out_sendmmsg),
	NONE(setns, 0),
	X(getcpu, 0, out_ids, 0, 2),
	FN(process_vm_readv, 0, out_process_vm_readv),
	NONE(process_vm_writev, 0),
	NONE(kcmp, 0),
	NONE(finit_module, 0),
	X(sched_setattr, 0, out_e2big_size, 1, 0),
	X(sched_getattr, 0, out_sized, 1, 0),
	NONE(renameat2, 0),
	FN(seccomp, 0, out_seccomp),
	RETLEN(getrandom, B, 0), /* before the pool is ready */
	NONE(memfd_create, 0),
	NONE(kexec_file_load, 0),
	FN(bpf, 0, out_bpf),
	NONE(execveat, 0),
	NONE(userfaultfd, 0),
	NONE(membarrier, 0),
	NONE(mlock2, 0),
	X(copy_file_range, B, out_offsets, 0, 0),
	IOV(preadv2, B, 1),
	NONE(pwritev2, B),
	NONE(pkey_mprotect, 0),
	NONE(pkey_alloc, 0),
	NONE(pkey_free, 0),
	FIXED(statx, 0, 4, SZ_STATX),
	X(io_pgetevents, B, out_array, 3, SZ_IO_EVENT),
	FN(rseq, 0, out_rseq),
	NONE(pidfd_send_signal, 0),
	FIXED(io_uring_setup, 0, 1, SZ_URING_PARAMS),
	NONE(io_uring_enter, B),
	FN(io_uring_register, 0, out_io_uring_register),
	NONE(open_tree, 0),
	NONE(move_mount, 0),
	NONE(fsopen, 0),
	NONE(fsconfig, 0),
	NONE(fsmount, 0),
	NONE(fspick, 0),
	NONE(pidfd_open, 0),
	FN(clone3, B, out_clone3),
	NONE(close_range, B),
	NONE(openat2, B),
	NONE(pidfd_getfd, 0),
	NONE(faccessat2, 0),
	NONE(process_madvise, 0),
	X(epoll_pwait2, B, out_array, 1, SZ_EPOLL_EVENT),
	NONE(mount_setattr, 0),
	FN(quotactl_fd, 0, out_quotactl_fd),
	NONE(landlock_create_ruleset, 0),
	NONE(landlock_add_rule, 0),
	NONE(landlock_restrict_self, 0),
	NONE(memfd_secret, 0),
	NONE(process_mrelease, 0),
	NONE(futex_waitv, B),
	NONE(set_mempolicy_home_node, 0),
	/* Linux 6.5 and later */
	FIXED(cachestat, 0, 2, SZ_CACHESTAT),
	NONE(fchmodat2, 0),
	NONE(map_shadow_stack, 0),
	NONE(futex_wake, 0),
	NONE(futex_wait, B),
	NONE(futex_requeue, 0),
	X(statmount, 0, out_sized, 1, 0),
	X(listmount, 0, out_array, 1, 8),
	FN(lsm_get_self_attr, 0, out_lsm_get_self_attr),
	NONE(lsm_set_self_attr, 0),
	FN(lsm_list_modules, 0, out_lsm_list_modules),
	NONE(mseal, 0),
	NONE(setxattrat, 0),
	FN(getxattrat, 0, out_getxattrat),
	RETLEN(listxattrat, 0, 3),
	NONE(removexattrat, 0),
	NONE(open_tree_attr, 0),
	X(file_getattr, 0, out_sized, 2, 0),
	NONE(file_setattr, 0),
};

unsigned int systab_flags(long nr)
{
	if (nr < 0 || nr >= SYSTAB_NR)
		return 0;
	return table[nr].flags;
}

const char *systab_name(long nr)
{
	if (nr < 0 || nr >= SYSTAB_NR)
		return NULL;
	return table[nr].name;
}

int systab_outputs(long nr, const uint64_t a[6], long ret,
		   struct sysrec_range *out, int max, const char **why)
{
	struct sr s = { .a = a, .ret = ret, .out = out, .max = max };
	const struct systab_ent *e;

	if (nr < 0 || nr >= SYSTAB_NR || !table[nr].name) {
		*why = why_num("syscall ", nr, 0);
		return -1;
	}
	e = &table[nr];
	/* Not implemented by this kernel, or refused by a filter. */
	if (ret == -ENOSYS || !e->fn)
		return 0;
	if (e->fn(&s, e)) {
		*why = s.why;
		return -1;
	}
	if (s.lost) {
		*why = "no room for the output ranges";
		return -1;
	}
	return s.n;
}
