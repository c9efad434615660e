/*
 * registry.c - every rule, in the order they run
 *
 * Adding a rule: define its const dl_rule in the file of its family and
 * add one line here.
 */
#include "config.h"

#include "check/rules/rules.h"

extern const dl_rule dl_rule_schema;
extern const dl_rule dl_rule_schema_release;
extern const dl_rule dl_rule_pci_root;
extern const dl_rule dl_rule_controller_index;
extern const dl_rule dl_rule_pci_controller_machine;
extern const dl_rule dl_rule_pci_controller_model_name;
extern const dl_rule dl_rule_pci_controller_options;
extern const dl_rule dl_rule_pci_controller_unique;
extern const dl_rule dl_rule_pci_bridge_order;
extern const dl_rule dl_rule_disk_bus;
extern const dl_rule dl_rule_disk_address_type;
extern const dl_rule dl_rule_drive_address;
extern const dl_rule dl_rule_drive_address_conflict;
extern const dl_rule dl_rule_disk_target;
extern const dl_rule dl_rule_disk_media;
/* H3: disks, host devices, character devices, shmem, virtiofs */
extern const dl_rule dl_rule_disk_format;
extern const dl_rule dl_rule_disk_secrets;
extern const dl_rule dl_rule_disk_vpd;
extern const dl_rule dl_rule_disk_geometry;
extern const dl_rule dl_rule_hostdev_mdev;
extern const dl_rule dl_rule_hostdev_boot;
extern const dl_rule dl_rule_hostdev_managed;
extern const dl_rule dl_rule_chardev_source;
extern const dl_rule dl_rule_chardev_target;
extern const dl_rule dl_rule_shmem_server;
extern const dl_rule dl_rule_virtiofs_read_only;
extern const dl_rule dl_rule_machine_type;
extern const dl_rule dl_rule_emulator_arch;
extern const dl_rule dl_rule_address_type;
extern const dl_rule dl_rule_ccw_address;
extern const dl_rule dl_rule_spapr_vio_address;
extern const dl_rule dl_rule_zpci;
extern const dl_rule dl_rule_hostdev_source;
extern const dl_rule dl_rule_scsi_hostdev_address;
extern const dl_rule dl_rule_device_address;
extern const dl_rule dl_rule_machine_feature;
extern const dl_rule dl_rule_pci_address_syntax;
extern const dl_rule dl_rule_pci_unavailable;
extern const dl_rule dl_rule_pci_bus;
extern const dl_rule dl_rule_pci_slot_range;
extern const dl_rule dl_rule_pci_connect;
extern const dl_rule dl_rule_pci_address_conflict;
extern const dl_rule dl_rule_pci_fixed_address;
extern const dl_rule dl_rule_pci_multifunction;
extern const dl_rule dl_rule_virtio_serial;
extern const dl_rule dl_rule_usb_disabled;
extern const dl_rule dl_rule_usb_controller;
extern const dl_rule dl_rule_usb_address;
extern const dl_rule dl_rule_qemu_binary;
extern const dl_rule dl_rule_device_model;
extern const dl_rule dl_rule_graphics;
extern const dl_rule dl_rule_video;
extern const dl_rule dl_rule_virtio_options;
extern const dl_rule dl_rule_virtio_transitional;
extern const dl_rule dl_rule_net_queue_size;
extern const dl_rule dl_rule_tpm;
extern const dl_rule dl_rule_host_capabilities;
extern const dl_rule dl_rule_pci_layout;
extern const dl_rule dl_rule_os_type;
extern const dl_rule dl_rule_os_firmware;
extern const dl_rule dl_rule_firmware_autoselect;
extern const dl_rule dl_rule_firmware_acpi;
extern const dl_rule dl_rule_boot_order;
extern const dl_rule dl_rule_iommu;
extern const dl_rule dl_rule_cpu_cache;
extern const dl_rule dl_rule_cpu_maxphysaddr;
extern const dl_rule dl_rule_cpu_sve;
extern const dl_rule dl_rule_vcpu_topology;
extern const dl_rule dl_rule_vcpu_max;
extern const dl_rule dl_rule_numa_cells;
extern const dl_rule dl_rule_numatune;
extern const dl_rule dl_rule_memory_hotplug;
extern const dl_rule dl_rule_memory_size;
extern const dl_rule dl_rule_cputune;
extern const dl_rule dl_rule_sysinfo;
extern const dl_rule dl_rule_seclabel;
/* --host: what this machine has (hostres.c) */
extern const dl_rule dl_rule_host_file;
extern const dl_rule dl_rule_host_block_device;
extern const dl_rule dl_rule_host_device_node;
extern const dl_rule dl_rule_host_emulator;
extern const dl_rule dl_rule_host_kvm;
extern const dl_rule dl_rule_host_network;
extern const dl_rule dl_rule_host_pci_device;
extern const dl_rule dl_rule_host_hugepages;
extern const dl_rule dl_rule_host_numa;
extern const dl_rule dl_rule_host_socket;
extern const dl_rule dl_rule_host_service;
extern const dl_rule dl_rule_suppression;

const dl_rule *const dl_rules[] = {
    &dl_rule_schema,
    &dl_rule_schema_release,
    &dl_rule_machine_type,
    &dl_rule_emulator_arch,
    &dl_rule_pci_root,
    &dl_rule_controller_index,
    &dl_rule_pci_controller_machine,
    &dl_rule_pci_controller_model_name,
    &dl_rule_pci_controller_options,
    &dl_rule_pci_controller_unique,
    &dl_rule_pci_bridge_order,
    &dl_rule_pci_address_syntax,
    &dl_rule_pci_unavailable,
    &dl_rule_pci_bus,
    &dl_rule_pci_slot_range,
    &dl_rule_pci_connect,
    &dl_rule_pci_address_conflict,
    &dl_rule_pci_fixed_address,
    &dl_rule_pci_multifunction,
    &dl_rule_disk_bus,
    &dl_rule_disk_address_type,
    &dl_rule_drive_address,
    &dl_rule_drive_address_conflict,
    &dl_rule_disk_target,
    &dl_rule_disk_media,
    &dl_rule_disk_format,
    &dl_rule_disk_secrets,
    &dl_rule_disk_vpd,
    &dl_rule_disk_geometry,
    &dl_rule_usb_disabled,
    &dl_rule_usb_controller,
    &dl_rule_usb_address,
    &dl_rule_virtio_serial,
    &dl_rule_address_type,
    &dl_rule_ccw_address,
    &dl_rule_spapr_vio_address,
    &dl_rule_zpci,
    &dl_rule_hostdev_source,
    &dl_rule_scsi_hostdev_address,
    &dl_rule_hostdev_mdev,
    &dl_rule_hostdev_boot,
    &dl_rule_hostdev_managed,
    &dl_rule_chardev_source,
    &dl_rule_chardev_target,
    &dl_rule_shmem_server,
    &dl_rule_virtiofs_read_only,
    &dl_rule_device_address,
    &dl_rule_machine_feature,
    &dl_rule_os_type,
    &dl_rule_os_firmware,
    &dl_rule_firmware_autoselect,
    &dl_rule_firmware_acpi,
    &dl_rule_boot_order,
    &dl_rule_iommu,
    &dl_rule_qemu_binary,
    &dl_rule_device_model,
    &dl_rule_graphics,
    &dl_rule_video,
    &dl_rule_virtio_options,
    &dl_rule_virtio_transitional,
    &dl_rule_net_queue_size,
    &dl_rule_tpm,
    &dl_rule_host_capabilities,
    &dl_rule_cpu_cache,
    &dl_rule_cpu_maxphysaddr,
    &dl_rule_cpu_sve,
    &dl_rule_vcpu_topology,
    &dl_rule_vcpu_max,
    &dl_rule_numa_cells,
    &dl_rule_numatune,
    &dl_rule_memory_hotplug,
    &dl_rule_memory_size,
    &dl_rule_cputune,
    &dl_rule_sysinfo,
    &dl_rule_seclabel,
    &dl_rule_pci_layout,
    &dl_rule_host_file,
    &dl_rule_host_block_device,
    &dl_rule_host_device_node,
    &dl_rule_host_emulator,
    &dl_rule_host_kvm,
    &dl_rule_host_network,
    &dl_rule_host_pci_device,
    &dl_rule_host_hugepages,
    &dl_rule_host_numa,
    &dl_rule_host_socket,
    &dl_rule_host_service,
    &dl_rule_suppression,
};

const guint dl_rule_total = G_N_ELEMENTS(dl_rules);
