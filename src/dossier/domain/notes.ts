import type { NoteVisibility } from '../adapters/dossier-tables.ts';

export const NOTE_VISIBILITIES = ['office', 'apl', 'person'] as const satisfies readonly NoteVisibility[];
export const NOTE_MAX = 2000;

export type Reader = 'cpi' | 'apl' | 'person';

/** The visibilities a reader may see: the office sees every note; the APL the shared ones; the person theirs. */
export function visibilitiesFor(reader: Reader): NoteVisibility[] {
  if (reader === 'cpi') return ['office', 'apl', 'person'];
  if (reader === 'apl') return ['apl', 'person'];
  return ['person'];
}

/** The visibilities a writer may choose: an agency's note is never hidden from the agency itself. */
export function visibilitiesForWriter(writer: 'cpi' | 'apl'): NoteVisibility[] {
  return writer === 'cpi' ? ['office', 'apl', 'person'] : ['apl', 'person'];
}
