// A customer who adapted an installed process updates it in place to the partner's new
// version: the renamed step is taken, its own endpoint is kept, the conflicting batch size is
// settled with Keep mine, its passwords stay, and Update available is gone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, launchBrowser, signIn, artifacts } from './support.mjs';

let server; let browser;
before(async () => { server = await startServer(['--demo']); browser = await launchBrowser(); });
after(async () => { await browser?.close(); await server?.stop(); });

async function noSideways(page, what) {
  const [scroll, inner] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  assert.ok(scroll <= inner, `${what}: ${scroll} px wide in a ${inner} px window`);
}

test('an adapted copy updates in place, keeping what the customer chose', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(server.baseURL + '/login');
  await signIn(page, 'admin@acme.test', 'demo-password');
  await page.goto(server.baseURL + '/build');
  await page.getByRole('link', { name: 'Sync Accounts to NetSuite', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Sync Accounts to NetSuite' }).waitFor();
  const note = page.getByRole('note').filter({ hasText: 'Installed from' });
  assert.match(await note.textContent(), /Update available: version 2/);
  await note.getByRole('link', { name: 'Update', exact: true }).click();

  await page.getByRole('heading', { level: 1, name: 'Update Sync Accounts to NetSuite' }).waitFor();
  const row = (name) => page.getByRole('row').filter({ has: page.getByRole('link', { name, exact: true }) });
  assert.match(await row('NetSuite Sandbox').textContent(), /Changed here only: kept/);
  assert.match(await row('Sync Accounts to NetSuite').textContent(), /Takes the new version/);
  assert.match(await row('Sync Settings').textContent(), /Changed in both: choose/);
  const settings = page.getByRole('group', { name: 'Sync Settings', exact: true });
  const properties = settings.getByRole('group', { name: 'Properties', exact: true });
  assert.ok(await properties.getByRole('radio', { name: 'Keep mine', exact: true }).isChecked());
  assert.match(await properties.textContent(), /Name: batch_size, Kind: text, Value: 500/);
  assert.match(await properties.textContent(), /Value: 100/);
  await page.screenshot({ path: join(artifacts, 'update-1280.png'), fullPage: true });
  await noSideways(page, 'Update at 1280 px');
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: join(artifacts, 'update-390.png'), fullPage: true });
  await noSideways(page, 'Update at 390 px');
  await page.setViewportSize({ width: 1280, height: 900 });

  await properties.getByRole('radio', { name: 'Keep mine', exact: true }).check();
  await page.getByRole('button', { name: 'Update', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Sync Accounts to NetSuite' }).waitFor();
  assert.match(await page.getByRole('status').textContent(), /updated to version 2/);
  assert.doesNotMatch(await page.locator('main').textContent(), /Update available/);
  assert.match(await page.locator('main').textContent(), /Upsert customers, retrying timeouts/);

  await page.goto(server.baseURL + '/build');
  await page.getByRole('link', { name: 'Sync Settings', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Sync Settings' }).waitFor();
  assert.equal(await page.getByLabel('Property 1 value', { exact: true }).inputValue(), '500');
  assert.match(await page.locator('main').textContent(), /A value is set\./, 'the notify token is kept');

  await page.goto(server.baseURL + '/build');
  await page.getByRole('link', { name: 'NetSuite Sandbox', exact: true }).click();
  await page.getByRole('link', { name: 'Compare with source', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Compare NetSuite Sandbox with source' }).waitFor();
  const url = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'URL', exact: true }) });
  assert.match(await url.textContent(), /webservices\.sandbox\.netsuite\.com.*webservices\.netsuite\.com/);
  await page.screenshot({ path: join(artifacts, 'compare-source-1280.png'), fullPage: true });
  await context.close();
});
