import type { TimelineSource } from '../../dossier/domain/timeline.ts';

/**
 * The dossier lines of the agencies context: each referral (and its end), each activity the agency
 * recorded. Region-scoped and for one person. Service and activity names are i18n keys nested in the
 * title (`$t(…)`), so the dossier shows them in the reader's language.
 */
export const agencyTimeline: TimelineSource = async (db, { regionCode, personId }) => {
  const referrals = await db
    .selectFrom('agency_referrals as r')
    .innerJoin('agencies as a', (j) =>
      j.onRef('a.region_code', '=', 'r.region_code').onRef('a.id', '=', 'r.agency_id'),
    )
    .select(['r.id', 'r.service', 'r.status', 'r.created_at', 'r.ended_at', 'a.name as agency'])
    .where('r.region_code', '=', regionCode)
    .where('r.citizen_id', '=', personId)
    .execute();
  const activities = await db
    .selectFrom('agency_activities as x')
    .innerJoin('agency_referrals as r', (j) =>
      j.onRef('r.region_code', '=', 'x.region_code').onRef('r.id', '=', 'x.referral_id'),
    )
    .innerJoin('agencies as a', (j) =>
      j.onRef('a.region_code', '=', 'x.region_code').onRef('a.id', '=', 'x.agency_id'),
    )
    .select(['x.id', 'x.kind', 'x.occurred_on', 'r.service', 'a.name as agency'])
    .where('x.region_code', '=', regionCode)
    .where('x.citizen_id', '=', personId)
    .execute();
  const href = `/operatore/persone/${personId}/invio-apl`;
  return [
    ...referrals.map((r) => ({
      at: r.created_at,
      kind: 'referral',
      titleKey: 'agencies.timeline.referred',
      titleVars: { agency: r.agency, service: r.service },
      href,
      visibleToApl: true,
    })),
    ...referrals
      .filter((r) => r.ended_at !== null)
      .map((r) => ({
        at: r.ended_at as Date,
        kind: 'referral',
        titleKey: r.status === 'withdrawn' ? 'agencies.timeline.withdrawn' : 'agencies.timeline.closed',
        titleVars: { agency: r.agency, service: r.service },
        href,
        visibleToApl: true,
      })),
    ...activities.map((x) => ({
      at: x.occurred_on,
      kind: 'agency_activity',
      titleKey: 'agencies.timeline.activity',
      titleVars: { agency: x.agency, service: x.service, kind: x.kind },
      href,
      visibleToApl: true,
    })),
  ];
};
