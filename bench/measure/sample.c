/*
** bench/measure/sample.c: one measured run (see sample.h).
*/
#define _GNU_SOURCE
#include "measure/sample.h"
#include "report/json.h"
#include "util/util.h"

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *tmpdir_path;

static void remove_tmpdir(void) {
    if (!tmpdir_path) return;
    DIR *d = opendir(tmpdir_path);
    for (struct dirent *e; d && (e = readdir(d));) {
        if (e->d_name[0] == '.') continue;
        char *p = hlb_fmt("%s/%s", tmpdir_path, e->d_name);
        unlink(p);
        free(p);
    }
    if (d) closedir(d);
    rmdir(tmpdir_path);
    free(tmpdir_path);
    tmpdir_path = NULL;
}

const char *hlb_tmpdir(void) {
    if (tmpdir_path) return tmpdir_path;
    const char *base = getenv("TMPDIR");
    char *tmpl = hlb_fmt("%s/heaplab.XXXXXX", base && *base ? base : "/tmp");
    if (!mkdtemp(tmpl)) {
        free(tmpl);
        return "/tmp";
    }
    tmpdir_path = tmpl;
    atexit(remove_tmpdir);
    return tmpdir_path;
}

int hlb_parse_checksum(const char *out, const char *prog, long long *size, char *hex, size_t hexlen) {
    size_t n = strlen(out);
    while (n && (out[n - 1] == '\n' || out[n - 1] == '\r' || out[n - 1] == ' ')) n--;
    size_t start = n;
    while (start && out[start - 1] != '\n') start--;
    char line[512];
    size_t len = n - start;
    if (len == 0 || len >= sizeof line) return -1;
    memcpy(line, out + start, len);
    line[len] = 0;
    char name[256], h[64];
    long long sz;
    if (sscanf(line, "%255s size=%lld checksum=%63[0-9a-fA-F]", name, &sz, h) != 3) return -1;
    if (strcmp(name, prog)) return -1;
    *size = sz;
    snprintf(hex, hexlen, "%s", h);
    return 0;
}

static uint64_t u64(const hlb_json *j, const char *key, int *ok) {
    double d = hlb_json_num(j, key);
    if (isnan(d) || d < 0) {
        *ok = 0;
        return 0;
    }
    return (uint64_t)d;
}

int hlb_read_rtstats(const char *path, hlb_rtstats *st) {
    memset(st, 0, sizeof *st);
    hlb_json *j = hlb_json_parse_file(path, NULL, 0);
    if (!j) return -1;
    int ok = j->kind == HLB_JOBJ;
    const char *rt = hlb_json_str(j, "runtime");
    snprintf(st->runtime, sizeof st->runtime, "%s", rt ? rt : "");
    st->allocations = u64(j, "allocations", &ok);
    st->frees = u64(j, "frees", &ok);
    st->bytes_allocated = u64(j, "bytes_allocated", &ok);
    st->live_objects = u64(j, "live_objects", &ok);
    st->peak_live_bytes = u64(j, "peak_live_bytes", &ok);
    st->collections = u64(j, "collections", &ok);
    st->gc_heap_bytes = u64(j, "gc_heap_bytes", &ok);
    hlb_json_free(j);
    st->have = ok;
    return ok ? 0 : -1;
}

/* Does the run's stderr say it ran out of memory (heaplab's runtimes, Boehm, a peer)? */
static int out_of_memory(const char *err) {
    return strcasestr(err, "out of memory") != NULL;
}

void hlb_sample_run(const hlb_variant *v, const char *prog, const char *arg, char *const extra_env[], int want_stats,
                    double timeout_s, hlb_sample *s, hlb_proc_result *keep) {
    static unsigned seq;
    memset(s, 0, sizeof *s);
    s->size = -1;
    char *bin = hlb_variant_binary(v, prog);
    char *stats = hlb_fmt("%s/stats-%u.json", hlb_tmpdir(), seq++);
    unlink(stats);
    char *env[2 * HLB_MAX_ENV + 3];
    size_t ne = 0;
    for (int i = 0; i < HLB_MAX_ENV && v->env[i]; i++) env[ne++] = v->env[i];
    for (size_t i = 0; extra_env && extra_env[i] && ne < 2 * HLB_MAX_ENV; i++) env[ne++] = extra_env[i];
    char *stats_kv = hlb_fmt("HEAPLAB_STATS=%s", stats);
    if (want_stats) env[ne++] = stats_kv;
    env[ne] = NULL;
    char *argv[3] = {bin, arg && *arg ? (char *)arg : NULL, NULL};

    hlb_proc_result r;
    memset(&r, 0, sizeof r);
    if (!hlb_is_executable(bin)) {
        s->status = HLB_FAILED;
        snprintf(s->reason, sizeof s->reason, "not built: %s missing (run make)", bin);
    } else {
        hlb_proc_run(argv, env, timeout_s, &r);
        s->wall_s = r.wall_s;
        s->cpu_s = r.cpu_s;
        s->rss_kib = r.maxrss_kib;
        if (r.end == HLB_PROC_INTERRUPTED) {
            s->status = HLB_INTERRUPTED;
            snprintf(s->reason, sizeof s->reason, "interrupted");
        } else if (r.end == HLB_PROC_TIMEOUT) {
            s->status = HLB_TIMEOUT;
            snprintf(s->reason, sizeof s->reason, "no exit within %g s", timeout_s);
        } else if (r.end != HLB_PROC_EXITED || r.code != 0) {
            s->status = out_of_memory(r.err) ? HLB_OOM : HLB_FAILED;
            hlb_proc_describe(&r, s->reason, sizeof s->reason);
        } else if (hlb_parse_checksum(r.out, prog, &s->size, s->checksum, sizeof s->checksum) != 0) {
            s->status = HLB_FAILED;
            snprintf(s->reason, sizeof s->reason, "no checksum line ('%s size=N checksum=HEX') at the end of stdout",
                     prog);
        } else {
            s->status = HLB_OK;
            if (want_stats) hlb_read_rtstats(stats, &s->stats);
        }
    }
    if (keep) *keep = r;
    else hlb_proc_result_free(&r);
    unlink(stats);
    free(stats_kv);
    free(stats);
    free(bin);
}
