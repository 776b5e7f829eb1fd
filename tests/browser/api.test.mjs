// The JSON API from outside: a customer makes a token on Settings > API Tokens in Chromium,
// a script lists, browses and installs with it over HTTP, the token is revoked on the page and
// refused from then on; openapi.json validates against the OpenAPI 3.1 schema.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Validator } from '@seriousme/openapi-schema-validator';
import { startServer, launchBrowser, signIn } from './support.mjs';

let server; let browser;
before(async () => { server = await startServer(['--demo']); browser = await launchBrowser(); });
after(async () => { await browser?.close(); await server?.stop(); });

const call = (path, token, init = {}) => fetch(server.baseURL + path, {
  ...init,
  headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(init.body ? { 'content-type': 'application/json' } : {}), ...(init.headers || {}) },
});

test('a token made on the page browses and installs, and is refused once revoked', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(server.baseURL + '/login');
  await signIn(page, 'admin@globex.test', 'demo-password');
  await page.goto(server.baseURL + '/settings');
  await page.getByRole('navigation', { name: 'Section' }).getByRole('link', { name: 'API Tokens', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'API Tokens' }).waitFor();
  await page.getByLabel('Token Name', { exact: true }).fill('Nightly CI');
  await page.getByLabel('Expires', { exact: true }).selectOption({ label: '30 days' });
  await page.getByLabel('Access', { exact: true }).selectOption({ label: 'Read and write' });
  await page.getByRole('button', { name: 'Create Token', exact: true }).click();
  const token = await page.getByLabel('Token', { exact: true }).inputValue();
  assert.match(token, /^plt_/);

  const accounts = await (await call('/api/v1/accounts', token)).json();
  const globex = accounts.accounts.find((a) => a.name === 'Globex Logistics');
  assert.ok(globex, JSON.stringify(accounts));
  const library = await call(`/api/v1/accounts/${globex.id}/library?sort=name`, token);
  assert.equal(library.status, 200);
  const { processes } = await library.json();
  const target = processes.find((p) => p.installed_version === null);
  assert.ok(target, 'a process Globex has not installed');
  const install = `/api/v1/accounts/${globex.id}/library/${target.id}/install`;
  const made = await call(install, token, { method: 'POST', body: JSON.stringify({ local_name: 'From CI' }), headers: { 'idempotency-key': 'run-1' } });
  assert.equal(made.status, 201, await made.clone().text());
  const again = await call(install, token, { method: 'POST', body: JSON.stringify({ local_name: 'From CI' }), headers: { 'idempotency-key': 'run-1' } });
  assert.equal((await again.json()).id, (await made.json()).id, 'installed once');
  const installations = await (await call(`/api/v1/accounts/${globex.id}/installations`, token)).json();
  assert.equal(installations.installations[0].local_name, 'From CI');

  // Another partner's account is out of reach.
  const others = await call('/api/v1/accounts', token).then((r) => r.json());
  assert.ok(!others.accounts.some((a) => a.name === 'Harbor Systems'));

  await page.goto(server.baseURL + '/settings/api-tokens');
  assert.equal(await page.locator('#new-token').count(), 0, 'shown once');
  await page.getByRole('link', { name: 'Revoke Nightly CI', exact: true }).click();
  await page.getByRole('button', { name: 'Revoke', exact: true }).click();
  await page.getByRole('status').filter({ hasText: 'Nightly CI revoked.' }).waitFor();
  const refused = await call('/api/v1/accounts', token);
  assert.equal(refused.status, 401);
  assert.equal(refused.headers.get('content-type'), 'application/problem+json');
  await context.close();
});

test('openapi.json validates as OpenAPI 3.1', async () => {
  const doc = await (await call('/api/v1/openapi.json')).json();
  assert.match(doc.openapi, /^3\.1\./);
  const validator = new Validator();
  const result = await validator.validate(doc);
  assert.ok(result.valid, JSON.stringify(result.errors, null, 2));
});
