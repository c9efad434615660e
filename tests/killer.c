/*
 * killer.c - an LD_PRELOAD shim for tests/inplace-fault.sh
 *
 * Counts the calls that make up an atomic file replacement (open, write,
 * fchmod, fchown, fsync, close, rename) and kills the process with SIGKILL
 * just before call number $DOMLINT_KILL_AT, so the test can check that a
 * crash at any step leaves the old file or the new one, never a mixture.
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
