import type { AuditLog } from '../../platform/audit/audit.ts';
import type { SessionUser } from '../../platform/auth/session.ts';
import type { Db } from '../../platform/db/database.ts';
import type { Notifier } from '../../platform/messaging/messaging.ts';

export type CaseworkDeps = { db: Db; audit: AuditLog; notifier: Notifier; defaultRegion: string };

export const HELP_CHANNELS = ['phone', 'email', 'in_person', 'video'] as const;
export const HELP_TOPICS = [
  'sign_in',
  'did',
  'benefits',
  'appointment',
  'job_search',
  'training',
  'other',
] as const;

export type HelpRequestInput = {
  officeId: string;
  name: string;
  contact: string;
  channel: (typeof HELP_CHANNELS)[number];
  topic: (typeof HELP_TOPICS)[number];
  message: string;
  language: string;
  /** The page the person was on when asking for help. */
  step?: string | null;
};

export async function officesOf(db: Db, regionCode: string) {
  return db
    .selectFrom('offices as o')
    .innerJoin('municipalities as m', 'm.istat_code', 'o.municipality_code')
    .select(['o.id', 'o.name', 'o.address', 'o.hours', 'o.email', 'o.phone', 'm.name as municipality'])
    .where('o.region_code', '=', regionCode)
    .orderBy('o.name')
    .execute();
}

/**
 * "Ho bisogno di aiuto": anyone, signed in or not, asks their CPI for help. The office is told by
 * e-mail through the queue, in the same transaction as the request.
 */
export async function submitHelpRequest(
  deps: CaseworkDeps,
  user: SessionUser | null,
  input: HelpRequestInput,
): Promise<{ ok: true; id: string } | { ok: false; reason: 'unknown_office' }> {
  const regionCode = user?.regionCode ?? deps.defaultRegion;
  const office = await deps.db
    .selectFrom('offices')
    .select(['id', 'email', 'name'])
    .where('region_code', '=', regionCode)
    .where('id', '=', input.officeId)
    .executeTakeFirst();
  if (!office) return { ok: false, reason: 'unknown_office' };
  const id = await deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('help_requests')
      .values({
        region_code: regionCode,
        office_id: office.id,
        user_id: user?.id ?? null,
        name: input.name,
        contact: input.contact,
        channel: input.channel,
        topic: input.topic,
        message: input.message,
        language: input.language,
        step: input.step ?? null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await deps.notifier.email(trx, {
      key: `help-request:${row.id}`,
      to: office.email,
      subject: `Richiesta di aiuto (${input.topic}) — ${office.name}`,
      text: `Una persona ha chiesto aiuto tramite Sportello Lavoro.\nCanale preferito: ${input.channel}\nLingua: ${input.language}\nPagina: ${input.step ?? '—'}\nApri la richiesta nell'area operatori: /operatore/richieste-aiuto/${row.id}\n(I dati personali sono visibili solo dopo l'accesso.)`,
    });
    return row.id;
  });
  return { ok: true, id };
}

/** The office's open requests. Reading them is a read of people's data: audited. */
export async function listHelpRequests(deps: CaseworkDeps, operator: SessionUser) {
  const rows = await deps.db
    .selectFrom('help_requests')
    .selectAll()
    .where('region_code', '=', operator.regionCode)
    .$if(operator.role === 'cpi_operator', (q) => q.where('office_id', '=', operator.officeId ?? ''))
    .$if(operator.role === 'apl_operator', (q) =>
      q.where('office_id', '=', '00000000-0000-0000-0000-000000000000'),
    )
    .orderBy('created_at', 'desc')
    .limit(200)
    .execute();
  await deps.db.transaction().execute(async (trx) => {
    for (const r of rows) {
      await deps.audit.record(
        {
          regionCode: r.region_code,
          action: 'read.help_request',
          outcome: 'ok',
          actor: {
            id: operator.id,
            role: operator.role,
            regionCode: operator.regionCode,
            officeId: operator.officeId,
            agencyId: operator.agencyId,
          },
          subjectId: r.user_id,
          purpose: 'help_request',
          objectType: 'help_request',
          objectId: r.id,
        },
        trx,
      );
    }
  });
  return rows;
}

/** The CPI nearest to the person's domicile (by coordinates), when the profile has one. */
export async function nearestOfficeId(db: Db, user: SessionUser): Promise<string | null> {
  const home = await db
    .selectFrom('citizen_profiles as p')
    .innerJoin('municipalities as m', 'm.istat_code', 'p.domicile_code')
    .select(['m.latitude', 'm.longitude'])
    .where('p.region_code', '=', user.regionCode)
    .where('p.user_id', '=', user.id)
    .executeTakeFirst();
  if (home?.latitude == null || home.longitude == null) return null;
  const offices = await db
    .selectFrom('offices as o')
    .innerJoin('municipalities as m', 'm.istat_code', 'o.municipality_code')
    .select(['o.id', 'm.latitude', 'm.longitude'])
    .where('o.region_code', '=', user.regionCode)
    .execute();
  const lat = home.latitude;
  const lon = home.longitude;
  const distance = (a: number | null, b: number | null) =>
    a == null || b == null
      ? Number.POSITIVE_INFINITY
      : (a - lat) ** 2 + ((b - lon) * Math.cos((lat * Math.PI) / 180)) ** 2;
  return (
    offices.sort((x, y) => distance(x.latitude, x.longitude) - distance(y.latitude, y.longitude))[0]?.id ??
    null
  );
}
