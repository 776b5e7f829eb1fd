// Runs the W3C Nu Html Checker (vnu.jar, with Java) once over the HTML of every kind of page the
// browser tests visited (kept by support.mjs), and fails on any error. With `--clear` it empties
// that folder instead, before a run.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { pagesDir } from './support.mjs';

if (process.argv.includes('--clear')) {
  rmSync(pagesDir, { recursive: true, force: true });
  mkdirSync(pagesDir, { recursive: true });
  process.exit(0);
}

const files = readdirSync(pagesDir).filter((f) => f.endsWith('.html')).map((f) => join(pagesDir, f));
if (files.length === 0) {
  console.error('no page was kept for the HTML checker: the browser tests visited nothing');
  process.exit(1);
}
const jar = String(createRequire(import.meta.url)('vnu-jar'));
// The checker writes its JSON report to standard error.
const run = spawnSync('java', ['-jar', jar, '--format', 'json', '--exit-zero-always', ...files],
  { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
if (run.error || run.status !== 0) {
  console.error(`the HTML checker did not run: ${run.error || run.stderr}`);
  process.exit(1);
}
const report = JSON.parse(run.stderr);
const errors = report.messages.filter((m) => m.type === 'error' || m.subType === 'fatal');
for (const m of errors) {
  const file = (m.url || '').replace(/^file:/, '');
  const kind = file ? readFileSync(file.replace(/\.html$/, '.kind'), 'utf8') : '?';
  console.error(`${kind}:${m.lastLine ?? '?'}: ${m.message}${m.extract ? `\n    ${m.extract.trim()}` : ''}`);
}
console.log(`Nu Html Checker: ${files.length} pages, ${errors.length} errors`);
process.exit(errors.length ? 1 : 0);
