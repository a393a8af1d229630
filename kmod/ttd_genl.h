/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The "ttd" generic netlink family: control commands and trigger
 * notifications.
 */
#ifndef _TTD_GENL_H
#define _TTD_GENL_H

#include <linux/sched.h>
#include <linux/types.h>

int ttd_genl_init(void);
void ttd_genl_exit(void);

/* Queue a notification to the "notify" multicast group; any context the
 * hooks run in.  @value is the signal or the exit code. */
void ttd_notify(u32 type, u32 group_id, struct task_struct *p, int value);
/* Send what is queued and stop; called once the hooks are gone. */
void ttd_notify_flush(void);

#endif /* _TTD_GENL_H */
