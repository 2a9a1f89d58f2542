/* test_pdftags.c - the structure tree of a tagged PDF written with
 * oc_pdfw: real files of a few pages (marked content with the MCIDs
 * handed out, a link annotation) checked by qpdf and read back with
 * pikepdf (Debian's python3-pikepdf, run by /usr/bin/python3): the
 * Document's kids in order, front matter first, a paragraph across two
 * pages, the parent tree and the IDTree; elements written when closed;
 * deep nesting; parent and ID trees too big for one node. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf.h"
#include "pdftags.h"
#include "pdfw.h"

#define PY "/usr/bin/python3"

static oc_status
gather(const char *data, size_t len, void *ctx, oc_error *err)
{
    (void)err;
    oc_buf_put(ctx, data, len);
    return OC_OK;
}

/* Run 'cmd' (its "%s" the file of 'pdf'), feeding it 'script' (NULL:
 * none) on its standard input; its exit status, its output in *out
 * (the caller frees it). */
static int
run(const char *cmd, const char *script, const oc_buf *pdf, oc_buf *out)
{
    char path[] = "/tmp/test_pdftags-XXXXXX";
    char chunk[512];
    oc_buf full = {0};
    FILE *p;
    size_t n;
    int fd = mkstemp(path);
    int status;

    assert_true(fd >= 0);
    assert_int_equal(write(fd, pdf->data, pdf->len), (ssize_t)pdf->len);
    close(fd);
    oc_buf_printf(&full, cmd, path);
    oc_buf_puts(&full, " 2>&1");
    if (script != NULL)
        oc_buf_printf(&full, " <<'PYEOF'\n%s\nPYEOF\n", script);
    p = popen(full.data, "r");
    assert_non_null(p);
    while ((n = fread(chunk, 1, sizeof chunk, p)) > 0)
        oc_buf_put(out, chunk, n);
    oc_buf_puts(out, "");
    status = pclose(p);
    unlink(path);
    oc_buf_free(&full);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void
need(const char *probe)
{
    if (system(probe) != 0)
        skip();
}

/* qpdf --check passes with no warning. */
static void
assert_qpdf_clean(const oc_buf *pdf)
{
    oc_buf log = {0};
    int st = run("qpdf --check %s", NULL, pdf, &log);

    if (st != 0 || strstr(log.data, "WARNING") != NULL)
        fail_msg("qpdf --check: %s", log.data);
    oc_buf_free(&log);
}

/* The pikepdf 'script' (it reads sys.argv[1]) prints OK. */
static void
assert_script_ok(const oc_buf *pdf, const char *script)
{
    oc_buf log = {0};
    int st = run(PY " - %s", script, pdf, &log);

    if (st != 0 || strstr(log.data, "OK") == NULL)
        fail_msg("pikepdf check: %s", log.data);
    oc_buf_free(&log);
}

/* A file being written: its catalog, page tree and font numbered. */
typedef struct file {
    oc_buf      out;
    oc_pdfw    *w;
    oc_pdftags *tags;
    long        catalog, pages, font;
    long       *kids;           /* the pages, in order */
    size_t      nkids;
} file;

static void
file_open(file *f)
{
    memset(f, 0, sizeof *f);
    f->w = oc_pdfw_new(gather, &f->out);
    f->catalog = oc_pdfw_reserve(f->w);
    f->pages = oc_pdfw_reserve(f->w);
    f->font = oc_pdfw_reserve(f->w);
    f->tags = oc_pdftags_new(f->w);
}

static long
file_page(file *f)
{
    long p = oc_pdfw_reserve(f->w);

    f->kids = realloc(f->kids, (f->nkids + 1) * sizeof *f->kids);
    assert_non_null(f->kids);
    f->kids[f->nkids++] = p;
    return p;
}

/* Page 'page' with content 'content', parent-tree key 'key' (-1: none),
 * annotations 'annots' ("" for none: "12 0 R ..."). */
static void
file_write_page(file *f, long page, const char *content, int key,
                const char *annots)
{
    long c = oc_pdfw_reserve(f->w);
    oc_buf *b;

    oc_pdfw_stream(f->w, c, NULL, content, strlen(content), true);
    b = oc_pdfw_begin(f->w, page);
    oc_buf_printf(b, "<< /Type /Page /Parent %ld 0 R /MediaBox [0 0 612 792]"
                  " /Resources << /Font << /F1 %ld 0 R >> >>"
                  " /Contents %ld 0 R", f->pages, f->font, c);
    if (key >= 0)
        oc_buf_printf(b, " /StructParents %d", key);
    if (annots[0] != '\0')
        oc_buf_printf(b, " /Tabs /S /Annots [%s]", annots);
    oc_buf_puts(b, " >>");
    oc_pdfw_end(f->w);
}

/* The rest written: the tree, the font, the page tree, the catalog. */
static void
file_finish(file *f)
{
    long root = oc_pdftags_finish(f->tags);
    oc_error err = {0};
    oc_buf *b;

    b = oc_pdfw_begin(f->w, f->font);
    oc_buf_puts(b, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica"
                " /Encoding /WinAnsiEncoding >>");
    oc_pdfw_end(f->w);
    b = oc_pdfw_begin(f->w, f->pages);
    oc_buf_puts(b, "<< /Type /Pages /Kids [");
    for (size_t i = 0; i < f->nkids; i++)
        oc_buf_printf(b, "%s%ld 0 R", i % 8 ? " " : "\n", f->kids[i]);
    oc_buf_printf(b, "] /Count %zu >>", f->nkids);
    oc_pdfw_end(f->w);
    b = oc_pdfw_begin(f->w, f->catalog);
    oc_buf_printf(b, "<< /Type /Catalog /Pages %ld 0 R"
                  " /MarkInfo << /Marked true >> /StructTreeRoot %ld 0 R"
                  " /Lang (en) /ViewerPreferences << /DisplayDocTitle true"
                  " >> >>", f->pages, root);
    oc_pdfw_end(f->w);
    assert_int_equal(oc_pdfw_finish(f->w, f->catalog, 0, NULL, &err), OC_OK);
    oc_pdftags_free(f->tags);
    oc_pdfw_free(f->w);
    free(f->kids);
    f->tags = NULL;
    f->w = NULL;
    f->kids = NULL;
}

/* The book of the main test: page 1 has a heading and the start of a
 * paragraph, page 2 its end, a paragraph with a link, a figure, the
 * front matter (opened last, listed first), content of the Document
 * itself and an empty Div. */
static void
write_book(oc_buf *out)
{
    file f;
    long p1, p2, annot;
    int key1, key2, akey;
    char content[1024];
    char annots[32];
    oc_buf *b;
    int m[8];

    file_open(&f);
    p1 = file_page(&f);
    p2 = file_page(&f);

    oc_pdftags_page_begin(f.tags, p1);
    oc_pdftags_open(f.tags, "H1", NULL, NULL, "chap-1", false);
    m[0] = oc_pdftags_mcid(f.tags);
    oc_pdftags_close(f.tags);
    oc_pdftags_open(f.tags, "P", NULL, NULL, NULL, false);
    m[1] = oc_pdftags_mcid(f.tags);
    key1 = oc_pdftags_page_end(f.tags);
    snprintf(content, sizeof content,
             "/H1 <</MCID %d>> BDC BT /F1 24 Tf 72 720 Td (Chapter One) Tj"
             " ET EMC\n"
             "/P <</MCID %d>> BDC BT /F1 12 Tf 72 690 Td (Hello) Tj ET EMC\n",
             m[0], m[1]);
    file_write_page(&f, p1, content, key1, "");

    oc_pdftags_page_begin(f.tags, p2);
    m[0] = oc_pdftags_mcid(f.tags);             /* the P goes on */
    oc_pdftags_close(f.tags);
    oc_pdftags_open(f.tags, "P", NULL, NULL, NULL, false);
    oc_pdftags_open(f.tags, "Link", NULL, NULL, NULL, false);
    m[1] = oc_pdftags_mcid(f.tags);
    annot = oc_pdfw_reserve(f.w);
    akey = oc_pdftags_annot(f.tags, annot);
    b = oc_pdfw_begin(f.w, annot);
    oc_buf_printf(b, "<< /Type /Annot /Subtype /Link /Rect [72 686 130 702]"
                  " /Border [0 0 0] /Contents (Example) /P %ld 0 R"
                  " /A << /S /URI /URI (https://example.com) >>"
                  " /StructParent %d >>", p2, akey);
    oc_pdfw_end(f.w);
    oc_pdftags_close(f.tags);
    oc_pdftags_close(f.tags);
    oc_pdftags_open(f.tags, "Figure", "A caf\xc3\xa9", NULL, NULL, false);
    m[2] = oc_pdftags_mcid(f.tags);
    oc_pdftags_close(f.tags);
    oc_pdftags_open(f.tags, "Sect", NULL, "fr", NULL, true);
    oc_pdftags_open(f.tags, "P", NULL, NULL, NULL, true);  /* not a child */
    m[3] = oc_pdftags_mcid(f.tags);
    oc_pdftags_close(f.tags);
    oc_pdftags_close(f.tags);
    assert_int_equal(oc_pdftags_depth(f.tags), 0);
    m[4] = oc_pdftags_mcid(f.tags);             /* the Document's */
    oc_pdftags_open(f.tags, "Div", NULL, NULL, NULL, false);
    oc_pdftags_close(f.tags);
    key2 = oc_pdftags_page_end(f.tags);
    snprintf(content, sizeof content,
             "/P <</MCID %d>> BDC BT /F1 12 Tf 72 720 Td (world.) Tj ET EMC\n"
             "/Link <</MCID %d>> BDC BT /F1 12 Tf 72 690 Td (Example) Tj ET"
             " EMC\n"
             "/Figure <</MCID %d>> BDC 72 600 50 50 re f EMC\n"
             "/P <</MCID %d>> BDC BT /F1 12 Tf 72 560 Td (Avant) Tj ET EMC\n"
             "/P <</MCID %d>> BDC BT /F1 12 Tf 72 530 Td (Loose) Tj ET EMC\n",
             m[0], m[1], m[2], m[3], m[4]);
    snprintf(annots, sizeof annots, "%ld 0 R", annot);
    file_write_page(&f, p2, content, key2, annots);

    assert_int_equal(key1, 0);
    assert_int_equal(akey, 1);
    assert_int_equal(key2, 2);
    file_finish(&f);
    *out = f.out;
}

/* Generic checks of any file written here: every element's /P is its
 * parent; each MCID kid is where the parent tree says (the page's
 * /StructParents entry, at the MCID, is the element), and each entry of
 * it is such a kid; each OBJR's annotation's /StructParent is its
 * element; the number and name trees are well formed (sorted keys,
 * right /Limits). */
static const char CHECK_TREE[] =
    "import sys, pikepdf\n"
    "pdf = pikepdf.open(sys.argv[1])\n"
    "st = pdf.Root.StructTreeRoot\n"
    "assert pdf.Root.MarkInfo.Marked == True\n"
    "assert st.Type == '/StructTreeRoot'\n"
    "doc = st.K\n"
    "assert isinstance(doc, pikepdf.Dictionary) and doc.S == '/Document'\n"
    "pt = pikepdf.NumberTree(st.ParentTree, auto_repair=False)\n"
    "assert sorted(pt.keys()) == list(range(int(st.ParentTreeNextKey)))\n"
    "seen = {}\n"
    "annots = 0\n"
    "def walk(e, parent, depth):\n"
    "    global annots\n"
    "    assert e.Type == '/StructElem'\n"
    "    assert e.P.objgen == parent.objgen, (e.S, e.P.objgen)\n"
    "    kids = e.K if '/K' in e else []\n"
    "    if not isinstance(kids, (pikepdf.Array, list)): kids = [kids]\n"
    "    for k in kids:\n"
    "        if isinstance(k, int):\n"
    "            pg, mc = e.Pg, k\n"
    "        elif k.get('/Type') == '/MCR':\n"
    "            pg, mc = k.Pg, int(k.MCID)\n"
    "            assert pg.objgen != e.Pg.objgen\n"
    "        elif k.get('/Type') == '/OBJR':\n"
    "            assert pt[int(k.Obj.StructParent)].objgen == e.objgen\n"
    "            assert k.Pg.Type == '/Page'\n"
    "            annots += 1\n"
    "            continue\n"
    "        else:\n"
    "            walk(k, e, depth + 1)\n"
    "            continue\n"
    "        assert pg.Type == '/Page'\n"
    "        owners = pt[int(pg.StructParents)]\n"
    "        assert owners.is_indirect\n"
    "        assert owners[mc].objgen == e.objgen, (e.S, mc)\n"
    "        seen[(pg.objgen, mc)] = 1\n"
    "walk(doc, st, 0)\n"
    "n = 0\n"
    "for p in pdf.pages:\n"
    "    if '/StructParents' in p.obj:\n"
    "        n += len(pt[int(p.obj.StructParents)])\n"
    "assert n == len(seen), (n, len(seen))\n"
    "def limits(node, key, tab, root):\n"
    "    if '/Kids' in node:\n"
    "        assert '/Limits' in node or root\n"
    "        ks = []\n"
    "        for k in node.Kids: ks += limits(k, key, tab, False)\n"
    "    else:\n"
    "        a = node[tab]\n"
    "        ks = [key(a[i]) for i in range(0, len(a), 2)]\n"
    "    assert ks == sorted(ks) and len(set(ks)) == len(ks)\n"
    "    if not root and ks:\n"
    "        assert [key(x) for x in node.Limits] == [ks[0], ks[-1]]\n"
    "    return ks\n"
    "limits(st.ParentTree, int, '/Nums', True)\n"
    "if '/IDTree' in st:\n"
    "    limits(st.IDTree, bytes, '/Names', True)\n"
    "print('OK', len(seen), annots)\n";

/* The main book read back: what each element holds, where. */
static const char CHECK_BOOK[] =
    "import sys, pikepdf\n"
    "pdf = pikepdf.open(sys.argv[1])\n"
    "st = pdf.Root.StructTreeRoot\n"
    "p1, p2 = (p.obj for p in pdf.pages)\n"
    "doc = st.K\n"
    "assert doc.P.objgen == st.objgen\n"
    "S = lambda k: str(k.S) if isinstance(k, pikepdf.Dictionary) else k\n"
    "kids = list(doc.K)\n"
    "assert [S(k) for k in kids] == "
    "['/Sect', '/H1', '/P', '/P', '/Figure', 4, '/Div'], kids\n"
    "sect, h1, para, plink, fig, _, div = kids\n"
    "assert doc.Pg.objgen == p2.objgen\n"
    "assert h1.ID == b'chap-1' and list(h1.K) == [0]\n"
    "assert h1.Pg.objgen == p1.objgen\n"
    "assert para.Pg.objgen == p1.objgen and para.K[0] == 1\n"
    "mcr = para.K[1]\n"
    "assert mcr.Type == '/MCR' and mcr.Pg.objgen == p2.objgen\n"
    "assert mcr.MCID == 0 and len(para.K) == 2\n"
    "link = plink.K[0]\n"
    "assert link.S == '/Link' and '/Pg' not in plink\n"
    "assert link.K[0] == 1 and link.Pg.objgen == p2.objgen\n"
    "objr = link.K[1]\n"
    "annot = p2.Annots[0]\n"
    "assert objr.Type == '/OBJR' and objr.Obj.objgen == annot.objgen\n"
    "assert objr.Pg.objgen == p2.objgen\n"
    "assert str(fig.Alt) == 'A caf\\u00e9'\n"
    "assert sect.Lang == 'fr' and sect.K[0].S == '/P'\n"
    "assert list(sect.K[0].K) == [3]\n"
    "assert '/K' not in div and '/Pg' not in div and div.P.objgen == doc.objgen\n"
    "pt = pikepdf.NumberTree(st.ParentTree, auto_repair=False)\n"
    "assert st.ParentTreeNextKey == 3\n"
    "assert p1.StructParents == 0 and annot.StructParent == 1\n"
    "assert p2.StructParents == 2\n"
    "assert [o.objgen for o in pt[0]] == [h1.objgen, para.objgen]\n"
    "assert pt[1].objgen == link.objgen\n"
    "assert [o.objgen for o in pt[2]] == [para.objgen, link.objgen,\n"
    "    fig.objgen, sect.K[0].objgen, doc.objgen]\n"
    "ids = pikepdf.NameTree(st.IDTree, auto_repair=False)\n"
    "assert list(ids.keys()) == ['chap-1']\n"
    "assert ids['chap-1'].objgen == h1.objgen\n"
    "print('OK')\n";

static void
test_book_passes_qpdf_and_reads_back_as_tagged(void **state)
{
    oc_buf pdf = {0};

    (void)state;
    need("qpdf --version >/dev/null 2>&1");
    need(PY " -c 'import pikepdf' >/dev/null 2>&1");
    write_book(&pdf);
    assert_qpdf_clean(&pdf);
    assert_script_ok(&pdf, CHECK_TREE);
    assert_script_ok(&pdf, CHECK_BOOK);
    if (getenv("OC_PDFTAGS_KEEP") != NULL)     /* for pdf-audit by hand */
        assert_int_equal(oc_write_file_atomic(getenv("OC_PDFTAGS_KEEP"),
                                              pdf.data, pdf.len, NULL),
                         OC_OK);
    oc_buf_free(&pdf);
}

/* Opening writes nothing; closing writes the element, before the end. */
static void
test_element_is_written_when_closed(void **state)
{
    file f;
    long p;
    uint64_t before;

    (void)state;
    file_open(&f);
    p = file_page(&f);
    oc_pdftags_page_begin(f.tags, p);
    before = oc_pdfw_offset(f.w);
    oc_pdftags_open(f.tags, "P", NULL, NULL, NULL, false);
    oc_pdftags_mcid(f.tags);
    assert_int_equal(oc_pdfw_offset(f.w), before);
    oc_pdftags_close(f.tags);
    assert_true(oc_pdfw_offset(f.w) > before);
    before = oc_pdfw_offset(f.w);
    assert_int_equal(oc_pdftags_page_end(f.tags), 0);
    assert_true(oc_pdfw_offset(f.w) > before);  /* the MCIDs' owners */
    file_write_page(&f, p, "/P <</MCID 0>> BDC EMC", 0, "");
    file_finish(&f);
    assert_non_null(strstr(f.out.data, "/S /P /P "));
    oc_buf_free(&f.out);
}

/* A page with no marked content has no key; the keys go on after it. */
static void
test_page_without_marked_content_has_no_key(void **state)
{
    file f;
    long p1, p2;

    (void)state;
    file_open(&f);
    p1 = file_page(&f);
    p2 = file_page(&f);
    oc_pdftags_page_begin(f.tags, p1);
    assert_int_equal(oc_pdftags_page_end(f.tags), -1);
    file_write_page(&f, p1, "", -1, "");
    oc_pdftags_page_begin(f.tags, p2);
    oc_pdftags_open(f.tags, "P", NULL, NULL, NULL, false);
    assert_int_equal(oc_pdftags_mcid(f.tags), 0);
    assert_int_equal(oc_pdftags_mcid(f.tags), 1);
    assert_int_equal(oc_pdftags_page_end(f.tags), 0);
    file_write_page(&f, p2, "/P <</MCID 0>> BDC EMC /P <</MCID 1>> BDC EMC",
                    0, "");
    file_finish(&f);                            /* closes the P */
    assert_non_null(strstr(f.out.data, "/ParentTreeNextKey 1"));
    assert_non_null(strstr(f.out.data, "/Pg "));
    oc_buf_free(&f.out);
}

/* 300 elements deep (the painter's 64, and more): each one's /P its
 * parent; finish closes them all. */
static void
test_deep_nesting_grows_and_finish_closes_all(void **state)
{
    enum { DEEP = 300 };
    file f;
    long p;
    oc_buf content = {0};

    (void)state;
    need("qpdf --version >/dev/null 2>&1");
    need(PY " -c 'import pikepdf' >/dev/null 2>&1");
    file_open(&f);
    p = file_page(&f);
    oc_pdftags_page_begin(f.tags, p);
    for (int i = 0; i < DEEP; i++) {
        oc_pdftags_open(f.tags, i % 2 ? "Div" : "Sect", NULL, NULL, NULL,
                        false);
        oc_buf_printf(&content, "/Span <</MCID %d>> BDC EMC\n",
                      oc_pdftags_mcid(f.tags));
    }
    assert_int_equal(oc_pdftags_depth(f.tags), DEEP);
    for (int i = 0; i < DEEP / 2; i++)
        oc_pdftags_close(f.tags);
    assert_int_equal(oc_pdftags_depth(f.tags), DEEP / 2);
    oc_pdftags_open(f.tags, "P", NULL, NULL, "deep", false);
    oc_buf_printf(&content, "/P <</MCID %d>> BDC EMC\n",
                  oc_pdftags_mcid(f.tags));
    assert_int_equal(oc_pdftags_page_end(f.tags), 0);
    file_write_page(&f, p, content.data, 0, "");
    file_finish(&f);
    assert_qpdf_clean(&f.out);
    assert_script_ok(&f.out, CHECK_TREE);
    oc_buf_free(&content);
    oc_buf_free(&f.out);
}

/* 1,500 pages, each with a link: 3,000 parent-tree keys and 1,499 ids
 * (more than a node holds), in trees of more than one node that find
 * every entry; a repeated id finds its first element. (A book of
 * 12,000 pages passes too, but pikepdf takes 20 s to read it back.) */
static void
test_big_parent_and_id_trees_are_valid(void **state)
{
    enum { PAGES = 1500 };
    static const char script[] =
        "import sys, pikepdf\n"
        "pdf = pikepdf.open(sys.argv[1])\n"
        "st = pdf.Root.StructTreeRoot\n"
        "assert '/Kids' in st.ParentTree and '/Kids' in st.IDTree\n"
        "pt = pikepdf.NumberTree(st.ParentTree, auto_repair=False)\n"
        "ids = pikepdf.NameTree(st.IDTree, auto_repair=False)\n"
        "assert len(pt) == 3000 and st.ParentTreeNextKey == 3000\n"
        "kids = list(st.K.K)\n"
        "assert len(kids) == 1500\n"
        "for i, p in enumerate(pdf.pages):\n"
        "    e = kids[i]\n"
        "    assert pt[int(p.obj.StructParents)][0].objgen == e.objgen\n"
        "    a = p.obj.Annots[0]\n"
        "    assert pt[int(a.StructParent)].objgen == e.objgen\n"
        "    if i < 1499:\n"
        "        assert ids['id%05d' % i].objgen == e.objgen\n"
        "assert len(ids) == 1499\n"
        "assert ids['id00000'].objgen == kids[0].objgen\n"
        "print('OK')\n";
    file f;

    (void)state;
    need("qpdf --version >/dev/null 2>&1");
    need(PY " -c 'import pikepdf' >/dev/null 2>&1");
    file_open(&f);
    for (int i = 0; i < PAGES; i++) {
        long p = file_page(&f);
        long a = oc_pdfw_reserve(f.w);
        char id[16], annots[32];
        oc_buf *b;
        int key;
        int akey;

        /* The last id repeats the first's: the IDTree keeps the first. */
        snprintf(id, sizeof id, "id%05d", i == PAGES - 1 ? 0 : i);
        oc_pdftags_page_begin(f.tags, p);
        oc_pdftags_open(f.tags, "Link", NULL, NULL, id, false);
        assert_int_equal(oc_pdftags_mcid(f.tags), 0);
        akey = oc_pdftags_annot(f.tags, a);
        oc_pdftags_close(f.tags);
        key = oc_pdftags_page_end(f.tags);
        assert_int_equal(akey, 2 * i);
        assert_int_equal(key, 2 * i + 1);
        b = oc_pdfw_begin(f.w, a);
        oc_buf_printf(b, "<< /Type /Annot /Subtype /Link /Rect [0 0 9 9]"
                      " /Contents (x) /A << /S /URI /URI (https://e.com) >>"
                      " /StructParent %d >>", akey);
        oc_pdfw_end(f.w);
        snprintf(annots, sizeof annots, "%ld 0 R", a);
        file_write_page(&f, p, "/Link <</MCID 0>> BDC EMC", key, annots);
    }
    file_finish(&f);
    assert_qpdf_clean(&f.out);
    assert_script_ok(&f.out, CHECK_TREE);
    assert_script_ok(&f.out, script);
    oc_buf_free(&f.out);
}

/* Nothing tagged at all: a Document with no kids, an empty parent
 * tree, no IDTree; still a valid file. */
static void
test_empty_tree_is_valid(void **state)
{
    file f;
    long p;

    (void)state;
    need("qpdf --version >/dev/null 2>&1");
    need(PY " -c 'import pikepdf' >/dev/null 2>&1");
    file_open(&f);
    p = file_page(&f);
    oc_pdftags_page_begin(f.tags, p);
    assert_int_equal(oc_pdftags_page_end(f.tags), -1);
    file_write_page(&f, p, "", -1, "");
    file_finish(&f);
    assert_null(strstr(f.out.data, "/IDTree"));
    assert_non_null(strstr(f.out.data, "/Nums []"));
    assert_qpdf_clean(&f.out);
    assert_script_ok(&f.out, CHECK_TREE);
    oc_buf_free(&f.out);
}

/* Freed before the end, with elements open: nothing leaks (ASan). */
static void
test_free_with_elements_open(void **state)
{
    oc_buf out = {0};
    oc_pdfw *w = oc_pdfw_new(gather, &out);
    oc_pdftags *t = oc_pdftags_new(w);

    (void)state;
    oc_pdftags_open(t, "Sect", "alt", "en", "a", true);
    oc_pdftags_open(t, "P", NULL, NULL, "b", false);
    oc_pdftags_close(t);
    oc_pdftags_open(t, "P", NULL, NULL, NULL, false);
    oc_pdftags_free(t);
    oc_pdftags_free(NULL);
    oc_pdfw_free(w);
    oc_buf_free(&out);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_book_passes_qpdf_and_reads_back_as_tagged),
        cmocka_unit_test(test_element_is_written_when_closed),
        cmocka_unit_test(test_page_without_marked_content_has_no_key),
        cmocka_unit_test(test_deep_nesting_grows_and_finish_closes_all),
        cmocka_unit_test(test_big_parent_and_id_trees_are_valid),
        cmocka_unit_test(test_empty_tree_is_valid),
        cmocka_unit_test(test_free_with_elements_open),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
