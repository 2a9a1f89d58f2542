// assets/readme/pagelist-shot.mjs - how pagelist-foliate.png was made:
// open an EPUB in the demo reader of foliate-js (reader.html; foliate-js
// is the e-book engine of Foliate 3 and Readest, and reads an EPUB's
// page-list), go to the page-list entry of one printed page, and take a
// screenshot, with a footer naming the print page that foliate-js
// resolves from the page-list for the text in view and a panel listing
// the page-list around it.
//
//   octavo build -M page-list=true --epub book.epub \
//       tests/corpora/frankenstein/book.yaml
//   npm pack foliate-js@1.0.1 && tar xzf foliate-js-1.0.1.tgz
//   cp book.epub package/ && (cd package && python3 -m http.server 8765 &)
//   npm install puppeteer-core
//   node pagelist-shot.mjs http://127.0.0.1:8765 140 pagelist-foliate.png
//
// CHROMIUM names the browser (default /usr/bin/chromium).
import puppeteer from 'puppeteer-core'
const [,, base, label, out] = process.argv
const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu'], headless: true,
    defaultViewport: { width: 980, height: 820 } })
const page = await browser.newPage()
await page.goto(`${base}/reader.html?url=book.epub`)
await page.waitForFunction(() => globalThis.reader?.view?.renderer &&
                           globalThis.reader.view.lastLocation,
                           { timeout: 30000 })
const info = await page.evaluate(async label => {
    const sleep = ms => new Promise(r => setTimeout(r, ms))
    const view = globalThis.reader.view
    const list = view.book.pageList
    const k = list.findIndex(p => p.label === label)
    let last = null
    view.addEventListener('relocate', e => { last = e.detail })
    view.renderer.setAttribute('max-column-count', '1')
    view.renderer.setAttribute('max-inline-size', '520px')
    await sleep(1500)
    const target = view.resolveNavigation(list[k].href)
    for (let tries = 0; tries < 5; tries++) {
        last = null
        await view.goTo(list[k].href)
        for (let i = 0; i < 40 && last?.section?.current !== target.index; i++)
            await sleep(250)
        if (last?.section?.current === target.index)
            break
    }
    await sleep(1500)
    const item = view.lastLocation?.pageItem
    const side = document.createElement('div')
    side.style.cssText = 'position:fixed;top:48px;left:0;width:190px;bottom:0;' +
        'background:#f4f4f4;border-right:1px solid #ccc;font:13px sans-serif;' +
        'padding:10px;z-index:10;overflow:hidden'
    side.innerHTML = '<b>Page list</b> (' + list.length + ' pages)<br><br>' +
        list.slice(Math.max(0, k - 8), k + 9).map(p =>
            (p.label === label ? '<b>\u25B6 p. ' : '&nbsp;&nbsp;&nbsp;p. ') +
            p.label + (p.label === label ? '</b>' : '')).join('<br>')
    document.body.append(side)
    const foot = document.createElement('div')
    foot.style.cssText = 'position:fixed;left:211px;right:0;bottom:0;' +
        'height:28px;background:#333;color:#fff;font:14px sans-serif;' +
        'line-height:28px;text-align:center;z-index:10'
    foot.textContent = 'Went to p. ' + label + ' \u00B7 in view: print page ' +
        (item?.label ?? '?') + ' (the EPUB\u2019s page-list, from the PDF)'
    document.body.append(foot)
    return { n: list.length, at: item?.label, section: last?.section }
}, label)
console.log(JSON.stringify(info))
await page.screenshot({ path: out })
await browser.close()
