/*
 * jobs.c - -j: files are checked by threads that share the contexts
 *
 * The compiled schema and the knowledge are only read while checking
 * (libxml2 keeps what validation changes in each call's own validation
 * context), so memory does not grow with -j.  Each thread takes the next
 * file not yet taken and checks it; results are collected by position so
 * that they are printed in input order.
 */
#include "config.h"

#include <sys/resource.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "cli/jobs.h"
#include "cli/memory.h"

/*
 * Under an address space limit (ulimit -v), each thread takes a stack and
 * glibc a malloc arena of 64 MB (128 MB while it is made); a thread whose
 * arena does not fit gets its memory a page at a time and soon has none.
 * So the threads get at most a quarter of the room left, their arenas at
 * most half; the rest is for the files' trees.
 */
static int
jobs_within_limit(int jobs)
{
    const guint64 arena = 128 << 20;
    struct rlimit stack;
    guint64 room = dl_cli_memory_room(), stack_size = 8 << 20, threads;

    if (room == G_MAXUINT64)
        return jobs;
    if (getrlimit(RLIMIT_STACK, &stack) == 0 && stack.rlim_cur != RLIM_INFINITY)
        stack_size = MAX(stack.rlim_cur, 1 << 20);
    threads = CLAMP(room / 4 / stack_size, 1, (guint64) jobs);
#ifdef M_ARENA_MAX
    mallopt(M_ARENA_MAX, (int) (1 + MIN(room / 2 / arena, threads)));
#else
    (void) arena;
#endif
    return (int) threads;
}

int
dl_cli_jobs_for(int requested, guint files)
{
    int cpus = (int) g_get_num_processors();
    int jobs = requested > 0 ? requested : cpus;

    jobs = (int) MIN((guint) MIN(jobs, 4 * cpus), files);
    return jobs > 1 ? jobs_within_limit(jobs) : jobs;
}

static gpointer
pool_work(gpointer user)
{
    dl_cli_pool *pool = user;

    for (;;) {
        guint i = (guint) g_atomic_int_add(&pool->next, 1);
        domlint_result *r;

        if (i >= pool->n)
            return NULL;
        r = pool->work(i, pool->user);
        g_mutex_lock(&pool->lock);
        pool->results[i] = r;
        g_cond_broadcast(&pool->ready);
        g_mutex_unlock(&pool->lock);
    }
}

gboolean
dl_cli_pool_start(dl_cli_pool *pool, guint n, int jobs, dl_cli_work work, gpointer user)
{
    pool->n = n;
    pool->work = work;
    pool->user = user;
    pool->results = g_new0(domlint_result *, n);
    pool->threads = g_ptr_array_new();
    g_mutex_init(&pool->lock);
    g_cond_init(&pool->ready);
    for (int j = 0; j < jobs; j++) {
        GThread *t = g_thread_try_new("domlint-check", pool_work, pool, NULL);

        if (!t)
            break;
        g_ptr_array_add(pool->threads, t);
    }
    if (pool->threads->len > 0)
        return TRUE;
    dl_cli_pool_finish(pool);
    return FALSE;
}

domlint_result *
dl_cli_pool_wait(dl_cli_pool *pool, guint i)
{
    domlint_result *r;

    g_mutex_lock(&pool->lock);
    while (!pool->results[i])
        g_cond_wait(&pool->ready, &pool->lock);
    r = pool->results[i];
    /* the caller's now */
    pool->results[i] = NULL;
    g_mutex_unlock(&pool->lock);
    return r;
}

void
dl_cli_pool_stop(dl_cli_pool *pool)
{
    g_atomic_int_set(&pool->next, (gint) pool->n);
}

void
dl_cli_pool_finish(dl_cli_pool *pool)
{
    for (guint i = 0; i < pool->threads->len; i++)
        g_thread_join(g_ptr_array_index(pool->threads, i));
    g_ptr_array_unref(pool->threads);
    /* results nobody waited for: the run stopped early */
    for (guint i = 0; i < pool->n; i++)
        domlint_result_free(pool->results[i]);
    g_free(pool->results);
    g_mutex_clear(&pool->lock);
    g_cond_clear(&pool->ready);
}
