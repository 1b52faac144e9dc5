import type { AppointmentChannel, Channel } from '../../platform/db/schema.ts';

/**
 * The appointment channel to suggest from the person's channel plan (onboarding, §3.7) for the
 * journey phase a service belongs to: "remote" suggests video (or phone), "in person" the desk.
 * A blended plan suggests nothing: both are fine. The person is always free to choose otherwise.
 */
export function suggestedChannel(
  planned: Channel | undefined,
  offered: readonly AppointmentChannel[],
): AppointmentChannel | null {
  const wanted: AppointmentChannel[] =
    planned === 'remote' ? ['video', 'phone'] : planned === 'in_person' ? ['in_person'] : [];
  return wanted.find((c) => offered.includes(c)) ?? null;
}
