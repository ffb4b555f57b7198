/*
** bench/report/outfile.c: output directory, checked atomic files, stdout checks (see
** outfile.h).
*/
#define _GNU_SOURCE
#include "report/outfile.h"
#include "util/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int hlb_mkdir_p(const char *path) {
    char *p = hlb_xstrdup(path);
    for (char *s = p + 1; *s; s++) {
        if (*s != '/') continue;
        *s = 0;
        if (mkdir(p, 0777) && errno != EEXIST) {
            free(p);
            return -1;
        }
        *s = '/';
    }
    int r = mkdir(p, 0777);
    free(p);
    if (r && errno != EEXIST) return -1;
    if (!hlb_is_dir(path)) {
        errno = ENOTDIR;
        return -1;
    }
    return 0;
}

int hlb_check_out_dir(const char *dir, char *err, size_t errlen) {
    if (hlb_mkdir_p(dir)) {
        snprintf(err, errlen, "cannot create %s: %s", dir, strerror(errno));
        return -1;
    }
    char *probe = hlb_fmt("%s/.heaplab-probe.XXXXXX", dir);
    int fd = mkstemp(probe);
    if (fd < 0) {
        snprintf(err, errlen, "cannot write to %s: %s", dir, strerror(errno));
        free(probe);
        return -1;
    }
    close(fd);
    unlink(probe);
    free(probe);
    return 0;
}

int hlb_commit_file(const char *tmp, const char *path) {
    int fd = open(tmp, O_RDONLY);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
    return rename(tmp, path);
}

/* Write through fn to an open stream and close it; returns 0 or the errno of the failure. */
static int write_close(FILE *f, hlb_writer fn, const void *doc, hlb_format fmt, int sync) {
    fn(f, doc, fmt);
    int e = 0;
    if (fflush(f) != 0) e = errno;
    if (!e && ferror(f)) e = EIO;
    if (!e && sync && fsync(fileno(f)) != 0 && errno != EINVAL) e = errno;
    if (fclose(f) != 0 && !e) e = errno;
    return e;
}

int hlb_write_file(const char *path, hlb_writer fn, const void *doc, hlb_format fmt, char *err, size_t errlen) {
    struct stat st;
    int e;
    if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        /* A device, FIFO or symlink: write to what it names, never replace it. */
        FILE *f = fopen(path, "w");
        if (!f) {
            snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
            return -1;
        }
        if ((e = write_close(f, fn, doc, fmt, 0))) {
            snprintf(err, errlen, "cannot write %s: %s", path, strerror(e));
            return -1;
        }
        return 0;
    }
    const char *slash = strrchr(path, '/');
    char *tmp = slash ? hlb_fmt("%.*s/.%s.XXXXXX", (int)(slash - path), path, slash + 1)
                      : hlb_fmt(".%s.XXXXXX", path);
    int fd = mkstemp(tmp);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f) {
        snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
        if (fd >= 0) close(fd), unlink(tmp);
        free(tmp);
        return -1;
    }
    fchmod(fd, 0644);
    e = write_close(f, fn, doc, fmt, 1);
    if (!e && rename(tmp, path) != 0) e = errno;
    if (e) {
        snprintf(err, errlen, "cannot write %s: %s", path, strerror(e));
        unlink(tmp);
        free(tmp);
        return -1;
    }
    free(tmp);
    return 0;
}

int hlb_check_stdout(const char *cmd) {
    int e = 0;
    if (fflush(stdout) != 0) e = errno;
    if (!e && !ferror(stdout)) return 0;
    fprintf(stderr, "heaplab %s: error: cannot write to stdout: %s\n", cmd, e ? strerror(e) : "write error");
    return -1;
}

int hlb_emit(const char *cmd, hlb_writer fn, hlb_writer file_fn, const void *doc, hlb_format fmt, const char *outdir,
             const char *stem) {
    int rc = 0;
    fn(stdout, doc, fmt);
    if (hlb_check_stdout(cmd)) rc = 1;
    if (!outdir) return rc;
    static const char *const ext[] = {"md", "csv", "json"};
    for (int k = 0; k < 3; k++) {
        char *path = hlb_fmt("%s/%s.%s", outdir, stem, ext[k]), err[600];
        if (hlb_write_file(path, file_fn ? file_fn : fn, doc, (hlb_format)k, err, sizeof err)) {
            fprintf(stderr, "heaplab %s: error: %s\n", cmd, err);
            rc = 1;
        } else {
            fprintf(stderr, "heaplab: wrote %s\n", path);
        }
        free(path);
    }
    return rc;
}
