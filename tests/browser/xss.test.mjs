// Markup typed by a user into names, labels, notes and addresses, as an attacker would, is shown
// as text in a real browser: no dialog opens, no element of the payload joins the page (its
// ids all start with "xss"), on every page that shows it and in reflected query parameters.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, launchBrowser, signIn, artifacts, PASSWORD } from './support.mjs';

const img = (n) => `<img src=x id=xss${n} onerror="alert(${n})">`;
const script = (n) => `"><script id=xss${n}>alert(${n})</script>`;
const svg = (n) => `<svg id=xss${n} onload="alert(${n})"></svg>`;

let server; let browser;
before(async () => { server = await startServer(); browser = await launchBrowser(); });
after(async () => { await browser?.close(); await server?.stop(); });

/** Opens a page and checks that nothing of a payload runs or becomes an element. */
async function clean(page, dialogs, path) {
  const response = await page.goto(server.baseURL + path);
  assert.ok(response.status() < 500, `${path} answered ${response.status()}`);
  const injected = await page.locator('[id^="xss"]').count();
  assert.equal(injected, 0, `${path} holds an injected element`);
  assert.deepEqual(dialogs, [], `${path} opened a dialog`);
  return response;
}

test('payloads in names, labels, notes and query parameters never run nor become elements', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const dialogs = [];
  page.on('dialog', async (dialog) => { dialogs.push(dialog.message()); await dialog.dismiss(); });

  // The account and its administrator, named with payloads at set-up.
  await page.goto(server.baseURL + '/');
  await page.getByLabel('Account Name', { exact: true }).fill(`Partner ${img(1)}`);
  await page.getByLabel('Administrator Email', { exact: true }).fill('ada@partner.test');
  await page.getByLabel('Administrator Name', { exact: true }).fill(`Ada ${script(2)}`);
  await page.getByLabel('Administrator Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Set up', exact: true }).click();
  await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
  await signIn(page, 'ada@partner.test', PASSWORD);
  await page.getByRole('heading', { level: 1, name: 'Build' }).waitFor();
  const main = page.getByRole('navigation', { name: 'Main' });

  // A connection and a process named with payloads; a shape labelled with one (the SVG).
  await page.getByRole('link', { name: 'New Component', exact: true }).click();
  await page.getByLabel('Name', { exact: true }).fill(`Conn ${img(3)}`);
  await page.getByLabel('Type', { exact: true }).selectOption({ label: 'Connection' });
  await page.getByRole('button', { name: 'Create', exact: true }).click();
  await page.getByRole('button', { name: 'Save', exact: true }).waitFor();
  const connection = new URL(page.url()).pathname;
  await main.getByRole('link', { name: 'Build', exact: true }).click();
  await page.getByRole('link', { name: 'New Component', exact: true }).click();
  await page.getByLabel('Name', { exact: true }).fill(`Proc ${svg(4)}`);
  await page.getByLabel('Type', { exact: true }).selectOption({ label: 'Process' });
  await page.getByRole('button', { name: 'Create', exact: true }).click();
  await page.getByLabel('Shape', { exact: true }).selectOption({ label: 'Connector' });
  await page.getByLabel('Component', { exact: true }).selectOption({ index: 1 });
  await page.getByLabel('Label', { exact: true }).fill(`Get ${img(5)}`);
  await page.getByRole('button', { name: 'Add Shape', exact: true }).click();
  assert.equal(await page.getByRole('status').textContent(), 'Shape added.');
  const process = new URL(page.url()).pathname;
  await page.getByRole('img', { name: /Connector Get <img src=x id=xss5/ }).waitFor();

  // A package with payload notes, and a user with a payload name.
  await page.getByRole('link', { name: 'Create Packaged Component', exact: true }).click();
  await page.getByLabel('Version', { exact: true }).fill('1.0');
  await page.getByLabel('Package Notes', { exact: true }).fill(`Notes ${script(6)}\n${img(7)}`);
  await page.getByRole('button', { name: 'Create Packaged Component', exact: true }).click();
  await page.getByRole('status').waitFor();
  await main.getByRole('link', { name: 'Settings', exact: true }).click();
  await page.getByRole('navigation', { name: 'Section' }).getByRole('link', { name: 'Users', exact: true }).click();
  await page.getByLabel('Email', { exact: true }).fill('eve@partner.test');
  await page.getByLabel('Name', { exact: true }).fill(`Eve ${img(8)}`);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Add User', exact: true }).click();
  assert.equal(await page.getByRole('status').textContent(), 'User eve@partner.test added.');

  // Every page that shows them, and addresses that reflect a query parameter.
  for (const path of ['/build', connection, process, '/deploy', '/settings', '/settings/users',
    '/settings/audit', '/settings/roles', '/switch']) {
    await clean(page, dialogs, path);
  }
  await clean(page, dialogs, '/settings/users');
  await page.getByRole('cell', { name: `Eve ${img(8)}`, exact: true }).waitFor();
  await clean(page, dialogs, process);
  assert.equal(await page.locator('svg [id^="xss"], svg script, svg foreignObject').count(), 0);
  for (const [n, path] of [
    [9, '/build?q='], [10, '/switch?q='], [11, '/deploy?q='], [12, '/manage/process-library?q='],
    [13, '/settings/audit?email='], [14, '/build/library?q='],
  ]) {
    await clean(page, dialogs, path + encodeURIComponent(`${script(n)}${img(n + 100)}`));
  }
  await page.goto(server.baseURL + '/build?q=' + encodeURIComponent(img(15)));
  assert.equal(await page.getByRole('searchbox').or(page.getByLabel('Search', { exact: false })).first().inputValue(),
    img(15), 'the search box shows the text as typed');
  await page.screenshot({ path: join(artifacts, 'xss.png'), fullPage: true });
  assert.deepEqual(dialogs, []);
  await context.close();
});
