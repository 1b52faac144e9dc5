/**
 * `npm run scan` (issue 10, item 4): Debian's wapiti and sqlmap against a fresh demo instance of
 * Sportello Lavoro on 127.0.0.1, signed in as each role, with the reports kept in security/reports/.
 * Exit 0 when nothing of medium severity or more was found, 1 when something was, 2 when the scan
 * could not run completely (a tool missing, the server or a sign-in failed). See security/README.md.
 *
 * Options: --roles public,citizen,…   only these roles (default: all)
 *          --only wapiti|sqlmap         one tool
 *          --quick                      short time budgets (to try the script, not for the record)
 *          --jobs N                     scans run at the same time (default 3)
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { demoAccounts } from '../src/app/demo/load-demo.ts';
import { freePort } from '../src/platform/db/embedded-postgres.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const REPORTS = path.join(ROOT, 'security', 'reports');
const HOST = '127.0.0.1';
const SESSION_COOKIE = '__Host-sl_session';
const ANON_CSRF_COOKIE = '__Host-sl_csrf';
const INSTALL_HINT = 'sudo apt-get update && sudo apt-get install -y wapiti sqlmap';

type Role =
  | 'public'
  | 'citizen'
  | 'employer'
  | 'cpi_operator'
  | 'apl_operator'
  | 'regional_manager'
  | 'national_manager'
  | 'admin';
const ROLES: Role[] = [
  'citizen',
  'cpi_operator',
  'employer',
  'apl_operator',
  'regional_manager',
  'national_manager',
  'admin',
  // Last: the anonymous scan hammers the sign-in form.
  'public',
];

type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';
const SEVERITIES: Severity[] = ['critical', 'high', 'medium', 'low', 'info'];
type Counts = Record<Severity, number>;
const FAILING: Severity[] = ['critical', 'high', 'medium'];

type Finding = {
  severity: Severity;
  category: string;
  method?: string;
  path?: string;
  parameter?: string;
  info: string;
  /** Why a finding is what it is, when we know (see EXPLAINED and security/README.md). */
  explanation?: string;
};

/** Findings understood and checked by hand, with the reason (kept next to each in summary.json). */
const EXPLAINED: Array<{ match: RegExp; why: string }> = [
  {
    match: /Strict-Transport-Security is not set/,
    why: 'HSTS is sent in production mode only (src/platform/http/server.ts, onSend: `if (!config.demo)`); this demo instance is plain http on loopback, where HSTS has no meaning.',
  },
  {
    match: /X-XSS-Protection is not set/,
    why: 'Deliberately absent: the header is obsolete (current browsers ignore it; its old filter could itself be abused). The protection is the Content-Security-Policy (script-src and default-src self, no inline scripts).',
  },
  {
    match: /Secure flag is not set in the cookie/,
    why: "Artefact of the scan: wapiti inspects the cookie file the scan gives it, where the flag is off because Python's cookie jar never sends a Secure cookie over plain http. The server itself sets every cookie Secure; HttpOnly; SameSite=Lax (src/platform/http/server.ts cookieOptions) — see cookiesSetByServer in summary.json.",
  },
];
const explain = (info: string) => EXPLAINED.find((e) => e.match.test(info))?.why;

type ScanResult = {
  tool: 'wapiti' | 'sqlmap';
  name: string;
  role: Role;
  report: string;
  /** False when the scan could not be carried out as planned (reason in notes). */
  complete: boolean;
  seconds: number;
  counts: Counts;
  /** Findings of every severity except info (info ones are only counted). */
  findings: Finding[];
  notes: string[];
  resources?: number;
};

// ---------------------------------------------------------------------------------------------
// Options, logging, tools
// ---------------------------------------------------------------------------------------------

const args = process.argv.slice(2);
const optionOf = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const QUICK = args.includes('--quick');
const ONLY = optionOf('--only');
const JOBS = Math.max(1, Math.min(4, Number(optionOf('--jobs') ?? 3) || 3));
const SELECTED: Role[] = optionOf('--roles')
  ? ROLES.filter((r) => (optionOf('--roles') ?? '').split(',').includes(r))
  : ROLES;

const started = Date.now();
const clock = () => {
  const s = Math.round((Date.now() - started) / 1000);
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
};
const log = (m: string) => console.log(`[scan ${clock()}] ${m}`);

function findOnPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {}
  }
  return null;
}

type Tools = { wapiti: string; python: string; sqlmap: string; wapitiVersion: string; sqlmapVersion: string };

/** The two scanners, or exit 2 saying how to install them (this script never installs anything). */
function checkTools(): Tools {
  const wapiti = findOnPath('wapiti');
  const sqlmap = findOnPath('sqlmap');
  const missing = [wapiti ? null : 'wapiti', sqlmap ? null : 'sqlmap'].filter(Boolean);
  if (!wapiti || !sqlmap) {
    console.error(
      `The security scan needs ${missing.join(' and ')}, which ${missing.length > 1 ? 'are' : 'is'} not installed.`,
    );
    console.error('Install the Debian packages (Debian 12 "bookworm": wapiti 3.0.4, sqlmap 1.7.2) with:');
    console.error(`    ${INSTALL_HINT}`);
    console.error('then run `npm run scan` again.');
    process.exit(2);
  }
  // wapiti is a Python script: run it through its own interpreter (see WAPITI_SHIM).
  const shebang = readFileSync(wapiti, 'utf8').split('\n')[0] ?? '';
  const python = /^#!\s*(\S+)/.exec(shebang)?.[1] ?? '/usr/bin/python3';
  const wapitiOut = spawnSync(wapiti, ['--version'], { encoding: 'utf8' });
  const sqlmapOut = spawnSync(sqlmap, ['--version'], { encoding: 'utf8' });
  const wapitiVersion = /Wapiti-(\d[\w.]*)/.exec(`${wapitiOut.stdout}${wapitiOut.stderr}`)?.[1] ?? 'unknown';
  const sqlmapVersion = /^(\d[\w.#]*)/m.exec(sqlmapOut.stdout ?? '')?.[1] ?? 'unknown';
  return { wapiti, python, sqlmap, wapitiVersion, sqlmapVersion };
}

// ---------------------------------------------------------------------------------------------
// Child processes: every one is tracked and stopped at the end, whatever happens
// ---------------------------------------------------------------------------------------------

const children = new Set<ChildProcess>();

function run(
  command: string,
  argv: string[],
  options: { env?: NodeJS.ProcessEnv; onLine?: (line: string) => void; timeoutMs: number },
): Promise<{ code: number | null; output: string; timedOut: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(command, argv, {
      cwd: ROOT,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    children.add(child);
    let output = '';
    let pending = '';
    let timedOut = false;
    const onData = (d: Buffer) => {
      const text = String(d);
      output += text;
      pending += text;
      const lines = pending.split(/\r?\n/);
      pending = lines.pop() ?? '';
      for (const line of lines) options.onLine?.(line);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    const timer = setTimeout(() => {
      timedOut = true;
      stopChild(child);
    }, options.timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      children.delete(child);
      resolve({ code, output, timedOut });
    });
    child.on('error', (error) => {
      output += String(error);
    });
  });
}

/** SIGTERM to the child's own process group (it was started detached), SIGKILL if it lingers. */
function stopChild(child: ChildProcess): void {
  if (child.exitCode !== null || child.pid === undefined) return;
  const pid = child.pid;
  try {
    process.kill(-pid, 'SIGTERM');
  } catch {}
  setTimeout(() => {
    if (child.exitCode === null) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {}
    }
  }, 5000).unref();
}

// ---------------------------------------------------------------------------------------------
// The demo instance
// ---------------------------------------------------------------------------------------------

type Instance = {
  base: string;
  dataDir: string;
  child: ChildProcess;
  output: () => string;
  db: pg.Pool;
  databaseUrl: string;
};

async function startInstance(): Promise<Instance> {
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'sportello-scan-'));
  const base = `http://${HOST}:${port}`;
  log(`starting the demo instance: node bin/sportello.js serve on ${base} (DATA_DIR ${dataDir})`);
  // Its own embedded PostgreSQL under the fresh DATA_DIR, never a DATABASE_URL from the environment.
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST,
    DATA_DIR: dataDir,
    SPORTELLO_MODE: 'demo',
    LOG_LEVEL: 'error',
    PUBLIC_URL: base,
  };
  delete env.DATABASE_URL;
  const child = spawn(process.execPath, ['bin/sportello.js', 'serve'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d) => {
    output += String(d);
  });
  child.stderr?.on('data', (d) => {
    output += String(d);
  });
  const deadline = Date.now() + 180_000;
  while (!output.includes('Sportello Lavoro is running at')) {
    if (child.exitCode !== null || Date.now() > deadline) {
      stopServer({ child, dataDir });
      throw new Error(`the demo instance did not start:\n${output}`);
    }
    await sleep(250);
  }
  // The embedded PostgreSQL's port is line 4 of its postmaster.pid (user and password are fixed).
  const pidLines = readFileSync(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n');
  const databaseUrl = `postgres://sportello:sportello-embedded@${HOST}:${pidLines[3]?.trim()}/sportello`;
  const db = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  await db.query('select 1');
  log('the demo instance is ready');
  return { base, dataDir, child, output: () => output, db, databaseUrl };
}

async function stopServer(instance: { child: ChildProcess; dataDir: string }): Promise<void> {
  const { child, dataDir } = instance;
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGTERM');
    const exited = await Promise.race([
      new Promise<boolean>((r) => child.once('exit', () => r(true))),
      sleep(30_000).then(() => false),
    ]);
    if (!exited) child.kill('SIGKILL');
  }
  // A killed server may leave its PostgreSQL running: stop that one (ours, by the pid it wrote).
  const pidFile = path.join(dataDir, 'pg', 'postmaster.pid');
  if (existsSync(pidFile)) {
    const pid = Number.parseInt(readFileSync(pidFile, 'utf8').split('\n')[0] ?? '', 10);
    if (Number.isInteger(pid) && pid > 0) {
      try {
        process.kill(pid, 'SIGINT');
        for (let i = 0; i < 100; i++) {
          process.kill(pid, 0);
          await sleep(100);
        }
      } catch {}
    }
  }
  rmSync(dataDir, { recursive: true, force: true });
}

// ---------------------------------------------------------------------------------------------
// HTTP with a cookie jar, sign-in per role
// ---------------------------------------------------------------------------------------------

type Jar = Map<string, string>;
/** The attributes of every cookie the server set during the scan's own requests (name → flags). */
const COOKIE_FLAGS = new Map<string, string>();
type Res = { status: number; location: string; body: string };

const cookieHeader = (jar: Jar) => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');

async function http(
  base: string,
  jar: Jar,
  method: 'GET' | 'POST',
  url: string,
  form?: Record<string, string>,
): Promise<Res> {
  const res = await fetch(`${base}${url}`, {
    method,
    redirect: 'manual',
    headers: {
      cookie: cookieHeader(jar),
      ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
    },
    ...(form ? { body: new URLSearchParams(form).toString() } : {}),
  });
  for (const c of res.headers.getSetCookie()) {
    const [pair, ...attributes] = c.split(';');
    const eq = (pair ?? '').indexOf('=');
    if (eq <= 0) continue;
    const name = (pair ?? '').slice(0, eq).trim();
    COOKIE_FLAGS.set(name, attributes.map((a) => a.trim().split('=')[0]).join('; '));
    const value = (pair ?? '').slice(eq + 1).trim();
    const expired = attributes.some((a) => /max-age=0|expires=thu, 01 jan 1970/i.test(a.trim()));
    if (expired || value === '') jar.delete(name);
    else jar.set(name, value);
  }
  return { status: res.status, location: res.headers.get('location') ?? '', body: await res.text() };
}

const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

/** The page each role lands on when signed in: 200 there means the session is alive. */
const HOME_OF: Record<Role, string> = {
  public: '/',
  citizen: '/appuntamenti',
  employer: '/azienda',
  cpi_operator: '/operatore/persone',
  apl_operator: '/operatore/persone',
  regional_manager: '/report/attivazione',
  national_manager: '/account/sicurezza',
  admin: '/admin/utenti',
};

type Session = { role: Role; jar: Jar; csrf: string; email: string };

let signInQueue: Promise<unknown> = Promise.resolve();
const sessions = new Map<Role, Session>();

async function isAlive(instance: Instance, s: Session): Promise<boolean> {
  const res = await http(instance.base, new Map(s.jar), 'GET', HOME_OF[s.role]);
  return res.status === 200;
}

/** The role's session (signed in with password and the SMS code from the dev outbox), one at a time. */
function sessionOf(instance: Instance, role: Role): Promise<Session> {
  const next = signInQueue.then(async () => {
    const known = sessions.get(role);
    if (known && (await isAlive(instance, known))) return known;
    const s = await signIn(instance, role);
    sessions.set(role, s);
    return s;
  });
  signInQueue = next.catch(() => {});
  return next;
}

async function signIn(instance: Instance, role: Role): Promise<Session> {
  const jar: Jar = new Map();
  const base = instance.base;
  if (role === 'public') {
    // Anonymous: the technical cookie that anchors the CSRF token of the public forms.
    const page = await http(base, jar, 'GET', '/accedi');
    return { role, jar, csrf: csrfOf(page.body), email: '' };
  }
  const account = demoAccounts().find((a) => a.role === role);
  if (!account) throw new Error(`no demo account for ${role}`);
  await liftRateLimits(instance);
  const page = await http(base, jar, 'GET', '/accedi');
  const before = await instance.db.query<{ id: string }>('select coalesce(max(id), 0) as id from dev_outbox');
  const afterId = before.rows[0]?.id ?? '0';
  const first = await http(base, jar, 'POST', '/accedi', {
    _csrf: csrfOf(page.body),
    email: account.email,
    password: account.password,
    next: '/',
  });
  if (first.status !== 303 || !first.location.startsWith('/accedi/codice'))
    throw new Error(`sign-in of ${role}: password step answered ${first.status} ${first.location}`);
  let code = '';
  for (let i = 0; i < 150 && !code; i++) {
    const row = await instance.db.query<{ body: string }>(
      `select o.body from dev_outbox o
        where o.channel = 'sms' and o.id > $1
          and o.recipient in (select phone from users where lower(email) = lower($2))
        order by o.id desc limit 1`,
      [afterId, account.email],
    );
    code = /\b(\d{6})\b/.exec(row.rows[0]?.body ?? '')?.[1] ?? '';
    if (!code) await sleep(200);
  }
  if (!code) throw new Error(`sign-in of ${role}: no SMS code in the dev outbox`);
  const codePage = await http(base, jar, 'GET', first.location);
  const second = await http(base, jar, 'POST', '/accedi/codice', {
    _csrf: csrfOf(codePage.body),
    method: 'sms',
    code,
    next: '/',
  });
  if (second.status !== 303 || !jar.has(SESSION_COOKIE))
    throw new Error(`sign-in of ${role}: code step answered ${second.status}`);
  jar.delete(ANON_CSRF_COOKIE);
  const home = await http(base, new Map(jar), 'GET', HOME_OF[role]);
  if (home.status !== 200) throw new Error(`sign-in of ${role}: ${HOME_OF[role]} answered ${home.status}`);
  log(`signed in as ${role} (${account.email})`);
  return { role, jar, csrf: csrfOf(home.body), email: account.email };
}

/**
 * The instance is thrown away after the scan, so the scan lifts its rate limits (sign-in, password
 * reset, SMS codes, public API): otherwise the scanners would only ever see "too many attempts"
 * answers and never test the code behind those forms. This changes nothing in the application.
 */
async function liftRateLimits(instance: Instance): Promise<void> {
  await instance.db.query('delete from rate_limits');
}

// ---------------------------------------------------------------------------------------------
// wapiti
// ---------------------------------------------------------------------------------------------

/**
 * Debian's wapiti 3.0.4 builds its --exclude patterns as `…\Z(?ms)`, which Python 3.11 refuses
 * ("global flags not at the start of the expression"): every -x crashes it. This shim starts the
 * same wapiti with that one function fixed (flags first); nothing else changes.
 */
const WAPITI_SHIM = [
  'import re, sys',
  'import wapitiCore.net.crawler as crawler',
  'def wildcard_translate(pattern):',
  "    body = ''.join('.*' if c == '*' else re.escape(c) for c in pattern)",
  "    return re.compile('(?ms)' + body + r'\\Z')",
  'crawler.wildcard_translate = wildcard_translate',
  'from wapitiCore.main.wapiti import wapiti_main',
  "sys.argv = ['wapiti'] + sys.argv[1:]",
  'sys.exit(wapiti_main())',
].join('\n');

/** Attack modules: everything that makes sense on loopback without outside network or brute force. */
const WAPITI_MODULES = [
  'sql',
  'blindsql',
  'xss',
  'permanentxss',
  'exec',
  'file',
  'redirect',
  'crlf',
  'csrf',
  'http_headers',
  'cookieflags',
  'csp',
  'methods',
];

const START_PAGES: Record<Role, string[]> = {
  public: [
    '/',
    '/offerte',
    '/offerte?q=cuoco&luogo=Perugia',
    '/offerte.json',
    '/corsi',
    '/professioni?q=cuoco',
    '/accedi',
    '/aiuto',
    '/password/dimenticata',
    '/azienda/registrati',
    '/accessibilita',
    '/privacy',
    '/api/docs',
    '/badge/emittente',
    '/verifica/ABCD-EFGH',
  ],
  citizen: [
    '/',
    '/profilo',
    '/profilo/did',
    '/appuntamenti',
    '/appuntamenti/nuovo',
    '/piano',
    '/patto',
    '/competenze',
    '/competenze/esperienze',
    '/cv',
    '/corsi/consigliati',
    '/offerte',
    '/obblighi',
    '/contatti',
    '/i-miei-dati/accessi',
    '/account/sicurezza',
    '/aiuto',
  ],
  cpi_operator: [
    '/',
    '/operatore/persone',
    '/operatore/persone?q=Conti',
    '/operatore/agenda',
    '/operatore/pianificazione',
    '/operatore/offerte',
    '/operatore/condizionalita',
    '/operatore/coaching',
    '/operatore/corsi',
    '/operatore/preselezioni',
    '/operatore/recruiting-day',
    '/operatore/richieste-aiuto',
    '/operatore/sportello',
    '/operatore/badge',
    '/report/attivazione',
  ],
  employer: [
    '/',
    '/azienda',
    '/azienda/offerte',
    '/azienda/offerte/nuova',
    '/azienda/candidati',
    '/azienda/candidati/contatti',
    '/azienda/preselezioni',
    '/azienda/recruiting-day',
  ],
  apl_operator: ['/', '/operatore/persone', '/operatore/agenda', '/operatore/richieste-aiuto'],
  regional_manager: ['/', '/report/attivazione', '/report/attivazione?mese=2026-10'],
  national_manager: ['/', '/account/sicurezza'],
  admin: ['/', '/admin/utenti', '/admin/utenti?q=conti'],
};

/** Never crawled or attacked when signed in: they end the session the scan runs in. */
const SIGNED_IN_EXCLUDES = [
  '/esci*',
  '/account/esci-ovunque*',
  '/admin/utenti/*/termina-sessioni*',
  '/accedi*',
  '/password/*',
  '/dev/*',
];

const isMajor = (role: Role) => ['public', 'citizen', 'cpi_operator', 'employer'].includes(role);

/** wapiti's `level` (0–4) → our severity; additionals are information whatever their level. */
const WAPITI_LEVEL: Severity[] = ['info', 'low', 'medium', 'high', 'critical'];

type WapitiItem = {
  method?: string;
  path?: string;
  info?: string;
  level?: number | string;
  parameter?: string;
};
type WapitiReport = {
  vulnerabilities?: Record<string, WapitiItem[]>;
  anomalies?: Record<string, WapitiItem[]>;
  additionals?: Record<string, WapitiItem[]>;
};

async function wapitiScan(instance: Instance, tools: Tools, role: Role, work: string): Promise<ScanResult> {
  const t0 = Date.now();
  const name = `wapiti-${role}`;
  const reportFile = path.join(REPORTS, `${name}.json`);
  const notes: string[] = [];
  const session = await sessionOf(instance, role);
  const dir = path.join(work, name);
  mkdirSync(dir, { recursive: true });
  const cookieFile = path.join(dir, 'cookies.json');
  // wapiti's JSON cookie file; `secure: false` because Python's cookie jar never sends a Secure
  // cookie over plain http, and this instance is http on loopback (production is https only).
  const cookies: Record<string, unknown> = {};
  for (const [k, v] of session.jar)
    cookies[k] = { value: v, expires: null, secure: false, port: null, version: 0 };
  const jarJson = { [HOST]: { '/': cookies } };
  writeFileSync(cookieFile, JSON.stringify(jarJson));

  const major = isMajor(role);
  const crawlSeconds = QUICK ? 15 : major ? 60 : 30;
  const attackSeconds = QUICK ? 5 : major ? 30 : 15;
  const argv = [
    '-c',
    WAPITI_SHIM,
    '-u',
    `${instance.base}/`,
    '--scope',
    'folder',
    '-m',
    WAPITI_MODULES.join(','),
    '-c',
    cookieFile,
    '-r',
    'lang',
    '--flush-session',
    '--store-session',
    path.join(dir, 'session'),
    '--store-config',
    path.join(dir, 'config'),
    '--max-scan-time',
    String(crawlSeconds),
    '--max-attack-time',
    String(attackSeconds),
    '--max-links-per-page',
    '60',
    '--max-files-per-dir',
    '40',
    '-d',
    '4',
    '-t',
    '10',
    '-S',
    'normal',
    '-f',
    'json',
    '-o',
    reportFile,
    '--no-bugreport',
    '-v',
    '1',
    '-x',
    `${instance.base}/assets/*`,
  ];
  for (const page of START_PAGES[role]) argv.push('-s', `${instance.base}${page}`);
  if (role !== 'public') for (const x of SIGNED_IN_EXCLUDES) argv.push('-x', `${instance.base}${x}`);
  else argv.push('-x', `${instance.base}/esci*`);

  log(`${name}: crawl ≤ ${crawlSeconds} s, each of ${WAPITI_MODULES.length} modules ≤ ${attackSeconds} s`);
  let resources: number | undefined;
  const budgetMs = (crawlSeconds + attackSeconds * WAPITI_MODULES.length + 180) * 1000;
  const result = await run(tools.python, argv, {
    timeoutMs: budgetMs,
    onLine: (line) => {
      const found = /Wapiti found (\d+) URLs and forms/.exec(line);
      if (found) {
        resources = Number(found[1]);
        log(`${name}: ${resources} URLs and forms crawled, attacking`);
      }
      const mod = /\[\*\] Launching module (\w+)/.exec(line);
      if (mod) log(`${name}: module ${mod[1]}`);
    },
  });
  // What was crawled, as evidence of coverage: the `[+] GET …` / `[+] POST …` lines before the attacks.
  const crawl = result.output.split(/Wapiti found \d+ URLs/)[0] ?? '';
  const crawled = [...new Set(crawl.split('\n').filter((l) => /^\[\+\] (GET|POST) /.test(l)))];
  writeFileSync(
    path.join(REPORTS, `${name}-crawled.txt`),
    `${redact(crawled.map((l) => l.slice(4)).join('\n'), instance, session)}\n`,
  );
  if (result.timedOut) notes.push(`stopped after ${Math.round(budgetMs / 1000)} s`);
  if (!existsSync(reportFile)) {
    notes.push(`no report (exit ${result.code}): ${result.output.split('\n').slice(-5).join(' | ')}`);
    return {
      tool: 'wapiti',
      name,
      role,
      report: path.relative(ROOT, reportFile),
      complete: false,
      seconds: Math.round((Date.now() - t0) / 1000),
      counts: zeroCounts(),
      findings: [],
      notes,
      ...(resources !== undefined ? { resources } : {}),
    };
  }
  redactFile(reportFile, instance, session);
  const report = JSON.parse(readFileSync(reportFile, 'utf8')) as WapitiReport;
  const counts = zeroCounts();
  const findings: Finding[] = [];
  const add = (section: 'vulnerability' | 'anomaly' | 'additional', items?: Record<string, WapitiItem[]>) => {
    for (const [category, list] of Object.entries(items ?? {})) {
      for (const item of list) {
        const level = Math.max(0, Math.min(4, Number(item.level ?? 0) || 0));
        const severity: Severity = section === 'additional' ? 'info' : (WAPITI_LEVEL[level] ?? 'info');
        counts[severity]++;
        if (severity !== 'info')
          findings.push({
            severity,
            category: `${section}: ${category}`,
            ...(item.method ? { method: item.method } : {}),
            ...(item.path ? { path: item.path } : {}),
            ...(item.parameter ? { parameter: item.parameter } : {}),
            info: item.info ?? '',
            ...(explain(item.info ?? '') ? { explanation: explain(item.info ?? '') } : {}),
          });
      }
    }
  };
  add('vulnerability', report.vulnerabilities);
  add('anomaly', report.anomalies);
  add('additional', report.additionals);

  let complete = !result.timedOut;
  if (role !== 'public') {
    const alive = await isAlive(instance, session);
    if (!alive) {
      complete = false;
      notes.push('the session did not survive the scan: part of the area may have been crawled signed out');
    } else notes.push('session still signed in at the end');
  }
  if (resources === undefined || resources < 2) {
    complete = false;
    notes.push('wapiti found (almost) nothing to crawl');
  }
  return {
    tool: 'wapiti',
    name,
    role,
    report: path.relative(ROOT, reportFile),
    complete,
    seconds: Math.round((Date.now() - t0) / 1000),
    counts,
    findings,
    notes,
    ...(resources !== undefined ? { resources } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// sqlmap
// ---------------------------------------------------------------------------------------------

type SqlTarget = {
  name: string;
  role: Role;
  method: 'GET' | 'POST';
  /** Path (with query); `*` marks a path segment to test. */
  url: string;
  /** The form is read from `page` when the scan starts and sent with `values` over its own fields. */
  form?: { page: string; action: string; values?: Record<string, string> };
  /** A JSON body for the API (sent with the role's bearer token). */
  json?: Record<string, unknown>;
  /** HTTP answers sqlmap should treat as normal (e.g. 404 for an unknown document code). */
  ignoreCodes?: number[];
  api?: boolean;
  /** Only these parameters (sqlmap -p). */
  params?: string[];
};

/** Representative inputs of every role: search boxes, filters, ids in paths, forms, the API. */
async function sqlTargets(instance: Instance): Promise<SqlTarget[]> {
  const q = async (text: string, values: unknown[] = []) =>
    (await instance.db.query<Record<string, string>>(text, values)).rows[0] ?? {};
  const citizen = await q(`select id from users where email = 'cittadino@demo.sportello.example'`);
  const vacancy = await q(
    `select v.id from vacancies v join users u on u.company_id = v.company_id
      where u.email = 'datore@demo.sportello.example' order by v.created_at limit 1`,
  ).catch(() => ({}) as Record<string, string>);
  const published = await q(`select id from vacancies where status = 'published' limit 1`).catch(
    () => ({}) as Record<string, string>,
  );
  const office = await q(`select id from offices where region_code = '10' order by name limit 1`);
  const targets: SqlTarget[] = [
    {
      name: 'public-job-search',
      role: 'public',
      method: 'GET',
      url: '/offerte?q=cuoco&luogo=Perugia&comune=054039&raggio=30&contratto=&orario=&giorni=',
    },
    { name: 'public-job-feed', role: 'public', method: 'GET', url: '/offerte.json?page=1' },
    { name: 'public-api-vacancies', role: 'public', method: 'GET', url: '/api/v1/public/vacancies?page=1' },
    {
      name: 'public-courses',
      role: 'public',
      method: 'GET',
      url: '/corsi?q=excel&competenza=&modalita=&comune=054039&km=25&dal=&pagina=1',
    },
    { name: 'public-occupations', role: 'public', method: 'GET', url: '/professioni?q=cuoco' },
    {
      name: 'public-sign-in',
      role: 'public',
      method: 'POST',
      url: '/accedi',
      form: {
        page: '/accedi',
        action: '/accedi',
        values: { email: 'nessuno@example.org', password: 'Sbagliata-2026!' },
      },
    },
    {
      name: 'public-help-request',
      role: 'public',
      method: 'POST',
      url: '/aiuto',
      form: {
        page: '/aiuto',
        action: '/aiuto',
        values: { name: 'Mario Rossi', contact: 'mario@example.org', message: 'Vorrei un aiuto per il CV' },
      },
    },
    {
      name: 'public-verify-document',
      role: 'public',
      method: 'GET',
      url: '/verifica/ABCD2345*',
      ignoreCodes: [404],
    },
    {
      name: 'citizen-job-search',
      role: 'citizen',
      method: 'GET',
      url: '/offerte?q=magazziniere&luogo=&raggio=20&remoto=si',
    },
    {
      name: 'citizen-work-experience',
      role: 'citizen',
      method: 'POST',
      url: '/competenze/esperienze',
      form: {
        page: '/competenze/esperienze',
        action: '/competenze/esperienze',
        values: { title: 'cuoco', years: '2' },
      },
    },
    {
      name: 'citizen-contacts',
      role: 'citizen',
      method: 'POST',
      url: '/profilo/passo/contatti',
      form: {
        page: '/profilo/passo/contatti',
        action: '/profilo/passo/contatti',
        values: { email: 'giulia@example.org', mobile: '+39 333 1234567' },
      },
    },
    {
      name: 'citizen-booking-services',
      role: 'citizen',
      method: 'GET',
      url: '/appuntamenti/nuovo?servizio=x',
    },
    { name: 'cpi-person-search', role: 'cpi_operator', method: 'GET', url: '/operatore/persone?q=Conti' },
    {
      name: 'cpi-person-record',
      role: 'cpi_operator',
      method: 'GET',
      url: `/operatore/persone/${citizen.id ?? '00000000-0000-4000-8000-000000000000'}*`,
    },
    {
      name: 'cpi-activation-report',
      role: 'cpi_operator',
      method: 'GET',
      url: '/report/attivazione?mese=2026-10&formato=html',
    },
    {
      name: 'cpi-group-session',
      role: 'cpi_operator',
      method: 'POST',
      url: '/operatore/pianificazione/gruppo',
      form: {
        page: '/operatore/pianificazione',
        action: '/operatore/pianificazione/gruppo',
        values: { title: 'Laboratorio CV', date: '2027-01-15', start: '09:00', end: '11:00', capacity: '12' },
      },
    },
    {
      name: 'cpi-api-help-request',
      role: 'cpi_operator',
      method: 'POST',
      url: '/api/v1/help-requests',
      api: true,
      json: {
        officeId: office.id ?? '00000000-0000-4000-8000-000000000000',
        name: 'Mario Rossi',
        contact: 'mario@example.org',
        channel: 'phone',
        topic: 'job_search',
        message: 'Chiede un appuntamento',
      },
    },
    {
      name: 'employer-candidates',
      role: 'employer',
      method: 'GET',
      // The search form as the page offers it (its first vacancy, which wapiti may have closed meanwhile).
      url: '/azienda/candidati',
      form: { page: '/azienda/candidati', action: '/azienda/candidati', values: { raggio: '30' } },
    },
    {
      name: 'employer-new-vacancy',
      role: 'employer',
      method: 'POST',
      url: '/azienda/offerte/nuova',
      form: {
        page: '/azienda/offerte/nuova',
        action: '/azienda/offerte/nuova',
        values: {
          title: 'Aiuto cuoco',
          description: 'Cucina di un ristorante in centro, turni diurni.',
          occupation_q: 'cuoco',
          municipality: 'Perugia',
          positions: '1',
          pay_min: '1200',
          pay_max: '1500',
        },
      },
      params: ['title', 'description', 'occupation_q', 'municipality', 'pay_min', 'positions'],
    },
    {
      name: 'employer-api-vacancy',
      role: 'employer',
      method: 'GET',
      url: `/api/v1/employer/vacancies/${vacancy.id ?? published.id ?? '00000000-0000-4000-8000-000000000000'}*`,
      api: true,
    },
    { name: 'admin-user-search', role: 'admin', method: 'GET', url: '/admin/utenti?q=conti' },
    {
      name: 'regional-report-csv',
      role: 'regional_manager',
      method: 'GET',
      url: '/report/attivazione?mese=2026-10&formato=csv',
    },
    { name: 'apl-person-search', role: 'apl_operator', method: 'GET', url: '/operatore/persone?q=Rossi' },
  ];
  // The employer's first: wapiti's crawl of the company space submits the forms that close its
  // vacancies, after which the candidate search has nothing to search for.
  const first = (t: SqlTarget) => (t.role === 'employer' ? 0 : 1);
  return targets.filter((t) => SELECTED.includes(t.role)).sort((a, b) => first(a) - first(b));
}

const decode = (s: string) =>
  s
    .replaceAll('&quot;', '"')
    .replaceAll('&#x27;', "'")
    .replaceAll('&#39;', "'")
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');
const attr = (tag: string, name: string) =>
  new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1] ??
  (new RegExp(`\\s${name}(\\s|>|/)`).test(tag) ? '' : null);

/** The fields of the form posting to `action`, as a browser would send them untouched. */
function formFields(html: string, action: string): Array<[string, string]> {
  const form = (html.match(/<form\b[\s\S]*?<\/form>/g) ?? []).find(
    (f) => attr(f.slice(0, f.indexOf('>') + 1), 'action') === action,
  );
  if (!form) return [];
  const fields: Array<[string, string]> = [];
  const radios = new Set<string>();
  // Inputs, selects and textareas in document order.
  const parts: Array<{ at: number; kind: string; tag: string; inner: string }> = [];
  for (const m of form.matchAll(/<input\b[^>]*>/g))
    parts.push({ at: m.index, kind: 'input', tag: m[0], inner: '' });
  for (const m of form.matchAll(/<(select|textarea)\b([^>]*)>([\s\S]*?)<\/\1>/g))
    parts.push({ at: m.index, kind: m[1] ?? '', tag: `<${m[1]}${m[2]}>`, inner: m[3] ?? '' });
  parts.sort((a, b) => a.at - b.at);
  for (const part of parts) {
    const tag = part.tag;
    const name = attr(tag, 'name');
    if (!name) continue;
    if (part.kind === 'select') {
      const options = [...part.inner.matchAll(/<option\b([^>]*)>/g)].map((o) => `<option${o[1]}>`);
      const chosen =
        options.find((o) => attr(o, 'selected') !== null) ??
        options.find((o) => (attr(o, 'value') ?? '') !== '') ??
        options[0];
      fields.push([name, decode(attr(chosen ?? '', 'value') ?? '')]);
    } else if (part.kind === 'textarea') {
      fields.push([name, decode(part.inner)]);
    } else {
      const type = (attr(tag, 'type') ?? 'text').toLowerCase();
      if (['submit', 'button', 'file', 'image', 'reset'].includes(type)) continue;
      if (type === 'radio') {
        if (radios.has(name) && attr(tag, 'checked') === null) continue;
        if (radios.has(name)) {
          const i = fields.findIndex(([n]) => n === name);
          if (i >= 0) fields.splice(i, 1);
        }
        radios.add(name);
        fields.push([name, decode(attr(tag, 'value') ?? 'on')]);
      } else if (type === 'checkbox') {
        if (attr(tag, 'checked') !== null) fields.push([name, decode(attr(tag, 'value') ?? 'on')]);
      } else fields.push([name, decode(attr(tag, 'value') ?? '')]);
    }
  }
  return fields;
}

const tokens = new Map<Role, string>();
/** The scan's temporary folder (removed at the end; its path is kept out of the reports). */
let WORK = '';

/** A bearer token for the role's demo account, made with `sportello token create`. */
async function apiToken(instance: Instance, role: Role): Promise<string> {
  const known = tokens.get(role);
  if (known) return known;
  const account = demoAccounts().find((a) => a.role === role);
  if (!account) throw new Error(`no demo account for ${role}`);
  const out = execFileSync(
    process.execPath,
    [
      'bin/sportello.js',
      'token',
      'create',
      '--email',
      account.email,
      '--name',
      'security scan',
      '--days',
      '1',
    ],
    {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, DATABASE_URL: instance.databaseUrl, LOG_LEVEL: 'silent' },
    },
  );
  const token = /\b(slk_[\w-]+)/.exec(out)?.[1];
  if (!token) throw new Error(`no API token for ${role}: ${out}`);
  tokens.set(role, token);
  return token;
}

async function sqlmapScan(
  instance: Instance,
  tools: Tools,
  target: SqlTarget,
  work: string,
): Promise<ScanResult> {
  const t0 = Date.now();
  const name = `sqlmap-${target.name}`;
  const reportFile = path.join(REPORTS, `${name}.txt`);
  const notes: string[] = [];
  const session = target.api && target.role !== 'public' ? null : await sessionOf(instance, target.role);
  const argv = [
    '-u',
    `${instance.base}${target.url}`,
    '--batch',
    '--level',
    QUICK ? '1' : '2',
    '--risk',
    '1',
    '--dbms',
    'PostgreSQL',
    '--timeout',
    '15',
    '--retries',
    '1',
    '--time-sec',
    '3',
    '--output-dir',
    path.join(work, 'sqlmap'),
    '--flush-session',
    '--disable-coloring',
    '--skip',
    `_csrf,lang,${SESSION_COOKIE},${ANON_CSRF_COOKIE}`,
  ];
  if (target.params) argv.push('-p', target.params.join(','));
  if (target.ignoreCodes) argv.push('--ignore-code', target.ignoreCodes.join(','));
  if (session) argv.push('--cookie', cookieHeader(session.jar));
  const headers: string[] = [];
  if (target.api && target.role !== 'public')
    headers.push(`Authorization: Bearer ${await apiToken(instance, target.role)}`);
  if (target.json) {
    headers.push('Content-Type: application/json');
    argv.push('--data', JSON.stringify(target.json));
  }
  if (headers.length > 0) argv.push('--headers', headers.join('\n'));
  if (target.form && session) {
    const page = await http(instance.base, new Map(session.jar), 'GET', target.form.page);
    const fields = formFields(page.body, target.form.action);
    if (fields.length === 0) {
      notes.push(`not run: no form sending to ${target.form.action} on ${target.form.page} (${page.status})`);
      return {
        tool: 'sqlmap',
        name,
        role: target.role,
        report: '',
        complete: false,
        seconds: 0,
        counts: zeroCounts(),
        findings: [],
        notes,
      };
    }
    const data = new URLSearchParams();
    const values = target.form.values ?? {};
    for (const [k, v] of fields) if (!(k in values)) data.append(k, v);
    for (const [k, v] of Object.entries(values)) if (fields.some(([n]) => n === k)) data.append(k, v);
    // A GET form (a search) is tested as its URL, a POST form as its body.
    if (target.method === 'GET') argv[1] = `${instance.base}${target.form.action}?${data.toString()}`;
    else argv.push('--data', data.toString());
  }
  // The page itself first: what sqlmap starts from must be a real answer, not a redirect to /accedi.
  const baseline = session
    ? await http(
        instance.base,
        new Map(session.jar),
        'GET',
        (target.form?.page ?? target.url).replaceAll('*', ''),
      )
    : null;
  if (baseline && baseline.status >= 300 && baseline.status < 400)
    notes.push(`the page answered ${baseline.status} → ${baseline.location} before the scan`);

  log(`${name}: ${target.method} ${target.url}${target.role !== 'public' ? ` as ${target.role}` : ''}`);
  const result = await run(tools.sqlmap, argv, {
    timeoutMs: (QUICK ? 120 : 420) * 1000,
    env: { TERM: 'dumb' },
  });
  const output = redact(result.output, instance, session);
  writeFileSync(
    reportFile,
    `# ${name}: ${target.method} ${target.url} as ${target.role}\n# sqlmap ${redact(argv.join(' '), instance, session)}\n\n${output}`,
  );

  const counts = zeroCounts();
  const findings: Finding[] = [];
  let complete = !result.timedOut && notes.length === 0;
  if (result.timedOut) notes.push('stopped by the time limit');
  const tested = [
    ...output.matchAll(/testing for SQL injection on ((?:\(custom\) )?\S+ parameter '[^']+')/g),
  ].map((m) => m[1] ?? '');
  if (/identified the following injection point/.test(output)) {
    const points = [...output.matchAll(/^Parameter: (.+)$/gm)].map((m) => m[1] ?? '');
    for (const p of points.length > 0 ? points : ['(see report)']) {
      counts.critical++;
      findings.push({
        severity: 'critical',
        category: 'SQL injection',
        method: target.method,
        path: target.url,
        parameter: p,
        info: 'sqlmap confirmed an injection point',
      });
    }
  }
  for (const m of output.matchAll(
    /heuristic \(basic\) test shows that (\S+ parameter '[^']+') might be injectable \(possible DBMS: '([^']+)'\)/g,
  )) {
    counts.medium++;
    findings.push({
      severity: 'medium',
      category: 'DBMS error in response',
      method: target.method,
      path: target.url,
      parameter: m[1] ?? '',
      info: `a quote in the input made the page show a ${m[2]} error message`,
    });
  }
  const http500 = /500 \(Internal Server Error\) - (\d+) times/.exec(output);
  if (http500) {
    counts.medium++;
    findings.push({
      severity: 'medium',
      category: 'Internal server error',
      method: target.method,
      path: target.url,
      info: `${http500[1]} requests answered 500 (bad input must be refused clearly, never a 500)`,
    });
  }
  const rateLimited = /429 \(Too Many Requests\) - (\d+) times/.exec(output);
  if (rateLimited) notes.push(`${rateLimited[1]} answers 429 (rate limit)`);
  const codes = output
    .split('HTTP error codes detected during run:')[1]
    ?.split('\n')
    .slice(1)
    .filter((l) => /^\d{3} \(/.test(l));
  if (codes && codes.length > 0) notes.push(`HTTP answers: ${codes.join(', ')}`);
  if (tested.length === 0) {
    complete = false;
    const why = /\[CRITICAL\] (.*)/.exec(output)?.[1] ?? 'no parameter was tested';
    notes.push(why);
  } else {
    counts.info++;
    notes.push(`tested: ${[...new Set(tested)].join(', ')}`);
  }
  if (session && target.role !== 'public' && !(await isAlive(instance, session))) {
    complete = false;
    notes.push('the session did not survive');
  }
  return {
    tool: 'sqlmap',
    name,
    role: target.role,
    report: path.relative(ROOT, reportFile),
    complete,
    seconds: Math.round((Date.now() - t0) / 1000),
    counts,
    findings,
    notes,
  };
}

// ---------------------------------------------------------------------------------------------
// Reports
// ---------------------------------------------------------------------------------------------

const zeroCounts = (): Counts => ({ critical: 0, high: 0, medium: 0, low: 0, info: 0 });

/** Session cookies and tokens of the throwaway instance do not belong in the repository. */
function redact(text: string, instance: Instance, session: Session | null): string {
  let out = text
    .replaceAll(instance.base, 'http://127.0.0.1:PORT')
    .replaceAll(instance.base.replace(/^http:\/\//, ''), '127.0.0.1:PORT');
  if (WORK) out = out.replaceAll(WORK, '<work>');
  // Terminal control sequences some tools print even with colours off.
  out = out.replace(new RegExp(`${String.fromCharCode(27)}(\\[[0-9;?]*[A-Za-z]|\\([A-Z0-9]|[>=])`, 'g'), '');
  for (const v of session?.jar.values() ?? []) if (v.length > 8) out = out.replaceAll(v, '<redacted>');
  for (const t of tokens.values()) out = out.replaceAll(t, '<redacted>');
  return out.replace(/\bslk_[\w-]{20,}/g, 'slk_<redacted>');
}

function redactFile(file: string, instance: Instance, session: Session): void {
  writeFileSync(file, redact(readFileSync(file, 'utf8'), instance, session));
}

function printTable(results: ScanResult[]): void {
  const head = ['scan', 'role', 'crit', 'high', 'med', 'low', 'info', 'time', 'result'];
  const rows = results.map((r) => [
    r.name,
    r.role,
    ...SEVERITIES.map((s) => String(r.counts[s])),
    `${r.seconds}s`,
    FAILING.some((s) => r.counts[s] > 0) ? 'FAIL' : r.complete ? 'ok' : 'INCOMPLETE',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i >= 2 && i <= 7 ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join('  ');
  console.log('');
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
  console.log('');
  for (const r of results) {
    for (const f of r.findings.filter((x) => FAILING.includes(x.severity)))
      console.log(
        `  ${f.severity.toUpperCase()} ${r.name}: ${f.category} ${f.method ?? ''} ${f.path ?? ''} ${f.parameter ?? ''} — ${f.info}`,
      );
    if (!r.complete) console.log(`  INCOMPLETE ${r.name}: ${r.notes.join('; ')}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------

/** Runs the jobs `size` at a time, keeping their order in the answer. */
async function pool<T>(jobs: Array<() => Promise<T>>, size: number): Promise<T[]> {
  const out: T[] = [];
  let next = 0;
  const lane = async () => {
    while (next < jobs.length) {
      const i = next++;
      const job = jobs[i];
      if (job) out[i] = await job();
    }
  };
  await Promise.all(Array.from({ length: Math.min(size, jobs.length) }, lane));
  return out;
}

async function main(): Promise<number> {
  const tools = checkTools();
  log(
    `wapiti ${tools.wapitiVersion}, sqlmap ${tools.sqlmapVersion}; roles: ${SELECTED.join(', ')}${QUICK ? ' (quick)' : ''}`,
  );
  // The folder holds exactly this run's reports.
  mkdirSync(REPORTS, { recursive: true });
  for (const f of readdirSync(REPORTS))
    if (/^(wapiti-|sqlmap-|summary\.json$|server-errors\.txt$)/.test(f)) rmSync(path.join(REPORTS, f));
  const work = mkdtempSync(path.join(tmpdir(), 'sportello-scan-work-'));
  WORK = work;
  let instance: Instance | null = null;
  let lifter: NodeJS.Timeout | null = null;
  const stopAll = async () => {
    if (lifter) clearInterval(lifter);
    for (const c of children) stopChild(c);
    if (instance) {
      await instance.db.end().catch(() => {});
      await stopServer(instance).catch(() => {});
      instance = null;
    }
    rmSync(work, { recursive: true, force: true });
  };
  const onSignal = (signal: NodeJS.Signals) => {
    log(`${signal}: stopping the scanners and the demo instance…`);
    void stopAll().then(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    const inst = await startInstance();
    instance = inst;
    lifter = setInterval(() => void liftRateLimits(inst).catch(() => {}), 500);
    const jobs: Array<() => Promise<ScanResult[]>> = [];
    const failed = (tool: 'wapiti' | 'sqlmap', name: string, role: Role, error: unknown): ScanResult => ({
      tool,
      name,
      role,
      report: '',
      complete: false,
      seconds: 0,
      counts: zeroCounts(),
      findings: [],
      notes: [`could not run: ${(error as Error).message}`],
    });
    if (ONLY !== 'sqlmap')
      for (const role of SELECTED)
        jobs.push(async () => [
          await wapitiScan(inst, tools, role, work).catch((e) => failed('wapiti', `wapiti-${role}`, role, e)),
        ]);
    if (ONLY !== 'wapiti') {
      const targets = await sqlTargets(inst);
      // sqlmap runs its targets one after another in one lane, beside the wapiti scans.
      jobs.splice(Math.min(1, jobs.length), 0, async () => {
        const out: ScanResult[] = [];
        for (const t of targets)
          out.push(
            await sqlmapScan(inst, tools, t, work).catch((e) =>
              failed('sqlmap', `sqlmap-${t.name}`, t.role, e),
            ),
          );
        return out;
      });
    }
    const results = (await pool(jobs, JOBS)).flat();
    results.sort((a, b) => a.tool.localeCompare(b.tool) || ROLES.indexOf(a.role) - ROLES.indexOf(b.role));

    const serverErrors = inst
      .output()
      .split('\n')
      .filter((l) => /"level":50|request failed/.test(l));
    // Grouped by message and the first frame in src/: where to look in the code.
    const groups = new Map<string, { count: number; message: string; at: string; example: string }>();
    for (const line of serverErrors) {
      const message =
        /"message":"((?:[^"\\]|\\.)*)"/.exec(line)?.[1]?.replaceAll('\\"', '"') ?? line.slice(0, 200);
      const at = /(src\/[\w./-]+:\d+)/.exec(line)?.[1] ?? '?';
      const group = groups.get(`${message} ${at}`) ?? { count: 0, message, at, example: line };
      group.count++;
      groups.set(`${message} ${at}`, group);
    }
    const totals = zeroCounts();
    for (const r of results) for (const s of SEVERITIES) totals[s] += r.counts[s];
    const failing = FAILING.some((s) => totals[s] > 0);
    const incomplete = results.filter((r) => !r.complete).map((r) => r.name);
    const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: ROOT,
      encoding: 'utf8',
    }).stdout.trim();
    const summary = {
      date: new Date().toISOString(),
      durationSeconds: Math.round((Date.now() - started) / 1000),
      commit,
      target:
        'node bin/sportello.js serve (demo mode, embedded PostgreSQL, fresh DATA_DIR) on http://127.0.0.1',
      tools: { wapiti: tools.wapitiVersion, sqlmap: tools.sqlmapVersion },
      options: { quick: QUICK, roles: SELECTED, only: ONLY ?? 'both', wapitiModules: WAPITI_MODULES },
      failOn: FAILING,
      totals,
      serverErrorsLogged: serverErrors.length,
      serverErrors: [...groups.values()].map(({ count, message, at }) => ({ count, message, at })),
      cookiesSetByServer: Object.fromEntries(COOKIE_FLAGS),
      incomplete,
      pass: !failing && incomplete.length === 0,
      scans: results,
    };
    writeFileSync(path.join(REPORTS, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
    if (serverErrors.length > 0)
      writeFileSync(
        path.join(REPORTS, 'server-errors.txt'),
        `${redact(
          [...groups.values()]
            .map((g) => `# ${g.count} × ${g.message} at ${g.at} — one of them in full:\n${g.example}`)
            .join('\n\n'),
          inst,
          null,
        )}\n`,
      );
    else rmSync(path.join(REPORTS, 'server-errors.txt'), { force: true });
    printTable(results);
    log(
      `totals: ${SEVERITIES.map((s) => `${s} ${totals[s]}`).join(', ')}; server errors logged: ${serverErrors.length}`,
    );
    for (const g of groups.values()) log(`  server error ${g.count} × ${g.message} at ${g.at}`);
    log(`reports in ${path.relative(ROOT, REPORTS)}/ (summary.json)`);
    if (failing) {
      log('FAIL: findings of medium severity or more (see above and security/README.md)');
      return 1;
    }
    if (incomplete.length > 0) {
      log(`INCOMPLETE: ${incomplete.join(', ')}`);
      return 2;
    }
    log('PASS: no finding of medium severity or more');
    return 0;
  } finally {
    log('stopping the demo instance');
    await stopAll();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`[scan] ${(error as Error).stack ?? String(error)}`);
    process.exit(2);
  },
);
