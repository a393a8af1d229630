// SPDX-License-Identifier: GPL-2.0
/*
 * The floor of the BPF backend's context-switch cost: a sched_switch
 * program attached the way ttdd attaches its own (tp_btf) that does
 * nothing.  What ttdd adds for untraced tasks is measured against it.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

SEC("tp_btf/sched_switch")
int BPF_PROG(on_switch_empty, bool preempt, struct task_struct *prev,
	     struct task_struct *next, unsigned int prev_state)
{
	return 0;
}
