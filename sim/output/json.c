/* json.c: the JSON writer layer over cJSON: numbers that may not be
 * finite, the provenance object, the text of a tree. */
#include "json.h"

#include "sim/engine/tail.h"

#include <math.h>
#include <stdio.h>

void json_number_add(cJSON *o, const char *key, double v)
{
    if (isfinite(v))
        cJSON_AddNumberToObject(o, key, v);
    else
        cJSON_AddNullToObject(o, key);
}

cJSON *json_number_create(double v)
{
    return isfinite(v) ? cJSON_CreateNumber(v) : cJSON_CreateNull();
}

cJSON *json_provenance_add(cJSON *root, const provenance *pv)
{
    /* 64-bit hash and seed as text: a JSON number is a double to most readers */
    char hash[24], seed[24];
    snprintf(hash, sizeof hash, "%016llx", (unsigned long long)pv->hash);
    snprintf(seed, sizeof seed, "%llu", (unsigned long long)pv->seed);
    cJSON *prov = cJSON_AddObjectToObject(root, "provenance");
    cJSON_AddStringToObject(prov, "tokensim_version", pv->version);
    cJSON_AddStringToObject(prov, "scenario_file", pv->scenario_file);
    cJSON_AddStringToObject(prov, "scenario_hash", hash);
    cJSON_AddStringToObject(prov, "seed", seed);
    cJSON_AddNumberToObject(prov, "replications", pv->replications);
    char w[768];
    if (outputs_tail_warning(pv, w, sizeof w)) {
        const tail_report *t = pv->tail;
        cJSON *o = cJSON_AddObjectToObject(prov, "heavy_tail");
        cJSON_AddStringToObject(o, "warning", w);
        json_number_add(o, "top_0_1pct_usage_share", t->top_share);
        json_number_add(o, "replications_skewness", t->skew);
        if (t->infinite)
            cJSON_AddNullToObject(o, "replications_needed");
        else
            cJSON_AddNumberToObject(o, "replications_needed", t->needed);
    }
    return prov;
}

cJSON *json_document_create(void)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddNumberToObject(root, "schema_version", OUTPUTS_SCHEMA_VERSION);
    return root;
}

char *json_provenance_text(const provenance *pv)
{
    cJSON *root = json_document_create();
    json_provenance_add(root, pv);
    return json_text_take(root);
}

char *json_text_take(cJSON *root)
{
    if (!root)
        return NULL;
    char *text = cJSON_Print(root);
    cJSON_Delete(root);
    return text;
}
