/*
 * domlint.h - public interface of libdomlint
 *
 * libdomlint checks libvirt domain XML for QEMU guests against what the
 * chosen machine type really has.  A caller creates one domlint_ctx (which
 * loads the machine knowledge base and compiles the libvirt schema once),
 * checks any number of files with it, and formats the findings with
 * domlint_format_text() or domlint_format_json().  The library never prints.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
    DOMLINT_SEV_NOTE,
    DOMLINT_SEV_WARNING,
    DOMLINT_SEV_ERROR,
    DOMLINT_SEV_LAST
} domlint_severity;

/*
 * What a repair changes for the guest.  A safe one changes nothing the
 * guest can see (an address dropped that libvirt assigns identically, an
 * option filled in as libvirt fills it, something libvirt ignores removed);
 * a guest-visible one moves or replaces hardware (a PCI address, a bus, a
 * disk's target name, a controller's model), and the guest's names follow:
 * NIC names derive from PCI addresses, an IDE disk moved to SATA is renamed.
 */
typedef enum {
    DOMLINT_FIX_NONE,          /* not about a repair */
    DOMLINT_FIX_SAFE,
    DOMLINT_FIX_GUEST_VISIBLE,
    DOMLINT_FIX_LAST
} domlint_fix_class;

/* "safe", "guest-visible", or NULL for DOMLINT_FIX_NONE. */
const char *domlint_fix_class_name(domlint_fix_class fix_class);

/* One finding.  Everything is owned by the diagnostic. */
typedef struct domlint_diag domlint_diag;
struct domlint_diag {
    char *file;
    int line;                 /* 0 when unknown */
    int column;               /* 0 when unknown */
    domlint_severity severity;
    char *rule;               /* stable kebab-case id, e.g. "pci-address-conflict" */
    char *message;
    char *xpath;              /* element the finding is about, or NULL */
    char *fixit;              /* what --fix would do, or NULL */
    GPtrArray *notes;         /* of domlint_diag*: secondary locations, severity note */
    /* the class of the repair a "fixed:" note reports, or of the repair
     * --fix=safe left out of a finding; DOMLINT_FIX_NONE otherwise */
    domlint_fix_class fix_class;
};

void domlint_diag_free(domlint_diag *diag);

/* "error", "warning" or "note" (also SARIF's level names). */
const char *domlint_severity_name(domlint_severity severity);

typedef enum {
    DOMLINT_FILE_CHECKED,     /* the file was read and checked: see diags */
    DOMLINT_FILE_FAILED,      /* it could not be checked: see failure */
    DOMLINT_FILE_LAST
} domlint_file_status;

/* The outcome for one input. */
typedef struct {
    char *file;
    domlint_file_status status;
    char *failure;            /* one-line reason when status is FAILED */
    GPtrArray *diags;         /* of domlint_diag*, in document order */
    char *machine;            /* machine type as resolved, or NULL */
    char *family;             /* knowledge-base family id, or NULL */
    /* the text that was checked (NUL-terminated, TEXT_LEN bytes; with --fix
     * the repaired text the remaining findings point into), so that a report
     * can quote their lines; NULL when the file was not checked.  Owned by
     * the result: it is the buffer the check read, handed over, not a copy;
     * a caller done with it may free it early and set it to NULL */
    char *text;
    gsize text_len;
} domlint_result;

void domlint_result_free(domlint_result *result);
guint domlint_result_count(const domlint_result *result, domlint_severity severity);

/*
 * How a context checks: opaque, made with domlint_options_new() and set
 * one setting at a time, so that a new setting is a new function and never
 * changes what a caller built against an older header passes.  Strings and
 * lists are copied: the caller keeps its own.  A context takes what it
 * needs when it is made; the options may be freed or changed afterwards.
 */
typedef struct domlint_options domlint_options;

/* Every setting at its default, as described at its setter.  Caller frees. */
domlint_options *domlint_options_new(void);
/* A copy of OPTIONS with its own strings (caller frees): a base for several runs. */
domlint_options *domlint_options_copy(const domlint_options *options);
void domlint_options_free(domlint_options *options);

/* Directory of machine family files; NULL (default): domlint_data_dir("machines"). */
void domlint_options_set_machine_db(domlint_options *options, const char *dir);
/* Directory of libvirt's RELAX NG schemas; NULL (default): the one chosen at build time. */
void domlint_options_set_schema_dir(domlint_options *options, const char *dir);
/* Skip RELAX NG validation (default FALSE). */
void domlint_options_set_no_schema(domlint_options *options, gboolean no_schema);
/* Rule ids to turn off ("all": every rule), NULL-terminated; NULL (default): none. */
void domlint_options_set_disable(domlint_options *options, const char *const *rules);
/* Rule ids to turn on again after the ones disabled, NULL-terminated; NULL (default): none. */
void domlint_options_set_enable(domlint_options *options, const char *const *rules);
/* Check against what this QEMU binary has (probed once, cached); NULL (default): no binary. */
void domlint_options_set_qemu(domlint_options *options, const char *binary);
/* Also check against the domain capabilities of the libvirt at URI; NULL (default): none. */
void domlint_options_set_connect(domlint_options *options, const char *uri);
/*
 * Also check that the files, devices, sockets, bridges and other resources
 * each domain needs exist on the host whose root directory is ROOT ("/":
 * this machine; another directory stands for it in tests); NULL (default):
 * no host checks.
 */
void domlint_options_set_host_root(domlint_options *options, const char *root);
/*
 * Fixing also writes the PCI address libvirt would give every device that
 * has none, and the controllers libvirt would add (default FALSE).
 */
void domlint_options_set_layout(domlint_options *options, gboolean layout);
/*
 * COUNT empty pcie-root-ports wanted for hotplug: checked, and when fixing
 * added (implies layout).  Negative (default): libvirt's own rule applies.
 * Counts above 255 are taken as 255.
 */
void domlint_options_set_spare_ports(domlint_options *options, int count);
/*
 * What the domains will be defined on: "debian-13", "qemu-10.0,libvirt-11.3",
 * "newest", "host"; NULL (default): the host's QEMU and libvirt, else the
 * newest known.
 */
void domlint_options_set_target(domlint_options *options, const char *spec);
/*
 * Load the knowledge on a second thread while the schema compiles
 * (default FALSE): a context is ready sooner on two cores, but glibc's
 * malloc then takes its locks for the rest of the process, which costs
 * some 4% over thousands of files; for a caller that checks one file or
 * a few.
 */
void domlint_options_set_load_in_parallel(domlint_options *options, gboolean parallel);
/* Fixing applies only repairs of class DOMLINT_FIX_SAFE (default FALSE: all). */
void domlint_options_set_fix_safe_only(domlint_options *options, gboolean safe_only);

typedef struct domlint_ctx domlint_ctx;

/*
 * Create a checking context.  Returns NULL and sets ERROR when the knowledge
 * base cannot be loaded or a rule id is unknown.  A missing libvirt schema is
 * not an error: every result then carries one warning saying so.  OPTIONS
 * NULL: every default.  Caller frees.
 * Checking and fixing only read a context: several threads may use one
 * context at once (the compiled schema is by far its largest part).
 */
domlint_ctx *domlint_ctx_new(const domlint_options *options, GError **error);
void domlint_ctx_free(domlint_ctx *ctx);

/* Where the knowledge base was loaded from (borrowed). */
const char *domlint_ctx_machine_db(const domlint_ctx *ctx);

/* The release target of CTX, for reports. */
typedef struct {
    const char *qemu;         /* "10.0" */
    const char *libvirt;      /* "11.3" */
    const char *vendor;       /* NULL = upstream QEMU, "rhel" */
    const char *vendor_version;
    const char *platform;     /* "debian-13", or NULL */
    const char *qemu_from;    /* how the QEMU part was chosen: "--target", "installed on this host", ... */
    const char *libvirt_from;
    const char *qemu_origin;  /* the binary its version was read from, or NULL */
    const char *libvirt_origin;
} domlint_target_info;

/* The releases the knowledge covers (strings borrowed from CTX). */
typedef struct {
    const char *qemu_oldest, *qemu_newest;
    const char *libvirt_oldest, *libvirt_newest;
} domlint_release_span;

void domlint_ctx_releases(const domlint_ctx *ctx, domlint_release_span *span);

/* A named platform --target accepts. */
typedef struct {
    const char *id;           /* "debian-13" */
    const char *title;
    const char *qemu;
    const char *libvirt;
    const char *vendor;       /* NULL, or "rhel" */
    const char *source;
} domlint_platform_info;

/* Platform I (borrowed, lives as long as CTX), or NULL past the last. */
const domlint_platform_info *domlint_ctx_platform(const domlint_ctx *ctx, guint i);

/* Fill INFO (strings borrowed from CTX).  DESCRIPTION (caller frees, may be NULL) gets one line. */
void domlint_ctx_target(const domlint_ctx *ctx, domlint_target_info *info, char **description);

/*
 * Check one file (PATH "-" reads standard input, named "<stdin>").  Always
 * returns a result; a file that cannot be read or parsed gives status
 * DOMLINT_FILE_FAILED.  Caller must free.
 */
domlint_result *domlint_check_file(domlint_ctx *ctx, const char *path);

/* ---------------------------------------------------------------- inputs */

/* Why an input could not be read (ERROR's code in DOMLINT_INPUT_ERROR). */
typedef enum {
    DOMLINT_INPUT_ERROR_READ,      /* a file: missing, not a regular file, too large, I/O */
    DOMLINT_INPUT_ERROR_DIR,       /* a directory that cannot be listed */
    DOMLINT_INPUT_ERROR_NO_XML,    /* a directory with no *.xml below it: worth a warning */
    DOMLINT_INPUT_ERROR_LAST
} domlint_input_error;

#define DOMLINT_INPUT_ERROR (domlint_input_error_quark())
GQuark domlint_input_error_quark(void);

/*
 * Read PATH ("-" = standard input) with the limits the checker applies.
 * Returns the bytes (NUL-terminated, caller frees) and *LEN, or NULL and
 * ERROR (DOMLINT_INPUT_ERROR_READ) with a one-line message that does not
 * repeat PATH.
 */
char *domlint_read_input(const char *path, gsize *len, GError **error);

/* How findings and reports name the input PATH: "<stdin>" for "-", else PATH (borrowed). */
const char *domlint_input_name(const char *path);

/*
 * The files a list of command-line words names, one at a time, like jq's
 * jq_util_input_next_input(): a file is itself, "-" is standard input, a
 * directory is every *.xml below it, sorted by name at each level, without
 * following symbolic links to directories below it.
 */
typedef struct domlint_inputs domlint_inputs;

/* Over ARGS (NULL-terminated, copied).  Caller frees. */
domlint_inputs *domlint_inputs_new(const char *const *args);
void domlint_inputs_free(domlint_inputs *inputs);

/*
 * The next input: TRUE with *PATH (borrowed until the next call) a file to
 * give domlint_check_file(); TRUE with ERROR set and *PATH the directory
 * when a directory cannot be listed (DOMLINT_INPUT_ERROR_DIR) or one of
 * ARGS holds no *.xml (DOMLINT_INPUT_ERROR_NO_XML); the next call goes on
 * after it.  FALSE when every input has been given.
 */
gboolean domlint_inputs_next(domlint_inputs *inputs, const char **path, GError **error);

/* Check a document held in memory; NAME is used in diagnostics. */
domlint_result *domlint_check_memory(domlint_ctx *ctx, const char *name,
                                     const char *data, gsize len);

/*
 * Fix a document (--fix): repeatedly apply the repairs rules know, as small
 * edits of the text, until none is left.  The result lists every applied
 * repair first (severity note, message "fixed: ..."), then the findings that
 * remain.  *FIXED (caller frees) is the repaired text, byte-identical to
 * the input when there was nothing to fix; NULL when the input could not be
 * read or parsed (the result then has status DOMLINT_FILE_FAILED).
 */
domlint_result *domlint_fix_memory(domlint_ctx *ctx, const char *name, const char *data,
                                   gsize len, char **fixed, gsize *fixed_len);
domlint_result *domlint_fix_file(domlint_ctx *ctx, const char *path, char **fixed,
                                 gsize *fixed_len);

/*
 * Replace PATH with DATA atomically (temporary file in the same directory,
 * fsync, rename; mode and owner kept; a symlink's target is replaced).
 * Refuses, leaving PATH untouched, when its contents are no longer ORIGINAL
 * or when it has no write permission bit at all.  The error message does
 * not repeat PATH.
 */
gboolean domlint_save_atomic(const char *path, const char *data, gsize len,
                             const char *original, gsize original_len, GError **error);

/* Rule registry, for --list-rules and --explain. */
typedef struct {
    const char *id;
    const char *summary;
    domlint_severity severity;
} domlint_rule_info;

guint domlint_rule_count(void);
const domlint_rule_info *domlint_rule_get(guint i);
const domlint_rule_info *domlint_rule_find(const char *id);
/*
 * The page documenting rule ID, or with ID NULL the index of every rule:
 * DOMLINT_DOC_URL when set and not empty, else the base chosen at build
 * time (configure --with-doc-url; by default the installed pages,
 * file://$(docdir)/rules/), followed by "ID.html" or "index.html".
 * Caller frees.
 */
char *domlint_rule_doc_url(const char *id);
/* What 'domlint --explain ID' prints (caller frees), or NULL and ERROR when ID
 * is no rule or its text cannot be read. */
char *domlint_rule_explain(const char *id, GError **error);

/*
 * How domlint_format_text() writes: opaque like domlint_options, for the
 * same reason (a new setting must not change what callers allocate).
 */
typedef struct domlint_text_options domlint_text_options;

/* No colour, no excerpts.  Caller frees. */
domlint_text_options *domlint_text_options_new(void);
void domlint_text_options_free(domlint_text_options *options);
/* Terminal colours (default FALSE). */
void domlint_text_options_set_color(domlint_text_options *options, gboolean color);
/*
 * Under each error and warning (and each of its notes on another line),
 * the source line it points at with a caret under the column, like clang;
 * needs RESULT->text (default FALSE: one line per finding).
 */
void domlint_text_options_set_excerpt(domlint_text_options *options, gboolean excerpt);

/* Formatting (caller must free the string).  OPTIONS NULL: every default. */
char *domlint_format_text(const domlint_result *result, const domlint_text_options *options);
/*
 * The closing line of a text report over RESULTS (array of domlint_result*),
 * "3 errors, 1 warning in 2 of 40 files", with a newline; caller frees.
 */
char *domlint_format_summary(GPtrArray *results);
/*
 * A table of the findings of RESULTS counted per rule and severity, most
 * frequent first within errors, then warnings, then notes; caller frees.
 */
char *domlint_format_statistics(GPtrArray *results);
/*
 * One JSON document for all RESULTS (array of domlint_result*), recording
 * the release TARGET they were checked against (may be NULL: unknown).
 */
char *domlint_format_json(GPtrArray *results, const domlint_target_info *target);
/*
 * One SARIF 2.1.0 log for all RESULTS (array of domlint_result*), as GitHub
 * code scanning reads it: every rule in tool.driver.rules, one result per
 * finding, failed files as invocation notifications.
 */
char *domlint_format_sarif(GPtrArray *results, const domlint_target_info *target);

const char *domlint_version(void);

/*
 * Where domlint's data of kind WHAT ("machines", "rules") is:
 * $DOMLINT_DATA_DIR/WHAT when that environment variable is set (a build
 * tree's data), else the installed $(pkgdatadir)/WHAT.  Caller frees.
 */
char *domlint_data_dir(const char *what);

/* g_autoptr() for every type a caller frees */
G_DEFINE_AUTOPTR_CLEANUP_FUNC(domlint_diag, domlint_diag_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(domlint_result, domlint_result_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(domlint_options, domlint_options_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(domlint_ctx, domlint_ctx_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(domlint_inputs, domlint_inputs_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(domlint_text_options, domlint_text_options_free)

G_END_DECLS
