/**
 * What the cluster tests book and write with: the operator whose agenda is used, a bookable slot of an operator's office and a person
 * with a completed profile (adult, so they may book and declare their availability).
 */
import { ensureServiceCatalogue } from '../../agenda/use-cases/catalogue.ts';
import type { Db } from '../../platform/db/database.ts';

/** The demo CPI operator of the Region (by e-mail), with the Region's service catalogue in place. */
export async function agendaOperator(
  db: Db,
  regionCode: string,
  email: string,
): Promise<{ id: string; officeId: string }> {
  await ensureServiceCatalogue(db, regionCode);
  const operator = await db
    .selectFrom('users')
    .select(['id', 'office_id'])
    .where('region_code', '=', regionCode)
    .where('email', '=', email)
    .executeTakeFirstOrThrow();
  if (!operator.office_id) throw new Error(`${email} has no office`);
  return { id: operator.id, officeId: operator.office_id };
}

export async function openSlot(
  db: Db,
  slot: {
    regionCode: string;
    operatorId: string;
    officeId: string;
    startsAt: Date;
    service: string;
    capacity: number;
  },
): Promise<string> {
  const row = await db
    .insertInto('agenda_slots')
    .values({
      region_code: slot.regionCode,
      operator_id: slot.operatorId,
      office_id: slot.officeId,
      starts_at: slot.startsAt,
      ends_at: new Date(slot.startsAt.getTime() + 45 * 60_000),
      mode: 'in_person',
      services: [slot.service],
      capacity: slot.capacity,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function profiledCitizen(
  db: Db,
  person: {
    regionCode: string;
    givenName: string;
    familyName: string;
    email: string;
    phone: string;
    birthDate: string;
  },
): Promise<string> {
  const user = await db
    .insertInto('users')
    .values({
      region_code: person.regionCode,
      role: 'citizen',
      given_name: person.givenName,
      family_name: person.familyName,
      email: person.email,
      phone: person.phone,
      birth_date: person.birthDate,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('citizen_profiles')
    .values({ region_code: person.regionCode, user_id: user.id, completed_at: new Date() })
    .execute();
  return user.id;
}
