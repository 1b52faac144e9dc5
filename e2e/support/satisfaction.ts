import type { TestPlatform } from '../../src/app/testing/test-platform.ts';
import { runSatisfactionInvitations } from '../../src/satisfaction/use-cases/invitations.ts';
import { OPERATOR_EMAIL } from './browser.ts';

const HOUR = 3600_000;

/**
 * A 30-minute slot of the demo CPI operator that started `hoursAgo` hours ago (on the minute), with
 * the person's appointment on it for the welcome service: what a held appointment leaves behind.
 */
export async function pastAppointment(
  platform: TestPlatform,
  citizenId: string,
  hoursAgo: number,
  status: 'booked' | 'attended',
): Promise<{ id: string; startsAt: Date }> {
  const db = platform.db;
  const op = await db
    .selectFrom('users')
    .select(['id', 'region_code', 'office_id'])
    .where('email', '=', OPERATOR_EMAIL)
    .executeTakeFirstOrThrow();
  const startsAt = new Date(Math.floor((Date.now() - hoursAgo * HOUR) / 60_000) * 60_000);
  const slot = await db
    .insertInto('agenda_slots')
    .values({
      region_code: op.region_code,
      operator_id: op.id,
      office_id: op.office_id!,
      starts_at: startsAt,
      ends_at: new Date(startsAt.getTime() + 30 * 60_000),
      mode: 'in_person',
      services: ['accoglienza'],
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const appt = await db
    .insertInto('appointments')
    .values({
      region_code: op.region_code,
      slot_id: slot.id,
      citizen_id: citizenId,
      service_code: 'accoglienza',
      channel: 'in_person',
      status,
      booked_by: citizenId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: appt.id, startsAt };
}

/** The satisfaction job's use case, run at once (the worker runs it every five minutes). */
export const inviteNow = (platform: TestPlatform) =>
  runSatisfactionInvitations(
    { db: platform.db, notifier: platform.notifier, config: platform.config },
    new Date(),
  );
