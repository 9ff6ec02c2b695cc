// Starts what a journey needs: a fresh PostgreSQL database, the national node
// (oidc-provider), okienko itself (the debug binary cargo built) configured to log in
// through that node, and Debian's chromium through playwright-core.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir, homedir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { startOp } from './op.mjs';

const PG = process.env.OKIENKO_E2E_PG ?? 'postgres://postgres@127.0.0.1:5432';
export const BIN = process.env.OKIENKO_BIN
  ?? join(process.env.CARGO_TARGET_DIR ?? join(homedir(), '.cache', 'okienko-target'), 'debug', 'okienko');

const freePort = () => new Promise((ok, fail) => {
  const s = createServer();
  s.on('error', fail);
  s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => ok(port)); });
});

async function waitReady(url, child, log) {
  // a fresh database is migrated first: on a loaded two-core machine that can take a while
  for (let i = 0; i < 600; i += 1) {
    if (child.exitCode !== null) throw new Error(`okienko exited with ${child.exitCode}:\n${log.join('')}`);
    try { if ((await fetch(url)).ok) return; } catch { /* not yet */ }
    await new Promise((ok) => setTimeout(ok, 100));
  }
  throw new Error(`okienko did not become ready:\n${log.join('')}`);
}

/** A real SMTP server (aiosmtpd from PyPI, installed by e2e/run) writing a maildir. */
async function startSmtp(dir) {
  const port = await freePort();
  const maildir = join(dir, 'maildir');
  for (const d of ['tmp', 'new', 'cur']) mkdirSync(join(maildir, d), { recursive: true });
  const python = process.env.E2E_PYTHON ?? join(import.meta.dirname, '..', '.venv', 'bin', 'python');
  const child = spawn(python, ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${port}`, '-c', 'aiosmtpd.handlers.Mailbox', maildir]);
  for (let i = 0; i < 100; i += 1) {
    const up = await new Promise((ok) => {
      const sock = connect(port, '127.0.0.1', () => { sock.end(); ok(true); });
      sock.on('error', () => ok(false));
    });
    if (up) break;
    await new Promise((ok) => setTimeout(ok, 100));
  }
  return {
    url: `smtp://127.0.0.1:${port}`,
    /** The messages received so far, as raw text. */
    messages: () => readdirSync(join(maildir, 'new')).map((f) => readFileSync(join(maildir, 'new', f), 'utf8')),
    stop: () => child.kill('SIGTERM'),
  };
}

/**
 * `extra`: more of okienko.toml, appended (a journey's own sections, e.g. `[council]`).
 * When a part fails to start, what did start is stopped before the error goes on: a
 * listening node or a child process left behind would keep the journey's process alive.
 */
export async function startStack(options = {}) {
  const started = [];
  try {
    return await start(options, started);
  } catch (e) {
    for (const stop of started.reverse()) {
      try { await stop(); } catch { /* the first error is the one to tell */ }
    }
    throw e;
  }
}

async function start({ extra = '' }, started) {
  const [port, opPort] = [await freePort(), await freePort()];
  const base = `http://127.0.0.1:${port}`;
  const op = await startOp({
    port: opPort,
    redirectUri: `${base}/auth/callback`,
    postLogoutUri: `${base}/?wylogowano=1`,
    clientSecret: 'e2e-secret',
  });
  started.push(() => op.close());
  const db = `okienko_e2e_${process.pid}_${Date.now()}`;
  execFileSync('psql', [`${PG}/test`, '-q', '-c', `CREATE DATABASE ${db}`]);
  const dir = mkdtempSync(join(tmpdir(), 'okienko-e2e-'));
  const smtp = await startSmtp(dir);
  started.push(() => smtp.stop());
  const config = join(dir, 'okienko.toml');
  writeFileSync(config, `
listen = "127.0.0.1:${port}"
base_url = "${base}"
data_dir = "${dir}/data"
database_url = "${PG}/${db}"

[mail]
smtp_url = "${smtp.url}"
from = "Urząd Gminy Przykładowo <urzad@gmina.example>"

[initiative]
residents = 4000

[consultations]
request_threshold = 2

[auth]
dev_idp = false
login_per_minute = 6000
login_burst = 1000

[auth.providers.national]
kind = "residents"
issuer = "${op.issuer}"
client_id = "okienko"
client_secret = "e2e-secret"
scopes = ["openid", "profile", "email", "pesel"]
label = "Węzeł Krajowy (test)"

[auth.providers.staff]
kind = "staff"
issuer = "${op.issuer}"
client_id = "okienko"
client_secret = "e2e-secret"
scopes = ["openid", "profile", "roles"]
${extra}
`);
  const log = [];
  const child = spawn(BIN, ['serve'], { env: { ...process.env, OKIENKO_CONFIG: config, RUST_LOG: 'info' } });
  child.stdout.on('data', (d) => log.push(String(d)));
  child.stderr.on('data', (d) => log.push(String(d)));
  started.push(() => child.kill('SIGKILL'));
  await waitReady(`${base}/readyz`, child, log);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
  return {
    base, op, browser, log, dir, config, smtp, db,
    /** Runs SQL on the journey's own database (what a test clock would move). */
    sql: (q) => execFileSync('psql', [`${PG}/${db}`, '-q', '-t', '-A', '-c', q]).toString().trim(),
    async stop() {
      await browser.close();
      child.kill('SIGTERM');
      // okienko drains for at most 30 s; past 40 s it is stuck, and a stuck stop must fail
      // the journey's run, not hold it until CI's time runs out
      const exited = await new Promise((ok) => {
        if (child.exitCode !== null) { ok(true); return; }
        const late = setTimeout(() => ok(false), 40_000);
        child.on('exit', () => { clearTimeout(late); ok(true); });
      });
      if (!exited) {
        child.kill('SIGKILL');
        throw new Error(`okienko did not stop within 40 s of SIGTERM:\n${log.slice(-40).join('')}`);
      }
      await op.close();
      smtp.stop();
      try { execFileSync('psql', [`${PG}/test`, '-q', '-c', `DROP DATABASE IF EXISTS ${db}`]); } catch { /* left for the next cluster cleanup */ }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Fails on any WCAG 2.1 AA violation on the page as it is now. */
export async function axe(page, seen) {
  const key = new URL(page.url()).pathname;
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  seen?.add(key);
  if (result.violations.length) {
    const lines = result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    throw new Error(`accessibility violations on ${page.url()}:\n${lines.join('\n')}`);
  }
}
