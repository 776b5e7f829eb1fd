// A primary administrator's first day: set-up, sign-in, a managed account, a custom role,
// a user, and switching accounts — through the UI contract's names only.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, launchBrowser, setUpAndSignIn, signIn, artifacts, PASSWORD } from './support.mjs';

let server; let browser;
before(async () => { server = await startServer(); browser = await launchBrowser(); });
after(async () => { await browser?.close(); await server?.stop(); });

test('set-up, managed account, custom role, user and account switch', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await setUpAndSignIn(page, server.baseURL);

  const main = page.getByRole('navigation', { name: 'Main' });
  for (const name of ['Build', 'Deploy', 'Manage', 'Settings']) {
    await main.getByRole('link', { name, exact: true }).waitFor();
  }
  await page.getByRole('heading', { level: 1, name: 'Build' }).waitFor();
  assert.equal(await page.getByRole('combobox', { name: 'Account', exact: true }).count(), 0, 'one account: no switcher');

  await main.getByRole('link', { name: 'Settings', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Account Information and Setup' }).waitFor();
  const section = page.getByRole('navigation', { name: 'Section' });
  await section.getByRole('link', { name: 'Accounts', exact: true }).click();
  await page.getByRole('link', { name: 'New Managed Account', exact: true }).click();
  await page.getByLabel('Account Name', { exact: true }).fill('Customer One');
  await page.getByLabel('Administrator Email', { exact: true }).fill('ada@partner.test');
  await page.getByRole('button', { name: 'Create Account', exact: true }).click();
  const created = await page.getByRole('status').textContent();
  assert.match(created, /Managed account Customer One created/);
  await page.getByRole('cell', { name: 'Customer One', exact: true }).waitFor();

  await section.getByRole('link', { name: 'Roles', exact: true }).click();
  await page.getByRole('link', { name: 'New Role', exact: true }).click();
  await page.getByLabel('Role Name', { exact: true }).fill('Auditor');
  await page.getByLabel('Build Read Access', { exact: true }).check();
  await page.getByLabel('View Audit Logs', { exact: true }).check();
  await page.getByRole('button', { name: 'Create Role', exact: true }).click();
  assert.equal(await page.getByRole('status').textContent(), 'Role Auditor created.');
  // Deleting a role asks first; Cancel changes nothing.
  await page.getByRole('link', { name: 'New Role', exact: true }).click();
  await page.getByLabel('Role Name', { exact: true }).fill('Temporary');
  await page.getByLabel('View Audit Logs', { exact: true }).check();
  await page.getByRole('button', { name: 'Create Role', exact: true }).click();
  await page.getByRole('link', { name: 'Temporary', exact: true }).click();
  await page.getByRole('link', { name: 'Delete Role', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Delete role Temporary' }).waitFor();
  await page.getByRole('link', { name: 'Cancel', exact: true }).click();
  await page.getByRole('link', { name: 'Delete Role', exact: true }).click();
  await page.getByRole('button', { name: 'Delete', exact: true }).click();
  assert.equal(await page.getByRole('status').textContent(), 'Role Temporary deleted.');

  await section.getByRole('link', { name: 'Users', exact: true }).click();
  await page.getByLabel('Email', { exact: true }).fill('eve@partner.test');
  await page.getByLabel('Name', { exact: true }).fill('Eve Auditor');
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByLabel('Role', { exact: true }).selectOption({ label: 'Auditor' });
  await page.getByRole('button', { name: 'Add User', exact: true }).click();
  assert.equal(await page.getByRole('status').textContent(), 'User eve@partner.test added.');
  await page.getByRole('row', { name: /eve@partner\.test Eve Auditor Auditor/ }).waitFor();

  const switcher = page.getByRole('combobox', { name: 'Account', exact: true });
  await switcher.selectOption({ label: 'Customer One' });
  await page.getByRole('button', { name: 'Switch', exact: true }).click();
  assert.equal(await page.getByRole('status').textContent(), 'You are now working in Customer One.');
  assert.equal(await page.locator('.current-account').textContent(), 'Current account: Customer One');
  await page.screenshot({ path: join(artifacts, 'switched.png'), fullPage: true });

  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
  await signIn(page, 'eve@partner.test', PASSWORD);
  await page.getByRole('heading', { level: 1, name: 'Build' }).waitFor();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings', exact: true }).click();
  await page.getByRole('navigation', { name: 'Section' }).getByRole('link', { name: 'Audit Log', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Audit Log' }).waitFor();
  await page.getByRole('cell', { name: 'Role created', exact: true }).first().waitFor();
  assert.equal(await page.getByRole('link', { name: 'Users', exact: true }).count(), 0, 'Auditor has no User Management');
  await context.close();
});
