// bench/typst.js - set a Typst file as a PDF with Typst's compiler from
// npm (@myriaddreamin/typst-ts-node-compiler), for bench/run:
//
//     node bench/typst.js MAIN.typ OUT.pdf FONTDIR...
//     node bench/typst.js --version      (the Typst the package holds)
//
// The package is looked up through NODE_PATH (bench/run installs it under
// out/bench/node). Only the FONTDIRs' faces and the compiler's own are
// used, not the system's, so the font is the one named, not a fallback.
// Exits non-zero when the compiler reports an error; warnings are printed
// as they come, so a missing glyph or font shows in hyperfine's log.
'use strict';
const fs = require('fs');
const path = require('path');
const { NodeCompiler } = require('@myriaddreamin/typst-ts-node-compiler');

const [main, out, ...fonts] = process.argv.slice(2);
if (main === '--version') {
    // The package's own version is not Typst's: ask the compiler.
    const c = NodeCompiler.create();
    const doc = c.compile({
        mainFileContent: '#metadata(str(sys.version)) <v>',
    }).result;
    console.log(c.query(doc, { selector: '<v>', field: 'value' })[0]);
    process.exit(0);
}
if (!main || !out) {
    console.error('usage: node bench/typst.js MAIN.typ OUT.pdf FONTDIR...');
    process.exit(2);
}
const c = NodeCompiler.create({
    workspace: path.dirname(path.resolve(main)),
    fontArgs: [{ fontPaths: fonts.map((f) => path.resolve(f)) }],
});
// compile() first, so that errors come back as diagnostics rather than
// as an exception with the message alone.
const r = c.compile({ mainFilePath: path.resolve(main) });
const doc = r.result;
r.printDiagnostics();
if (!doc)
    process.exit(1);
fs.writeFileSync(out, c.pdf(doc));
