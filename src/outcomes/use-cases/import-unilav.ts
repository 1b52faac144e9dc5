import { sql } from 'kysely';
import { recordVacancyEvent } from '../../employers/use-cases/vacancies.ts';
import { type AuditLog, actorOf } from '../../platform/audit/audit.ts';
import type { SessionUser } from '../../platform/auth/session.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import { romeDay } from '../../platform/i18n/format.ts';
import type { ReportRow } from '../adapters/outcome-tables.ts';
import { type Communication, checkRow, type Reason, readUnilavFile } from '../domain/unilav.ts';

export { romeDay };

export type OutcomeDeps = { db: Db; audit: AuditLog };

export type ImportResult =
  | { ok: true; importId: string; accepted: number; duplicates: number; refused: number }
  | { ok: false; error: Reason };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const PURPOSE = 'employment_outcomes';

/**
 * Import a file of hiring communications for the operator's Region. The whole file is one
 * transaction: each accepted communication records an employment outcome (source 'unilav'), may
 * close the company's matching published vacancy, and writes a 'placement' event to the national
 * outbox. Communication codes already imported in the Region are reported as duplicates and change
 * nothing, so importing the same file twice is harmless.
 */
export async function importUnilav(
  deps: OutcomeDeps,
  user: SessionUser,
  file: { filename: string; data: Buffer },
  now: Date,
): Promise<ImportResult> {
  const read = readUnilavFile(file.data);
  if (!read.ok) return read;
  const region = user.regionCode;
  const today = romeDay(now);
  const checked = read.rows.map((row) => ({ row, check: checkRow(row, today) }));
  const filename = file.filename.replace(/[^\p{L}\p{N}._ -]/gu, '_').slice(0, 200) || 'unilav';

  return deps.db.transaction().execute(async (trx): Promise<ImportResult> => {
    // One import at a time per Region: the duplicate check below then sees every earlier import.
    await sql`select pg_advisory_xact_lock(hashtext(${`unilav:${region}`}))`.execute(trx);
    const valid = checked.flatMap((c) => (c.check.ok ? [c.check.value] : []));
    const codes = [...new Set(valid.map((c) => c.code))];
    const fiscalCodes = [...new Set(valid.map((c) => c.workerFiscalCode))];
    const taxCodes = [...new Set(valid.map((c) => c.employerTaxCode))];
    const known = new Set(
      codes.length === 0
        ? []
        : (
            await trx
              .selectFrom('unilav_communications')
              .select('communication_code')
              .where('region_code', '=', region)
              .where('communication_code', 'in', codes)
              .execute()
          ).map((r) => r.communication_code),
    );
    const people = new Map(
      fiscalCodes.length === 0
        ? []
        : (
            await trx
              .selectFrom('users')
              .select(['id', 'fiscal_code'])
              .where('region_code', '=', region)
              .where('role', '=', 'citizen')
              .where(sql<string>`upper(fiscal_code)`, 'in', fiscalCodes)
              .execute()
          ).map((r) => [(r.fiscal_code ?? '').toUpperCase(), r.id] as const),
    );
    const companies = new Map<string, string>();
    if (taxCodes.length > 0)
      for (const c of await trx
        .selectFrom('companies')
        .select(['id', 'fiscal_code', 'vat_number'])
        .where('region_code', '=', region)
        .where((eb) => eb.or([eb('fiscal_code', 'in', taxCodes), eb('vat_number', 'in', taxCodes)]))
        .orderBy('created_at')
        .execute()) {
        for (const key of [c.fiscal_code.toUpperCase(), c.vat_number.toUpperCase()])
          if (!companies.has(key)) companies.set(key, c.id);
      }

    const created = await trx
      .insertInto('unilav_imports')
      .values({
        region_code: region,
        uploaded_by: user.id,
        filename,
        format: read.format,
        size_bytes: file.data.length,
        rows_total: checked.length,
        rows_accepted: 0,
        rows_duplicate: 0,
        rows_refused: 0,
        vacancies_closed: 0,
        report: '[]',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const importId = created.id;

    const seenInFile = new Map<string, number>();
    const report: ReportRow[] = [];
    let closed = 0;
    for (const { row, check } of checked) {
      const raw = {
        line: row.line,
        code: (row.fields.codice_comunicazione ?? '').trim().slice(0, 40) || null,
        fiscalCode: (row.fields.cf_lavoratore ?? '').trim().slice(0, 40) || null,
      };
      if (!check.ok) {
        report.push({ ...raw, status: 'refused', reasons: check.reasons });
        continue;
      }
      const c = check.value;
      const earlier = seenInFile.get(c.code);
      if (earlier !== undefined) {
        report.push({
          ...raw,
          status: 'duplicate',
          reasons: [{ key: 'outcomes.report.dupInFile', values: { line: String(earlier) } }],
        });
        continue;
      }
      seenInFile.set(c.code, row.line);
      if (known.has(c.code)) {
        report.push({ ...raw, status: 'duplicate', reasons: [{ key: 'outcomes.report.dupImported' }] });
        continue;
      }
      const personId = people.get(c.workerFiscalCode);
      if (!personId) {
        report.push({ ...raw, status: 'refused', reasons: [{ key: 'outcomes.errors.personNotFound' }] });
        continue;
      }
      const companyId = companies.get(c.employerTaxCode) ?? null;
      const r = await recordCommunication(deps, trx, user, importId, personId, companyId, c, now);
      if (r.closed) closed++;
      report.push({
        ...raw,
        status: 'accepted',
        reasons: [],
        personId,
        ...(r.vacancyId ? { vacancyId: r.vacancyId, vacancyClosed: r.closed } : {}),
        ...(r.note ? { vacancyNote: r.note } : {}),
      });
    }
    const count = (s: ReportRow['status']) => report.filter((r) => r.status === s).length;
    const accepted = count('accepted');
    const duplicates = count('duplicate');
    const refused = count('refused');
    await trx
      .updateTable('unilav_imports')
      .set({
        rows_accepted: accepted,
        rows_duplicate: duplicates,
        rows_refused: refused,
        vacancies_closed: closed,
        report: JSON.stringify(report),
      })
      .where('region_code', '=', region)
      .where('id', '=', importId)
      .execute();
    await deps.audit.record(
      {
        regionCode: region,
        action: 'outcomes.unilav_imported',
        outcome: 'ok',
        actor: actorOf(user),
        purpose: PURPOSE,
        objectType: 'unilav_import',
        objectId: importId,
        details: { format: read.format, rows: checked.length, accepted, duplicates, refused, closed },
      },
      trx,
    );
    return { ok: true, importId, accepted, duplicates, refused };
  });
}

type Recorded = { vacancyId: string | null; closed: boolean; note: string | null };

async function recordCommunication(
  deps: OutcomeDeps,
  trx: Tx,
  user: SessionUser,
  importId: string,
  personId: string,
  companyId: string | null,
  c: Communication,
  now: Date,
): Promise<Recorded> {
  const region = user.regionCode;
  const outcome = await sql<{ id: string }>`
    insert into employment_outcomes (region_code, user_id, started_on, source)
    values (${region}, ${personId}, ${c.startedOn}::date, 'unilav') returning id`.execute(trx);
  const outcomeId = outcome.rows[0]!.id;
  const match = await matchVacancy(trx, region, companyId, c);
  await trx
    .insertInto('unilav_communications')
    .values({
      region_code: region,
      communication_code: c.code,
      import_id: importId,
      worker_id: personId,
      outcome_id: outcomeId,
      employer_tax_code: c.employerTaxCode,
      company_id: companyId,
      started_on: c.startedOn,
      ended_on: c.endedOn,
      contract_code: c.contractCode,
      istat_code: c.istatCode,
      esco_uri: c.escoUri,
      workplace_code: c.workplaceCode,
      vacancy_id: match.vacancyId,
    })
    .execute();
  let closed = false;
  if (match.vacancyId && match.filledAfter >= match.positions) {
    await closeFilledVacancy(deps, trx, user, match.vacancyId, personId, c.code, now);
    closed = true;
  }
  await trx
    .insertInto('national_outbox')
    .values({
      region_code: region,
      idempotency_key: `placement:unilav:${region}:${c.code}`,
      kind: 'placement',
      payload: JSON.stringify({
        source: 'unilav',
        communicationCode: c.code,
        citizenId: personId,
        fiscalCode: c.workerFiscalCode,
        companyTaxCode: c.employerTaxCode,
        contractCode: c.contractCode,
        contractType: c.contractType,
        istatCode: c.istatCode,
        escoUri: c.escoUri,
        workplaceCode: c.workplaceCode,
        startedOn: c.startedOn,
        endedOn: c.endedOn,
        vacancyId: match.vacancyId,
      }),
    })
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .execute();
  await deps.audit.record(
    {
      regionCode: region,
      action: 'outcomes.placement_recorded',
      outcome: 'ok',
      actor: actorOf(user),
      subjectId: personId,
      purpose: PURPOSE,
      objectType: 'employment_outcome',
      objectId: outcomeId,
      details: { communication: c.code, vacancy: match.vacancyId, vacancyClosed: closed },
    },
    trx,
  );
  return { vacancyId: match.vacancyId, closed, note: match.note };
}

type Match = { vacancyId: string | null; positions: number; filledAfter: number; note: string | null };

/**
 * The vacancy a communication fills (the rule, also in README.md): only a published vacancy of the
 * same company (the employer's tax code is the company's codice fiscale or partita IVA). With a vacancy
 * reference, that vacancy; otherwise, with an ESCO occupation, the company's published vacancy of the
 * same occupation published first that still has a position to fill. The ISTAT code alone never
 * matches (the platform's vacancies are on ESCO). A vacancy closes when its communications reach its
 * number of positions.
 */
async function matchVacancy(
  trx: Tx,
  region: string,
  companyId: string | null,
  c: Communication,
): Promise<Match> {
  const none = (note: string): Match => ({ vacancyId: null, positions: 0, filledAfter: 0, note });
  if (!companyId) return none('outcomes.vacancy.noCompany');
  if (!c.vacancyRef && !c.escoUri) return none('outcomes.vacancy.noCriteria');
  const filled = sql<number>`(select count(*)::int from unilav_communications u
    where u.region_code = v.region_code and u.vacancy_id = v.id)`;
  let q = trx
    .selectFrom('vacancies as v')
    .select(['v.id', 'v.positions', 'v.status', filled.as('filled')])
    .where('v.region_code', '=', region)
    .where('v.company_id', '=', companyId);
  q = c.vacancyRef
    ? q.where('v.id', '=', c.vacancyRef)
    : q.where('v.occupation_uri', '=', c.escoUri).where('v.status', '=', 'published');
  const rows = await q.orderBy('v.published_at').orderBy('v.id').forUpdate().execute();
  if (c.vacancyRef) {
    const v = rows[0];
    if (!v) return none('outcomes.vacancy.refNotFound');
    if (v.status !== 'published') return none('outcomes.vacancy.notPublished');
    return { vacancyId: v.id, positions: v.positions, filledAfter: v.filled + 1, note: null };
  }
  const open = rows.find((v) => v.filled < v.positions);
  if (!open) return none('outcomes.vacancy.noMatch');
  return { vacancyId: open.id, positions: open.positions, filledAfter: open.filled + 1, note: null };
}

async function closeFilledVacancy(
  deps: OutcomeDeps,
  trx: Tx,
  user: SessionUser,
  vacancyId: string,
  personId: string,
  code: string,
  now: Date,
): Promise<void> {
  const region = user.regionCode;
  const applied = await trx
    .selectFrom('applications')
    .select('id')
    .where('region_code', '=', region)
    .where('vacancy_id', '=', vacancyId)
    .where('citizen_id', '=', personId)
    .executeTakeFirst();
  const outcome = applied ? 'filled_platform' : 'filled_elsewhere';
  await trx
    .updateTable('vacancies')
    .set({
      status: 'closed',
      outcome,
      hired_citizen_id: applied ? personId : null,
      closed_at: now,
      updated_at: now,
    })
    .where('region_code', '=', region)
    .where('id', '=', vacancyId)
    .where('status', '=', 'published')
    .execute();
  const eventId = await recordVacancyEvent(trx, region, vacancyId, 'closed', user.id, now, outcome);
  await trx
    .insertInto('national_outbox')
    .values({
      region_code: region,
      idempotency_key: `vacancy.closed:${region}:${vacancyId}:${eventId}`,
      kind: 'vacancy.closed',
      payload: JSON.stringify({
        vacancyId,
        outcome,
        closedAt: now.toISOString(),
        source: 'unilav',
        communicationCode: code,
      }),
    })
    .execute();
  await deps.audit.record(
    {
      regionCode: region,
      action: 'vacancy.closed',
      outcome: 'ok',
      actor: actorOf(user),
      subjectId: applied ? personId : null,
      objectType: 'vacancy',
      objectId: vacancyId,
      details: { outcome, source: 'unilav', communication: code },
    },
    trx,
  );
}

// ── Reading ──────────────────────────────────────────────────────────────────────────────────────

export type ImportSummary = {
  id: string;
  filename: string;
  format: 'csv' | 'xml';
  created_at: Date;
  rows_total: number;
  rows_accepted: number;
  rows_duplicate: number;
  rows_refused: number;
  vacancies_closed: number;
  uploader: string;
};

/** The Region's most recent imports. */
export async function recentImports(db: Db, user: SessionUser): Promise<ImportSummary[]> {
  const rows = await db
    .selectFrom('unilav_imports as i')
    .innerJoin('users as u', (j) =>
      j.onRef('u.region_code', '=', 'i.region_code').onRef('u.id', '=', 'i.uploaded_by'),
    )
    .select([
      'i.id',
      'i.filename',
      'i.format',
      'i.created_at',
      'i.rows_total',
      'i.rows_accepted',
      'i.rows_duplicate',
      'i.rows_refused',
      'i.vacancies_closed',
      sql<string>`u.given_name || ' ' || u.family_name`.as('uploader'),
    ])
    .where('i.region_code', '=', user.regionCode)
    .orderBy('i.created_at', 'desc')
    .limit(20)
    .execute();
  return rows;
}

export type ImportReport = ImportSummary & {
  report: ReportRow[];
  names: Map<string, string>;
  vacancies: Map<string, string>;
};

/**
 * One import's report, in the operator's Region (another Region's is "not found"). The people named
 * in it are personal data read by the operator: each is audited with the purpose.
 */
export async function importReport(
  deps: OutcomeDeps,
  user: SessionUser,
  id: string,
): Promise<ImportReport | null> {
  if (!UUID.test(id)) return null;
  const row = await deps.db
    .selectFrom('unilav_imports as i')
    .innerJoin('users as u', (j) =>
      j.onRef('u.region_code', '=', 'i.region_code').onRef('u.id', '=', 'i.uploaded_by'),
    )
    .select([
      'i.id',
      'i.filename',
      'i.format',
      'i.created_at',
      'i.rows_total',
      'i.rows_accepted',
      'i.rows_duplicate',
      'i.rows_refused',
      'i.vacancies_closed',
      'i.report',
      sql<string>`u.given_name || ' ' || u.family_name`.as('uploader'),
    ])
    .where('i.region_code', '=', user.regionCode)
    .where('i.id', '=', id)
    .executeTakeFirst();
  if (!row) return null;
  const personIds = [...new Set(row.report.flatMap((r) => (r.personId ? [r.personId] : [])))];
  const vacancyIds = [...new Set(row.report.flatMap((r) => (r.vacancyId ? [r.vacancyId] : [])))];
  const names = new Map<string, string>();
  if (personIds.length > 0) {
    const people = await deps.db
      .selectFrom('users')
      .select(['id', 'given_name', 'family_name'])
      .where('region_code', '=', user.regionCode)
      .where('id', 'in', personIds)
      .execute();
    for (const p of people) names.set(p.id, `${p.given_name} ${p.family_name}`);
    await deps.audit.recordReads(
      actorOf(user),
      'employment_outcome',
      PURPOSE,
      people.map((p) => ({ subjectId: p.id, objectId: id })),
    );
  }
  const vacancies = new Map<string, string>();
  if (vacancyIds.length > 0)
    for (const v of await deps.db
      .selectFrom('vacancies')
      .select(['id', 'title'])
      .where('region_code', '=', user.regionCode)
      .where('id', 'in', vacancyIds)
      .execute())
      vacancies.set(v.id, v.title);
  return { ...row, names, vacancies };
}
