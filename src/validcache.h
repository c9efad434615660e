/*
 * validcache.h - remember which data files already passed their schema
 *
 * domlint validates its own knowledge files (data/machines, data/releases)
 * against their RELAX NG schemas when it loads them.  That costs more than
 * checking a domain, on every start, for files that rarely change.  This
 * cache records, per user (g_get_user_cache_dir()/domlint/validated.ini),
 * each file that passed: its path, inode, size and modification time in
 * nanoseconds, and the same of the schema it passed.  A file whose record
 * still matches is not validated again; any change validates it anew.  A
 * cache that cannot be read or written only costs the validation.
 */
#pragma once

#include <glib.h>

typedef struct dl_valid_cache dl_valid_cache;

/* Open the records of files validated against SCHEMA.  Never NULL. */
dl_valid_cache *dl_valid_cache_open(const char *schema);

/* TRUE when FILE passed SCHEMA as it is now. */
gboolean dl_valid_cache_known(const dl_valid_cache *cache, const char *file);

/* Record that FILE, as it is now, passed SCHEMA. */
void dl_valid_cache_remember(dl_valid_cache *cache, const char *file);

/* Save what was remembered (atomically, best effort) and free the cache. */
void dl_valid_cache_close(dl_valid_cache *cache);
