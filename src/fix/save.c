/*
 * save.c - replacing a file atomically (--fix --in-place)
 *
 * The new text is written to a temporary file in the same directory,
 * flushed to disk, given the old file's mode and owner, and renamed over
 * the old one; the directory is flushed last.  A crash at any point leaves
 * either the old file or the new one.  A symbolic link is followed: its
 * target is replaced and the link stays.  If the file changed since it was
 * read, nothing is written.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "domlint.h"

/* The caller names the file; the message says what went wrong. */
static gboolean
fail(GError **error, const char *path, const char *what, int err)
{
    g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(err), "%s: %s", what, g_strerror(err));
    return FALSE;
}

static gboolean
write_all(int fd, const char *data, gsize len)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return FALSE;
        data += n;
        len -= (gsize) n;
    }
    return TRUE;
}

static gboolean
unchanged(const char *path, const char *original, gsize original_len, GError **error)
{
    g_autofree char *now = NULL;
    gsize now_len = 0;
    g_autoptr(GError) err = NULL;

    if (!g_file_get_contents(path, &now, &now_len, &err)) {
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "cannot read it again: %s",
                    err->message);
        return FALSE;
    }
    if (now_len != original_len || memcmp(now, original, original_len) != 0) {
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
                    "changed since domlint read it; not replaced");
        return FALSE;
    }
    return TRUE;
}

static void
sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

gboolean
domlint_save_atomic(const char *path, const char *data, gsize len, const char *original,
                    gsize original_len, GError **error)
{
    g_autofree char *real = realpath(path, NULL);
    g_autofree char *dir = NULL;
    g_autofree char *base = NULL;
    g_autofree char *tmp = NULL;
    struct stat st;
    int fd;

    if (!real)
        return fail(error, path, "cannot resolve", errno);
    if (stat(real, &st) != 0)
        return fail(error, path, "cannot stat", errno);
    /* a file nobody may write was made read-only on purpose, even for root */
    if ((st.st_mode & 0222) == 0) {
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_PERM, "the file is read-only; not replaced");
        return FALSE;
    }
    if (!unchanged(real, original, original_len, error))
        return FALSE;
    dir = g_path_get_dirname(real);
    base = g_path_get_basename(real);
    tmp = g_strdup_printf("%s/.%s.domlint-XXXXXX", dir, base);
    fd = g_mkstemp_full(tmp, O_WRONLY | O_CLOEXEC, st.st_mode & 07777);
    if (fd < 0)
        return fail(error, path, "cannot create a temporary file beside it", errno);
    if (!write_all(fd, data, len) || fchmod(fd, st.st_mode & 07777) != 0) {
        int saved = errno;
        close(fd);
        g_unlink(tmp);
        return fail(error, path, "cannot write the new contents", saved ? saved : EIO);
    }
    /* root keeps the file's owner; anyone else cannot give a file away anyway */
    if (geteuid() == 0 && fchown(fd, st.st_uid, st.st_gid) != 0) {
        int saved = errno;
        close(fd);
        g_unlink(tmp);
        return fail(error, path, "cannot keep the owner", saved);
    }
    if (fsync(fd) != 0) {
        int saved = errno;
        close(fd);
        g_unlink(tmp);
        return fail(error, path, "cannot flush the new contents to disk", saved);
    }
    if (close(fd) != 0) {
        int saved = errno;
        g_unlink(tmp);
        return fail(error, path, "cannot write the new contents", saved);
    }
    if (rename(tmp, real) != 0) {
        int saved = errno;
        g_unlink(tmp);
        return fail(error, path, "cannot replace", saved);
    }
    sync_dir(dir);
    return TRUE;
}
