// SPDX-License-Identifier: GPL-2.0
/*
 * Signal semantics, one case per argument; every case prints a
 * deterministic account of what happened, so that a run under the engine
 * can be compared byte for byte with a native one.
 *
 *   signals CASE   (siginfo altstack segv fpe alarm rt thread restart
 *                   eintr resethand nodefer sigsuspend masks abort
 *                   killself nullderef)
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <ucontext.h>
#include <unistd.h>

/* Handlers append to this log; main prints it (printf is not safe there). */
static char logbuf[4096];
static volatile size_t loglen;

static void logs(const char *s)
{
	size_t n = strlen(s);

	if (loglen + n < sizeof(logbuf)) {
		memcpy(logbuf + loglen, s, n);
		loglen += n;
	}
}

static void logn(long v)
{
	char b[24];
	int i = sizeof(b) - 1;
	int neg = v < 0;
	unsigned long u = neg ? -(unsigned long)v : (unsigned long)v;

	b[i] = 0;
	do {
		b[--i] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (neg)
		b[--i] = '-';
	logs(b + i);
}

static void flush_log(void)
{
	fwrite(logbuf, 1, loglen, stdout);
	loglen = 0;
}

static void on(int sig, void (*fn)(int, siginfo_t *, void *), int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = fn;
	sa.sa_flags = flags | SA_SIGINFO;
	if (sigaction(sig, &sa, NULL))
		abort();
}

static void block(int sig, int how)
{
	sigset_t s;

	sigemptyset(&s);
	sigaddset(&s, sig);
	sigprocmask(how, &s, NULL);
}

static volatile sig_atomic_t hits;
static sigjmp_buf jb;

/* --- siginfo ------------------------------------------------------- */
static void h_info(int sig, siginfo_t *si, void *uc)
{
	logs("sig ");
	logn(sig);
	logs(" code ");
	logn(si->si_code);
	logs(" from-self ");
	logn(si->si_pid == getpid());
	if (si->si_code == SI_QUEUE) {
		logs(" value ");
		logn(si->si_value.sival_int);
	}
	logs(" uc-has-rip ");
	logn(((ucontext_t *)uc)->uc_mcontext.gregs[REG_RIP] != 0);
	logs("\n");
}

static int c_siginfo(void)
{
	on(SIGUSR1, h_info, 0);
	raise(SIGUSR1);
	kill(getpid(), SIGUSR1);
	sigqueue(getpid(), SIGUSR1, (union sigval){ .sival_int = 1234 });
	flush_log();
	return 0;
}

/* --- altstack ------------------------------------------------------ */
static char *alt;
#define ALT_SIZE (256 * 1024)

static void h_alt(int sig, siginfo_t *si, void *uc)
{
	char here;
	stack_t cur;

	sigaltstack(NULL, &cur);
	logs("on alt stack ");
	logn(&here > alt && &here < alt + ALT_SIZE);
	logs(" SS_ONSTACK ");
	logn(!!(cur.ss_flags & SS_ONSTACK));
	logs("\n");
}

static int c_altstack(void)
{
	stack_t ss = { .ss_size = ALT_SIZE };
	char here;

	alt = malloc(ALT_SIZE);
	ss.ss_sp = alt;
	if (sigaltstack(&ss, NULL))
		return 1;
	on(SIGUSR1, h_alt, SA_ONSTACK);
	on(SIGUSR2, h_alt, 0);
	raise(SIGUSR1);
	raise(SIGUSR2);
	flush_log();
	printf("main not on alt stack %d\n",
	       !(&here > alt && &here < alt + ALT_SIZE));
	return 0;
}

/* --- segv, fpe ----------------------------------------------------- */
static char *page;

static void h_jump(int sig, siginfo_t *si, void *uc)
{
	logs("sig ");
	logn(sig);
	logs(" code ");
	logn(si->si_code);
	if (sig == SIGSEGV) {
		logs(" offset ");
		logn((char *)si->si_addr - page);
	}
	logs("\n");
	siglongjmp(jb, 1);
}

static int c_segv(void)
{
	volatile int recovered = 0;

	page = mmap(NULL, 8192, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	on(SIGSEGV, h_jump, 0);
	for (volatile int i = 0; i < 3; i++) {
		if (sigsetjmp(jb, 1) == 0)
			page[i * 4099] = 1; /* write, crossing pages */
		else
			recovered++;
		if (sigsetjmp(jb, 1) == 0)
			recovered += page[100 + i]; /* read */
		else
			recovered++;
	}
	mprotect(page, 8192, PROT_READ | PROT_WRITE);
	page[0] = 5;
	flush_log();
	printf("recovered %d, then wrote %d\n", recovered, page[0]);
	return 0;
}

static int c_fpe(void)
{
	volatile int zero = 0, n = 0;
	volatile long lz = 0;

	on(SIGFPE, h_jump, 0);
	if (sigsetjmp(jb, 1) == 0)
		n = 10 / zero;
	if (sigsetjmp(jb, 1) == 0)
		n = (int)(100L % lz);
	if (sigsetjmp(jb, 1) == 0) {
		volatile int m = INT32_MIN, m1 = -1;
		n = m / m1; /* overflow: #DE too */
	}
	flush_log();
	/* The mask was restored by siglongjmp: SIGFPE works again. */
	printf("after: n %d\n", n);
	return 0;
}

/* --- alarm --------------------------------------------------------- */
static void h_count(int sig, siginfo_t *si, void *uc)
{
	hits++;
}

static int c_alarm(void)
{
	struct itimerval it = { { 0, 2000 }, { 0, 2000 } };
	volatile unsigned long spins = 0;

	on(SIGALRM, h_count, SA_RESTART);
	setitimer(ITIMER_REAL, &it, NULL);
	while (hits < 5)
		spins++;
	memset(&it, 0, sizeof(it));
	setitimer(ITIMER_REAL, &it, NULL);
	printf("5 interrupts seen %d, loop ran %d\n", hits >= 5, spins > 0);
	return 0;
}

/* --- rt ------------------------------------------------------------ */
static int c_rt(void)
{
	int lo = SIGRTMIN + 2, hi = SIGRTMIN + 5;

	on(lo, h_info, 0);
	on(hi, h_info, 0);
	block(lo, SIG_BLOCK);
	block(hi, SIG_BLOCK);
	for (int i = 0; i < 4; i++) {
		sigqueue(getpid(), hi, (union sigval){ .sival_int = 100 + i });
		sigqueue(getpid(), lo, (union sigval){ .sival_int = 200 + i });
	}
	logs("unblock both: lowest number first, each in queue order\n");
	{
		sigset_t s;

		sigemptyset(&s);
		sigaddset(&s, lo);
		sigaddset(&s, hi);
		sigprocmask(SIG_UNBLOCK, &s, NULL);
	}
	flush_log();
	return 0;
}

/* --- thread -------------------------------------------------------- */
static __thread int my_id = -1;
static volatile int who = -2, ready, stop;

static void h_who(int sig, siginfo_t *si, void *uc)
{
	who = my_id;
}

static void *spinner(void *arg)
{
	my_id = (int)(intptr_t)arg;
	__atomic_fetch_add(&ready, 1, __ATOMIC_SEQ_CST);
	while (!stop)
		usleep(100);
	return NULL;
}

static int c_thread(void)
{
	pthread_t t[4];

	my_id = 99;
	on(SIGUSR1, h_who, 0);
	for (intptr_t i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, spinner, (void *)i);
	while (ready < 4)
		usleep(100);
	pthread_kill(t[2], SIGUSR1);
	while (who == -2)
		usleep(100);
	stop = 1;
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	printf("signal handled by thread %d\n", who);
	return 0;
}

/* --- restart / eintr ----------------------------------------------- */
static int pfd[2];

static void *late_writer(void *arg)
{
	while (!hits)
		usleep(200);
	usleep(20000); /* the reader is back in read(), or has failed */
	if (write(pfd[1], "data", 4) != 4)
		abort();
	return NULL;
}

static int blocking_read(int flags)
{
	struct itimerval it = { { 0, 0 }, { 0, 20000 } };
	pthread_t t;
	char buf[8];
	ssize_t n;

	if (pipe(pfd))
		return 1;
	on(SIGALRM, h_count, flags);
	block(SIGALRM, SIG_BLOCK);
	pthread_create(&t, NULL, late_writer, NULL);
	block(SIGALRM, SIG_UNBLOCK); /* only main takes it */
	setitimer(ITIMER_REAL, &it, NULL);
	n = read(pfd[0], buf, sizeof(buf));
	printf("read returned %zd (%s), handler ran %d\n", n,
	       n < 0 ? strerror(errno) : "data", hits);
	pthread_join(t, NULL);
	return 0;
}

static int c_restart(void)
{
	return blocking_read(SA_RESTART);
}

static int c_eintr(void)
{
	return blocking_read(0);
}

/* --- resethand / nodefer ------------------------------------------- */
static void h_nest(int sig, siginfo_t *si, void *uc)
{
	static int depth;

	depth++;
	logs("enter depth ");
	logn(depth);
	logs("\n");
	if (hits++ == 0)
		raise(sig);
	logs("leave depth ");
	logn(depth);
	logs("\n");
	depth--;
}

static int c_resethand(void)
{
	struct sigaction now;

	on(SIGWINCH, h_nest, SA_RESETHAND); /* default: ignore */
	raise(SIGWINCH);
	raise(SIGWINCH);
	sigaction(SIGWINCH, NULL, &now);
	flush_log();
	printf("handler runs %d, now default %d, SA_SIGINFO kept %d\n", hits,
	       now.sa_handler == SIG_DFL, !!(now.sa_flags & SA_SIGINFO));
	return 0;
}

static int c_nodefer(void)
{
	on(SIGUSR1, h_nest, 0);
	logs("deferred:\n");
	raise(SIGUSR1);
	hits = 0;
	on(SIGUSR1, h_nest, SA_NODEFER);
	logs("nodefer:\n");
	raise(SIGUSR1);
	flush_log();
	return 0;
}

/* --- sigsuspend ---------------------------------------------------- */
static void *kicker(void *arg)
{
	usleep(20000);
	kill(getpid(), SIGUSR1);
	return NULL;
}

static int c_sigsuspend(void)
{
	sigset_t none, cur;
	pthread_t t;
	int r;

	on(SIGUSR1, h_count, 0);
	block(SIGUSR1, SIG_BLOCK);
	pthread_create(&t, NULL, kicker, NULL);
	sigemptyset(&none);
	r = sigsuspend(&none);
	sigprocmask(SIG_SETMASK, NULL, &cur);
	printf("sigsuspend %d %s, handled %d, blocked again %d\n", r,
	       strerror(errno), hits, sigismember(&cur, SIGUSR1));
	pthread_join(t, NULL);
	return 0;
}

/* --- masks --------------------------------------------------------- */
static void h_mask(int sig, siginfo_t *si, void *uc)
{
	sigset_t cur;

	sigprocmask(SIG_SETMASK, NULL, &cur);
	logs("in handler: self ");
	logn(sigismember(&cur, sig));
	logs(" sa_mask ");
	logn(sigismember(&cur, SIGTERM));
	logs(" inherited ");
	logn(sigismember(&cur, SIGHUP));
	logs(" other ");
	logn(sigismember(&cur, SIGUSR2));
	logs("\n");
	/* Returning restores uc_sigmask: make it block SIGUSR2 too. */
	sigaddset(&((ucontext_t *)uc)->uc_sigmask, SIGUSR2);
}

static int c_masks(void)
{
	struct sigaction sa;
	sigset_t cur;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = h_mask;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGTERM);
	sigaction(SIGUSR1, &sa, NULL);
	block(SIGHUP, SIG_BLOCK);
	raise(SIGUSR1);
	sigprocmask(SIG_SETMASK, NULL, &cur);
	flush_log();
	printf("after: self %d sa_mask %d inherited %d set-by-handler %d\n",
	       sigismember(&cur, SIGUSR1), sigismember(&cur, SIGTERM),
	       sigismember(&cur, SIGHUP), sigismember(&cur, SIGUSR2));
	return 0;
}

/* --- deaths -------------------------------------------------------- */
static int c_abort(void)
{
	printf("aborting\n");
	fflush(stdout);
	abort();
}

static int c_killself(void)
{
	printf("killing myself\n");
	fflush(stdout);
	kill(getpid(), SIGSEGV);
	return 0;
}

static int c_nullderef(void)
{
	volatile int *p = NULL;

	printf("dereferencing NULL\n");
	fflush(stdout);
	return *p;
}

static const struct {
	const char *name;
	int (*fn)(void);
} cases[] = {
	{ "siginfo", c_siginfo },   { "altstack", c_altstack },
	{ "segv", c_segv },	    { "fpe", c_fpe },
	{ "alarm", c_alarm },	    { "rt", c_rt },
	{ "thread", c_thread },	    { "restart", c_restart },
	{ "eintr", c_eintr },	    { "resethand", c_resethand },
	{ "nodefer", c_nodefer },   { "sigsuspend", c_sigsuspend },
	{ "masks", c_masks },	    { "abort", c_abort },
	{ "killself", c_killself }, { "nullderef", c_nullderef },
};

int main(int argc, char **argv)
{
	for (size_t i = 0; argc > 1 && i < sizeof(cases) / sizeof(cases[0]);
	     i++)
		if (!strcmp(argv[1], cases[i].name))
			return cases[i].fn();
	fprintf(stderr, "usage: signals CASE\n");
	return 2;
}
