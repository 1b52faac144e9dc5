import type { ColumnType, Generated } from 'kysely';

/** Typed tables of migrations/0025_dossier.sql (merged into `Database` in platform/db/schema.ts). */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export type NoteVisibility = 'office' | 'apl' | 'person';

export interface DossierNotesTable {
  region_code: string;
  id: Generated<string>;
  citizen_id: string;
  author_id: string;
  author_role: 'cpi_operator' | 'apl_operator';
  author_office_id: string | null;
  author_agency_id: string | null;
  visibility: NoteVisibility;
  body: string;
  created_at: Timestamp;
}

export type DossierTables = {
  dossier_notes: DossierNotesTable;
};
