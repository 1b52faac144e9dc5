import type { ColumnType, Generated } from 'kysely';
import type { Problem, RespondentSide, ServiceKind } from '../domain/survey.ts';

/** Typed tables of migrations/0031_satisfaction.sql (merged into `Database` in platform/db/schema.ts). */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface SatisfactionInvitationsTable {
  region_code: string;
  id: Generated<string>;
  service_kind: ServiceKind;
  service_id: string;
  respondent_id: string;
  respondent_side: RespondentSide;
  office_id: string | null;
  detail: string | null;
  delivered_at: Timestamp;
  invited_at: Timestamp;
  expires_at: Timestamp;
  token_hash: string;
  channel: 'email' | 'sms' | 'none';
  language: Generated<string>;
  answered_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface SatisfactionAnswersTable {
  region_code: string;
  invitation_id: string;
  score: number;
  comment: string | null;
  problems: ColumnType<Problem[], Problem[] | undefined, Problem[]>;
  via: 'link' | 'page';
  answered_at: Generated<Date>;
}

export type SatisfactionTables = {
  satisfaction_invitations: SatisfactionInvitationsTable;
  satisfaction_answers: SatisfactionAnswersTable;
};
