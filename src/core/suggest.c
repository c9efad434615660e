/*
 * suggest.c - "did you mean ...?": the nearest name that looks like a typo
 */
#include "config.h"

#include <string.h>

#include "domlint.h"
#include "core/suggest.h"

gsize
dl_edit_distance(const char *a, gsize la, const char *b)
{
    gsize lb = strlen(b);
    /* three rows: the one before the previous one sees a swap of neighbours */
    g_autofree gsize *before = g_new0(gsize, lb + 1);
    g_autofree gsize *prev = g_new(gsize, lb + 1);
    g_autofree gsize *cur = g_new(gsize, lb + 1);

    for (gsize j = 0; j <= lb; j++)
        prev[j] = j;
    for (gsize i = 1; i <= la; i++) {
        gsize *oldest = before;

        cur[0] = i;
        for (gsize j = 1; j <= lb; j++) {
            gsize cost = a[i - 1] == b[j - 1] ? 0 : 1;
            gsize best = MIN(prev[j] + 1, cur[j - 1] + 1);

            best = MIN(best, prev[j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                best = MIN(best, before[j - 2] + 1);
            cur[j] = best;
        }
        before = prev;
        prev = cur;
        cur = oldest;
    }
    return prev[lb];
}

gboolean
dl_is_typo(gsize distance, gsize candidate_len)
{
    return distance <= MAX(2, candidate_len / 3) && distance < candidate_len;
}

void
dl_suggest_among(const char *word, const char *const *names, const char **best,
                 gsize *best_distance)
{
    gsize len = strlen(word);

    for (gsize i = 0; names && names[i]; i++) {
        gsize distance = dl_edit_distance(word, len, names[i]);

        if (dl_is_typo(distance, strlen(names[i])) && distance < *best_distance) {
            *best = names[i];
            *best_distance = distance;
        }
    }
}

const char *
dl_suggest(const char *word, const char *const *names)
{
    const char *best = NULL;
    gsize best_distance = G_MAXSIZE;

    if (word)
        dl_suggest_among(word, names, &best, &best_distance);
    return best;
}

char *
dl_rule_unknown_message(const char *id)
{
    /* the registry through the public API: the rules sit above this layer */
    guint total = domlint_rule_count();
    g_autofree const char **ids = g_new0(const char *, total + 1);
    const char *near;

    for (guint r = 0; r < total; r++)
        ids[r] = domlint_rule_get(r)->id;
    near = dl_suggest(id, ids);
    if (near)
        return g_strdup_printf("unknown rule '%s' (did you mean '%s'?)", id, near);
    return g_strdup_printf("unknown rule '%s' (see --list-rules)", id);
}
