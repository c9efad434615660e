/*
 * schemacache.h - a flattened copy of a RELAX NG schema, cached per user
 *
 * libvirt's domain.rng is seven files joined by <include>.  Compiling it
 * reads and cleans every one of them on each start; a single file with the
 * includes inlined, and comments and ignorable whitespace gone, compiles to
 * the same grammar in two thirds of the time.  The copy lives in
 * g_get_user_cache_dir()/domlint, keyed by the schema's path, and records
 * the inode, size and modification time of every file it was made from; it
 * is made again when one of them changes.
 */
#pragma once

#include <glib.h>

/*
 * The flattened copy of SCHEMA (a domain.rng path): its bytes, *LEN of them
 * (caller frees), from the cache or made now and cached.  NULL when there is
 * none to use: the cache directory cannot be written, or SCHEMA uses
 * something the flattener does not inline (an <include> with overrides or
 * ns=, <externalRef>, a file included twice, entities).  Then compile
 * SCHEMA itself.  Never fails otherwise: a damaged copy is made again.
 */
char *dl_schema_flat_get(const char *schema, gsize *len);

/*
 * Flatten SCHEMA without any cache (caller frees), or NULL as above; the
 * files read are appended to SOURCES (may be NULL) as "STAMP PATH" lines.
 * For the tests.
 */
char *dl_schema_flatten(const char *schema, gsize *len, GString *sources);
