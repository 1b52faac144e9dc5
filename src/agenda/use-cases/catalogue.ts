import { compiledOnce } from '../../platform/db/compiled.ts';
import type { Db } from '../../platform/db/database.ts';
import type { AppointmentChannel, JourneyPhase } from '../../platform/db/schema.ts';
import catalogue from '../data/services.json' with { type: 'json' };

type ServiceSpec = {
  code: string;
  durationMinutes: number;
  channels: AppointmentChannel[];
  providers: ('cpi' | 'apl')[];
  groupSession?: boolean;
  phase?: JourneyPhase;
};

export const DEFAULT_SERVICES = catalogue.services as ServiceSpec[];

/** Load the default service catalogue into a Region (idempotent). */
export async function ensureServiceCatalogue(db: Db, regionCode: string): Promise<void> {
  await db
    .insertInto('agenda_services')
    .values(
      DEFAULT_SERVICES.map((s) => ({
        region_code: regionCode,
        code: s.code,
        duration_minutes: s.durationMinutes,
        channels: s.channels,
        providers: s.providers,
        group_session: s.groupSession ?? false,
      })),
    )
    .onConflict((oc) => oc.columns(['region_code', 'code']).doNothing())
    .execute();
}

export async function servicesOf(db: Db, regionCode: string) {
  return servicesQuery(db, { regionCode });
}
export const serviceRows = (db: Db, v: { regionCode: string }) =>
  db.selectFrom('agenda_services').selectAll().where('region_code', '=', v.regionCode).orderBy('code');
const servicesQuery = compiledOnce(serviceRows);

/** The journey phase a service belongs to, which links it to the person's channel plan. */
export function phaseOf(serviceCode: string): JourneyPhase | null {
  return DEFAULT_SERVICES.find((s) => s.code === serviceCode)?.phase ?? null;
}
