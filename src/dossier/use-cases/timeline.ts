import { agencyTimeline } from '../../agencies/use-cases/timeline-source.ts';
import type { Db } from '../../platform/db/database.ts';
import type { TimelineEntry, TimelineScope, TimelineSource } from '../domain/timeline.ts';
import {
  applicationSource,
  appointmentSource,
  badgeSource,
  certificateSource,
  conditionalitySource,
  courseSource,
  didSource,
  digitalCheckSource,
  messageSource,
  pactSource,
  planSource,
  profileSource,
} from './sources.ts';

/**
 * Every source of the dossier's timeline, one per group of tables. A context that records something
 * about a person adds its `TimelineSource` here (the accredited agencies' referrals and activities, …).
 */
export const TIMELINE_SOURCES: TimelineSource[] = [
  didSource,
  profileSource,
  digitalCheckSource,
  appointmentSource,
  pactSource,
  planSource,
  applicationSource,
  courseSource,
  badgeSource,
  conditionalitySource,
  messageSource,
  certificateSource,
  agencyTimeline,
];

/** All the lines of one person's timeline, from every source (unsorted, unfiltered). */
export async function collectTimeline(
  db: Db,
  scope: TimelineScope,
  sources: readonly TimelineSource[] = TIMELINE_SOURCES,
): Promise<TimelineEntry[]> {
  const parts = await Promise.all(sources.map((source) => source(db, scope)));
  return parts.flat();
}
