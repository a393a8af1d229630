// SPDX-License-Identifier: GPL-2.0
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <linux/ttd.h>

#include "format/ttd_events.h"

#include "kev.h"

uint16_t kev_event_type(unsigned int rec_type)
{
	switch (rec_type) {
	case TTD_REC_SWITCH:
		return TTD_EV_SCHED_SWITCH;
	case TTD_REC_FORK:
		return TTD_EV_KFORK;
	case TTD_REC_EXEC:
		return TTD_EV_KEXEC;
	case TTD_REC_EXIT:
		return TTD_EV_KEXIT;
	case TTD_REC_SIGNAL_GENERATE:
	case TTD_REC_SIGNAL_DELIVER:
		return TTD_EV_KSIGNAL;
	case TTD_REC_FAULT:
		return TTD_EV_FAULT;
	case TTD_REC_LOST:
		return TTD_EV_RING_LOST;
	default:
		return 0;
	}
}

static const char *state_name(unsigned int s)
{
	static const char *const names[] = {
		[TTD_STATE_RUNNING] = "R", [TTD_STATE_SLEEPING] = "S",
		[TTD_STATE_DISK] = "D",	   [TTD_STATE_STOPPED] = "T",
		[TTD_STATE_TRACED] = "t",  [TTD_STATE_DEAD] = "X",
		[TTD_STATE_IDLE] = "I",	   [TTD_STATE_PARKED] = "P",
		[TTD_STATE_OTHER] = "?",
	};

	return s < sizeof(names) / sizeof(names[0]) ? names[s] : "?";
}

static const char *sig_name(int sig, char *buf, size_t len)
{
	const char *abbrev = sig > 0 ? sigabbrev_np(sig) : NULL;

	if (abbrev)
		snprintf(buf, len, "SIG%s", abbrev);
	else
		snprintf(buf, len, "signal %d", sig);
	return buf;
}

static const char *sig_result(unsigned int r)
{
	static const char *const names[] = {
		[TTD_SIG_DELIVERED] = "delivered",
		[TTD_SIG_IGNORED] = "ignored",
		[TTD_SIG_ALREADY_PENDING] = "already-pending",
		[TTD_SIG_OVERFLOW_FAIL] = "overflow",
		[TTD_SIG_LOSE_INFO] = "lost-info",
	};

	return r < sizeof(names) / sizeof(names[0]) ? names[r] : "?";
}

static void fmt_switch(const struct ttd_rec_switch *r, char *b, size_t n)
{
	snprintf(b, n, "cpu %u switch %d/%d (%s%s) -> %d/%d%s%s", r->hdr.cpu,
		 r->prev_pid, r->prev_tid, state_name(r->prev_state),
		 r->hdr.flags & TTD_SWITCH_PREEMPT ? ", preempted" : "",
		 r->next_pid, r->next_tid,
		 r->hdr.flags & TTD_SWITCH_PREV_TRACED ? " prev-traced" : "",
		 r->hdr.flags & TTD_SWITCH_NEXT_TRACED ? " next-traced" : "");
}

static void fmt_fork(const struct ttd_rec_fork *r, char *b, size_t n)
{
	const char *kind = "fork";

	if (r->hdr.flags & TTD_FORK_IO_THREAD)
		kind = "io-thread";
	else if (r->hdr.flags & TTD_FORK_THREAD)
		kind = "clone-thread";
	snprintf(b, n, "cpu %u %s %d/%d -> %d/%d", r->hdr.cpu, kind, r->hdr.pid,
		 r->hdr.tid, r->child_pid, r->child_tid);
}

static void fmt_exec(const struct ttd_rec_exec *r, size_t len, char *b,
		     size_t n)
{
	size_t max = len - sizeof(*r);
	size_t flen = r->filename_len < max ? r->filename_len : max;

	snprintf(b, n, "cpu %u exec %d/%d (was tid %d) %.*s", r->hdr.cpu,
		 r->hdr.pid, r->hdr.tid, r->old_tid, (int)flen, r->filename);
}

static void fmt_exit(const struct ttd_rec_exit *r, char *b, size_t n)
{
	int c = r->exit_code;
	char sig[32];

	if (c & 0x7f)
		snprintf(b, n, "cpu %u exit %d/%d killed by %s%s%s", r->hdr.cpu,
			 r->hdr.pid, r->hdr.tid,
			 sig_name(c & 0x7f, sig, sizeof(sig)),
			 c & 0x80 ? " (core dumped)" : "",
			 r->hdr.flags & TTD_EXIT_GROUP ? ", process gone" : "");
	else
		snprintf(b, n, "cpu %u exit %d/%d status %d%s", r->hdr.cpu,
			 r->hdr.pid, r->hdr.tid, (c >> 8) & 0xff,
			 r->hdr.flags & TTD_EXIT_GROUP ? ", process gone" : "");
}

static void fmt_sig_gen(const struct ttd_rec_signal_generate *r, char *b,
			size_t n)
{
	char sig[32];

	snprintf(b, n,
		 "cpu %u signal %s from %d/%d to %d/%d code %d errno %d "
		 "value %#llx %s%s%s",
		 r->hdr.cpu, sig_name(r->sig, sig, sizeof(sig)), r->hdr.pid,
		 r->hdr.tid, r->target_pid, r->target_tid, r->code, r->err,
		 (unsigned long long)r->value, sig_result(r->result),
		 r->hdr.flags & TTD_SIG_GROUP ? " group" : "",
		 r->hdr.flags & TTD_SIG_FATAL ? " fatal" : "");
}

static void fmt_sig_deliver(const struct ttd_rec_signal_deliver *r, char *b,
			    size_t n)
{
	char sig[32], h[32];

	if (r->handler == 0)
		snprintf(h, sizeof(h), "SIG_DFL");
	else if (r->handler == 1)
		snprintf(h, sizeof(h), "SIG_IGN");
	else
		snprintf(h, sizeof(h), "%#llx", (unsigned long long)r->handler);
	snprintf(b, n,
		 "cpu %u deliver %s to %d/%d code %d handler %s "
		 "sa_flags %#llx",
		 r->hdr.cpu, sig_name(r->sig, sig, sizeof(sig)), r->hdr.pid,
		 r->hdr.tid, r->code, h, (unsigned long long)r->sa_flags);
}

static void fmt_fault(const struct ttd_rec_fault *r, char *b, size_t n)
{
	const char *what = r->vm_kind & TTD_VM_ANON_SHARED ? "shared-anon"
			   : r->vm_kind & TTD_VM_IO	   ? "io"
			   : r->vm_kind & TTD_VM_PFNMAP	   ? "pfnmap"
			   : r->vm_kind & TTD_VM_MIXEDMAP  ? "mixedmap"
							   : "shared";

	snprintf(b, n,
		 "cpu %u fault %d/%d %s addr %#llx ip %#llx %s %02x:%02x "
		 "%llu page %llu vma %#llx-%#llx%s",
		 r->hdr.cpu, r->hdr.pid, r->hdr.tid,
		 r->hdr.flags & TTD_FAULT_EXEC	  ? "exec"
		 : r->hdr.flags & TTD_FAULT_WRITE ? "write"
						  : "read",
		 (unsigned long long)r->address, (unsigned long long)r->ip,
		 what, r->dev_major, r->dev_minor, (unsigned long long)r->ino,
		 (unsigned long long)r->pgoff, (unsigned long long)r->vm_start,
		 (unsigned long long)r->vm_end,
		 r->hdr.flags & TTD_FAULT_PROT ? " protection" : "");
}

/* The record must be complete for its type before any field is read. */
static size_t min_size(unsigned int type)
{
	switch (type) {
	case TTD_REC_SWITCH:
		return sizeof(struct ttd_rec_switch);
	case TTD_REC_FORK:
		return sizeof(struct ttd_rec_fork);
	case TTD_REC_EXEC:
		return sizeof(struct ttd_rec_exec);
	case TTD_REC_EXIT:
		return sizeof(struct ttd_rec_exit);
	case TTD_REC_SIGNAL_GENERATE:
		return sizeof(struct ttd_rec_signal_generate);
	case TTD_REC_SIGNAL_DELIVER:
		return sizeof(struct ttd_rec_signal_deliver);
	case TTD_REC_FAULT:
		return sizeof(struct ttd_rec_fault);
	case TTD_REC_LOST:
		return sizeof(struct ttd_rec_lost);
	default:
		return sizeof(struct ttd_rec_header);
	}
}

void kev_format(const void *payload, size_t len, char *b, size_t n)
{
	/* Payloads are unaligned in a chunk; copy before use. */
	union ttd_rec_any r;

	if (len < sizeof(r.h)) {
		snprintf(b, n, "truncated kernel record (%zu bytes)", len);
		return;
	}
	if (len > sizeof(r))
		len = sizeof(r);
	memcpy(&r, payload, len);
	if (len < min_size(r.h.type)) {
		snprintf(b, n, "truncated kernel record type %u (%zu bytes)",
			 r.h.type, len);
		return;
	}
	switch (r.h.type) {
	case TTD_REC_SWITCH:
		return fmt_switch(&r.sw, b, n);
	case TTD_REC_FORK:
		return fmt_fork(&r.fork, b, n);
	case TTD_REC_EXEC:
		return fmt_exec(&r.exec, len, b, n);
	case TTD_REC_EXIT:
		return fmt_exit(&r.exit, b, n);
	case TTD_REC_SIGNAL_GENERATE:
		return fmt_sig_gen(&r.gen, b, n);
	case TTD_REC_SIGNAL_DELIVER:
		return fmt_sig_deliver(&r.del, b, n);
	case TTD_REC_FAULT:
		return fmt_fault(&r.fault, b, n);
	case TTD_REC_LOST:
		snprintf(b, n, "cpu %u lost %llu records (ring full)", r.h.cpu,
			 (unsigned long long)r.lost.count);
		return;
	default:
		snprintf(b, n, "cpu %u kernel record type %u (%u bytes)",
			 r.h.cpu, r.h.type, r.h.size);
	}
}

static struct ttd_event_type_desc kev_types[] = {
	{ TTD_EV_SCHED_SWITCH, "sched-switch", kev_format },
	{ TTD_EV_FAULT, "fault", kev_format },
	{ TTD_EV_KSIGNAL, "ksignal", kev_format },
	{ TTD_EV_KFORK, "kfork", kev_format },
	{ TTD_EV_KEXEC, "kexec", kev_format },
	{ TTD_EV_KEXIT, "kexit", kev_format },
	{ TTD_EV_RING_LOST, "ring-lost", kev_format },
};

/* Keep the names the format library gives these ids, add the formatter. */
int kev_register_formatters(void)
{
	const struct ttd_event_type_desc *d;
	size_t i;

	for (i = 0; i < sizeof(kev_types) / sizeof(kev_types[0]); i++) {
		d = ttd_event_type(kev_types[i].id);
		if (d && d->name)
			kev_types[i].name = d->name;
	}
	return ttd_event_types_register(
		kev_types, sizeof(kev_types) / sizeof(kev_types[0]));
}
