import { actorOf } from '../../platform/audit/audit.ts';
import type { SessionUser } from '../../platform/auth/session.ts';
import { AGENCY_SERVICES, type AgencyService, romeDay } from '../domain/services.ts';
import { type AgencyDeps, agenciesAccreditedFor, isUuid } from './scopes.ts';

export type ServiceOffer = {
  service: AgencyService;
  agencies: { id: string; name: string; address: string }[];
  /** undefined = never chose; null = no preference. */
  choice: string | null | undefined;
  /** The chosen agency's name, also when it is no longer accredited today. */
  choiceName: string | null;
};

/** For each service: the agencies accredited today and the person's current choice. */
export async function myChoices(
  deps: AgencyDeps,
  me: SessionUser,
  now = new Date(),
): Promise<ServiceOffer[]> {
  const today = romeDay(now);
  const rows = await deps.db
    .selectFrom('agency_choices as c')
    .leftJoin('agencies as a', (j) =>
      j.onRef('a.region_code', '=', 'c.region_code').onRef('a.id', '=', 'c.agency_id'),
    )
    .select(['c.service', 'c.agency_id', 'a.name'])
    .where('c.region_code', '=', me.regionCode)
    .where('c.user_id', '=', me.id)
    .execute();
  const out: ServiceOffer[] = [];
  for (const service of AGENCY_SERVICES) {
    const row = rows.find((r) => r.service === service);
    out.push({
      service,
      agencies: await agenciesAccreditedFor(deps.db, me.regionCode, service, today),
      choice: row ? row.agency_id : undefined,
      choiceName: row?.name ?? null,
    });
  }
  return out;
}

export type ChoiceResult = { ok: true } | { ok: false; errors: Record<string, string> };

/**
 * The person saves their choices: for each service offered today, 'none' (no preference) or an
 * agency accredited for it today. Services without agencies are left as they are. One transaction.
 */
export async function saveChoices(
  deps: AgencyDeps,
  me: SessionUser,
  submitted: Partial<Record<AgencyService, string>>,
  now = new Date(),
): Promise<ChoiceResult> {
  const offers = await myChoices(deps, me, now);
  const errors: Record<string, string> = {};
  const changes: { service: AgencyService; agencyId: string | null }[] = [];
  for (const offer of offers) {
    if (offer.agencies.length === 0) continue;
    const value = submitted[offer.service];
    if (value === undefined || value === '') continue;
    if (value === 'none') changes.push({ service: offer.service, agencyId: null });
    else if (isUuid(value) && offer.agencies.some((a) => a.id === value))
      changes.push({ service: offer.service, agencyId: value });
    else errors[`choice_${offer.service}`] = 'agencies.errors.notAccredited';
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  await deps.db.transaction().execute(async (trx) => {
    for (const c of changes) {
      const before = offers.find((o) => o.service === c.service)?.choice;
      if (before === c.agencyId) continue;
      await trx
        .insertInto('agency_choices')
        .values({ region_code: me.regionCode, user_id: me.id, service: c.service, agency_id: c.agencyId })
        .onConflict((oc) =>
          oc
            .columns(['region_code', 'user_id', 'service'])
            .doUpdateSet({ agency_id: c.agencyId, chosen_at: new Date() }),
        )
        .execute();
      await deps.audit.record(
        {
          regionCode: me.regionCode,
          action: 'agency.choice.saved',
          outcome: 'ok',
          actor: actorOf(me),
          subjectId: me.id,
          objectType: 'agency_choice',
          objectId: null,
          details: { service: c.service, agencyId: c.agencyId },
        },
        trx,
      );
    }
  });
  return { ok: true };
}
