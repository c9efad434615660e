/*
 * hostres.c - with --host: the resources a domain needs exist on this host
 *
 * libvirt learns that a disk image, a kernel, a bridge or a socket is
 * missing only when the domain starts, and reports the first one.  These
 * rules look for every such resource on the host the domain will run on
 * and report each missing one at the element that names it.
 *
 * They only look: stat(), access(), readdir() and readlink(), reading a
 * few sysfs and procfs attributes, and the first bytes of a regular file
 * (a qcow2 header).  Nothing is created or changed, and no FIFO or device
 * node is ever opened, so no check can block.
 *
 * The seam: every path goes through host_path(), which puts the context's
 * host root in front ("/" for this machine), so the tests build a host in
 * a temporary directory.  The host's architecture is uname()'s.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "check/rules/rules.h"

/* ------------------------------------------------------------ the host */

/* PATH as seen on the checked host (caller frees). */
static char *
host_path(const dl_check *chk, const char *path)
{
    const char *root = chk->ctx->host_root;

    if (!root || strcmp(root, "/") == 0)
        return g_strdup(path);
    return g_build_filename(root, path, NULL);
}

/* stat() of PATH on the host: 0, or the errno. */
static int
host_stat(const dl_check *chk, const char *path, struct stat *st)
{
    g_autofree char *real = host_path(chk, path);

    return stat(real, st) == 0 ? 0 : errno;
}

static gboolean
host_exists(const dl_check *chk, const char *path)
{
    struct stat st;

    return host_stat(chk, path, &st) == 0;
}

/* access() of PATH on the host with MODE: 0, or the errno. */
static int
host_access(const dl_check *chk, const char *path, int mode)
{
    g_autofree char *real = host_path(chk, path);

    return access(real, mode) == 0 ? 0 : errno;
}

/* The names in directory PATH on the host, or NULL when it cannot be read (caller frees). */
static GPtrArray *
host_list(const dl_check *chk, const char *path)
{
    g_autofree char *real = host_path(chk, path);
    g_autoptr(GDir) dir = g_dir_open(real, 0, NULL);
    GPtrArray *names;

    if (!dir)
        return NULL;
    names = g_ptr_array_new_with_free_func(g_free);
    for (const char *name = g_dir_read_name(dir); name; name = g_dir_read_name(dir))
        g_ptr_array_add(names, g_strdup(name));
    return names;
}

/*
 * The text of the small regular file PATH on the host (a sysfs or procfs
 * attribute), stripped, or NULL (caller frees).  Only regular files are
 * read, so nothing blocks.
 */
static char *
host_read(const dl_check *chk, const char *path)
{
    g_autofree char *real = host_path(chk, path);
    char *text = NULL;
    struct stat st;

    if (stat(real, &st) != 0 || !S_ISREG(st.st_mode))
        return NULL;
    if (!g_file_get_contents(real, &text, NULL, NULL))
        return NULL;
    return g_strstrip(text);
}

/*
 * Permission denied is a fact about the user running domlint, not about
 * the host, unless that user is root: libvirt's daemon reads as root.
 */
static gboolean
denial_unknown(int err)
{
    return err == EACCES && geteuid() != 0;
}

/* The machine's architecture as libvirt names it (static; set once, -j threads share it). */
static const char *
host_arch(void)
{
    static char arch[65];
    static gsize done;
    struct utsname u;

    if (g_once_init_enter(&done)) {
        if (uname(&u) == 0)
            g_strlcpy(arch, u.machine, sizeof(arch));
        g_once_init_leave(&done, 1);
    }
    return arch;
}

/*
 * PROGRAM in PATH or in the directories a system daemon's PATH has (libvirt
 * looks in its own, which may not be the caller's), or absolute; NULL when
 * not found (caller frees).
 */
static char *
host_find_program(const dl_check *chk, const char *program)
{
    const char *env = g_getenv("PATH");
    g_autofree char *path = g_strdup_printf("%s:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", env ? env : "");
    g_auto(GStrv) dirs = g_strsplit(path, ":", -1);

    if (program[0] == '/')
        return host_access(chk, program, X_OK) == 0 ? g_strdup(program) : NULL;
    for (gsize i = 0; dirs[i]; i++) {
        g_autofree char *candidate = g_build_filename(dirs[i], program, NULL);

        if (dirs[i][0] == '/' && host_access(chk, candidate, X_OK) == 0)
            return g_steal_pointer(&candidate);
    }
    return NULL;
}

/* ------------------------------------------------------------ reporting */

typedef enum {
    HOST_FILE,               /* a regular file, readable */
    HOST_DIR,                /* a directory */
    HOST_BLOCK,              /* a block device */
    HOST_CHAR,               /* a character device */
    HOST_SOCKET,             /* a UNIX socket */
    HOST_PROGRAM,            /* a regular file, executable */
    HOST_PATH,               /* anything that exists (a file or a block device) */
    HOST_KIND_LAST
} host_kind;

static const char *
kind_name(host_kind kind)
{
    switch (kind) {
    case HOST_FILE: return "a regular file";
    case HOST_DIR: return "a directory";
    case HOST_BLOCK: return "a block device";
    case HOST_CHAR: return "a character device";
    case HOST_SOCKET: return "a UNIX socket";
    case HOST_PROGRAM: return "an executable file";
    case HOST_PATH: return "a file or device";
    case HOST_KIND_LAST: break;
    }
    return "?";
}

static const char *
mode_name(mode_t mode)
{
    if (S_ISREG(mode))
        return "a regular file";
    if (S_ISDIR(mode))
        return "a directory";
    if (S_ISBLK(mode))
        return "a block device";
    if (S_ISCHR(mode))
        return "a character device";
    if (S_ISSOCK(mode))
        return "a socket";
    if (S_ISFIFO(mode))
        return "a FIFO";
    return "something else";
}

static gboolean
mode_fits(mode_t mode, host_kind kind)
{
    switch (kind) {
    case HOST_FILE:
    case HOST_PROGRAM:
        return S_ISREG(mode);
    case HOST_DIR:
        return S_ISDIR(mode);
    case HOST_BLOCK:
        return S_ISBLK(mode);
    case HOST_CHAR:
        return S_ISCHR(mode);
    case HOST_SOCKET:
        return S_ISSOCK(mode);
    case HOST_PATH:
        return S_ISREG(mode) || S_ISBLK(mode) || S_ISCHR(mode);
    case HOST_KIND_LAST:
        break;
    }
    return FALSE;
}

/*
 * PATH, the WHAT of NODE, must be of KIND on the host: an error about NODE
 * when it is not.  A relative path says nothing (libvirt resolves those
 * elsewhere).  TRUE when it is there as wanted.
 */
static gboolean
need_path(dl_check *chk, const xmlNode *node, const char *what, const char *path, host_kind kind)
{
    struct stat st;
    int err;

    if (!path || path[0] != '/')
        return TRUE;
    err = host_stat(chk, path, &st);
    if (err == ENOENT || err == ENOTDIR) {
        dl_diag_fixit(dl_error(chk, node, "%s '%s' does not exist on this host", what, path),
                      "create it, or correct the path in the XML");
        return FALSE;
    }
    if (denial_unknown(err))
        return TRUE;
    if (err) {
        dl_error(chk, node, "%s '%s' cannot be looked at on this host: %s", what, path, g_strerror(err));
        return FALSE;
    }
    if (!mode_fits(st.st_mode, kind)) {
        dl_error(chk, node, "%s '%s' is %s on this host, not %s", what, path, mode_name(st.st_mode), kind_name(kind));
        return FALSE;
    }
    err = kind == HOST_PROGRAM ? host_access(chk, path, X_OK) : 0;
    if (!err && (kind == HOST_FILE || kind == HOST_PATH))
        err = host_access(chk, path, R_OK);
    if (denial_unknown(err))
        return TRUE;
    if (err) {
        dl_error(chk, node, "%s '%s' is not %s on this host: %s", what, path,
                 kind == HOST_PROGRAM ? "executable" : "readable", g_strerror(err));
        return FALSE;
    }
    return TRUE;
}

/* The stripped text of NODE (caller frees), or NULL when empty. */
static char *
node_text(const xmlNode *node)
{
    g_autofree char *text = node ? (char *) xmlNodeGetContent(node) : NULL;

    if (!text || !*g_strstrip(text))
        return NULL;
    return g_steal_pointer(&text);
}

/* The element of NAME at PATH below NODE ("source", "driver"...; a/b for depth). */
static xmlNode *
child_at(const xmlNode *node, const char *path)
{
    g_auto(GStrv) parts = g_strsplit(path, "/", -1);
    xmlNode *at = (xmlNode *) node;

    for (gsize i = 0; at && parts[i]; i++)
        at = dl_xml_child(at, parts[i]);
    return at;
}

/* Each device of KIND written in the XML: for (d = next_of(chk, KIND, NULL); d; d = next_of(chk, KIND, d)) */
static const dl_device *
next_of(const dl_check *chk, dl_dev_kind kind, const dl_device *after)
{
    gboolean seen = after == NULL;

    for (guint i = 0; i < chk->dom->devices->len; i++) {
        const dl_device *dev = g_ptr_array_index(chk->dom->devices, i);

        if (!seen) {
            seen = dev == after;
            continue;
        }
        if (dev->kind == kind && dev->node && !dev->implicit)
            return dev;
    }
    return NULL;
}

/* ------------------------------------------------------------ host-file */

/* A qcow2 image starts with "QFI\xfb": the first bytes of the regular file PATH. */
static gboolean
looks_qcow2(const dl_check *chk, const char *path, gboolean *known)
{
    g_autofree char *real = host_path(chk, path);
    unsigned char magic[4] = { 0 };
    struct stat st;
    ssize_t got;
    int fd;

    *known = FALSE;
    /* O_NONBLOCK, and a regular file only: nothing here can wait */
    fd = open(real, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return FALSE;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return FALSE;
    }
    got = read(fd, magic, sizeof(magic));
    close(fd);
    *known = TRUE;
    return got == 4 && memcmp(magic, "QFI\xfb", 4) == 0;
}

static void
check_disk_file(dl_check *chk, const dl_device *dev)
{
    xmlNode *source = dl_device_child(dev, "source");
    const char *type = dev->type ? dev->type : "file";
    const char *policy = dl_xml_attr(source, "startupPolicy");
    const char *format = dl_xml_attr(dl_device_child(dev, "driver"), "type");
    const char *path;
    gboolean known = FALSE;

    /* an optional disk whose image is missing is dropped by libvirt, not refused */
    if (!source || dl_str_eq(policy, "optional"))
        return;
    if (strcmp(type, "dir") == 0) {
        need_path(chk, source, "disk directory", dl_xml_attr(source, "dir"), HOST_DIR);
        return;
    }
    if (strcmp(type, "file") != 0)
        return;
    path = dl_xml_attr(source, "file");
    if (!need_path(chk, source, "disk image", path, HOST_FILE) || !dl_str_eq(format, "qcow2"))
        return;
    if (!looks_qcow2(chk, path, &known) && known)
        dl_diag_fixit(dl_error(chk, source, "disk image '%s' is not a qcow2 image on this host, yet <driver type='qcow2'> says it is", path),
                      "give the image's real format in <driver type> (qemu-img info tells it), or convert the image");
}

/* The NVRAM file: there, or made by libvirt from a template in a directory that exists. */
static void
check_nvram(dl_check *chk, xmlNode *nvram)
{
    const char *type = dl_xml_attr(nvram, "type");
    const char *template = dl_xml_attr(nvram, "template");
    g_autofree char *path = NULL;
    g_autofree char *dir = NULL;

    if (template)
        need_path(chk, nvram, "NVRAM template", template, HOST_FILE);
    /* <nvram type='file'><source file=...> (libvirt 8.5+), or the path as text */
    if (dl_str_eq(type, "file"))
        path = g_strdup(dl_xml_attr(dl_xml_child(nvram, "source"), "file"));
    else if (!type)
        path = node_text(nvram);
    if (!path || path[0] != '/' || host_exists(chk, path))
        return;
    dir = g_path_get_dirname(path);
    if (!host_exists(chk, dir))
        dl_diag_fixit(dl_error(chk, nvram, "NVRAM file '%s' does not exist and libvirt cannot make it: its directory '%s' does not exist on this host", path, dir),
                      "create the directory, or put the NVRAM file in one that exists (libvirt's default is /var/lib/libvirt/qemu/nvram)");
}

static void
check_boot_files(dl_check *chk)
{
    static const struct {
        const char *element;
        const char *what;
    } files[] = {
        { "kernel", "kernel" },
        { "initrd", "initrd" },
        { "dtb", "device tree" },
        { "loader", "firmware loader" },
    };
    xmlNode *os = chk->dom->os;

    for (gsize i = 0; os && i < G_N_ELEMENTS(files); i++) {
        xmlNode *node = dl_xml_child(os, files[i].element);
        g_autofree char *path = node_text(node);

        need_path(chk, node, files[i].what, path, HOST_FILE);
    }
    if (os && dl_xml_child(os, "nvram"))
        check_nvram(chk, dl_xml_child(os, "nvram"));
    for (xmlNode *t = dl_xml_first(dl_xml_child(os, "acpi"), "table"); t; t = dl_xml_next(t)) {
        g_autofree char *path = node_text(t);

        need_path(chk, t, "ACPI table", path, HOST_FILE);
    }
}

/* <filesystem>, <memory model='nvdimm'>, a smartcard's certificate database. */
static void
check_other_files(dl_check *chk)
{
    for (const dl_device *d = next_of(chk, DL_DEV_FILESYSTEM, NULL); d; d = next_of(chk, DL_DEV_FILESYSTEM, d)) {
        xmlNode *source = dl_device_child(d, "source");
        const char *type = d->type ? d->type : "mount";

        if (strcmp(type, "mount") == 0)
            need_path(chk, source, "shared directory", dl_xml_attr(source, "dir"), HOST_DIR);
        else if (strcmp(type, "file") == 0)
            need_path(chk, source, "filesystem image", dl_xml_attr(source, "file"), HOST_FILE);
    }
    for (const dl_device *d = next_of(chk, DL_DEV_MEMORY, NULL); d; d = next_of(chk, DL_DEV_MEMORY, d)) {
        xmlNode *path_node = child_at(d->node, "source/path");
        g_autofree char *path = node_text(path_node);
        const char *model = dl_xml_attr(d->node, "model");

        if (dl_str_eq(model, "nvdimm") || dl_str_eq(model, "virtio-pmem"))
            need_path(chk, path_node, "memory backing file", path, HOST_PATH);
    }
    for (const dl_device *d = next_of(chk, DL_DEV_SMARTCARD, NULL); d; d = next_of(chk, DL_DEV_SMARTCARD, d)) {
        xmlNode *db = dl_device_child(d, "database");
        g_autofree char *path = node_text(db);

        if (dl_str_eq(dl_xml_attr(d->node, "mode"), "host-certificates"))
            need_path(chk, db, "certificate database", path, HOST_DIR);
    }
}

static void
check_host_file(dl_check *chk)
{
    for (const dl_device *d = next_of(chk, DL_DEV_DISK, NULL); d; d = next_of(chk, DL_DEV_DISK, d))
        check_disk_file(chk, d);
    check_boot_files(chk);
    check_other_files(chk);
}

const dl_rule dl_rule_host_file = {
    .id = "host-file",
    .summary = "with --host: disk images, kernels, initrds, DTBs, loaders, NVRAM, ACPI tables and shared directories exist on this host",
    .severity = DOMLINT_SEV_ERROR,
    .host = TRUE,
    .check = check_host_file,
};

/* ------------------------------------------------------------ host-block-device */

static void
check_host_block_device(dl_check *chk)
{
    for (const dl_device *d = next_of(chk, DL_DEV_DISK, NULL); d; d = next_of(chk, DL_DEV_DISK, d)) {
        xmlNode *source = dl_device_child(d, "source");

        if (!dl_str_eq(d->type, "block") || !source || dl_str_eq(dl_xml_attr(source, "startupPolicy"), "optional"))
            continue;
        need_path(chk, source, "block device", dl_xml_attr(source, "dev"), HOST_BLOCK);
    }
    for (const dl_device *d = next_of(chk, DL_DEV_FILESYSTEM, NULL); d; d = next_of(chk, DL_DEV_FILESYSTEM, d)) {
        xmlNode *source = dl_device_child(d, "source");

        if (dl_str_eq(d->type, "block"))
            need_path(chk, source, "block device", dl_xml_attr(source, "dev"), HOST_BLOCK);
    }
    for (const dl_device *d = next_of(chk, DL_DEV_HOSTDEV, NULL); d; d = next_of(chk, DL_DEV_HOSTDEV, d)) {
        xmlNode *block = child_at(d->node, "source/block");
        g_autofree char *path = node_text(block);

        if (dl_str_eq(dl_xml_attr(d->node, "mode"), "capabilities") && dl_str_eq(d->type, "storage"))
            need_path(chk, block, "block device", path, HOST_BLOCK);
    }
}

const dl_rule dl_rule_host_block_device = {
    .id = "host-block-device",
    .summary = "with --host: the block devices disks, filesystems and storage hostdevs name exist and are block devices",
    .severity = DOMLINT_SEV_ERROR,
    .host = TRUE,
    .check = check_host_block_device,
};

/* ------------------------------------------------------------ host-device-node */

/* A GL display without a render node takes the host's first /dev/dri/renderD*. */
static void
need_render_node(dl_check *chk, xmlNode *node)
{
    g_autoptr(GPtrArray) names = host_list(chk, "/dev/dri");

    for (guint i = 0; names && i < names->len; i++) {
        if (g_str_has_prefix(g_ptr_array_index(names, i), "renderD"))
            return;
    }
    dl_diag_fixit(dl_error(chk, node, "OpenGL needs a render node, and this host has none in '/dev/dri'"),
                  "run the guest on a host with a GPU and its DRM driver, or turn OpenGL off");
}

static void
check_gl(dl_check *chk)
{
    for (const dl_device *d = next_of(chk, DL_DEV_GRAPHICS, NULL); d; d = next_of(chk, DL_DEV_GRAPHICS, d)) {
        xmlNode *gl = dl_device_child(d, "gl");
        const char *node = dl_xml_attr(gl, "rendernode");
        gboolean on = dl_str_eq(d->type, "egl-headless") || dl_str_eq(dl_xml_attr(gl, "enable"), "yes");

        if (!on)
            continue;
        if (node)
            need_path(chk, gl, "render node", node, HOST_CHAR);
        else
            need_render_node(chk, gl ? gl : d->node);
    }
    for (const dl_device *d = next_of(chk, DL_DEV_VIDEO, NULL); d; d = next_of(chk, DL_DEV_VIDEO, d)) {
        xmlNode *accel = child_at(d->node, "model/acceleration");
        const char *node = dl_xml_attr(accel, "rendernode");

        if (node)
            need_path(chk, accel, "render node", node, HOST_CHAR);
    }
}

static void
check_usb_hostdev(dl_check *chk, const dl_device *d)
{
    xmlNode *source = dl_device_child(d, "source");
    const char *vendor = dl_xml_attr(dl_xml_child(source, "vendor"), "id");
    const char *product = dl_xml_attr(dl_xml_child(source, "product"), "id");
    g_autoptr(GPtrArray) names = NULL;

    if (!need_path(chk, d->node, "USB device directory", "/sys/bus/usb/devices", HOST_DIR) || !vendor || !product)
        return;
    names = host_list(chk, "/sys/bus/usb/devices");
    for (guint i = 0; names && i < names->len; i++) {
        const char *name = g_ptr_array_index(names, i);
        g_autofree char *vpath = g_strdup_printf("/sys/bus/usb/devices/%s/idVendor", name);
        g_autofree char *ppath = g_strdup_printf("/sys/bus/usb/devices/%s/idProduct", name);
        g_autofree char *v = host_read(chk, vpath);
        g_autofree char *p = host_read(chk, ppath);

        if (v && p && g_ascii_strtoull(v, NULL, 16) == g_ascii_strtoull(vendor, NULL, 0) &&
            g_ascii_strtoull(p, NULL, 16) == g_ascii_strtoull(product, NULL, 0))
            return;
    }
    dl_diag_fixit(dl_error(chk, source, "no USB device with vendor %s and product %s is plugged into this host", vendor, product),
                  "plug the device in, or remove the <hostdev>");
}

static void
check_hostdev_nodes(dl_check *chk)
{
    for (const dl_device *d = next_of(chk, DL_DEV_HOSTDEV, NULL); d; d = next_of(chk, DL_DEV_HOSTDEV, d)) {
        xmlNode *source = dl_device_child(d, "source");
        const char *mode = dl_xml_attr(d->node, "mode");

        if (mode && strcmp(mode, "subsystem") != 0)
            continue;
        if (dl_str_eq(d->type, "usb"))
            check_usb_hostdev(chk, d);
        else if (dl_str_eq(d->type, "scsi_host") && dl_str_eq(dl_xml_attr(source, "protocol"), "vhost"))
            need_path(chk, source, "vhost-scsi device", "/dev/vhost-scsi", HOST_CHAR);
    }
}

static void
check_host_device_node(dl_check *chk)
{
    for (const dl_device *d = next_of(chk, DL_DEV_INPUT, NULL); d; d = next_of(chk, DL_DEV_INPUT, d)) {
        xmlNode *source = dl_device_child(d, "source");

        /* passthrough names it evdev=, evdev names it dev= */
        if (dl_str_eq(d->type, "passthrough"))
            need_path(chk, source, "input device", dl_xml_attr(source, "evdev"), HOST_CHAR);
        else if (dl_str_eq(d->type, "evdev"))
            need_path(chk, source, "input device", dl_xml_attr(source, "dev"), HOST_CHAR);
    }
    for (const dl_device *d = next_of(chk, DL_DEV_TPM, NULL); d; d = next_of(chk, DL_DEV_TPM, d)) {
        xmlNode *backend = dl_device_child(d, "backend");
        xmlNode *device = dl_xml_child(backend, "device");
        const char *path = dl_xml_attr(device, "path");

        if (dl_str_eq(dl_xml_attr(backend, "type"), "passthrough"))
            need_path(chk, device ? device : backend, "TPM device", path ? path : "/dev/tpm0", HOST_CHAR);
    }
    for (const dl_device *d = next_of(chk, DL_DEV_VSOCK, NULL); d; d = next_of(chk, DL_DEV_VSOCK, d))
        need_path(chk, d->node, "vhost-vsock device", "/dev/vhost-vsock", HOST_CHAR);
    for (const dl_device *d = next_of(chk, DL_DEV_INTERFACE, NULL); d; d = next_of(chk, DL_DEV_INTERFACE, d)) {
        xmlNode *source = dl_device_child(d, "source");
        xmlNode *driver = dl_device_child(d, "driver");

        if (dl_str_eq(d->type, "vdpa"))
            need_path(chk, source, "vDPA device", dl_xml_attr(source, "dev"), HOST_CHAR);
        /* only a vhost backend asked for by name is required; else QEMU falls back to its own */
        if (dl_str_eq(dl_xml_attr(driver, "name"), "vhost") && !dl_str_eq(d->type, "vhostuser") && !dl_str_eq(d->type, "hostdev"))
            need_path(chk, driver, "vhost-net device", "/dev/vhost-net", HOST_CHAR);
    }
    check_gl(chk);
    check_hostdev_nodes(chk);
}

const dl_rule dl_rule_host_device_node = {
    .id = "host-device-node",
    .summary = "with --host: input, TPM, DRM render, vhost-vsock, vhost-net, vhost-scsi and vDPA device nodes and host USB devices exist",
    .severity = DOMLINT_SEV_ERROR,
    .host = TRUE,
    .check = check_host_device_node,
};

/* ------------------------------------------------------------ host-emulator */

/* The QEMU binaries libvirt looks for in PATH for ARCH, first choice first. */
static void
emulator_names(const char *arch, const char *names[2])
{
    names[1] = NULL;
    if (strcmp(arch, "i686") == 0) {
        names[0] = "qemu-system-i386";
        names[1] = "qemu-system-x86_64";
    } else if (strcmp(arch, "armv7l") == 0 || strcmp(arch, "armv6l") == 0) {
        names[0] = "qemu-system-arm";
        names[1] = "qemu-system-aarch64";
    } else if (strcmp(arch, "ppc64le") == 0) {
        names[0] = "qemu-system-ppc64";
    } else if (strcmp(arch, "ppc") == 0) {
        names[0] = "qemu-system-ppc";
        names[1] = "qemu-system-ppc64";
    } else if (strcmp(arch, "sparc") == 0) {
        names[0] = "qemu-system-sparc";
        names[1] = "qemu-system-sparc64";
    } else {
        names[0] = NULL;
    }
}

static void
check_host_emulator(dl_check *chk)
{
    xmlNode *emu = dl_xml_child(chk->dom->devices_node, "emulator");
    /* without <type arch>, libvirt takes the host's */
    const char *arch = chk->arch_given ? chk->arch : host_arch();
    const char *names[2];
    g_autofree char *own = NULL;

    if (chk->dom->emulator) {
        need_path(chk, emu ? emu : chk->dom->root, "emulator", chk->dom->emulator, HOST_PROGRAM);
        return;
    }
    emulator_names(arch, names);
    if (!names[0]) {
        own = g_strdup_printf("qemu-system-%s", arch);
        names[0] = own;
    }
    for (gsize i = 0; i < G_N_ELEMENTS(names) && names[i]; i++) {
        g_autofree char *found = host_find_program(chk, names[i]);

        if (found)
            return;
    }
    dl_diag_fixit(dl_error(chk, chk->dom->os_type ? chk->dom->os_type : chk->dom->root,
                           "no emulator for arch '%s' on this host: '%s' is not in PATH", arch, names[0]),
                  "install QEMU for that arch (the package with the qemu-system-ARCH binary), or name one in <emulator>");
}

const dl_rule dl_rule_host_emulator = {
    .id = "host-emulator",
    .summary = "with --host: the <emulator> exists and is executable, or a QEMU for the arch is in PATH",
    .severity = DOMLINT_SEV_ERROR,
    .host = TRUE,
    .check = check_host_emulator,
};

/* ------------------------------------------------------------ host-kvm */

/*
 * Whether KVM on a HOST machine runs guests of ARCH: TRUE, FALSE, or
 * (*KNOWN FALSE) when domlint does not know (a 32-bit ARM guest on a 64-bit
 * ARM host depends on the CPU).
 */
static gboolean
kvm_runs(const char *host, const char *arch, gboolean *known)
{
    static const struct {
        const char *host;
        const char *guests[3];
    } table[] = {
        { "x86_64", { "x86_64", "i686", NULL } },
        { "i686", { "i686", NULL, NULL } },
        { "aarch64", { "aarch64", NULL, NULL } },
        { "ppc64le", { "ppc64le", "ppc64", NULL } },
        { "ppc64", { "ppc64", "ppc64le", NULL } },
        { "s390x", { "s390x", NULL, NULL } },
        { "riscv64", { "riscv64", NULL, NULL } },
        { "loongarch64", { "loongarch64", NULL, NULL } },
    };

    *known = FALSE;
    for (gsize i = 0; i < G_N_ELEMENTS(table); i++) {
        if (strcmp(table[i].host, host) != 0)
            continue;
        for (gsize g = 0; g < G_N_ELEMENTS(table[i].guests) && table[i].guests[g]; g++) {
            if (strcmp(table[i].guests[g], arch) == 0) {
                *known = TRUE;
                return TRUE;
            }
        }
        *known = !(strcmp(host, "aarch64") == 0 && (strcmp(arch, "armv7l") == 0 || strcmp(arch, "armv6l") == 0));
        return FALSE;
    }
    return FALSE;
}

static void
check_host_kvm(dl_check *chk)
{
    const char *host = host_arch();
    gboolean known = FALSE;

    if (!dl_str_eq(chk->dom->domain_type, "kvm"))
        return;
    /* without <type arch> the guest is of the host's arch */
    if (chk->arch_given && !kvm_runs(host, chk->arch, &known) && known) {
        dl_diag_fixit(dl_error(chk, chk->dom->root,
                               "<domain type='kvm'> cannot run a '%s' guest on this '%s' host: KVM runs guests of the host's own architecture only",
                               chk->arch, host),
                      "use type='qemu' (emulation), or run the guest on a '%s' host", chk->arch);
        return;
    }
    need_path(chk, chk->dom->root, "KVM device", "/dev/kvm", HOST_CHAR);
}

const dl_rule dl_rule_host_kvm = {
    .id = "host-kvm",
    .summary = "with --host: <domain type='kvm'> has /dev/kvm and a guest arch KVM on this host can run",
    .severity = DOMLINT_SEV_ERROR,
    .host = TRUE,
    .check = check_host_kvm,
};

/* ------------------------------------------------------------ host-network */

static void
need_netdev(dl_check *chk, xmlNode *node, const char *name, gboolean bridge)
{
    g_autofree char *dir = NULL;
    g_autofree char *bridge_dir = NULL;

    if (!name || !*name || strchr(name, '/'))
        return;
    dir = g_strdup_printf("/sys/class/net/%s", name);
    bridge_dir = g_strdup_printf("/sys/class/net/%s/bridge", name);
    if (!host_exists(chk, dir)) {
        dl_diag_fixit(dl_error(chk, node, "%s '%s' does not exist on this host (no '%s')", bridge ? "bridge" : "network device", name, dir),
                      "create it (ip link add NAME type bridge, or the distribution's network configuration), or name one that exists");
        return;
    }
    if (bridge && !host_exists(chk, bridge_dir))
        dl_error(chk, node, "network device '%s' exists on this host but is not a bridge (no '%s')", name, bridge_dir);
}

static void
check_network(dl_check *chk, const dl_device *d, xmlNode *source)
{
    dl_connection *conn = chk->ctx->conn;
    const char *name = dl_xml_attr(source, "network");
    int found;

    if (!conn || !name)
        return;
    found = dl_connection_has_network(conn, name);
    if (found == 0)
        dl_diag_fixit(dl_error(chk, source ? source : d->node, "libvirt at '%s' has no network '%s'", dl_connection_uri(conn), name),
                      "define and start it (virsh net-define, net-start), or name one 'virsh net-list --all' shows");
}

static void
check_host_network(dl_check *chk)
{
    for (const dl_device *d = next_of(chk, DL_DEV_INTERFACE, NULL); d; d = next_of(chk, DL_DEV_INTERFACE, d)) {
        xmlNode *source = dl_device_child(d, "source");
        gboolean ovs = dl_str_eq(dl_xml_attr(dl_device_child(d, "virtualport"), "type"), "openvswitch");

        if (dl_str_eq(d->type, "bridge"))
            need_netdev(chk, source, dl_xml_attr(source, "bridge"), !ovs);
        else if (dl_str_eq(d->type, "direct"))
            need_netdev(chk, source, dl_xml_attr(source, "dev"), FALSE);
        else if (dl_str_eq(d->type, "network"))
            check_network(chk, d, source);
    }
}

const dl_rule dl_rule_host_network = {
    .id = "host-network",
    .summary = "with --host: bridges and macvtap devices exist in /sys/class/net, and with --connect the libvirt networks named",
    .severity = DOMLINT_SEV_ERROR,
    .host = TRUE,
    .check = check_host_network,
};

/* ------------------------------------------------------------ host-pci-device */

/*
 * libvirt's test for VFIO: an IOMMU group in /sys/kernel/iommu_groups, or
 * VFIO's no-IOMMU mode turned on.
 */
static gboolean
host_has_vfio(const dl_check *chk)
{
    g_autoptr(GPtrArray) groups = host_list(chk, "/sys/kernel/iommu_groups");
    g_autofree char *noiommu = host_read(chk, "/sys/module/vfio/parameters/enable_unsafe_noiommu_mode");

    return (groups && groups->len > 0) || dl_str_eq(noiommu, "Y");
}

/* "0000:06:12.5" of a <source><address> (caller frees), or NULL when incomplete. */
static char *
pci_name(const xmlNode *node)
{
    dl_address addr;

    dl_address_read((xmlNode *) node, &addr);
    if (!addr.bus.valid || !addr.slot.valid || !addr.function.valid)
        return NULL;
    return dl_pci_addr_str(&addr);
}

/* The PCI device at ADDR exists, and unless MANAGED is bound to vfio-pci. */
static void
need_pci_device(dl_check *chk, const xmlNode *addr, gboolean managed)
{
    g_autofree char *name = pci_name(addr);
    g_autofree char *dir = name ? g_strdup_printf("/sys/bus/pci/devices/%s", name) : NULL;
    g_autofree char *link = dir ? g_strdup_printf("%s/driver", dir) : NULL;
    g_autofree char *real = NULL;
    g_autofree char *target = NULL;
    g_autofree char *driver = NULL;

    if (!name)
        return;
    if (!host_exists(chk, dir)) {
        dl_diag_fixit(dl_error(chk, addr, "PCI device %s does not exist on this host (no '%s')", name, dir),
                      "give the address lspci -D shows for the device, or remove the <hostdev>");
        return;
    }
    if (managed)
        return;
    real = host_path(chk, link);
    target = g_file_read_link(real, NULL);
    driver = target ? g_path_get_basename(target) : NULL;
    if (!dl_str_eq(driver, "vfio-pci"))
        dl_diag_fixit(dl_error(chk, addr, "PCI device %s is %s%s%s on this host, and managed='yes' is not set: libvirt will not bind it to vfio-pci",
                               name, driver ? "bound to '" : "bound to no driver", driver ? driver : "", driver ? "'" : ""),
                      "bind it to vfio-pci (virsh nodedev-detach), or set managed='yes'");
}

static void
check_host_pci_device(dl_check *chk)
{
    gboolean vfio_checked = FALSE;

    for (guint i = 0; i < chk->dom->devices->len; i++) {
        const dl_device *d = g_ptr_array_index(chk->dom->devices, i);
        const char *type = dl_xml_attr(d->node, "type");
        xmlNode *source = d->node ? dl_device_child(d, "source") : NULL;
        xmlNode *addr = dl_xml_child(source, "address");
        gboolean pci = (d->kind == DL_DEV_HOSTDEV && dl_str_eq(type, "pci") && !dl_str_eq(dl_xml_attr(d->node, "mode"), "capabilities")) ||
                       (d->kind == DL_DEV_INTERFACE && dl_str_eq(type, "hostdev"));
        gboolean mdev = d->kind == DL_DEV_HOSTDEV && dl_str_eq(type, "mdev");
        const char *backend = dl_xml_attr(dl_device_child(d, "driver"), "name");

        if (d->implicit || !d->node || (!pci && !mdev) || (backend && strcmp(backend, "vfio") != 0))
            continue;
        if (!vfio_checked && !host_has_vfio(chk))
            dl_diag_fixit(dl_error(chk, d->node, "this host cannot pass devices through: it has no VFIO (no IOMMU group in '/sys/kernel/iommu_groups')"),
                          "turn the IOMMU on (intel_iommu=on or amd_iommu=on on the kernel command line) and load vfio-pci");
        vfio_checked = TRUE;
        if (mdev) {
            const char *uuid = dl_xml_attr(addr, "uuid");
            g_autofree char *dir = uuid ? g_strdup_printf("/sys/bus/mdev/devices/%s", uuid) : NULL;

            if (dir && !host_exists(chk, dir))
                dl_error(chk, addr, "mediated device %s does not exist on this host (no '%s')", uuid, dir);
            continue;
        }
        if (!addr || (dl_xml_attr(addr, "type") && !dl_str_eq(dl_xml_attr(addr, "type"), "pci")))
            continue;
        need_pci_device(chk, addr, dl_str_eq(dl_xml_attr(d->node, "managed"), "yes"));
    }
}

const dl_rule dl_rule_host_pci_device = {
    .id = "host-pci-device",
    .summary = "with --host: the host has VFIO, and PCI and mediated devices passed through exist and are bound to vfio-pci (or managed)",
    .severity = DOMLINT_SEV_ERROR,
    .host = TRUE,
    .check = check_host_pci_device,
};

/* ------------------------------------------------------------ host-hugepages */

/* KiB of VALUE in UNIT (libvirt's units; default KiB), or 0 when unknown. */
static guint64
kib_of(dl_num value, const char *unit)
{
    static const struct {
        const char *unit;
        guint64 kib;
    } units[] = {
        { "KiB", 1 }, { "k", 1 }, { "K", 1 }, { "MiB", 1024 }, { "M", 1024 }, { "m", 1024 },
        { "GiB", 1024 * 1024 }, { "G", 1024 * 1024 }, { "g", 1024 * 1024 },
    };

    if (!value.valid)
        return 0;
    if (!unit)
        return value.value;
    for (gsize i = 0; i < G_N_ELEMENTS(units); i++) {
        if (strcmp(units[i].unit, unit) == 0)
            return value.value * units[i].kib;
    }
    return 0;
}

static gboolean
hugetlbfs_mounted(const dl_check *chk)
{
    g_autofree char *mounts = host_read(chk, "/proc/mounts");
    g_auto(GStrv) lines = mounts ? g_strsplit(mounts, "\n", -1) : NULL;

    for (gsize i = 0; lines && lines[i]; i++) {
        g_auto(GStrv) fields = g_strsplit(lines[i], " ", 4);

        if (g_strv_length(fields) >= 3 && strcmp(fields[2], "hugetlbfs") == 0)
            return TRUE;
    }
    return FALSE;
}

/* The host's ordinary page size in KiB: a "hugepage" of that size is no hugepage (libvirt). */
static guint64
system_page_kib(void)
{
    long size = sysconf(_SC_PAGESIZE);

    return size > 0 ? (guint64) size / 1024 : 4;
}

/*
 * Pages of SIZE KiB for NODE: the host has that size, and with
 * CHECK_FREE enough of them are free for the guest's memory (QEMU
 * preallocates hugepages).
 */
static void
need_pages(dl_check *chk, xmlNode *node, guint64 size, gboolean check_free)
{
    g_autofree char *memory_text = node_text(chk->dom->memory);
    guint64 memory = kib_of(dl_num_parse(memory_text, 10), dl_xml_attr(chk->dom->memory, "unit"));
    g_autofree char *dir = g_strdup_printf("/sys/kernel/mm/hugepages/hugepages-%" G_GUINT64_FORMAT "kB", size);
    g_autofree char *free_path = g_strdup_printf("%s/free_hugepages", dir);
    g_autofree char *free_text = NULL;
    guint64 free_pages;

    if (!host_exists(chk, dir)) {
        dl_diag_fixit(dl_error(chk, node, "this host has no hugepages of %" G_GUINT64_FORMAT " KiB (no '%s')", size, dir),
                      "use a page size the host has (ls /sys/kernel/mm/hugepages)");
        return;
    }
    free_text = check_free ? host_read(chk, free_path) : NULL;
    if (!free_text || !memory)
        return;
    free_pages = g_ascii_strtoull(free_text, NULL, 10);
    if (free_pages * size < memory)
        dl_diag_fixit(dl_error(chk, node, "this host has %" G_GUINT64_FORMAT " free hugepages of %" G_GUINT64_FORMAT " KiB, the guest's %" G_GUINT64_FORMAT " KiB of memory need %" G_GUINT64_FORMAT,
                               free_pages, size, memory, (memory + size - 1) / size),
                      "reserve more (echo N > %s/nr_hugepages), or give the guest less memory", dir);
}

/* The KiB of a <page> or <pagesize>, 0 when none, unknown or the ordinary page size. */
static guint64
huge_kib(xmlNode *node, gboolean text)
{
    g_autofree char *content = text ? node_text(node) : NULL;
    dl_num value = text ? dl_num_parse(content, 10) : dl_num_attr(node, "size", 10);
    guint64 kib = node ? kib_of(value, dl_xml_attr(node, "unit")) : 0;

    return kib == system_page_kib() ? 0 : kib;
}

/* The first element asking for hugepages: <hugepages> (default size) or a <pagesize> of a memory device. */
static xmlNode *
first_hugepage_user(const dl_check *chk)
{
    xmlNode *huge = dl_xml_child(chk->dom->memory_backing, "hugepages");
    xmlNode *first = dl_xml_first(huge, "page");

    if (huge && !first)
        return huge;
    for (xmlNode *p = first; p; p = dl_xml_next(p)) {
        if (huge_kib(p, FALSE))
            return p;
    }
    for (const dl_device *d = next_of(chk, DL_DEV_MEMORY, NULL); d; d = next_of(chk, DL_DEV_MEMORY, d)) {
        xmlNode *size = child_at(d->node, "source/pagesize");

        if (huge_kib(size, TRUE))
            return size;
    }
    return NULL;
}

static void
check_host_hugepages(dl_check *chk)
{
    xmlNode *huge = dl_xml_child(chk->dom->memory_backing, "hugepages");
    xmlNode *first = dl_xml_first(huge, "page");
    xmlNode *user = first_hugepage_user(chk);

    if (!user)
        return;
    if (!hugetlbfs_mounted(chk)) {
        dl_diag_fixit(dl_error(chk, user, "hugepages are asked for, but no hugetlbfs is mounted on this host (none in '/proc/mounts')"),
                      "mount one (mount -t hugetlbfs hugetlbfs /dev/hugepages) and reserve pages, or remove the hugepages");
        return;
    }
    for (xmlNode *p = first; p; p = dl_xml_next(p)) {
        guint64 size = huge_kib(p, FALSE);

        /* the guest's memory is all in one size only when one <page> without nodeset is given */
        if (size)
            need_pages(chk, p, size, p == first && !dl_xml_next(p) && !dl_xml_attr(p, "nodeset"));
    }
    for (const dl_device *d = next_of(chk, DL_DEV_MEMORY, NULL); d; d = next_of(chk, DL_DEV_MEMORY, d)) {
        xmlNode *size = child_at(d->node, "source/pagesize");
        guint64 kib = huge_kib(size, TRUE);

        if (kib)
            need_pages(chk, size, kib, FALSE);
    }
}

const dl_rule dl_rule_host_hugepages = {
    .id = "host-hugepages",
    .summary = "with --host: hugepages asked for have a hugetlbfs mounted, pages of that size, and enough of them free",
    .severity = DOMLINT_SEV_ERROR,
    .host = TRUE,
    .check = check_host_hugepages,
};

/* ------------------------------------------------------------ host-numa */

/* The node numbers of NODESET ("0-3,^2"), or NULL when it does not parse (caller frees). */
static GArray *
nodeset_parse(const char *nodeset)
{
    g_auto(GStrv) parts = g_strsplit(nodeset, ",", -1);
    g_autoptr(GArray) nodes = g_array_new(FALSE, FALSE, sizeof(guint));

    for (gsize i = 0; parts[i]; i++) {
        char *part = g_strstrip(parts[i]);
        guint64 lo = 0, hi = 0;
        char *dash = part[0] == '^' ? NULL : strchr(part, '-');

        if (part[0] == '^')
            continue;
        if (dash)
            *dash = '\0';
        if (!g_ascii_string_to_unsigned(part, 10, 0, 4095, &lo, NULL) ||
            (dash && !g_ascii_string_to_unsigned(dash + 1, 10, lo, 4095, &hi, NULL)))
            return NULL;
        if (!dash)
            hi = lo;
        for (guint64 n = lo; n <= hi; n++) {
            guint node = (guint) n;
            g_array_append_val(nodes, node);
        }
    }
    return g_steal_pointer(&nodes);
}

static void
need_nodes(dl_check *chk, xmlNode *node)
{
    const char *nodeset = dl_xml_attr(node, "nodeset");
    g_autoptr(GArray) nodes = nodeset ? nodeset_parse(nodeset) : NULL;

    /* without NUMA in sysfs nothing is known */
    if (!nodes || !host_exists(chk, "/sys/devices/system/node"))
        return;
    for (guint i = 0; i < nodes->len; i++) {
        guint n = g_array_index(nodes, guint, i);
        g_autofree char *dir = g_strdup_printf("/sys/devices/system/node/node%u", n);

        if (!host_exists(chk, dir)) {
            dl_diag_fixit(dl_error(chk, node, "NUMA node %u of nodeset '%s' does not exist on this host (no '%s')", n, nodeset, dir),
                          "use the nodes the host has (numactl --hardware, or ls /sys/devices/system/node)");
            return;
        }
    }
}

static void
check_host_numa(dl_check *chk)
{
    xmlNode *numatune = chk->dom->numatune;

    need_nodes(chk, dl_xml_child(numatune, "memory"));
    for (xmlNode *m = dl_xml_first(numatune, "memnode"); m; m = dl_xml_next(m))
        need_nodes(chk, m);
}

const dl_rule dl_rule_host_numa = {
    .id = "host-numa",
    .summary = "with --host: the host NUMA nodes <numatune> names exist",
    .severity = DOMLINT_SEV_ERROR,
    .host = TRUE,
    .check = check_host_numa,
};

/* ------------------------------------------------------------ host-socket */

/* A chardev-like SOURCE of TYPE: the socket QEMU connects to, or the directory it binds in. */
static void
check_unix_source(dl_check *chk, xmlNode *source, const char *what)
{
    const char *path = dl_xml_attr(source, "path");
    const char *mode = dl_xml_attr(source, "mode");
    xmlNode *reconnect = dl_xml_child(source, "reconnect");
    g_autofree char *dir = NULL;

    if (!path || path[0] != '/')
        return;
    if (dl_str_eq(mode, "connect")) {
        /* QEMU keeps trying to reconnect instead of failing */
        if (dl_str_eq(dl_xml_attr(reconnect, "enabled"), "yes"))
            return;
        need_path(chk, source, what, path, HOST_SOCKET);
        return;
    }
    dir = g_path_get_dirname(path);
    if (!host_exists(chk, dir))
        dl_diag_fixit(dl_error(chk, source, "%s '%s' cannot be made: its directory '%s' does not exist on this host", what, path, dir),
                      "create the directory, or put the socket in one that exists");
}

/* Each UNIX chardev source of the devices that have one. */
static void
check_chardevs(dl_check *chk)
{
    static const struct {
        dl_dev_kind kind;
        const char *child;   /* where the source is, below the device */
        const char *what;
    } kinds[] = {
        { DL_DEV_SERIAL, "source", "serial socket" },
        { DL_DEV_PARALLEL, "source", "parallel socket" },
        { DL_DEV_CONSOLE, "source", "console socket" },
        { DL_DEV_CHANNEL, "source", "channel socket" },
        { DL_DEV_REDIRDEV, "source", "redirdev socket" },
        { DL_DEV_SMARTCARD, "source", "smartcard socket" },
        { DL_DEV_RNG, "backend/source", "rng socket" },
        { DL_DEV_TPM, "backend/source", "TPM socket" },
    };

    for (gsize k = 0; k < G_N_ELEMENTS(kinds); k++) {
        for (const dl_device *d = next_of(chk, kinds[k].kind, NULL); d; d = next_of(chk, kinds[k].kind, d)) {
            xmlNode *holder = kinds[k].kind == DL_DEV_RNG || kinds[k].kind == DL_DEV_TPM ? dl_device_child(d, "backend") : d->node;
            const char *type = dl_xml_attr(holder, "type");

            for (xmlNode *s = dl_xml_first(holder, "source"); s; s = dl_xml_next(s)) {
                if (dl_str_eq(type, "unix") || dl_str_eq(type, "external") || dl_str_eq(dl_xml_attr(s, "type"), "unix"))
                    check_unix_source(chk, s, kinds[k].what);
            }
        }
    }
}

/* vhost-user peers QEMU connects to, and ivshmem servers. */
static void
check_vhost_user(dl_check *chk)
{
    for (const dl_device *d = next_of(chk, DL_DEV_INTERFACE, NULL); d; d = next_of(chk, DL_DEV_INTERFACE, d)) {
        xmlNode *source = dl_device_child(d, "source");

        if (dl_str_eq(d->type, "vhostuser") && dl_str_eq(dl_xml_attr(source, "mode"), "client") &&
            !dl_xml_child(source, "reconnect"))
            need_path(chk, source, "vhost-user socket", dl_xml_attr(source, "path"), HOST_SOCKET);
    }
    for (const dl_device *d = next_of(chk, DL_DEV_DISK, NULL); d; d = next_of(chk, DL_DEV_DISK, d)) {
        xmlNode *source = dl_device_child(d, "source");

        if (dl_str_eq(d->type, "vhostuser") && !dl_xml_child(source, "reconnect"))
            need_path(chk, source, "vhost-user socket", dl_xml_attr(source, "path"), HOST_SOCKET);
    }
    for (const dl_device *d = next_of(chk, DL_DEV_FILESYSTEM, NULL); d; d = next_of(chk, DL_DEV_FILESYSTEM, d)) {
        xmlNode *source = dl_device_child(d, "source");

        if (dl_xml_attr(source, "socket"))
            need_path(chk, source, "virtiofsd socket", dl_xml_attr(source, "socket"), HOST_SOCKET);
    }
    for (const dl_device *d = next_of(chk, DL_DEV_SHMEM, NULL); d; d = next_of(chk, DL_DEV_SHMEM, d)) {
        xmlNode *server = dl_device_child(d, "server");
        const char *path = dl_xml_attr(server, "path");
        g_autofree char *fallback = NULL;

        if (!server)
            continue;
        /* libvirt's default path for an ivshmem server */
        if (!path)
            fallback = g_strdup_printf("/var/lib/libvirt/shmem-%s-sock", dl_xml_attr(d->node, "name"));
        need_path(chk, server, "ivshmem server socket", path ? path : fallback, HOST_SOCKET);
    }
}

static void
check_host_socket(dl_check *chk)
{
    check_chardevs(chk);
    check_vhost_user(chk);
}

const dl_rule dl_rule_host_socket = {
    .id = "host-socket",
    .summary = "with --host: UNIX sockets QEMU connects to exist and are sockets; those it listens on have a directory",
    .severity = DOMLINT_SEV_ERROR,
    .host = TRUE,
    .check = check_host_socket,
};

/* ------------------------------------------------------------ host-service */

/*
 * One of libvirt's daemons (SERVICE: "secret", "network") is reachable:
 * the modular daemon's socket, libvirtd's, or the session ones.
 */
static gboolean
daemon_reachable(const dl_check *chk, const char *service)
{
    const char *runtime = g_get_user_runtime_dir();
    g_autofree char *modular = g_strdup_printf("/run/libvirt/virt%sd-sock", service);
    g_autofree char *session = g_strdup_printf("%s/libvirt/virt%sd-sock", runtime, service);
    g_autofree char *session_libvirtd = g_strdup_printf("%s/libvirt/libvirt-sock", runtime);

    return host_exists(chk, modular) || host_exists(chk, "/run/libvirt/libvirt-sock") ||
           (runtime[0] == '/' && (host_exists(chk, session) || host_exists(chk, session_libvirtd)));
}

static void
need_daemon(dl_check *chk, xmlNode *node, const char *service, const char *what)
{
    if (chk->ctx->conn || daemon_reachable(chk, service))
        return;
    dl_diag_fixit(dl_error(chk, node, "%s needs libvirt's %s driver, and this host runs neither virt%sd nor libvirtd (no '/run/libvirt/virt%sd-sock', no '/run/libvirt/libvirt-sock')",
                           what, service, service, service),
                  "start the daemon (systemctl start virt%sd.socket, or libvirtd)", service);
}

/* The first <secret> below NODE, or NULL. */
static xmlNode *
find_secret(xmlNode *node)
{
    for (xmlNode *c = node ? node->children : NULL; c; c = c->next) {
        xmlNode *found;

        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (strcmp((const char *) c->name, "secret") == 0)
            return c;
        found = find_secret(c);
        if (found)
            return found;
    }
    return NULL;
}

static void
check_daemons(dl_check *chk)
{
    gboolean secret_done = FALSE, network_done = FALSE;

    for (guint i = 0; i < chk->dom->devices->len; i++) {
        const dl_device *d = g_ptr_array_index(chk->dom->devices, i);
        xmlNode *secret = d->node && !d->implicit && (d->kind == DL_DEV_DISK || d->kind == DL_DEV_HOSTDEV) ? find_secret(d->node) : NULL;
        xmlNode *listen = d->kind == DL_DEV_GRAPHICS && d->node ? dl_device_child(d, "listen") : NULL;

        if (secret && !secret_done) {
            need_daemon(chk, secret, "secret", "a <secret>");
            secret_done = TRUE;
        }
        if (!network_done && d->kind == DL_DEV_INTERFACE && d->node && dl_str_eq(d->type, "network")) {
            need_daemon(chk, dl_device_child(d, "source") ? dl_device_child(d, "source") : d->node, "network", "<interface type='network'>");
            network_done = TRUE;
        }
        if (!network_done && listen && dl_str_eq(dl_xml_attr(listen, "type"), "network")) {
            need_daemon(chk, listen, "network", "<listen type='network'>");
            network_done = TRUE;
        }
    }
}

static void
check_helpers(dl_check *chk)
{
    for (const dl_device *d = next_of(chk, DL_DEV_TPM, NULL); d; d = next_of(chk, DL_DEV_TPM, d)) {
        xmlNode *backend = dl_device_child(d, "backend");
        g_autofree char *swtpm = NULL;

        if (!dl_str_eq(dl_xml_attr(backend, "type"), "emulator"))
            continue;
        swtpm = host_find_program(chk, "swtpm");
        if (!swtpm)
            dl_diag_fixit(dl_error(chk, backend, "the TPM emulator needs swtpm, and it is not in PATH on this host"),
                          "install swtpm (and swtpm-tools)");
    }
    for (const dl_device *d = next_of(chk, DL_DEV_FILESYSTEM, NULL); d; d = next_of(chk, DL_DEV_FILESYSTEM, d)) {
        xmlNode *binary = dl_device_child(d, "binary");

        if (dl_xml_attr(binary, "path"))
            need_path(chk, binary, "virtiofsd", dl_xml_attr(binary, "path"), HOST_PROGRAM);
    }
    for (const dl_device *d = next_of(chk, DL_DEV_INTERFACE, NULL); d; d = next_of(chk, DL_DEV_INTERFACE, d)) {
        xmlNode *script = dl_device_child(d, "script");
        xmlNode *down = dl_device_child(d, "downscript");

        need_path(chk, script, "interface script", dl_xml_attr(script, "path"), HOST_PROGRAM);
        need_path(chk, down, "interface script", dl_xml_attr(down, "path"), HOST_PROGRAM);
    }
}

/* placement='auto' asks numad where to run. */
static void
check_numad(dl_check *chk)
{
    xmlNode *vcpu = chk->dom->vcpu;
    xmlNode *memory = dl_xml_child(chk->dom->numatune, "memory");
    xmlNode *node = NULL;
    g_autofree char *numad = NULL;

    if (dl_str_eq(dl_xml_attr(vcpu, "placement"), "auto"))
        node = vcpu;
    else if (dl_str_eq(dl_xml_attr(memory, "placement"), "auto"))
        node = memory;
    if (!node)
        return;
    numad = host_find_program(chk, "numad");
    if (!numad)
        dl_diag_fixit(dl_error(chk, node, "placement='auto' asks numad where to place the guest, and numad is not in PATH on this host"),
                      "install and start numad, or use placement='static'");
}

/* Each <seclabel> at or below NODE into OUT. */
static void
collect_seclabels(xmlNode *node, GPtrArray *out)
{
    for (xmlNode *c = node ? node->children : NULL; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (strcmp((const char *) c->name, "seclabel") == 0)
            g_ptr_array_add(out, c);
        else
            collect_seclabels(c, out);
    }
}

/*
 * A <seclabel model> whose security driver this host does not run: the
 * domain's (whatever its relabel) and a device's that relabels.
 */
static void
check_security(dl_check *chk)
{
    static const struct {
        const char *model;
        const char *dir;
    } models[] = {
        { "selinux", "/sys/fs/selinux" },
        { "apparmor", "/sys/kernel/security/apparmor" },
    };
    g_autoptr(GPtrArray) labels = g_ptr_array_new();

    collect_seclabels(chk->dom->root, labels);
    for (guint l = 0; l < labels->len; l++) {
        xmlNode *s = g_ptr_array_index(labels, l);
        const char *model = dl_xml_attr(s, "model");
        gboolean domain_level = s->parent == chk->dom->root;

        if (dl_str_eq(dl_xml_attr(s, "type"), "none") || (!domain_level && dl_str_eq(dl_xml_attr(s, "relabel"), "no")))
            continue;
        for (gsize i = 0; model && i < G_N_ELEMENTS(models); i++) {
            if (strcmp(model, models[i].model) == 0 && !host_exists(chk, models[i].dir))
                dl_diag_fixit(dl_error(chk, s, "security driver '%s' is not active on this host (no '%s')", model, models[i].dir),
                              "remove the <seclabel>, or use the model the host runs");
        }
    }
}

static void
check_host_service(dl_check *chk)
{
    check_daemons(chk);
    check_helpers(chk);
    check_numad(chk);
    check_security(chk);
}

const dl_rule dl_rule_host_service = {
    .id = "host-service",
    .summary = "with --host: the programs and services the domain needs: swtpm, virtiofsd, interface scripts, numad, libvirt's secret and network daemons, SELinux or AppArmor",
    .severity = DOMLINT_SEV_ERROR,
    .host = TRUE,
    .check = check_host_service,
};
