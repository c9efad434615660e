/*
 * json.c - a topology as JSON, in the shape of
 * schemas/domlint-topology.schema.json; findings as in the check's report
 */
#include "config.h"

#include <json-glib/json-glib.h>

#include "show/show.h"
#include "out/emit.h"

static void
member_int(JsonBuilder *b, const char *name, gint64 value)
{
    json_builder_set_member_name(b, name);
    json_builder_add_int_value(b, value);
}

static void
member_bool(JsonBuilder *b, const char *name, gboolean value)
{
    json_builder_set_member_name(b, name);
    json_builder_add_boolean_value(b, value);
}

static void
findings(JsonBuilder *b, const GPtrArray *list)
{
    json_builder_set_member_name(b, "findings");
    json_builder_begin_array(b);
    for (guint i = 0; i < list->len; i++)
        dl_emit_diag_json(b, g_ptr_array_index(list, i));
    json_builder_end_array(b);
}

static void
device(JsonBuilder *b, const dl_show_dev *d, gboolean pci)
{
    json_builder_begin_object(b);
    dl_json_add_string_or_null(b, "name", d->name);
    dl_json_add_string_or_null(b, "address", d->address);
    if (pci) {
        member_int(b, "slot", d->slot);
        member_int(b, "function", d->function);
    }
    dl_json_add_string_or_null(b, "origin", dl_show_origin_name(d->origin));
    json_builder_set_member_name(b, "bus");
    if (d->bus_index >= 0)
        json_builder_add_int_value(b, d->bus_index);
    else
        json_builder_add_null_value(b);
    member_bool(b, "spare", d->spare);
    member_bool(b, "conflict", d->conflict);
    member_int(b, "line", d->line);
    dl_json_add_string_or_null(b, "xpath", d->xpath);
    findings(b, d->findings);
    json_builder_end_object(b);
}

static void
devices(JsonBuilder *b, const char *member, const GPtrArray *list, gboolean pci)
{
    json_builder_set_member_name(b, member);
    json_builder_begin_array(b);
    for (guint i = 0; i < list->len; i++)
        device(b, g_ptr_array_index(list, i), pci);
    json_builder_end_array(b);
}

static void
bus(JsonBuilder *b, const dl_show_bus *bus)
{
    json_builder_begin_object(b);
    member_int(b, "index", bus->index);
    dl_json_add_string_or_null(b, "model", bus->model);
    dl_json_add_string_or_null(b, "modelName", bus->model_name);
    dl_json_add_string_or_null(b, "origin", dl_show_origin_name(bus->origin));
    dl_json_add_string_or_null(b, "options", bus->options);
    dl_json_add_string_or_null(b, "filledOptions", bus->filled);
    json_builder_set_member_name(b, "parent");
    if (bus->parent >= 0)
        json_builder_add_int_value(b, bus->parent);
    else
        json_builder_add_null_value(b);
    dl_json_add_string_or_null(b, "upstream", bus->controller ? bus->controller->address : NULL);
    member_int(b, "minSlot", bus->min_slot);
    member_int(b, "maxSlot", bus->max_slot);
    member_bool(b, "hotplug", bus->hotplug);
    dl_json_add_string_or_null(b, "accepts", bus->accepts);
    member_int(b, "freeSlots", bus->free_slots);
    dl_json_add_string_or_null(b, "free", bus->free_list);
    member_bool(b, "freeHotplugPort", dl_show_bus_free_port(bus));
    devices(b, "devices", bus->devs, TRUE);
    json_builder_end_object(b);
}

static void
attach(JsonBuilder *b, const dl_show_attach *a)
{
    json_builder_begin_object(b);
    dl_json_add_string_or_null(b, "type", a->type);
    member_int(b, "index", a->index);
    dl_json_add_string_or_null(b, "model", a->model);
    dl_json_add_string_or_null(b, "origin", dl_show_origin_name(a->origin));
    dl_json_add_string_or_null(b, "capacity", a->capacity);
    member_bool(b, "missing", a->missing);
    devices(b, "devices", a->devs, FALSE);
    json_builder_end_object(b);
}

static void
layout(JsonBuilder *b, const dl_show_topology *t)
{
    json_builder_set_member_name(b, "layout");
    json_builder_begin_object(b);
    dl_json_add_string_or_null(b, "state", dl_show_layout_state(t));
    dl_json_add_string_or_null(b, "error", t->layout_error);
    dl_json_add_string_or_null(b, "stopsAt", t->layout_error_at);
    dl_json_add_string_or_null(b, "note", t->layout_note);
    json_builder_end_object(b);
}

char *
dl_show_json(const dl_show_topology *t)
{
    g_autoptr(JsonBuilder) b = json_builder_new();
    g_autoptr(JsonGenerator) gen = json_generator_new();
    g_autoptr(JsonNode) root = NULL;
    g_autofree char *text = NULL;

    json_builder_begin_object(b);
    member_int(b, "version", 1);
    dl_json_add_string_or_null(b, "file", t->file);
    dl_json_add_string_or_null(b, "machine", t->machine);
    dl_json_add_string_or_null(b, "family", t->family);
    dl_json_add_string_or_null(b, "arch", t->arch);
    dl_json_add_string_or_null(b, "root", t->root);
    layout(b, t);
    member_int(b, "emptyHotplugPorts", dl_show_free_ports(t));
    json_builder_set_member_name(b, "buses");
    json_builder_begin_array(b);
    for (guint i = 0; i < t->buses->len; i++)
        bus(b, g_ptr_array_index(t->buses, i));
    json_builder_end_array(b);
    devices(b, "unplaced", t->unplaced, FALSE);
    json_builder_set_member_name(b, "attached");
    json_builder_begin_array(b);
    for (guint i = 0; i < t->attach->len; i++)
        attach(b, g_ptr_array_index(t->attach, i));
    json_builder_end_array(b);
    findings(b, t->others);
    member_int(b, "errors", dl_show_count(t, DOMLINT_SEV_ERROR));
    member_int(b, "warnings", dl_show_count(t, DOMLINT_SEV_WARNING));
    json_builder_end_object(b);

    root = json_builder_get_root(b);
    json_generator_set_root(gen, root);
    json_generator_set_pretty(gen, TRUE);
    text = json_generator_to_data(gen, NULL);
    return g_strconcat(text, "\n", NULL);
}
