/*
 * json.c - a topology as JSON, in the shape of
 * schemas/domlint-topology.schema.json; findings as in the check's report
 */
#include "config.h"

#include <json-glib/json-glib.h>

#include "show/show.h"
#include "out/emit.h"

static void
member_string(JsonBuilder *b, const char *name, const char *value)
{
    json_builder_set_member_name(b, name);
    if (value)
        json_builder_add_string_value(b, value);
    else
        json_builder_add_null_value(b);
}

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
    member_string(b, "name", d->name);
    member_string(b, "address", d->address);
    if (pci) {
        member_int(b, "slot", d->slot);
        member_int(b, "function", d->function);
    }
    member_string(b, "origin", dl_show_origin_name(d->origin));
    json_builder_set_member_name(b, "bus");
    if (d->bus_index >= 0)
        json_builder_add_int_value(b, d->bus_index);
    else
        json_builder_add_null_value(b);
    member_bool(b, "spare", d->spare);
    member_bool(b, "conflict", d->conflict);
    member_int(b, "line", d->line);
    member_string(b, "xpath", d->xpath);
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
    member_string(b, "model", bus->model);
    member_string(b, "modelName", bus->model_name);
    member_string(b, "origin", dl_show_origin_name(bus->origin));
    member_string(b, "options", bus->options);
    member_string(b, "filledOptions", bus->filled);
    json_builder_set_member_name(b, "parent");
    if (bus->parent >= 0)
        json_builder_add_int_value(b, bus->parent);
    else
        json_builder_add_null_value(b);
    member_string(b, "upstream", bus->controller ? bus->controller->address : NULL);
    member_int(b, "minSlot", bus->min_slot);
    member_int(b, "maxSlot", bus->max_slot);
    member_bool(b, "hotplug", bus->hotplug);
    member_string(b, "accepts", bus->accepts);
    member_int(b, "freeSlots", bus->free_slots);
    member_string(b, "free", bus->free_list);
    member_bool(b, "freeHotplugPort", dl_show_bus_free_port(bus));
    devices(b, "devices", bus->devs, TRUE);
    json_builder_end_object(b);
}

static void
attach(JsonBuilder *b, const dl_show_attach *a)
{
    json_builder_begin_object(b);
    member_string(b, "type", a->type);
    member_int(b, "index", a->index);
    member_string(b, "model", a->model);
    member_string(b, "origin", dl_show_origin_name(a->origin));
    member_string(b, "capacity", a->capacity);
    member_bool(b, "missing", a->missing);
    devices(b, "devices", a->devs, FALSE);
    json_builder_end_object(b);
}

static void
layout(JsonBuilder *b, const dl_show_topology *t)
{
    const char *state = "none";

    if (t->layout_error)
        state = "error";
    else if (t->layout_note)
        state = "not-attempted";
    else if (t->layout_done)
        state = "done";
    json_builder_set_member_name(b, "layout");
    json_builder_begin_object(b);
    member_string(b, "state", state);
    member_string(b, "error", t->layout_error);
    member_string(b, "stopsAt", t->layout_error_at);
    member_string(b, "note", t->layout_note);
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
    member_string(b, "file", t->file);
    member_string(b, "machine", t->machine);
    member_string(b, "family", t->family);
    member_string(b, "arch", t->arch);
    member_string(b, "root", t->root);
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
