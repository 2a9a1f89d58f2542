/* css-values.c - one declaration's value into specified values: each
 * property's grammar (CSS 2.1, CSS Fonts 4, CSS Color 4, CSS Text, CSS
 * Paged Media 3 and GCPM 3 for string-set and margin-box content) with
 * units converted to points or ems, shorthands expanded into their
 * longhands, and the table of property names built from css-props.h. */
#include "css-int.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"

/* ---- values ---- */

/* Keyword tables; css-props.h names each longhand's, for v_keyword. */
static const kw kw_font_style[] = {
    {"normal", OC_FONT_STYLE_NORMAL}, {"italic", OC_FONT_STYLE_ITALIC},
    {"oblique", OC_FONT_STYLE_OBLIQUE}, {NULL, 0}
};
static const kw kw_font_variant[] = {
    {"normal", OC_FONT_VARIANT_NORMAL},
    {"small-caps", OC_FONT_VARIANT_SMALL_CAPS},
    {"all-small-caps", OC_FONT_VARIANT_ALL_SMALL_CAPS}, {NULL, 0}
};
static const kw kw_text_align[] = {
    {"start", OC_ALIGN_START}, {"end", OC_ALIGN_END},
    {"left", OC_ALIGN_LEFT}, {"right", OC_ALIGN_RIGHT},
    {"center", OC_ALIGN_CENTER}, {"justify", OC_ALIGN_JUSTIFY}, {NULL, 0}
};
static const kw kw_hyphens[] = {
    {"manual", OC_HYPHENS_MANUAL}, {"none", OC_HYPHENS_NONE},
    {"auto", OC_HYPHENS_AUTO}, {NULL, 0}
};
static const kw kw_white_space[] = {
    {"normal", OC_WS_NORMAL}, {"pre", OC_WS_PRE},
    {"pre-wrap", OC_WS_PRE_WRAP}, {"break-spaces", OC_WS_PRE_WRAP},
    {"pre-line", OC_WS_PRE_LINE}, {"nowrap", OC_WS_NOWRAP}, {NULL, 0}
};
static const kw kw_list_style[] = {
    {"disc", OC_LIST_DISC}, {"circle", OC_LIST_CIRCLE},
    {"square", OC_LIST_SQUARE}, {"decimal", OC_LIST_DECIMAL},
    {"lower-roman", OC_LIST_LOWER_ROMAN},
    {"upper-roman", OC_LIST_UPPER_ROMAN},
    {"lower-alpha", OC_LIST_LOWER_ALPHA},
    {"lower-latin", OC_LIST_LOWER_ALPHA},
    {"upper-alpha", OC_LIST_UPPER_ALPHA},
    {"upper-latin", OC_LIST_UPPER_ALPHA}, {"none", OC_LIST_NONE}, {NULL, 0}
};
static const kw kw_list_position[] = {
    {"outside", OC_LIST_OUTSIDE}, {"inside", OC_LIST_INSIDE}, {NULL, 0}
};
static const kw kw_text_transform[] = {
    {"none", OC_TRANSFORM_NONE}, {"uppercase", OC_TRANSFORM_UPPERCASE},
    {"lowercase", OC_TRANSFORM_LOWERCASE},
    {"capitalize", OC_TRANSFORM_CAPITALIZE}, {NULL, 0}
};
static const kw kw_direction[] = {
    {"ltr", OC_DIR_LTR}, {"rtl", OC_DIR_RTL}, {NULL, 0}
};
/* break-before/after and page-break-before/after. */
static const kw kw_break[] = {
    {"auto", OC_BREAK_AUTO}, {"avoid", OC_BREAK_AVOID},
    {"avoid-page", OC_BREAK_AVOID}, {"always", OC_BREAK_PAGE},
    {"page", OC_BREAK_PAGE}, {"left", OC_BREAK_LEFT},
    {"right", OC_BREAK_RIGHT}, {"recto", OC_BREAK_RECTO},
    {"verso", OC_BREAK_VERSO}, {"column", OC_BREAK_AUTO},
    {"avoid-column", OC_BREAK_AUTO}, {"region", OC_BREAK_AUTO},
    {"avoid-region", OC_BREAK_AUTO}, {NULL, 0}
};
static const kw kw_break_inside[] = {
    {"auto", OC_BREAK_AUTO}, {"avoid", OC_BREAK_AVOID},
    {"avoid-page", OC_BREAK_AVOID}, {"avoid-column", OC_BREAK_AUTO},
    {"avoid-region", OC_BREAK_AUTO}, {NULL, 0}
};
static const kw kw_float[] = {
    {"none", OC_FLOAT_NONE}, {"left", OC_FLOAT_SIDE},
    {"right", OC_FLOAT_SIDE}, {"inline-start", OC_FLOAT_SIDE},
    {"inline-end", OC_FLOAT_SIDE}, {"top-if-necessary", OC_FLOAT_TOP},
    {NULL, 0}
};
static const kw kw_display[] = {
    {"inline", OC_DISPLAY_INLINE}, {"block", OC_DISPLAY_BLOCK},
    {"none", OC_DISPLAY_NONE}, {"list-item", OC_DISPLAY_LIST_ITEM},
    {"inline-block", OC_DISPLAY_INLINE_BLOCK},
    {"table", OC_DISPLAY_TABLE}, {"inline-table", OC_DISPLAY_INLINE_TABLE},
    {"table-caption", OC_DISPLAY_TABLE_CAPTION},
    {"table-header-group", OC_DISPLAY_TABLE_HEADER_GROUP},
    {"table-row-group", OC_DISPLAY_TABLE_ROW_GROUP},
    {"table-footer-group", OC_DISPLAY_TABLE_FOOTER_GROUP},
    {"table-row", OC_DISPLAY_TABLE_ROW},
    {"table-cell", OC_DISPLAY_TABLE_CELL},
    {"table-column-group", OC_DISPLAY_TABLE_COLUMN_GROUP},
    {"table-column", OC_DISPLAY_TABLE_COLUMN},
    {"flex", OC_DISPLAY_BLOCK}, {"grid", OC_DISPLAY_BLOCK},
    {"flow-root", OC_DISPLAY_BLOCK},
    {"inline-flex", OC_DISPLAY_INLINE_BLOCK},
    {"inline-grid", OC_DISPLAY_INLINE_BLOCK}, {NULL, 0}
};
static const kw kw_vertical_align[] = {
    {"baseline", OC_VALIGN_BASELINE}, {"super", OC_VALIGN_SUPER},
    {"sub", OC_VALIGN_SUB}, {"top", OC_VALIGN_TOP},
    {"middle", OC_VALIGN_MIDDLE}, {"bottom", OC_VALIGN_BOTTOM},
    {"text-top", OC_VALIGN_TEXT_TOP}, {"text-bottom", OC_VALIGN_TEXT_BOTTOM},
    {NULL, 0}
};

/* font-size keywords, as factors of medium (CSS Fonts 4 §2.5); the
 * relative ones are negative: -1 smaller, -2 larger. */
static const struct {
    const char *name;
    double      factor;
} font_size_kw[] = {
    {"xx-small", 3.0 / 5}, {"x-small", 3.0 / 4}, {"small", 8.0 / 9},
    {"medium", 1}, {"large", 6.0 / 5}, {"x-large", 3.0 / 2},
    {"xx-large", 2}, {"xxx-large", 3}, {"smaller", -1}, {"larger", -2},
    {NULL, 0}
};

enum { LEN_PCT = 1, LEN_NEG = 2 };     /* parse_length: what it allows */

/* A length token into v: absolute units become points, ex and ch become
 * half an em. Unitless zero is a length. */
static bool
parse_length(const tok *t, sval *v, unsigned allow)
{
    static const struct {
        const char *unit;
        int         u;
        double      f;
    } units[] = {
        {"pt", U_PT, 1}, {"px", U_PT, 0.75}, {"in", U_PT, 72},
        {"cm", U_PT, 72 / 2.54}, {"mm", U_PT, 72 / 25.4},
        {"q", U_PT, 72 / 101.6}, {"pc", U_PT, 12}, {"em", U_EM, 1},
        {"ex", U_EM, 0.5}, {"ch", U_EM, 0.5}, {"rem", U_REM, 1},
    };

    if (t == NULL || !isfinite(t->num))
        return false;
    if (t->num < 0 && !(allow & LEN_NEG))
        return false;
    memset(v, 0, sizeof *v);
    if (t->type == T_NUMBER && t->num == 0) {
        v->kind = V_LEN;
        v->unit = U_PT;
        return true;
    }
    if (t->type == T_PERCENT && (allow & LEN_PCT)) {
        v->kind = V_PCT;
        v->num = t->num;
        return true;
    }
    if (t->type != T_DIMENSION)
        return false;
    for (size_t k = 0; k < sizeof units / sizeof units[0]; k++) {
        if (ieq(t->s, units[k].unit)) {
            v->kind = V_LEN;
            v->unit = units[k].u;
            v->num = t->num * units[k].f;
            return true;
        }
    }
    return false;
}

static const struct {
    const char *name;
    uint32_t    rgb;
} named_colors[] = {
    {"aliceblue", 0xf0f8ff}, {"antiquewhite", 0xfaebd7},
    {"aqua", 0x00ffff}, {"aquamarine", 0x7fffd4}, {"azure", 0xf0ffff},
    {"beige", 0xf5f5dc}, {"bisque", 0xffe4c4}, {"black", 0x000000},
    {"blanchedalmond", 0xffebcd}, {"blue", 0x0000ff},
    {"blueviolet", 0x8a2be2}, {"brown", 0xa52a2a}, {"burlywood", 0xdeb887},
    {"cadetblue", 0x5f9ea0}, {"chartreuse", 0x7fff00},
    {"chocolate", 0xd2691e}, {"coral", 0xff7f50},
    {"cornflowerblue", 0x6495ed}, {"cornsilk", 0xfff8dc},
    {"crimson", 0xdc143c}, {"cyan", 0x00ffff}, {"darkblue", 0x00008b},
    {"darkcyan", 0x008b8b}, {"darkgoldenrod", 0xb8860b},
    {"darkgray", 0xa9a9a9}, {"darkgreen", 0x006400},
    {"darkgrey", 0xa9a9a9}, {"darkkhaki", 0xbdb76b},
    {"darkmagenta", 0x8b008b}, {"darkolivegreen", 0x556b2f},
    {"darkorange", 0xff8c00}, {"darkorchid", 0x9932cc},
    {"darkred", 0x8b0000}, {"darksalmon", 0xe9967a},
    {"darkseagreen", 0x8fbc8f}, {"darkslateblue", 0x483d8b},
    {"darkslategray", 0x2f4f4f}, {"darkslategrey", 0x2f4f4f},
    {"darkturquoise", 0x00ced1}, {"darkviolet", 0x9400d3},
    {"deeppink", 0xff1493}, {"deepskyblue", 0x00bfff},
    {"dimgray", 0x696969}, {"dimgrey", 0x696969},
    {"dodgerblue", 0x1e90ff}, {"firebrick", 0xb22222},
    {"floralwhite", 0xfffaf0}, {"forestgreen", 0x228b22},
    {"fuchsia", 0xff00ff}, {"gainsboro", 0xdcdcdc},
    {"ghostwhite", 0xf8f8ff}, {"gold", 0xffd700},
    {"goldenrod", 0xdaa520}, {"gray", 0x808080}, {"green", 0x008000},
    {"greenyellow", 0xadff2f}, {"grey", 0x808080},
    {"honeydew", 0xf0fff0}, {"hotpink", 0xff69b4},
    {"indianred", 0xcd5c5c}, {"indigo", 0x4b0082}, {"ivory", 0xfffff0},
    {"khaki", 0xf0e68c}, {"lavender", 0xe6e6fa},
    {"lavenderblush", 0xfff0f5}, {"lawngreen", 0x7cfc00},
    {"lemonchiffon", 0xfffacd}, {"lightblue", 0xadd8e6},
    {"lightcoral", 0xf08080}, {"lightcyan", 0xe0ffff},
    {"lightgoldenrodyellow", 0xfafad2}, {"lightgray", 0xd3d3d3},
    {"lightgreen", 0x90ee90}, {"lightgrey", 0xd3d3d3},
    {"lightpink", 0xffb6c1}, {"lightsalmon", 0xffa07a},
    {"lightseagreen", 0x20b2aa}, {"lightskyblue", 0x87cefa},
    {"lightslategray", 0x778899}, {"lightslategrey", 0x778899},
    {"lightsteelblue", 0xb0c4de}, {"lightyellow", 0xffffe0},
    {"lime", 0x00ff00}, {"limegreen", 0x32cd32}, {"linen", 0xfaf0e6},
    {"magenta", 0xff00ff}, {"maroon", 0x800000},
    {"mediumaquamarine", 0x66cdaa}, {"mediumblue", 0x0000cd},
    {"mediumorchid", 0xba55d3}, {"mediumpurple", 0x9370db},
    {"mediumseagreen", 0x3cb371}, {"mediumslateblue", 0x7b68ee},
    {"mediumspringgreen", 0x00fa9a}, {"mediumturquoise", 0x48d1cc},
    {"mediumvioletred", 0xc71585}, {"midnightblue", 0x191970},
    {"mintcream", 0xf5fffa}, {"mistyrose", 0xffe4e1},
    {"moccasin", 0xffe4b5}, {"navajowhite", 0xffdead}, {"navy", 0x000080},
    {"oldlace", 0xfdf5e6}, {"olive", 0x808000}, {"olivedrab", 0x6b8e23},
    {"orange", 0xffa500}, {"orangered", 0xff4500}, {"orchid", 0xda70d6},
    {"palegoldenrod", 0xeee8aa}, {"palegreen", 0x98fb98},
    {"paleturquoise", 0xafeeee}, {"palevioletred", 0xdb7093},
    {"papayawhip", 0xffefd5}, {"peachpuff", 0xffdab9}, {"peru", 0xcd853f},
    {"pink", 0xffc0cb}, {"plum", 0xdda0dd}, {"powderblue", 0xb0e0e6},
    {"purple", 0x800080}, {"rebeccapurple", 0x663399}, {"red", 0xff0000},
    {"rosybrown", 0xbc8f8f}, {"royalblue", 0x4169e1},
    {"saddlebrown", 0x8b4513}, {"salmon", 0xfa8072},
    {"sandybrown", 0xf4a460}, {"seagreen", 0x2e8b57},
    {"seashell", 0xfff5ee}, {"sienna", 0xa0522d}, {"silver", 0xc0c0c0},
    {"skyblue", 0x87ceeb}, {"slateblue", 0x6a5acd},
    {"slategray", 0x708090}, {"slategrey", 0x708090}, {"snow", 0xfffafa},
    {"springgreen", 0x00ff7f}, {"steelblue", 0x4682b4}, {"tan", 0xd2b48c},
    {"teal", 0x008080}, {"thistle", 0xd8bfd8}, {"tomato", 0xff6347},
    {"turquoise", 0x40e0d0}, {"violet", 0xee82ee}, {"wheat", 0xf5deb3},
    {"white", 0xffffff}, {"whitesmoke", 0xf5f5f5}, {"yellow", 0xffff00},
    {"yellowgreen", 0x9acd32},
};

static uint8_t
unit_byte(double x)             /* 0..1 -> 0..255 */
{
    x = clampd(x, 0, 1);
    return (uint8_t)(x * 255 + 0.5);
}

/* One channel of rgb(): a number 0..255 or a percentage. */
static bool
rgb_channel(const tok *t, uint8_t *out)
{
    if (t == NULL || !isfinite(t->num))
        return false;
    if (t->type == T_NUMBER)
        *out = unit_byte(t->num / 255);
    else if (t->type == T_PERCENT)
        *out = unit_byte(t->num / 100);
    else
        return false;
    return true;
}

static bool
alpha_value(const tok *t, uint8_t *out)
{
    if (t == NULL || !isfinite(t->num))
        return false;
    if (t->type == T_NUMBER)
        *out = unit_byte(t->num);
    else if (t->type == T_PERCENT)
        *out = unit_byte(t->num / 100);
    else
        return false;
    return true;
}

static double
hue_to_rgb(double m1, double m2, double h)
{
    if (h < 0)
        h += 1;
    if (h > 1)
        h -= 1;
    if (h * 6 < 1)
        return m1 + (m2 - m1) * h * 6;
    if (h * 2 < 1)
        return m2;
    if (h * 3 < 2)
        return m1 + (m2 - m1) * (2.0 / 3 - h) * 6;
    return m1;
}

/* rgb(), rgba(), hsl(), hsla(): legacy comma syntax or the modern space
 * syntax with an optional "/ alpha". */
static bool
color_function(cur *c, const tok *fn, oc_color *out)
{
    bool hsl = ieq(fn->s, "hsl") || ieq(fn->s, "hsla");
    cur a = args_of(c, fn);
    const tok *v[4] = {NULL, NULL, NULL, NULL};
    bool commas = false;
    size_t n = 0;
    uint8_t alpha = 255;

    if (!hsl && !ieq(fn->s, "rgb") && !ieq(fn->s, "rgba"))
        return false;
    while (!at_end(&a) && n < 4) {
        if (n > 0) {
            bool comma = take_comma(&a);

            if (n == 1)
                commas = comma;
            else if (comma != commas)
                return false;
            if (n == 3 && !comma) {
                if (!is_delim(peek(&a), '/'))
                    return false;
                take(&a);
            }
        }
        v[n++] = take(&a);
    }
    if (!at_end(&a) || n < 3)
        return false;
    for (size_t k = 0; k < n; k++)
        if (v[k] == NULL)
            return false;
    if (n == 4 && !alpha_value(v[3], &alpha))
        return false;
    if (!hsl) {
        if (!rgb_channel(v[0], &out->r) || !rgb_channel(v[1], &out->g) ||
            !rgb_channel(v[2], &out->b))
            return false;
    } else {
        double h, s, l, m1, m2;

        if (v[0]->type != T_NUMBER &&
            !(v[0]->type == T_DIMENSION && ieq(v[0]->s, "deg")))
            return false;
        if (v[1]->type != T_PERCENT || v[2]->type != T_PERCENT ||
            !isfinite(v[0]->num) || !isfinite(v[1]->num) ||
            !isfinite(v[2]->num))
            return false;
        h = clampd(v[0]->num, -1e9, 1e9) / 360;
        h -= (double)(long long)h;
        if (h < 0)
            h += 1;
        s = clampd(v[1]->num / 100, 0, 1);
        l = clampd(v[2]->num / 100, 0, 1);
        m2 = l <= 0.5 ? l * (s + 1) : l + s - l * s;
        m1 = l * 2 - m2;
        out->r = unit_byte(hue_to_rgb(m1, m2, h + 1.0 / 3));
        out->g = unit_byte(hue_to_rgb(m1, m2, h));
        out->b = unit_byte(hue_to_rgb(m1, m2, h - 1.0 / 3));
    }
    out->a = alpha;
    return true;
}

/* A colour into v: V_COLOR, or V_KW KW_CURRENT for currentcolor. */
static bool
parse_color(cur *c, sval *v)
{
    const tok *t = take(c);

    memset(v, 0, sizeof *v);
    v->kind = V_COLOR;
    if (t == NULL)
        return false;
    if (t->type == T_HASH) {
        size_t n = strlen(t->s);
        int d[8];

        if (n != 3 && n != 4 && n != 6 && n != 8)
            return false;
        for (size_t k = 0; k < n; k++)
            if ((d[k] = hex_val((unsigned char)t->s[k])) < 0)
                return false;
        if (n <= 4) {
            v->color.r = (uint8_t)(d[0] * 17);
            v->color.g = (uint8_t)(d[1] * 17);
            v->color.b = (uint8_t)(d[2] * 17);
            v->color.a = (uint8_t)(n == 4 ? d[3] * 17 : 255);
        } else {
            v->color.r = (uint8_t)(d[0] * 16 + d[1]);
            v->color.g = (uint8_t)(d[2] * 16 + d[3]);
            v->color.b = (uint8_t)(d[4] * 16 + d[5]);
            v->color.a = (uint8_t)(n == 8 ? d[6] * 16 + d[7] : 255);
        }
        return true;
    }
    if (t->type == T_FUNCTION)
        return color_function(c, t, &v->color);
    if (t->type != T_IDENT)
        return false;
    if (ieq(t->s, "currentcolor")) {
        v->kind = V_KW;
        v->kw = KW_CURRENT;
        return true;
    }
    if (ieq(t->s, "transparent")) {
        v->color = (oc_color){0, 0, 0, 0};
        return true;
    }
    for (size_t k = 0; k < sizeof named_colors / sizeof named_colors[0];
         k++) {
        if (ieq(t->s, named_colors[k].name)) {
            uint32_t rgb = named_colors[k].rgb;

            v->color = (oc_color){(uint8_t)(rgb >> 16), (uint8_t)(rgb >> 8),
                                  (uint8_t)rgb, 255};
            return true;
        }
    }
    return false;
}

/* ---- property values ---- */

static void
push_decl(dvec *dv, int prop, const sval *v)
{
    if (dv->n == dv->cap) {
        dv->cap = dv->cap ? dv->cap * 2 : 16;
        dv->d = oc_xrealloc(dv->d, dv->cap * sizeof *dv->d);
    }
    dv->d[dv->n].prop = prop;
    dv->d[dv->n].important = false;
    dv->d[dv->n].v = *v;
    dv->n++;
}

static void
push_kw(dvec *dv, int prop, int k)
{
    sval v = {0};

    v.kind = V_KW;
    v.kw = k;
    push_decl(dv, prop, &v);
}

/* Each longhand's keywords, for v_keyword. */
static const kw *const keywords[P_COUNT] = {
#define OC_CSS_LONGHAND(id, name, parse, kws, ...) [P_##id] = kws,
#include "css-props.h"
};

static bool
v_keyword(parser *p, cur *c, int prop, dvec *out)
{
    const tok *t = take(c);
    const kw *k;

    (void)p;
    if (t == NULL || t->type != T_IDENT || !at_end(c))
        return false;
    if ((k = find_kw(keywords[prop], t->s)) == NULL)
        return false;
    push_kw(out, prop, k->value);
    return true;
}

/* Family names, each a string or a run of identifiers, joined with ", "
 * for Pango (which splits on commas, so a comma in a name is dropped). */
static bool
family_list(cur *c, oc_buf *b)
{
    for (;;) {
        const tok *t = take(c);
        size_t start = b->len;

        if (t == NULL)
            return false;
        if (t->type == T_STRING) {
            oc_buf_puts(b, t->s);
        } else if (t->type == T_IDENT) {
            oc_buf_puts(b, t->s);
            while ((t = peek(c)) && t->type == T_IDENT) {
                oc_buf_puts(b, " ");
                oc_buf_puts(b, take(c)->s);
            }
        } else {
            return false;
        }
        for (size_t k = start; k < b->len; k++)
            if (b->data[k] == ',')
                b->data[k] = ' ';
        if (at_end(c))
            return true;
        if (!take_comma(c))
            return false;
        oc_buf_puts(b, ", ");
    }
}

static bool
v_font_family(parser *p, cur *c, int prop, dvec *out)
{
    oc_buf b = {0};
    sval v = {0};
    bool ok = family_list(c, &b);

    if (ok) {
        v.kind = V_STR;
        v.ptr = oc_arena_strndup(p->a, b.data ? b.data : "", b.len);
        push_decl(out, prop, &v);
    }
    oc_buf_free(&b);
    return ok;
}

static bool
font_size_value(const tok *t, sval *v)
{
    memset(v, 0, sizeof *v);
    if (t == NULL)
        return false;
    if (t->type == T_IDENT) {
        for (size_t k = 0; font_size_kw[k].name; k++) {
            if (!ieq(t->s, font_size_kw[k].name))
                continue;
            if (font_size_kw[k].factor < 0) {
                v->kind = V_KW;
                v->kw = (int)font_size_kw[k].factor;
            } else {
                v->kind = V_LEN;
                v->unit = U_PT;
                v->num = MEDIUM * font_size_kw[k].factor;
            }
            return true;
        }
        return false;
    }
    return parse_length(t, v, LEN_PCT);
}

static bool
v_font_size(parser *p, cur *c, int prop, dvec *out)
{
    sval v;

    (void)p;
    if (!font_size_value(take(c), &v) || !at_end(c))
        return false;
    push_decl(out, prop, &v);
    return true;
}

static bool
font_weight_value(const tok *t, sval *v)
{
    memset(v, 0, sizeof *v);
    if (t == NULL)
        return false;
    if (t->type == T_NUMBER) {
        if (!(t->num >= 1 && t->num <= 1000))
            return false;
        v->kind = V_NUM;
        v->num = t->num;
        return true;
    }
    if (t->type != T_IDENT)
        return false;
    if (ieq(t->s, "normal") || ieq(t->s, "bold")) {
        v->kind = V_NUM;
        v->num = ieq(t->s, "bold") ? 700 : 400;
    } else if (ieq(t->s, "bolder") || ieq(t->s, "lighter")) {
        v->kind = V_KW;
        v->kw = ieq(t->s, "bolder") ? FW_BOLDER : FW_LIGHTER;
    } else {
        return false;
    }
    return true;
}

static bool
v_font_weight(parser *p, cur *c, int prop, dvec *out)
{
    sval v;

    (void)p;
    if (!font_weight_value(take(c), &v) || !at_end(c))
        return false;
    push_decl(out, prop, &v);
    return true;
}

static bool
line_height_value(const tok *t, sval *v)
{
    memset(v, 0, sizeof *v);
    if (t == NULL)
        return false;
    if (t->type == T_IDENT && ieq(t->s, "normal")) {
        v->kind = V_KW;
        v->kw = KW_NORMAL;
        return true;
    }
    if (t->type == T_NUMBER) {
        if (!(t->num >= 0) || !isfinite(t->num))
            return false;
        v->kind = V_NUM;
        v->num = t->num;
        return true;
    }
    return parse_length(t, v, LEN_PCT);
}

static bool
v_line_height(parser *p, cur *c, int prop, dvec *out)
{
    sval v;

    (void)p;
    if (!line_height_value(take(c), &v) || !at_end(c))
        return false;
    push_decl(out, prop, &v);
    return true;
}

static bool
v_color(parser *p, cur *c, int prop, dvec *out)
{
    sval v;

    (void)p;
    if (!parse_color(c, &v) || !at_end(c))
        return false;
    push_decl(out, prop, &v);
    return true;
}

/* background: its colour, the last one given (transparent without
 * one); images, positions, sizes and the rest, which the PDF does not
 * paint, are passed over without a word, as are values it cannot read
 * (a var()). */
static bool
v_background(parser *p, cur *c, int prop, dvec *out)
{
    sval color, v;

    (void)p, (void)prop;
    memset(&color, 0, sizeof color);
    color.kind = V_COLOR;
    while (!at_end(c)) {
        cur one = *c;

        if (parse_color(&one, &v))
            color = v;
        take(c);
    }
    push_decl(out, P_BACKGROUND_COLOR, &color);
    return true;
}

/* margin-*: length, percentage or auto; padding-*: no auto, no negative;
 * text-indent: no auto. */
static bool
side_value(const tok *t, int prop, sval *v)
{
    memset(v, 0, sizeof *v);
    if (t == NULL)
        return false;
    if (t->type == T_IDENT && ieq(t->s, "auto") && prop != P_TEXT_INDENT &&
        (prop < P_PADDING_TOP || prop > P_PADDING_LEFT)) {
        v->kind = V_KW;
        v->kw = KW_AUTO;
        return true;
    }
    if (prop >= P_PADDING_TOP && prop <= P_PADDING_LEFT)
        return parse_length(t, v, LEN_PCT);
    return parse_length(t, v, LEN_PCT | LEN_NEG);
}

static bool
v_side(parser *p, cur *c, int prop, dvec *out)
{
    sval v;

    (void)p;
    if (!side_value(take(c), prop, &v) || !at_end(c))
        return false;
    push_decl(out, prop, &v);
    return true;
}

/* margin and padding: one to four values, top right bottom left. */
static bool
v_box_shorthand(parser *p, cur *c, int first, dvec *out)
{
    static const int from[4][4] = {
        {0, 0, 0, 0}, {0, 1, 0, 1}, {0, 1, 2, 1}, {0, 1, 2, 3}
    };
    sval v[4];
    size_t n = 0;

    (void)p;
    while (!at_end(c)) {
        if (n == 4 || !side_value(take(c), first, &v[n]))
            return false;
        n++;
    }
    if (n == 0)
        return false;
    for (int k = 0; k < 4; k++)
        push_decl(out, first + k, &v[from[n - 1][k]]);
    return true;
}

/* width, height: auto or a length or percentage, not negative;
 * max-width: none instead of auto. */
static bool
v_dimension(parser *p, cur *c, int prop, dvec *out)
{
    const tok *t = take(c);
    sval v;

    (void)p;
    memset(&v, 0, sizeof v);
    if (t != NULL && t->type == T_IDENT &&
        ieq(t->s, prop == P_MAX_WIDTH ? "none" : "auto")) {
        v.kind = V_KW;
        v.kw = prop == P_MAX_WIDTH ? KW_NONE : KW_AUTO;
    } else if (!parse_length(t, &v, LEN_PCT)) {
        return false;
    }
    if (!at_end(c))
        return false;
    push_decl(out, prop, &v);
    return true;
}

static bool
v_margin(parser *p, cur *c, int prop, dvec *out)
{
    (void)prop;
    return v_box_shorthand(p, c, P_MARGIN_TOP, out);
}

static bool
v_padding(parser *p, cur *c, int prop, dvec *out)
{
    (void)prop;
    return v_box_shorthand(p, c, P_PADDING_TOP, out);
}

static bool
v_integer(parser *p, cur *c, int prop, dvec *out)
{
    const tok *t = take(c);
    sval v = {0};

    (void)p;
    if (t == NULL || t->type != T_NUMBER || !at_end(c))
        return false;
    if (!(t->num >= 1 && t->num <= 1e6) || t->num != (double)(long)t->num)
        return false;
    v.kind = V_NUM;
    v.num = t->num;
    push_decl(out, prop, &v);
    return true;
}

static bool
v_spacing(parser *p, cur *c, int prop, dvec *out)
{
    const tok *t = take(c);
    sval v = {0};

    (void)p;
    if (t == NULL || !at_end(c))
        return false;
    if (t->type == T_IDENT && ieq(t->s, "normal")) {
        v.kind = V_KW;
        v.kw = KW_NORMAL;
    } else if (!parse_length(t, &v, LEN_NEG)) {
        return false;
    }
    push_decl(out, prop, &v);
    return true;
}

/* font-variant-numeric: normal, or at most one of each group of
 * keywords (CSS Fonts 4 §6.7), as OC_NUMERIC_* flags. */
static bool
v_numeric(parser *p, cur *c, int prop, dvec *out)
{
    static const kw names[] = {
        {"lining-nums", OC_NUMERIC_LINING},
        {"oldstyle-nums", OC_NUMERIC_OLDSTYLE},
        {"proportional-nums", OC_NUMERIC_PROPORTIONAL},
        {"tabular-nums", OC_NUMERIC_TABULAR},
        {"diagonal-fractions", OC_NUMERIC_DIAGONAL_FRAC},
        {"stacked-fractions", OC_NUMERIC_STACKED_FRAC},
        {"ordinal", OC_NUMERIC_ORDINAL},
        {"slashed-zero", OC_NUMERIC_SLASHED_ZERO}, {NULL, 0}
    };
    static const unsigned groups[] = {
        OC_NUMERIC_LINING | OC_NUMERIC_OLDSTYLE,
        OC_NUMERIC_PROPORTIONAL | OC_NUMERIC_TABULAR,
        OC_NUMERIC_DIAGONAL_FRAC | OC_NUMERIC_STACKED_FRAC,
        OC_NUMERIC_ORDINAL, OC_NUMERIC_SLASHED_ZERO
    };
    const tok *t = peek(c);
    unsigned flags = 0;

    (void)p;
    if (t != NULL && t->type == T_IDENT && ieq(t->s, "normal")) {
        take(c);
        if (!at_end(c))
            return false;
        push_kw(out, prop, 0);
        return true;
    }
    if (at_end(c))
        return false;
    while ((t = take(c)) != NULL) {
        const kw *k = t->type == T_IDENT ? find_kw(names, t->s) : NULL;

        if (k == NULL)
            return false;
        for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++)
            if ((groups[g] & (unsigned)k->value) && (flags & groups[g]))
                return false;
        flags |= (unsigned)k->value;
    }
    push_kw(out, prop, (int)flags);
    return true;
}

/* font-size-adjust: none, or the number that an element's x-height is to
 * be of its font size (CSS Fonts 5 §2.6, the ex-height basis, which may
 * be named). */
static bool
v_size_adjust(parser *p, cur *c, int prop, dvec *out)
{
    const tok *t = take(c);
    sval v = {0};

    (void)p;
    if (t != NULL && t->type == T_IDENT && ieq(t->s, "ex-height"))
        t = take(c);
    if (t == NULL || !at_end(c))
        return false;
    if (t->type == T_IDENT && ieq(t->s, "none")) {
        v.kind = V_NUM;
        v.num = 0;
    } else if (t->type == T_NUMBER && t->num >= 0 && t->num <= 10) {
        v.kind = V_NUM;
        v.num = t->num;
    } else {
        return false;
    }
    push_decl(out, prop, &v);
    return true;
}

/* text-decoration: the line part (flags); colour, style and thickness are
 * accepted and not used. text-decoration-line: the line part only. */
static bool
decoration(cur *c, bool line_only, unsigned *flags)
{
    static const kw lines[] = {
        {"underline", OC_DECORATION_UNDERLINE},
        {"overline", OC_DECORATION_OVERLINE},
        {"line-through", OC_DECORATION_LINE_THROUGH}, {"blink", 0},
        {NULL, 0}
    };
    static const kw styles[] = {
        {"solid", 0}, {"double", 0}, {"dotted", 0}, {"dashed", 0},
        {"wavy", 0}, {"from-font", 0}, {"auto", 0}, {NULL, 0}
    };
    const tok *t = peek(c);
    bool none = false;

    *flags = 0;
    if (t && t->type == T_IDENT && ieq(t->s, "none")) {
        take(c);
        none = true;
    }
    while ((t = peek(c)) != NULL) {
        const kw *k = t->type == T_IDENT ? find_kw(lines, t->s) : NULL;
        sval v;

        if (k && !none) {
            *flags |= (unsigned)k->value;
            take(c);
            continue;
        }
        if (line_only)
            return false;
        if (t->type == T_IDENT && find_kw(styles, t->s)) {
            take(c);
            continue;
        }
        if (parse_length(t, &v, LEN_PCT)) {
            take(c);
            continue;
        }
        {
            cur save = *c;

            if (!parse_color(c, &v)) {
                *c = save;
                return false;
            }
        }
    }
    return none || *flags != 0 || !line_only;
}

static bool
decoration_decl(cur *c, bool line_only, dvec *out)
{
    unsigned flags;
    cur probe = *c;

    if (at_end(&probe) || !decoration(c, line_only, &flags))
        return false;
    push_kw(out, P_TEXT_DECORATION, (int)flags);
    return true;
}

static bool
v_decoration(parser *p, cur *c, int prop, dvec *out)
{
    (void)p, (void)prop;
    return decoration_decl(c, false, out);
}

static bool
v_decoration_line(parser *p, cur *c, int prop, dvec *out)
{
    (void)p, (void)prop;
    return decoration_decl(c, true, out);
}

/* list-style: [type || position || image], 'none' filling type or
 * image; unset parts go back to their initial values. */
static bool
v_list_style(parser *p, cur *c, int prop, dvec *out)
{
    int type = -1, pos = -1, nones = 0, images = 0;
    const tok *t;

    (void)p, (void)prop;
    if (at_end(c))
        return false;
    while ((t = take(c)) != NULL) {
        const kw *k;

        if (t->type == T_IDENT && ieq(t->s, "none")) {
            nones++;
        } else if (t->type == T_IDENT && type < 0 &&
                   (k = find_kw(kw_list_style, t->s)) != NULL) {
            type = k->value;
        } else if (t->type == T_IDENT && pos < 0 &&
                   (k = find_kw(kw_list_position, t->s)) != NULL) {
            pos = k->value;
        } else if ((t->type == T_URL || t->type == T_FUNCTION) &&
                   images == 0) {
            images++;
        } else {
            return false;
        }
    }
    if (nones + images > 2 || (nones == 2 && type >= 0) ||
        (nones && type >= 0 && images))
        return false;
    if (nones && type < 0)
        type = OC_LIST_NONE;
    push_kw(out, P_LIST_STYLE_TYPE, type < 0 ? OC_LIST_DISC : type);
    push_kw(out, P_LIST_STYLE_POSITION, pos < 0 ? OC_LIST_OUTSIDE : pos);
    return true;
}

/* font: [style || variant || weight || stretch]? size [/ line-height]?
 * family; the parts not given are reset. */
static bool
v_font(parser *p, cur *c, int prop, dvec *out)
{
    static const char *stretch[] = {
        "ultra-condensed", "extra-condensed", "condensed", "semi-condensed",
        "semi-expanded", "expanded", "extra-expanded", "ultra-expanded",
        NULL
    };
    sval style = {0}, variant = {0}, weight = {0}, size, lh = {0}, fam = {0};
    bool has_style = false, has_variant = false, has_weight = false;
    const tok *t;
    oc_buf b = {0};
    bool ok;

    (void)prop;
    style.kind = variant.kind = lh.kind = V_KW;
    lh.kw = KW_NORMAL;
    weight.kind = V_NUM;
    weight.num = 400;
    for (int n = 0; n < 4 && (t = peek(c)) != NULL; n++) {
        const kw *k;
        bool stretchy = false;

        if (t->type == T_NUMBER && font_weight_value(t, &weight)) {
            has_weight = true;
            take(c);
            continue;
        }
        if (t->type != T_IDENT)
            break;
        for (size_t s = 0; stretch[s]; s++)
            stretchy |= ieq(t->s, stretch[s]);
        if (ieq(t->s, "normal") || stretchy) {
            take(c);
        } else if (!has_style && (k = find_kw(kw_font_style, t->s))) {
            style.kw = k->value;
            has_style = true;
            take(c);
        } else if (!has_variant && ieq(t->s, "small-caps")) {
            variant.kw = OC_FONT_VARIANT_SMALL_CAPS;
            has_variant = true;
            take(c);
        } else if (!has_weight && font_weight_value(t, &weight)) {
            has_weight = true;
            take(c);
        } else {
            break;
        }
    }
    if (!font_size_value(take(c), &size))
        return false;
    if ((t = peek(c)) != NULL && is_delim(t, '/')) {
        take(c);
        if (!line_height_value(take(c), &lh))
            return false;
    }
    ok = family_list(c, &b);
    if (ok) {
        fam.kind = V_STR;
        fam.ptr = oc_arena_strndup(p->a, b.data ? b.data : "", b.len);
        push_decl(out, P_FONT_STYLE, &style);
        push_decl(out, P_FONT_VARIANT, &variant);
        push_decl(out, P_FONT_WEIGHT, &weight);
        push_decl(out, P_FONT_SIZE, &size);
        push_decl(out, P_LINE_HEIGHT, &lh);
        push_decl(out, P_FONT_FAMILY, &fam);
    }
    oc_buf_free(&b);
    return ok;
}

/* One piece of generated text; 'mbox' is true in page-margin boxes
 * (counters and named strings) and false in string-set (content(),
 * attr()). */
static bool
content_piece(parser *p, cur *c, bool mbox, oc_piece *pc)
{
    const tok *t = take(c);
    cur a;
    const tok *name, *extra = NULL;

    memset(pc, 0, sizeof *pc);
    pc->counter_style = OC_LIST_DECIMAL;
    if (t == NULL)
        return false;
    if (t->type == T_STRING) {
        pc->kind = OC_PIECE_TEXT;
        pc->text = t->s;
        return true;
    }
    if (t->type != T_FUNCTION)
        return false;
    a = args_of(c, t);
    name = take(&a);
    if (name && take_comma(&a) && (extra = take(&a)) == NULL)
        return false;
    if (!at_end(&a))
        return false;
    if (!mbox && ieq(t->s, "content")) {
        pc->kind = OC_PIECE_CONTENT;
        return name == NULL ||
               (name->type == T_IDENT && ieq(name->s, "text") && !extra);
    }
    if (name == NULL || name->type != T_IDENT)
        return false;
    if (!mbox && ieq(t->s, "attr") && !extra) {
        pc->kind = OC_PIECE_ATTR;
        pc->text = name->s;
        return true;
    }
    if (mbox && ieq(t->s, "counter")) {
        const kw *k = NULL;

        if (ieq(name->s, "page"))
            pc->kind = OC_PIECE_PAGE;
        else if (ieq(name->s, "pages"))
            pc->kind = OC_PIECE_PAGES;
        else
            return false;
        if (extra && (extra->type != T_IDENT ||
                      (k = find_kw(kw_list_style, extra->s)) == NULL))
            return false;
        if (k)
            pc->counter_style = (oc_list_style)k->value;
        return true;
    }
    if (mbox && ieq(t->s, "string")) {
        static const kw which[] = {
            {"first", OC_STRING_FIRST}, {"start", OC_STRING_START},
            {"last", OC_STRING_LAST}, {"first-except", OC_STRING_FIRST_EXCEPT},
            {NULL, 0}
        };
        const kw *k = NULL;

        if (extra && (extra->type != T_IDENT ||
                      (k = find_kw(which, extra->s)) == NULL))
            return false;
        pc->kind = OC_PIECE_STRING;
        pc->text = name->s;
        pc->which = k ? (oc_string_which)k->value : OC_STRING_FIRST;
        return true;
    }
    (void)p;
    return false;
}

/* Pieces up to a comma or the end, into arena memory. */
static bool
content_list(parser *p, cur *c, bool mbox, oc_content *out)
{
    oc_piece buf[64];
    size_t n = 0;
    const tok *t;

    while ((t = peek(c)) != NULL && t->type != T_COMMA) {
        if (n == sizeof buf / sizeof buf[0] ||
            !content_piece(p, c, mbox, &buf[n]))
            return false;
        n++;
    }
    if (n == 0)
        return false;
    out->pieces = memcpy(oc_arena_alloc(p->a, n * sizeof *buf), buf,
                         n * sizeof *buf);
    out->npieces = n;
    return true;
}

static bool
v_content(parser *p, cur *c, int prop, dvec *out)
{
    const tok *t = peek(c);
    oc_content ct = {NULL, 0};
    sval v = {0};

    if (t && t->type == T_IDENT &&
        (ieq(t->s, "none") || ieq(t->s, "normal"))) {
        take(c);
        if (!at_end(c))
            return false;
    } else if (!content_list(p, c, true, &ct) || !at_end(c)) {
        return false;
    }
    v.kind = V_CONTENT;
    v.ptr = ct.pieces;
    v.n = ct.npieces;
    push_decl(out, prop, &v);
    return true;
}

static bool
v_string_set(parser *p, cur *c, int prop, dvec *out)
{
    oc_string_set buf[16];
    size_t n = 0;
    const tok *t = peek(c);
    sval v = {0};

    if (t && t->type == T_IDENT && ieq(t->s, "none")) {
        take(c);
        if (!at_end(c))
            return false;
    } else {
        for (;;) {
            t = take(c);
            if (t == NULL || t->type != T_IDENT ||
                n == sizeof buf / sizeof buf[0])
                return false;
            buf[n].name = t->s;
            if (!content_list(p, c, false, &buf[n].value))
                return false;
            n++;
            if (at_end(c))
                break;
            if (!take_comma(c))
                return false;
        }
    }
    v.kind = V_STRSET;
    v.n = n;
    if (n)
        v.ptr = memcpy(oc_arena_alloc(p->a, n * sizeof *buf), buf,
                       n * sizeof *buf);
    push_decl(out, prop, &v);
    return true;
}

/* @page size (CSS Paged Media 3 §7.1). */
static bool
v_size(parser *p, cur *c, int prop, dvec *out)
{
    static const struct {
        const char *name;
        double      w, h;       /* points */
    } sizes[] = {
        {"A3", 297 * 72 / 25.4, 420 * 72 / 25.4},
        {"A4", 210 * 72 / 25.4, 297 * 72 / 25.4},
        {"A5", 148 * 72 / 25.4, 210 * 72 / 25.4},
        {"A6", 105 * 72 / 25.4, 148 * 72 / 25.4},
        {"B4", 250 * 72 / 25.4, 353 * 72 / 25.4},
        {"B5", 176 * 72 / 25.4, 250 * 72 / 25.4},
        {"JIS-B4", 257 * 72 / 25.4, 364 * 72 / 25.4},
        {"JIS-B5", 182 * 72 / 25.4, 257 * 72 / 25.4},
        {"letter", 8.5 * 72, 11 * 72}, {"legal", 8.5 * 72, 14 * 72},
        {"ledger", 11 * 72, 17 * 72},
    };
    sval v = {0}, len[2];
    size_t nlen = 0;
    bool named = false, oriented = false, autos = false;
    const tok *t;

    (void)p;
    v.kind = V_SIZE;
    while ((t = take(c)) != NULL) {
        if (t->type == T_IDENT) {
            size_t k;

            if (ieq(t->s, "auto") && !autos && !named && !oriented &&
                nlen == 0) {
                autos = true;
                continue;
            }
            if ((ieq(t->s, "portrait") || ieq(t->s, "landscape")) &&
                !oriented && !autos && nlen == 0) {
                oriented = true;
                v.kw = ieq(t->s, "portrait") ? 1 : 2;
                continue;
            }
            for (k = 0; k < sizeof sizes / sizeof sizes[0]; k++)
                if (ieq(t->s, sizes[k].name))
                    break;
            if (k == sizeof sizes / sizeof sizes[0] || named || autos ||
                nlen)
                return false;
            named = true;
            v.num = sizes[k].w;
            v.num2 = sizes[k].h;
            continue;
        }
        if (nlen == 2 || named || oriented || autos ||
            !parse_length(t, &len[nlen], 0) || len[nlen].unit != U_PT ||
            !(len[nlen].num > 0))
            return false;
        nlen++;
    }
    if (nlen == 0 && !named && !oriented && !autos)
        return false;
    if (nlen) {
        v.num = clampd(len[0].num, 1, MAX_LENGTH);
        v.num2 = clampd(len[nlen - 1].num, 1, MAX_LENGTH);
    }
    push_decl(out, prop, &v);
    return true;
}

/* ---- the property table ---- */

static const prop_def props[] = {
#define OC_CSS_LONGHAND(id, name, parse, ...) {name, parse, P_##id, NULL},
#define OC_CSS_ALIAS(id, name, parse) {name, parse, P_##id, NULL},
#define OC_CSS_SHORTHAND(name, parse, ...) \
    {name, parse, -1, (const int[]){__VA_ARGS__, -1}},
#include "css-props.h"
    {NULL, NULL, 0, NULL}
};

const unsigned oc_css_prop_flags[P_COUNT] = {
#define OC_CSS_LONGHAND(id, name, parse, kws, flags, ...) [P_##id] = (flags),
#include "css-props.h"
};

/* Properties ignored without a word: what only matters on a screen, or
 * decoration the PDF engine does not paint. Vendor-prefixed (-x-) and
 * custom (--x) properties are ignored silently too. */
static const char *silent_prefixes[] = {
    "-", "background", "border", "outline", "transition", "animation",
    "scroll-", "mask", "mso-",
    /* SVG's, for the inline SVGs that the book's stylesheets reach */
    "fill", "stroke", "stop-", "marker", "flood-", "color-interpolation",
    NULL
};
static const char *silent_names[] = {
    "box-shadow", "box-sizing", "min-width", "max-height",
    "min-height", "quotes", "counter-reset", "counter-increment",
    "counter-set", "cursor", "pointer-events", "user-select",
    "text-decoration-color", "text-decoration-style",
    "text-decoration-thickness", "text-decoration-skip",
    "text-decoration-skip-ink", "text-underline-offset",
    "text-underline-position", "text-rendering", "text-shadow",
    "font-kerning", "font-feature-settings", "font-variant-ligatures",
    "font-variation-settings", "font-optical-sizing",
    "font-synthesis", "opacity", "speak", "speak-as", "print-color-adjust",
    "color-adjust", "unicode-bidi", "adobe-hyphenate", "caret-color",
    "accent-color", "will-change", "resize", "appearance", "filter",
    "clip-path", "isolation", "mix-blend-mode", "touch-action",
    "image-rendering", "paint-order", "shape-rendering",
    "dominant-baseline", "alignment-baseline", "text-anchor",
    "lighting-color", "vector-effect", "clip-rule", NULL
};

bool
oc_css_is_silent(const char *name)
{
    for (size_t k = 0; silent_prefixes[k]; k++)
        if (strncmp(name, silent_prefixes[k],
                    strlen(silent_prefixes[k])) == 0)
            return true;
    for (size_t k = 0; silent_names[k]; k++)
        if (strcmp(name, silent_names[k]) == 0)
            return true;
    return false;
}

const prop_def *
oc_css_find_prop(const char *name)
{
    for (const prop_def *d = props; d->name; d++)
        if (strcmp(d->name, name) == 0)
            return d;
    return NULL;
}

/* inherit, initial, unset; revert and revert-layer act as unset, there
 * being no user style sheet. */
static bool
global_keyword(const tok *t, vkind *k)
{
    if (t == NULL || t->type != T_IDENT)
        return false;
    if (ieq(t->s, "inherit"))
        *k = V_INHERIT;
    else if (ieq(t->s, "initial"))
        *k = V_INITIAL;
    else if (ieq(t->s, "unset") || ieq(t->s, "revert") ||
             ieq(t->s, "revert-layer"))
        *k = V_UNSET;
    else
        return false;
    return true;
}

bool
oc_css_parse_value(parser *p, const prop_def *def, cur *c, dvec *out)
{
    cur g = *c;
    vkind gk;
    sval v = {0};

    if (!global_keyword(take(&g), &gk) || !at_end(&g))
        return def->parse(p, c, def->prop, out);
    v.kind = gk;
    if (def->longhands)
        for (const int *l = def->longhands; *l >= 0; l++)
            push_decl(out, *l, &v);
    else
        push_decl(out, def->prop, &v);
    return true;
}
