/*
** tests/bench_provenance.c: the provenance of a results file: every field filled, the commit
** inside and outside a git checkout (dirty only for a changed source, not for results/), missing tools giving "unknown", the command line quoted so
** that a shell gives back the same words, and the JSON object read back unchanged.
*/
#define _GNU_SOURCE
#include "report/json.h"
#include "report/provenance.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef HLB_TEST_ROOT
#define HLB_TEST_ROOT "."
#endif

static char *argv_demo[] = {"heaplab", "bench", "--reps", "5", "--programs", "binary_trees,vec_grow"};
#define ARGC_DEMO ((int)(sizeof argv_demo / sizeof argv_demo[0]))

static void assert_iso_utc(const char *t) {
    int y, mo, d, h, mi, s;
    char z;
    cr_assert_eq(strlen(t), 20, "not ISO 8601 UTC: '%s'", t);
    cr_assert_eq(sscanf(t, "%4d-%2d-%2dT%2d:%2d:%2d%c", &y, &mo, &d, &h, &mi, &s, &z), 7, "'%s'", t);
    cr_assert(y >= 2000 && mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h < 24 && mi < 60 && s <= 60 && z == 'Z',
              "'%s'", t);
}

static char *make_tmpdir(void) {
    char *dir = strdup("/tmp/hlb-provenance-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    return dir;
}

Test(provenance, every_field_filled) {
    hlb_provenance p;
    hlb_provenance_collect(&p, HLB_TEST_ROOT, ARGC_DEMO, argv_demo);
    cr_assert_str_empty(p.end, "end is set only by hlb_provenance_set_end");
    hlb_provenance_set_end(&p);
    const char *fields[] = {p.heaplab_commit, p.compiler, p.glibc, p.libgc, p.kernel, p.cpu, p.command, p.start, p.end};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) cr_assert_str_not_empty(fields[i], "field %zu", i);
    cr_assert_gt(p.cores, 0);
    cr_assert_eq(p.cores, (int)sysconf(_SC_NPROCESSORS_ONLN));
    assert_iso_utc(p.start);
    assert_iso_utc(p.end);
    cr_assert_leq(strcmp(p.start, p.end), 0, "start %s after end %s", p.start, p.end);
    cr_assert_str_eq(p.command, "heaplab bench --reps 5 --programs binary_trees,vec_grow");
#ifdef __GLIBC__
    cr_assert_str_neq(p.glibc, "unknown");
    cr_assert(strchr(p.glibc, '.'), "glibc version '%s'", p.glibc);
#endif
    cr_assert(!strncmp(p.kernel, "Linux ", 6), "kernel '%s'", p.kernel);
    cr_assert(!strchr(p.compiler, '\n') && !strchr(p.libgc, '\n') && !strchr(p.heaplab_commit, '\n'));
    hlb_provenance_free(&p);
    cr_assert_null(p.command);
    hlb_provenance_free(&p);
}

Test(provenance, commit_inside_git) {
    hlb_provenance p;
    hlb_provenance_collect(&p, HLB_TEST_ROOT, ARGC_DEMO, argv_demo);
    cr_assert_str_neq(p.heaplab_commit, "unknown", "%s is a git checkout", HLB_TEST_ROOT);
    /* describe --always gives at least an abbreviated hash: hex digits, maybe after a tag. */
    cr_assert_geq(strlen(p.heaplab_commit), 7, "'%s'", p.heaplab_commit);
    hlb_provenance_free(&p);
}

/* Run a shell command (in the test's own temporary repository); it must succeed. */
static void sh(const char *fmt, const char *dir) {
    char cmd[1024];
    snprintf(cmd, sizeof cmd, fmt, dir);
    cr_assert_eq(system(cmd), 0, "failed: %s", cmd);
}

/* A change to a tracked source makes the commit "-dirty"; a change under results/, where make
** bench writes its tables between its commands, does not. */
Test(provenance, dirty_only_for_sources) {
    char *dir = make_tmpdir();
    sh("cd %s && git init -q && mkdir results && echo a > src.c && echo r > results/t.md && "
       "git add . && git -c user.email=t@t -c user.name=t commit -qm init", dir);
    hlb_provenance p;
    sh("echo changed > %s/results/t.md", dir);
    hlb_provenance_collect(&p, dir, ARGC_DEMO, argv_demo);
    cr_assert_null(strstr(p.heaplab_commit, "dirty"), "results/ only: '%s'", p.heaplab_commit);
    cr_assert_geq(strlen(p.heaplab_commit), 7, "'%s'", p.heaplab_commit);
    hlb_provenance_free(&p);
    sh("echo changed > %s/src.c", dir);
    hlb_provenance_collect(&p, dir, ARGC_DEMO, argv_demo);
    size_t n = strlen(p.heaplab_commit);
    cr_assert(n > 6 && strcmp(p.heaplab_commit + n - 6, "-dirty") == 0, "a source changed: '%s'", p.heaplab_commit);
    hlb_provenance_free(&p);
    sh("rm -rf %s", dir);
    free(dir);
}

Test(provenance, commit_outside_git_is_unknown) {
    char *dir = make_tmpdir();
    hlb_provenance p;
    hlb_provenance_collect(&p, dir, ARGC_DEMO, argv_demo);
    cr_assert_str_eq(p.heaplab_commit, "unknown");
    hlb_provenance_free(&p);
    hlb_provenance_collect(&p, NULL, 0, NULL);
    cr_assert_str_eq(p.heaplab_commit, "unknown");
    cr_assert_str_eq(p.command, "unknown");
    hlb_provenance_free(&p);
    rmdir(dir);
    free(dir);
}

Test(provenance, missing_tools_give_unknown) {
    /* No git, cc or pkg-config on PATH: fields fall back, nothing fails. */
    char *dir = make_tmpdir();
    setenv("PATH", dir, 1);
    hlb_provenance p;
    hlb_provenance_collect(&p, HLB_TEST_ROOT, ARGC_DEMO, argv_demo);
    cr_assert_str_eq(p.heaplab_commit, "unknown");
    cr_assert_str_eq(p.libgc, "unknown");
    cr_assert(strstr(p.compiler, "(compiler that built heaplab; cc not found)"), "compiler '%s'", p.compiler);
    cr_assert_neq(p.compiler[0], ' ', "the fallback names the compiler: '%s'", p.compiler);
    hlb_provenance_free(&p);
    rmdir(dir);
    free(dir);
}

static void fake_tool(const char *dir, const char *name, const char *script) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fprintf(f, "#!/bin/sh\n%s\n", script);
    cr_assert_eq(fclose(f), 0);
    cr_assert_eq(chmod(path, 0755), 0);
}

Test(provenance, tool_output_taken_only_on_success) {
    /* A tool's first line is taken when it exits 0; a failing tool's output is not. */
    char *dir = make_tmpdir();
    fake_tool(dir, "git", "case \"$3\" in describe) echo v1.2-3-gabcdef0; echo second line;; status) echo ' M x.c';; esac");
    fake_tool(dir, "cc", "echo 'cc (Fake) 9.9'; exit 1");
    fake_tool(dir, "pkg-config", "echo 7.6.5; echo 'noise' >&2");
    setenv("PATH", dir, 1);
    hlb_provenance p;
    hlb_provenance_collect(&p, "/", ARGC_DEMO, argv_demo);
    cr_assert_str_eq(p.heaplab_commit, "v1.2-3-gabcdef0-dirty");
    cr_assert_str_eq(p.libgc, "7.6.5");
    cr_assert(strstr(p.compiler, "cc not found"), "a failing cc is not believed: '%s'", p.compiler);
    hlb_provenance_free(&p);
    const char *names[] = {"git", "cc", "pkg-config"};
    for (int i = 0; i < 3; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        unlink(path);
    }
    rmdir(dir);
    free(dir);
}

Test(provenance, shell_join_quotes_only_what_needs_it) {
    char *words[] = {"heaplab", "run", "a b", "it's", "", "--x=1,2", "$HOME", "*"};
    char *s = hlb_shell_join(8, words);
    cr_assert_str_eq(s, "heaplab run 'a b' 'it'\\''s' '' --x=1,2 '$HOME' '*'");
    /* A shell given the joined line gets the same words back. */
    char *cmd;
    cr_assert_geq(asprintf(&cmd, "printf '[%%s]' %s", s), 0);
    FILE *sh = popen(cmd, "r");
    cr_assert_not_null(sh);
    char out[256] = "";
    size_t n = fread(out, 1, sizeof out - 1, sh);
    out[n] = 0;
    cr_assert_eq(pclose(sh), 0);
    cr_assert_str_eq(out, "[heaplab][run][a b][it's][][--x=1,2][$HOME][*]");
    free(cmd);
    free(s);
    char *none = hlb_shell_join(0, NULL);
    cr_assert_str_empty(none);
    free(none);
}

static hlb_json *write_and_parse(const hlb_provenance *p, int indent, char **text) {
    size_t len;
    FILE *f = open_memstream(text, &len);
    cr_assert_not_null(f);
    cr_assert_eq(hlb_provenance_write_json(f, p, indent), 0);
    fclose(f);
    char err[128] = "";
    hlb_json *j = hlb_json_parse(*text, err, sizeof err);
    cr_assert_not_null(j, "not JSON (%s): %s", err, *text);
    cr_assert_eq(j->kind, HLB_JOBJ);
    return j;
}

static void assert_same(const hlb_provenance *a, const hlb_provenance *b) {
    cr_assert_str_eq(a->heaplab_commit, b->heaplab_commit);
    cr_assert_str_eq(a->compiler, b->compiler);
    cr_assert_str_eq(a->glibc, b->glibc);
    cr_assert_str_eq(a->libgc, b->libgc);
    cr_assert_str_eq(a->kernel, b->kernel);
    cr_assert_str_eq(a->cpu, b->cpu);
    cr_assert_eq(a->cores, b->cores);
    cr_assert_str_eq(a->command, b->command);
    cr_assert_str_eq(a->start, b->start);
    cr_assert_str_eq(a->end, b->end);
}

Test(provenance, json_round_trip) {
    char *odd[] = {"heaplab", "compare", "old \"run\".json", "new\\run\n.json", "tab\there"};
    hlb_provenance p;
    hlb_provenance_collect(&p, HLB_TEST_ROOT, 5, odd);
    hlb_provenance_set_end(&p);
    for (int indent = -1; indent <= 2; indent += 3) {
        char *text;
        hlb_json *j = write_and_parse(&p, indent, &text);
        const char *keys[] = {"heaplab_commit", "compiler", "glibc", "libgc", "kernel", "cpu", "cores", "command", "start", "end"};
        cr_assert_eq(j->n, 10, "%s", text);
        for (size_t i = 0; i < 10; i++) cr_assert_str_eq(j->keys[i], keys[i], "%s", text);
        cr_assert_eq(hlb_json_get(j, "cores")->kind, HLB_JNUM);
        if (indent < 0) cr_assert_null(strchr(text, '\n'), "one line: %s", text);
        else cr_assert(strstr(text, "{\n    \"heaplab_commit\": ") && strstr(text, "\n  }"), "%s", text);
        hlb_provenance q;
        cr_assert_eq(hlb_provenance_from_json(j, &q), 0);
        assert_same(&p, &q);
        hlb_provenance_free(&q);
        hlb_json_free(j);
        free(text);
    }
    hlb_provenance_free(&p);
}

Test(provenance, read_back_incomplete_or_wrong) {
    hlb_json *j = hlb_json_parse("{\"compiler\": \"cc 1\", \"cores\": \"two\", \"glibc\": 2.36}", NULL, 0);
    cr_assert_not_null(j);
    hlb_provenance q;
    cr_assert_eq(hlb_provenance_from_json(j, &q), 0);
    cr_assert_str_eq(q.compiler, "cc 1");
    cr_assert_str_eq(q.glibc, "unknown", "a number where a string belongs is not taken");
    cr_assert_str_eq(q.heaplab_commit, "unknown");
    cr_assert_str_eq(q.command, "unknown");
    cr_assert_str_empty(q.end);
    cr_assert_eq(q.cores, 0);
    hlb_provenance_free(&q);
    hlb_json_free(j);

    j = hlb_json_parse("[1, 2]", NULL, 0);
    cr_assert_eq(hlb_provenance_from_json(j, &q), -1);
    cr_assert_str_eq(q.cpu, "unknown");
    hlb_provenance_free(&q);
    hlb_json_free(j);
    cr_assert_eq(hlb_provenance_from_json(NULL, &q), -1);
    hlb_provenance_free(&q);
}
