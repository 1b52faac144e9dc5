/** Take screenshots of pages of a running instance: tsx scripts/screenshot.ts <url> <out.png> [--no-js] [--mobile] */
import { launch } from '../e2e/support/browser.ts';

const [url, out] = process.argv.slice(2);
if (!url || !out) {
  console.error('usage: tsx scripts/screenshot.ts <url> <out.png> [--no-js] [--mobile]');
  process.exit(2);
}
const browser = await launch();
const mobile = process.argv.includes('--mobile');
const context = await browser.newContext({
  javaScriptEnabled: !process.argv.includes('--no-js'),
  viewport: mobile ? { width: 390, height: 844 } : { width: 1280, height: 900 },
});
const page = await context.newPage();
await page.goto(url);
await page.screenshot({ path: out, fullPage: true });
await browser.close();
