// SPDX-License-Identifier: GPL-2.0
/*
 * Per-CPU record rings.
 *
 * Every possible CPU owns one vmalloc_user() area: a header page followed by
 * a power-of-two data area, mapped read-only by the consumer.  The only
 * writer of a ring is its own CPU, with interrupts disabled for the length
 * of one record, so the producer needs no atomic operations: none of our
 * hooks runs in NMI context, and an interrupt that would emit a record on
 * the same CPU waits until the current one is complete.  The consumer only
 * reads the mapping and acknowledges its progress with TTD_IOC_CONSUME.
 *
 * The protocol (positions, padding, lost markers, overwrite order) is
 * described in include/uapi/linux/ttd.h and Documentation/kmod.md.
 */
#include <linux/cpumask.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/nospec.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/version.h>

#include "ttd_ring.h"

struct ttd_ring {
	struct ttd_ring_header *hdr;
	u8 *data;
	/* drop mode: records dropped since the last TTD_REC_LOST marker */
	u64 pending_lost;
	/* the head once the record reserved last is committed */
	u64 next_head;
	/* drop mode: the TTD_REC_LOST marker written before that record,
	 * which takes its time at the commit */
	struct ttd_rec_lost *marker;
	bool enabled;
};

static DEFINE_PER_CPU(struct ttd_ring, ttd_rings);
static u64 ttd_data_size;
static u32 ttd_mode;
/* Serializes consumer acknowledgements with ring resets. */
static DEFINE_MUTEX(ttd_ring_lock);

#define TTD_HDR_SIZE PAGE_SIZE

static inline u64 ttd_off(u64 pos)
{
	return pos & (ttd_data_size - 1);
}

/* Bytes a record of @len takes at @pos, including the padding needed to
 * keep it from straddling the end of the data area. */
static u64 ttd_span(u64 pos, u32 len, u32 *pad)
{
	u64 off = ttd_off(pos);

	*pad = off + len > ttd_data_size ? ttd_data_size - off : 0;
	return *pad + len;
}

/* Where a record of @len goes at @pos: after a pad record when it would
 * straddle the end of the data area. */
static u64 ttd_place(struct ttd_ring *r, u64 pos, u32 len)
{
	struct ttd_rec_header *h;
	u32 pad;

	ttd_span(pos, len, &pad);
	if (pad) {
		/* Only type and size of a pad record are meaningful: it may
		 * be shorter than a full header. */
		h = (struct ttd_rec_header *)(r->data + ttd_off(pos));
		h->type = TTD_REC_PAD;
		h->size = pad;
		pos += pad;
	}
	return pos;
}

static void *ttd_reserve_drop(struct ttd_ring *r, u32 size)
{
	struct ttd_ring_header *hdr = r->hdr;
	u64 head = hdr->head, need = 0, pos;
	/* Pairs with the release in ttd_ring_consume(): the consumer is done
	 * reading the bytes before we reuse them. */
	u64 consumed = smp_load_acquire(&hdr->consumed);
	struct ttd_rec_lost *lost;
	u32 pad;

	if (r->pending_lost)
		need = ttd_span(head, sizeof(*lost), &pad);
	need += ttd_span(head + need, size, &pad);
	if (head + need - consumed > ttd_data_size) {
		r->pending_lost++;
		WRITE_ONCE(hdr->lost, hdr->lost + 1);
		return NULL;
	}
	if (r->pending_lost) {
		pos = ttd_place(r, head, sizeof(*lost));
		lost = (struct ttd_rec_lost *)(r->data + ttd_off(pos));
		memset(lost, 0, sizeof(*lost));
		lost->hdr.type = TTD_REC_LOST;
		lost->hdr.size = sizeof(*lost);
		lost->count = r->pending_lost;
		r->pending_lost = 0;
		r->marker = lost;
		head = pos + sizeof(*lost);
	}
	pos = ttd_place(r, head, size);
	r->next_head = pos + size;
	return r->data + ttd_off(pos);
}

static void *ttd_reserve_overwrite(struct ttd_ring *r, u32 size)
{
	struct ttd_ring_header *hdr = r->hdr;
	u64 head = hdr->head, tail = hdr->tail;
	u64 consumed = READ_ONCE(hdr->consumed);
	u64 lost = 0, need;
	struct ttd_rec_header *old;
	u32 pad;

	need = ttd_span(head, size, &pad);
	while (head + need - tail > ttd_data_size) {
		old = (struct ttd_rec_header *)(r->data + ttd_off(tail));
		if (old->type != TTD_REC_PAD && tail >= consumed)
			lost++;
		tail += old->size;
	}
	if (tail != hdr->tail) {
		WRITE_ONCE(hdr->lost, hdr->lost + lost);
		WRITE_ONCE(hdr->tail, tail);
		/* A reader must see the new tail before any byte it frees is
		 * overwritten; it rereads tail after copying. */
		smp_wmb();
	}
	head = ttd_place(r, head, size);
	r->next_head = head + size;
	return r->data + ttd_off(head);
}

void *ttd_ring_reserve_irqs_off(u32 size)
{
	struct ttd_ring *r = this_cpu_ptr(&ttd_rings);

	lockdep_assert_irqs_disabled();
	/* Pairs with the release in ttd_rings_set_mode(). */
	if (unlikely(!smp_load_acquire(&r->enabled)))
		return NULL;
	if (ttd_mode == TTD_RING_OVERWRITE)
		return ttd_reserve_overwrite(r, size);
	return ttd_reserve_drop(r, size);
}

void ttd_ring_commit_irqs_off(struct ttd_rec_header *rec)
{
	struct ttd_ring *r = this_cpu_ptr(&ttd_rings);
	struct ttd_ring_header *hdr = r->hdr;

	rec->cpu = smp_processor_id();
	if (unlikely(r->marker)) {
		r->marker->hdr.cpu = rec->cpu;
		r->marker->hdr.time_ns = rec->time_ns;
		r->marker = NULL;
	}
	WRITE_ONCE(hdr->records, hdr->records + 1);
	/* The record's bytes before the head that makes them readable. */
	smp_store_release(&hdr->head, r->next_head);
}

void ttd_ring_write(struct ttd_rec_header *rec)
{
	unsigned long flags;
	void *p;

	local_irq_save(flags);
	p = ttd_ring_reserve_irqs_off(rec->size);
	if (p) {
		memcpy(p, rec, rec->size);
		ttd_ring_commit_irqs_off(p);
	}
	local_irq_restore(flags);
}

static void ttd_ring_reset(struct ttd_ring *r, unsigned int cpu, u32 mode)
{
	struct ttd_ring_header *hdr = r->hdr;
	u64 gen = hdr->generation;

	memset(hdr, 0, sizeof(*hdr));
	hdr->magic = TTD_RING_MAGIC;
	hdr->version = TTD_ABI_VERSION;
	hdr->header_size = sizeof(*hdr);
	hdr->cpu = cpu;
	hdr->mode = mode;
	hdr->data_offset = TTD_HDR_SIZE;
	hdr->data_size = ttd_data_size;
	hdr->generation = gen + 1;
	r->pending_lost = 0;
	r->marker = NULL;
}

int ttd_rings_set_mode(u32 mode)
{
	unsigned int cpu;

	if (mode != TTD_RING_DROP && mode != TTD_RING_OVERWRITE)
		return -EINVAL;
	mutex_lock(&ttd_ring_lock);
	for_each_possible_cpu(cpu)
		WRITE_ONCE(per_cpu_ptr(&ttd_rings, cpu)->enabled, false);
	/* Producers run with interrupts off, which is an RCU read-side
	 * critical section: after this, none is inside a ring. */
	synchronize_rcu();
	ttd_mode = mode;
	for_each_possible_cpu(cpu) {
		struct ttd_ring *r = per_cpu_ptr(&ttd_rings, cpu);

		ttd_ring_reset(r, cpu, mode);
		smp_store_release(&r->enabled, true);
	}
	mutex_unlock(&ttd_ring_lock);
	return 0;
}

u32 ttd_rings_mode(void)
{
	return READ_ONCE(ttd_mode);
}

static struct ttd_ring *ttd_ring_of(u32 cpu)
{
	if (cpu >= nr_cpu_ids)
		return NULL;
	cpu = array_index_nospec(cpu, nr_cpu_ids);
	if (!cpu_possible(cpu))
		return NULL;
	return per_cpu_ptr(&ttd_rings, cpu);
}

int ttd_ring_consume(u32 cpu, u64 position)
{
	struct ttd_ring *r = ttd_ring_of(cpu);
	struct ttd_ring_header *hdr;
	int err = 0;

	if (!r)
		return -EINVAL;
	if (position % TTD_REC_ALIGN)
		return -EINVAL;
	mutex_lock(&ttd_ring_lock);
	hdr = r->hdr;
	if (position > smp_load_acquire(&hdr->head) ||
	    position < READ_ONCE(hdr->consumed)) {
		err = -EINVAL;
	} else {
		smp_store_release(&hdr->consumed, position);
		/* In drop mode the producer never moves tail: it is simply
		 * the consumer's position. */
		if (ttd_mode == TTD_RING_DROP)
			WRITE_ONCE(hdr->tail, position);
	}
	mutex_unlock(&ttd_ring_lock);
	return err;
}

void ttd_rings_get_info(struct ttd_ring_info *info)
{
	memset(info, 0, sizeof(*info));
	info->abi_version = TTD_ABI_VERSION;
	info->nr_cpu_ids = nr_cpu_ids;
	info->page_size = PAGE_SIZE;
	info->mode = READ_ONCE(ttd_mode);
	info->header_size = TTD_HDR_SIZE;
	info->data_size = ttd_data_size;
	info->map_size = TTD_HDR_SIZE + ttd_data_size;
}

bool ttd_ring_stats(unsigned int cpu, struct ttd_ring_stats *st)
{
	struct ttd_ring *r = ttd_ring_of(cpu);

	if (!r)
		return false;
	st->records = READ_ONCE(r->hdr->records);
	st->lost = READ_ONCE(r->hdr->lost);
	st->head = READ_ONCE(r->hdr->head);
	st->tail = READ_ONCE(r->hdr->tail);
	st->consumed = READ_ONCE(r->hdr->consumed);
	return true;
}

static void ttd_vma_forbid_write(struct vm_area_struct *vma)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
	vm_flags_mod(vma, VM_DONTCOPY, VM_MAYWRITE);
#else
	vma->vm_flags |= VM_DONTCOPY;
	vma->vm_flags &= ~VM_MAYWRITE;
#endif
}

int ttd_ring_mmap(struct vm_area_struct *vma)
{
	unsigned long map_pages = (TTD_HDR_SIZE + ttd_data_size) >> PAGE_SHIFT;
	unsigned long len = vma->vm_end - vma->vm_start;
	struct ttd_ring *r;

	if (vma->vm_flags & VM_WRITE)
		return -EPERM;
	if (len != map_pages << PAGE_SHIFT || vma->vm_pgoff % map_pages)
		return -EINVAL;
	if (vma->vm_pgoff / map_pages >= nr_cpu_ids)
		return -ENXIO;
	r = ttd_ring_of(vma->vm_pgoff / map_pages);
	if (!r)
		return -ENXIO;
	ttd_vma_forbid_write(vma);
	return remap_vmalloc_range(vma, r->hdr, 0);
}

int ttd_rings_init(unsigned long data_size, u32 mode)
{
	unsigned int cpu;

	if (!is_power_of_2(data_size) || data_size < 4 * TTD_REC_MAX_SIZE ||
	    data_size > (1UL << 30))
		return -EINVAL;
	if (mode != TTD_RING_DROP && mode != TTD_RING_OVERWRITE)
		return -EINVAL;
	ttd_data_size = data_size;
	ttd_mode = mode;
	for_each_possible_cpu(cpu) {
		struct ttd_ring *r = per_cpu_ptr(&ttd_rings, cpu);

		r->hdr = vmalloc_user(TTD_HDR_SIZE + data_size);
		if (!r->hdr) {
			ttd_rings_exit();
			return -ENOMEM;
		}
		r->data = (u8 *)r->hdr + TTD_HDR_SIZE;
		ttd_ring_reset(r, cpu, mode);
		smp_store_release(&r->enabled, true);
	}
	return 0;
}

/* Only called once no hook can run and no mapping exists (the mappings pin
 * the module through their file). */
void ttd_rings_exit(void)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		struct ttd_ring *r = per_cpu_ptr(&ttd_rings, cpu);

		r->enabled = false;
		vfree(r->hdr);
		r->hdr = NULL;
		r->data = NULL;
	}
}
