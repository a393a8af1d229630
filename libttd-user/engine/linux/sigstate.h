/* SPDX-License-Identifier: GPL-2.0 */
/* Per-thread emulated signal state (kept inside struct ttd_thread). */
#ifndef TTD_ENGINE_SIGSTATE_H
#define TTD_ENGINE_SIGSTATE_H

#include <stdint.h>

#define SIGINFO_SIZE 128
#define MAX_PENDING 64

struct pending_sig {
	int sig;
	int sync; /* a fault of the application's own code */
	uint64_t err, trapno, cr2;
	uint8_t info[SIGINFO_SIZE];
};

struct sig_state {
	struct pending_sig pend[MAX_PENDING];
	int npend;
	/* The application's sigaltstack (the real one is the engine's). */
	uint64_t alt_sp, alt_size;
	int alt_flags;
	/* sigsuspend/ppoll/pselect: the mask the handler must see, and the
	 * one its frame must restore. */
	int mask_override;
	uint64_t override_mask, restore_mask;
};

#endif
