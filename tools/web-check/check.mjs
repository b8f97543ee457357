// The web edition in a real browser: opens each page given in headless
// Chromium (Debian's, no network), runs axe-core's WCAG 2.1 A and AA rules
// on it, and saves a screenshot of it at desktop width (and the first
// page's at phone width) into SHOTS. Exits 1 on any violation, on any
// request for another host, and when the browser cannot start.
//
//   node check.mjs SHOTS PAGE.html...
import { chromium } from "playwright-core";
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const [shots, ...pages] = process.argv.slice(2);
if (!shots || pages.length === 0) {
  console.error("usage: node check.mjs SHOTS PAGE.html...");
  process.exit(2);
}
mkdirSync(shots, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
  ],
});

// a stable, readable file name for a page's screenshot
const shotName = (file, suffix) =>
  path.relative(process.cwd(), file).replace(/\.html$/, "").replace(/[^A-Za-z0-9-]+/g, "_").replace(/^_+/, "") +
  suffix + ".png";

let failed = 0;
for (const [i, file] of pages.entries()) {
  // the pages forbid scripts (their content security policy): the check
  // injects axe-core all the same, as a reader's extension would
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, bypassCSP: true });
  const page = await context.newPage();
  const foreign = [];
  // the page must need nothing from another host
  await page.route(/^(?!file:|data:)/, (route) => {
    foreign.push(route.request().url());
    return route.abort();
  });
  await page.goto("file://" + path.resolve(file), { waitUntil: "load" });
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(() =>
    // eslint-disable-next-line no-undef
    axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }),
  );
  await page.screenshot({ path: path.join(shots, shotName(file, "")), fullPage: true });
  if (i === 0) {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: path.join(shots, shotName(file, "-phone")), fullPage: true });
  }
  const problems = result.violations.length + foreign.length;
  console.log(`${problems === 0 ? "ok  " : "FAIL"} ${file}: ${result.passes.length} rules passed, ` +
    `${result.violations.length} violated, ${result.incomplete.length} to review by hand`);
  for (const v of result.violations) {
    console.log(`  ${v.id} (${v.impact}): ${v.help} ${v.helpUrl}`);
    for (const n of v.nodes.slice(0, 5)) console.log(`    at ${n.target.join(" ")}: ${n.failureSummary.replace(/\n/g, " ")}`);
  }
  for (const url of foreign) console.log(`  asked another host: ${url}`);
  if (problems > 0) failed += 1;
  await context.close();
}
await browser.close();
console.log(`${pages.length - failed} of ${pages.length} pages passed; screenshots in ${shots}`);
process.exit(failed === 0 ? 0 : 1);
