/*
** bench/commands/safety.c: `heaplab safety` (see safety.h and --help).
*/
#define _GNU_SOURCE
#include "commands/safety.h"

#include "analyze/classify.h"
#include "analyze/expect.h"
#include "run/safety_run.h"

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_FAULTS 256

static const char *const asan_env[] = {
    "ASAN_OPTIONS=detect_stack_use_after_return=1:detect_leaks=1",
    "UBSAN_OPTIONS=print_stacktrace=1",
    NULL,
};

typedef struct column {
    const char *name;              /* JSON "runtime" and the table header */
    const char *alias;             /* also accepted by --runtime */
    const char *dir;               /* binaries in <build>/<dir>/faults/ */
    bool        valgrind;          /* run under valgrind memcheck */
    const char *const *env;
} column;

static const column all_columns[] = {
    {"manual", NULL, "manual", false, NULL},
    {"gc", NULL, "gc", false, NULL},
    {"owned", NULL, "owned", false, NULL},
    {"manual+asan", "asan", "asan", false, asan_env},
    {"manual+valgrind", "valgrind", "manual", true, NULL},
};
#define NCOLUMNS (sizeof all_columns / sizeof *all_columns)

typedef struct cell {
    bool       missing;   /* no binary */
    hl_job     job;
    hl_verdict verdict;
    const char *argv[12];
    char       path[4096];
} cell;

typedef struct options {
    const char *build, *json, *out;
    bool verbose;
    double timeout_s;
    int jobs;
    const char *faults[MAX_FAULTS];
    size_t nfaults;
    bool want_column[NCOLUMNS];
    bool any_column;
} options;

static const char *prog = "heaplab safety";

static void usage(FILE *f) {
    fprintf(f,
            "usage: heaplab safety [options]\n"
            "\n"
            "Run every fault program (programs/faults/) on every runtime and classify what\n"
            "happened: detected, prevented, crash, silent or leak reported. Prints a Markdown\n"
            "matrix with a one-line legend on stdout.\n"
            "\n"
            "Columns: manual, gc, owned, manual+asan (AddressSanitizer + UBSan, binaries in\n"
            "BUILD/asan/faults/), manual+valgrind (memcheck, when valgrind is installed).\n"
            "\n"
            "options:\n"
            "  --json FILE      also write the results as JSON:\n"
            "                   {\"results\": [{\"fault\", \"runtime\", \"outcome\", \"exit_status\",\n"
            "                   \"signal\", \"evidence\"}]}; exit_status is null when a signal\n"
            "                   ended the run, signal is its number or null\n"
            "  --out DIR        write DIR/safety.json and DIR/safety.md\n"
            "  --verbose        also print each cell's first diagnostic line (its evidence)\n"
            "  --build DIR      where the binaries are (default: ./build, else the directory\n"
            "                   this program is in)\n"
            "  --timeout SECS   per run (default: 10)\n"
            "  --jobs N         runs at once (default: the number of CPUs)\n"
            "  --fault NAME     only this fault (repeatable)\n"
            "  --runtime NAME   only this column (repeatable): manual, gc, owned, asan, valgrind\n"
            "  --help           this text\n"
            "\n"
            "exit status: 0 when the matrix was produced, 1 when nothing could be run, 2 on bad\n"
            "arguments.\n");
}

static int bad(const char *fmt, const char *arg) {
    fprintf(stderr, "%s: ", prog);
    fprintf(stderr, fmt, arg);
    fprintf(stderr, " (see --help)\n");
    return 2;
}

static int column_index(const char *name) {
    for (size_t i = 0; i < NCOLUMNS; i++)
        if (strcmp(name, all_columns[i].name) == 0 ||
            (all_columns[i].alias && strcmp(name, all_columns[i].alias) == 0))
            return (int)i;
    return -1;
}

/* Parse options; returns -1 to go on, else an exit status. */
/* The default build directory: ./build, else the directory this program is in (build/heaplab
** and build/heaplab-safety live there), so that it also works from another directory. */
static const char *default_build(void) {
    static char dir[1024];
    struct stat st;
    if (stat("build", &st) == 0 && S_ISDIR(st.st_mode)) return "build";
    ssize_t n = readlink("/proc/self/exe", dir, sizeof dir - 32);
    if (n <= 0) return "build";
    dir[n] = '\0';
    char *slash = strrchr(dir, '/');
    if (!slash) return "build";
    *slash = '\0';
    char probe[4200];
    snprintf(probe, sizeof probe, "%s/manual/faults", dir);
    return stat(probe, &st) == 0 ? dir : "build";
}

static int parse(int argc, char **argv, options *o) {
    o->build = default_build();
    o->timeout_s = 10;
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    o->jobs = cpus > 0 ? (int)(cpus > 16 ? 16 : cpus) : 2;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = NULL;
        bool takes = strcmp(a, "--json") == 0 || strcmp(a, "--out") == 0 || strcmp(a, "--build") == 0 ||
                     strcmp(a, "--timeout") == 0 || strcmp(a, "--jobs") == 0 || strcmp(a, "--fault") == 0 ||
                     strcmp(a, "--runtime") == 0;
        if (takes) {
            if (i + 1 >= argc || argv[i + 1][0] == '\0') return bad("%s needs a value", a);
            val = argv[++i];
        }
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(a, "--verbose") == 0 || strcmp(a, "-v") == 0) {
            o->verbose = true;
        } else if (strcmp(a, "--json") == 0) {
            o->json = val;
        } else if (strcmp(a, "--out") == 0) {
            o->out = val;
        } else if (strcmp(a, "--build") == 0) {
            o->build = val;
        } else if (strcmp(a, "--timeout") == 0) {
            char *end;
            errno = 0;
            double t = strtod(val, &end);
            if (errno || *end || !(t > 0) || t > 3600) return bad("--timeout wants seconds in (0, 3600], not '%s'", val);
            o->timeout_s = t;
        } else if (strcmp(a, "--jobs") == 0) {
            char *end;
            errno = 0;
            long j = strtol(val, &end, 10);
            if (errno || *end || j < 1 || j > 256) return bad("--jobs wants a number in 1..256, not '%s'", val);
            o->jobs = (int)j;
        } else if (strcmp(a, "--fault") == 0) {
            if (o->nfaults == MAX_FAULTS) return bad("too many --fault options%s", "");
            if (strchr(val, '/') || val[0] == '.') return bad("not a fault name: '%s'", val);
            o->faults[o->nfaults++] = val;
        } else if (strcmp(a, "--runtime") == 0) {
            int c = column_index(val);
            if (c < 0) return bad("unknown runtime '%s' (manual, gc, owned, asan, valgrind)", val);
            o->want_column[c] = true;
            o->any_column = true;
        } else {
            return bad(a[0] == '-' ? "unknown option '%s'" : "unexpected argument '%s'", a);
        }
    }
    if (!o->any_column)
        for (size_t i = 0; i < NCOLUMNS; i++) o->want_column[i] = true;
    return -1;
}

/* ---- fault discovery ---------------------------------------------------------------------- */

typedef struct fault_list {
    char  *names[MAX_FAULTS];
    size_t n;
} fault_list;

static bool list_has(const fault_list *l, const char *name) {
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->names[i], name) == 0) return true;
    return false;
}

static void list_add(fault_list *l, const char *name) {
    if (l->n < MAX_FAULTS && !list_has(l, name)) l->names[l->n++] = strdup(name);
}

/* Names of regular files in dir (with suffix stripped, if given and present; else skipped). */
static void scan_dir(const char *dir, const char *suffix, fault_list *found) {
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        char name[256];
        snprintf(name, sizeof name, "%s", e->d_name);
        if (suffix) {
            size_t n = strlen(name), s = strlen(suffix);
            if (n <= s || strcmp(name + n - s, suffix) != 0) continue;
            name[n - s] = '\0';
        }
        list_add(found, name);
    }
    closedir(d);
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* The order first (the expectations table), then any other fault, alphabetically. */
static void discover(const options *o, fault_list *faults) {
    if (o->nfaults) {
        for (size_t i = 0; i < o->nfaults; i++) list_add(faults, o->faults[i]);
        return;
    }
    fault_list found = {0};
    char dir[4096];
    for (size_t c = 0; c < NCOLUMNS; c++) {
        snprintf(dir, sizeof dir, "%s/%s/faults", o->build, all_columns[c].dir);
        scan_dir(dir, NULL, &found);
    }
    scan_dir("programs/faults", ".c", &found);
    for (size_t i = 0; i < hl_fault_expects_len; i++)
        if (list_has(&found, hl_fault_expects[i].fault)) list_add(faults, hl_fault_expects[i].fault);
    qsort(found.names, found.n, sizeof *found.names, cmp_str);
    for (size_t i = 0; i < found.n; i++) {
        list_add(faults, found.names[i]);
        free(found.names[i]);
    }
}

/* ---- valgrind ------------------------------------------------------------------------------ */

static bool in_path(const char *cmd) {
    const char *path = getenv("PATH");
    if (!path) path = "/usr/bin:/bin";
    char buf[4096];
    for (const char *p = path; *p;) {
        const char *colon = strchr(p, ':');
        size_t n = colon ? (size_t)(colon - p) : strlen(p);
        snprintf(buf, sizeof buf, "%.*s/%s", (int)n, n ? p : ".", cmd);
        if (access(buf, X_OK) == 0) return true;
        if (!colon) break;
        p = colon + 1;
    }
    return false;
}

/* ---- output -------------------------------------------------------------------------------- */

static const char legend[] =
    "Legend: **detected** a diagnostic names the bug and where, non-zero exit · **prevented** the "
    "bug cannot happen, the result is right · **crash** killed by a signal, aborted or timed out, without "
    "naming the bug · **silent** exit 0, no diagnostic, wrong result or memory lost · **leak "
    "reported** the lost memory is reported.";

static void print_markdown(FILE *f, const fault_list *faults, const int *cols, size_t ncols, cell *cells,
                           const char *notices) {
    fprintf(f, "| fault |");
    for (size_t c = 0; c < ncols; c++) fprintf(f, " %s |", all_columns[cols[c]].name);
    fprintf(f, "\n| --- |");
    for (size_t c = 0; c < ncols; c++) fprintf(f, " --- |");
    fprintf(f, "\n");
    for (size_t i = 0; i < faults->n; i++) {
        fprintf(f, "| `%s` |", faults->names[i]);
        for (size_t c = 0; c < ncols; c++) {
            cell *x = &cells[i * ncols + c];
            fprintf(f, " %s |", x->missing ? "not built" : hl_outcome_name(x->verdict.outcome));
        }
        fprintf(f, "\n");
    }
    fprintf(f, "\n%s\n", legend);
    if (notices && *notices) fprintf(f, "\n%s", notices);
}

static void print_evidence(FILE *f, const fault_list *faults, const int *cols, size_t ncols, cell *cells) {
    fprintf(f, "\nEvidence (first diagnostic line of each cell):\n\n");
    for (size_t i = 0; i < faults->n; i++)
        for (size_t c = 0; c < ncols; c++) {
            cell *x = &cells[i * ncols + c];
            if (x->missing)
                fprintf(f, "- %s / %s: not built\n", faults->names[i], all_columns[cols[c]].name);
            else
                fprintf(f, "- %s / %s: %s: %s\n", faults->names[i], all_columns[cols[c]].name,
                        hl_outcome_name(x->verdict.outcome), x->verdict.evidence);
        }
}

static void json_str(FILE *f, const char *s) {
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(f, "\\%c", *p);
        else if (*p == '\n')
            fputs("\\n", f);
        else if (*p == '\t')
            fputs("\\t", f);
        else if (*p < 0x20 || *p == 0x7f)
            fprintf(f, "\\u%04x", *p);
        else
            fputc(*p, f);
    }
    fputc('"', f);
}

static int write_json(const char *path, const fault_list *faults, const int *cols, size_t ncols, cell *cells) {
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "%s: cannot write %s: %s\n", prog, path, strerror(errno));
        return -1;
    }
    fprintf(f, "{\"results\": [");
    bool first = true;
    for (size_t i = 0; i < faults->n; i++)
        for (size_t c = 0; c < ncols; c++) {
            cell *x = &cells[i * ncols + c];
            if (x->missing) continue;
            const hl_run_obs *r = &x->job.obs;
            fprintf(f, "%s\n  {\"fault\": ", first ? "" : ",");
            first = false;
            json_str(f, faults->names[i]);
            fprintf(f, ", \"runtime\": ");
            json_str(f, all_columns[cols[c]].name);
            fprintf(f, ", \"outcome\": ");
            json_str(f, hl_outcome_name(x->verdict.outcome));
            if (r->signal || r->timed_out)
                fprintf(f, ", \"exit_status\": null");
            else
                fprintf(f, ", \"exit_status\": %d", r->exit_status);
            if (r->signal)
                fprintf(f, ", \"signal\": %d", r->signal);
            else
                fprintf(f, ", \"signal\": null");
            fprintf(f, ", \"evidence\": ");
            json_str(f, x->verdict.evidence);
            fprintf(f, "}");
        }
    fprintf(f, "\n]}\n");
    if (fclose(f) != 0) {
        fprintf(stderr, "%s: cannot write %s: %s\n", prog, path, strerror(errno));
        return -1;
    }
    return 0;
}

/* ---- main ---------------------------------------------------------------------------------- */

int hl_safety_main(int argc, char **argv) {
    options o = {0};
    int st = parse(argc, argv, &o);
    if (st >= 0) return st;

    char notices[4096] = "";
    size_t nl = 0;
#define NOTICE(...)                                                                               \
    do {                                                                                          \
        if (nl < sizeof notices) nl += (size_t)snprintf(notices + nl, sizeof notices - nl, __VA_ARGS__); \
    } while (0)

    int cols[NCOLUMNS];
    size_t ncols = 0;
    bool have_valgrind = in_path("valgrind");
    for (size_t c = 0; c < NCOLUMNS; c++) {
        if (!o.want_column[c]) continue;
        if (all_columns[c].valgrind && !have_valgrind) {
            NOTICE("Notice: valgrind is not installed, so the manual+valgrind column is left out "
                   "(apt-get install valgrind).\n");
            fprintf(stderr, "%s: notice: valgrind is not installed; the manual+valgrind column is left out\n", prog);
            continue;
        }
        cols[ncols++] = (int)c;
    }
    fault_list faults = {0};
    discover(&o, &faults);
    if (faults.n == 0 || ncols == 0) {
        fprintf(stderr, "%s: no fault programs found under %s/*/faults/ (run make first)\n", prog, o.build);
        return 1;
    }

    size_t ncells = faults.n * ncols;
    cell *cells = calloc(ncells, sizeof *cells);
    hl_job *jobs = calloc(ncells, sizeof *jobs);
    size_t *job_cell = calloc(ncells, sizeof *job_cell);
    if (!cells || !jobs || !job_cell) {
        fprintf(stderr, "%s: out of memory\n", prog);
        return 1;
    }
    size_t njobs = 0, missing = 0;
    for (size_t i = 0; i < faults.n; i++)
        for (size_t c = 0; c < ncols; c++) {
            const column *col = &all_columns[cols[c]];
            cell *x = &cells[i * ncols + c];
            snprintf(x->path, sizeof x->path, "%s/%s/faults/%s", o.build, col->dir, faults.names[i]);
            if (access(x->path, X_OK) != 0) {
                x->missing = true;
                missing++;
                continue;
            }
            size_t k = 0;
            if (col->valgrind) {
                x->argv[k++] = "valgrind";
                x->argv[k++] = "-q";
                x->argv[k++] = "--error-exitcode=99";
                x->argv[k++] = "--leak-check=full";
            }
            x->argv[k++] = x->path;
            x->argv[k] = NULL;
            hl_job *j = &jobs[njobs];
            j->argv = x->argv;
            j->env = col->env;
            j->timeout_s = o.timeout_s;
            job_cell[njobs++] = i * ncols + c;
        }
    if (missing)
        NOTICE("Notice: %zu of %zu cells are not built (make all; for the manual+asan column: make "
               "safety).\n",
               missing, ncells);
    if (njobs == 0) {
        fprintf(stderr, "%s: none of the fault binaries is built under %s/ (run make)\n", prog, o.build);
        return 1;
    }
    fprintf(stderr, "%s: %zu runs (%zu faults x %zu columns), %d at a time...\n", prog, njobs, faults.n, ncols, o.jobs);
    if (hl_run_jobs(jobs, njobs, o.jobs) != 0) fprintf(stderr, "%s: warning: some runs could not be started\n", prog);
    for (size_t n = 0; n < njobs; n++) {
        cell *x = &cells[job_cell[n]];
        x->job = jobs[n];
        x->verdict = hl_classify(&x->job.obs);
    }
    /* The owned column against the expectations table. */
    for (size_t c = 0; c < ncols; c++) {
        if (strcmp(all_columns[cols[c]].name, "owned") != 0) continue;
        for (size_t i = 0; i < faults.n; i++) {
            cell *x = &cells[i * ncols + c];
            const hl_fault_expect *e = hl_fault_expect_find(faults.names[i]);
            if (x->missing) continue;
            if (!e)
                NOTICE("Notice: `%s` has no expected owned outcome (bench/safety_expect.c).\n", faults.names[i]);
            else if (e->owned != x->verdict.outcome)
                NOTICE("Notice: owned is %s on `%s`, expected %s.\n", hl_outcome_name(x->verdict.outcome),
                       faults.names[i], hl_outcome_name(e->owned));
        }
    }

    print_markdown(stdout, &faults, cols, ncols, cells, notices);
    if (o.verbose) print_evidence(stdout, &faults, cols, ncols, cells);
    fflush(stdout);

    int rc = 0;
    if (o.json && write_json(o.json, &faults, cols, ncols, cells) != 0) rc = 1;
    if (o.out) {
        char path[4096];
        if (mkdir(o.out, 0777) != 0 && errno != EEXIST) {
            fprintf(stderr, "%s: cannot create %s: %s\n", prog, o.out, strerror(errno));
            rc = 1;
        } else {
            snprintf(path, sizeof path, "%s/safety.json", o.out);
            if (write_json(path, &faults, cols, ncols, cells) != 0) rc = 1;
            snprintf(path, sizeof path, "%s/safety.md", o.out);
            FILE *f = fopen(path, "w");
            if (!f) {
                fprintf(stderr, "%s: cannot write %s: %s\n", prog, path, strerror(errno));
                rc = 1;
            } else {
                print_markdown(f, &faults, cols, ncols, cells, notices);
                print_evidence(f, &faults, cols, ncols, cells);
                if (fclose(f) != 0) rc = 1;
            }
        }
    }
    for (size_t n = 0; n < ncells; n++) hl_job_free(&cells[n].job);
    for (size_t i = 0; i < faults.n; i++) free(faults.names[i]);
    free(cells);
    free(jobs);
    free(job_cell);
    return rc;
}
