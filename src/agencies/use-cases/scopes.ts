import { sql } from 'kysely';
import type { CaseworkPorts } from '../../casework/deps.ts';
import { actorOf } from '../../platform/audit/audit.ts';
import type { SessionUser } from '../../platform/auth/session.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import { type AgencyService, dayOf } from '../domain/services.ts';

export type AgencyDeps = Pick<CaseworkPorts, 'db' | 'audit' | 'notifier' | 'config' | 'defaultRegion'>;

/** A YYYY-MM-DD parameter compared with a `date` column. */
const asDay = (day: string) => sql<Date>`cast(${day} as date)`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const isUuid = (v: unknown): v is string => typeof v === 'string' && UUID.test(v);

/** The agencies accredited for `service` on `day` (YYYY-MM-DD) in the Region, by name. */
export async function agenciesAccreditedFor(
  db: Db | Tx,
  regionCode: string,
  service: AgencyService,
  day: string,
): Promise<{ id: string; name: string; address: string }[]> {
  return db
    .selectFrom('agencies as a')
    .select(['a.id', 'a.name', 'a.address'])
    .where('a.region_code', '=', regionCode)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('accreditation_scopes as s')
          .select('s.id')
          .whereRef('s.region_code', '=', 'a.region_code')
          .whereRef('s.agency_id', '=', 'a.id')
          .where('s.service', '=', service)
          .where('s.revoked_at', 'is', null)
          .where('s.valid_from', '<=', asDay(day))
          .where('s.valid_to', '>=', asDay(day)),
      ),
    )
    .orderBy('a.name')
    .execute();
}

export async function isAccredited(
  db: Db | Tx,
  regionCode: string,
  agencyId: string,
  service: AgencyService,
  day: string,
): Promise<boolean> {
  if (!isUuid(agencyId)) return false;
  const row = await db
    .selectFrom('accreditation_scopes')
    .select('id')
    .where('region_code', '=', regionCode)
    .where('agency_id', '=', agencyId)
    .where('service', '=', service)
    .where('revoked_at', 'is', null)
    .where('valid_from', '<=', asDay(day))
    .where('valid_to', '>=', asDay(day))
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export type ScopeRow = {
  id: string;
  agency_id: string;
  service: string;
  valid_from: string;
  valid_to: string;
  revoked: boolean;
  granted_at: Date;
};

/** The Region's agencies with every scope (newest period first), for the Region's page. */
export async function agenciesWithScopes(db: Db, regionCode: string) {
  const agencies = await db
    .selectFrom('agencies')
    .select(['id', 'name', 'vat_number', 'address'])
    .where('region_code', '=', regionCode)
    .orderBy('name')
    .execute();
  const scopes = await db
    .selectFrom('accreditation_scopes')
    .select(['id', 'agency_id', 'service', 'valid_from', 'valid_to', 'revoked_at', 'granted_at'])
    .where('region_code', '=', regionCode)
    .orderBy('valid_from', 'desc')
    .orderBy('service')
    .execute();
  return agencies.map((a) => ({
    ...a,
    scopes: scopes
      .filter((s) => s.agency_id === a.id)
      .map(
        (s): ScopeRow => ({
          id: s.id,
          agency_id: s.agency_id,
          service: s.service,
          valid_from: dayOf(s.valid_from),
          valid_to: dayOf(s.valid_to),
          revoked: s.revoked_at !== null,
          granted_at: s.granted_at,
        }),
      ),
  }));
}

export type GrantInput = { agencyId: string; service: AgencyService; from: string; to: string };
export type GrantResult = { ok: true; id: string } | { ok: false; field: string; error: string };

/** The Region grants a scope. The agency must be of the actor's Region; an equal live scope is refused. */
export async function grantScope(
  deps: AgencyDeps,
  actor: SessionUser,
  input: GrantInput,
): Promise<GrantResult> {
  if (!isUuid(input.agencyId)) return { ok: false, field: 'agency', error: 'errors.choose' };
  if (input.to < input.from) return { ok: false, field: 'to', error: 'agencies.errors.periodUpsideDown' };
  return deps.db.transaction().execute(async (trx) => {
    const agency = await trx
      .selectFrom('agencies')
      .select('id')
      .where('region_code', '=', actor.regionCode)
      .where('id', '=', input.agencyId)
      .executeTakeFirst();
    if (!agency) return { ok: false as const, field: 'agency', error: 'errors.choose' };
    // Overlapping live scopes of the same service would make revoking one meaningless.
    await sql`select pg_advisory_xact_lock(hashtext(${`scope:${actor.regionCode}:${agency.id}`}))`.execute(
      trx,
    );
    const overlap = await trx
      .selectFrom('accreditation_scopes')
      .select('id')
      .where('region_code', '=', actor.regionCode)
      .where('agency_id', '=', agency.id)
      .where('service', '=', input.service)
      .where('revoked_at', 'is', null)
      .where('valid_from', '<=', asDay(input.to))
      .where('valid_to', '>=', asDay(input.from))
      .executeTakeFirst();
    if (overlap) return { ok: false as const, field: 'from', error: 'agencies.errors.overlap' };
    const { id } = await trx
      .insertInto('accreditation_scopes')
      .values({
        region_code: actor.regionCode,
        agency_id: agency.id,
        service: input.service,
        valid_from: input.from,
        valid_to: input.to,
        granted_by: actor.id,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await deps.audit.record(
      {
        regionCode: actor.regionCode,
        action: 'agency.scope.granted',
        outcome: 'ok',
        actor: actorOf(actor),
        objectType: 'accreditation_scope',
        objectId: id,
        details: { agencyId: agency.id, service: input.service, from: input.from, to: input.to },
      },
      trx,
    );
    return { ok: true as const, id };
  });
}

/** The Region revokes a scope (of its own Region, not already revoked). False = not found. */
export async function revokeScope(deps: AgencyDeps, actor: SessionUser, scopeId: string): Promise<boolean> {
  if (!isUuid(scopeId)) return false;
  return deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('accreditation_scopes')
      .set({ revoked_at: new Date(), revoked_by: actor.id })
      .where('region_code', '=', actor.regionCode)
      .where('id', '=', scopeId)
      .where('revoked_at', 'is', null)
      .returning(['id', 'agency_id', 'service'])
      .executeTakeFirst();
    if (!row) return false;
    await deps.audit.record(
      {
        regionCode: actor.regionCode,
        action: 'agency.scope.revoked',
        outcome: 'ok',
        actor: actorOf(actor),
        objectType: 'accreditation_scope',
        objectId: row.id,
        details: { agencyId: row.agency_id, service: row.service },
      },
      trx,
    );
    return true;
  });
}
