// SPDX-License-Identifier: GPL-2.0
/*
 * Context-switch cost with ttd.ko: two processes pinned to one CPU bounce
 * a byte over a pair of pipes, so every round trip is two switches.
 * Measured without the module, with the module tracing some other process
 * (the untraced path of every hook), and with both processes traced
 * (overwrite mode, so every switch really writes a record).  Prints a
 * markdown table; run inside tools/vmtest (the module must not be loaded).
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ttd_kmod.h"

#define MAX_RUNS 101

static void pin0(void)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(0, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* ns per context switch over @n round trips. */
static double pingpong(long n)
{
	int a[2], b[2];
	char c = 0;
	double t0, t1;
	pid_t p;
	long i;

	if (pipe(a) || pipe(b))
		exit(1);
	pin0();
	p = fork();
	if (p == 0) {
		for (i = 0; i < n; i++) {
			if (read(a[0], &c, 1) != 1 || write(b[1], &c, 1) != 1)
				_exit(1);
		}
		_exit(0);
	}
	t0 = now_ns();
	for (i = 0; i < n; i++) {
		if (write(a[1], &c, 1) != 1 || read(b[0], &c, 1) != 1)
			exit(1);
	}
	t1 = now_ns();
	waitpid(p, NULL, 0);
	close(a[0]);
	close(a[1]);
	close(b[0]);
	close(b[1]);
	return (t1 - t0) / (2.0 * n);
}

static int cmp(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return a < b ? -1 : a > b;
}

/* One run in a fresh child, so that a group can be added for it (its
 * ping-pong partner is traced by inheritance). */
static double measure(struct ttd_nl *nl, bool traced, long n)
{
	int gate[2], res[2];
	uint32_t id = 0;
	double r;
	pid_t p;
	char go;

	if (pipe(gate) || pipe(res))
		exit(1);
	p = fork();
	if (p == 0) {
		close(gate[1]);
		if (read(gate[0], &go, 1) != 1)
			_exit(1);
		r = pingpong(n);
		_exit(write(res[1], &r, sizeof(r)) != sizeof(r));
	}
	close(gate[0]);
	close(res[1]);
	if (traced && ttd_add_pid(nl, p, TTD_CLASS_ALL, 0, &id)) {
		fprintf(stderr, "bench: cannot trace %d\n", p);
		exit(1);
	}
	if (write(gate[1], "g", 1) != 1 ||
	    read(res[0], &r, sizeof(r)) != sizeof(r))
		exit(1);
	close(gate[1]);
	close(res[0]);
	waitpid(p, NULL, 0);
	if (id)
		ttd_del_group(nl, id);
	return r;
}

enum { NO_MODULE, LOADED, UNTRACED, TRACED, NCONF };

static const char *const conf_name[NCONF] = {
	"no module",
	"module loaded, nothing traced",
	"module tracing another process (untraced path)",
	"both processes traced (every switch recorded)",
};

static void load(struct ttd_nl *nl)
{
	int err = ttd_mod_load("ring_mode=1");

	if (err || ttd_nl_open(nl)) {
		fprintf(stderr, "bench: cannot load ttd.ko: %s\n",
			strerror(-err));
		exit(1);
	}
}

/* Quantile q of the n sorted values v (linear interpolation). */
static double quantile(const double *v, int n, double q)
{
	double x = q * (n - 1);
	int i = (int)x;

	return i + 1 < n ? v[i] + (x - i) * (v[i + 1] - v[i]) : v[n - 1];
}

static void sort(double *v, int n)
{
	qsort(v, n, sizeof(v[0]), cmp);
}

/*
 * Distribution-free confidence interval of the median of n sorted values:
 * the k-th smallest and k-th largest, with k the largest rank such that a
 * fair coin tossed n times shows fewer than k heads with probability at
 * most 2.5%.  Its coverage is then at least 95%.
 */
static void median_ci(const double *v, int n, double *lo, double *hi)
{
	double p = 1.0, cdf = 0.0;
	int i, k = 0;

	for (i = 0; i < n; i++)
		p /= 2;
	/* cdf = P(heads <= i), p = P(heads == i) */
	for (i = 0; i < n; i++) {
		cdf += p;
		if (cdf > 0.025)
			break;
		k = i + 1;
		p = p * (n - i) / (i + 1);
	}
	if (k < 1)
		k = 1;
	*lo = v[k - 1];
	*hi = v[n - k];
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 20000;
	int runs = argc > 2 ? atoi(argv[2]) : 21;
	/* Under qemu -icount, the guest ns each instruction takes. */
	double insn_ns = argc > 3 ? atof(argv[3]) : 0;
	static double v[NCONF][MAX_RUNS], rel[NCONF][MAX_RUNS];
	uint64_t records = 0, lost = 0;
	struct ttd_stats st;
	struct ttd_nl nl;
	uint32_t id;
	pid_t idle;
	int r, c;

	if (n < 1 || runs < 3 || runs > MAX_RUNS) {
		fprintf(stderr,
			"usage: %s [ROUND_TRIPS [RUNS (3..%d) [NS_PER_INSN]]]\n",
			argv[0], MAX_RUNS);
		return 2;
	}
	if (ttd_mod_loaded() && ttd_mod_unload()) {
		fprintf(stderr, "bench: cannot unload ttd.ko\n");
		return 1;
	}
	idle = fork();
	if (idle == 0) {
		for (;;)
			pause();
	}
	/* Configurations interleaved, so that drift in the emulator's speed
	 * spreads over all of them alike. */
	for (r = 0; r < runs; r++) {
		v[NO_MODULE][r] = measure(NULL, false, n);
		load(&nl);
		v[LOADED][r] = measure(&nl, false, n);
		/* Some other process traced: every hook runs its lookup. */
		if (ttd_add_pid(&nl, idle, TTD_CLASS_ALL, 0, &id))
			return 1;
		v[UNTRACED][r] = measure(&nl, false, n);
		v[TRACED][r] = measure(&nl, true, n);
		if (ttd_get_stats(&nl, &st))
			return 1;
		records += st.records;
		lost += st.lost;
		ttd_nl_close(&nl);
		if (ttd_mod_unload())
			return 1;
		/* Each round's own baseline: the emulator's speed drifts. */
		for (c = 0; c < NCONF; c++)
			rel[c][r] = 100.0 * (v[c][r] - v[NO_MODULE][r]) /
				    v[NO_MODULE][r];
	}
	kill(idle, SIGKILL);
	waitpid(idle, NULL, 0);

	printf("| configuration | ns/switch, median | IQR |%s added cost, median of rounds | 95%% CI of the median |\n",
	       insn_ns > 0 ? " guest instructions/switch |" : "");
	printf("|---|---:|---:|%s---:|---:|\n", insn_ns > 0 ? "---:|" : "");
	for (c = 0; c < NCONF; c++) {
		double lo, hi;

		sort(v[c], runs);
		sort(rel[c], runs);
		median_ci(rel[c], runs, &lo, &hi);
		printf("| %s | %.0f | %.0f–%.0f |", conf_name[c],
		       quantile(v[c], runs, 0.5), quantile(v[c], runs, 0.25),
		       quantile(v[c], runs, 0.75));
		if (insn_ns > 0)
			printf(" %.0f |", quantile(v[c], runs, 0.5) / insn_ns);
		printf(" %+.2f%% | %+.2f%% to %+.2f%% |\n",
		       quantile(rel[c], runs, 0.5), lo, hi);
	}
	printf("\n%d interleaved rounds of %ld round trips (2 switches each) per "
	       "row; the added cost is computed per round against that round's "
	       "no-module run.  %llu records written, %llu overwritten unread "
	       "(overwrite mode).\n",
	       runs, n, (unsigned long long)records, (unsigned long long)lost);
	return 0;
}
