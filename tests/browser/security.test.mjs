// Security as seen from outside, in a real browser: headers, cookie flags, a dead cookie after
// sign-out, forged and cross-site POSTs, throttling, the 404 page, odd input.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, setUpAndSignIn, signIn, PASSWORD } from './support.mjs';

let server; let browser;
before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  const context = await browser.newContext();
  await setUpAndSignIn(await context.newPage(), server.baseURL);
  await context.close();
});
after(async () => { await browser?.close(); await server?.stop(); });

test('the sign-in page sends the security headers and flagged cookies, and signing in issues the session', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const response = await page.goto(server.baseURL + '/login');
  const headers = response.headers();
  assert.match(headers['content-security-policy'], /frame-ancestors 'none'/);
  assert.doesNotMatch(headers['content-security-policy'], /unsafe-inline/);
  assert.equal(headers['x-content-type-options'], 'nosniff');
  assert.equal(headers['referrer-policy'], 'same-origin');
  // An anonymous view gets only the signed CSRF cookie of the sign-in form, no session.
  const anonymous = await context.cookies();
  assert.deepEqual(anonymous.map((c) => c.name), ['pl_csrf']);
  assert.equal(anonymous[0].httpOnly, true);
  assert.equal(anonymous[0].sameSite, 'Lax');
  await signIn(page, 'ada@partner.test', PASSWORD);
  await page.getByRole('heading', { level: 1, name: 'Build' }).waitFor();
  const session = (await context.cookies()).find((c) => c.name === 'pl_session');
  assert.ok(session, 'a session cookie after sign-in');
  assert.equal(session.httpOnly, true);
  assert.equal(session.sameSite, 'Lax');
  await context.close();
});

test('a copied cookie is dead after sign-out', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(server.baseURL + '/login');
  await signIn(page, 'ada@partner.test', PASSWORD);
  await page.getByRole('heading', { level: 1, name: 'Build' }).waitFor();
  const copied = await context.cookies();
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
  const thief = await browser.newContext();
  await thief.addCookies(copied);
  const stolen = await thief.newPage();
  await stolen.goto(server.baseURL + '/settings');
  assert.equal(new URL(stolen.url()).pathname, '/login');
  await thief.close();
  await context.close();
});

test('forged and cross-site posts are refused and change nothing', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(server.baseURL + '/login');
  await signIn(page, 'ada@partner.test', PASSWORD);
  await page.getByRole('heading', { level: 1, name: 'Build' }).waitFor();
  const forged = await page.request.post(server.baseURL + '/settings/roles/new', {
    form: { csrf_token: 'forged', role_name: 'Forged', privilege: 'build_read' },
  });
  assert.equal(forged.status(), 403);
  const crossSite = await page.request.post(server.baseURL + '/settings/roles/new', {
    form: { role_name: 'Cross', privilege: 'build_read' },
    headers: { Origin: 'https://evil.example' },
  });
  assert.equal(crossSite.status(), 403);

  const attacker = await context.newPage();
  await attacker.goto('about:blank');
  await attacker.setContent(`<form method="post" action="${server.baseURL}/settings/roles/new">
    <input name="role_name" value="Attack"><input name="privilege" value="build_read"><button>Go</button></form>`);
  const [response] = await Promise.all([attacker.waitForNavigation(), attacker.getByRole('button', { name: 'Go' }).click()]);
  assert.equal(response.status(), 403);

  await page.goto(server.baseURL + '/settings/roles');
  for (const name of ['Forged', 'Cross', 'Attack']) {
    assert.equal(await page.getByRole('cell', { name, exact: true }).count(), 0);
  }
  await context.close();
});

test('repeated wrong passwords are throttled', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(server.baseURL + '/login');
  for (let i = 0; i < 4; i += 1) {
    await signIn(page, 'victim@partner.test', 'wrong password');
    assert.equal(await page.getByRole('alert').textContent(), 'Invalid email or password');
  }
  await signIn(page, 'victim@partner.test', 'wrong password');
  assert.match(await page.getByRole('alert').textContent(), /^Too many failed sign-in attempts/);
  await context.close();
});

test('an unknown address shows a 404 page', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const response = await page.goto(server.baseURL + '/no/such/page');
  assert.equal(response.status(), 404);
  await page.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();
  await context.close();
});

test('odd and oversized input is answered beside the field, escaped, without a 500', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  let dialogs = 0;
  page.on('dialog', async (d) => { dialogs += 1; await d.dismiss(); });
  await page.goto(server.baseURL + '/login');
  await signIn(page, 'ada@partner.test', PASSWORD);
  await page.goto(server.baseURL + '/settings/users');
  const payload = '<img src=x onerror=alert(1)>';
  await page.getByLabel('Email', { exact: true }).fill('new@partner.test');
  const nameField = page.getByLabel('Name', { exact: true });
  await nameField.evaluate((el) => el.removeAttribute('maxlength'));
  await nameField.fill(payload + 'n'.repeat(400));
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  const [response] = await Promise.all([
    page.waitForNavigation(),
    page.getByRole('button', { name: 'Add User', exact: true }).click(),
  ]);
  assert.equal(response.status(), 422);
  const name = page.getByLabel('Name', { exact: true });
  assert.equal(await name.getAttribute('aria-invalid'), 'true');
  const describedBy = await name.getAttribute('aria-describedby');
  assert.match(await page.locator(`#${describedBy.split(' ').pop()}`).textContent(), /at most 100 characters/);
  assert.equal(await page.locator('img[src=x]').count(), 0);
  assert.equal(dialogs, 0);
  await context.close();
});

test('a page asked for while signed out is where signing in leads back to', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(server.baseURL + '/settings/users?from=link');
  await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
  await signIn(page, 'ada@partner.test', PASSWORD);
  await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
  const url = new URL(page.url());
  assert.equal(url.pathname + url.search, '/settings/users?from=link');
  await context.close();
});
