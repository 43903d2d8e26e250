// Browser tests of the website chat widget (bot/web): the real twinbot
// binary, built from this tree and started on a free loopback port with
// `run --web`, driven in Debian's headless Chromium with playwright-core.
// Run with `npm ci && npm test` in this folder (.ci/run does). Screenshots
// go to artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHTTPServer } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const artifacts = fileURLToPath(new URL('./artifacts/', import.meta.url));
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
const browserArgs = ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];
// A town's website that may embed the widget (--web-origins), and one that
// may not: two more loopback servers of the test itself (Chromium lets only
// loopback pages reach a loopback server).
let SITE, OTHER;
const sites = [];
const WAIT = 15000;

let work, server, base, serverLog = '';

// catalog is a one-line message of locales/messages/<part>.<lang>.yaml
// (before its first template field), to find what a reply must say.
function catalog(part, lang, id) {
  const text = readFileSync(join(repo, 'locales/messages', `${part}.${lang}.yaml`), 'utf8');
  const m = text.match(new RegExp('^' + id.replace(/\./g, '\\.') + ': "(.*)"$', 'm'));
  assert.ok(m, `no message ${id} in ${part}.${lang}.yaml`);
  return m[1].split('{{')[0].trim();
}

// re matches s literally.
const re = (s) => new RegExp(s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

async function waitHealthy(url, ms) {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) throw new Error(`twinbot did not answer ${url} in ${ms} ms:\n${serverLog}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  work = mkdtempSync(join(tmpdir(), 'twinbot-web-'));
  const bin = join(work, 'twinbot');
  execFileSync('go', ['build', '-o', bin, './cmd/twinbot'], { cwd: repo, stdio: 'inherit' });
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  SITE = await siteServer();
  OTHER = await siteServer();
  server = spawn(bin, ['run', '--web', '--web-origins', SITE, '--http-addr', `127.0.0.1:${port}`,
    '--data', join(work, 'data'), '--town', 'zywiec'], { cwd: work, stdio: ['ignore', 'pipe', 'pipe'] });
  server.stdout.on('data', (d) => { serverLog += d; });
  server.stderr.on('data', (d) => { serverLog += d; });
  await waitHealthy(base + '/healthz', 30000);
});

after(async () => {
  for (const s of sites) s.close();
  if (server) {
    const exited = new Promise((r) => server.once('exit', r));
    server.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
  }
  if (work) rmSync(work, { recursive: true, force: true });
});

// browse opens a fresh browser profile and a page; it collects console
// errors, page errors and requests to any host but the bot's and the
// test sites'.
async function browse(t, opts = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'twinbot-chromium-'));
  const ctx = await chromium.launchPersistentContext(dir, {
    executablePath: chromiumPath, headless: true, args: browserArgs,
    locale: opts.locale || 'pl-PL', viewport: opts.viewport || { width: 1280, height: 800 },
    reducedMotion: opts.reducedMotion || 'no-preference',
  });
  t.after(async () => { await ctx.close(); rmSync(dir, { recursive: true, force: true }); });
  const page = ctx.pages()[0] || await ctx.newPage();
  const problems = [];
  const hosts = new Set([new URL(base).host, new URL(SITE).host, new URL(OTHER).host]);
  page.on('console', (m) => { if (m.type() === 'error') problems.push('console: ' + m.text()); });
  page.on('pageerror', (e) => problems.push('page error: ' + e));
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.protocol !== 'data:' && !hosts.has(u.host)) problems.push('request to ' + r.url());
  });
  return { page, problems };
}

// siteServer starts a town's website on a free loopback port and returns
// its origin. /zywiec.html embeds the widget with every data- attribute,
// /plain.html with data-town only; both under a strict CSP that allows the
// bot's address and nothing else.
function siteServer() {
  const attrs = {
    '/zywiec.html': 'data-town="zywiec" data-lang="de" data-color="#ffcc00" data-position="left"',
    '/plain.html': 'data-town="zywiec"',
  };
  const srv = createHTTPServer((req, res) => {
    if (!attrs[req.url]) { res.writeHead(404); res.end(); return; }
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': `default-src 'none'; script-src ${base}; style-src ${base}; connect-src ${base}`,
    });
    res.end(`<!doctype html><html lang="de"><head><meta charset="utf-8"><title>Stadt</title></head>
<body><main><h1>Partnerstädte</h1><p>Eine Seite der Stadt.</p></main>
<script src="${base}/widget.js" ${attrs[req.url]} defer></script></body></html>`);
  });
  sites.push(srv);
  return new Promise((resolve) => srv.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${srv.address().port}`)));
}

const launcher = (page) => page.locator('.tb-launch');
const input = (page) => page.locator('#tb-input');
const bots = (page) => page.locator('.tb-bot');

async function openPanel(page) {
  const n = await bots(page).count();
  await launcher(page).click();
  await bots(page).nth(n).waitFor({ timeout: WAIT }); // the greeting
}

// ask types text and returns the bot's answer (its element).
async function ask(page, text) {
  const n = await bots(page).count();
  await input(page).fill(text);
  await input(page).press('Enter');
  const reply = bots(page).nth(n);
  await reply.waitFor({ timeout: WAIT });
  return reply;
}

// press presses the quick-reply button whose label matches name.
async function press(page, name) {
  const n = await bots(page).count();
  await page.locator('.tb-choice', { hasText: name }).last().click();
  const reply = bots(page).nth(n);
  await reply.waitFor({ timeout: WAIT });
  return reply;
}

test('the demo page embeds the widget under a strict CSP, in the browser\'s language', async (t) => {
  const { page, problems } = await browse(t);
  const res = await page.goto(base + '/');
  assert.match(res.headers()['content-security-policy'], /script-src 'self'; style-src 'self'/);
  const open = page.getByRole('button', { name: catalog('web', 'pl', 'web.open') });
  await open.waitFor({ timeout: WAIT });
  assert.equal(await open.getAttribute('aria-expanded'), 'false');
  await open.click();
  await bots(page).first().waitFor({ timeout: WAIT });
  assert.match(await bots(page).first().textContent(), re(catalog('bot', 'pl', 'greeting')));
  assert.equal(await page.getByRole('dialog').getAttribute('aria-labelledby'), 'tb-title');
  assert.equal(await page.locator('.tb-log').getAttribute('role'), 'log');
  assert.deepEqual(problems, []);
});

test('answers in Polish and in German, a quick-reply button works', async (t) => {
  const { page, problems } = await browse(t);
  await page.goto(base + '/');
  await openPanel(page);

  let reply = await ask(page, 'Jakie są miasta partnerskie Żywca?');
  assert.equal(await reply.getAttribute('lang'), 'pl');
  assert.match(await reply.textContent(), /Partnerzy miasta Żywiec/);
  assert.match(await reply.textContent(), /Unterhaching \(Niemcy\)/);
  assert.equal(await reply.locator('li').count() >= 7, true, 'the partners are a list');

  reply = await ask(page, 'Welche Partnerstädte hat Żywiec?');
  assert.equal(await reply.getAttribute('lang'), 'de');
  assert.match(await reply.textContent(), /Partner von Żywiec/);
  assert.match(await reply.textContent(), /Riom \(Frankreich\)/);
  // The panel's own words follow the conversation's language.
  await page.getByRole('button', { name: catalog('web', 'de', 'web.send') }).waitFor({ timeout: WAIT });

  reply = await ask(page, 'Erzähl mir über Riom');
  const link = reply.locator('a[href^="https://www.riom.net"]');
  assert.equal(await link.getAttribute('target'), '_blank');
  assert.equal(await link.getAttribute('rel'), 'noopener noreferrer');

  // 50 KB typed or pasted: the polite "too long" answer, in the
  // conversation's language.
  reply = await ask(page, 'Wie viele Partnerstädte hat Żywiec? '.repeat(1400));
  assert.match(await reply.textContent(), re(catalog('bot', 'de', 'error.too_long')));

  // The greeting's buttons: "Exchanges" in the greeting's language.
  const before = await page.locator('.tb-user').count();
  reply = await press(page, catalog('bot', 'pl', 'choice.exchanges'));
  assert.equal(await page.locator('.tb-user').count(), before + 1, 'the press shows as the visitor\'s message');
  assert.match(await reply.textContent(), /Riom/);
  assert.deepEqual(problems, []);
});

test('a sign-up in the widget survives a reload; /mydata and /forget', async (t) => {
  const { page, problems } = await browse(t);
  await page.goto(base + '/');
  await openPanel(page);
  let reply = await ask(page, '/signup demo-zywiec-riom-2027');
  assert.match(await reply.textContent(), re(catalog('bot', 'pl', 'signup.ask.name')));
  reply = await ask(page, 'Jan Kowalski');
  assert.match(await reply.textContent(), /data urodzenia/);

  // A reload mid-way: the panel opens again with the conversation, and it
  // goes on where it was.
  await page.reload();
  await page.locator('.tb-panel').waitFor({ state: 'visible', timeout: WAIT });
  await page.locator('.tb-user', { hasText: 'Jan Kowalski' }).waitFor({ timeout: WAIT });
  const stored = await page.evaluate(() => JSON.stringify(sessionStorage));
  assert.doesNotMatch(stored, /Kowalski/, 'no personal data in the browser\'s storage');

  reply = await ask(page, '10.03.2011');
  assert.match(await reply.textContent(), re(catalog('bot', 'pl', 'signup.ask.contact')));
  reply = await ask(page, 'jan.kowalski@example.org');
  assert.match(await reply.textContent(), /opiekuna/);
  reply = await ask(page, 'Anna Kowalska');
  reply = await ask(page, '+48 600 100 200');
  assert.match(await reply.textContent(), /Administrator danych/);
  reply = await press(page, 'Tak');
  assert.match(await reply.textContent(), re(catalog('bot', 'pl', 'signup.summary')));
  assert.match(await reply.textContent(), /Anna Kowalska/);
  reply = await press(page, 'Potwierdzam');
  const code = (await reply.textContent()).match(/\b[A-HJ-NP-Z2-9]{6}\b/);
  assert.ok(code, 'a reference code in: ' + await reply.textContent());

  reply = await ask(page, '/mydata');
  assert.match(await reply.textContent(), re(code[0]));
  reply = await ask(page, '/forget');
  assert.match(await reply.textContent(), re(catalog('bot', 'pl', 'forget.done').split(';')[0]));
  await page.reload();
  await page.locator('.tb-panel').waitFor({ state: 'visible', timeout: WAIT });
  await bots(page).first().waitFor({ timeout: WAIT });
  assert.equal(await page.locator('.tb-user', { hasText: 'Kowalski' }).count(), 0, 'the conversation is gone after /forget');
  assert.deepEqual(problems, []);
});

test('keyboard only: open, answer, choose a button, close with Escape', async (t) => {
  const { page, problems } = await browse(t, { locale: 'en-GB' });
  await page.goto(base + '/');
  await launcher(page).waitFor({ timeout: WAIT });
  let found = false;
  for (let i = 0; i < 10 && !found; i++) {
    await page.keyboard.press('Tab');
    found = await page.evaluate(() => document.activeElement.classList.contains('tb-launch'));
  }
  assert.ok(found, 'Tab reaches the chat button');
  const ring = () => page.evaluate(() => {
    const s = getComputedStyle(document.activeElement);
    return s.outlineStyle + ' ' + s.outlineWidth;
  });
  assert.equal(await ring(), 'solid 3px', 'the focused button shows a focus ring');
  await page.keyboard.press('Enter');
  await bots(page).first().waitFor({ timeout: WAIT });
  assert.equal(await page.evaluate(() => document.activeElement.id), 'tb-input', 'opening focuses the input');

  await page.keyboard.type('What are the partner towns of Opoczno?');
  await page.keyboard.press('Enter');
  await bots(page).nth(1).waitFor({ timeout: WAIT });
  assert.match(await bots(page).nth(1).textContent(), /Opoczno/);
  assert.equal(await bots(page).nth(1).getAttribute('lang'), 'en');

  // Back from the input to the last quick-reply button, and press it.
  const n = await bots(page).count();
  let onChoice = false;
  for (let i = 0; i < 15 && !onChoice; i++) {
    await page.keyboard.press('Shift+Tab');
    onChoice = await page.evaluate(() => document.activeElement.classList.contains('tb-choice'));
  }
  assert.ok(onChoice, 'Shift+Tab reaches a quick-reply button');
  assert.equal(await ring(), 'solid 3px');
  await page.keyboard.press('Space');
  await bots(page).nth(n).waitFor({ timeout: WAIT });

  await page.keyboard.press('Escape');
  await page.locator('.tb-panel').waitFor({ state: 'hidden', timeout: WAIT });
  assert.ok(await page.evaluate(() => document.activeElement.classList.contains('tb-launch')), 'focus returns to the button');
  assert.equal(await launcher(page).getAttribute('aria-expanded'), 'false');
  assert.deepEqual(problems, []);
});

test('axe: no WCAG 2.1 AA violation in the open panel, at desktop size, 320 px and 200% zoom; screenshots', async (t) => {
  const { page, problems } = await browse(t, { reducedMotion: 'reduce' });
  await page.goto(base + '/');
  await openPanel(page);
  await ask(page, 'Opowiedz o Riom');
  await ask(page, '/exchanges');
  const axe = async (what) => {
    const res = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    const v = res.violations.map((x) => `${what}: ${x.id} (${x.nodes.length}): ${x.help}\n  ${x.nodes.map((n) => n.target.join(' ')).join('\n  ')}`);
    assert.deepEqual(v, [], v.join('\n'));
    assert.ok(res.passes.length > 10, `${what}: axe checked too little (${res.passes.length} rules passed)`);
  };
  await axe('desktop');
  await page.screenshot({ path: join(artifacts, 'panel-desktop.png') });
  await page.locator('.tb-panel').screenshot({ path: join(artifacts, 'panel.png') });

  const fits = () => page.evaluate(() => {
    const r = document.querySelector('.tb-panel').getBoundingClientRect();
    const i = document.querySelector('#tb-input').getBoundingClientRect();
    return r.left >= 0 && r.right <= innerWidth && r.top >= 0 && r.bottom <= innerHeight &&
      i.width > 100 && document.documentElement.scrollWidth <= innerWidth;
  });
  await page.setViewportSize({ width: 320, height: 640 });
  assert.ok(await fits(), 'the panel fits 320 px');
  await axe('320 px');
  await page.screenshot({ path: join(artifacts, 'panel-320.png') });

  // 200% zoom of a 1280×720 window is a 640×360 CSS viewport.
  await page.setViewportSize({ width: 640, height: 360 });
  assert.ok(await fits(), 'the panel fits at 200% zoom');
  await page.screenshot({ path: join(artifacts, 'panel-zoom200.png') });

  assert.equal(await page.locator('.tb-panel').evaluate((e) => getComputedStyle(e).animationName), 'none',
    'no animation with prefers-reduced-motion');
  assert.deepEqual(problems, []);
});

test('a town\'s site: data-lang, data-color, data-position, CORS; a site not listed gets no widget', async (t) => {
  const { page, problems } = await browse(t, { locale: 'en-US' });
  await page.goto(SITE + '/zywiec.html');
  const open = page.getByRole('button', { name: catalog('web', 'de', 'web.open') });
  await open.waitFor({ timeout: WAIT }).catch((e) => { throw new Error(e.message + '\n' + problems.join('\n')); });
  const look = await open.evaluate((e) => {
    const s = getComputedStyle(e), r = e.getBoundingClientRect();
    return { bg: s.backgroundColor, fg: s.color, left: r.left < innerWidth / 2 };
  });
  assert.deepEqual(look, { bg: 'rgb(255, 204, 0)', fg: 'rgb(17, 17, 17)', left: true });
  await open.click();
  await bots(page).first().waitFor({ timeout: WAIT });
  assert.equal(await bots(page).first().getAttribute('lang'), 'de');
  const reply = await ask(page, '/partners');
  assert.match(await reply.textContent(), /Unterhaching/, 'data-town is the town of the conversation');
  assert.deepEqual(problems, [], 'nothing the page\'s CSP blocks, no error');
  // (axe's own script then adds inline styles, which this page's CSP
  // refuses: problems are not checked after it.)
  const res = await new AxeBuilder({ page }).include('.tb-root').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  assert.deepEqual(res.violations.map((v) => v.id), [], 'the town\'s colour keeps WCAG 2.1 AA');
  await page.screenshot({ path: join(artifacts, 'site-left-yellow.png') });

  const other = await browse(t, { locale: 'en-US' });
  const isChat = (r) => r.url().endsWith('/widget/chat');
  const refused = Promise.race([other.page.waitForResponse(isChat), other.page.waitForEvent('requestfailed', isChat)]);
  await other.page.goto(OTHER + '/plain.html');
  await refused;
  assert.equal(await other.page.locator('.tb-launch').isVisible(), false, 'no widget for a site not in --web-origins');
});

test('whatever an answer holds is shown as text, never run as HTML', async (t) => {
  const { page, problems } = await browse(t);
  const evil = '<img src=x onerror="window.pwned=1"><b>bold</b>';
  await page.route(base + '/widget/chat', (route) => route.fulfill({
    status: 200,
    contentType: 'application/json',
    body: JSON.stringify({
      session: 'x.y.z', lang: 'pl', ui: { open: evil, send: 'Wyślij' }, langs: [{ code: 'pl', name: evil }],
      replies: [{
        lang: 'pl', title: evil, text: [evil], items: [evil], notes: [evil],
        cards: [{ title: evil, subtitle: evil, fields: [{ name: evil, value: evil }], links: [{ title: evil, url: 'https://example.org/' }] }],
        links: [{ title: 'click', url: 'javascript:window.pwned=1' }, { url: 'data:text/html,<script>1</script>' }],
        choices: [{ label: evil, data: '/x' }],
      }],
    }),
  }));
  await page.goto(base + '/');
  await launcher(page).click();
  await bots(page).first().waitFor({ timeout: WAIT });
  const found = await page.evaluate(() => ({
    imgs: document.querySelectorAll('.tb-root img').length,
    bolds: document.querySelectorAll('.tb-root b').length,
    hrefs: [...document.querySelectorAll('.tb-root a')].map((a) => a.getAttribute('href')),
    pwned: window.pwned === 1,
  }));
  assert.deepEqual(found, { imgs: 0, bolds: 0, hrefs: ['https://example.org/'], pwned: false });
  assert.match(await bots(page).first().textContent(), /<img src=x onerror=/);
  assert.match(await bots(page).first().textContent(), /javascript:window\.pwned=1/);
  assert.deepEqual(problems, []);
});

test('a question sent before the greeting arrives stays in the same conversation', async (t) => {
  const { page, problems } = await browse(t);
  await page.goto(base + '/');
  await launcher(page).click();
  await input(page).fill('/partners');
  await input(page).press('Enter'); // no wait for the greeting
  await bots(page).nth(1).waitFor({ timeout: WAIT });
  await page.reload();
  await page.locator('.tb-user', { hasText: '/partners' }).waitFor({ timeout: WAIT });
  assert.equal(await bots(page).count(), 2, 'the greeting and the answer, in one session');
  assert.deepEqual(problems, []);
});
