// SPDX-License-Identifier: GPL-2.0
/*
 * Recording: the engine's hooks write every non-deterministic input of
 * the process into its event ring (see rec_events.h for the payloads).
 *
 * The threads of a process run one at a time, holding the run token; a
 * thread gives it up in a system call that may block, at the end of its
 * time slice when another thread waits, and when it exits.  Everything
 * written to the ring is therefore in the order it happened.
 */
#include "rr.h"
#include "systab.h"
#include "lib.h"
#include "heap.h"
#include "ctl.h"
#include "mode.h"
#include "thread.h"
#include "dispatch.h"
#include "linux/sys.h"
#include "linux/syscall.h"
#include "linux/signal.h"
#include "linux/maps.h"
#include "x86/decode.h"
#include "format/ttd_events.h"

#define CLONE_VM 0x00000100UL
#define CLONE_VFORK 0x00004000UL

/* The recording cannot go on faithfully: say why and end the process. */
__attribute__((noreturn)) static void record_refuse(struct ttd_thread *t,
						    const char *why)
{
	static struct strbuf sb;

	sb.len = 0;
	sb_printf(&sb,
		  "ttd: recording stopped: %s (pid %ld, tid %d, pc %p); "
		  "this call cannot be recorded faithfully\n",
		  why, sys_getpid(), t->tid, (void *)(t->ctx.rip - 2));
	ctl_send_text(TTD_CTL_FATAL, sb.buf, sb.len);
	sys_exit_group(125);
}

/* ---- the image at its start ---- */

struct snap {
	struct rr_proc *p;
	struct ttd_thread *t;
	uint32_t n;
	int count_only;
};

static int skip_area(const struct vm_area *a)
{
	if (rr_engine_area(a->start))
		return 1;
	return !strcmp(a->name, "[vvar]") || !strcmp(a->name, "[vsyscall]");
}

static int snap_area(const struct vm_area *a, void *arg)
{
	struct snap *s = arg;
	struct rec_region r;

	if (skip_area(a))
		return 0;
	s->n++;
	if (s->count_only)
		return 0;
	memset(&r, 0, sizeof(r));
	rr_hdr(&r.h, s->t);
	r.start = a->start;
	r.end = a->end;
	r.prot = (uint32_t)a->prot;
	r.flags = (a->shared ? REC_REGION_SHARED : 0) |
		  (!strcmp(a->name, "[stack]") ? REC_REGION_STACK : 0);
	r.data_len = (a->prot & PROT_READ) ? a->end - a->start : 0;
	memcpy(r.name, a->name, sizeof(r.name));
	rlog_put(s->p, TTD_EV_SNAPSHOT_REGION, &r, sizeof(r));
	rlog_blob_mem(s->p, TTD_EV_SNAPSHOT_REGION, a->start, r.data_len);
	return 0;
}

static void record_exec_image(struct ttd_thread *t)
{
	struct rr_proc *p = t->rp;
	struct snap s = { p, t, 0, 1 };
	struct rec_exec e;

	rr_find_vdso(p);
	maps_for_each(snap_area, &s);
	memset(&e, 0, sizeof(e));
	rr_hdr(&e.h, t);
	memcpy(e.regs, &t->ctx, sizeof(t->ctx));
	e.nregions = s.n;
	e.nvdso = p->nvdso;
	for (uint32_t i = 0; i < p->nvdso; i++) {
		e.vdso[i].addr = p->vdso_addr[i];
		e.vdso[i].kind = p->vdso_kind[i];
	}
	e.brk = (uint64_t)sys_call1(__NR_brk, 0);
	rlog_put(p, TTD_EV_EXEC, &e, sizeof(e));
	s.count_only = 0;
	maps_for_each(snap_area, &s);
}

static void log_process(struct ttd_thread *t, int how, int ppid)
{
	struct rec_process e = { .pid = (int)sys_getpid(),
				 .ppid = ppid,
				 .version = REC_EVENTS_VERSION,
				 .how = (uint32_t)how };

	rr_hdr(&e.h, t);
	rlog_put(t->rp, TTD_EV_PROCESS_CREATE, &e, sizeof(e));
}

void record_start(struct ttd_thread *t)
{
	struct rr_proc *p = rr_proc_new();
	int launch = thread_icount(t) == 0;

	t->rp = p;
	t->rr_tid = t->tid;
	p->nthreads = 1;
	rr_token_acquire(p);
	rr_attach_ring(p, launch ? RING_LAUNCH : RING_EXEC, 0);
	if (launch)
		log_process(t, REC_START_LAUNCH, (int)sys_call0(__NR_getppid));
	record_exec_image(t);
}

/* ---- system calls ---- */

struct kstat_ {
	uint64_t dev, ino, nlink;
	uint32_t mode, uid, gid, pad;
	uint64_t rdev;
	int64_t size;
	uint64_t rest[12];
};

/* Writes to the user's terminal (or whatever stdout/stderr were) are
 * flagged, so that replay can show them. */
static uint32_t output_flags(long nr, uint64_t fd)
{
	struct kstat_ st;

	switch (nr) {
	case __NR_write:
	case __NR_writev:
	case __NR_pwrite64:
	case __NR_pwritev:
	case __NR_pwritev2:
		break;
	default:
		return 0;
	}
	if (sys_call2(__NR_fstat, fd, &st))
		return 0;
	if (st.dev == eopts.out_dev && st.ino == eopts.out_ino)
		return REC_SC_STDOUT;
	if (st.dev == eopts.err_dev && st.ino == eopts.err_ino)
		return REC_SC_STDERR;
	return 0;
}

static void log_syscall(struct ttd_thread *t, long nr, const uint64_t a[6],
			uint32_t sflags, uint32_t out_seq);

/*
 * In-kernel copies into the user's stdout or stderr never pass through
 * the program's memory, so replay could not show them.  They fail as on
 * a kernel without them (programs fall back to read and write); the
 * failure is recorded like any result.
 */
static int copies_to_output(struct ttd_thread *t, long nr, const uint64_t a[6])
{
	uint64_t out_fd;
	long err;

	switch (nr) {
	case __NR_copy_file_range:
		out_fd = a[2];
		err = -ENOSYS;
		break;
	case __NR_sendfile:
	case __NR_splice:
		out_fd = nr == __NR_sendfile ? a[0] : a[2];
		err = -EINVAL;
		break;
	default:
		return 0;
	}
	if (!output_flags(__NR_write, out_fd))
		return 0;
	t->ctx.rax = (uint64_t)err;
	log_syscall(t, nr, a, 0, 0);
	return 1;
}

/* The contents of a new file mapping, read from the file so that bytes
 * past its end need not be touched. */
static void log_mmap_contents(struct ttd_thread *t, uint64_t addr, uint64_t len,
			      int fd, uint64_t off)
{
	struct rr_proc *p = t->rp;
	struct rec_mmap m = { addr, len, 0, { 0 } };
	struct kstat_ st;

	if (sys_call2(__NR_fstat, fd, &st) == 0 &&
	    (st.mode & 0170000) == 0100000) {
		m.data_len =
			st.size > (int64_t)off ? (uint64_t)st.size - off : 0;
		if (m.data_len > len)
			m.data_len = len;
	} else {
		m.data_len = len; /* not a regular file: read the memory */
	}
	rlog_put(p, TTD_EV_MMAP, &m, sizeof(m));
	rlog_blob_mem(p, TTD_EV_MMAP, addr, m.data_len);
}

static void log_syscall(struct ttd_thread *t, long nr, const uint64_t a[6],
			uint32_t sflags, uint32_t out_seq)
{
	struct rr_proc *p = t->rp;
	struct sysrec_range out[SYSTAB_MAX_OUT];
	struct rec_syscall e;
	const char *why = NULL;
	long ret = (long)t->ctx.rax;
	int n;

	n = systab_outputs(nr, a, ret, out, SYSTAB_MAX_OUT, &why);
	if (n < 0)
		record_refuse(t, why ? why : "unknown system call");
	memset(&e, 0, sizeof(e));
	rr_hdr(&e.h, t);
	e.nr = nr;
	memcpy(e.args, a, sizeof(e.args));
	e.ret = ret;
	e.sflags = sflags;
	e.out_seq = out_seq;
	if (t->sig.mask_override) {
		e.sflags |= REC_SC_OVERRIDE;
		e.override_mask = t->sig.override_mask;
		e.restore_mask = t->sig.restore_mask;
	}
	rlog_put(p, TTD_EV_SYSCALL, &e, sizeof(e));
	for (int i = 0; i < n; i++)
		if (out[i].len)
			rlog_mem(p, TTD_EV_SYSCALL_MEM, 0, out[i].addr,
				 out[i].len);
	if (nr == __NR_mmap && !sys_is_err(ret) && !(a[3] & MAP_ANONYMOUS) &&
	    (int)a[4] >= 0)
		log_mmap_contents(t, (uint64_t)ret, a[1], (int)a[4], a[5]);
}

static void thread_exit_common(struct ttd_thread *t, int status,
			       int whole_process);

/*
 * The thread gives up the CPU here: in a system call that may block, or
 * at the end of its time slice.  What other threads do next must come
 * after this point at replay, and the event says so.
 */
static void log_switch(struct ttd_thread *t)
{
	struct rec_switch e;

	rr_hdr(&e.h, t);
	rlog_put(t->rp, TTD_EV_THREAD_SWITCH, &e, sizeof(e));
}

/*
 * Interfaces through which the kernel writes into the process whenever
 * it likes (io_uring and AIO completions, userfaultfd, perf rings)
 * cannot be recorded yet.  They fail as on a kernel without them, which
 * programs are written to cope with; rr refuses them the same way.
 */
static int refused(struct ttd_thread *t, long nr, const uint64_t a[6])
{
	switch (nr) {
	case __NR_io_uring_setup:
	case __NR_io_setup:
	case __NR_userfaultfd:
	case __NR_perf_event_open:
		t->ctx.rax = (uint64_t)-ENOSYS;
		log_syscall(t, nr, a, 0, 0);
		return 1;
	}
	return 0;
}

/*
 * Whether other threads may run while this call is in the kernel.  A
 * thread creation must not: the child would run before the call that
 * made it is recorded.  A vfork must: the parent waits for the child.
 */
static int gives_up_cpu(long nr, unsigned int fl, const uint64_t a[6])
{
	uint64_t flags = 0;

	switch (nr) {
	case __NR_vfork:
		return 1;
	case __NR_clone:
		return !!(a[0] & CLONE_VFORK);
	case __NR_clone3:
		if (app_read(a[0], &flags, 8))
			return 0;
		return !!(flags & CLONE_VFORK);
	case __NR_fork:
		return 0;
	case __NR_sched_yield:
		return 1;
	}
	return !!(fl & SR_MAY_BLOCK);
}

/*
 * While a thread waits in the kernel without the token, other threads
 * run; the kernel must not write into memory they may be reading.  The
 * output buffers of the common blocking calls are pointed at scratch
 * memory for the call and copied in once the thread has the token back
 * (only what the kernel wrote, as the table says).
 */
#define MAX_REDIRECT 24
#define MAX_REDIRECT_IOV 16
#define MAX_REDIRECT_BYTES (64UL << 20)

struct redirect {
	uint64_t orig, len;
	uint8_t *scratch;
};

struct redirects {
	struct redirect r[MAX_REDIRECT];
	int n;
	int sizing; /* first pass: only add up the sizes */
	int failed; /* too big or too many: no redirection */
	uint64_t used;
	struct ttd_thread *t;
	uint64_t msg; /* recvmsg: the program's msghdr */
	uint8_t *msg_copy; /* and the one the kernel gets */
};

/* Scratch memory of len bytes (not copied back). */
static uint8_t *take(struct redirects *rs, uint64_t len)
{
	uint8_t *p = rs->t->rr_scratch + rs->used;

	rs->used += ALIGN_UP(len, 64);
	return rs->sizing ? NULL : p;
}

/* Move the buffer [orig, orig + len) to scratch; its new address. */
static uint64_t redir(struct redirects *rs, uint64_t orig, uint64_t len,
		      int inout)
{
	uint8_t *p;

	if (!orig || !len)
		return orig;
	if (len > MAX_REDIRECT_BYTES || rs->n == MAX_REDIRECT) {
		rs->failed = 1;
		return orig;
	}
	p = take(rs, len);
	if (rs->sizing)
		return orig;
	if (inout && app_read(orig, p, len))
		memset(p, 0, len);
	rs->r[rs->n].orig = orig;
	rs->r[rs->n].len = len;
	rs->r[rs->n++].scratch = p;
	return (uint64_t)p;
}

/* An iovec array: a scratch copy pointing at scratch buffers. */
static uint64_t redir_iov(struct redirects *rs, uint64_t iovp, uint64_t cnt)
{
	uint64_t iov[MAX_REDIRECT_IOV][2];
	uint64_t *copy;

	if (!cnt || cnt > MAX_REDIRECT_IOV || app_read(iovp, iov, cnt * 16)) {
		rs->failed = 1;
		return iovp;
	}
	copy = (uint64_t *)take(rs, cnt * 16);
	for (uint64_t i = 0; i < cnt; i++) {
		uint64_t base = redir(rs, iov[i][0], iov[i][1], 0);
		if (copy) {
			copy[2 * i] = base;
			copy[2 * i + 1] = iov[i][1];
		}
	}
	return copy ? (uint64_t)copy : iovp;
}

/* A socket address and its in/out length. */
static void redir_addr(struct redirects *rs, uint64_t *na, int addr, int lenp)
{
	uint32_t len;

	if (!na[addr] || !na[lenp] || app_read(na[lenp], &len, 4))
		return;
	na[addr] = redir(rs, na[addr], len, 0);
	na[lenp] = redir(rs, na[lenp], 4, 1);
}

/* struct msghdr: name, namelen, iov, iovlen, control, controllen, flags */
#define MSG_NAMELEN 8
#define MSG_CONTROLLEN 40
#define MSG_FLAGS 48
#define MSGHDR_SIZE 56

/* recvmsg: a copy of the msghdr whose buffers are all scratch; the
 * lengths and flags the kernel writes into it are copied back. */
static uint64_t redir_msghdr(struct redirects *rs, uint64_t msg)
{
	uint64_t m[MSGHDR_SIZE / 8];
	uint64_t *copy;

	if (app_read(msg, m, sizeof(m))) {
		rs->failed = 1;
		return msg;
	}
	copy = (uint64_t *)take(rs, sizeof(m));
	m[0] = redir(rs, m[0], (uint32_t)m[1], 0);
	m[2] = redir_iov(rs, m[2], m[3]);
	m[4] = redir(rs, m[4], m[5], 0);
	if (!copy)
		return msg;
	memcpy(copy, m, sizeof(m));
	rs->msg = msg;
	rs->msg_copy = (uint8_t *)copy;
	return (uint64_t)copy;
}

static void redirect_args(struct redirects *rs, long nr, uint64_t *na)
{
	switch (nr) {
	case __NR_read:
	case __NR_pread64:
		na[1] = redir(rs, na[1], na[2], 0);
		break;
	case __NR_recvfrom:
		na[1] = redir(rs, na[1], na[2], 0);
		redir_addr(rs, na, 4, 5);
		break;
	case __NR_accept:
	case __NR_accept4:
		redir_addr(rs, na, 1, 2);
		break;
	case __NR_readv:
	case __NR_preadv:
	case __NR_preadv2:
		na[1] = redir_iov(rs, na[1], na[2]);
		break;
	case __NR_recvmsg:
		na[1] = redir_msghdr(rs, na[1]);
		break;
	case __NR_epoll_wait:
	case __NR_epoll_pwait:
	case __NR_epoll_pwait2:
		na[1] = redir(rs, na[1], na[2] * 12, 0);
		break;
	case __NR_poll:
	case __NR_ppoll:
		na[0] = redir(rs, na[0], na[1] * 8, 1);
		break;
	case __NR_wait4:
		na[1] = redir(rs, na[1], 4, 0);
		na[3] = redir(rs, na[3], 144, 0);
		break;
	case __NR_waitid:
		na[2] = redir(rs, na[2], 128, 0);
		na[4] = redir(rs, na[4], 144, 0);
		break;
	case __NR_nanosleep:
		na[1] = redir(rs, na[1], 16, 0);
		break;
	case __NR_clock_nanosleep:
		na[3] = redir(rs, na[3], 16, 0);
		break;
	case __NR_rt_sigtimedwait:
		na[1] = redir(rs, na[1], 128, 0);
		break;
	case __NR_select:
	case __NR_pselect6:
		for (int i = 1; i <= 3; i++)
			na[i] = redir(rs, na[i], (na[0] + 63) / 64 * 8, 1);
		break;
	}
}

static uint64_t *arg_reg(struct ttd_regs *c, int i)
{
	uint64_t *regs[6] = {
		&c->rdi, &c->rsi, &c->rdx, &c->r10, &c->r8, &c->r9
	};

	return regs[i];
}

static void redirect_begin(struct ttd_thread *t, long nr, const uint64_t a[6],
			   struct redirects *rs)
{
	uint64_t na[6];

	memset(rs, 0, sizeof(*rs));
	rs->t = t;
	rs->sizing = 1;
	memcpy(na, a, sizeof(na));
	redirect_args(rs, nr, na);
	if (rs->failed || !rs->used) {
		rs->n = 0;
		return;
	}
	if (rs->used > t->rr_scratch_len) {
		/* Kept for the thread's later calls. */
		heap_free(t->rr_scratch, t->rr_scratch_len);
		t->rr_scratch_len = ALIGN_UP(rs->used, 1UL << 20);
		t->rr_scratch =
			heap_pages(t->rr_scratch_len, PROT_READ | PROT_WRITE);
	}
	rs->sizing = 0;
	rs->used = 0;
	memcpy(na, a, sizeof(na));
	redirect_args(rs, nr, na);
	for (int i = 0; i < 6; i++)
		*arg_reg(&t->ctx, i) = na[i];
}

/* With the token back: the registers as the program left them, and
 * what the kernel wrote where the program asked. */
static void redirect_end(struct ttd_thread *t, long nr, const uint64_t a[6],
			 struct redirects *rs)
{
	struct sysrec_range out[SYSTAB_MAX_OUT];
	const char *why;
	int nout;

	for (int i = 0; i < 6; i++)
		*arg_reg(&t->ctx, i) = a[i];
	if (rs->msg_copy) {
		app_write(rs->msg + MSG_NAMELEN, rs->msg_copy + MSG_NAMELEN, 4);
		app_write(rs->msg + MSG_CONTROLLEN,
			  rs->msg_copy + MSG_CONTROLLEN, 8);
		app_write(rs->msg + MSG_FLAGS, rs->msg_copy + MSG_FLAGS, 4);
	}
	if (!rs->n)
		return;
	nout = systab_outputs(nr, a, (long)t->ctx.rax, out, SYSTAB_MAX_OUT,
			      &why);
	for (int k = 0; k < nout; k++)
		for (int i = 0; i < rs->n; i++) {
			struct redirect *r = &rs->r[i];
			uint64_t s = out[k].addr, e = s + out[k].len;
			if (s < r->orig)
				s = r->orig;
			if (e > r->orig + r->len)
				e = r->orig + r->len;
			if (s < e)
				app_write(s, r->scratch + (s - r->orig), e - s);
		}
}

/* Dead: gone, or a zombie (whose parent may be the one waiting). */
static int writer_dead(uint32_t tid)
{
	char path[32], buf[512];
	long n;
	int fd;

	fmt(path, sizeof(path), "/proc/%u/stat", tid);
	fd = (int)sys_openat(-100, path, O_RDONLY, 0);
	if (fd < 0)
		return fd == -ENOENT || fd == -ESRCH;
	n = sys_read(fd, buf, sizeof(buf));
	sys_close(fd);
	if (n < 0)
		return n == -ESRCH;
	/* The state follows the name, which may hold anything but ends
	 * at the last ')'. */
	while (n > 2 && buf[n - 1] != ')')
		n--;
	return n > 2 && n + 1 < (long)sizeof(buf) &&
	       (buf[n + 1] == 'Z' || buf[n + 1] == 'X');
}

/*
 * Writes to the user's stdout and stderr are numbered in the order they
 * reach it, so that replay shows them in that order.  Processes, and
 * threads that gave up the token, write at the same time: a number
 * taken after the write could put two racing writes the wrong way
 * round, so the write and its number go together under a lock that all
 * processes of the recording share.  The lock word holds the writer's
 * tid: a writer that died in its write (SIGKILL, another thread's
 * exit_group) is found dead by the next one, which takes over.
 */
static void output_lock(struct ttd_thread *t)
{
	uint32_t *w = &rr_session->out_lock, owner;
	struct {
		long s, ns;
	} ts = { 0, 10000000 };

	for (;;) {
		owner = 0;
		if (__atomic_compare_exchange_n(w, &owner, (uint32_t)t->tid, 0,
						__ATOMIC_ACQUIRE,
						__ATOMIC_RELAXED))
			return;
		if (sys_futex((int *)w, 0 /* FUTEX_WAIT */, (int)owner, &ts) ==
			    -ETIMEDOUT &&
		    writer_dead(owner))
			__atomic_compare_exchange_n(w, &owner, 0, 0,
						    __ATOMIC_RELAXED,
						    __ATOMIC_RELAXED);
	}
}

/* The write's number if it ran (a restarted one gets none: no gaps). */
static uint32_t output_unlock(int ran)
{
	uint32_t seq = 0;

	if (ran)
		seq = __atomic_fetch_add(&rr_session->out_seq, 1,
					 __ATOMIC_SEQ_CST);
	__atomic_store_n(&rr_session->out_lock, 0, __ATOMIC_RELEASE);
	sys_futex((int *)&rr_session->out_lock, 1 /* FUTEX_WAKE */, 1, NULL);
	return seq;
}

void record_syscall(struct ttd_thread *t)
{
	struct redirects redir;
	long nr = (long)t->ctx.rax;
	uint64_t a[6] = { t->ctx.rdi, t->ctx.rsi, t->ctx.rdx,
			  t->ctx.r10, t->ctx.r8,  t->ctx.r9 };
	uint64_t rip = t->ctx.rip;
	unsigned int fl = systab_flags(nr);
	uint32_t sflags, out_seq = 0;
	int release, out;

	if (rr_engine_emulated(nr)) {
		syscall_execute(t);
		return;
	}
	switch (nr) {
	case __NR_exit:
	case __NR_exit_group:
		t->ctx.rcx = t->ctx.rip;
		t->ctx.r11 = t->ctx.rflags;
		thread_exit_common(t, (int)(a[0] & 0xff) << 8,
				   nr == __NR_exit_group);
		syscall_execute(t);
		return;
	case __NR_set_tid_address:
		t->clear_tid = a[0];
		t->ctx.rcx = t->ctx.rip;
		t->ctx.r11 = t->ctx.rflags;
		t->ctx.rax = (uint64_t)t->tid;
		log_syscall(t, nr, a, 0, 0);
		return;
	}
	if (!(fl & SR_KNOWN) && nr != __NR_execve && nr != __NR_execveat) {
		static char why[64];
		const char *name = systab_name(nr);
		fmt(why, sizeof(why), "system call %s (%ld)",
		    name ? name : "unknown", nr);
		record_refuse(t, why);
	}
	sflags = output_flags(nr, a[0]);
	if (copies_to_output(t, nr, a) || refused(t, nr, a))
		return;
	release = t->rp->nthreads > 1 && gives_up_cpu(nr, fl, a);
	out = (sflags & (REC_SC_STDOUT | REC_SC_STDERR)) && rr_session;
	if (release) {
		redirect_begin(t, nr, a, &redir);
		log_switch(t);
		rr_token_release(t->rp);
	}
	/* Never held while waiting for the token: its holder may want it. */
	if (out)
		output_lock(t);
	syscall_execute(t);
	if (out)
		out_seq = output_unlock(t->ctx.rip == rip);
	if (release) {
		rr_token_acquire(t->rp);
		redirect_end(t, nr, a, &redir);
	}
	if (t->ctx.rip != rip)
		return; /* did not run: restarts after a signal */
	log_syscall(t, nr, a, sflags, out_seq);
}

/* ---- instructions, signals, slices ---- */

static const uint16_t insn_event[] = {
	[X86_SP_RDTSC] = TTD_EV_RDTSC,	 [X86_SP_RDTSCP] = TTD_EV_RDTSCP,
	[X86_SP_RDRAND] = TTD_EV_RDRAND, [X86_SP_RDSEED] = TTD_EV_RDSEED,
	[X86_SP_CPUID] = TTD_EV_CPUID,	 [X86_SP_XGETBV] = TTD_EV_XGETBV,
	[X86_SP_RDPID] = TTD_EV_RDPID,
};

uint16_t rr_insn_event(int special)
{
	if (special < 0 || special >= (int)ARRAY_SIZE(insn_event))
		return 0;
	return insn_event[special];
}

void record_insn(struct ttd_thread *t, int special, const uint64_t v[4])
{
	struct rec_insn e;

	rr_hdr(&e.h, t);
	memcpy(e.v, v, sizeof(e.v));
	rlog_put(t->rp, rr_insn_event(special), &e, sizeof(e));
}

void record_signal(struct ttd_thread *t, const struct pending_sig *p)
{
	struct rec_signal e;

	memset(&e, 0, sizeof(e));
	rr_hdr(&e.h, t);
	e.sig = p->sig;
	e.sync = (uint32_t)p->sync;
	e.err = p->err;
	e.trapno = p->trapno;
	e.cr2 = p->cr2;
	memcpy(e.info, p->info, sizeof(e.info));
	rlog_put(t->rp, TTD_EV_SIGNAL, &e, sizeof(e));
}

void record_budget(struct ttd_thread *t)
{
	if (rr_token_waiters(t->rp) > 0) {
		log_switch(t);
		rr_token_release(t->rp);
		rr_token_acquire(t->rp);
	}
	thread_set_budget(t, RR_TIME_SLICE);
}

/* ---- exits ---- */

static void log_exit(struct ttd_thread *t, uint16_t type, int status)
{
	struct rec_exit e;

	memset(&e, 0, sizeof(e));
	rr_hdr(&e.h, t);
	e.status = status;
	memcpy(e.regs, &t->ctx, sizeof(t->ctx));
	if (type == TTD_EV_PROCESS_EXIT)
		e.mem_hash = rr_mem_checksum();
	rlog_put(t->rp, type, &e, sizeof(e));
}

void record_process_exit(struct ttd_thread *t, int status)
{
	log_exit(t, TTD_EV_PROCESS_EXIT, status);
	rr_report_end(t, (int)sys_getpid(), status);
}

/*
 * A thread ends: the engine, not the kernel, clears its tid word and
 * wakes its joiner, while it still holds the token, so that the other
 * threads see it at a recorded point.
 */
static void thread_exit_common(struct ttd_thread *t, int status,
			       int whole_process)
{
	struct rr_proc *p = t->rp;

	if (whole_process || p->nthreads == 1) {
		if (engine_mode == MODE_RECORD)
			record_process_exit(t, status);
		else
			replay_process_exit(t, status);
		return;
	}
	if (engine_mode == MODE_RECORD)
		log_exit(t, TTD_EV_THREAD_EXIT, status);
	p->nthreads--;
	if (t->clear_tid) {
		uint32_t zero = 0;
		app_write(t->clear_tid, &zero, 4);
		sys_call3(__NR_futex, t->clear_tid, 1 /* FUTEX_WAKE */, 1);
	}
	if (engine_mode == MODE_RECORD)
		rr_token_release(p);
}

void rr_thread_exit(struct ttd_thread *t, int status, int whole)
{
	thread_exit_common(t, status, whole);
}
