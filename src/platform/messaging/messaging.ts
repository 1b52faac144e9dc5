import nodemailer from 'nodemailer';
import type { Db, Tx } from '../db/database.ts';
import type { Queue } from '../queue/queue.ts';

/** Ports for the outside world: an e-mail server and an SMS provider. */
/** An e-mail; `calendar` is an iCalendar invitation sent as a proper text/calendar part. */
export type EmailMessage = {
  key: string;
  to: string;
  subject: string;
  text: string;
  calendar?: { method: 'REQUEST' | 'CANCEL'; content: string };
};
export type SmsMessage = { key: string; to: string; text: string };

export interface EmailGateway {
  send(message: EmailMessage): Promise<void>;
}
export interface SmsGateway {
  send(message: SmsMessage): Promise<void>;
}

/** Demo mode: messages land in the dev outbox (/dev/outbox), once per idempotency key. */
export class DevOutboxGateway implements EmailGateway, SmsGateway {
  constructor(
    private readonly db: Db,
    private readonly channel: 'email' | 'sms',
  ) {}
  async send(message: EmailMessage | SmsMessage): Promise<void> {
    await this.db
      .insertInto('dev_outbox')
      .values({
        idempotency_key: `${this.channel}:${message.key}`,
        channel: this.channel,
        recipient: message.to,
        subject: 'subject' in message ? message.subject : null,
        body: message.text,
        attachment_name: 'calendar' in message && message.calendar ? 'appuntamento.ics' : null,
        attachment: 'calendar' in message && message.calendar ? message.calendar.content : null,
      })
      .onConflict((oc) => oc.column('idempotency_key').doNothing())
      .execute();
  }
}

export class SmtpEmailGateway implements EmailGateway {
  private readonly transport;
  constructor(
    smtpUrl: string,
    private readonly from: string,
  ) {
    this.transport = nodemailer.createTransport(smtpUrl);
  }
  async send(message: EmailMessage): Promise<void> {
    await this.transport.sendMail({
      from: this.from,
      to: message.to,
      subject: message.subject,
      text: message.text,
      headers: { 'X-Idempotency-Key': message.key },
      ...(message.calendar
        ? {
            icalEvent: {
              method: message.calendar.method,
              content: message.calendar.content,
              filename: 'appuntamento.ics',
            },
          }
        : {}),
    });
  }
}

/** A generic HTTP SMS provider: POST {to, text} as JSON with a bearer key. */
export class HttpSmsGateway implements SmsGateway {
  constructor(
    private readonly url: string,
    private readonly apiKey: string,
  ) {}
  async send(message: SmsMessage): Promise<void> {
    const response = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${this.apiKey}` },
      body: JSON.stringify({ to: message.to, text: message.text, reference: message.key }),
    });
    if (!response.ok) throw new Error(`SMS provider answered ${response.status}`);
  }
}

/** What use cases call: the message is accepted in the caller's transaction and sent by a worker. */
export type Notifier = {
  email: (trx: Db | Tx, message: EmailMessage) => Promise<void>;
  sms: (trx: Db | Tx, message: SmsMessage) => Promise<void>;
};

export function makeNotifier(queue: Queue): Notifier {
  return {
    email: (trx, message) => queue.enqueue(trx, 'send-email', message, message.key),
    sms: (trx, message) => queue.enqueue(trx, 'send-sms', message, message.key),
  };
}

/** Worker side: deliver each job once per idempotency key (recorded in sent_messages). */
export async function deliver(
  db: Db,
  channel: 'email' | 'sms',
  message: EmailMessage | SmsMessage,
  send: () => Promise<void>,
): Promise<void> {
  const key = `${channel}:${message.key}`;
  const already = await db
    .selectFrom('sent_messages')
    .select('idempotency_key')
    .where('idempotency_key', '=', key)
    .executeTakeFirst();
  if (already) return;
  await send();
  await db
    .insertInto('sent_messages')
    .values({ idempotency_key: key, channel, recipient: message.to })
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .execute();
}

export async function startMessageWorkers(
  db: Db,
  queue: Queue,
  gateways: { email: EmailGateway; sms: SmsGateway },
): Promise<void> {
  await queue.boss.work<EmailMessage>(
    'send-email',
    { pollingIntervalSeconds: 0.5, batchSize: 5 },
    async (jobs) => {
      for (const job of jobs) await deliver(db, 'email', job.data, () => gateways.email.send(job.data));
    },
  );
  await queue.boss.work<SmsMessage>(
    'send-sms',
    { pollingIntervalSeconds: 0.5, batchSize: 5 },
    async (jobs) => {
      for (const job of jobs) await deliver(db, 'sms', job.data, () => gateways.sms.send(job.data));
    },
  );
}
