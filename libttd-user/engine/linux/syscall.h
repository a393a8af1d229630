/* SPDX-License-Identifier: GPL-2.0 */
/*
 * System calls of the application.  Most run as they are (from
 * app_syscall, with the application's registers); the ones that change
 * what the engine must know about (memory mappings, threads, signals,
 * exec, exit) are emulated or wrapped.
 */
#ifndef TTD_ENGINE_SYSCALL_H
#define TTD_ENGINE_SYSCALL_H

#include <stddef.h>
#include <stdint.h>

struct ttd_thread;

/* The call in t->ctx, as the engine's mode wants it handled. */
void syscall_handle(struct ttd_thread *t);
/* The call as the program would make it (wrapped where needed). */
void syscall_execute(struct ttd_thread *t);
/* Run the call in t->ctx natively, with signal-restart handling. */
void syscall_run_native(struct ttd_thread *t);
void syscall_masked_wait(struct ttd_thread *t, long nr);
/* Called before a thread or process ends (status < 0: by a signal). */
void syscall_exit_hook(struct ttd_thread *t, int status);

int app_read(uint64_t app, void *local, size_t n);
int app_write(uint64_t app, const void *local, size_t n);

#endif
