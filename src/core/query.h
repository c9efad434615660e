/*
 * query.h - questions about a checked domain and its machine
 *
 * Answers from the model, the machine family and the device catalogue of a
 * dl_check; nothing here reports a finding.  Used by the rules and by the
 * layers they build on (layout, fix, diag).
 */
#pragma once

#include "core/internal.h"

/* "0000:00:1f.2" for a PCI address (caller frees). */
char *dl_pci_addr_str(const dl_address *addr);

/*
 * A PCI address the user really asked for.  libvirt treats an address whose
 * domain, bus and slot are all 0 as "please assign one", so nothing can be
 * put at 00:00.x by hand.
 */
gboolean dl_pci_addr_wanted(const dl_address *addr);

/* DEV has a PCI address it asked for, every field a number in range. */
gboolean dl_device_has_pci_address(const dl_device *dev);

/* The ports of a virtio-serial CONTROLLER (31, libvirt's default, for NULL or none written). */
guint64 dl_virtio_serial_ports(const dl_device *controller);

/* libvirt's ARCH_IS_X86, ARCH_IS_PPC64, ARCH_IS_S390 and the ARM arches
 * (aarch64, armv7l, armv6l) of its qemuDomainIsARMVirt(). */
gboolean dl_arch_is_x86(const char *arch);
gboolean dl_arch_is_ppc64(const char *arch);
gboolean dl_arch_is_s390(const char *arch);
gboolean dl_arch_is_arm(const char *arch);

/* The machine is NAME or a version of it (NAME-...), as libvirt's
 * qemuDomainIsPSeries() and qemuDomainIsARMVirt() compare names. */
gboolean dl_machine_is(const dl_check *chk, const char *name);
gboolean dl_is_pseries(const dl_check *chk);
gboolean dl_is_arm_virt(const dl_check *chk);

/* The machine name to put in messages: the resolved versioned name. */
const char *dl_machine_label(const dl_check *chk);

/* The first device of KIND, or NULL. */
dl_device *dl_first_device(const dl_check *chk, dl_dev_kind kind);

/* USB controller 0 as libvirt will have it: written, or the family's implicit one. */
const char *dl_usb0_model(const dl_check *chk, dl_device **controller);

/* The device catalogue's entry of the model D names (not a default), or NULL. */
const dl_dev_model *dl_device_model_entry(const dl_check *chk, const dl_device *d);

/* The same for the model D names or, without one, the machine family's
 * default for its kind (*MODEL: which, borrowed; may be NULL). */
const dl_dev_model *dl_device_model_or_default(const dl_check *chk, const dl_device *d,
                                               const char **model);

/* The device catalogue's entry of a USB controller MODEL, or NULL. */
const dl_dev_model *dl_usb_model_entry(const dl_check *chk, const char *model);

/* TRUE when MODEL names a USB2 companion (ich9-uhci1..3), or its master (ich9-ehci1). */
gboolean dl_usb_is_companion(const dl_check *chk, const char *model);
gboolean dl_usb_is_master(const dl_check *chk, const char *model);

/* The QEMU device that implements a PCI controller MODEL by default, or MODEL. */
const char *dl_pci_controller_device(const dl_check *chk, const char *model);

/* Family's default model for KEY, falling back to FALLBACK. */
const char *dl_default_model(const dl_check *chk, const char *key, const char *fallback);

/* TRUE when the family lists an implicit device of KIND (and TYPE, when not NULL). */
const dl_implicit *dl_family_implicit(const dl_check *chk, const char *kind, const char *type);

/* D needs a USB bus: a USB address, or a USB input, disk, hub, redirection, host device, sound card, smartcard. */
gboolean dl_device_needs_usb(const dl_device *d);

/* DEV is a <controller type='pci'>. */
gboolean dl_is_pci_controller(const dl_device *dev);

/* Is the chipset function B really there for CHK's domain (the PIIX3 USB
 * function only with a USB controller 0 of the models it stands for)? */
gboolean dl_builtin_present(const dl_check *chk, const dl_builtin *b);

/* A drive address as libvirt will use it: written, or derived from the name. */
typedef struct {
    gboolean known;
    gboolean derived;
    guint64 controller, bus, target, unit;
} dl_drive_addr;

/* libvirt's disk name to index mapping: "sda" -> 0, "sdaa" -> 26; -1 when NAME is not one. */
long dl_disk_index(const char *name);

/* Disk D's drive address: its <address type='drive'>, or the one libvirt
 * derives from its target name (known FALSE when neither says). */
dl_drive_addr dl_drive_address(const dl_device *d);
