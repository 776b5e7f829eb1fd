// A managed account's user browses the library shared with it, opens a process, installs it
// into a new folder, and finds the copy with its lineage; the share link opens the same page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, launchBrowser, signIn, artifacts } from './support.mjs';

let server; let browser;
before(async () => { server = await startServer(['--demo']); browser = await launchBrowser(); });
after(async () => { await browser?.close(); await server?.stop(); });

test('browse, view, install and find the installed copy', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(server.baseURL + '/login');
  await signIn(page, 'admin@globex.test', 'demo-password');
  await page.getByRole('link', { name: 'Browse Process Library', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Process Library' }).waitFor();
  const nightly = page.getByRole('article').filter({ has: page.getByRole('heading', { name: 'Nightly Account Sync' }) });
  assert.match(await nightly.textContent(), /Published on \d{4}-\d{2}-\d{2} by Demo Partner Integrations/);
  assert.match(await nightly.textContent(), /Installed · version 1/);
  assert.equal(await page.getByRole('article').count(), 3, "Globex sees what All Accounts shares (not the Retail group) and the platform's two processes");
  await page.getByRole('group', { name: 'Filter by Publisher' }).getByLabel('Demo Partner Integrations', { exact: true }).check();
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  assert.equal(await page.getByRole('article').count(), 1, 'only its partner’s process');

  await page.getByLabel('Search processes', { exact: true }).fill('nothing like this');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  assert.equal(await page.getByRole('article').count(), 0);
  await page.getByLabel('Search processes', { exact: true }).fill('NIGHTLY');
  await page.getByLabel('Sort by', { exact: true }).selectOption({ label: 'Process name' });
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  assert.equal(await page.getByRole('article').count(), 1);

  await page.getByRole('article').getByRole('link', { name: 'View', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Nightly Account Sync' }).waitFor();
  await page.getByRole('heading', { name: /^Included components: \d+$/ }).waitFor();
  await page.getByRole('img', { name: /Process diagram/ }).waitFor();
  const share = await page.getByLabel('Link to this process', { exact: true }).inputValue();

  await page.getByRole('link', { name: 'Install', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Install Nightly Account Sync' }).waitFor();
  assert.equal(await page.getByLabel('Process Name for Local Version', { exact: true }).inputValue(), 'Nightly Account Sync');
  await page.getByLabel('Installation Location', { exact: true }).selectOption({ label: 'Globex Logistics' });
  await page.getByLabel('New Folder', { exact: true }).fill('Partner Processes');
  await page.getByLabel('Process Name for Local Version', { exact: true }).fill('Nightly Sync (Globex)');
  await page.getByRole('button', { name: 'Install', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Installation Complete' }).waitFor();
  await page.screenshot({ path: join(artifacts, 'installed.png'), fullPage: true });
  await page.getByRole('link', { name: 'View Process', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Nightly Sync (Globex)' }).waitFor();
  assert.match(await page.getByRole('note').first().textContent(), /Installed from Nightly Account Sync version 1 \(Demo Partner Integrations\)/);

  await page.goto(share);
  await page.getByRole('heading', { level: 1, name: 'Nightly Account Sync' }).waitFor();
  await page.getByRole('link', { name: 'Back to Library', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Process Library' }).waitFor();
  await context.close();
});

test('a process not shared with the account answers the 404 page', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(server.baseURL + '/login');
  await signIn(page, 'admin@acme.test', 'demo-password');
  await page.getByRole('link', { name: 'Browse Process Library', exact: true }).click();
  const sync = page.getByRole('article').filter({ has: page.getByRole('heading', { name: 'Sync Accounts to NetSuite' }) });
  assert.match(await sync.textContent(), /Update available · version 2/);
  await sync.getByRole('link', { name: 'View', exact: true }).click();
  const url = page.url();
  await context.close();

  const other = await browser.newContext();
  const globex = await other.newPage();
  await globex.goto(server.baseURL + '/login');
  await signIn(globex, 'admin@globex.test', 'demo-password');
  await globex.getByRole('heading', { level: 1, name: 'Build' }).waitFor();
  const response = await globex.goto(url);
  assert.equal(response.status(), 404);
  await globex.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();
  await other.close();
});

test('the partner sees its own processes as its customers do, as cards with version and size', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(server.baseURL + '/login');
  await signIn(page, 'admin@demo.test', 'demo-password');
  await page.getByRole('link', { name: 'Browse Process Library', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Process Library' }).waitFor();
  await page.getByRole('note').getByRole('link', { name: 'Go to Manage > Process Library', exact: true }).waitFor();
  const sync = page.getByRole('article').filter({ has: page.getByRole('heading', { name: 'Sync Accounts to NetSuite' }) });
  assert.match(await sync.textContent(), /Version 2 · 9 components/);
  assert.equal(await sync.getByRole('link').count(), 0, 'nothing to open or install of its own');
  const platform = page.getByRole('article').filter({ has: page.getByRole('heading', { name: 'Daily Health Check' }) });
  assert.match(await platform.textContent(), /Platform/);
  await platform.getByRole('link', { name: 'Install', exact: true }).waitFor();
  await page.getByLabel('Search processes', { exact: true }).fill('nothing like this');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.getByText('No process matches.').waitFor();
  await page.getByRole('link', { name: 'Show everything' }).first().click();
  assert.ok(await page.getByRole('article').count() >= 2);
  await context.close();
});
