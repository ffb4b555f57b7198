/*
** fifo_queue: a producer/consumer message queue.
**
** Models a server's inbound queue or a channel between pipeline stages: a producer appends
** messages in bursts, a consumer takes them from the front in bursts, and the two run at
** rates that alternate (fill phases, where the producer is faster and the queue grows to tens
** of thousands of messages, and drain phases, where it shrinks again). The queue is a ring
** buffer (a refs buffer that owns its messages) that doubles with hl_resize when full and is
** copied into a smaller ring when it falls below a quarter full.
**
** Allocation pattern: FIFO lifetimes (objects die in the order they were born, the order
** malloc's free lists like least and a copying nursery likes least too), two allocations
** per message (a small header object and a bytes payload of 9..1024 bytes drawn from a power
** law, most of them small), and occasional large ring buffers.
**
** Every consumed message is checked (sequence number, payload contents) and hashed into the
** checksum.
**
** Regions: not LIFO. Messages die in the order they were born, so no stretch of the run ends
** with everything born in it dead: even when the queue runs empty, the ring it grew or shrank
** into meanwhile is alive. The whole run is one region, ended after the ring is dropped; the
** region runtime reclaims nothing before that, so its peak RSS is every byte the run
** allocates. No stack objects: the Queue is a plain struct on main's stack, its ring and
** messages are heap objects.
**
** Size argument: the number of messages sent through the queue (default 2200000).
*/
#include "heaplab.h"
#include "hl_prog.h"
#include "hlp_util.h"

#include <stdio.h>

typedef struct Msg {
    hl_ref   payload;   /* owned bytes buffer */
    uint64_t seq;       /* position in the stream */
    uint32_t len;       /* payload length */
    uint32_t tag;       /* first payload byte, a cheap integrity check */
} Msg;
HL_TYPE(Msg, payload);

enum { MIN_RING = 16 };

/* A ring of owned message handles: elements head .. head+count-1 (mod capacity) are live. */
typedef struct Queue {
    hl_ref ring;   /* owned refs buffer of cap elements, cap a power of two */
    size_t cap, head, count;
} Queue;

/* Move the live elements, in order, into a fresh ring of capacity cap (cap >= count). */
static void q_rebuild(Queue *q, size_t cap) {
    size_t old_cap = q->cap;
    hl_ref ring = hl_new_refs(cap);
    {
        HL_WRITE_SLICE(hl_ref, dst, ring);
        HL_WRITE_SLICE(hl_ref, src, q->ring);
        for (size_t i = 0; i < q->count; i++) HL_AT(dst, i) = hl_move(&HL_AT(src, (q->head + i) & (old_cap - 1)));
    }
    hl_drop(&q->ring);   /* every element was moved out: frees just the buffer */
    q->ring = hl_move(&ring);
    q->cap = cap;
    q->head = 0;
}

static void q_push(Queue *q, hl_ref *msg) {
    size_t cap = q->cap;
    if (q->count == cap) {
        /* Grow in place: double, then move the wrapped-around prefix behind the old end so
           that the live elements are contiguous from head again. */
        hl_resize(&q->ring, 2 * cap);
        HL_WRITE_SLICE(hl_ref, ring, q->ring);
        for (size_t i = 0; i < q->head; i++) HL_AT(ring, cap + i) = hl_move(&HL_AT(ring, i));
        q->cap = cap *= 2;
    }
    *hl_slot(q->ring, (q->head + q->count) & (cap - 1)) = hl_move(msg);
    q->count++;
}

static hl_ref q_pop(Queue *q) {
    size_t cap = q->cap;
    hl_ref m = hl_move(hl_slot(q->ring, q->head));
    q->head = (q->head + 1) & (cap - 1);
    q->count--;
    if (cap > MIN_RING && q->count < cap / 4) q_rebuild(q, cap / 2);
    return m;
}

static uint8_t payload_byte(uint64_t seq, size_t i) { return (uint8_t)(seq * 131 + i * 7 + (i >> 3)); }

static hl_ref make_msg(uint64_t seq, uint32_t len) {
    hl_ref payload = hl_new_bytes_uninit(len);   /* filled below */
    {
        HL_WRITE_SLICE(uint8_t, b, payload);
        for (size_t i = 0; i < b.len; i++) HL_AT(b, i) = payload_byte(seq, i);
    }
    hl_ref m = hl_new(&Msg_type);
    HL_WRITE(Msg, w, m);
    w->payload = hl_move(&payload);
    w->seq = seq;
    w->len = len;
    w->tag = payload_byte(seq, 0);
    return m;
}

/* Check and hash one message; returns false when it is not the one expected. */
static bool consume(hl_ref m, uint64_t expect_seq, uint64_t *sum) {
    HL_READ(Msg, r, m);
    if (r->seq != expect_seq || hl_len(r->payload) != r->len) return false;
    HL_READ_SLICE(uint8_t, b, r->payload);
    if (HL_AT(b, 0) != r->tag || HL_AT(b, r->len - 1) != payload_byte(r->seq, r->len - 1)) return false;
    *sum = hlp_mix(*sum, hlp_hash_bytes(HL_RANGE(b, 0, r->len), r->len) ^ r->seq);
    return true;
}

int main(int argc, char **argv) {
    static const hlp_spec spec = {"fifo_queue", "producer/consumer message queue: FIFO lifetimes",
                                  "number of messages", 2200000, 1, 1000000000};
    uint64_t n = (uint64_t)hlp_size_arg(&spec, argc, argv);
    hl_init();
    hl_region run = hl_region_begin();
    hlp_rng rng;
    hlp_rng_seed(&rng, 0xf1f0);
    uint64_t sum = HLP_CHECK_INIT, produced = 0, consumed = 0, max_depth = 0, rounds = 0;
    Queue q = {hl_new_refs(MIN_RING), MIN_RING, 0, 0};
    bool fill = true;
    uint64_t phase_left = 0;
    int status = 0;
    while (consumed < n) {
        if (phase_left == 0) {
            fill = !fill;
            phase_left = 256 + hlp_rng_below(&rng, 2048);
        }
        phase_left--;
        rounds++;
        uint64_t p = hlp_rng_below(&rng, fill ? 48 : 16), c = hlp_rng_below(&rng, fill ? 16 : 48);
        for (uint64_t i = 0; i < p && produced < n; i++) {
            hl_ref m = make_msg(produced, (uint32_t)(8 + hlp_rng_pow(&rng, 1016)));
            produced++;
            q_push(&q, &m);
        }
        if (q.count > max_depth) max_depth = q.count;
        if (produced == n) c = q.count;   /* the producer is done: drain */
        for (uint64_t i = 0; i < c && q.count > 0; i++) {
            hl_ref m = q_pop(&q);
            bool ok = consume(m, consumed, &sum);
            hl_drop(&m);
            if (!ok) {
                fprintf(stderr, "fifo_queue: error: message %llu out of order or corrupt\n",
                        (unsigned long long)consumed);
                status = 1;
                goto out;
            }
            consumed++;
        }
    }
    sum = hlp_mix(sum, max_depth);
    sum = hlp_mix(sum, rounds);
    printf("messages %llu, rounds %llu, max depth %llu\n", (unsigned long long)consumed,
           (unsigned long long)rounds, (unsigned long long)max_depth);
out:
    hl_drop(&q.ring);
    hl_region_end(run);
    if (status == 0) hlp_print_checksum(&spec, (long long)n, sum);
    return hl_shutdown() == 0 ? status : 1;
}
