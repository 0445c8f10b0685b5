/* param.c: looking up the keys a model part declares (param.h). */
#include "param.h"

#include <string.h>

const param_key *param_find(const param_key *keys, const char *name)
{
    for (const param_key *k = keys; k && k->name; k++)
        if (!strcmp(k->name, name))
            return k;
    return NULL;
}
