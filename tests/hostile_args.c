/*
** tests/hostile_args.c: every command line a user can get wrong, in one table-driven test.
**
** Rule: a bad argument gets exactly one line on stderr (saying "error"), nothing on stdout,
** exit status 2, and no crash, hang or work done first. It is checked on
**   - every workload program, build/manual/<p> for each programs/NAME.c (or, without the
**     sources, each executable in build/manual/): its one SIZE argument;
**   - `heaplab` itself and every command its --help lists, with every option that command's
**     --help lists: the values of the table `hostile` below that fit the option's kind
**     (numbers, names, directories, files), the option with its value missing, unknown
**     options, a value given to a flag, missing, extra and bad positional arguments.
** Programs and commands are found at run time, so a new program, command or option is
** covered without editing this file; a positional argument of a kind this file does not know
** fails the test, so that someone says what a valid one is.
**
** Each case runs in a private temporary directory (whatever a wrongly accepted argument
** writes lands there), with a timeout; a failing case names its command line (an overlong
** argument shown as <N x 'c'>). HL_BUILD_DIR and HL_SOURCE_DIR come from tests/hostile_args.mk;
** HEAPLAB_BUILD_DIR overrides the first.
*/
#define _GNU_SOURCE
#include <criterion/criterion.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef HL_BUILD_DIR
#define HL_BUILD_DIR "build"
#endif
#ifndef HL_SOURCE_DIR
#define HL_SOURCE_DIR "."
#endif

extern char **environ;

enum { CASE_TIMEOUT_MS = 10000, OVERLONG = 5000, MAX_ARGS = 12, MAX_ITEMS = 64 };

/* ---- the hostile values -------------------------------------------------------------------- */

/* Which options a value is tried on, from the option's metavariable in --help. */
typedef enum { K_NUM = 1, K_NAME = 2, K_DIR = 4, K_FILE = 8 } kind;

/* Values that stand for paths in the scratch directory, filled in at run time. */
#define OVERLONG_DIGITS "<overlong digits>"
#define OVERLONG_NAME "<overlong name>"
#define UNDER_A_FILE "<a path under a regular file>"
#define A_FILE "<a regular file>"
#define A_DIR "<a directory>"

static const struct hostile {
    const char *what, *value;
    unsigned kinds;
} hostile[] = {
    {"empty", "", K_NUM | K_NAME | K_DIR | K_FILE},
    {"negative", "-1", K_NUM},
    {"huge", "99999999999999999999", K_NUM},
    {"above every range", "9000000000000000000", K_NUM},
    {"non-numeric", "abc", K_NUM},
    {"not a number at all", "nan", K_NUM},
    {"overlong", OVERLONG_DIGITS, K_NUM},
    {"unknown name", "no-such-name", K_NAME},
    {"empty list item", ",", K_NAME},
    {"overlong", OVERLONG_NAME, K_NAME | K_DIR | K_FILE},
    {"not a directory", UNDER_A_FILE, K_DIR | K_FILE},
    {"a file, not a directory", A_FILE, K_DIR},
    {"a directory, not a file", A_DIR, K_FILE},
};

/* The kind of an option's metavariable (as heaplab's usage text writes it). */
static unsigned metavar_kind(const char *mv) {
    static const char *const numeric[] = {"N", "S", "PCT", "K,...", NULL};
    for (int i = 0; numeric[i]; i++)
        if (!strcmp(mv, numeric[i])) return K_NUM;
    if (!strcmp(mv, "DIR")) return K_DIR;
    if (!strcmp(mv, "FILE")) return K_FILE;
    return K_NAME;   /* LIST, R, NAME, md|csv|json, ...: names to choose from */
}

/* ---- scratch directory ----------------------------------------------------------------------- */

static char scratch[64], overlong_digits[OVERLONG + 1], overlong_name[OVERLONG + 1];
static char a_file[128], under_a_file[160], missing_path[160], ok_json[128], bad_json[128], other_kind_json[128];

static void write_file(const char *path, const char *text) {
    FILE *f = fopen(path, "w");
    cr_assert(f, "cannot create %s: %s", path, strerror(errno));
    fputs(text, f);
    cr_assert_eq(fclose(f), 0);
}

static void make_scratch(void) {
    snprintf(scratch, sizeof scratch, "/tmp/heaplab-hostile.XXXXXX");
    cr_assert(mkdtemp(scratch), "mkdtemp: %s", strerror(errno));
    cr_assert_eq(chdir(scratch), 0, "chdir %s: %s", scratch, strerror(errno));
    memset(overlong_digits, '9', OVERLONG);
    memset(overlong_name, 'a', OVERLONG);
    snprintf(a_file, sizeof a_file, "%s/plain-file", scratch);
    snprintf(under_a_file, sizeof under_a_file, "%s/sub", a_file);
    snprintf(missing_path, sizeof missing_path, "%s/no-such-dir", scratch);
    snprintf(ok_json, sizeof ok_json, "%s/ok.json", scratch);
    snprintf(bad_json, sizeof bad_json, "%s/not-json.json", scratch);
    snprintf(other_kind_json, sizeof other_kind_json, "%s/safety.json", scratch);
    write_file(a_file, "a regular file\n");
    /* The smallest results file compare accepts: one bench cell with two samples. */
    write_file(ok_json, "{\"kind\": \"bench\", \"cells\": [{\"program\": \"binary_trees\", \"variant\": \"manual\", "
                        "\"size_class\": \"small\", \"samples\": [{\"wall_s\": 1.0}, {\"wall_s\": 1.1}]}]}\n");
    write_file(bad_json, "this is not JSON\n");
    write_file(other_kind_json, "{\"kind\": \"safety\", \"cells\": []}\n");
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

static void remove_scratch(void) {
    if (chdir("/") == 0 && scratch[0]) nftw(scratch, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static const char *resolve(const char *v) {
    if (!strcmp(v, OVERLONG_DIGITS)) return overlong_digits;
    if (!strcmp(v, OVERLONG_NAME)) return overlong_name;
    if (!strcmp(v, UNDER_A_FILE)) return under_a_file;
    if (!strcmp(v, A_FILE)) return a_file;
    if (!strcmp(v, A_DIR)) return scratch;
    return v;
}

/* ---- running a case -------------------------------------------------------------------------- */

typedef struct outcome {
    int timed_out, exited, code, sig;
    char *out, *err;
} outcome;

static const char *build_dir(void) {
    const char *d = getenv("HEAPLAB_BUILD_DIR");
    return d && *d ? d : HL_BUILD_DIR;
}

static int temp_fd(void) {
    char path[] = "/tmp/heaplab-hostile-out.XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0, "mkstemp: %s", strerror(errno));
    unlink(path);
    return fd;
}

static char *slurp(int fd) {
    struct stat st;
    cr_assert_eq(fstat(fd, &st), 0);
    char *buf = malloc((size_t)st.st_size + 1);
    cr_assert(buf);
    ssize_t n = pread(fd, buf, (size_t)st.st_size, 0);
    buf[n > 0 ? n : 0] = 0;
    return buf;
}

/* Run argv (argv[0] a path) in its own process group with stdin from /dev/null; kill the
** group when it outlives the timeout. */
static outcome run(char *const argv[]) {
    int out = temp_fd(), err = temp_fd();
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, out, STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&fa, err, STDERR_FILENO);
    posix_spawnattr_t at;
    posix_spawnattr_init(&at);
    posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&at, 0);
    pid_t pid;
    int rc = posix_spawn(&pid, argv[0], &fa, &at, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&at);
    cr_assert_eq(rc, 0, "posix_spawn %s: %s", argv[0], strerror(rc));
    outcome o = {0};
    int status = 0;
    for (int waited_ms = 0;; waited_ms++) {
        pid_t w = waitpid(pid, &status, WNOHANG);
        if (w == pid) break;
        cr_assert(w == 0 || errno == EINTR, "waitpid: %s", strerror(errno));
        if (waited_ms >= CASE_TIMEOUT_MS) {
            o.timed_out = 1;
            kill(-pid, SIGKILL);
            while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
            break;
        }
        nanosleep(&(struct timespec){0, 1000000}, NULL);
    }
    kill(-pid, SIGKILL);   /* anything it left behind */
    o.exited = WIFEXITED(status);
    o.code = o.exited ? WEXITSTATUS(status) : 0;
    o.sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    o.out = slurp(out);
    o.err = slurp(err);
    close(out);
    close(err);
    return o;
}

/* The command line for a failure message: shell-quoted, long arguments abbreviated. */
static void describe(char *const argv[], char *buf, size_t cap) {
    size_t len = 0;
    buf[0] = 0;
    for (int i = 0; argv[i] && len < cap; i++) {
        const char *a = argv[i];
        size_t n = strlen(a);
        int w;
        if (n > 80) w = snprintf(buf + len, cap - len, "%s<%zu x '%c'>", i ? " " : "", n, a[0]);
        else if (n == 0 || strpbrk(a, " \t'\"$\\*?|&;<>()")) w = snprintf(buf + len, cap - len, "%s'%s'", i ? " " : "", a);
        else w = snprintf(buf + len, cap - len, "%s%s", i ? " " : "", a);
        if (w < 0) break;
        len += (size_t)w;
    }
}

static int ncases, nfailed;

/* One case: argv must be refused with one line on stderr, nothing on stdout, exit 2. */
static void expect_refused(char *const argv[], const char *why) {
    char cmd[1024];
    describe(argv, cmd, sizeof cmd);
    outcome o = run(argv);
    ncases++;
    const char *nl = strchr(o.err, '\n');
    int one_line = nl && nl[1] == 0 && nl != o.err;
    int ok = !o.timed_out && o.exited && o.code == 2 && !o.out[0] && one_line && strstr(o.err, "error");
    if (!ok) {
        nfailed++;
        char status[64];
        if (o.timed_out) snprintf(status, sizeof status, "still running after %d s (killed)", CASE_TIMEOUT_MS / 1000);
        else if (o.exited) snprintf(status, sizeof status, "exit status %d", o.code);
        else snprintf(status, sizeof status, "killed by signal %d (%s)", o.sig, strsignal(o.sig));
        cr_expect(ok,
                  "%s (%s): expected exit status 2, nothing on stdout and one error line on stderr;\n"
                  "  got %s, %zu bytes on stdout, stderr:\n%.1500s",
                  cmd, why, status, strlen(o.out), o.err);
    }
    free(o.out);
    free(o.err);
}

/* ---- discovery ------------------------------------------------------------------------------- */

typedef struct strs {
    char *v[MAX_ITEMS];
    int n;
} strs;

static void add(strs *s, const char *text, size_t len) {
    cr_assert(s->n < MAX_ITEMS, "more than %d items: raise MAX_ITEMS", MAX_ITEMS);
    s->v[s->n++] = strndup(text, len);
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* The workload programs: the .c files of programs/ in the source tree, else the executables
** of build/manual. */
static void find_programs(strs *progs) {
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/programs", HL_SOURCE_DIR);
    int from_sources = 1;
    DIR *d = opendir(dir);
    if (!d) {
        from_sources = 0;
        snprintf(dir, sizeof dir, "%s/manual", build_dir());
        d = opendir(dir);
    }
    cr_assert(d, "cannot list the programs in %s: %s", dir, strerror(errno));
    for (struct dirent *e; (e = readdir(d));) {
        size_t n = strlen(e->d_name);
        if (from_sources) {
            if (n > 2 && !strcmp(e->d_name + n - 2, ".c")) add(progs, e->d_name, n - 2);
        } else if (e->d_name[0] != '.') {
            char path[8192];
            struct stat st;
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0) add(progs, e->d_name, n);
        }
    }
    closedir(d);
    qsort(progs->v, (size_t)progs->n, sizeof *progs->v, cmp_str);
    cr_assert(progs->n > 0, "no programs found in %s", dir);
}

/* The text a command prints for --help (exit 0 required). */
static char *help_of(char *const argv[]) {
    outcome o = run(argv);
    cr_assert(!o.timed_out && o.exited && o.code == 0, "%s %s --help failed: %s", argv[0], argv[1] ? argv[1] : "",
              o.err);
    free(o.err);
    return o.out;
}

/* Split the left column of a usage line ("  left   help text": left ends at two spaces)
** into words. Returns the number of words (0 when the line is not indented by two). */
static int left_words(const char *line, strs *words) {
    if (strncmp(line, "  ", 2) || line[2] == ' ') return 0;
    const char *p = line + 2, *end = strstr(p, "  ");
    const char *eol = strchr(p, '\n');
    if (!end || (eol && end > eol)) end = eol ? eol : p + strlen(p);
    while (p < end) {
        size_t n = strcspn(p, " ");
        if (p + n > end) n = (size_t)(end - p);
        add(words, p, n);
        p += n;
        while (p < end && *p == ' ') p++;
    }
    return words->n;
}

typedef struct command {
    char *name;
    strs positional;    /* its synopsis: PROGRAM, OLD.json NEW.json */
    strs options;       /* "--reps" */
    strs metavars;      /* "N", or "" for a flag */
} command;

static void free_strs(strs *s) {
    for (int i = 0; i < s->n; i++) free(s->v[i]);
    s->n = 0;
}

/* Commands from `heaplab --help` ("commands:" up to the next blank line), each with its
** options from `heaplab CMD --help` (the lines of "options:" that start with "  -"). */
static int find_commands(const char *heaplab, command *cmds, int max) {
    char *text = help_of((char *[]){(char *)heaplab, "--help", NULL});
    char *sec = strstr(text, "\ncommands:\n");
    cr_assert(sec, "heaplab --help lists no commands:\n%s", text);
    int n = 0;
    for (char *line = sec + 11; *line && *line != '\n'; line = strchr(line, '\n') + 1) {
        strs w = {0};
        if (left_words(line, &w)) {
            cr_assert(n < max, "more than %d commands", max);
            command *c = &cmds[n++];
            memset(c, 0, sizeof *c);
            c->name = strdup(w.v[0]);
            for (int i = 1; i < w.n; i++) add(&c->positional, w.v[i], strlen(w.v[i]));
        }
        free_strs(&w);
        if (!strchr(line, '\n')) break;
    }
    free(text);
    for (int k = 0; k < n; k++) {
        command *c = &cmds[k];
        char *h = help_of((char *[]){(char *)heaplab, c->name, "--help", NULL});
        char *opts = strstr(h, "\noptions:\n");
        cr_assert(opts, "heaplab %s --help lists no options:\n%s", c->name, h);
        for (char *line = opts + 10; *line; line = strchr(line, '\n') + 1) {
            strs w = {0};
            if (!strncmp(line, "  -", 3) && left_words(line, &w) && strcmp(w.v[0], "--help") && strcmp(w.v[0], "-h")) {
                add(&c->options, w.v[0], strlen(w.v[0]));
                add(&c->metavars, w.n > 1 ? w.v[1] : "", w.n > 1 ? strlen(w.v[1]) : 0);
            }
            free_strs(&w);
            if (!strchr(line, '\n')) break;
        }
        free(h);
    }
    return n;
}

/* A valid value for a positional argument of the synopsis, or NULL when its kind is unknown. */
static const char *valid_positional(const char *synopsis, const char *program) {
    if (!strcmp(synopsis, "PROGRAM")) return program;
    size_t n = strlen(synopsis);
    if (n > 5 && !strcmp(synopsis + n - 5, ".json")) return ok_json;
    return NULL;
}

/* Hostile values for a positional argument of the synopsis (NULL-terminated). */
static const char *const *hostile_positional(const char *synopsis) {
    static const char *program[] = {"", "no-such-program", OVERLONG_NAME, "-1", NULL};
    static const char *file[8];
    if (!strcmp(synopsis, "PROGRAM")) return program;
    file[0] = "", file[1] = missing_path, file[2] = OVERLONG_NAME, file[3] = bad_json, file[4] = scratch,
    file[5] = other_kind_json, file[6] = NULL;
    return file;
}

/* ---- the cases ------------------------------------------------------------------------------- */

typedef struct line {
    char *v[MAX_ARGS + 1];
    int n;
} line;

static void push(line *l, const char *a) {
    cr_assert(l->n < MAX_ARGS);
    l->v[l->n++] = (char *)resolve(a);
    l->v[l->n] = NULL;
}

/* heaplab CMD with its valid positional arguments. */
static line base(const char *heaplab, const command *c, const char *program) {
    line l = {0};
    push(&l, heaplab);
    push(&l, c->name);
    for (int i = 0; i < c->positional.n; i++) {
        const char *v = valid_positional(c->positional.v[i], program);
        cr_assert(v, "heaplab %s takes %s: tests/hostile_args.c does not know a valid value for it", c->name,
                  c->positional.v[i]);
        push(&l, v);
    }
    return l;
}

static void command_cases(const char *heaplab, const command *c, const char *program) {
    char why[256];
    line l;
    /* Unknown options, in both spellings. */
    static const char *const unknown[] = {"--no-such-option", "--no-such-option=1", "-Z", "-", OVERLONG_NAME};
    for (size_t i = 0; i < sizeof unknown / sizeof *unknown; i++) {
        const char *u = unknown[i];
        if ((!strcmp(u, "-") || !strcmp(u, OVERLONG_NAME)) && c->positional.n) continue;   /* positional-shaped */
        l = base(heaplab, c, program);
        if (!strcmp(u, OVERLONG_NAME)) {
            static char overlong_option[OVERLONG + 3];
            snprintf(overlong_option, sizeof overlong_option, "--%s", overlong_name);
            push(&l, overlong_option);
        } else {
            push(&l, u);
        }
        expect_refused(l.v, "unknown option or argument");
    }
    /* Positional arguments: missing, one too many, each bad in turn. */
    if (c->positional.n) {
        l = base(heaplab, c, program);
        l.v[--l.n] = NULL;
        expect_refused(l.v, "a positional argument missing");
    }
    l = base(heaplab, c, program);
    push(&l, "extra-argument");
    expect_refused(l.v, "one positional argument too many");
    for (int i = 0; i < c->positional.n; i++) {
        for (const char *const *h = hostile_positional(c->positional.v[i]); *h; h++) {
            l = base(heaplab, c, program);
            l.v[2 + i] = (char *)resolve(*h);
            snprintf(why, sizeof why, "bad %s", c->positional.v[i]);
            expect_refused(l.v, why);
        }
    }
    /* Every option: a flag given a value; a value missing; every hostile value of its kind. */
    for (int k = 0; k < c->options.n; k++) {
        const char *opt = c->options.v[k], *mv = c->metavars.v[k];
        char eq[OVERLONG + 64];
        if (!*mv) {
            snprintf(eq, sizeof eq, "%s=1", opt);
            l = base(heaplab, c, program);
            push(&l, eq);
            expect_refused(l.v, "a flag given a value");
            continue;
        }
        l = base(heaplab, c, program);
        push(&l, opt);
        expect_refused(l.v, "the value missing at the end");
        unsigned kd = metavar_kind(mv);
        for (size_t i = 0; i < sizeof hostile / sizeof *hostile; i++) {
            if (!(hostile[i].kinds & kd)) continue;
            snprintf(why, sizeof why, "%s %s for %s", hostile[i].what, mv, opt);
            l = base(heaplab, c, program);
            push(&l, opt);
            push(&l, hostile[i].value);
            expect_refused(l.v, why);
            if (i == 0) {   /* the empty value also as --opt= */
                snprintf(eq, sizeof eq, "%s=", opt);
                l = base(heaplab, c, program);
                push(&l, eq);
                expect_refused(l.v, why);
            }
        }
    }
}

static void program_cases(const char *path) {
    static const char *const values[] = {"", "-1", "99999999999999999999", "9000000000000000000", "abc", "12x",
                                         OVERLONG_DIGITS, "--no-such-option", "-Z"};
    for (size_t i = 0; i < sizeof values / sizeof *values; i++)
        expect_refused((char *[]){(char *)path, (char *)resolve(values[i]), NULL}, "bad SIZE");
    expect_refused((char *[]){(char *)path, "10", "20", NULL}, "two arguments");
}

Test(hostile_args, every_program_and_command_refuses_bad_arguments, .timeout = 300) {
    make_scratch();
    char heaplab[4096];
    snprintf(heaplab, sizeof heaplab, "%s/heaplab", build_dir());
    cr_assert(access(heaplab, X_OK) == 0, "%s is not built (run make)", heaplab);

    strs progs = {0};
    find_programs(&progs);
    char path[4096];
    for (int i = 0; i < progs.n; i++) {
        snprintf(path, sizeof path, "%s/manual/%s", build_dir(), progs.v[i]);
        cr_expect(access(path, X_OK) == 0, "%s is not built (run make)", path);
        if (access(path, X_OK) == 0) program_cases(path);
    }

    /* heaplab itself: no command, an empty, unknown or overlong one, an unknown option. */
    static const char *const top[] = {"", "no-such-command", OVERLONG_NAME, "--no-such-option", "-Z"};
    expect_refused((char *[]){heaplab, NULL}, "no command");
    for (size_t i = 0; i < sizeof top / sizeof *top; i++)
        expect_refused((char *[]){heaplab, (char *)resolve(top[i]), NULL}, "bad command");

    command cmds[16];
    int ncmds = find_commands(heaplab, cmds, 16);
    cr_expect(ncmds >= 6, "heaplab --help lists %d commands", ncmds);
    /* The smallest program makes the PROGRAM argument: binary_trees when there is one. */
    const char *program = progs.v[0];
    for (int i = 0; i < progs.n; i++)
        if (!strcmp(progs.v[i], "binary_trees")) program = progs.v[i];
    for (int k = 0; k < ncmds; k++) {
        command_cases(heaplab, &cmds[k], program);
        free(cmds[k].name);
        free_strs(&cmds[k].positional);
        free_strs(&cmds[k].options);
        free_strs(&cmds[k].metavars);
    }
    fprintf(stderr, "hostile arguments: %d cases on %d programs and %d commands, %d not refused as they should be\n",
            ncases, progs.n, ncmds, nfailed);
    cr_expect(ncases > 100, "only %d cases ran", ncases);
    free_strs(&progs);
    remove_scratch();
}
