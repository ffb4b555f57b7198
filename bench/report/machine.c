/*
** bench/report/machine.c: describe the machine (see machine.h).
*/
#define _GNU_SOURCE
#include "report/machine.h"
#include "report/json.h"

#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

void hlb_machine_get(hlb_machine *m) {
    memset(m, 0, sizeof *m);
    snprintf(m->cpu, sizeof m->cpu, "unknown CPU");
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (f) {
        char line[512];
        while (fgets(line, sizeof line, f)) {
            if (!strncmp(line, "model name", 10)) {
                char *c = strchr(line, ':');
                if (c) {
                    c++;
                    while (*c == ' ') c++;
                    c[strcspn(c, "\n")] = 0;
                    snprintf(m->cpu, sizeof m->cpu, "%s", c);
                }
                break;
            }
        }
        fclose(f);
    }
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    m->cores = n > 0 ? (int)n : 1;
    long pages = sysconf(_SC_PHYS_PAGES), psize = sysconf(_SC_PAGESIZE);
    m->mem_mib = pages > 0 && psize > 0 ? (long)((double)pages * (double)psize / 1048576.0) : 0;
    struct utsname u;
    if (uname(&u) == 0) {
        snprintf(m->kernel, sizeof m->kernel, "%s %s %s", u.sysname, u.release, u.machine);
        snprintf(m->host, sizeof m->host, "%s", u.nodename);
    }
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(m->date, sizeof m->date, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void hlb_machine_write_json(FILE *f, const hlb_machine *m) {
    fputs("{\"cpu\": ", f);
    hlb_json_write_str(f, m->cpu);
    fprintf(f, ", \"cores\": %d, \"mem_mib\": %ld, \"kernel\": ", m->cores, m->mem_mib);
    hlb_json_write_str(f, m->kernel);
    fputs(", \"date\": ", f);
    hlb_json_write_str(f, m->date);
    fputs("}", f);
}

void hlb_machine_line(const hlb_machine *m, char *buf, size_t len) {
    snprintf(buf, len, "%s, %d cores, %.1f GiB RAM, %s", m->cpu, m->cores, (double)m->mem_mib / 1024.0, m->kernel);
}
