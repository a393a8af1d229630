/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-CPU record rings shared read-only with user space.
 */
#ifndef _TTD_RING_H
#define _TTD_RING_H

#include <linux/types.h>
#include <linux/mm_types.h>

#include "uapi/linux/ttd.h"

int ttd_rings_init(unsigned long data_size, u32 mode);
void ttd_rings_exit(void);

/* Producer: copy one record (hdr.type and hdr.size set by the caller, size
 * a multiple of TTD_REC_ALIGN) into the current CPU's ring; fills in cpu. */
void ttd_ring_write(struct ttd_rec_header *rec);
/* The same, for callers that already run with interrupts disabled (the
 * scheduler hook): saves the flags round trip on the hottest path. */
void ttd_ring_write_irqs_off(struct ttd_rec_header *rec);

void ttd_rings_get_info(struct ttd_ring_info *info);
int ttd_rings_set_mode(u32 mode);
u32 ttd_rings_mode(void);
int ttd_ring_consume(u32 cpu, u64 position);
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
