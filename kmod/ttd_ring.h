/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-CPU record rings shared read-only with user space.
 */
#ifndef _TTD_RING_H
#define _TTD_RING_H

#include <linux/types.h>
#include <linux/mm_types.h>
#include <linux/poll.h>

#include "uapi/linux/ttd.h"

int ttd_rings_init(unsigned long data_size, u32 mode);
void ttd_rings_exit(void);

/* Producer: copy one record (hdr.type and hdr.size set by the caller, size
 * a multiple of TTD_REC_ALIGN) into the current CPU's ring; fills in cpu. */
void ttd_ring_write(struct ttd_rec_header *rec);
/*
 * The same without the copy, for callers that run with interrupts off (the
 * scheduler hook): reserve @size bytes in the current CPU's ring, write the
 * record there, then commit it, which fills in cpu and makes it readable.
 * Interrupts must stay off from the reservation to the commit.  NULL when
 * the ring is being reset or, in drop mode, full (the loss is counted).
 */
void *ttd_ring_reserve_irqs_off(u32 size);
void ttd_ring_commit_irqs_off(struct ttd_rec_header *rec);

void ttd_rings_get_info(struct ttd_ring_info *info);
int ttd_rings_set_mode(u32 mode);
u32 ttd_rings_mode(void);
int ttd_ring_consume(u32 cpu, u64 position);
/* Unread bytes of one ring that make poll() report the rings readable:
 * 1 to data_size, else -EINVAL. */
int ttd_rings_set_watermark(u64 bytes);
__poll_t ttd_rings_poll(struct file *file, poll_table *wait);
int ttd_ring_mmap(struct vm_area_struct *vma);

struct ttd_ring_stats {
	u64 records;
	u64 lost;
	u64 head;
	u64 tail;
	u64 consumed;
};

bool ttd_ring_stats(unsigned int cpu, struct ttd_ring_stats *st);

#endif /* _TTD_RING_H */
