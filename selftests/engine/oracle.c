// SPDX-License-Identifier: GPL-2.0
/*
 * Instruction-count oracle: run a program natively under PTRACE_SINGLESTEP
 * and count the user-mode instructions every thread retires, by the same
 * rules the engine uses.
 *
 *   oracle [OPTIONS] -- PROG [ARGS...]
 *
 *   --stop-at N      once the initial thread has retired exactly N
 *                    instructions, print its registers in the format of
 *                    `ttdctl run --stop-at N` and end the program (exit 0)
 *   --dump-at N,...  print the registers at each of these counts of the
 *                    initial thread and go on
 *   --dump-syscalls  print them right before and right after every system
 *                    call of the initial thread, and "syscall N NR" (N: its
 *                    count before the syscall instruction)
 *   --enosys NAME    fail this system call with ENOSYS (seccomp), as the
 *                    engine does (rseq); repeatable
 *   --discount-vdso-loops
 *                    count repeated parts of vDSO calls apart (below)
 *   --out FILE       reports go there rather than to stderr
 *
 * At the end it prints "thread PID TID instructions N" per thread, in the
 * order the threads appeared (the format of `ttdctl run --stats`), and
 * exits like the program did, signals included.
 *
 * Counting rules:
 *  - counting starts at the exec stop, before the first instruction;
 *  - a rep-prefixed string instruction counts once: single-step traps
 *    after every iteration with rip unchanged, so a step that left rip on
 *    a rep string instruction it started on is not counted;
 *  - resuming with a caught signal stops at the handler's entry before
 *    any instruction ran (a ptrace_notify() stop with si_code SIGTRAP on
 *    recent kernels, a TRAP_BRKPT trap on older ones): not counted;
 *  - a fault (the stop is the fault's signal, not a trap) retires nothing;
 *  - a system call counts when it is entered, so the exit or exit_group
 *    syscall that ends a thread counts, and a syscall restarted after a
 *    signal handler (SA_RESTART) counts again, as the CPU executes it
 *    again.
 *
 * Single-stepping sets TF, which leaks into r11 after a syscall (the CPU
 * copies RFLAGS into r11); the oracle clears it there so that the program
 * sees what it would natively.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#include "engine/x86/decode.h"

#define TF_BIT 0x100ULL

#ifndef TRAP_TRACE
#define TRAP_TRACE 2
#endif

#define VPATH_MAX 512

struct tstate {
	pid_t tid;
	uint64_t count;
	uint64_t insn_rip; /* start of the instruction being stepped */
	int nocount; /* next trap is a handler entry */
	int started;
	int done;
	/* --discount-vdso-loops: the current vDSO call's path */
	struct vdso_pos {
		uint64_t rip, count;
	} vpath[VPATH_MAX];
	int nvpath;
	uint64_t vrepeats;
};

static struct tstate *threads;
static size_t nthreads, cap_threads;
static pid_t leader;
static FILE *out;
static uint64_t stop_at;
static int stop_mode, syscalls_mode;
static uint64_t *dump_at; /* sorted downwards: next one last */
static size_t ndump;
static struct user_regs_struct last_regs;
static int vdso_discount;
static uint64_t vdso_lo, vdso_hi;

#define MAX_ENOSYS 8
static int enosys[MAX_ENOSYS], nenosys;

static void die(const char *what)
{
	fprintf(stderr, "oracle: %s: %s\n", what, strerror(errno));
	exit(125);
}

static struct tstate *find_thread(pid_t tid)
{
	for (size_t i = 0; i < nthreads; i++)
		if (threads[i].tid == tid && !threads[i].done)
			return &threads[i];
	if (nthreads == cap_threads) {
		cap_threads = cap_threads ? 2 * cap_threads : 16;
		threads = realloc(threads, cap_threads * sizeof(*threads));
		if (!threads)
			die("realloc");
	}
	memset(&threads[nthreads], 0, sizeof(threads[0]));
	threads[nthreads].tid = tid;
	return &threads[nthreads++];
}

static void get_regs(pid_t tid, struct user_regs_struct *r)
{
	if (ptrace(PTRACE_GETREGS, tid, 0, r))
		die("PTRACE_GETREGS");
}

static void step(pid_t tid, int sig)
{
	/* ESRCH: the thread was killed meanwhile; its exit is reported. */
	if (ptrace(PTRACE_SINGLESTEP, tid, 0, sig) && errno != ESRCH)
		die("PTRACE_SINGLESTEP");
}

static int read_code(pid_t tid, uint64_t pc, uint8_t *buf)
{
	size_t first = 4096 - (pc & 4095);
	struct iovec local, remote;
	ssize_t n;

	if (first > X86_MAX_INSN_LEN)
		first = X86_MAX_INSN_LEN;
	local = (struct iovec){ buf, first };
	remote = (struct iovec){ (void *)pc, first };
	n = process_vm_readv(tid, &local, 1, &remote, 1, 0);
	if (n != (ssize_t)first)
		return n < 0 ? 0 : (int)n;
	if (first == X86_MAX_INSN_LEN)
		return (int)first;
	local = (struct iovec){ buf + first, X86_MAX_INSN_LEN - first };
	remote = (struct iovec){ (void *)(pc + first), local.iov_len };
	n = process_vm_readv(tid, &local, 1, &remote, 1, 0);
	return (int)first + (n > 0 ? (int)n : 0);
}

static int insn_at(pid_t tid, uint64_t pc, struct x86_insn *d)
{
	uint8_t buf[X86_MAX_INSN_LEN];
	int n = read_code(tid, pc, buf);

	return n > 0 && x86_decode(buf, (size_t)n, d) > 0;
}

static int is_rep_string(pid_t tid, uint64_t pc)
{
	struct x86_insn d;

	return insn_at(tid, pc, &d) && d.is_rep_string;
}

static int is_syscall(pid_t tid, uint64_t pc)
{
	struct x86_insn d;

	return insn_at(tid, pc, &d) && d.special == X86_SP_SYSCALL;
}

/* Does the process have a handler for sig (rather than default/ignore)? */
static int sig_caught(pid_t tid, int sig)
{
	char path[64], line[256];
	unsigned long long mask = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", tid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "SigCgt: %llx", &mask) == 1)
			break;
	fclose(f);
	return sig >= 1 && sig <= 64 && (mask >> (sig - 1)) & 1;
}

static void dump_regs(uint64_t count, const struct user_regs_struct *r)
{
	const struct {
		const char *name;
		unsigned long long v;
	} regs[] = {
		{ "rax", r->rax }, { "rbx", r->rbx }, { "rcx", r->rcx },
		{ "rdx", r->rdx }, { "rsi", r->rsi }, { "rdi", r->rdi },
		{ "rbp", r->rbp }, { "rsp", r->rsp }, { "r8", r->r8 },
		{ "r9", r->r9 },   { "r10", r->r10 }, { "r11", r->r11 },
		{ "r12", r->r12 }, { "r13", r->r13 }, { "r14", r->r14 },
		{ "r15", r->r15 },
	};

	fprintf(out, "icount %" PRIu64 "\n", count);
	fprintf(out, "rip 0x%llx\n", r->rip);
	fprintf(out, "rflags 0x%llx\n", r->eflags);
	for (size_t i = 0; i < sizeof(regs) / sizeof(regs[0]); i++)
		fprintf(out, "%s 0x%llx\n", regs[i].name, regs[i].v);
	fprintf(out, "fs_base 0x%llx\n", r->fs_base);
}

static void stop_here(struct tstate *t, const struct user_regs_struct *r)
{
	dump_regs(t->count, r);
	fflush(out);
	kill(leader, SIGKILL);
	exit(0);
}

/* Report points of the initial thread, and where to stop. */
static void at_count(struct tstate *t, const struct user_regs_struct *r)
{
	if (t->tid != leader)
		return;
	while (ndump && dump_at[ndump - 1] < t->count)
		ndump--; /* dump_at is sorted downwards */
	if (ndump && dump_at[ndump - 1] == t->count) {
		dump_regs(t->count, r);
		ndump--;
	}
	if (stop_mode && t->count == stop_at)
		stop_here(t, r);
}

static void at_syscall(struct tstate *t, uint64_t before, long long nr)
{
	if (!syscalls_mode || t->tid != leader)
		return;
	fprintf(out, "syscall %" PRIu64 " %lld\n", before, nr);
	dump_regs(before, &last_regs);
}

static void find_vdso(pid_t pid)
{
	char path[64], line[512];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	f = fopen(path, "r");
	if (!f)
		die(path);
	while (fgets(line, sizeof(line), f)) {
		unsigned long lo, hi;

		if (strstr(line, "[vdso]") &&
		    sscanf(line, "%lx-%lx", &lo, &hi) == 2) {
			vdso_lo = lo;
			vdso_hi = hi;
		}
	}
	fclose(f);
}

/*
 * Single-stepping makes every vDSO clock read take thousands of times
 * longer than natively, so the kernel's updates of the time data land
 * inside its seqlock loops, which then retry.  With
 * --discount-vdso-loops, instructions that repeat a part of the current
 * vDSO call's path are counted apart ("vdso-repeats"), so that the counts
 * are those of a run without retries.
 */
static void vdso_track(struct tstate *t, uint64_t rip)
{
	if (rip < vdso_lo || rip >= vdso_hi) {
		t->nvpath = 0;
		return;
	}
	for (int i = 0; i < t->nvpath; i++) {
		if (t->vpath[i].rip != rip)
			continue;
		t->vrepeats += t->count - t->vpath[i].count;
		t->count = t->vpath[i].count;
		t->nvpath = i + 1;
		return;
	}
	if (t->nvpath < VPATH_MAX)
		t->vpath[t->nvpath++] = (struct vdso_pos){ rip, t->count };
}

/* A single-step trap: one instruction retired, unless told otherwise. */
static void on_trap(struct tstate *t)
{
	struct user_regs_struct r;
	uint64_t before = t->count;

	get_regs(t->tid, &r);
	if (t->nocount)
		t->nocount = 0;
	else if (r.rip != t->insn_rip || !is_rep_string(t->tid, r.rip))
		t->count++;
	if (t->count != before && (long long)r.orig_rax >= 0) {
		if (r.r11 & TF_BIT) {
			r.r11 &= ~TF_BIT;
			if (ptrace(PTRACE_SETREGS, t->tid, 0, &r))
				die("PTRACE_SETREGS");
		}
		at_syscall(t, before, r.orig_rax);
		if (syscalls_mode && t->tid == leader)
			dump_regs(t->count, &r);
	}
	t->insn_rip = r.rip;
	if (vdso_discount && t->count != before)
		vdso_track(t, r.rip);
	if (t->count != before)
		at_count(t, &r);
	if (t->tid == leader)
		last_regs = r;
	step(t->tid, 0);
}

/* The thread is about to exit: did its last instruction enter a syscall? */
static void on_exit_event(struct tstate *t)
{
	struct user_regs_struct r;

	if (ptrace(PTRACE_GETREGS, t->tid, 0, &r) == 0 && !t->nocount &&
	    (long long)r.orig_rax >= 0 && r.rip == t->insn_rip + 2 &&
	    is_syscall(t->tid, t->insn_rip)) {
		at_syscall(t, t->count, r.orig_rax);
		t->count++;
	}
	t->done = 1;
	step(t->tid, 0);
}

static void on_handler_entry(struct tstate *t)
{
	struct user_regs_struct r;

	get_regs(t->tid, &r);
	t->nocount = 0;
	t->insn_rip = r.rip;
	step(t->tid, 0);
}

static void on_signal(struct tstate *t, int sig)
{
	siginfo_t si;

	if (sig == SIGTRAP && ptrace(PTRACE_GETSIGINFO, t->tid, 0, &si) == 0) {
		if (si.si_code == TRAP_TRACE || si.si_code == TRAP_BRKPT) {
			on_trap(t);
			return;
		}
		if (si.si_code == SIGTRAP) {
			/* Recent kernels report the handler entry with a
			 * ptrace_notify() stop of its own: nothing ran. */
			on_handler_entry(t);
			return;
		}
	}
	if (sig_caught(t->tid, sig))
		t->nocount = 1;
	step(t->tid, sig);
}

static void on_first_stop(struct tstate *t)
{
	struct user_regs_struct r;

	get_regs(t->tid, &r);
	t->insn_rip = r.rip;
	t->started = 1;
	step(t->tid, 0);
}

static void print_counts(void)
{
	for (size_t i = 0; i < nthreads; i++)
		fprintf(out, "thread %d %d instructions %" PRIu64 "\n", leader,
			threads[i].tid, threads[i].count);
	for (size_t i = 0; i < nthreads && vdso_discount; i++)
		fprintf(out, "thread %d %d vdso-repeats %" PRIu64 "\n", leader,
			threads[i].tid, threads[i].vrepeats);
	fflush(out);
}

static int pass_status(int st)
{
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	if (WIFSIGNALED(st)) {
		struct sigaction sa = { .sa_handler = SIG_DFL };
		sigset_t s;

		sigaction(WTERMSIG(st), &sa, NULL);
		sigemptyset(&s);
		sigaddset(&s, WTERMSIG(st));
		sigprocmask(SIG_UNBLOCK, &s, NULL);
		raise(WTERMSIG(st));
		return 128 + WTERMSIG(st);
	}
	return 125;
}

static int supervise(void)
{
	int st, leader_status = 0;

	for (;;) {
		pid_t tid = waitpid(-1, &st, __WALL);
		struct tstate *t;
		int sig, event;

		if (tid < 0) {
			if (errno == ECHILD)
				break;
			if (errno == EINTR)
				continue;
			die("waitpid");
		}
		if (WIFEXITED(st) || WIFSIGNALED(st)) {
			if (tid == leader)
				leader_status = st;
			continue;
		}
		t = find_thread(tid);
		sig = WSTOPSIG(st);
		event = st >> 16;
		if (!t->started) {
			/* A new thread's first stop: its SIGSTOP, swallowed. */
			on_first_stop(t);
		} else if (event == PTRACE_EVENT_EXIT) {
			on_exit_event(t);
		} else if (event) {
			step(tid, 0);
		} else {
			on_signal(t, sig);
		}
	}
	if (stop_mode) {
		fprintf(stderr,
			"oracle: the program ended before %" PRIu64
			" instructions\n",
			stop_at);
		return 125;
	}
	print_counts();
	return pass_status(leader_status);
}

/*
 * The engine refuses some system calls by design (glibc then takes its
 * fallback paths); a seccomp filter does the same natively, so that the
 * program runs the same instructions in both.
 */
static int refuse_syscalls(void)
{
	struct sock_filter f[5 + 2 * MAX_ENOSYS];
	struct sock_fprog prog = { .filter = f };
	unsigned int n = 0;

	if (!nenosys)
		return 0;
	f[n++] = (struct sock_filter)BPF_STMT(
		BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
					      AUDIT_ARCH_X86_64, 1, 0);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
					      SECCOMP_RET_ALLOW);
	f[n++] = (struct sock_filter)BPF_STMT(
		BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
	for (int i = 0; i < nenosys; i++) {
		f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
						      (unsigned int)enosys[i],
						      0, 1);
		f[n++] = (struct sock_filter)BPF_STMT(
			BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS);
	}
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
					      SECCOMP_RET_ALLOW);
	prog.len = (unsigned short)n;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog)) {
		perror("oracle: seccomp");
		return -1;
	}
	return 0;
}

static int start(char **argv)
{
	struct tstate *t;
	struct user_regs_struct r;
	int st;

	leader = fork();
	if (leader < 0)
		die("fork");
	if (leader == 0) {
		if (ptrace(PTRACE_TRACEME, 0, 0, 0) || refuse_syscalls())
			_exit(127);
		execvp(argv[0], argv);
		fprintf(stderr, "oracle: cannot run %s: %s\n", argv[0],
			strerror(errno));
		_exit(errno == ENOENT ? 127 : 126);
	}
	if (waitpid(leader, &st, 0) != leader)
		die("waitpid");
	if (!WIFSTOPPED(st) || WSTOPSIG(st) != SIGTRAP)
		return pass_status(st);
	if (ptrace(PTRACE_SETOPTIONS, leader, 0,
		   PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC |
			   PTRACE_O_TRACEEXIT | PTRACE_O_EXITKILL))
		die("PTRACE_SETOPTIONS");
	t = find_thread(leader);
	if (vdso_discount)
		find_vdso(leader);
	get_regs(leader, &r);
	at_count(t, &r);
	last_regs = r;
	t->insn_rip = r.rip;
	t->started = 1;
	step(leader, 0);
	return supervise();
}

static const char usage[] =
	"usage: oracle [--stop-at N] [--dump-at N,...] [--dump-syscalls]\n"
	"              [--enosys NAME]... [--discount-vdso-loops]\n"
	"              [--out FILE] -- PROG [ARGS...]\n";

static int cmp_down(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? 1 : x > y ? -1 : 0;
}

static int parse_count(const char *s, uint64_t *v)
{
	char *end;

	errno = 0;
	*v = strtoull(s, &end, 0);
	return errno || end == s || *s == '-' ? -1 : (int)(end - s);
}

static int parse_dump_list(const char *s)
{
	while (*s) {
		uint64_t v;
		int n = parse_count(s, &v);

		if (n < 0 || (s[n] && s[n] != ','))
			return -1;
		dump_at = realloc(dump_at, (ndump + 1) * sizeof(*dump_at));
		if (!dump_at)
			die("realloc");
		dump_at[ndump++] = v;
		s += n + (s[n] == ',');
	}
	qsort(dump_at, ndump, sizeof(*dump_at), cmp_down);
	return 0;
}

static int add_enosys(const char *name)
{
	static const struct {
		const char *name;
		int nr;
	} known[] = {
		{ "rseq", SYS_rseq },
		{ "clone3", SYS_clone3 },
	};

	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		if (strcmp(name, known[i].name))
			continue;
		if (nenosys == MAX_ENOSYS)
			return -1;
		enosys[nenosys++] = known[i].nr;
		return 0;
	}
	return -1;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "stop-at", required_argument, NULL, 'n' },
		{ "dump-at", required_argument, NULL, 'd' },
		{ "dump-syscalls", no_argument, NULL, 's' },
		{ "enosys", required_argument, NULL, 'e' },
		{ "out", required_argument, NULL, 'o' },
		{ "discount-vdso-loops", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	out = stderr;
	while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			if (parse_count(optarg, &stop_at) !=
			    (int)strlen(optarg)) {
				fprintf(stderr, "oracle: bad count '%s'\n",
					optarg);
				return 2;
			}
			stop_mode = 1;
			break;
		case 'd':
			if (parse_dump_list(optarg)) {
				fprintf(stderr, "oracle: bad list '%s'\n",
					optarg);
				return 2;
			}
			break;
		case 's':
			syscalls_mode = 1;
			break;
		case 'e':
			if (add_enosys(optarg)) {
				fprintf(stderr, "oracle: cannot refuse '%s'\n",
					optarg);
				return 2;
			}
			break;
		case 'v':
			vdso_discount = 1;
			break;
		case 'o':
			out = fopen(optarg, "we");
			if (!out)
				die(optarg);
			break;
		default:
			fputs(usage, stderr);
			return 2;
		}
	}
	if (optind >= argc) {
		fputs(usage, stderr);
		return 2;
	}
	return start(argv + optind);
}
