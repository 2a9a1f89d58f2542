/* dynlib.h - a library opened (dlopen) when a book first needs it, not
 * linked at start-up: a build that never uses it never maps it, nor what
 * only it needs, nor pays for its relocations. */
#ifndef OC_DYNLIB_H
#define OC_DYNLIB_H

/* The library 'soname', opened for good (never closed: libraries that
 * register types or keep state stay valid for the process); NULL, with
 * *why set, when it cannot be opened. */
void *oc_dynlib_open(const char *soname, const char **why);

/* The address of 'name' in 'lib'; NULL when it has none, and then *why
 * is set unless it already was (so one call after a run of them says
 * whether all were found). */
void *oc_dynlib_symbol(void *lib, const char *name, const char **why);

#endif
