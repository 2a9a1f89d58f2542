/* labels.h - the words octavo writes itself ("Contents", "Published by",
 * "Translated by"...) in the book's language: a small table per language,
 * each word overridable from the manifest (labels: {contents: …}). */
#ifndef OC_LABELS_H
#define OC_LABELS_H

#include <stdbool.h>

typedef enum oc_label_id {
    OC_LABEL_CONTENTS,      /* the contents page and its bookmark */
    OC_LABEL_COVER,
    OC_LABEL_TITLE_PAGE,
    OC_LABEL_COPYRIGHT,     /* the imprint page's name */
    OC_LABEL_LANDMARKS,     /* the EPUB's landmarks nav */
    OC_LABEL_START,         /* its "start of content" landmark */
    OC_LABEL_PAGES,         /* the EPUB's page-list nav */
    OC_LABEL_PUBLISHED_BY,  /* before the publisher's name */
    OC_LABEL_EDITED_BY,     /* before a contributor's name, by role */
    OC_LABEL_TRANSLATED_BY,
    OC_LABEL_ILLUSTRATED_BY,
    OC_LABEL_WITH,          /* a contributor of another role */
    OC_LABEL_NOTE,          /* the titles of GitHub's alerts (> [!NOTE]), */
    OC_LABEL_TIP,           /* in this order */
    OC_LABEL_IMPORTANT,
    OC_LABEL_WARNING,
    OC_LABEL_CAUTION,
    OC_LABEL_COUNT
} oc_label_id;

/* The manifest's name of label id ("contents", "published-by"...). */
const char *oc_label_name(oc_label_id id);

/* The label named 'name', or -1. */
int oc_label_find(const char *name);

/* Whether octavo has the labels of language 'lang' (a BCP 47 tag: "pt-BR"
 * reads "pt"); English counts. */
bool oc_labels_known(const char *lang);

/* Label id: the book's own ('own' holds OC_LABEL_COUNT strings, NULL for
 * those it does not give; 'own' may be NULL), else that of 'lang', else
 * the English one. Never NULL. */
const char *oc_label(const char *const *own, const char *lang,
                     oc_label_id id);

/* The words before the name of a contributor whose MARC relator code is
 * 'role': "Edited by" (edt, edc), "Translated by" (trl), "Illustrated
 * by" (ill) as oc_label gives them; in English, the phrase of the other
 * roles that have one ("Cover design by", "Preface by"...); else the
 * label "with". Never NULL. */
const char *oc_label_credit(const char *const *own, const char *lang,
                            const char *role);

#endif
