// Categories and tags in Chromium: the partner sets a process's category and tags on Manage >
// Process Library; a customer narrows the library by category, then by tag, with counts that
// follow each choice, and clears them.
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

test('a customer narrows the library by category and tag', async () => {
  const partner = await as('admin@demo.test');
  const p = partner.page;
  await p.goto(server.baseURL + '/manage/process-library');
  await p.getByRole('link', { name: 'Sync Accounts to NetSuite', exact: true }).click();
  await p.getByLabel('Category', { exact: true }).selectOption({ label: 'ERP' });
  await p.getByLabel('Tags', { exact: true }).fill('NetSuite, Salesforce, hourly');
  await p.getByRole('button', { name: 'Save Category and Tags', exact: true }).click();
  await p.getByRole('status').filter({ hasText: 'Category and tags of Sync Accounts to NetSuite saved.' }).waitFor();

  const customer = await as('admin@acme.test');
  const c = customer.page;
  await c.goto(server.baseURL + '/build/library?sort=name');
  const facets = c.getByRole('navigation', { name: 'Facets' });
  await facets.getByRole('link', { name: 'ERP (1)', exact: true }).click();
  assert.deepEqual(await c.locator('article h2').allTextContents(), ['Sync Accounts to NetSuite']);
  await facets.getByRole('link', { name: 'Any category', exact: true }).click();
  await facets.getByRole('list', { name: 'Tags' }).getByRole('link', { name: /^Salesforce \(\d+\)$/ }).click();
  const tagged = await c.locator('article h2').allTextContents();
  assert.ok(tagged.includes('Nightly Account Sync') && tagged.includes('Sync Accounts to NetSuite'), tagged.join(', '));
  // Under the tag, the categories count only what carries it.
  const counts = await facets.getByRole('list').first().locator('li').allTextContents();
  const total = counts.map((t) => Number((t.match(/\((\d+)\)/) || [0, 0])[1])).reduce((a, b) => a + b, 0);
  assert.equal(total, tagged.length, `${counts.join(' · ')} add up to the cards shown`);
  await c.getByLabel('Search processes', { exact: true }).fill('nightly');
  await c.getByRole('button', { name: 'Search', exact: true }).click();
  assert.deepEqual(await c.locator('article h2').allTextContents(), ['Nightly Account Sync']);
  assert.match(c.url(), /tag=Salesforce/);

  // The Connector facet counts what each process's latest publication connects to.
  await c.goto(server.baseURL + '/build/library?sort=name');
  const connectors = facets.getByRole('list', { name: 'Connector' });
  const offered = await connectors.locator('li').allTextContents();
  assert.ok(offered.length >= 2, offered.join(' · '));
  const [label, count] = offered[0].match(/^(.*) \((\d+)\)$/).slice(1);
  await connectors.getByRole('link', { name: offered[0], exact: true }).click();
  assert.equal((await c.locator('article h2').allTextContents()).length, Number(count), `${label}: the count is the cards shown`);
  assert.match(c.url(), /connector=/);
  await connectors.getByRole('link', { name: 'Any connector', exact: true }).click();
  assert.doesNotMatch(c.url(), /connector=/);
  await customer.context.close();
  await partner.context.close();
});
