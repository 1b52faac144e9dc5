import type { Db, Tx } from '../platform/db/database.ts';
import type { Queue } from '../platform/queue/queue.ts';

/**
 * How other contexts ask for a badge (Open Badges 3.0 credential) without depending on how it is
 * made: a job in the caller's transaction, so the badge exists exactly when the completed course or
 * the validated competence was committed. The badges context's worker issues and signs it; the
 * idempotency key makes a repeated request harmless.
 */
export const BADGE_QUEUE = 'badge-issue' as const;

export type BadgeRequest = {
  regionCode: string;
  citizenId: string;
  /** What the badge attests. */
  kind: 'course_completed' | 'competence_validated';
  /** The fact it comes from (an enrolment id, an assessment id…): one badge per kind and source. */
  sourceRef: string;
  achievement: {
    name: string;
    description: string;
    criteria: string;
    /** ESCO skills attested, with the label in the language of the issuing Region (Italian). */
    skills: { uri: string; label: string }[];
    eqfLevel?: number | null;
  };
};

export async function requestBadge(queue: Queue, trx: Db | Tx, request: BadgeRequest): Promise<void> {
  await queue.enqueue(
    trx,
    BADGE_QUEUE,
    request,
    `badge:${request.kind}:${request.regionCode}:${request.sourceRef}`,
  );
}
