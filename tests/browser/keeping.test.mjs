// Keeping copies current, as partners and customers click through it: a deprecated process
// points to its successor, a second install reuses an existing connection, a partner installs
// a process for two customers at once, and Preview Library As shows a customer's library.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, launchBrowser, signIn, artifacts } from './support.mjs';

let server; let browser;
before(async () => { server = await startServer(['--demo']); browser = await launchBrowser(); });
after(async () => { await browser?.close(); await server?.stop(); });

async function as(email) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(server.baseURL + '/login');
  await signIn(page, email, 'demo-password');
  return { context, page };
}

async function noSideways(page, what) {
  const [scroll, inner] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  assert.ok(scroll <= inner, `${what}: ${scroll} px wide in a ${inner} px window`);
}

async function bothWidths(page, name) {
  await page.screenshot({ path: join(artifacts, `${name}-1280.png`), fullPage: true });
  await noSideways(page, `${name} at 1280 px`);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: join(artifacts, `${name}-390.png`), fullPage: true });
  await noSideways(page, `${name} at 390 px`);
  await page.setViewportSize({ width: 1280, height: 900 });
}

test('a deprecated process is hidden until asked for and points to its successor', async () => {
  const { context, page } = await as('admin@globex.test');
  await page.goto(server.baseURL + '/build/library');
  const names = async () => page.getByRole('article').getByRole('heading').allTextContents();
  await page.getByRole('group', { name: 'Filter by Publisher' }).getByLabel('Demo Partner Integrations', { exact: true }).check();
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  assert.deepEqual(await names(), ['Nightly Account Sync']);
  await page.getByLabel('Show deprecated', { exact: true }).check();
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  assert.deepEqual((await names()).sort(), ['Account Export to CSV', 'Nightly Account Sync']);
  const old = page.getByRole('article').filter({ has: page.getByRole('heading', { name: 'Account Export to CSV' }) });
  assert.match(await old.textContent(), /Deprecated/);
  await old.getByRole('link', { name: 'View', exact: true }).click();
  const note = page.getByRole('note').filter({ hasText: 'Deprecated:' });
  assert.match(await note.textContent(), /Replaced by Nightly Account Sync/);
  await bothWidths(page, 'deprecated-view');
  await note.getByRole('link', { name: 'Nightly Account Sync', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Nightly Account Sync' }).waitFor();
  await context.close();
});

test('a second install reuses an existing connection instead of copying it', async () => {
  const { context, page } = await as('admin@acme.test');
  const connections = async () => {
    await page.goto(server.baseURL + '/build');
    return page.getByRole('link', { name: /^Salesforce Production/ }).count();
  };
  assert.equal(await connections(), 1);
  await page.goto(server.baseURL + '/build/library');
  const sync = page.getByRole('article').filter({ has: page.getByRole('heading', { name: 'Sync Accounts to NetSuite' }) });
  await sync.getByRole('link', { name: 'Install Again', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Install Sync Accounts to NetSuite' }).waitFor();
  const salesforce = page.getByRole('group', { name: 'Salesforce Production', exact: true });
  assert.ok(await salesforce.getByRole('radio', { name: 'Create a copy', exact: true }).isChecked());
  await salesforce.getByRole('radio', { name: 'Use an existing connection', exact: true }).check();
  await salesforce.getByLabel('Existing connection for Salesforce Production', { exact: true }).selectOption({ label: 'Salesforce Production' });
  await bothWidths(page, 'install-bind');
  await page.getByRole('button', { name: 'Install', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Installation Complete' }).waitFor();
  assert.equal(await connections(), 1, 'the existing connection is used, not copied');
  await page.getByRole('link', { name: 'Sync Accounts to NetSuite 2', exact: true }).waitFor();
  await context.close();
});

test('a partner installs a process for two customers at once, and previews a library', async () => {
  const { context, page } = await as('admin@demo.test');
  await page.goto(server.baseURL + '/manage/process-library');
  await page.getByRole('link', { name: 'Nightly Account Sync', exact: true }).click();
  await page.getByRole('link', { name: 'Install for Accounts', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Install Nightly Account Sync for Accounts' }).waitFor();
  await page.getByLabel('Acme Retail', { exact: true }).check();
  await page.getByLabel('Globex Logistics', { exact: true }).check();
  await page.getByLabel('Folder Name', { exact: true }).fill('From Demo Partner');
  await bothWidths(page, 'install-for-accounts');
  await page.getByRole('button', { name: 'Install for Selected Accounts', exact: true }).click();
  const progress = page.locator('label[for=job-progress]');
  for (let i = 0; i < 40 && !/^Done/.test(await progress.textContent()); i += 1) {
    await page.waitForTimeout(250);
    await page.getByRole('link', { name: 'Refresh', exact: true }).click();
  }
  assert.equal(await progress.textContent(), 'Done: 2 of 2 accounts');
  const result = (account) => page.getByRole('row').filter({ has: page.getByRole('cell', { name: account, exact: true }) });
  assert.match(await result('Acme Retail').textContent(), /Installed as Nightly Account Sync/);
  assert.match(await result('Globex Logistics').textContent(), /Already installed \(version 1\)/);
  await bothWidths(page, 'job');

  await page.goto(server.baseURL + '/manage/process-library');
  await page.getByRole('link', { name: 'Preview Library As', exact: true }).click();
  await page.getByLabel('Preview as account', { exact: true }).selectOption({ label: 'Globex Logistics' });
  await page.getByRole('button', { name: 'Preview', exact: true }).click();
  assert.match(await page.getByRole('note').first().textContent(), /Preview: the library of Globex Logistics/);
  const previewed = await page.getByRole('article').getByRole('heading').allTextContents();
  const marks = await page.getByRole('article').locator('.marks').allTextContents();
  await bothWidths(page, 'preview');
  await context.close();

  const globex = await as('admin@globex.test');
  await globex.page.goto(server.baseURL + '/build/library');
  assert.deepEqual(previewed, await globex.page.getByRole('article').getByRole('heading').allTextContents());
  assert.deepEqual(marks, await globex.page.getByRole('article').locator('.marks').allTextContents());
  await globex.context.close();
});
