// SPDX-License-Identifier: GPL-2.0
/*
 * ttd.ko: the kernel side of the ttd time-travel recorder.
 *
 * Records scheduler switches, fork/exec/exit, signals and faults in shared
 * or device mappings of traced tasks into per-CPU rings that the ttd daemon
 * maps from /dev/ttd, and takes its orders over the "ttd" generic netlink
 * family.  See Documentation/kmod.md.
 */
#include <linux/log2.h>
#include <linux/module.h>
#include <linux/moduleparam.h>

#include "uapi/linux/ttd.h"
#include "ttd_dev.h"
#include "ttd_genl.h"
#include "ttd_hooks.h"
#include "ttd_ring.h"
#include "ttd_track.h"

static unsigned int ring_kb = 1024;
module_param(ring_kb, uint, 0444);
MODULE_PARM_DESC(ring_kb,
		 "Data area of each per-CPU ring in KiB (power of two, >= 16)");

static unsigned int ring_mode = TTD_RING_DROP;
module_param(ring_mode, uint, 0444);
MODULE_PARM_DESC(ring_mode,
		 "Initial ring mode: 0 drop when full, 1 overwrite oldest");

static bool fault_events = true;
module_param(fault_events, bool, 0444);
MODULE_PARM_DESC(fault_events,
		 "Hook handle_mm_fault for shared/device mapping faults");

/* Lets the selftests reach the fork hook's reserve (Documentation/kmod.md). */
unsigned int ttd_fail_fork_alloc;
module_param_named(fail_fork_alloc, ttd_fail_fork_alloc, uint, 0644);
MODULE_PARM_DESC(fail_fork_alloc,
		 "Testing: fail the fork hook's next N allocations");

static int __init ttd_init(void)
{
	int err;

	if (ring_kb > (1U << 20) || !is_power_of_2(ring_kb)) {
		pr_err("ttd: ring_kb=%u is not a power of two <= 1 GiB\n",
		       ring_kb);
		return -EINVAL;
	}
	err = ttd_rings_init((unsigned long)ring_kb << 10, ring_mode);
	if (err)
		return err;
	err = ttd_track_init();
	if (err)
		goto err_rings;
	/* Before the control family exists: its first group arms them. */
	err = ttd_hooks_init(fault_events);
	if (err)
		goto err_track;
	err = ttd_genl_init();
	if (err)
		goto err_track;
	err = ttd_dev_init();
	if (err)
		goto err_genl;
	return 0;

err_genl:
	ttd_hooks_shutdown();
	ttd_notify_flush();
	ttd_genl_exit();
err_track:
	ttd_track_exit();
err_rings:
	ttd_rings_exit();
	return err;
}

/*
 * Order matters: once the hooks are shut down (detached, synchronized,
 * and never attached again) no record, table change or notification can
 * start; then the queued notifications are sent, control commands are
 * shut off, the traced process table is emptied (waiting for its RCU
 * frees) and the rings, which no mapping can still reference, are freed.
 */
static void __exit ttd_exit(void)
{
	ttd_dev_exit();
	ttd_hooks_shutdown();
	ttd_notify_flush();
	ttd_genl_exit();
	ttd_track_exit();
	ttd_rings_exit();
}

module_init(ttd_init);
module_exit(ttd_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION(
	"ttd time-travel recorder: per-CPU event rings for traced tasks");
MODULE_AUTHOR("The ttd developers");
