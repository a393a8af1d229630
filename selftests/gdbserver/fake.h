/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A fake replay backend for the gdb protocol tests: one process with
 * three threads and a history of FAKE_HISTORY instructions at
 * 0x1000 + 4 * position, run by the threads in turns of eight.
 * Instructions 10, 20, 30 and 40 write the counter at 0x3000,
 * instruction 25 reads 0x3008.  Memory 0x1000..0x1fff holds addr & 0xff.
 */
#ifndef TTD_FAKE_BACKEND_H
#define TTD_FAKE_BACKEND_H

#include "gdbserver/server.h"

#define FAKE_PID 100
#define FAKE_HISTORY 64
#define FAKE_START 4
#define FAKE_POINTS 16

struct fake {
	int pos;
	bool slow; /* sleep at each instruction, for interrupt tests */
	int resumes;
	struct gdbs_resume last; /* what the last resume asked for */
	struct {
		bool used;
		enum gdbs_point type;
		uint64_t addr, len;
	} points[FAKE_POINTS];
	struct gdbs_backend be;
};

/* Set up a fake at FAKE_START; its backend is f->be. */
void fake_init(struct fake *f, bool avx512, bool exec_file);
int fake_tid_at(int pos);
uint64_t fake_pc(int pos);

#endif
