// The partner's side of sharing on the demo world: the Publisher tab, publishing and
// republishing on Manage > Process Library, and an account group with accounts, a user and a
// resource.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, launchBrowser, signIn, artifacts } from './support.mjs';

let server; let browser;
before(async () => { server = await startServer(['--demo']); browser = await launchBrowser(); });
after(async () => { await browser?.close(); await server?.stop(); });

async function partnerPage() {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(server.baseURL + '/login');
  await signIn(page, 'admin@demo.test', 'demo-password');
  await page.getByRole('heading', { level: 1, name: 'Build' }).waitFor();
  return { context, page };
}

test('publisher profile, publish, history and republish', async () => {
  const { context, page } = await partnerPage();
  const main = page.getByRole('navigation', { name: 'Main' });
  const section = page.getByRole('navigation', { name: 'Section' });
  await main.getByRole('link', { name: 'Settings', exact: true }).click();
  await section.getByRole('link', { name: 'Publisher', exact: true }).click();
  assert.equal(await page.getByLabel('Publisher Name', { exact: true }).inputValue(), 'Demo Partner Integrations');
  await page.getByLabel('Support URL', { exact: true }).fill('ftp://demo-partner.test/help');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  const url = page.getByLabel('Support URL', { exact: true });
  assert.equal(await url.getAttribute('aria-invalid'), 'true');
  const errorId = (await url.getAttribute('aria-describedby')).split(' ').pop();
  assert.equal(await page.locator(`#${errorId}`).textContent(), 'Support URL must be a web address starting with http:// or https://.');
  await url.fill('https://demo-partner.test/help');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  assert.equal(await page.getByRole('status').textContent(), 'Publisher profile saved.');

  await main.getByRole('link', { name: 'Manage', exact: true }).click();
  await section.getByRole('link', { name: 'Process Library', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Process Library' }).waitFor();
  await page.getByRole('link', { name: 'Sync Accounts to NetSuite', exact: true }).click();
  const link = page.getByLabel('Link to this process', { exact: true });
  assert.match(await link.inputValue(), /^http:\/\/127\.0\.0\.1:\d+\/build\/library\/[0-9a-f-]{36}$/);
  assert.equal(await link.getAttribute('readonly'), '');
  await page.getByRole('link', { name: 'Publish Package', exact: true }).click();
  // The form starts from the latest publication (version 2, package 1.1, with passwords).
  assert.equal(await page.getByLabel('Publication Description', { exact: true }).inputValue(),
    'Keeps NetSuite customers in step with Salesforce accounts; now retries on timeouts.');
  assert.equal(await page.getByLabel('Include passwords in publication', { exact: true }).isChecked(), true);
  const version = page.getByLabel('Package Version', { exact: true });
  await version.selectOption({ index: 1 });
  await page.getByRole('button', { name: 'Publish', exact: true }).click();
  // The package the latest publication already publishes is refused beside the field.
  assert.equal(await version.getAttribute('aria-invalid'), 'true');
  assert.equal(await page.locator('#f-package-error').textContent(),
    'Sync Accounts to NetSuite: version 2 already publishes package 1.1. Choose another package version.');
  await version.selectOption({ index: 2 });
  await page.getByLabel('Publication Description', { exact: true }).fill('Now with regional batching.');
  await page.getByLabel('Include passwords in publication', { exact: true }).check();
  await page.getByLabel('Publication Notes', { exact: true }).fill('Internal: second cut');
  await page.getByRole('button', { name: 'Publish', exact: true }).click();
  assert.equal(await page.getByRole('status').textContent(), 'Published as version 3.');
  const history = page.getByRole('table', { name: 'Publication History' });
  assert.equal(await history.getByRole('row').count(), 4, 'header and three publications');
  await history.getByRole('row').nth(3).getByRole('link', { name: 'Republish', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Republish Version 1' }).waitFor();
  await page.getByLabel('Publication Notes', { exact: true }).fill('Version 2 broke EMEA');
  await page.getByRole('button', { name: 'Republish', exact: true }).click();
  assert.equal(await page.getByRole('status').textContent(), 'Republished as version 4.');
  await page.getByRole('table', { name: 'Publication History' }).getByRole('row').nth(1).getByRole('link', { name: 'View Publication Details', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Publication Details' }).waitFor();
  await page.screenshot({ path: join(artifacts, 'publication.png'), fullPage: true });

  // Review and Publish: a row of choices per ticked process; a row that would publish its
  // latest package again refuses the whole batch.
  await section.getByRole('link', { name: 'Process Library', exact: true }).click();
  await page.getByLabel('Sync Accounts to NetSuite', { exact: true }).check();
  await page.getByLabel('Nightly Account Sync', { exact: true }).check();
  await page.getByRole('button', { name: 'Review and Publish', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Review and Publish' }).waitFor();
  assert.equal(await page.getByLabel('Include passwords in publication for Sync Accounts to NetSuite', { exact: true }).isChecked(), true,
    'the latest publication (version 4, republished from version 1) included passwords');
  await page.getByLabel('Package Version for Sync Accounts to NetSuite', { exact: true }).selectOption({ index: 0 });
  await page.getByRole('button', { name: 'Publish All', exact: true }).click();
  const summary = page.getByRole('alert');
  assert.equal(await summary.getByRole('heading').textContent(), 'There is a problem');
  await summary.getByRole('link', { name: 'Nightly Account Sync: version 1 already publishes package 1.0. Choose another package version.' }).click();
  const atFault = page.getByLabel('Package Version for Nightly Account Sync', { exact: true });
  assert.equal(new URL(page.url()).hash, '#' + await atFault.getAttribute('id'), 'the summary leads to the select at fault');
  assert.equal(await atFault.getAttribute('aria-invalid'), 'true');
  assert.match(await page.title(), /^Error: /);
  await page.screenshot({ path: join(artifacts, 'review-and-publish.png'), fullPage: true });
  await page.getByRole('link', { name: 'Cancel', exact: true }).click();
  await page.getByLabel('Sync Accounts to NetSuite', { exact: true }).check();
  await page.getByRole('button', { name: 'Review and Publish', exact: true }).click();
  await page.getByLabel('Package Version for Sync Accounts to NetSuite', { exact: true }).selectOption({ index: 0 });
  await page.getByRole('button', { name: 'Publish All', exact: true }).click();
  assert.equal(await page.getByRole('status').textContent(), 'Published 1 process.');
  await context.close();
});

test('an account group with accounts, a user and a shared process', async () => {
  const { context, page } = await partnerPage();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings', exact: true }).click();
  await page.getByRole('navigation', { name: 'Section' }).getByRole('link', { name: 'Account Groups', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Account Groups' }).waitFor();
  assert.equal(await page.getByRole('row').nth(1).getByRole('link').textContent(), 'All Accounts');
  await page.getByRole('link', { name: 'New Account Group', exact: true }).click();
  await page.getByLabel('Group Name', { exact: true }).fill('Gold Customers');
  await page.getByRole('button', { name: 'Create Group', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Gold Customers' }).waitFor();

  await page.getByRole('link', { name: 'Add Accounts', exact: true }).click();
  await page.getByLabel('Search accounts', { exact: true }).fill('globex');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.getByLabel('Globex Logistics', { exact: true }).check();
  await page.getByRole('button', { name: 'Add Selected', exact: true }).click();
  assert.equal(await page.getByRole('status').textContent(), '1 account added to the group.');
  await page.getByRole('table', { name: 'Accounts in Group' }).getByRole('cell', { name: 'Globex Logistics', exact: true }).waitFor();

  await page.getByLabel('Email', { exact: true }).fill('builder@demo.test');
  await page.getByLabel('Role', { exact: true }).selectOption({ label: 'Standard User' });
  await page.getByRole('button', { name: 'Add User to Group', exact: true }).click();
  await page.getByRole('table', { name: 'Users in Group' }).getByRole('cell', { name: 'builder@demo.test', exact: true }).waitFor();

  await page.getByRole('navigation', { name: 'Group' }).getByRole('link', { name: 'Resources', exact: true }).click();
  await page.getByRole('link', { name: 'Add Published Processes', exact: true }).click();
  assert.equal(await page.getByLabel('Accounts API', { exact: true }).count(), 0, 'API services are never offered');
  await page.getByLabel('Filter Processes', { exact: true }).fill('sync');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.getByLabel('Sync Accounts to NetSuite', { exact: true }).check();
  await page.getByRole('button', { name: 'Add Selected', exact: true }).click();
  const shared = page.getByRole('table', { name: 'Published Processes' });
  await shared.getByRole('cell', { name: 'Sync Accounts to NetSuite', exact: true }).waitFor();
  await page.screenshot({ path: join(artifacts, 'group-resources.png'), fullPage: true });
  await shared.getByRole('link', { name: 'Remove Sync Accounts to NetSuite' }).click();
  await page.getByRole('button', { name: 'Remove', exact: true }).click();
  assert.equal(await page.getByRole('status').textContent(), 'Sync Accounts to NetSuite is no longer shared with the group.');
  await context.close();
});

test('an error page keeps the menu, the account and Sign out', async () => {
  const { context, page } = await partnerPage();
  const response = await page.goto(server.baseURL + '/build/library/00000000-0000-0000-0000-000000000000');
  assert.equal(response.status(), 404);
  await page.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();
  assert.equal((await page.getByRole('alert').textContent()).trim(), 'There is nothing at this address, or you cannot see it.');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Manage', exact: true }).waitFor();
  await page.getByRole('button', { name: 'Sign out', exact: true }).waitFor();
  await page.screenshot({ path: join(artifacts, 'not-found-in-layout.png'), fullPage: true });
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Manage', exact: true }).click();
  await page.getByRole('heading', { level: 1 }).waitFor();
  await context.close();
});
