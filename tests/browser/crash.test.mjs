// kill -9 of the server while installs are in flight, 20 times: every installation that exists
// is whole (all its components copied), the database passes its integrity checks, and the
// server starts again on the same database each time.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { BIN } from './support.mjs';

const PG_ADMIN = process.env.BROWSER_POSTGRES_URL || '';
const dir = mkdtempSync(join(tmpdir(), 'pl-crash-'));
let dropDb = () => {};
after(() => { dropDb(); rmSync(dir, { recursive: true, force: true }); });

function database() {
  if (PG_ADMIN) {
    const name = `pl_crash_${randomUUID().replaceAll('-', '')}`;
    execFileSync('psql', [PG_ADMIN, '-qc', `CREATE DATABASE "${name}"`]);
    const url = new URL(PG_ADMIN); url.pathname = `/${name}`;
    dropDb = () => execFileSync('psql', [PG_ADMIN, '-qc', `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`]);
    return url.toString();
  }
  return `sqlite://${join(dir, 'crash.db')}`;
}

const url = database();
const env = { ...process.env, DATABASE_URL: url, SECRET_KEY_FILE: join(dir, 'key'), PROCESS_LIBRARY_BCRYPT_COST: '4', RUST_LOG: 'warn' };

function sql(query) {
  if (PG_ADMIN) return execFileSync('psql', [url, '-qtAc', query]).toString().trim();
  return execFileSync('sqlite3', ['-batch', '-noheader', url.slice('sqlite://'.length), query]).toString().trim();
}

function serve() {
  const child = spawn(BIN, ['serve', '--bind', '127.0.0.1:0', '--demo'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('server did not start')), 30000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/Listening on (http:\/\/\S+)/);
      if (m) { clearTimeout(timer); resolve({ child, base: m[1] }); }
    });
  });
}

async function signIn(base) {
  const login = await fetch(`${base}/login`);
  const anon = login.headers.get('set-cookie').split(';')[0];
  const token = (await login.text()).match(/name="csrf_token" value="([^"]+)"/)[1];
  const res = await fetch(`${base}/login`, {
    method: 'POST', redirect: 'manual',
    headers: { cookie: anon, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrf_token: token, email: 'admin@acme.test', password: 'demo-password' }),
  });
  const cookie = res.headers.get('set-cookie').split(';')[0];
  const page = await (await fetch(`${base}/settings/password`, { headers: { cookie } })).text();
  return { cookie, csrf: page.match(/name="csrf_token" value="([^"]+)"/)[1] };
}

test('kill -9 during installs never leaves a partial installation', async () => {
  let installs = 0;
  for (let trial = 0; trial < 20; trial += 1) {
    const { child, base } = await serve();
    const { cookie, csrf } = await signIn(base);
    const process = sql("SELECT id FROM published_processes WHERE name = 'Sync Accounts to NetSuite'");
    const folder = sql("SELECT f.id FROM folders f JOIN accounts a ON a.id = f.account_id WHERE a.name = 'Acme Retail' AND f.parent_id IS NULL");
    const fire = () => fetch(`${base}/build/library/${process}/install`, {
      method: 'POST', redirect: 'manual',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf_token: csrf, token: randomUUID(), folder, new_folder: '', local_name: `Crash ${trial}` }),
    }).then((r) => { if (r.status === 303) installs += 1; }, () => {});
    const inflight = Array.from({ length: 6 }, fire);
    await new Promise((r) => setTimeout(r, 5 + Math.floor(Math.random() * 60)));
    child.kill('SIGKILL');
    await Promise.allSettled(inflight);
    if (child.exitCode === null && child.signalCode === null) await new Promise((r) => child.once('exit', r));
  }
  const partial = sql(`SELECT COUNT(*) FROM installations i JOIN publications p ON p.id = i.publication_id JOIN packages k ON k.id = p.package_id
    WHERE (SELECT COUNT(*) FROM installed_components c WHERE c.installation_id = i.id) <> k.component_count`);
  assert.equal(partial, '0', 'no installation misses components');
  const copies = Number(sql("SELECT COUNT(*) FROM components c JOIN accounts a ON a.id = c.account_id WHERE a.name = 'Acme Retail' AND c.name LIKE 'Crash %'"));
  const recorded = Number(sql("SELECT COUNT(*) FROM installations WHERE local_name LIKE 'Crash %'"));
  assert.equal(copies, recorded, 'every copied root belongs to a recorded installation');
  assert.ok(recorded >= installs, `${recorded} installations recorded, ${installs} acknowledged`);
  console.log(`${recorded} installations recorded over 20 crashes, ${installs} acknowledged before the kill`);
  if (!PG_ADMIN) {
    assert.equal(sql('PRAGMA integrity_check'), 'ok');
    assert.equal(sql('PRAGMA foreign_key_check'), '');
  }
  const { child, base } = await serve();
  const { cookie } = await signIn(base);
  assert.equal((await fetch(`${base}/build/library`, { headers: { cookie } })).status, 200, 'serves after the last crash');
  child.kill('SIGTERM');
});
