// A library as code, from outside: the operator exports the demo partner's library with the
// command line, imports it into a fresh database, where the partner sets a Publisher Name in
// Chromium as the import asks; the library then shows there, and exporting it again writes the
// same files, none holding a secret.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, launchBrowser, setUpAndSignIn } from './support.mjs';

let source; let target; let browser; let dir;
before(async () => {
  source = await startServer(['--demo']);
  target = await startServer();
  browser = await launchBrowser();
  dir = mkdtempSync(join(tmpdir(), 'pl-library-'));
});
after(async () => {
  await browser?.close();
  await source?.stop();
  await target?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Every file under a folder: relative path → text. */
function files(folder, prefix = '') {
  const out = {};
  for (const name of readdirSync(folder).sort()) {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) Object.assign(out, files(path, `${prefix}${name}/`));
    else out[`${prefix}${name}`] = readFileSync(path, 'utf8');
  }
  return out;
}

test('an exported library imports into a fresh database and exports the same files', async () => {
  const first = join(dir, 'first');
  assert.match(source.cli(['export', '--account', 'Demo Partner', '--to', first]), /Exported Demo Partner/);
  const tree = files(first);
  const names = Object.keys(tree);
  assert.ok(names.includes('library.json'));
  assert.ok(names.filter((n) => n.startsWith('publications/')).length >= 3, names.join(' '));
  for (const [name, text] of Object.entries(tree)) {
    // Connection passwords are null and password properties empty: no secret, clear or sealed.
    assert.doesNotMatch(text, /"password": "/, `${name} holds a password`);
    assert.doesNotMatch(text, /"kind": "password",\s*"value": "[^"]/, `${name} holds a password property`);
  }

  // A fresh database: the partner sets up through the page, the operator turns the library on.
  const context = await browser.newContext();
  const page = await context.newPage();
  await setUpAndSignIn(page, target.baseURL);
  target.cli(['enable-feature', '--account', 'Partner Co', 'process-library']);
  assert.throws(
    () => target.cli(['import', '--account', 'Partner Co', '--from', first]),
    (e) => /Publisher Name/.test(String(e.stderr)),
  );
  await page.goto(target.baseURL + '/settings/publisher');
  await page.getByLabel('Publisher Name', { exact: true }).fill('Partner Co Integrations');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByRole('status').filter({ hasText: 'Publisher profile saved.' }).waitFor();
  assert.match(target.cli(['import', '--account', 'Partner Co', '--from', first]), /created/);
  assert.match(target.cli(['import', '--account', 'Partner Co', '--from', first]), /no change/);

  // What was imported shows on the pages.
  await page.goto(target.baseURL + '/manage/process-library');
  await page.getByRole('link', { name: 'Sync Accounts to NetSuite', exact: true }).waitFor();
  await page.goto(target.baseURL + '/build');
  await page.getByRole('link', { name: 'Sync Accounts to NetSuite', exact: true }).first().waitFor();
  await context.close();

  const second = join(dir, 'second');
  target.cli(['export', '--account', 'Partner Co', '--to', second]);
  assert.deepEqual(files(second), tree);
});
