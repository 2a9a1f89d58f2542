/* pdffont.c - the faces a PDF draws with, as composite fonts (ISO
 * 32000-1 §9.7): a Type0 font with /Identity-H codes that are the
 * face's glyph ids, its CIDFont (§9.7.4) with /W widths, a
 * FontDescriptor (§9.8) and the program HarfBuzz subsets to the glyphs
 * drawn (§9.9), and a ToUnicode CMap (§9.10.3). See pdffont.h.
 *
 * The pages are written before the fonts, so a code must select the
 * right glyph whatever the subset renumbers:
 *  - TrueType outlines (glyf): the subset is compact, and /CIDToGIDMap
 *    maps each code (an original glyph id) to the glyph's new id.
 *  - CFF outlines: a CIDFontType0 has no CIDToGIDMap. The bare 'CFF '
 *    table is embedded as /FontFile3 /CIDFontType0C (PDF 1.3), where
 *    §9.7.4.2 selects the glyph so: a CFF without CIDFont operators
 *    takes the CID as its glyph id, so that subset keeps every glyph
 *    id (HB_SUBSET_FLAGS_RETAIN_GIDS; the unused ones are empty
 *    charstrings of a few bytes each); a CID-keyed CFF (ROS in its Top
 *    DICT, as Noto CJK's) looks the CID up in its charset, so that
 *    subset is compact and its charset is made to give each glyph its
 *    original id as its CID (FreeType, which poppler and MuPDF use,
 *    reads a bare CID-keyed CFF's glyph index as a CID the same way).
 *
 * Not handled: a variable font is embedded in its default instance (its
 * variation tables dropped; the widths are the default's too), and a
 * font Pango emboldens or slants synthetically is embedded as the
 * plain face (the painter must draw the emboldening itself). A face
 * with neither glyf nor CFF outlines (CFF2, bitmap or SVG only) is an
 * error at oc_pdffonts_write.
 *
 * One thread only (the caller holds the font lock), but for the
 * subsets oc_pdffonts_write makes on threads of its own. */
#include "pdffont.h"

#include <hb-ot.h>
#include <hb-subset.h>
#include <libdeflate.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"

/* A glyph's text is at most this many bytes of UTF-8, so that its
 * ToUnicode entry is within the 512 bytes §9.10.3 allows (each byte of
 * UTF-8 is at most two of UTF-16). Longer text is left to /ActualText. */
enum { MAX_TEXT = 256 };

/* Glyphs per page of the text table: a page is allocated when one of
 * its glyphs first gets text, so a CJK face of 65535 glyphs costs
 * memory for the pages it draws from only. */
enum { PAGE_BITS = 8, PAGE = 1 << PAGE_BITS };

/* A glyph's text: 'len' bytes at 'off' in the fonts' pool; len 0 for
 * none yet. */
typedef struct slot {
    uint32_t off;
    uint32_t len;
} slot;

typedef struct font {
    hb_face_t *face;            /* a reference of our own */
    hb_font_t *metrics;         /* 'face' at its upem, default instance */
    unsigned   nglyphs;
    unsigned   upem;
    long       ref;             /* the Type0 font dictionary */
    uint64_t  *used;            /* bitset of glyphs drawn */
    slot     **pages;           /* [(nglyphs + PAGE - 1) / PAGE] */
} font;

struct oc_pdffonts {
    font   *fonts;
    int     n, cap;
    oc_buf  pool;               /* every glyph's text, end to end */
};

oc_pdffonts *
oc_pdffonts_new(void)
{
    return oc_xcalloc(1, sizeof(oc_pdffonts));
}

void
oc_pdffonts_free(oc_pdffonts *fs)
{
    if (fs == NULL)
        return;
    for (int i = 0; i < fs->n; i++) {
        font *f = &fs->fonts[i];

        for (unsigned p = 0; p < (f->nglyphs + PAGE - 1) / PAGE; p++)
            free(f->pages[p]);
        free(f->pages);
        free(f->used);
        hb_font_destroy(f->metrics);
        hb_face_destroy(f->face);
    }
    free(fs->fonts);
    oc_buf_free(&fs->pool);
    free(fs);
}

static bool has_table(hb_face_t *face, hb_tag_t tag);

/* What cannot be embedded as it is drawn is not taken: outlines neither
 * TrueType nor CFF (CFF2, bitmaps, SVG), and a variable font's instance
 * other than its default, which the subset would not be. */
bool
oc_pdffonts_can_embed(hb_font_t *hbfont)
{
    hb_face_t *face = hb_font_get_face(hbfont);
    unsigned ncoords = 0;
    const int *coords = hb_font_get_var_coords_normalized(hbfont, &ncoords);

    for (unsigned i = 0; i < ncoords; i++)
        if (coords[i] != 0)
            return false;
    return has_table(face, HB_TAG('g', 'l', 'y', 'f')) ||
           has_table(face, HB_TAG('C', 'F', 'F', ' '));
}

int
oc_pdffonts_font(oc_pdffonts *fs, oc_pdfw *w, hb_font_t *hbfont, long *ref)
{
    hb_face_t *face = hb_font_get_face(hbfont);
    font *f;

    for (int i = fs->n - 1; i >= 0; i--) {
        if (fs->fonts[i].face == face) {
            *ref = fs->fonts[i].ref;
            return i;
        }
    }
    if (!oc_pdffonts_can_embed(hbfont))
        return -1;
    if (fs->n == fs->cap) {
        fs->cap = fs->cap ? 2 * fs->cap : 8;
        fs->fonts = oc_xrealloc(fs->fonts, (size_t)fs->cap * sizeof *f);
    }
    f = &fs->fonts[fs->n];
    memset(f, 0, sizeof *f);
    f->face = hb_face_reference(face);
    /* A font of its own, not Pango's: that one is scaled to the size
     * and may carry variations or synthetic slant. */
    f->metrics = hb_font_create(face);
    f->upem = hb_face_get_upem(face);
    f->nglyphs = hb_face_get_glyph_count(face);
    if (f->nglyphs == 0)
        f->nglyphs = 1;         /* .notdef, always in the subset */
    f->used = oc_xcalloc((f->nglyphs + 63) / 64, sizeof *f->used);
    f->pages = oc_xcalloc((f->nglyphs + PAGE - 1) / PAGE, sizeof *f->pages);
    f->used[0] |= 1;
    f->ref = oc_pdfw_reserve(w);
    *ref = f->ref;
    return fs->n++;
}

bool
oc_pdffonts_use(oc_pdffonts *fs, int index, unsigned gid, const char *text,
                size_t len)
{
    font *f = &fs->fonts[index];
    slot *page;
    slot *s;

    if (gid >= f->nglyphs)      /* not a glyph of the face */
        return false;
    f->used[gid / 64] |= (uint64_t)1 << (gid % 64);
    page = f->pages[gid / PAGE];
    if (len == 0)               /* no text of its own: true if it has none */
        return page == NULL || page[gid % PAGE].len == 0;
    if (page == NULL)
        page = f->pages[gid / PAGE] = oc_xcalloc(PAGE, sizeof *page);
    s = &page[gid % PAGE];
    if (s->len == len)
        return memcmp(fs->pool.data + s->off, text, len) == 0;
    if (s->len != 0 || len > MAX_TEXT || fs->pool.len + len > UINT32_MAX)
        return false;
    s->off = (uint32_t)fs->pool.len;
    s->len = (uint32_t)len;
    oc_buf_put(&fs->pool, text, len);
    return true;
}

double
oc_pdffonts_advance(oc_pdffonts *fs, int index, unsigned gid)
{
    font *f = &fs->fonts[index];
    hb_position_t adv;

    if (gid >= f->nglyphs || f->upem == 0)
        return 0;
    adv = hb_font_get_glyph_h_advance(f->metrics, gid);
    /* Rounded to the three decimals /W is written with, so that the
     * painter's TJ adjustments count from the width a reader uses. */
    return (double)llround((double)adv * 1e6 / f->upem) / 1000.0;
}

static bool
is_used(const font *f, unsigned gid)
{
    return (f->used[gid / 64] >> (gid % 64)) & 1;
}

/* Big-endian integers of a table; 0 past its end. */
static unsigned
be16(const unsigned char *p, unsigned len, unsigned at)
{
    return at + 2 <= len ? (unsigned)p[at] << 8 | p[at + 1] : 0;
}

static uint32_t
be32(const unsigned char *p, unsigned len, unsigned at)
{
    return at + 4 <= len ? (uint32_t)be16(p, len, at) << 16 |
                           be16(p, len, at + 2) : 0;
}

static bool
has_table(hb_face_t *face, hb_tag_t tag)
{
    hb_blob_t *b = hb_face_reference_table(face, tag);
    bool yes = hb_blob_get_length(b) > 0;

    hb_blob_destroy(b);
    return yes;
}

/* 'name' with what a PDF name or a PostScript name should not hold
 * left out, at most 63 bytes. */
static void
sanitize_name(char *out, size_t size, const char *name)
{
    size_t n = 0;

    for (const char *p = name; *p != '\0' && n + 1 < size && n < 63; p++)
        if (*p > 0x20 && *p < 0x7f && strchr("[](){}<>/%#", *p) == NULL)
            out[n++] = *p;
    out[n] = '\0';
}

/* The face's name (name table), 'id' in its default language. */
static void
face_name(hb_face_t *face, hb_ot_name_id_t id, char *out, unsigned size)
{
    unsigned n = size;

    out[0] = '\0';
    hb_ot_name_get_utf8(face, id, HB_LANGUAGE_INVALID, &n, out);
}

/* The PostScript name: from the name table, else the family's. */
static void
ps_name(const font *f, int index, char *out, size_t size)
{
    char raw[256];

    face_name(f->face, HB_OT_NAME_ID_POSTSCRIPT_NAME, raw, sizeof raw);
    sanitize_name(out, size, raw);
    if (out[0] == '\0') {
        face_name(f->face, HB_OT_NAME_ID_FONT_FAMILY, raw, sizeof raw);
        sanitize_name(out, size, raw);
    }
    if (out[0] == '\0')
        snprintf(out, size, "Font%d", index);
}

/* The subset's tag (§9.6.4): six capitals from a hash of the glyphs in
 * it and of the font's index, so that two subsets of one face in one
 * file have different names, and a build is the same twice. */
static void
subset_tag(const font *f, int index, char tag[7])
{
    uint64_t h = 14695981039346656037ull ^ (uint64_t)index;

    for (unsigned i = 0; i < (f->nglyphs + 63) / 64; i++) {
        h ^= f->used[i];
        h *= 1099511628211ull;
        h ^= h >> 29;
    }
    for (int i = 0; i < 6; i++) {
        tag[i] = (char)('A' + h % 26);
        h /= 26;
    }
    tag[6] = '\0';
}

/* Thousandths of the em, as the PDF's glyph space counts. */
static double
em(const font *f, double units)
{
    return f->upem ? units * 1000.0 / f->upem : units;
}

/* The FontDescriptor: metrics from head, post, OS/2 and HarfBuzz's
 * metrics (which fall back where a table lacks one). */
static void
write_descriptor(const font *f, oc_pdfw *w, long num, const char *name,
                 long file, bool cff)
{
    hb_blob_t *head = hb_face_reference_table(f->face, HB_TAG('h','e','a','d'));
    hb_blob_t *post = hb_face_reference_table(f->face, HB_TAG('p','o','s','t'));
    hb_blob_t *os2 = hb_face_reference_table(f->face, HB_TAG('O','S','/','2'));
    unsigned hl, pl, ol;
    const unsigned char *h =
        (const unsigned char *)hb_blob_get_data(head, &hl);
    const unsigned char *p =
        (const unsigned char *)hb_blob_get_data(post, &pl);
    const unsigned char *o =
        (const unsigned char *)hb_blob_get_data(os2, &ol);
    double italic = (int32_t)be32(p, pl, 4) / 65536.0;
    unsigned weight = be16(o, ol, 4);
    unsigned family = be16(o, ol, 30) >> 8;
    unsigned flags = 4;         /* Symbolic: glyphs outside Standard Latin */
    hb_position_t asc = 0, desc = 0, cap = 0;
    double stemv;
    oc_buf *b;

    if (be32(p, pl, 12) != 0)
        flags |= 1;             /* FixedPitch */
    if ((family >= 1 && family <= 7) ||
        (family == 0 && ol >= 34 && o[32] == 2 && o[33] >= 2 &&
         o[33] <= 10))         /* IBM class, else PANOSE serif style */
        flags |= 2;             /* Serif */
    if (family == 10)
        flags |= 8;             /* Script */
    if (italic != 0 || (be16(o, ol, 62) & 1))
        flags |= 64;            /* Italic */
    hb_ot_metrics_get_position_with_fallback(
        f->metrics, HB_OT_METRICS_TAG_HORIZONTAL_ASCENDER, &asc);
    hb_ot_metrics_get_position_with_fallback(
        f->metrics, HB_OT_METRICS_TAG_HORIZONTAL_DESCENDER, &desc);
    hb_ot_metrics_get_position_with_fallback(
        f->metrics, HB_OT_METRICS_TAG_CAP_HEIGHT, &cap);
    /* No table gives the stem width; a guess from the weight, as other
     * writers make: 400 gives about 88, 700 about 166. */
    if (weight == 0)
        weight = 400;
    stemv = 50 + (weight / 65.0) * (weight / 65.0);

    b = oc_pdfw_begin(w, num);
    oc_buf_puts(b, "<< /Type /FontDescriptor /FontName ");
    oc_pdfw_name(b, name);
    oc_buf_printf(b, " /Flags %u /FontBBox [", flags);
    for (int i = 0; i < 4; i++) {
        oc_buf_puts(b, i ? " " : "");
        oc_pdfw_num(b, em(f, (int16_t)be16(h, hl, 36 + 2 * i)), 0);
    }
    oc_buf_puts(b, "] /ItalicAngle ");
    oc_pdfw_num(b, italic, 2);
    oc_buf_puts(b, " /Ascent ");
    oc_pdfw_num(b, em(f, asc), 0);
    oc_buf_puts(b, " /Descent ");
    oc_pdfw_num(b, em(f, desc), 0);
    oc_buf_puts(b, " /CapHeight ");
    oc_pdfw_num(b, em(f, cap ? cap : asc), 0);
    oc_buf_puts(b, " /StemV ");
    oc_pdfw_num(b, stemv, 0);
    oc_buf_printf(b, " /%s %ld 0 R >>", cff ? "FontFile3" : "FontFile2",
                  file);
    oc_pdfw_end(w);
    hb_blob_destroy(head);
    hb_blob_destroy(post);
    hb_blob_destroy(os2);
}

/* The next code point of 'len' bytes of UTF-8 at *p (U+FFFD for a
 * malformed sequence), *p moved past it. */
static unsigned
next_cp(const unsigned char **p, const unsigned char *end)
{
    const unsigned char *s = *p;
    unsigned c = *s++;
    int more = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : 0;

    if (c >= 0x80 && c < 0xc0)
        c = 0xfffd;
    else if (more > 0)
        c &= 0x3fu >> more;
    for (; more > 0; more--) {
        if (s == end || (*s & 0xc0) != 0x80) {
            c = 0xfffd;
            break;
        }
        c = c << 6 | (*s++ & 0x3fu);
    }
    if (c > 0x10ffff || (c >= 0xd800 && c < 0xe000))
        c = 0xfffd;
    *p = s;
    return c;
}

/* The ToUnicode CMap (§9.10.3; the form of Adobe's technical note
 * 5411): a bfchar entry, in blocks of at most 100, for every glyph
 * used that has text. */
static void
write_tounicode(const oc_pdffonts *fs, const font *f, oc_pdfw *w, long num)
{
    oc_buf cmap = {0};
    oc_buf entries = {0};
    int n = 0;

    oc_buf_puts(&cmap,
                "/CIDInit /ProcSet findresource begin\n"
                "12 dict begin\nbegincmap\n"
                "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) "
                "/Supplement 0 >> def\n"
                "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
                "1 begincodespacerange\n<0000> <FFFF>\n"
                "endcodespacerange\n");
    for (unsigned gid = 0; gid < f->nglyphs; gid++) {
        const slot *page = f->pages[gid / PAGE];
        const slot *s;
        const unsigned char *t, *end;

        if (page == NULL) {
            gid |= PAGE - 1;
            continue;
        }
        s = &page[gid % PAGE];
        if (s->len == 0 || !is_used(f, gid))
            continue;
        t = (const unsigned char *)fs->pool.data + s->off;
        end = t + s->len;
        oc_buf_printf(&entries, "<%04X> <", gid);
        while (t < end) {
            unsigned c = next_cp(&t, end);

            if (c >= 0x10000) {
                c -= 0x10000;
                oc_buf_printf(&entries, "%04X%04X", 0xd800 + (c >> 10),
                              0xdc00 + (c & 0x3ff));
            } else {
                oc_buf_printf(&entries, "%04X", c);
            }
        }
        oc_buf_puts(&entries, ">\n");
        if (++n == 100) {
            oc_buf_printf(&cmap, "%d beginbfchar\n%sendbfchar\n", n,
                          entries.data);
            entries.len = 0;
            n = 0;
        }
    }
    if (n > 0)
        oc_buf_printf(&cmap, "%d beginbfchar\n%sendbfchar\n", n,
                      entries.data);
    oc_buf_puts(&cmap, "endcmap\n"
                "CMapName currentdict /CMap defineresource pop\n"
                "end\nend\n");
    oc_pdfw_stream(w, num, NULL, cmap.data, cmap.len, true);
    oc_buf_free(&cmap);
    oc_buf_free(&entries);
}

/* The CIDFont's /DW and /W (§9.7.4.3): the width of every glyph used,
 * as oc_pdffonts_advance gives it, but for those of the default width
 * (the whole em, as most CJK glyphs are). Runs of consecutive glyphs
 * share one array. */
static void
put_widths(oc_pdffonts *fs, int index, oc_buf *b)
{
    const font *f = &fs->fonts[index];
    bool open = false;
    int col = 0;

    oc_buf_puts(b, " /DW 1000 /W [");
    for (unsigned gid = 0; gid < f->nglyphs; gid++) {
        double adv;

        if (f->used[gid / 64] == 0) {
            gid |= 63;
            if (open)
                oc_buf_puts(b, "]");
            open = false;
            continue;
        }
        adv = is_used(f, gid) ? oc_pdffonts_advance(fs, index, gid) : 1000;
        if (adv == 1000) {
            if (open)
                oc_buf_puts(b, "]");
            open = false;
            continue;
        }
        if (!open)
            oc_buf_printf(b, "%s%u [", ++col % 8 ? " " : "\n", gid);
        else
            oc_buf_puts(b, " ");
        oc_pdfw_num(b, adv, 3);
        open = true;
    }
    oc_buf_puts(b, open ? "]]" : "]");
}

/* The /CIDToGIDMap stream: two bytes a CID, big-endian, from 0 to the
 * highest original glyph id drawn; CIDs not drawn map to 0. */
static void
write_cidtogid(const font *f, hb_subset_plan_t *plan, oc_pdfw *w, long num)
{
    const hb_map_t *map = hb_subset_plan_old_to_new_glyph_mapping(plan);
    unsigned top = 0;
    unsigned char *data;

    for (unsigned gid = 0; gid < f->nglyphs; gid++)
        if (is_used(f, gid))
            top = gid;
    data = oc_xcalloc(top + 1, 2);
    for (unsigned gid = 0; gid <= top; gid++) {
        hb_codepoint_t to = hb_map_get(map, gid);

        if (!is_used(f, gid) || to == HB_MAP_VALUE_INVALID)
            continue;
        data[2 * gid] = (unsigned char)(to >> 8);
        data[2 * gid + 1] = (unsigned char)to;
    }
    oc_pdfw_stream(w, num, NULL, data, 2 * ((size_t)top + 1), true);
    free(data);
}

/* ---- CFF (Adobe technical note 5176) ---- */

/* An INDEX at 'at' of the 'len' bytes 'p': its count, and where its
 * offsets and data start; returns the offset past it, 0 if malformed. */
static size_t
cff_index(const unsigned char *p, size_t len, size_t at, unsigned *count,
          unsigned *offsize, size_t *offs, size_t *data)
{
    size_t end;

    if (at + 2 > len)
        return 0;
    *count = (unsigned)p[at] << 8 | p[at + 1];
    if (*count == 0)
        return at + 2;
    if (at + 3 > len || p[at + 2] < 1 || p[at + 2] > 4)
        return 0;
    *offsize = p[at + 2];
    *offs = at + 3;
    *data = *offs + ((size_t)*count + 1) * *offsize - 1;
    if (*data + 1 > len)
        return 0;
    end = 0;
    for (unsigned i = 0; i < *offsize; i++)
        end = end << 8 | p[*offs + (size_t)*count * *offsize + i];
    return *data + end <= len ? *data + end : 0;
}

static size_t
cff_off(const unsigned char *p, size_t at, unsigned size)
{
    size_t v = 0;

    for (unsigned i = 0; i < size; i++)
        v = v << 8 | p[at + i];
    return v;
}

/* What the subset's Top DICT says: whether it is CID-keyed, and where
 * its charset is and where that offset's operand is (when it is the
 * five-byte form, 0 otherwise). */
typedef struct cff_top {
    bool   cid;
    long   charset;             /* offset; -1 if none */
    size_t charset_at;          /* offset of the operand's 4 bytes */
    long   charstrings;
} cff_top;

static bool
cff_parse_top(const unsigned char *p, size_t len, cff_top *t)
{
    unsigned count, osz = 0;
    size_t offs = 0, data = 0, at, dict, dend;
    long val = 0;
    size_t val_at = 0;
    bool val5 = false;

    memset(t, 0, sizeof *t);
    t->charset = -1;
    t->charstrings = -1;
    if (len < 4 || p[0] != 1)
        return false;
    at = cff_index(p, len, p[2], &count, &osz, &offs, &data);   /* Name */
    if (at == 0 ||
        cff_index(p, len, at, &count, &osz, &offs, &data) == 0 ||
        count < 1)
        return false;
    dict = data + cff_off(p, offs, osz);
    dend = data + cff_off(p, offs + osz, osz);
    if (dend > len || dict > dend)
        return false;
    for (at = dict; at < dend;) {
        unsigned b0 = p[at];

        if (b0 == 28 && at + 3 <= dend) {
            val = (int16_t)(p[at + 1] << 8 | p[at + 2]);
            val5 = false;
            at += 3;
        } else if (b0 == 29 && at + 5 <= dend) {
            val = (int32_t)be32(p, (unsigned)dend, (unsigned)at + 1);
            val_at = at + 1;
            val5 = true;
            at += 5;
        } else if (b0 == 30) {          /* a real: nibbles to 0xf */
            for (at++; at < dend; at++)
                if ((p[at] & 0x0f) == 0x0f || (p[at] & 0xf0) == 0xf0)
                    break;
            at++;
            val5 = false;
        } else if (b0 >= 32 && b0 <= 246) {
            val = (long)b0 - 139;
            val5 = false;
            at++;
        } else if (b0 >= 247 && b0 <= 250 && at + 2 <= dend) {
            val = ((long)b0 - 247) * 256 + p[at + 1] + 108;
            val5 = false;
            at += 2;
        } else if (b0 >= 251 && b0 <= 254 && at + 2 <= dend) {
            val = -((long)b0 - 251) * 256 - p[at + 1] - 108;
            val5 = false;
            at += 2;
        } else if (b0 == 12 && at + 2 <= dend) {
            if (p[at + 1] == 30)
                t->cid = true;          /* ROS */
            at += 2;
        } else if (b0 <= 21) {
            if (b0 == 15) {
                t->charset = val;
                t->charset_at = val5 ? val_at : 0;
            } else if (b0 == 17) {
                t->charstrings = val;
            }
            at++;
        } else {
            return false;
        }
    }
    return t->charstrings > 0;
}

/* The CIDs of a CID-keyed CFF's 'n' glyphs, from its charset, into
 * cid[]; false if it is malformed. */
static bool
cff_charset(const unsigned char *p, size_t len, size_t at, unsigned n,
            unsigned *cid)
{
    unsigned g = 1;

    cid[0] = 0;
    if (at >= len)
        return false;
    if (p[at] == 0) {
        for (at++; g < n; g++, at += 2) {
            if (at + 2 > len)
                return false;
            cid[g] = (unsigned)p[at] << 8 | p[at + 1];
        }
        return true;
    }
    if (p[at] != 1 && p[at] != 2)
        return false;
    for (unsigned fmt = p[at++]; g < n;) {
        unsigned first, left;

        if (at + (fmt == 1 ? 3 : 4) > len)
            return false;
        first = (unsigned)p[at] << 8 | p[at + 1];
        left = fmt == 1 ? p[at + 2] : (unsigned)p[at + 2] << 8 | p[at + 3];
        at += fmt == 1 ? 3 : 4;
        for (unsigned k = 0; k <= left && g < n; k++)
            cid[g++] = first + k;
    }
    return true;
}

/* The subset's CFF made to select each glyph by its original id: a
 * copy of 'cff' into 'out', with (CID-keyed) a charset of its own
 * appended and pointed to when the subset's does not give each glyph
 * its original id as its CID (offsets in a CFF count from its start,
 * so bytes appended move nothing). False when the CFF is not what
 * HarfBuzz writes. */
static bool
fix_cff(const unsigned char *cff, size_t len, hb_subset_plan_t *plan,
        oc_buf *out)
{
    const hb_map_t *to_old = hb_subset_plan_new_to_old_glyph_mapping(plan);
    cff_top t;
    unsigned n, osz = 0;
    size_t offs, data;
    unsigned *cid = NULL;
    bool same = true;
    bool ok = false;

    oc_buf_put(out, cff, len);
    if (!cff_parse_top(cff, len, &t) ||
        cff_index(cff, len, (size_t)t.charstrings, &n, &osz, &offs,
                  &data) == 0 || n == 0)
        return false;
    if (!t.cid) {
        /* The CID is the glyph id: the subset kept every glyph's. */
        for (unsigned g = 0; g < n; g++) {
            hb_codepoint_t old = hb_map_get(to_old, g);

            if (old != HB_MAP_VALUE_INVALID && old != g)
                return false;
        }
        return true;
    }
    cid = oc_xcalloc(n, sizeof *cid);
    if (t.charset <= 0 || !cff_charset(cff, len, (size_t)t.charset, n, cid))
        goto out;
    for (unsigned g = 0; g < n; g++) {
        hb_codepoint_t old = hb_map_get(to_old, g);

        if (old == HB_MAP_VALUE_INVALID || old > 0xffff)
            goto out;
        if (cid[g] != old)
            same = false;
        cid[g] = old;
    }
    if (!same) {
        size_t at = out->len;

        if (t.charset_at == 0 || at > INT32_MAX)
            goto out;
        oc_buf_put(out, "", 1);                 /* format 0 */
        for (unsigned g = 1; g < n; g++) {
            unsigned char c[2] = { (unsigned char)(cid[g] >> 8),
                                   (unsigned char)cid[g] };

            oc_buf_put(out, c, 2);
        }
        for (int i = 0; i < 4; i++)
            out->data[t.charset_at + (size_t)i] =
                (char)(at >> (24 - 8 * i));
    }
    ok = true;
out:
    free(cid);
    return ok;
}

/* Tables the PDF's font program has no use for: layout (the text is
 * shaped), variations (the default instance is drawn), colour and
 * bitmaps, vertical metrics (codes are Identity-H) and hinting. */
static const char DROP[][5] = {
    "GSUB", "GPOS", "GDEF", "BASE", "JSTF", "MATH", "kern", "morx", "mort",
    "kerx", "feat", "trak", "ankr", "just", "opbd", "prop", "lcar", "bsln",
    "fvar", "gvar", "avar", "cvar", "HVAR", "VVAR", "MVAR", "STAT", "COLR",
    "CPAL", "SVG ", "sbix", "CBDT", "CBLC", "EBDT", "EBLC", "EBSC", "vhea",
    "vmtx", "VORG", "hdmx", "LTSH", "VDMX", "gasp", "DSIG", "meta", "PCLT",
};

/* Write font 'index': its subset program and the dictionaries around
 * it, into the numbers reserved. */
/* A font's program subset to the glyphs drawn and deflated, which is
 * most of the time writing it takes: made for every font at once, on
 * two threads when the machine has two cores, before any is written. */
typedef struct subset {
    bool              glyf, cff;
    char              family[256];
    hb_subset_plan_t *plan;
    hb_face_t        *sub;
    hb_blob_t        *prog;
    oc_buf            fixed;
    const char       *data;         /* the program */
    unsigned          len;
    oc_buf            packed;       /* it deflated, */
    bool              deflated;     /* when that is shorter */
    oc_status         st;
    oc_error          err;
} subset;

/* The subset of font f into s, with compressor *z. HarfBuzz's faces
 * are safe to read from many threads; nothing else is shared. */
static void
make_subset(const font *f, subset *s, struct libdeflate_compressor **z)
{
    hb_subset_input_t *in;

    s->glyf = has_table(f->face, HB_TAG('g','l','y','f'));
    s->cff = !s->glyf && has_table(f->face, HB_TAG('C','F','F',' '));
    face_name(f->face, HB_OT_NAME_ID_FONT_FAMILY, s->family,
              sizeof s->family);
    if (!s->glyf && !s->cff) {
        s->st = oc_error_set(&s->err, OC_ERR_LIB, NULL, 0, 0,
                             "font '%s': only TrueType (glyf) and CFF "
                             "outlines can be embedded in a PDF",
                             s->family);
        return;
    }
    if ((in = hb_subset_input_create_or_fail()) == NULL)
        oc_out_of_memory(sizeof in);
    for (unsigned gid = 0; gid < f->nglyphs; gid++)
        if (is_used(f, gid))
            hb_set_add(hb_subset_input_glyph_set(in), gid);
    for (size_t i = 0; i < sizeof DROP / sizeof DROP[0]; i++)
        hb_set_add(hb_subset_input_set(in, HB_SUBSET_SETS_DROP_TABLE_TAG),
                   hb_tag_from_string(DROP[i], 4));
    hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_NO_HINTING);
    if (s->cff) {
        hb_blob_t *c = hb_face_reference_table(f->face,
                                               HB_TAG('C','F','F',' '));
        unsigned cl;
        const unsigned char *cd =
            (const unsigned char *)hb_blob_get_data(c, &cl);
        cff_top t;

        if (cff_parse_top(cd, cl, &t) && !t.cid)
            hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_NO_HINTING |
                                          HB_SUBSET_FLAGS_RETAIN_GIDS);
        hb_blob_destroy(c);
    }
    s->plan = hb_subset_plan_create_or_fail(f->face, in);
    s->sub = s->plan ? hb_subset_plan_execute_or_fail(s->plan) : NULL;
    hb_subset_input_destroy(in);
    if (s->sub == NULL) {
        s->st = oc_error_set(&s->err, OC_ERR_LIB, NULL, 0, 0,
                             "font '%s': HarfBuzz cannot subset it",
                             s->family);
        return;
    }
    if (s->cff) {
        s->prog = hb_face_reference_table(s->sub, HB_TAG('C','F','F',' '));
        s->data = hb_blob_get_data(s->prog, &s->len);
        if (!fix_cff((const unsigned char *)s->data, s->len, s->plan,
                     &s->fixed)) {
            s->st = oc_error_set(&s->err, OC_ERR_LIB, NULL, 0, 0,
                                 "font '%s': unexpected CFF in its subset",
                                 s->family);
            return;
        }
        s->data = s->fixed.data;
        s->len = (unsigned)s->fixed.len;
    } else {
        s->prog = hb_face_reference_blob(s->sub);
        s->data = hb_blob_get_data(s->prog, &s->len);
    }
    s->deflated = oc_pdfw_deflate(z, s->data, s->len, &s->packed);
}

static void
free_subset(subset *s)
{
    oc_buf_free(&s->fixed);
    oc_buf_free(&s->packed);
    hb_blob_destroy(s->prog);
    hb_face_destroy(s->sub);
    hb_subset_plan_destroy(s->plan);
}

/* Font 'index', subset as 's', written as object f->ref and the objects
 * it refers to. */
static oc_status
write_font(oc_pdffonts *fs, int index, const subset *s, oc_pdfw *w,
           oc_error *err)
{
    font *f = &fs->fonts[index];
    char base[80], name[88], tag[7];
    long cidfont = oc_pdfw_reserve(w);
    long desc = oc_pdfw_reserve(w);
    long file = oc_pdfw_reserve(w);
    long tounicode = oc_pdfw_reserve(w);
    long cidtogid = s->glyf ? oc_pdfw_reserve(w) : 0;
    char dict[80];
    oc_buf *b;

    if (s->st != OC_OK)
        return oc_error_set(err, s->err.code, s->err.file, s->err.line,
                            s->err.col, "%s", s->err.msg);
    if (s->cff)
        snprintf(dict, sizeof dict, "/Subtype /CIDFontType0C");
    else
        snprintf(dict, sizeof dict, "/Length1 %u", s->len);
    if (s->deflated) {
        char packed[sizeof dict + 24];

        snprintf(packed, sizeof packed, "%s /Filter /FlateDecode", dict);
        oc_pdfw_stream_raw(w, file, packed, s->packed.data, s->packed.len,
                           NULL, NULL);
    } else {
        oc_pdfw_stream(w, file, dict, s->data, s->len, false);
    }
    if (s->glyf)
        write_cidtogid(f, s->plan, w, cidtogid);

    ps_name(f, index, base, sizeof base);
    subset_tag(f, index, tag);
    snprintf(name, sizeof name, "%s+%s", tag, base);
    write_descriptor(f, w, desc, name, file, s->cff);
    write_tounicode(fs, f, w, tounicode);

    b = oc_pdfw_begin(w, cidfont);
    oc_buf_printf(b, "<< /Type /Font /Subtype /%s /BaseFont ",
                  s->cff ? "CIDFontType0" : "CIDFontType2");
    oc_pdfw_name(b, name);
    oc_buf_printf(b, " /CIDSystemInfo << /Registry (Adobe) /Ordering "
                  "(Identity) /Supplement 0 >> /FontDescriptor %ld 0 R",
                  desc);
    if (s->glyf)
        oc_buf_printf(b, " /CIDToGIDMap %ld 0 R", cidtogid);
    put_widths(fs, index, b);
    oc_buf_puts(b, " >>");
    oc_pdfw_end(w);

    b = oc_pdfw_begin(w, f->ref);
    oc_buf_puts(b, "<< /Type /Font /Subtype /Type0 /BaseFont ");
    oc_pdfw_name(b, name);
    oc_buf_printf(b, " /Encoding /Identity-H /DescendantFonts [%ld 0 R] "
                  "/ToUnicode %ld 0 R >>", cidfont, tounicode);
    oc_pdfw_end(w);
    return OC_OK;
}

/* The subsets being made: each thread takes the next font in 'order'
 * (the largest first, so that the threads end together). */
typedef struct subsetter {
    const oc_pdffonts *fs;
    subset            *ss;
    const int         *order;
    int                next;
    pthread_mutex_t    lock;
} subsetter;

static void *
make_subsets(void *arg)
{
    subsetter *sr = arg;
    struct libdeflate_compressor *z = NULL;

    for (;;) {
        int i;

        pthread_mutex_lock(&sr->lock);
        i = sr->next < sr->fs->n ? sr->order[sr->next++] : -1;
        pthread_mutex_unlock(&sr->lock);
        if (i < 0)
            break;
        make_subset(&sr->fs->fonts[i], &sr->ss[i], &z);
    }
    if (z != NULL)
        libdeflate_free_compressor(z);
    return NULL;
}

typedef struct sized {
    unsigned nglyphs;
    int      index;
} sized;

static int
by_size(const void *a, const void *b)
{
    const sized *x = a, *y = b;

    return x->nglyphs != y->nglyphs ? (x->nglyphs < y->nglyphs ? 1 : -1)
                                    : x->index - y->index;
}

oc_status
oc_pdffonts_write(oc_pdffonts *fs, oc_pdfw *w, oc_error *err)
{
    subset *ss = oc_xcalloc((size_t)(fs->n > 0 ? fs->n : 1), sizeof *ss);
    int *order = oc_xcalloc((size_t)(fs->n > 0 ? fs->n : 1), sizeof *order);
    sized *sz = oc_xcalloc((size_t)(fs->n > 0 ? fs->n : 1), sizeof *sz);
    subsetter sr = { fs, ss, order, 0, PTHREAD_MUTEX_INITIALIZER };
    oc_status st = OC_OK;
    pthread_t t;
    bool two;

    for (int i = 0; i < fs->n; i++)
        sz[i] = (sized){ fs->fonts[i].nglyphs, i };
    qsort(sz, (size_t)fs->n, sizeof *sz, by_size);
    for (int i = 0; i < fs->n; i++)
        order[i] = sz[i].index;
    free(sz);
    two = fs->n > 1 && sysconf(_SC_NPROCESSORS_ONLN) > 1 &&
          pthread_create(&t, NULL, make_subsets, &sr) == 0;
    make_subsets(&sr);
    if (two)
        pthread_join(t, NULL);
    for (int i = 0; i < fs->n && st == OC_OK; i++)
        st = write_font(fs, i, &ss[i], w, err);
    for (int i = 0; i < fs->n; i++)
        free_subset(&ss[i]);
    pthread_mutex_destroy(&sr.lock);
    free(order);
    free(ss);
    return st;
}
