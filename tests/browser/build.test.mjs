// An administrator builds a connection with a password and a process that uses it, packages
// it as shareable 1.0, and sees a second 1.0 refused beside the field. The password never
// appears in any page or in the server's log.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, launchBrowser, setUpAndSignIn, artifacts } from './support.mjs';

const SENTINEL = 'SENTINEL-browser-Pa55-91c2';
let server; let browser;
before(async () => { server = await startServer([], { RUST_LOG: 'info' }); browser = await launchBrowser(); });
after(async () => { await browser?.close(); await server?.stop(); });

test('build a connection and a process, package it as shareable 1.0, refuse a second 1.0', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const bodies = [];
  page.on('response', async (response) => {
    if ((response.headers()['content-type'] || '').startsWith('text/html')) {
      bodies.push(await response.text().catch(() => ''));
    }
  });
  await setUpAndSignIn(page, server.baseURL);
  const main = page.getByRole('navigation', { name: 'Main' });

  await page.getByRole('link', { name: 'New Component', exact: true }).click();
  await page.getByLabel('Name', { exact: true }).fill('Salesforce Prod');
  await page.getByLabel('Type', { exact: true }).selectOption({ label: 'Connection' });
  await page.getByRole('button', { name: 'Create', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Salesforce Prod' }).waitFor();
  await page.getByLabel('Connector', { exact: true }).selectOption({ label: 'Salesforce' });
  await page.getByLabel('URL', { exact: true }).fill('https://login.salesforce.com');
  await page.getByLabel('User Name', { exact: true }).fill('integration@partner.test');
  await page.getByLabel('Password', { exact: true }).fill(SENTINEL);
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  assert.equal(await page.getByRole('status').textContent(), 'Salesforce Prod saved as revision 2.');
  assert.equal(await page.getByLabel('Password', { exact: true }).inputValue(), '');
  await page.getByText('A password is set.').waitFor();

  await main.getByRole('link', { name: 'Build', exact: true }).click();
  await page.getByRole('link', { name: 'New Component', exact: true }).click();
  await page.getByLabel('Name', { exact: true }).fill('Sync Accounts');
  await page.getByLabel('Type', { exact: true }).selectOption({ label: 'Process' });
  await page.getByRole('button', { name: 'Create', exact: true }).click();
  await page.getByLabel('Shape', { exact: true }).selectOption({ label: 'Connector' });
  await page.getByLabel('Component', { exact: true }).selectOption({ label: 'Salesforce Prod (Connection)' });
  await page.getByLabel('Label', { exact: true }).fill('Get accounts');
  await page.getByRole('button', { name: 'Add Shape', exact: true }).click();
  assert.equal(await page.getByRole('status').textContent(), 'Shape added.');
  await page.getByRole('img', { name: /Connector Get accounts \(Salesforce Prod\)/ }).waitFor();
  await page.screenshot({ path: join(artifacts, 'process.png'), fullPage: true });

  await page.getByRole('link', { name: 'Create Packaged Component', exact: true }).click();
  await page.getByLabel('Version', { exact: true }).fill('1.0');
  await page.getByLabel('Package Notes', { exact: true }).fill('First release');
  await page.getByLabel('Shareable', { exact: true }).check();
  await page.getByRole('button', { name: 'Create Packaged Component', exact: true }).click();
  assert.equal(await page.getByRole('status').textContent(), 'Packaged component created.');
  await page.getByRole('heading', { level: 1, name: 'Sync Accounts 1.0' }).waitFor();

  await main.getByRole('link', { name: 'Deploy', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Packaged Components' }).waitFor();
  const row = page.getByRole('row', { name: /Sync Accounts/ });
  assert.deepEqual(
    (await row.getByRole('cell').allTextContents()).filter((_, i) => [0, 1, 2, 5, 6].includes(i)),
    ['Sync Accounts', 'Process', '1.0', 'Allowed', 'Active'],
  );

  await page.getByRole('link', { name: 'Create Packaged Component', exact: true }).click();
  await page.getByLabel('Component', { exact: true }).selectOption({ label: 'Sync Accounts (Process)' });
  await page.getByLabel('Version', { exact: true }).fill('1.0');
  await page.getByRole('button', { name: 'Create Packaged Component', exact: true }).click();
  const version = page.getByLabel('Version', { exact: true });
  assert.equal(await version.getAttribute('aria-invalid'), 'true');
  const errorId = (await version.getAttribute('aria-describedby')).split(' ').pop();
  assert.equal(await page.locator(`#${errorId}`).textContent(), 'Version 1.0 already exists for Sync Accounts (deleted packages count too).');

  assert.ok(bodies.length >= 10, `pages were captured (${bodies.length})`);
  for (const body of bodies) assert.ok(!body.includes(SENTINEL), 'the password appears in a page');
  assert.match(server.stderr(), /POST \/build\/components\/\S+ HTTP\/1\.1/, 'the server logs its requests');
  assert.ok(!server.stderr().includes(SENTINEL), 'the password appears in the log');
  await context.close();
});
