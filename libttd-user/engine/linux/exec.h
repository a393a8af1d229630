/* SPDX-License-Identifier: GPL-2.0 */
/*
 * execve under the engine.  The new image must run translated from its
 * first instruction, so before the call the engine asks its supervisor
 * (the process that injected it) to catch the exec with ptrace; the
 * supervisor injects a fresh engine into the new image.  If execve
 * fails, the supervisor lets go and the old image continues.
 */
#ifndef TTD_ENGINE_EXEC_H
#define TTD_ENGINE_EXEC_H

struct ttd_thread;

void exec_sys_execve(struct ttd_thread *t, long nr);

#endif
