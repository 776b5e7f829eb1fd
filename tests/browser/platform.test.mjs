// The platform publisher: a customer of another partner finds the platform's process in its
// library beside its own partner's, under the platform's name, and installs it; the platform
// sees its system group and installs per partner, never another partner's customers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, signIn } from './support.mjs';

let server; let browser;
before(async () => { server = await startServer(['--demo']); browser = await launchBrowser(); });
after(async () => { await browser?.close(); await server?.stop(); });

test("another partner's customer installs the platform's process beside its partner's", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(server.baseURL + '/login');
  await signIn(page, 'admin@globex.test', 'demo-password');
  await page.goto(server.baseURL + '/build/library');
  const publishers = page.getByRole('group', { name: 'Filter by Publisher' });
  await publishers.getByLabel('Demo Partner Integrations', { exact: true }).waitFor();
  await publishers.getByLabel(/^Atlas Platform Processes/).waitFor();
  const health = page.getByRole('article').filter({ has: page.getByRole('heading', { name: 'Daily Health Check' }) });
  assert.match(await health.textContent(), /by Atlas Platform Processes/);
  assert.match(await health.textContent(), /Platform/);
  await page.getByRole('article').filter({ has: page.getByRole('heading', { name: 'Nightly Account Sync' }) }).waitFor();

  await publishers.getByLabel(/^Atlas Platform Processes/).check();
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  assert.deepEqual((await page.getByRole('article').getByRole('heading').allTextContents()).sort(),
    ['Daily Health Check', 'Error Alert by Mail']);

  await health.getByRole('link', { name: 'Install', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Install Daily Health Check' }).waitFor();
  await page.getByRole('button', { name: 'Install', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Installation Complete' }).waitFor();
  await page.goto(server.baseURL + '/build');
  await page.getByRole('link', { name: /^Daily Health Check/ }).first().waitFor();
  await context.close();
});

test('the platform sees its system group and installs per partner, never a customer of another', async () => {
  const customer = await browser.newContext();
  const buyer = await customer.newPage();
  await buyer.goto(server.baseURL + '/login');
  await signIn(buyer, 'admin@acme.test', 'demo-password');
  await buyer.goto(server.baseURL + '/build/library');
  await buyer.getByRole('article').filter({ has: buyer.getByRole('heading', { name: 'Error Alert by Mail' }) })
    .getByRole('link', { name: 'Install', exact: true }).click();
  await buyer.getByRole('button', { name: 'Install', exact: true }).click();
  await buyer.getByRole('heading', { level: 1, name: 'Installation Complete' }).waitFor();
  await customer.close();

  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(server.baseURL + '/login');
  await signIn(page, 'ops@atlas.test', 'demo-password');
  await page.goto(server.baseURL + '/settings/groups');
  const first = page.getByRole('row').nth(1);
  assert.match(await first.textContent(), /All Platform Accounts/);
  await first.getByRole('link', { name: 'All Platform Accounts', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'All Platform Accounts' }).waitFor();
  assert.equal(await page.getByRole('heading', { name: 'Users in Group' }).count(), 0);
  await page.getByText(/every account of every partner/).first().waitFor();

  await page.goto(server.baseURL + '/manage/process-library');
  await page.getByRole('link', { name: 'Error Alert by Mail', exact: true }).click();
  await page.getByRole('link', { name: /Install Analytics/ }).click();
  const body = await page.locator('main').textContent();
  assert.match(body, /An account of Demo Partner/);
  assert.doesNotMatch(body, /Acme/);
  await context.close();
});
