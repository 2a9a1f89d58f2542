"""tests/tagged/across.py PDF - every marked-content reference of the
structure tree names the page its content is on: the page's parent tree
entry for that MCID gives the element back; and an element goes on
across a page break: paragraphs that a page break cuts have their marked
content on both pages (an MCR to the second)."""
import sys

import pikepdf

pdf = pikepdf.open(sys.argv[1])
root = pdf.Root.StructTreeRoot
page_no = {p.objgen: i for i, p in enumerate(pdf.pages)}

# The parent tree: a page's /StructParents → its elements by MCID.
nums = {}


def gather(node):
    if "/Nums" in node:
        a = node.Nums
        for i in range(0, len(a), 2):
            nums[int(a[i])] = a[i + 1]
    for k in node.get("/Kids", []):
        gather(k)


gather(root.ParentTree)
across = 0
checked = 0
stack = [root.K]
while stack:
    e = stack.pop()
    if isinstance(e, pikepdf.Array):
        stack.extend(e)
        continue
    if not isinstance(e, pikepdf.Dictionary) or "/S" not in e:
        continue
    kids = e.get("/K")
    kids = kids if isinstance(kids, pikepdf.Array) else \
        ([] if kids is None else [kids])
    pages = set()
    for k in kids:
        if isinstance(k, int) or (isinstance(k, pikepdf.Object) and
                                  k._type_code == pikepdf.ObjectType.integer):
            pg, mcid = e.Pg, int(k)
        elif isinstance(k, pikepdf.Dictionary) and k.get("/Type") == "/MCR":
            pg, mcid = k.Pg, int(k.MCID)
        else:
            stack.append(k)
            continue
        owners = nums[int(pg.StructParents)]
        if owners[mcid].objgen != e.objgen:
            print("MCID %d of page %d does not lead back to its %s" %
                  (mcid, page_no[pg.objgen] + 1, e.S))
            sys.exit(1)
        checked += 1
        pages.add(page_no[pg.objgen])
    if e.S == "/P" and len(pages) > 1:
        across += 1
print("%d marked contents lead back to their elements; %d paragraphs "
      "go on across a page break" % (checked, across))
sys.exit(0 if across > 0 and checked > 0 else 1)
