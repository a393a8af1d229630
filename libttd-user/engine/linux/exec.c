// SPDX-License-Identifier: GPL-2.0
/* execve with re-injection by the supervisor (see exec.h). */
#include "exec.h"
#include "signal.h"
#include "syscall.h"
#include "sys.h"
#include "../ctl.h"
#include "../dispatch.h"
#include "../thread.h"
#include "../lib.h"

void exec_sys_execve(struct ttd_thread *t, long nr)
{
	struct ttd_ctl_msg m = { .type = TTD_CTL_EXEC_PREPARE,
				 .pid = (int)sys_getpid(),
				 .tid = (int)sys_gettid(),
				 .icount = thread_icount(t) };

	if (ctl_request(&m)) {
		/* No supervisor: refuse rather than let the new image run
		 * untranslated without anyone noticing. */
		eprintf("ttd: execve without a supervisor: not followed\n");
		t->ctx.rax = (uint64_t)-ENOSYS;
		return;
	}
	/* A successful execve does not come back here. */
	syscall_run_native(t);
	m.type = TTD_CTL_EXEC_FAILED;
	m.err = (int)-(long)t->ctx.rax;
	if (ctl_request(&m))
		fatal("supervisor did not release the process after a failed "
		      "execve");
}
