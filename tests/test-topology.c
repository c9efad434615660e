/*
 * test-topology.c - the PCI bus table of a domain (core/topology.c)
 *
 * libvirt numbers buses by controller index, and the root is there even
 * when the XML leaves it out; what each bus accepts and what each device
 * needs decides where anything may go (reference section 2.4).
 */
#include "config.h"

#include <string.h>

#include "testutil.h"
#include "testcheck.h"

Test(topology, q35_root_is_implicit_pcie_root)
{
    g_autoptr(test_domain) t = test_domain_new(TEST_HEAD("q35") TEST_TAIL, FALSE);
    const dl_topology *topo = t->chk.topo;
    const dl_bus *root = dl_topology_bus(topo, 0);

    cr_assert(topo->has_pci);
    cr_assert_eq(topo->nbuses, 1);
    cr_assert_not_null(root);
    cr_assert_str_eq(root->model, "pcie-root");
    cr_assert_null(root->controller, "the root was not written");
    /* libvirt never puts an endpoint on pcie-root by itself */
    cr_assert_not(root->autoassign);
    cr_assert(root->accepts & DL_CONN_PCIE_ROOT_PORT);
    cr_assert_null(dl_topology_bus(topo, 1));
}

Test(topology, i440fx_root_takes_endpoints)
{
    g_autoptr(test_domain) t = test_domain_new(TEST_HEAD("pc-i440fx-7.2") TEST_TAIL, FALSE);
    const dl_bus *root = dl_topology_bus(t->chk.topo, 0);

    cr_assert_not_null(root);
    cr_assert_str_eq(root->model, "pci-root");
    cr_assert(root->autoassign);
    cr_assert(root->accepts & DL_CONN_PCI_DEVICE);
    cr_assert_not(root->accepts & DL_CONN_PCIE_ROOT_PORT);
    cr_assert_eq(root->max_slot, 31);
}

Test(topology, buses_are_indexed_by_controller_index)
{
    static const char xml[] = TEST_HEAD("q35")
        "    <controller type='pci' index='0' model='pcie-root'/>\n"
        "    <controller type='pci' index='3' model='pcie-root-port'/>\n"
        "    <controller type='pci' index='4' model='pcie-to-pci-bridge'/>\n"
        TEST_TAIL;
    g_autoptr(test_domain) t = test_domain_new(xml, FALSE);
    const dl_topology *topo = t->chk.topo;
    const dl_bus *port = dl_topology_bus(topo, 3);
    const dl_bus *bridge = dl_topology_bus(topo, 4);

    cr_assert_eq(topo->nbuses, 5);
    cr_assert_null(dl_topology_bus(topo, 1), "no controller has index 1");
    cr_assert_null(dl_topology_bus(topo, 2));
    cr_assert_not_null(port);
    cr_assert_not_null(bridge);
    cr_assert_eq(port->index, 3);
    cr_assert_not_null(port->controller, "written in the XML");
    /* a root port has one slot, a bridge 31 */
    cr_assert_eq(port->min_slot, 0);
    cr_assert_eq(port->max_slot, 0);
    cr_assert_eq(bridge->min_slot, 1);
    cr_assert_eq(bridge->max_slot, 31);
    cr_assert(port->accepts & DL_CONN_PCIE_DEVICE);
    cr_assert(bridge->accepts & DL_CONN_PCI_DEVICE);
    cr_assert_null(dl_topology_bus(topo, 300), "out of range is no bus, not a crash");
}

Test(topology, what_a_device_needs_depends_on_the_machine)
{
    static const char nic[] = "    <interface type='user'><model type='virtio'/></interface>\n"
                              "    <interface type='user'><model type='e1000'/></interface>\n";
    g_autofree char *q35_xml = g_strconcat(TEST_HEAD("q35"), nic, TEST_TAIL, NULL);
    g_autofree char *pc_xml = g_strconcat(TEST_HEAD("pc-i440fx-7.2"), nic, TEST_TAIL, NULL);
    g_autoptr(test_domain) q35 = test_domain_new(q35_xml, FALSE);
    g_autoptr(test_domain) pc = test_domain_new(pc_xml, FALSE);

    /* virtio is PCI Express on a PCI Express machine, conventional PCI on i440fx */
    cr_assert(dl_device_pci_connect(&q35->chk, test_device(q35, 0)) & DL_CONN_PCIE_DEVICE);
    cr_assert(dl_device_pci_connect(&pc->chk, test_device(pc, 0)) & DL_CONN_PCI_DEVICE);
    cr_assert_not(dl_device_pci_connect(&pc->chk, test_device(pc, 0)) & DL_CONN_PCIE_DEVICE);
    /* e1000 is conventional PCI everywhere */
    cr_assert(dl_device_pci_connect(&q35->chk, test_device(q35, 1)) & DL_CONN_PCI_DEVICE);
    cr_assert_not(dl_device_pci_connect(&q35->chk, test_device(q35, 1)) & DL_CONN_PCIE_DEVICE);
}

Test(topology, family_root_models)
{
    g_autoptr(test_domain) q35 = test_domain_new(TEST_HEAD("q35") TEST_TAIL, FALSE);
    g_autoptr(test_domain) pc = test_domain_new(TEST_HEAD("pc-i440fx-7.2") TEST_TAIL, FALSE);

    cr_assert_str_eq(dl_family_root_model(q35->chk.family), "pcie-root");
    cr_assert_str_eq(dl_family_root_model(pc->chk.family), "pci-root");
    cr_assert(dl_pci_model_is_root("pcie-root"));
    cr_assert_not(dl_pci_model_is_root("pcie-root-port"));
    cr_assert(dl_pci_model_known(&q35->chk, "pcie-to-pci-bridge"));
    cr_assert_not(dl_pci_model_known(&q35->chk, "pcie-roof-port"));
}
