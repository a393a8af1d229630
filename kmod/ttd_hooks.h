/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel hooks that turn scheduler, task, signal and fault events of traced
 * tasks into ring records.
 */
#ifndef _TTD_HOOKS_H
#define _TTD_HOOKS_H

#include <linux/types.h>

int ttd_hooks_register(bool fault_hook);
void ttd_hooks_unregister(void);

#endif /* _TTD_HOOKS_H */
