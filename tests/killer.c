/*
 * killer.c - an LD_PRELOAD shim for tests/inplace-fault.sh
 *
 * Counts the calls that make up an atomic file replacement (open, write,
 * fchmod, fchown, fsync, close, rename) and kills the process with SIGKILL
 * just before call number $DOMLINT_KILL_AT, so the test can check that a
 * crash at any step leaves the old file or the new one, never a mixture.
 * With $DOMLINT_TOUCH_FILE set instead, it appends a line to that file
 * when it is opened through open() the second time: domlint opens it once
 * to read it, and again for the check just before replacing it; the line
 * goes in between, as if someone edited it meanwhile.
 * Built by the test at run time; not part of domlint.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <string.h>

static int calls;

static void
step(void)
{
    const char *at = getenv("DOMLINT_KILL_AT");

    calls++;
    if (at && atoi(at) == calls)
        kill(getpid(), SIGKILL);
}

#define NEXT(ret, name, ...) \
    static ret (*real)(__VA_ARGS__); \
    if (!real) real = (ret (*)(__VA_ARGS__)) dlsym(RTLD_NEXT, name)

static int opens;

static void
maybe_touch(const char *path)
{
    const char *target = getenv("DOMLINT_TOUCH_FILE");
    FILE *fp;

    if (!target || !path || strcmp(path, target) != 0 || ++opens != 2)
        return;
    fp = fopen(target, "a");     /* goes through fopen's own open, not ours */
    if (fp) {
        fputs("<!-- edited meanwhile -->\n", fp);
        fclose(fp);
    }
}

/* open() and open64() (what GLib calls with large-file support) alike */
static int
touch_then_open(int (*real)(const char *, int, ...), const char *path, int flags, va_list ap)
{
    mode_t mode = (mode_t) va_arg(ap, int);

    maybe_touch(path);
    return real(path, flags, mode);
}

int
open(const char *path, int flags, ...)
{
    NEXT(int, "open", const char *, int, ...);
    va_list ap;
    int fd;

    va_start(ap, flags);
    fd = touch_then_open(real, path, flags, ap);
    va_end(ap);
    return fd;
}

int
open64(const char *path, int flags, ...)
{
    NEXT(int, "open64", const char *, int, ...);
    va_list ap;
    int fd;

    va_start(ap, flags);
    fd = touch_then_open(real, path, flags, ap);
    va_end(ap);
    return fd;
}

ssize_t
write(int fd, const void *buf, size_t n)
{
    NEXT(ssize_t, "write", int, const void *, size_t);
    if (fd > 2)
        step();
    return real(fd, buf, n);
}

int
fsync(int fd)
{
    NEXT(int, "fsync", int);
    step();
    return real(fd);
}

int
fchmod(int fd, mode_t mode)
{
    NEXT(int, "fchmod", int, mode_t);
    step();
    return real(fd, mode);
}

int
rename(const char *a, const char *b)
{
    NEXT(int, "rename", const char *, const char *);
    step();
    return real(a, b);
}
