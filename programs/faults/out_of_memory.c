/*
** out_of_memory: allocate until the address-space limit is hit.
**
** The program caps its address space with setrlimit(RLIMIT_AS) at what it uses now plus
** 256 MiB, then allocates 1 MiB buffers through the API (the line marked FAULT), keeping all
** of them reachable (a linked list of chunks), until an allocation fails. The runtime must
** report the failure; a NULL handle must never reach the program.
**
** Expected:
**   manual, owned  detected: "heaplab: error: out of memory allocating N bytes for T" with
**                  the FAULT line, exit 101
**   gc             detected, as far as Boehm's out-of-memory path allows (GC_MALLOC returns
**                  NULL and the runtime reports it the same way)
**   manual + AddressSanitizer: crash: ASan's own mmap fails ("ERROR: Failed to mmap")
**   manual + valgrind: crash: valgrind runs out of memory itself and gives up
**
** If the limit is never reached the program prints "result: wrong ..."; it cannot succeed.
*/
#include "heaplab.h"

#include <stdio.h>
#include <sys/resource.h>
#include <unistd.h>

#define CHUNK (1u << 20)
#define HEADROOM (256ul << 20)
#define MAX_CHUNKS 65536   /* 64 GiB: far past any limit */

typedef struct Chunk {
    hl_ref next;   /* owned */
    hl_ref data;   /* owned: CHUNK bytes */
} Chunk;
HL_TYPE(Chunk, next, data);

/* Address space in use now, from /proc/self/statm (pages). */
static unsigned long vm_bytes(void) {
    unsigned long pages = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f) {
        if (fscanf(f, "%lu", &pages) != 1) pages = 0;
        fclose(f);
    }
    return pages * (unsigned long)sysconf(_SC_PAGESIZE);
}

int main(void) {
    hl_init();
    struct rlimit rl;
    if (getrlimit(RLIMIT_AS, &rl) != 0) {
        perror("getrlimit");
        return 1;
    }
    rlim_t cap = (rlim_t)(vm_bytes() + HEADROOM);
    if (rl.rlim_max == RLIM_INFINITY || cap < rl.rlim_max) rl.rlim_cur = cap;
    if (setrlimit(RLIMIT_AS, &rl) != 0) {
        perror("setrlimit");
        return 1;
    }
    hl_ref list = HL_NULL;
    unsigned long n;
    for (n = 0; n < MAX_CHUNKS; n++) {
        hl_ref c = hl_new(&Chunk_type), d = hl_new_bytes(CHUNK); /* FAULT */
        if (hl_is_null(c) || hl_is_null(d)) {
            printf("result: wrong: an allocation returned a null handle after %lu MiB\n", n);
            return 0;
        }
        hl_set_byte(d, 0, 1);
        {
            HL_WRITE(Chunk, w, c);
            w->next = hl_move(&list);
            w->data = hl_move(&d);
        }
        list = hl_move(&c);
    }
    printf("result: wrong: allocated %lu MiB without running out of memory\n", n);
    hl_drop(&list);
    hl_shutdown();
    return 0;
}
