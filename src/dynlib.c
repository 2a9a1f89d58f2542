/* dynlib.c - dlopen and dlsym, with octavo's reasons for failing. */
#include "dynlib.h"

#include <dlfcn.h>
#include <stddef.h>

void *
oc_dynlib_open(const char *soname, const char **why)
{
    void *lib = dlopen(soname, RTLD_NOW | RTLD_LOCAL);

    if (lib == NULL)
        *why = "the library cannot be opened";
    return lib;
}

void *
oc_dynlib_symbol(void *lib, const char *name, const char **why)
{
    void *p = dlsym(lib, name);

    if (p == NULL && *why == NULL)
        *why = "the library lacks a function octavo needs";
    return p;
}
