import { sql } from 'kysely';
import type { CaseworkPorts } from '../../casework/deps.ts';
import { type ReadPurpose, readPersonRecord } from '../../casework/use-cases/person-record.ts';
import { actorOf } from '../../platform/audit/audit.ts';
import type { SessionUser } from '../../platform/auth/session.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import { isLang, translator } from '../../platform/i18n/i18n.ts';
import type { NoteVisibility } from '../adapters/dossier-tables.ts';
import { type Reader, visibilitiesFor, visibilitiesForWriter } from '../domain/notes.ts';
import { type TimelineEntry, visibleEntries } from '../domain/timeline.ts';
import { collectTimeline } from './timeline.ts';

/**
 * The electronic dossier (issue 8, item 2). Who may open a person's dossier is decided by the
 * casework context's `readPersonRecord` (Region, role, the APL's referrals); the dossier then keeps to
 * what the reader may see: an APL operator only the lines marked for agencies and the notes shared
 * with the agency or the person. Every view is audited (`read.dossier`) with its purpose.
 */
export type DossierDeps = Pick<CaseworkPorts, 'db' | 'audit' | 'notifier' | 'defaultRegion' | 'config'>;

export type DossierNote = {
  id: string;
  body: string;
  visibility: NoteVisibility;
  created_at: Date;
  author_role: string;
  given_name: string;
  family_name: string;
  office_name: string | null;
  agency_name: string | null;
};

const readerOf = (user: Pick<SessionUser, 'role'>): Reader =>
  user.role === 'apl_operator' ? 'apl' : user.role === 'citizen' ? 'person' : 'cpi';

export async function notesFor(
  db: Db,
  regionCode: string,
  personId: string,
  reader: Reader,
): Promise<DossierNote[]> {
  return db
    .selectFrom('dossier_notes as n')
    .innerJoin('users as u', (j) =>
      j.onRef('u.region_code', '=', 'n.region_code').onRef('u.id', '=', 'n.author_id'),
    )
    .leftJoin('offices as o', (j) =>
      j.onRef('o.region_code', '=', 'n.region_code').onRef('o.id', '=', 'n.author_office_id'),
    )
    .leftJoin('agencies as g', (j) =>
      j.onRef('g.region_code', '=', 'n.region_code').onRef('g.id', '=', 'n.author_agency_id'),
    )
    .select([
      'n.id',
      'n.body',
      'n.visibility',
      'n.created_at',
      'n.author_role',
      'u.given_name',
      'u.family_name',
      'o.name as office_name',
      'g.name as agency_name',
    ])
    .where('n.region_code', '=', regionCode)
    .where('n.citizen_id', '=', personId)
    .where('n.visibility', 'in', visibilitiesFor(reader))
    .orderBy('n.created_at', 'desc')
    .limit(500)
    .execute();
}

export type OperatorDossier = {
  person: { id: string; given_name: string; family_name: string; fiscal_code: string | null };
  reader: Reader;
  entries: TimelineEntry[];
  kinds: string[];
  notes: DossierNote[];
};

/** An operator opens a person's dossier for a purpose; null when the person is not theirs to see. */
export async function openDossier(
  deps: DossierDeps,
  operator: SessionUser,
  personId: string,
  purpose: ReadPurpose,
  kind: string | undefined,
): Promise<OperatorDossier | null> {
  const person = await readPersonRecord(deps, operator, personId, purpose);
  if (!person) return null;
  const reader = readerOf(operator);
  const scope = { regionCode: operator.regionCode, personId: person.id };
  const mine = visibleEntries(await collectTimeline(deps.db, scope), reader);
  const kinds = [...new Set(mine.map((e) => e.kind))];
  const entries = kind ? mine.filter((e) => e.kind === kind) : mine;
  const notes = await notesFor(deps.db, operator.regionCode, person.id, reader);
  await deps.audit.record({
    regionCode: operator.regionCode,
    action: 'read.dossier',
    outcome: 'ok',
    actor: actorOf(operator),
    subjectId: person.id,
    purpose,
    objectType: 'dossier',
    objectId: person.id,
    details: { kind: kind ?? null, entries: entries.length, notes: notes.length },
  });
  return {
    person: {
      id: person.id,
      given_name: person.given_name,
      family_name: person.family_name,
      fiscal_code: person.fiscal_code,
    },
    reader,
    entries,
    kinds,
    notes,
  };
}

export type AddNoteResult = { ok: true; id: string } | { ok: false; error: 'notFound' | 'visibility' };

/** An operator who may see the person writes a note with its visibility (audited). */
export async function addNote(
  deps: DossierDeps,
  operator: SessionUser,
  personId: string,
  purpose: ReadPurpose,
  input: { body: string; visibility: NoteVisibility },
): Promise<AddNoteResult> {
  if (operator.role !== 'cpi_operator' && operator.role !== 'apl_operator')
    return { ok: false, error: 'notFound' };
  const writer = operator.role === 'apl_operator' ? 'apl' : 'cpi';
  if (!visibilitiesForWriter(writer).includes(input.visibility)) return { ok: false, error: 'visibility' };
  const person = await readPersonRecord(deps, operator, personId, purpose);
  if (!person) return { ok: false, error: 'notFound' };
  const id = await deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('dossier_notes')
      .values({
        region_code: operator.regionCode,
        citizen_id: person.id,
        author_id: operator.id,
        author_role: operator.role as 'cpi_operator' | 'apl_operator',
        author_office_id: operator.role === 'cpi_operator' ? operator.officeId : null,
        author_agency_id: operator.role === 'apl_operator' ? operator.agencyId : null,
        visibility: input.visibility,
        body: input.body,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await deps.audit.record(
      {
        regionCode: operator.regionCode,
        action: 'dossier.note_added',
        outcome: 'ok',
        actor: actorOf(operator),
        subjectId: person.id,
        purpose,
        objectType: 'dossier_note',
        objectId: row.id,
        details: { visibility: input.visibility },
      },
      trx,
    );
    if (input.visibility === 'person') await tellThePerson(trx, deps, operator.regionCode, person.id, row.id);
    return row.id;
  });
  return { ok: true, id };
}

/** A note for the person: an e-mail that says there is one (never its text), in their language. */
async function tellThePerson(
  trx: Tx,
  deps: DossierDeps,
  regionCode: string,
  personId: string,
  noteId: string,
) {
  const p = await trx
    .selectFrom('users as u')
    .leftJoin('citizen_profiles as c', (j) =>
      j.onRef('c.region_code', '=', 'u.region_code').onRef('c.user_id', '=', 'u.id'),
    )
    .select(['u.preferred_language', sql<string | null>`coalesce(c.email, u.email)`.as('email')])
    .where('u.region_code', '=', regionCode)
    .where('u.id', '=', personId)
    .executeTakeFirst();
  if (!p?.email) return;
  const t = translator(isLang(p.preferred_language) ? p.preferred_language : 'it');
  await deps.notifier.email(trx, {
    key: `dossier-note:${noteId}`,
    to: p.email,
    subject: t('dossier.notify.subject'),
    text: t('dossier.notify.text', { link: `${deps.config.publicUrl}/fascicolo` }),
  });
}

/** The person's own dossier: their whole timeline and the notes written for them (not audited: their own). */
export async function myDossier(db: Db, me: SessionUser, kind: string | undefined) {
  const scope = { regionCode: me.regionCode, personId: me.id };
  const all = visibleEntries(await collectTimeline(db, scope), 'person');
  return {
    entries: kind ? all.filter((e) => e.kind === kind) : all,
    kinds: [...new Set(all.map((e) => e.kind))],
    notes: await notesFor(db, me.regionCode, me.id, 'person'),
  };
}
