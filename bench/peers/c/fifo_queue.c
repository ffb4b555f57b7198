/*
** bench/peers/c/fifo_queue.c: the plain C peer of programs/fifo_queue.c (a producer/consumer
** message queue with FIFO lifetimes), written as a C programmer would write it without heaplab.
**
** Idioms: a message is a typed struct that owns a raw pointer to its payload bytes (length kept
** in the struct); both come from peer.h, the struct with peer_new (it holds a pointer; every
** field is set at once), the payload with peer_alloc_raw (pointer-free, filled before it is
** read). The queue is a ring buffer of message pointers in a struct on main's stack, malloc'd
** with peer_new (only the live slots are ever read): it doubles with peer_realloc when full and
** is copied into a fresh ring half its size when it falls below a quarter full. msg_free frees
** a message and its payload as soon as the consumer has checked it. A ring slot is set to NULL
** when its message leaves it (popped, or moved by a grow), so the c+gc build keeps no consumed
** message reachable (the API program's moves leave the same empty slots).
**
** Size argument: the number of messages sent through the queue (default 2200000), as
** programs/fifo_queue.c.
*/
#include "hl_prog.h"
#include "hlp_util.h"
#include "peer.h"

#include <stdbool.h>
#include <stdio.h>

typedef struct Msg {
    uint8_t *payload;   /* owned, len bytes */
    uint64_t seq;       /* position in the stream */
    uint32_t len;       /* payload length */
    uint32_t tag;       /* first payload byte, a cheap integrity check */
} Msg;

enum { MIN_RING = 16 };

/* A ring of owned messages: elements head .. head+count-1 (mod cap) are live. */
typedef struct Queue {
    Msg **ring;   /* cap elements, cap a power of two */
    size_t cap, head, count;
} Queue;

static uint8_t payload_byte(uint64_t seq, size_t i) { return (uint8_t)(seq * 131 + i * 7 + (i >> 3)); }

static Msg *msg_new(uint64_t seq, uint32_t len) {
    uint8_t *payload = peer_alloc_raw(len);
    for (size_t i = 0; i < len; i++) payload[i] = payload_byte(seq, i);
    Msg *m = peer_new(sizeof *m);
    *m = (Msg){.payload = payload, .seq = seq, .len = len, .tag = payload_byte(seq, 0)};
    return m;
}

static void msg_free(Msg *m) {
    peer_free(m->payload);
    peer_free(m);
}

static void q_init(Queue *q) {
    q->ring = peer_new(MIN_RING * sizeof *q->ring);
    q->cap = MIN_RING;
    q->head = q->count = 0;
}

/* Copy the live elements, in order, into a fresh ring of capacity cap (cap >= count). */
static void q_rebuild(Queue *q, size_t cap) {
    Msg **ring = peer_new(cap * sizeof *ring);
    for (size_t i = 0; i < q->count; i++) ring[i] = q->ring[(q->head + i) & (q->cap - 1)];
    peer_free(q->ring);
    q->ring = ring;
    q->cap = cap;
    q->head = 0;
}

/* Double in place, then move the wrapped-around prefix behind the old end so that the live
** elements are contiguous from head again. */
static void q_grow(Queue *q) {
    size_t cap = q->cap;
    q->ring = peer_realloc(q->ring, 2 * cap * sizeof *q->ring);
    memcpy(q->ring + cap, q->ring, q->head * sizeof *q->ring);
    memset(q->ring, 0, q->head * sizeof *q->ring);
    q->cap = 2 * cap;
}

static void q_push(Queue *q, Msg *m) {
    if (q->count == q->cap) q_grow(q);
    q->ring[(q->head + q->count) & (q->cap - 1)] = m;
    q->count++;
}

static Msg *q_pop(Queue *q) {
    Msg *m = q->ring[q->head];
    q->ring[q->head] = NULL;
    q->head = (q->head + 1) & (q->cap - 1);
    q->count--;
    if (q->cap > MIN_RING && q->count < q->cap / 4) q_rebuild(q, q->cap / 2);
    return m;
}

/* Frees the messages still queued (only after an error) and the ring. */
static void q_free(Queue *q) {
    while (q->count > 0) msg_free(q_pop(q));
    peer_free(q->ring);
}

/* Check and hash one message; returns false when it is not the one expected. */
static bool consume(const Msg *m, uint64_t expect_seq, uint64_t *sum) {
    const uint8_t *b = m->payload;
    if (m->seq != expect_seq) return false;
    if (b[0] != m->tag || b[m->len - 1] != payload_byte(m->seq, m->len - 1)) return false;
    *sum = hlp_mix(*sum, hlp_hash_bytes(b, m->len) ^ m->seq);
    return true;
}

int main(int argc, char **argv) {
    static const hlp_spec spec = {"fifo_queue", "producer/consumer message queue: FIFO lifetimes",
                                  "number of messages", 2200000, 1, 1000000000};
    uint64_t n = (uint64_t)hlp_size_arg(&spec, argc, argv);
    peer_init();
    hlp_rng rng;
    hlp_rng_seed(&rng, 0xf1f0);
    uint64_t sum = HLP_CHECK_INIT, produced = 0, consumed = 0, max_depth = 0, rounds = 0;
    Queue q;
    q_init(&q);
    bool fill = true;
    uint64_t phase_left = 0;
    int status = 0;
    while (consumed < n && status == 0) {
        if (phase_left == 0) {
            fill = !fill;
            phase_left = 256 + hlp_rng_below(&rng, 2048);
        }
        phase_left--;
        rounds++;
        uint64_t p = hlp_rng_below(&rng, fill ? 48 : 16), c = hlp_rng_below(&rng, fill ? 16 : 48);
        for (uint64_t i = 0; i < p && produced < n; i++) {
            uint32_t len = (uint32_t)(8 + hlp_rng_pow(&rng, 1016));
            q_push(&q, msg_new(produced, len));
            produced++;
        }
        if (q.count > max_depth) max_depth = q.count;
        if (produced == n) c = q.count;   /* the producer is done: drain */
        for (uint64_t i = 0; i < c && q.count > 0; i++) {
            Msg *m = q_pop(&q);
            bool ok = consume(m, consumed, &sum);
            msg_free(m);
            if (!ok) {
                fprintf(stderr, "fifo_queue: error: message %llu out of order or corrupt\n",
                        (unsigned long long)consumed);
                status = 1;
                break;
            }
            consumed++;
        }
    }
    q_free(&q);
    if (status != 0) return status;
    sum = hlp_mix(sum, max_depth);
    sum = hlp_mix(sum, rounds);
    printf("messages %llu, rounds %llu, max depth %llu\n", (unsigned long long)consumed,
           (unsigned long long)rounds, (unsigned long long)max_depth);
    hlp_print_checksum(&spec, (long long)n, sum);
    return 0;
}
