// The Legacy deployment model in Chromium: the operator switches the partner to Legacy; its
// Manage > Process Library lists Publishable Components with their status; it publishes a
// process and an API service straight from their latest revisions (an unchanged one is
// refused), reads the components a publication froze, and adds the API service to an
// integration pack, while no group and no library ever offers it.
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

async function publishLatest(p, name, description) {
  await p.getByRole('link', { name, exact: true }).click();
  await p.getByRole('heading', { level: 2, name }).waitFor();
  await p.getByRole('link', { name: 'Publish Latest Revision', exact: true }).click();
  await p.getByRole('heading', { level: 1, name: 'Publish Latest Revision' }).waitFor();
  await p.getByLabel('Publication Description', { exact: true }).fill(description);
  await p.getByRole('button', { name: 'Publish Latest Revision', exact: true }).click();
  await p.getByRole('status').filter({ hasText: /Published as version \d+\./ }).waitFor();
}

test('a Legacy partner publishes without packaging; its API service joins a pack, never a library', async () => {
  assert.match(server.cli(['deployment-model', '--account', 'Demo Partner', 'legacy']), /legacy model/);
  const partner = await as('admin@demo.test');
  const p = partner.page;
  await p.goto(server.baseURL + '/manage/process-library');
  await p.getByRole('heading', { level: 2, name: 'Publishable Components' }).waitFor();

  // A process changed since its publication: listed as Published with Changes, then published.
  await p.getByLabel('Component Type', { exact: true }).selectOption({ label: 'Process' });
  await p.getByLabel('Status', { exact: true }).selectOption({ label: 'Published with Changes' });
  await p.getByRole('button', { name: 'Filter', exact: true }).click();
  const changed = p.locator('ul.packaged li');
  assert.match(await changed.first().textContent(), /Nightly Account Sync[\s\S]*Published with Changes/);
  await publishLatest(p, 'Nightly Account Sync', 'Every night, kept in step.');
  const history = p.getByRole('table', { name: 'Publication History' });
  for (const column of ['Publication Id', 'Include Passwords']) {
    await history.getByRole('columnheader', { name: column, exact: true }).waitFor();
  }
  await history.getByRole('row').nth(1).getByRole('link', { name: 'View Component Publications', exact: true }).click();
  await p.getByRole('heading', { level: 1, name: 'Components in this Publication Version' }).waitFor();
  await p.getByRole('cell', { name: /^Nightly Account Sync/ }).waitFor();

  // The API service: published, then nothing more to publish while nothing changed.
  await p.goto(server.baseURL + '/manage/process-library?kind=api_service');
  await publishLatest(p, 'Accounts API', 'Start the account sync on demand.');
  await p.getByRole('link', { name: 'Publish Latest Revision', exact: true }).click();
  await p.getByRole('note').filter({ hasText: 'Nothing to publish' }).waitFor();
  assert.equal(await p.getByRole('button', { name: 'Publish Latest Revision', exact: true }).count(), 0);

  // It joins an integration pack…
  await p.goto(server.baseURL + '/manage/integration-packs/new');
  await p.getByLabel('Name', { exact: true }).fill('Accounts Pack');
  await p.getByLabel('Installation Type', { exact: true }).selectOption({ label: 'Single attachment' });
  await p.getByRole('button', { name: 'Create Integration Pack', exact: true }).click();
  await p.getByRole('heading', { level: 1, name: 'Accounts Pack' }).waitFor();
  await p.getByRole('link', { name: 'Add Published Processes', exact: true }).click();
  await p.getByLabel('Accounts API (API Service)', { exact: true }).check();
  await p.getByRole('button', { name: 'Add Selected', exact: true }).click();
  await p.getByRole('table', { name: 'Pack Contents' }).getByRole('cell', { name: 'Accounts API', exact: true }).waitFor();

  // …but no group offers it, and no customer's library shows it.
  await p.goto(server.baseURL + '/settings/groups');
  await p.getByRole('link', { name: 'All Accounts', exact: true }).click();
  await p.getByRole('navigation', { name: 'Group' }).getByRole('link', { name: 'Resources', exact: true }).click();
  await p.getByRole('link', { name: 'Add Published Processes', exact: true }).click();
  await p.getByRole('heading', { level: 1, name: 'Add Published Processes' }).waitFor();
  assert.equal(await p.getByLabel(/Accounts API/).count(), 0, 'API services are never offered to a group');
  const customer = await as('admin@acme.test');
  await customer.page.goto(server.baseURL + '/build/library?sort=name');
  const names = await customer.page.locator('article h2').allTextContents();
  assert.ok(names.includes('Nightly Account Sync'), names.join(', '));
  assert.ok(!names.includes('Accounts API'), names.join(', '));
  await customer.context.close();
  await partner.context.close();
});
