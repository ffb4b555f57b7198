/*
** hl_free_probe.h: counts the blocks the process hands to free(), seen from outside the runtime.
**
** manual keeps no object counts in a run without statistics (a timed run pays for none, as a C
** program does), so hl_get_stats cannot check its drop paths for such runs. A suite checks them
** with this probe instead: the number of blocks freed while a drop ran (manual frees one block
** an object). The probe is the process's own free(), which counts and calls glibc's. Where
** something else owns free() it sees nothing, and hl_free_probe_works says so: under
** AddressSanitizer (whose free hooks would also count the blocks realloc moves, the drop
** worklist's among them) and under valgrind. Those builds run the same tests with the plain
** build's count checks left out; their own leak checks stand in.
**
** Every block freed counts, Criterion's own included, so a check takes the difference of two
** readings around the calls it tests.
*/
#ifndef HL_FREE_PROBE_H
#define HL_FREE_PROBE_H

#include <stdbool.h>
#include <stdint.h>

/* Blocks freed since the process started (free(NULL) does not count). */
uint64_t hl_free_probe_count(void);

/* Whether the count sees this process's frees. */
bool hl_free_probe_works(void);

#endif
