/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel hooks that turn scheduler, task, signal and fault events of traced
 * tasks into ring records.
 */
#ifndef _TTD_HOOKS_H
#define _TTD_HOOKS_H

#include <linux/types.h>

/* Finds the tracepoints; attaches nothing yet. */
int ttd_hooks_init(bool fault_hook);
/* Attach the hooks unless attached; sleeps.  -ENODEV after shutdown. */
int ttd_hooks_arm(void);
/* Attach or detach the sched_switch tracepoint, which records switches
 * while a cgroup group exists; sleeps.  Attaching needs the hooks armed. */
int ttd_hooks_switch_tp(bool on);
/* Detach them; when this returns no probe runs any more. */
void ttd_hooks_disarm(void);
/* Detach them for good: the module is going away. */
void ttd_hooks_shutdown(void);

#endif /* _TTD_HOOKS_H */
