"""tests/tagged/sects.py PDF N - the structure tree's Document holds N
Sect elements, one a chapter: no two chapters' elements are taken for one
(each chapter's are freed with its pages, and another chapter's may take
their place in memory)."""
import sys

import pikepdf

pdf = pikepdf.open(sys.argv[1])
want = int(sys.argv[2])
doc = pdf.Root.StructTreeRoot.K
if isinstance(doc, pikepdf.Array):
    doc = doc[0]
kids = doc.K if isinstance(doc.K, pikepdf.Array) else [doc.K]
sects = [k for k in kids
         if isinstance(k, pikepdf.Dictionary) and k.get("/S") == "/Sect"]
if len(sects) != want:
    print("%s: %d Sect elements in the Document, expected %d (one a "
          "chapter)" % (sys.argv[1], len(sects), want))
    sys.exit(1)
