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
 *
 * A consumer sleeping in poll() on /dev/ttd is woken when a ring holds a
 * watermark of unread bytes, or loses records.  Producers run in the
 * scheduler with its runqueue lock held, where waking a task could take
 * that lock again: they queue a per-CPU irq_work instead, whose handler
 * runs the wake-up as soon as interrupts are enabled.  A ring wakes the
 * consumer at most once per value of its consumed position, so a
 * consumer that is not reading costs one comparison per record.
 */
#include <linux/cpumask.h>
#include <linux/irq_work.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/nospec.h>
#include <linux/percpu.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/version.h>
#include <linux/wait.h>

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
	/* hdr->consumed when the consumer was last woken for this ring,
	 * TTD_NOT_WOKEN since the reset; read by poll() on any CPU */
	u64 woken;
	struct irq_work wake_work;
	bool enabled;
};

/* Not a multiple of TTD_REC_ALIGN: never a consumed position. */
#define TTD_NOT_WOKEN U64_MAX

static DEFINE_PER_CPU(struct ttd_ring, ttd_rings);
static u64 ttd_data_size;
static u32 ttd_mode;
/* Unread bytes in one ring that wake a consumer waiting in poll(). */
static u64 ttd_watermark;
static DECLARE_WAIT_QUEUE_HEAD(ttd_poll_wq);
/* Serializes consumer acknowledgements with ring resets. */
static DEFINE_MUTEX(ttd_ring_lock);

#define TTD_HDR_SIZE PAGE_SIZE
/*
 * A quarter of the ring by default: the consumer is woken with three
 * quarters left to absorb a burst while it gets to run, and a busy ring
 * costs it one wake-up per quarter, not one per record.
 */
#define TTD_WATERMARK_DEFAULT_DIV 4

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

static void ttd_ring_wake_fn(struct irq_work *work)
{
	wake_up_interruptible_poll(&ttd_poll_wq, EPOLLIN | EPOLLRDNORM);
}

/*
 * Interrupts are off.  Remembering @consumed first keeps a ring that
 * stays full while nobody reads it from queueing the work again.
 */
static void ttd_ring_kick(struct ttd_ring *r, u64 consumed)
{
	WRITE_ONCE(r->woken, consumed);
	irq_work_queue(&r->wake_work);
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
		/* Whatever the watermark, a full ring needs its consumer. */
		if (consumed != r->woken)
			ttd_ring_kick(r, consumed);
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
		if (lost && consumed != r->woken)
			ttd_ring_kick(r, consumed);
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
	u64 consumed;

	rec->cpu = smp_processor_id();
	if (unlikely(r->marker)) {
		r->marker->hdr.cpu = rec->cpu;
		r->marker->hdr.time_ns = rec->time_ns;
		r->marker = NULL;
	}
	WRITE_ONCE(hdr->records, hdr->records + 1);
	/* The record's bytes before the head that makes them readable. */
	smp_store_release(&hdr->head, r->next_head);
	/* Cheapest test first: once woken, a ring waits for its consumer. */
	consumed = READ_ONCE(hdr->consumed);
	if (consumed != r->woken &&
	    r->next_head - max(consumed, READ_ONCE(hdr->tail)) >=
		    READ_ONCE(ttd_watermark))
		ttd_ring_kick(r, consumed);
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
	WRITE_ONCE(r->woken, TTD_NOT_WOKEN);
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
	info->watermark = READ_ONCE(ttd_watermark);
}

int ttd_rings_set_watermark(u64 bytes)
{
	if (!bytes || bytes > ttd_data_size)
		return -EINVAL;
	WRITE_ONCE(ttd_watermark, bytes);
	/* Rings already past a lower watermark: let the waiters look. */
	wake_up_interruptible_poll(&ttd_poll_wq, EPOLLIN | EPOLLRDNORM);
	return 0;
}

/*
 * Read without the lock: a ring reset racing with this can only make one
 * answer wrong, and the reset leaves nothing to read anyway.  head is
 * read last, so that it is never behind consumed or tail.
 */
static bool ttd_ring_readable(struct ttd_ring *r, u64 watermark)
{
	struct ttd_ring_header *hdr = r->hdr;
	u64 consumed = READ_ONCE(hdr->consumed);
	u64 start = max(consumed, READ_ONCE(hdr->tail));

	/* Woken by a loss below the watermark: readable until consumed. */
	if (READ_ONCE(r->woken) == consumed)
		return true;
	return smp_load_acquire(&hdr->head) - start >= watermark;
}

__poll_t ttd_rings_poll(struct file *file, poll_table *wait)
{
	u64 watermark = READ_ONCE(ttd_watermark);
	unsigned int cpu;

	/*
	 * Queued first: a producer publishes head before its irq_work can
	 * take the queue's lock, so either the checks below see the new
	 * head or the wake-up sees this waiter.
	 */
	poll_wait(file, &ttd_poll_wq, wait);
	for_each_possible_cpu(cpu) {
		if (ttd_ring_readable(per_cpu_ptr(&ttd_rings, cpu), watermark))
			return EPOLLIN | EPOLLRDNORM;
	}
	return 0;
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
	ttd_watermark = data_size / TTD_WATERMARK_DEFAULT_DIV;
	for_each_possible_cpu(cpu) {
		struct ttd_ring *r = per_cpu_ptr(&ttd_rings, cpu);

		init_irq_work(&r->wake_work, ttd_ring_wake_fn);
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
 * the module through their file), so no file can be waiting in poll();
 * but a wake-up queued by the last records may still be pending. */
void ttd_rings_exit(void)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		struct ttd_ring *r = per_cpu_ptr(&ttd_rings, cpu);

		r->enabled = false;
		irq_work_sync(&r->wake_work);
		vfree(r->hdr);
		r->hdr = NULL;
		r->data = NULL;
	}
}
