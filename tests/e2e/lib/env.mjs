// What the test files share: the server's address and data directory (set
// by run.mjs), the demo accounts, the outbox, and where artifacts go.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const E2E_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const REPO_ROOT = path.resolve(E2E_DIR, '../..');
export const ARTIFACTS = path.join(E2E_DIR, 'artifacts');

function required(name) {
  const v = process.env[name];
  if (!v) {
    throw new Error(`${name} is not set: run the suite with \`npm test\` (run.mjs starts the server)`);
  }
  return v;
}

export const BASE_URL = required('MAILLAGE_URL').replace(/\/$/, '');
export const DATA_DIR = required('MAILLAGE_DATA_DIR');
export const STATE_DIR = required('MAILLAGE_E2E_STATE');

export const url = (p) => BASE_URL + p;

/** A path relative to the site, from a full URL of the site. */
export function sitePath(u) {
  const x = new URL(u);
  return x.pathname + x.search + x.hash;
}

export function artifactPath(...parts) {
  const p = path.join(ARTIFACTS, ...parts);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  return p;
}

export function slug(s) {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 120)
    .toLowerCase();
}

// --- demo accounts ----------------------------------------------------------

export const ROLES = ['coordinator', 'org-admin', 'hr', 'trainer', 'member'];

const passwordsFile = () => path.join(STATE_DIR, 'passwords.json');

function passwordOverrides() {
  try {
    return JSON.parse(fs.readFileSync(passwordsFile(), 'utf8'));
  } catch {
    return {};
  }
}

/** Remember a password changed by a test, for the tests that run after it. */
export function rememberPassword(email, password) {
  const all = passwordOverrides();
  all[email] = password;
  fs.writeFileSync(passwordsFile(), JSON.stringify(all, null, 2));
}

/**
 * The demo accounts, from DATA_DIR/demo-accounts.txt
 * (lines `  ROLE  EMAIL  PASSWORD  (ORG)`), by role.
 */
export function accounts() {
  const text = fs.readFileSync(path.join(DATA_DIR, 'demo-accounts.txt'), 'utf8');
  const overrides = passwordOverrides();
  const byRole = {};
  for (const line of text.split('\n')) {
    const m = line.match(/^\s+(\S+)\s+(\S+@\S+)\s+(\S+)\s+\((.*)\)\s*$/);
    if (m) {
      const [, role, email, password, organisation] = m;
      byRole[role] = { role, email, password: overrides[email] ?? password, organisation };
    }
  }
  for (const r of ROLES) {
    if (!byRole[r]) throw new Error(`no ${r} account in demo-accounts.txt`);
  }
  return byRole;
}

export function account(role) {
  return accounts()[role];
}

// --- outbox -----------------------------------------------------------------

const outboxDir = () => path.join(DATA_DIR, 'outbox');

export function outboxFiles() {
  try {
    return new Set(fs.readdirSync(outboxDir()).filter((f) => f.endsWith('.eml')));
  } catch {
    return new Set();
  }
}

/** Quoted-printable: undo soft line breaks (`=\n`) and `=XX` bytes. */
export function decodeQuotedPrintable(s) {
  const soft = s.replace(/=\r?\n/g, '');
  const bytes = [];
  for (let i = 0; i < soft.length; i++) {
    const hex = soft.slice(i + 1, i + 3);
    if (soft[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(soft[i], 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

function parseMail(raw) {
  const split = raw.search(/\r?\n\r?\n/);
  const head = raw.slice(0, split).replace(/\r?\n[ \t]+/g, ' ');
  const headers = {};
  for (const line of head.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
  }
  let body = raw.slice(split).replace(/^\r?\n\r?\n/, '');
  if (/quoted-printable/i.test(headers['content-transfer-encoding'] ?? '')) {
    body = decodeQuotedPrintable(body);
  }
  return { headers, body: body.replace(/\r\n/g, '\n') };
}

/**
 * Waits for a mail to `to` that was not in the outbox in `before` (a set
 * from outboxFiles()). Mail is sent by a background job: poll.
 */
export async function waitForMail(to, before, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const f of [...outboxFiles()].sort()) {
      if (before.has(f)) continue;
      const mail = parseMail(fs.readFileSync(path.join(outboxDir(), f), 'utf8'));
      if ((mail.headers.to ?? '').toLowerCase().includes(to.toLowerCase())) return { file: f, ...mail };
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no mail to ${to} in ${outboxDir()} after ${timeoutMs / 1000}s`);
}

/** The first link of the site in a mail body whose path starts with `pathPrefix`. */
export function linkIn(body, pathPrefix) {
  const re = /https?:\/\/[^\s<>"]+/g;
  for (const [u] of body.matchAll(re)) {
    if (u.startsWith(BASE_URL + pathPrefix)) return u;
  }
  throw new Error(`no link to ${BASE_URL}${pathPrefix} in the mail:\n${body}`);
}
