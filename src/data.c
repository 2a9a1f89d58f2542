/* data.c - octavo's own data files: the compiled-in copies (the table
 * the Makefile generates from styles/), or a data folder's. */
#include "data.h"

#include <stdlib.h>
#include <string.h>

#include "error.h"

const char *
oc_data_dir(const char *dir)
{
    const char *env;

    if (dir != NULL)
        return dir;
    env = getenv("OCTAVO_DATA_DIR");
    return env != NULL && env[0] != '\0' ? env : NULL;
}

static const oc_data_file *
lookup(const char *name)
{
    for (const oc_data_file *f = oc_data_files; f->name != NULL; f++)
        if (strcmp(f->name, name) == 0)
            return f;
    return NULL;
}

oc_status
oc_data_read(const char *dir, const char *name, oc_buf *out, oc_buf *path,
             oc_error *err)
{
    const oc_data_file *f;

    path->len = 0;
    if (dir != NULL) {
        oc_buf_printf(path, "%s/%s", dir, name);
        return oc_buf_read_file(out, path->data, 0, err);
    }
    oc_buf_printf(path, "octavo:%s", name);
    if ((f = lookup(name)) == NULL)
        return oc_error_set(err, OC_ERR_IO, path->data, 0, 0,
                            "no such file compiled into octavo");
    out->len = 0;
    oc_buf_put(out, f->data, f->len);
    return OC_OK;
}

const char *
oc_data(const char *name, size_t *len)
{
    const oc_data_file *f = lookup(name);

    if (f == NULL)
        return NULL;
    if (len != NULL)
        *len = f->len;
    return (const char *)f->data;
}
