/*
** bench/report/json.c: a small recursive-descent JSON reader and string escaping (see json.h).
*/
#define _GNU_SOURCE
#include "report/json.h"
#include "util/util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *p;
    char *err;
    size_t errlen;
    int depth;
} parser;

static hlb_json *fail(parser *ps, const char *msg) {
    if (ps->err && ps->errlen) snprintf(ps->err, ps->errlen, "%s near '%.12s'", msg, ps->p);
    return NULL;
}

static void skip_ws(parser *ps) {
    while (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r') ps->p++;
}

static hlb_json *new_value(hlb_jkind k) {
    hlb_json *j = hlb_xcalloc(1, sizeof *j);
    j->kind = k;
    return j;
}

static void put_utf8(char **out, unsigned cp) {
    char *o = *out;
    if (cp < 0x80) *o++ = (char)cp;
    else if (cp < 0x800) {
        *o++ = (char)(0xC0 | (cp >> 6));
        *o++ = (char)(0x80 | (cp & 0x3F));
    } else {
        *o++ = (char)(0xE0 | (cp >> 12));
        *o++ = (char)(0x80 | ((cp >> 6) & 0x3F));
        *o++ = (char)(0x80 | (cp & 0x3F));
    }
    *out = o;
}

static char *parse_string(parser *ps) {
    if (*ps->p != '"') return NULL;
    const char *s = ++ps->p;
    size_t cap = 0;
    while (*s && *s != '"') {
        if (*s == '\\' && s[1]) s++;
        s++;
        cap++;
    }
    if (*s != '"') return NULL;
    char *buf = hlb_xmalloc(cap * 3 + 1), *o = buf;
    while (*ps->p != '"') {
        char c = *ps->p++;
        if (c != '\\') {
            *o++ = c;
            continue;
        }
        c = *ps->p++;
        switch (c) {
        case 'n': *o++ = '\n'; break;
        case 't': *o++ = '\t'; break;
        case 'r': *o++ = '\r'; break;
        case 'b': *o++ = '\b'; break;
        case 'f': *o++ = '\f'; break;
        case 'u': {
            unsigned cp = 0;
            for (int i = 0; i < 4; i++) {
                char h = *ps->p;
                int d = h >= '0' && h <= '9' ? h - '0' : h >= 'a' && h <= 'f' ? h - 'a' + 10
                                                       : h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;
                if (d < 0) {
                    free(buf);
                    return NULL;
                }
                cp = cp * 16 + (unsigned)d;
                ps->p++;
            }
            put_utf8(&o, cp);
            break;
        }
        default: *o++ = c; break;   /* \" \\ \/ */
        }
    }
    ps->p++;
    *o = 0;
    return buf;
}

static hlb_json *parse_value(parser *ps);

static hlb_json *parse_container(parser *ps, int obj) {
    hlb_json *j = new_value(obj ? HLB_JOBJ : HLB_JARR);
    size_t cap = 0;
    ps->p++;
    skip_ws(ps);
    if (*ps->p == (obj ? '}' : ']')) {
        ps->p++;
        return j;
    }
    for (;;) {
        char *key = NULL;
        skip_ws(ps);
        if (obj) {
            key = parse_string(ps);
            if (!key) goto bad;
            skip_ws(ps);
            if (*ps->p != ':') {
                free(key);
                goto bad;
            }
            ps->p++;
        }
        hlb_json *v = parse_value(ps);
        if (!v) {
            free(key);
            hlb_json_free(j);
            return NULL;
        }
        if (j->n == cap) {
            cap = cap ? cap * 2 : 8;
            j->items = hlb_xrealloc(j->items, cap * sizeof *j->items);
            if (obj) j->keys = hlb_xrealloc(j->keys, cap * sizeof *j->keys);
        }
        if (obj) j->keys[j->n] = key;
        j->items[j->n++] = v;
        skip_ws(ps);
        if (*ps->p == ',') {
            ps->p++;
            continue;
        }
        if (*ps->p == (obj ? '}' : ']')) {
            ps->p++;
            return j;
        }
        goto bad;
    }
bad:
    hlb_json_free(j);
    return fail(ps, obj ? "bad object" : "bad array");
}

static hlb_json *parse_value(parser *ps) {
    skip_ws(ps);
    if (++ps->depth > 64) return fail(ps, "nesting too deep");
    hlb_json *j = NULL;
    char c = *ps->p;
    if (c == '{' || c == '[') j = parse_container(ps, c == '{');
    else if (c == '"') {
        char *s = parse_string(ps);
        if (!s) return fail(ps, "bad string");
        j = new_value(HLB_JSTR);
        j->str = s;
    } else if (!strncmp(ps->p, "null", 4)) {
        ps->p += 4;
        j = new_value(HLB_JNULL);
    } else if (!strncmp(ps->p, "true", 4) || !strncmp(ps->p, "false", 5)) {
        j = new_value(HLB_JBOOL);
        j->num = c == 't';
        ps->p += c == 't' ? 4 : 5;
    } else {
        char *end;
        double d = strtod(ps->p, &end);
        if (end == ps->p || (c != '-' && (c < '0' || c > '9'))) return fail(ps, "unexpected character");
        ps->p = end;
        j = new_value(HLB_JNUM);
        j->num = d;
    }
    ps->depth--;
    return j;
}

hlb_json *hlb_json_parse(const char *text, char *err, size_t errlen) {
    parser ps = {text, err, errlen, 0};
    hlb_json *j = parse_value(&ps);
    if (!j) return NULL;
    skip_ws(&ps);
    if (*ps.p) {
        hlb_json_free(j);
        return fail(&ps, "trailing characters");
    }
    return j;
}

hlb_json *hlb_json_parse_file(const char *path, char *err, size_t errlen) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        if (err && errlen) snprintf(err, errlen, "cannot open %s", path);
        return NULL;
    }
    size_t cap = 4096, n = 0, got;
    char *buf = hlb_xmalloc(cap);
    while ((got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (cap - n < 2) buf = hlb_xrealloc(buf, cap *= 2);
    }
    fclose(f);
    buf[n] = 0;
    hlb_json *j = hlb_json_parse(buf, err, errlen);
    free(buf);
    return j;
}

void hlb_json_free(hlb_json *j) {
    if (!j) return;
    for (size_t i = 0; i < j->n; i++) {
        if (j->keys) free(j->keys[i]);
        hlb_json_free(j->items[i]);
    }
    free(j->keys);
    free(j->items);
    free(j->str);
    free(j);
}

const hlb_json *hlb_json_get(const hlb_json *obj, const char *key) {
    if (!obj || obj->kind != HLB_JOBJ) return NULL;
    for (size_t i = 0; i < obj->n; i++)
        if (!strcmp(obj->keys[i], key)) return obj->items[i];
    return NULL;
}

double hlb_json_num(const hlb_json *obj, const char *key) {
    const hlb_json *v = hlb_json_get(obj, key);
    return v && v->kind == HLB_JNUM ? v->num : NAN;
}

const char *hlb_json_str(const hlb_json *obj, const char *key) {
    const hlb_json *v = hlb_json_get(obj, key);
    return v && v->kind == HLB_JSTR ? v->str : NULL;
}

void hlb_json_write_str(FILE *f, const char *s) {
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\') fprintf(f, "\\%c", *p);
        else if (*p == '\n') fputs("\\n", f);
        else if (*p == '\t') fputs("\\t", f);
        else if (*p < 0x20) fprintf(f, "\\u%04x", *p);
        else fputc(*p, f);
    }
    fputc('"', f);
}
