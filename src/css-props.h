/* css-props.h - every CSS property name the PDF engine reads, in one
 * list. This is not an ordinary header: it has no include guard, and a
 * file includes it after defining the row macros it wants (a row macro
 * left undefined expands to nothing; all three are #undef'd at the end).
 * From it come the P_* enum and the F_* flags of each longhand
 * (css-int.h), the property table and each longhand's keywords
 * (css-values.c), and how each longhand computes and is copied for
 * inherit and initial (css.c).
 *
 * OC_CSS_LONGHAND(ID, name, parse, keywords, flags, compute, field)
 *     A longhand: P_<ID> indexes it in specified-value arrays.
 *     parse     its value_fn in css-values.c
 *     keywords  the kw table v_keyword reads (NULL for other parsers)
 *     flags     F_INHERITED if it inherits; F_PAGE_ONLY if only @page
 *               rules may set it
 *     compute   how set_prop (css.c) turns its specified value into the
 *               oc_style member 'field':
 *       KEYWORD     the keyword's value: an oc_* enum
 *       LENGTH      an oc_length (PT, PERCENT or AUTO)
 *       SPACING     points, 0 for normal
 *       COUNT       an integer
 *       LIST        an array in 'field' and its length in n<field>
 *       PROPAGATED  flags added to those of the ancestors; inherit and
 *                   initial leave them (CSS Text Decoration 3 §2)
 *       OWN         a case of its own in set_prop
 *       NONE        no oc_style member ('field' empty): the @page code
 *                   reads the specified value
 *     Inherit, initial and unset copy 'field' from the parent's or the
 *     initial style; an element starts with the parent's value of an
 *     inherited longhand and the initial value of any other.
 * OC_CSS_ALIAS(ID, name, parse)
 *     Another name for longhand P_<ID> (a legacy or prefixed spelling),
 *     with its own parser.
 * OC_CSS_SHORTHAND(name, parse, P_...)
 *     A name that sets the longhands listed; a CSS-wide keyword
 *     (inherit...) sets each of them.
 *
 * Adding a longhand takes a row here, its member in oc_style (css.h)
 * with its initial value in oc_css_new when that is not zero, a keyword
 * table in css-values.c when it takes keywords (or a value_fn when no
 * parser fits), and a case in set_prop only when it computes as OWN.
 * Inherited longhands come first. The four sides of margin and of
 * padding stay in the order top, right, bottom, left: v_box_shorthand
 * and side_value count on it. */
#ifndef OC_CSS_LONGHAND
#define OC_CSS_LONGHAND(id, name, parse, keywords, flags, compute, field)
#endif
#ifndef OC_CSS_ALIAS
#define OC_CSS_ALIAS(id, name, parse)
#endif
#ifndef OC_CSS_SHORTHAND
#define OC_CSS_SHORTHAND(name, parse, ...)
#endif

/* inherited */
OC_CSS_LONGHAND(FONT_FAMILY, "font-family", v_font_family, NULL,
                F_INHERITED, OWN, font_family)
OC_CSS_LONGHAND(FONT_SIZE, "font-size", v_font_size, NULL,
                F_INHERITED, OWN, font_size)
OC_CSS_LONGHAND(FONT_WEIGHT, "font-weight", v_font_weight, NULL,
                F_INHERITED, OWN, font_weight)
OC_CSS_LONGHAND(FONT_STYLE, "font-style", v_keyword, kw_font_style,
                F_INHERITED, KEYWORD, font_style)
OC_CSS_LONGHAND(FONT_VARIANT, "font-variant", v_keyword, kw_font_variant,
                F_INHERITED, KEYWORD, font_variant)
OC_CSS_ALIAS(FONT_VARIANT, "font-variant-caps", v_keyword)
OC_CSS_LONGHAND(FONT_VARIANT_NUMERIC, "font-variant-numeric", v_numeric, NULL,
                F_INHERITED, KEYWORD, font_variant_numeric)
OC_CSS_LONGHAND(FONT_SIZE_ADJUST, "font-size-adjust", v_size_adjust, NULL,
                F_INHERITED, OWN, font_size_adjust)
OC_CSS_SHORTHAND("font", v_font, P_FONT_STYLE, P_FONT_VARIANT,
                 P_FONT_WEIGHT, P_FONT_SIZE, P_LINE_HEIGHT, P_FONT_FAMILY)
OC_CSS_LONGHAND(LINE_HEIGHT, "line-height", v_line_height, NULL,
                F_INHERITED, OWN, line_height)
OC_CSS_LONGHAND(COLOR, "color", v_color, NULL,
                F_INHERITED, OWN, color)
OC_CSS_LONGHAND(TEXT_ALIGN, "text-align", v_keyword, kw_text_align,
                F_INHERITED, KEYWORD, text_align)
OC_CSS_LONGHAND(TEXT_INDENT, "text-indent", v_side, NULL,
                F_INHERITED, LENGTH, text_indent)
OC_CSS_LONGHAND(HYPHENS, "hyphens", v_keyword, kw_hyphens,
                F_INHERITED, KEYWORD, hyphens)
OC_CSS_ALIAS(HYPHENS, "-webkit-hyphens", v_keyword)
OC_CSS_ALIAS(HYPHENS, "-epub-hyphens", v_keyword)
OC_CSS_LONGHAND(WHITE_SPACE, "white-space", v_keyword, kw_white_space,
                F_INHERITED, KEYWORD, white_space)
OC_CSS_LONGHAND(LIST_STYLE_TYPE, "list-style-type", v_keyword,
                kw_list_style, F_INHERITED, KEYWORD, list_style_type)
OC_CSS_LONGHAND(LIST_STYLE_POSITION, "list-style-position", v_keyword,
                kw_list_position, F_INHERITED, KEYWORD, list_style_position)
OC_CSS_SHORTHAND("list-style", v_list_style, P_LIST_STYLE_TYPE,
                 P_LIST_STYLE_POSITION)
OC_CSS_LONGHAND(TEXT_TRANSFORM, "text-transform", v_keyword,
                kw_text_transform, F_INHERITED, KEYWORD, text_transform)
OC_CSS_LONGHAND(LETTER_SPACING, "letter-spacing", v_spacing, NULL,
                F_INHERITED, SPACING, letter_spacing)
OC_CSS_LONGHAND(WORD_SPACING, "word-spacing", v_spacing, NULL,
                F_INHERITED, SPACING, word_spacing)
OC_CSS_LONGHAND(DIRECTION, "direction", v_keyword, kw_direction,
                F_INHERITED, KEYWORD, direction)
OC_CSS_LONGHAND(WIDOWS, "widows", v_integer, NULL,
                F_INHERITED, COUNT, widows)
OC_CSS_LONGHAND(ORPHANS, "orphans", v_integer, NULL,
                F_INHERITED, COUNT, orphans)

/* not inherited */
OC_CSS_LONGHAND(DISPLAY, "display", v_keyword, kw_display,
                0, KEYWORD, display)
OC_CSS_LONGHAND(MARGIN_TOP, "margin-top", v_side, NULL,
                0, LENGTH, margin[OC_SIDE_TOP])
OC_CSS_LONGHAND(MARGIN_RIGHT, "margin-right", v_side, NULL,
                0, LENGTH, margin[OC_SIDE_RIGHT])
OC_CSS_LONGHAND(MARGIN_BOTTOM, "margin-bottom", v_side, NULL,
                0, LENGTH, margin[OC_SIDE_BOTTOM])
OC_CSS_LONGHAND(MARGIN_LEFT, "margin-left", v_side, NULL,
                0, LENGTH, margin[OC_SIDE_LEFT])
OC_CSS_SHORTHAND("margin", v_margin, P_MARGIN_TOP, P_MARGIN_RIGHT,
                 P_MARGIN_BOTTOM, P_MARGIN_LEFT)
OC_CSS_LONGHAND(PADDING_TOP, "padding-top", v_side, NULL,
                0, LENGTH, padding[OC_SIDE_TOP])
OC_CSS_LONGHAND(PADDING_RIGHT, "padding-right", v_side, NULL,
                0, LENGTH, padding[OC_SIDE_RIGHT])
OC_CSS_LONGHAND(PADDING_BOTTOM, "padding-bottom", v_side, NULL,
                0, LENGTH, padding[OC_SIDE_BOTTOM])
OC_CSS_LONGHAND(PADDING_LEFT, "padding-left", v_side, NULL,
                0, LENGTH, padding[OC_SIDE_LEFT])
OC_CSS_SHORTHAND("padding", v_padding, P_PADDING_TOP, P_PADDING_RIGHT,
                 P_PADDING_BOTTOM, P_PADDING_LEFT)
/* the box of a replaced element (img) or a figure: auto, or a length or
 * percentage of the containing block's width; max-width none is AUTO */
OC_CSS_LONGHAND(WIDTH, "width", v_dimension, NULL,
                0, LENGTH, width)
OC_CSS_LONGHAND(HEIGHT, "height", v_dimension, NULL,
                0, LENGTH, height)
OC_CSS_LONGHAND(MAX_WIDTH, "max-width", v_dimension, NULL,
                0, LENGTH, max_width)
OC_CSS_LONGHAND(BREAK_BEFORE, "break-before", v_keyword, kw_break,
                0, KEYWORD, break_before)
OC_CSS_ALIAS(BREAK_BEFORE, "page-break-before", v_keyword)
OC_CSS_LONGHAND(BREAK_AFTER, "break-after", v_keyword, kw_break,
                0, KEYWORD, break_after)
OC_CSS_ALIAS(BREAK_AFTER, "page-break-after", v_keyword)
OC_CSS_LONGHAND(BREAK_INSIDE, "break-inside", v_keyword, kw_break_inside,
                0, KEYWORD, break_inside)
OC_CSS_ALIAS(BREAK_INSIDE, "page-break-inside", v_keyword)
OC_CSS_LONGHAND(FLOAT, "float", v_keyword, kw_float,
                0, KEYWORD, page_float)
OC_CSS_LONGHAND(VERTICAL_ALIGN, "vertical-align", v_keyword,
                kw_vertical_align, 0, KEYWORD, vertical_align)
/* painted under the text of an inline element only (mark, a span) */
OC_CSS_LONGHAND(BACKGROUND_COLOR, "background-color", v_color, NULL,
                0, OWN, background_color)
OC_CSS_SHORTHAND("background", v_background, P_BACKGROUND_COLOR)
OC_CSS_LONGHAND(TEXT_DECORATION, "text-decoration", v_decoration, NULL,
                0, PROPAGATED, text_decoration)
OC_CSS_ALIAS(TEXT_DECORATION, "text-decoration-line", v_decoration_line)
OC_CSS_LONGHAND(STRING_SET, "string-set", v_string_set, NULL,
                0, LIST, string_set)
/* page-margin boxes only; elsewhere ignored without a word */
OC_CSS_LONGHAND(CONTENT, "content", v_content, NULL,
                0, NONE, )
OC_CSS_LONGHAND(SIZE, "size", v_size, NULL,
                F_PAGE_ONLY, NONE, )
/* the left or right margin, by the side of the spread (mirrored) */
OC_CSS_LONGHAND(MARGIN_INSIDE, "margin-inside", v_side, NULL,
                F_PAGE_ONLY, NONE, )
OC_CSS_LONGHAND(MARGIN_OUTSIDE, "margin-outside", v_side, NULL,
                F_PAGE_ONLY, NONE, )

#undef OC_CSS_LONGHAND
#undef OC_CSS_ALIAS
#undef OC_CSS_SHORTHAND
