import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/** Runtime configuration, read once from the environment (see CONVENTIONS.md). */
const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  DATABASE_URL: z.string().url().optional(),
  DATA_DIR: z.string().default('./data'),
  SPORTELLO_MODE: z.enum(['demo', 'production']).default('demo'),
  SESSION_SECRET: z.string().min(32).optional(),
  SIGNING_KEY_FILE: z.string().optional(),
  PUBLIC_URL: z.string().url().optional(),
  SMTP_URL: z.string().optional(),
  MAIL_FROM: z.string().default('Sportello Lavoro <noreply@sportello.example>'),
  SPID_ISSUER: z.string().url().optional(),
  SPID_CLIENT_ID: z.string().optional(),
  SPID_CLIENT_SECRET: z.string().optional(),
  VIDEO_BASE_URL: z.string().url().default('https://meet.jit.si/'),
  UPLOAD_MAX_MB: z.coerce.number().int().min(1).max(50).default(10),
  REMINDER_OFFSETS_HOURS: z
    .string()
    .regex(/^\d{1,3}(,\d{1,3})*$/)
    .default('48,2'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  mode: 'demo' | 'production';
  demo: boolean;
  sessionSecret: string;
  publicUrl: string;
  smtpUrl: string | undefined;
  mailFrom: string;
  spid: { issuer: string | undefined; clientId: string; clientSecret: string | undefined };
  logLevel: string;
  /** Base address of the video-meeting service (e.g. a Jitsi server). */
  videoBaseUrl: string;
  /** The largest file a person may upload (justifications, documents to verify). */
  uploadMaxBytes: number;
  /** Hours before an appointment when reminders go out. */
  reminderOffsetsHours: number[];
};

export class ConfigError extends Error {}

/** In demo mode a secret is generated once and kept under DATA_DIR so sessions survive restarts. */
function demoSecret(dataDir: string): string {
  const file = path.join(dataDir, 'demo-session-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`Invalid configuration: ${issues}`);
  }
  const e = parsed.data;
  const demo = e.SPORTELLO_MODE === 'demo';
  const dataDir = path.resolve(e.DATA_DIR);
  if (!demo) {
    const missing = ['SESSION_SECRET', 'SIGNING_KEY_FILE', 'DATABASE_URL', 'PUBLIC_URL'].filter(
      (k) => !env[k],
    );
    if (missing.length > 0) {
      throw new ConfigError(`Production mode refuses to start without: ${missing.join(', ')}`);
    }
  }
  const port = e.PORT;
  return {
    port,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir,
    mode: e.SPORTELLO_MODE,
    demo,
    sessionSecret: e.SESSION_SECRET ?? demoSecret(dataDir),
    publicUrl: (e.PUBLIC_URL ?? `http://${e.HOST}:${port}`).replace(/\/$/, ''),
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    spid: {
      issuer: e.SPID_ISSUER,
      clientId: e.SPID_CLIENT_ID ?? 'sportello-lavoro',
      clientSecret: e.SPID_CLIENT_SECRET,
    },
    logLevel: e.LOG_LEVEL,
    videoBaseUrl: e.VIDEO_BASE_URL,
    uploadMaxBytes: e.UPLOAD_MAX_MB * 1024 * 1024,
    reminderOffsetsHours: e.REMINDER_OFFSETS_HOURS.split(',').map(Number),
  };
}
