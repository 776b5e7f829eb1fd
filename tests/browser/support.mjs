// Starts the real process-library binary on a fresh database and a headless Chromium.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomUUID, createHash } from 'node:crypto';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const root = resolve(here, '..', '..');
export const artifacts = join(here, 'artifacts');
mkdirSync(artifacts, { recursive: true });
/** Where the HTML of every checked page is kept for the Nu Html Checker, which `validate-html.mjs`
 * runs over all of them in one batch after the tests. */
export const pagesDir = join(artifacts, 'pages');
mkdirSync(pagesDir, { recursive: true });

export const BIN = process.env.PL_BIN || join(root, 'target', 'debug', 'process-library');
const PG_ADMIN = process.env.BROWSER_POSTGRES_URL || '';

function freshDatabase() {
  const keyDir = mkdtempSync(join(tmpdir(), 'pl-key-'));
  const keyFile = join(keyDir, 'secret-key');
  const dropKey = () => rmSync(keyDir, { recursive: true, force: true });
  if (PG_ADMIN) {
    const name = `pl_browser_${randomUUID().replaceAll('-', '')}`;
    execFileSync('psql', [PG_ADMIN, '-qc', `CREATE DATABASE "${name}"`]);
    const url = new URL(PG_ADMIN);
    url.pathname = `/${name}`;
    const drop = () => { execFileSync('psql', [PG_ADMIN, '-qc', `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`]); dropKey(); };
    return { url: url.toString(), keyFile, drop };
  }
  const dir = mkdtempSync(join(tmpdir(), 'pl-browser-'));
  const drop = () => { rmSync(dir, { recursive: true, force: true }); dropKey(); };
  return { url: `sqlite://${join(dir, 'browser.db')}`, keyFile, drop };
}

/** Runs the binary with `serve`; resolves once it prints its address. */
export async function startServer(extraArgs = [], extraEnv = {}) {
  const db = freshDatabase();
  const env = { ...process.env, DATABASE_URL: db.url, SECRET_KEY_FILE: db.keyFile, PROCESS_LIBRARY_BCRYPT_COST: '4', RUST_LOG: 'warn', ...extraEnv };
  const child = spawn(BIN, ['serve', '--bind', '127.0.0.1:0', ...extraArgs], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const baseURL = await new Promise((resolvePromise, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${stderr}`)), 20000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/Listening on (http:\/\/\S+)/);
      if (m) { clearTimeout(timer); resolvePromise(m[1]); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited ${code}: ${stderr}`)); });
  });
  const stop = async () => {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
    db.drop();
  };
  // The operator's command line against the server's database; returns what it printed.
  const cli = (args) => execFileSync(BIN, args, { env, encoding: 'utf8' });
  return { baseURL, stop, cli, stderr: () => stderr };
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** The kinds of page already checked by this test file (path with ids as {id}, and the names
 * of its query parameters), so that each is checked once. */
const checkedKinds = new Set();
if (process.env.PL_LIST_CHECKED) {
  process.on('exit', () => console.log(`checked ${checkedKinds.size} kinds of page: ${[...checkedKinds].sort().join(' ')}`));
}

function kindOf(address) {
  const url = new URL(address);
  if (!url.protocol.startsWith('http') || url.pathname.startsWith('/static')) return null;
  const path = url.pathname.split('/')
    .map((part) => (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(part) ? '{id}' : part))
    .join('/');
  const names = [...new Set(url.searchParams.keys())].sort().join('&');
  return names ? `${path}?${names}` : path;
}

/**
 * Checks each kind of page a context visited, once per test file, when the context closes: it
 * opens the page again (a GET, which writes nothing) at 1280 and 390 px, and requires that the
 * page never scrolls sideways and that axe-core finds no WCAG 2.2 A/AA violation. The HTML as
 * served is kept in `pagesDir` for the HTML checker.
 */
async function checkVisited(context, visited) {
  const problems = [];
  const page = await context.newPage();
  for (const [kind, address] of visited) {
    if (checkedKinds.has(kind)) continue;
    checkedKinds.add(kind);
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      const response = await page.goto(address);
      const type = response?.headers()['content-type'] || '';
      // Pages that are gone, answer an error on purpose or lead elsewhere now are left out.
      if (!response || response.status() !== 200 || !type.startsWith('text/html')
        || kindOf(page.url()) !== kind) break;
      if (width === 1280) {
        const name = createHash('sha256').update(kind).digest('hex').slice(0, 16);
        writeFileSync(join(pagesDir, `${name}.html`), await response.text());
        writeFileSync(join(pagesDir, `${name}.kind`), kind);
      }
      const [scroll, inner] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
      if (scroll > inner) problems.push(`${kind} at ${width} px: ${scroll} px wide`);
      await page.evaluate(axeSource);
      const violations = await page.evaluate(async () => {
        const result = await globalThis.axe.run(document, {
          runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
        });
        return result.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('; ')}`);
      });
      for (const v of violations) problems.push(`${kind} at ${width} px: ${v}`);
    }
  }
  await page.close();
  if (problems.length) throw new Error(`pages fail the layout or accessibility checks:\n${problems.join('\n')}`);
}

export async function launchBrowser() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => {
    const context = await newContext(options);
    context.setDefaultTimeout(10000);
    const visited = new Map();
    context.on('page', (page) => page.on('framenavigated', (frame) => {
      if (frame !== page.mainFrame()) return;
      const kind = kindOf(frame.url());
      if (kind && !checkedKinds.has(kind) && !visited.has(kind)) visited.set(kind, frame.url());
    }));
    const close = context.close.bind(context);
    context.close = async () => {
      try {
        await checkVisited(context, visited);
      } finally {
        await close();
      }
    };
    return context;
  };
  return browser;
}

export const PASSWORD = 'correct horse battery';

/** The one-time set-up through the form, then sign-in. */
export async function setUpAndSignIn(page, baseURL) {
  await page.goto(baseURL + '/');
  await page.getByLabel('Account Name', { exact: true }).fill('Partner Co');
  await page.getByLabel('Administrator Email', { exact: true }).fill('ada@partner.test');
  await page.getByLabel('Administrator Name', { exact: true }).fill('Ada Lovelace');
  await page.getByLabel('Administrator Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Set up', exact: true }).click();
  await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
  await signIn(page, 'ada@partner.test', PASSWORD);
}

export async function signIn(page, email, password) {
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}
