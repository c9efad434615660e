/*
 * target.h - which QEMU and libvirt release a domain is checked against
 *
 * Every version-dependent fact of the knowledge base holds in a range of
 * releases, and every check runs against one target: a QEMU release and a
 * libvirt release (plus, for vendor builds such as RHEL's qemu-kvm, the
 * vendor's release, which decides the machine types on offer).  The target
 * comes from --target (a spec or a named platform of data/targets.xml), from
 * the QEMU and libvirt installed on the host, or, failing both, from the
 * newest releases the knowledge base describes.
 */
#pragma once

#include <glib.h>

typedef enum {
    DL_TARGET_FROM_OPTION,   /* named by --target */
    DL_TARGET_FROM_ENV,      /* named by DOMLINT_TARGET */
    DL_TARGET_FROM_PLATFORM, /* a named platform given to --target */
    DL_TARGET_FROM_HOST,     /* the binary or library installed here */
    DL_TARGET_FROM_BINARY,   /* the binary given to --qemu */
    DL_TARGET_FROM_NEWEST,   /* nothing else known: the newest release described */
    DL_TARGET_FROM_LAST
} dl_target_from;

/* A named platform of data/targets.xml ("debian-13", "rhel-9.6"). */
typedef struct {
    char *id;
    char *title;             /* "Debian 13 (trixie)" */
    char *qemu;              /* upstream QEMU release its QEMU is based on, "10.0" */
    char *libvirt;           /* "11.3" */
    char *vendor;            /* machine-type line of its QEMU: NULL = upstream, "rhel" */
    char *vendor_version;    /* with vendor: its release on that line, "9.6" */
    char *source;            /* where the versions come from */
} dl_platform;

/* A feature of libvirt's domain schema that came with a release. */
typedef struct {
    char *xpath;             /* the nodes of a domain that use it */
    void *compiled;          /* xmlXPathCompExpr* of xpath, compiled once at load */
    char *what;              /* "the <audio> element" */
    char *since;             /* first libvirt release whose schema has it */
    char *source;
} dl_schema_feature;

typedef struct dl_releases dl_releases;

/* The target of one run.  Every string is owned by the target. */
typedef struct {
    char *qemu;              /* "10.0": major.minor */
    char *libvirt;           /* "11.3" */
    char *vendor;            /* NULL = upstream QEMU; "rhel" */
    char *vendor_version;    /* "9.6" with vendor, else NULL */
    char *vendor_title;      /* "RHEL's qemu-kvm" with vendor, else NULL */
    gboolean vendor_upstream;/* the vendor's QEMU keeps upstream's machine types too */
    char *platform;          /* platform id when one was named, else NULL */
    char *platform_title;
    dl_target_from qemu_from;
    dl_target_from libvirt_from;
    char *qemu_origin;       /* what the QEMU version was read from ("/usr/bin/qemu-system-x86_64"), or NULL */
    char *libvirt_origin;    /* likewise for libvirt, or NULL */
    char *qemu_newest;       /* newest QEMU release the knowledge base describes */
    char *libvirt_newest;
    char *qemu_oldest;
    char *libvirt_oldest;
} dl_target;

#define DL_TARGET_ERROR (dl_target_error_quark())
GQuark dl_target_error_quark(void);

typedef enum {
    DL_TARGET_ERROR_SPEC,    /* --target cannot be understood */
    DL_TARGET_ERROR_DATA,    /* data/targets.xml cannot be read */
    DL_TARGET_ERROR_QEMU,    /* a binary's -version did not answer, or is not QEMU's */
    DL_TARGET_ERROR_LAST
} dl_target_error;

/*
 * Load the release data of DIR (data/releases: targets.xml, the named
 * platforms and vendors; libvirt-schema.xml, the schema's history;
 * libvirt-rules.xml, the releases of libvirt's checks), each validated
 * against SCHEMA_DIR/<name>.rng when SCHEMA_DIR is not NULL and has it.
 * Caller frees with dl_releases_free().
 */
dl_releases *dl_releases_load(const char *dir, const char *schema_dir, GError **error);
void dl_releases_free(dl_releases *releases);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(dl_releases, dl_releases_free)

/* TRUE when libvirt TARGET has the check that rule ID follows (unlisted rules: always). */
gboolean dl_releases_rule_applies(const dl_releases *releases, const char *id,
                                  const dl_target *target);

/* Does the TARGET libvirt behave as data/releases/libvirt-rules.xml's
 * <behaviour id=ID> says (FALSE for an ID the file does not list)? */
gboolean dl_releases_behaviour(const dl_releases *releases, const char *id, const dl_target *target);

guint dl_releases_schema_feature_count(const dl_releases *releases);
const dl_schema_feature *dl_releases_schema_feature(const dl_releases *releases, guint i);

guint dl_releases_platform_count(const dl_releases *releases);
const dl_platform *dl_releases_platform(const dl_releases *releases, guint i);
const dl_platform *dl_releases_find_platform(const dl_releases *releases, const char *id);
/* TRUE when the machine families list every machine type QEMU has for ARCH. */
gboolean dl_releases_arch_complete(const dl_releases *releases, const char *arch);
const char *dl_releases_newest(const dl_releases *releases, const char *product);
const char *dl_releases_oldest(const dl_releases *releases, const char *product);

/*
 * The host's QEMU and libvirt versions, as the default target would use
 * them: what they were read from goes to *ORIGIN (caller frees).  NULL when
 * not installed, or when DOMLINT_HOST=none (a bare machine, for tests).
 * The QEMU version is read once per binary (its --version, no VM start)
 * and cached under the user's cache directory.  Caller frees.
 */
char *dl_host_qemu_version(char **origin);

/*
 * "9.0" for the libvirt client library installed here, read from its file
 * name (libvirt.so.0.9000.0: libvirt's library version is major * 1000 +
 * minor), without loading it; NULL when there is none.  Caller frees.
 */
char *dl_libvirt_library_version(void);

/*
 * "7.2.22" from PATH -version (searched in PATH when it has no slash), at
 * most 2 seconds; NULL with ERROR when it hangs or is not QEMU.  Caller frees.
 */
char *dl_qemu_version_of(const char *path, GError **error);

/* The version of the QEMU binary BIN (a path or a name in PATH), cached as above, or NULL. */
char *dl_qemu_binary_version(const char *bin);
char *dl_host_libvirt_version(char **origin);

/*
 * Resolve SPEC (NULL = none given: DOMLINT_TARGET, if set) into a target: "debian-13",
 * "qemu-10.0,libvirt-11.3", "qemu-10.0", "libvirt-11.3", "newest", "host".
 * A part the spec leaves out comes from the host, else the newest release.
 * QEMU_BINARY_VERSION (NULL unless --qemu) is that binary's version, which
 * then decides the QEMU part.  Caller frees with dl_target_free().
 */
dl_target *dl_target_resolve(const dl_releases *releases, const char *spec,
                             const char *qemu_binary_version, GError **error);
void dl_target_free(dl_target *target);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(dl_target, dl_target_free)

/* "QEMU 10.0, libvirt 11.3 (debian-13: Debian 13 (trixie))" (caller frees). */
char *dl_target_describe(const dl_target *target);

/* "--target=debian-13", "host", "newest known", ... for one part (borrowed). */
const char *dl_target_from_name(dl_target_from from);

/* Title of vendor ID ("RHEL's qemu-kvm"), or ID itself when unknown (borrowed). */
const char *dl_releases_vendor_title(const dl_releases *releases, const char *id);

/*
 * PRODUCT's ("qemu", "libvirt") part of the target for messages, with the
 * platform or how it was chosen: "QEMU 10.0 (debian-13)", "libvirt 9.0
 * (installed on this host)" (caller frees).
 */
char *dl_target_label(const dl_target *target, const char *product);

/* "QEMU 10.0" or "RHEL 9.6's qemu-kvm" (caller frees). */
char *dl_target_qemu_label(const dl_target *target);

/*
 * TRUE when a fact that holds for PRODUCT ("qemu", "libvirt") releases from
 * SINCE (NULL = always) to before BEFORE (NULL = still) holds for TARGET.
 */
gboolean dl_target_in_range(const dl_target *target, const char *product,
                            const char *since, const char *before);

/* "10.0" of "10.0.13", "9" -> "9.0"; NULL when VERSION is not numeric (caller frees). */
char *dl_version_major_minor(const char *version);
