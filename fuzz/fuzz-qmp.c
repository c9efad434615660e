/*
 * fuzz-qmp.c - libFuzzer harness for the QMP reply parser
 *
 * Whatever a QEMU (or something pretending to be one) writes on the QMP
 * channel must be rejected cleanly or parsed, never crash.
 */
#include <stdint.h>

#include "config.h"
#include "probe/qmp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    dl_qmp_msg msg;
    GError *error = NULL;

    if (dl_qmp_msg_parse((const char *) data, size, &msg, &error)) {
        g_free(dl_qmp_greeting_version(&msg));
        dl_qmp_msg_release(&msg);
    }
    g_clear_error(&error);
    return 0;
}
