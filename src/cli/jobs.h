/*
 * jobs.h - -j: how many threads check at once, and the threads
 */
#pragma once

#include <glib.h>

#include "domlint.h"

/*
 * How many threads -j REQUESTED (0: not given, the number of CPUs) gets
 * for FILES files: no more than there are files, no more than four per
 * CPU, as checking waits for nothing but the CPU, and no more than fit
 * under an address space limit.
 */
int dl_cli_jobs_for(int requested, guint files);

/* Item I of a pool's work (caller of dl_cli_pool_wait() frees the result). */
typedef domlint_result *(*dl_cli_work)(guint i, gpointer user);

/*
 * Threads that take items 0..N-1 in turn and keep the results by
 * position, so that they are printed in input order.  Zeroes are a pool
 * not started.
 */
typedef struct {
    guint n;
    dl_cli_work work;
    gpointer user;
    domlint_result **results;
    GPtrArray *threads;
    gint next;                  /* the next item to take */
    GMutex lock;
    GCond ready;
} dl_cli_pool;

/*
 * Start working on N items on up to JOBS threads.  When the system gives
 * fewer threads (a memory or process limit), those do the whole list;
 * FALSE when it gives none (the pool is then finished already), and the
 * caller does the work itself.
 */
gboolean dl_cli_pool_start(dl_cli_pool *pool, guint n, int jobs, dl_cli_work work, gpointer user);

/* The result of item I, once there is one. */
domlint_result *dl_cli_pool_wait(dl_cli_pool *pool, guint i);

/* No item is taken after this: each thread stops after the one it has. */
void dl_cli_pool_stop(dl_cli_pool *pool);

/* Wait for the threads and free what nobody waited for (a pool that was started). */
void dl_cli_pool_finish(dl_cli_pool *pool);
