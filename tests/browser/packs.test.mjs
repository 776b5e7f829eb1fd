// Integration packs in Chromium: a partner creates a pack, adds a published process, releases
// it and shares it; a customer installs it and sets an extension; the partner publishes a new
// version and releases again; the background worker updates the customer's instance while
// its extension stays.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, signIn } from './support.mjs';

let server; let browser;
before(async () => { server = await startServer(['--demo']); browser = await launchBrowser(); });
after(async () => { await browser?.close(); await server?.stop(); });

async function as(email) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(server.baseURL + '/login');
  await signIn(page, email, 'demo-password');
  return { context, page };
}

async function release(page, notes) {
  await page.getByRole('link', { name: 'Release Integration Pack', exact: true }).click();
  await page.getByLabel('Release Notes', { exact: true }).fill(notes);
  await page.getByRole('button', { name: 'Release', exact: true }).click();
  await page.getByRole('status').filter({ hasText: /released/ }).waitFor();
}

test('a pack is released, installed, extended and updated in place', async () => {
  const partner = await as('admin@demo.test');
  const p = partner.page;
  await p.goto(server.baseURL + '/manage');
  await p.getByRole('navigation', { name: 'Section' }).getByRole('link', { name: 'Integration Packs', exact: true }).click();
  await p.getByRole('heading', { level: 1, name: 'Integration Packs' }).waitFor();
  await p.getByRole('link', { name: 'New Integration Pack', exact: true }).click();
  await p.getByLabel('Name', { exact: true }).fill('NetSuite Pack');
  await p.getByLabel('Description', { exact: true }).fill('Salesforce accounts into NetSuite.');
  await p.getByLabel('Installation Type', { exact: true }).selectOption({ label: 'Single attachment' });
  await p.getByRole('button', { name: 'Create Integration Pack', exact: true }).click();
  await p.getByRole('heading', { level: 1, name: 'NetSuite Pack' }).waitFor();
  await p.getByRole('link', { name: 'Add Published Processes', exact: true }).click();
  await p.getByLabel('Sync Accounts to NetSuite', { exact: true }).check();
  await p.getByRole('button', { name: 'Add Selected', exact: true }).click();
  const contents = p.getByRole('table', { name: 'Pack Contents' });
  await contents.getByRole('cell', { name: 'Sync Accounts to NetSuite', exact: true }).waitFor();
  await release(p, 'First release');
  const releases = p.getByRole('table', { name: 'Releases' });
  assert.match(await releases.textContent(), /Released/);
  // Shared through All Accounts.
  await p.goto(server.baseURL + '/settings/groups');
  await p.getByRole('link', { name: 'All Accounts', exact: true }).click();
  await p.getByRole('navigation', { name: 'Group' }).getByRole('link', { name: 'Resources', exact: true }).click();
  await p.getByRole('link', { name: 'Add Integration Packs', exact: true }).click();
  await p.getByLabel('NetSuite Pack', { exact: true }).check();
  await p.getByRole('button', { name: 'Add Selected', exact: true }).click();
  await p.getByRole('table', { name: 'Integration Packs' }).getByRole('link', { name: 'NetSuite Pack', exact: true }).waitFor();

  // Globex installs it and sets the connection's URL.
  const customer = await as('admin@globex.test');
  const c = customer.page;
  await c.goto(server.baseURL + '/manage/integration-packs');
  await c.getByRole('link', { name: 'Install NetSuite Pack', exact: true }).click();
  await c.getByRole('heading', { level: 1, name: 'Install NetSuite Pack' }).waitFor();
  await c.getByRole('button', { name: 'Install', exact: true }).click();
  await c.getByRole('heading', { level: 1, name: 'NetSuite Pack' }).waitFor();
  const facts = c.locator('dl.facts');
  assert.match(await facts.textContent(), /Release\s*1/);
  await c.getByRole('link', { name: 'Extensions', exact: true }).click();
  const salesforce = c.getByRole('group', { name: 'Salesforce Production' });
  await salesforce.getByLabel('URL', { exact: true }).fill('https://globex.my.salesforce.com');
  await salesforce.getByLabel('Password', { exact: true }).fill('globex-sf-secret');
  await c.getByRole('button', { name: 'Save Extensions', exact: true }).click();
  await c.getByRole('status').filter({ hasText: 'Extensions saved' }).waitFor();

  // The partner publishes version 3 and releases the pack again.
  await p.goto(server.baseURL + '/manage/process-library');
  await p.getByRole('link', { name: 'Sync Accounts to NetSuite', exact: true }).click();
  await p.getByRole('link', { name: 'Publish Package', exact: true }).click();
  await p.getByLabel('Package Version', { exact: true }).selectOption({ index: 2 });
  await p.getByRole('button', { name: 'Publish', exact: true }).click();
  await p.getByRole('status').filter({ hasText: 'Published as version 3.' }).waitFor();
  await p.goto(server.baseURL + '/manage/integration-packs');
  await p.getByRole('link', { name: 'NetSuite Pack', exact: true }).click();
  await release(p, 'Version 3 of the sync');

  // The worker updates Globex's instance: release 2, version 3, the extension kept.
  await c.goto(server.baseURL + '/manage/integration-packs');
  const installed = c.getByRole('table', { name: 'Installed Integration Packs' });
  for (let i = 0; i < 40; i += 1) {
    if (/NetSuite Pack\s*2/.test(await installed.textContent())) break;
    await c.waitForTimeout(250);
    await c.reload();
  }
  assert.match(await installed.textContent(), /NetSuite Pack\s*2/);
  await installed.getByRole('link', { name: 'NetSuite Pack', exact: true }).click();
  assert.match(await c.getByRole('table', { name: 'Installed Processes' }).textContent(), /Sync Accounts to NetSuite\s*3/);
  await c.getByRole('link', { name: 'Extensions', exact: true }).click();
  const after = c.getByRole('group', { name: 'Salesforce Production' });
  assert.equal(await after.getByLabel('URL', { exact: true }).inputValue(), 'https://globex.my.salesforce.com');
  assert.match(await after.textContent(), /Set\. Type a new one/);

  // The partner follows release 2 to its job, then deletes the pack: Globex keeps its instance.
  await p.reload();
  await p.getByRole('table', { name: 'Releases' }).getByRole('link', { name: 'View updates of release 2', exact: true }).click();
  await p.getByRole('heading', { level: 1, name: 'Release 2 of NetSuite Pack' }).waitFor();
  assert.equal(await p.getByRole('table', { name: 'Result per instance' }).getByRole('cell', { name: 'Updated', exact: true }).count(), 1);
  await p.getByRole('link', { name: 'Back to the integration pack', exact: true }).click();
  await p.getByRole('link', { name: 'Delete Integration Pack', exact: true }).click();
  await p.getByRole('heading', { level: 1, name: 'Delete NetSuite Pack' }).waitFor();
  assert.match(await p.locator('main').textContent(), /1 instance installed keep/);
  await p.getByRole('button', { name: 'Delete Integration Pack', exact: true }).click();
  await p.getByRole('status').filter({ hasText: 'NetSuite Pack deleted.' }).waitFor();
  await c.goto(server.baseURL + '/manage/integration-packs');
  assert.match(await c.getByRole('table', { name: 'Installed Integration Packs' }).textContent(), /NetSuite Pack\s*2/);
  await customer.context.close();
  await partner.context.close();
});
