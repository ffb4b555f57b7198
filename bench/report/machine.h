/*
** bench/report/machine.h: a description of the machine a bench ran on (CPU model, cores, memory,
** kernel, date), for the "machine" object of the JSON output and the Markdown header.
*/
#ifndef HLB_MACHINE_H
#define HLB_MACHINE_H

#include <stdio.h>

typedef struct hlb_machine {
    char cpu[128];
    int cores;
    long mem_mib;
    char kernel[256];
    char date[32];       /* UTC, ISO 8601 */
    char host[80];
} hlb_machine;

void hlb_machine_get(hlb_machine *m);
/* One JSON object (no trailing newline). */
void hlb_machine_write_json(FILE *f, const hlb_machine *m);
/* "<cpu>, N cores, M GiB RAM, Linux <release>" */
void hlb_machine_line(const hlb_machine *m, char *buf, size_t len);

#endif
