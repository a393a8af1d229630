/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The event ring between an engine and its supervisor: one shared memory
 * file per process, one producer and one consumer.  While recording the
 * engine produces and the supervisor drains it into the recording file;
 * while replaying the supervisor produces and the engine consumes.
 *
 * The header is included both by the freestanding engine and by
 * ordinary programs.  To get the functions, define TTD_RING_FUNCS and
 * ring_futex() (a raw FUTEX_WAIT with a timeout, or FUTEX_WAKE) first.
 *
 * Records never wrap: one that does not fit before the end of the data
 * area is preceded by a RING_PAD record filling the rest.  The futex
 * words only count changes; a sleeper always re-checks the positions
 * and sleeps with a timeout, so a lost wake-up costs latency, never a hang.
 */
#ifndef TTD_RING_H
#define TTD_RING_H

#include <stdint.h>

#define TTD_RING_MAGIC 0x31676e6972647474ULL /* "ttdring1" */
#define TTD_RING_DATA_OFF 4096
#define TTD_RING_PAD 0xffff
/* The largest record: bigger data is split by the producer. */
#define TTD_RING_MAX_REC (1u << 20)

struct ttd_ring {
	uint64_t magic;
	uint64_t size; /* data bytes, a power of two */
	uint32_t closed; /* the producer will write no more */
	uint32_t pad0;
	uint64_t pad1[5];
	/* Producer side. */
	uint64_t head __attribute__((aligned(64)));
	uint32_t head_seq; /* futex: bumped when head moves */
	uint32_t cons_sleeping;
	uint64_t pad2[6];
	/* Consumer side. */
	uint64_t tail __attribute__((aligned(64)));
	uint32_t tail_seq; /* futex: bumped when tail moves */
	uint32_t prod_sleeping;
};

/* Each record: this header, the payload, padding to 8 bytes. */
struct ttd_ring_rec {
	uint16_t type; /* TTD_EV_* or TTD_RING_PAD */
	uint16_t flags;
	uint32_t len; /* payload bytes */
};

#ifdef TTD_RING_FUNCS
static inline uint8_t *ring_data(struct ttd_ring *r)
{
	return (uint8_t *)r + TTD_RING_DATA_OFF;
}

static inline uint64_t ring_rec_space(uint32_t len)
{
	return (sizeof(struct ttd_ring_rec) + len + 7) & ~7ULL;
}

static inline void ring_init(struct ttd_ring *r, uint64_t size)
{
	r->size = size;
	r->head = r->tail = 0;
	r->closed = 0;
	__atomic_store_n(&r->magic, TTD_RING_MAGIC, __ATOMIC_RELEASE);
}

/* Sleep on *seq while it still equals old (at most about 20 ms). */
static inline void ring_sleep(uint32_t *sleeping, uint32_t *seq, uint32_t old)
{
	__atomic_store_n(sleeping, 1, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(seq, __ATOMIC_SEQ_CST) == old)
		ring_futex(seq, 0, old, 20000000);
	__atomic_store_n(sleeping, 0, __ATOMIC_SEQ_CST);
}

static inline void ring_kick(uint32_t *sleeping, uint32_t *seq)
{
	__atomic_add_fetch(seq, 1, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(sleeping, __ATOMIC_SEQ_CST))
		ring_futex(seq, 1, 1, 0);
}

/*
 * Producer: room for a record of len payload bytes, contiguous; returns
 * the payload pointer.  Waits for the consumer while the ring is full;
 * gives up (NULL) when wait() says so (the consumer is gone).
 */
static inline void *ring_reserve(struct ttd_ring *r, uint32_t len,
				 int (*wait)(struct ttd_ring *))
{
	uint64_t need = ring_rec_space(len), mask = r->size - 1;

	for (;;) {
		uint64_t head = r->head;
		uint64_t tail = __atomic_load_n(&r->tail, __ATOMIC_ACQUIRE);
		uint64_t off = head & mask, to_end = r->size - off;
		uint64_t want = need <= to_end ? need : to_end + need;
		uint32_t seq = __atomic_load_n(&r->tail_seq, __ATOMIC_SEQ_CST);

		if (r->size - (head - tail) >= want) {
			struct ttd_ring_rec *h;
			if (need > to_end) {
				h = (struct ttd_ring_rec *)(ring_data(r) + off);
				h->type = TTD_RING_PAD;
				h->len = (uint32_t)(to_end - sizeof(*h));
				__atomic_store_n(&r->head, head + to_end,
						 __ATOMIC_RELEASE);
				off = 0;
			}
			h = (struct ttd_ring_rec *)(ring_data(r) + off);
			h->len = len;
			return h + 1;
		}
		if (wait && wait(r))
			return (void *)0;
		ring_sleep(&r->prod_sleeping, &r->tail_seq, seq);
	}
}

/* Producer: publish the record reserved last. */
static inline void ring_commit(struct ttd_ring *r, uint16_t type,
			       uint16_t flags, uint32_t len)
{
	struct ttd_ring_rec *h =
		(struct ttd_ring_rec *)(ring_data(r) +
					(r->head & (r->size - 1)));

	h->type = type;
	h->flags = flags;
	h->len = len;
	__atomic_store_n(&r->head, r->head + ring_rec_space(len),
			 __ATOMIC_RELEASE);
	ring_kick(&r->cons_sleeping, &r->head_seq);
}

/*
 * Consumer: the next record, or NULL when none is there (ring_sleep on
 * head_seq to wait).  Skips padding.
 */
static inline struct ttd_ring_rec *ring_peek(struct ttd_ring *r)
{
	for (;;) {
		uint64_t head = __atomic_load_n(&r->head, __ATOMIC_ACQUIRE);
		struct ttd_ring_rec *h;

		if (head == r->tail)
			return (void *)0;
		h = (struct ttd_ring_rec *)(ring_data(r) +
					    (r->tail & (r->size - 1)));
		if (h->type != TTD_RING_PAD)
			return h;
		__atomic_store_n(&r->tail, r->tail + ring_rec_space(h->len),
				 __ATOMIC_RELEASE);
	}
}

/* Consumer: done with the record ring_peek returned. */
static inline void ring_consume(struct ttd_ring *r, struct ttd_ring_rec *h)
{
	__atomic_store_n(&r->tail, r->tail + ring_rec_space(h->len),
			 __ATOMIC_RELEASE);
	ring_kick(&r->prod_sleeping, &r->tail_seq);
}
#endif /* TTD_RING_FUNCS */

#endif
