import type { ColumnType, Generated, GeneratedAlways, Insertable, Selectable } from 'kysely';
import type { AgencyTables } from '../../agencies/adapters/agency-tables.ts';
import type { AssistedTables } from '../../assisted/adapters/assisted-tables.ts';
import type { BadgeTables } from '../../badges/adapters/badge-tables.ts';
import type { CampaignTables } from '../../campaigns/adapters/campaign-tables.ts';
import type { CaseloadTables } from '../../caseload/adapters/caseload-tables.ts';
import type { CertificateTables } from '../../certificates/adapters/certificate-tables.ts';
import type { CoachingTables } from '../../coaching/adapters/coaching-tables.ts';
import type { ConditionalityTables } from '../../conditionality/adapters/conditionality-tables.ts';
import type { CvTables } from '../../cv/adapters/cv-tables.ts';
import type { DossierTables } from '../../dossier/adapters/dossier-tables.ts';
import type { EmployerTables } from '../../employers/adapters/employer-tables.ts';
import type { ForecastTables } from '../../forecasts/adapters/forecast-tables.ts';
import type { IndicatorTables } from '../../indicators/adapters/indicator-tables.ts';
import type { InteropTables } from '../../interop/adapters/interop-tables.ts';
import type { JobsTables } from '../../jobs/adapters/jobs-tables.ts';
import type { MessageTables } from '../../messages/adapters/message-tables.ts';
import type { DigitalCheckAttemptsTable } from '../../onboarding/adapters/digital-check-tables.ts';
import type { OutcomeTables } from '../../outcomes/adapters/outcome-tables.ts';
import type { PactTables } from '../../pact/adapters/pact-tables.ts';
import type { PortabilityTables } from '../../portability/adapters/portability-tables.ts';
import type { RetentionTables } from '../../retention/adapters/retention-tables.ts';
import type { SatisfactionTables } from '../../satisfaction/adapters/satisfaction-tables.ts';
import type { AssessmentTables } from '../../skills/adapters/assessment-tables.ts';
import type { EscoTables } from '../../taxonomy/adapters/esco-tables.ts';
import type { TrainingTables } from '../../training/adapters/training-tables.ts';

/** Typed tables of the database (mirror of migrations/*.sql). */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type DefaultedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export type Role =
  | 'citizen'
  | 'employer'
  | 'cpi_operator'
  | 'apl_operator'
  | 'regional_manager'
  | 'national_manager'
  | 'admin';

export interface RegionsTable {
  region_code: string;
  name: string;
  is_national: Generated<boolean>;
}

export interface MunicipalitiesTable {
  istat_code: string;
  region_code: string;
  name: string;
  province: string;
  belfiore: string;
  latitude: number | null;
  longitude: number | null;
  /** Residents (ISTAT); null when not known. */
  population: number | null;
}

export interface OfficesTable {
  region_code: string;
  id: Generated<string>;
  name: string;
  address: string;
  municipality_code: string;
  hours: string;
  email: string;
  phone: string;
}

export interface AgenciesTable {
  region_code: string;
  id: Generated<string>;
  name: string;
  vat_number: string;
  address: string;
  municipality_code: string;
}

export interface AccreditationsTable {
  region_code: string;
  id: Generated<string>;
  agency_id: string;
  services: string[];
  valid_from: ColumnType<Date, string, string>;
  valid_to: ColumnType<Date, string, string>;
}

export interface CompaniesTable {
  region_code: string;
  id: Generated<string>;
  name: string;
  vat_number: string;
  fiscal_code: string;
  /** ATECO section letter (A–U) and, optionally, the code (e.g. 13.20.00). Issue 7, migration 0019. */
  ateco_section: string | null;
  ateco_code: string | null;
  size_band: 'micro' | 'small' | 'medium' | 'large' | null;
  description: string | null;
  website: string | null;
  public_slug: string | null;
  created_at: Generated<Date>;
}

export interface UsersTable {
  region_code: string;
  id: Generated<string>;
  role: Role;
  email: string | null;
  email_verified_at: Timestamp | null;
  phone: string | null;
  password_hash: string | null;
  fiscal_code: string | null;
  given_name: string;
  family_name: string;
  birth_date: ColumnType<Date | null, string | null | undefined, string | null>;
  sex: 'M' | 'F' | null;
  birth_place_code: string | null;
  is_minor: Generated<boolean>;
  office_id: string | null;
  agency_id: string | null;
  company_id: string | null;
  /** For employers: their role in the company (migration 0019). */
  company_role?: 'admin' | 'recruiter' | null;
  totp_secret: string | null;
  totp_enabled_at: Timestamp | null;
  sms_second_factor: Generated<boolean>;
  preferred_language: Generated<string>;
  locked_until: Timestamp | null;
  failed_code_attempts: Generated<number>;
  disabled_at: Timestamp | null;
  created_at: DefaultedTimestamp;
  last_signed_in_at: Date | null;
}

export interface SessionsTable {
  id_hash: Buffer;
  region_code: string;
  user_id: string;
  stage: 'second_factor' | 'active';
  auth_method: string;
  csrf_seed: string;
  created_at: DefaultedTimestamp;
  last_seen_at: DefaultedTimestamp;
  ip: string | null;
  user_agent: string | null;
  eid_confirmed_at: Date | null;
  eid_confirmed_provider: 'spid' | 'cie' | null;
}

export interface OneTimeCodesTable {
  region_code: string;
  id: Generated<string>;
  user_id: string;
  purpose: 'sign_in' | 'verify_email' | 'verify_phone';
  code_hash: string;
  expires_at: Timestamp;
  used_at: Timestamp | null;
  created_at: DefaultedTimestamp;
}

export interface PasswordResetsTable {
  token_hash: string;
  region_code: string;
  user_id: string;
  expires_at: Timestamp;
  used_at: Timestamp | null;
}

export interface OidcTransactionsTable {
  state: string;
  code_verifier: string;
  nonce: string;
  provider: string;
  created_at: DefaultedTimestamp;
  purpose: Generated<'sign_in' | 'confirm'>;
  return_to: string | null;
}

export interface RateLimitsTable {
  key: string;
  window_start: Timestamp;
  hits: number;
}

export interface ApiTokensTable {
  region_code: string;
  id: Generated<string>;
  token_hash: string;
  name: string;
  user_id: string;
  created_at: DefaultedTimestamp;
  expires_at: Timestamp;
  revoked_at: Timestamp | null;
}

export interface AuditLogTable {
  region_code: string;
  seq: ColumnType<string, string | number | bigint, never>;
  at: DefaultedTimestamp;
  action: string;
  outcome: string;
  actor_id: string | null;
  actor_role: string | null;
  actor_region: string | null;
  actor_office_id: string | null;
  actor_agency_id: string | null;
  on_behalf_of: string | null;
  subject_id: string | null;
  purpose: string | null;
  object_type: string | null;
  object_id: string | null;
  details: ColumnType<Record<string, unknown>, string | undefined, never>;
  prev_hash: string;
  hash: string;
}

export interface HelpRequestsTable {
  region_code: string;
  id: Generated<string>;
  office_id: string;
  user_id: string | null;
  name: string;
  contact: string;
  channel: 'phone' | 'email' | 'in_person' | 'video';
  topic: string;
  message: string;
  language: string;
  status: Generated<'open' | 'in_progress' | 'closed'>;
  created_at: DefaultedTimestamp;
  step: string | null;
}

export interface AccessibilityFeedbackTable {
  region_code: string;
  id: Generated<string>;
  page_url: string;
  message: string;
  contact: string | null;
  created_at: DefaultedTimestamp;
}

export interface DevOutboxTable {
  id: Generated<string>;
  idempotency_key: string;
  channel: 'email' | 'sms';
  recipient: string;
  subject: string | null;
  body: string;
  attachment_name: ColumnType<string | null, string | null | undefined, string | null>;
  attachment: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: DefaultedTimestamp;
}

export interface SentMessagesTable {
  idempotency_key: string;
  channel: string;
  recipient: string;
  sent_at: DefaultedTimestamp;
}

export type WorkPeriod = {
  from: string;
  to: string | null;
  occupation: string;
  iscoGroup: string;
  sector: string;
};
export type LanguageSkill = { code: string; level: string };
export type Availability = { hours: string; contracts: string[]; maxCommuteKm: number; remote: string };

export interface CitizenProfilesTable {
  region_code: string;
  user_id: string;
  /** The matching index's integer key (identity, migration 0019). */
  match_seq: GeneratedAlways<number>;
  email: string | null;
  email_verified_at: Timestamp | null;
  mobile: string | null;
  mobile_verified_at: Timestamp | null;
  domicile_code: string | null;
  education_eqf: number | null;
  education_title: string | null;
  work_history: ColumnType<WorkPeriod[], string | undefined, string>;
  unemployed_since: ColumnType<Date | null, string | null | undefined, string | null>;
  benefits: ColumnType<string[], string[] | undefined, string[]>;
  languages: ColumnType<LanguageSkill[], string | undefined, string>;
  driving_licences: ColumnType<string[], string[] | undefined, string[]>;
  availability: ColumnType<Availability | null, string | null | undefined, string | null>;
  current_step: Generated<string>;
  completed_at: Timestamp | null;
  updated_at: DefaultedTimestamp;
}

export interface DidDeclarationsTable {
  region_code: string;
  id: Generated<string>;
  user_id: string;
  status: 'active' | 'suspended' | 'withdrawn';
  declared_at: DefaultedTimestamp;
  verification_code: string;
  minor_flag: Generated<boolean>;
}

export interface DidEventsTable {
  region_code: string;
  id: Generated<string>;
  did_id: string;
  user_id: string;
  event: 'declared' | 'suspended' | 'resumed' | 'withdrawn';
  reason: string | null;
  actor_id: string | null;
  at: DefaultedTimestamp;
}

export interface IssuedDocumentsTable {
  verification_code: string;
  region_code: string;
  user_id: string;
  kind: string;
  title: string;
  sha256: string;
  pdf: Buffer;
  issued_at: DefaultedTimestamp;
  revoked_at: Timestamp | null;
}

export interface NationalOutboxTable {
  region_code: string;
  id: Generated<string>;
  idempotency_key: string;
  kind: string;
  payload: ColumnType<Record<string, unknown>, string, never>;
  created_at: DefaultedTimestamp;
  delivered_at: Timestamp | null;
  attempts: Generated<number>;
}

export interface TierAssignmentsTable {
  region_code: string;
  id: Generated<string>;
  user_id: string;
  tier: number;
  risk: number | null;
  reasons: ColumnType<string[], string[] | undefined, string[]>;
  digital_level: number | null;
  attitude_score: number | null;
  source: 'model' | 'override';
  features: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  override_reason: string | null;
  actor_id: string | null;
  created_at: DefaultedTimestamp;
}

export type JourneyPhase = 'information' | 'engagement' | 'orientation' | 'search' | 'monitoring' | 'checks';
export type Channel = 'remote' | 'blended' | 'in_person';

export interface ChannelChoicesTable {
  region_code: string;
  id: Generated<string>;
  user_id: string;
  phase: JourneyPhase;
  channel: Channel;
  source: 'suggested' | 'person';
  created_at: DefaultedTimestamp;
}

export interface AttitudeResponsesTable {
  region_code: string;
  id: Generated<string>;
  user_id: string;
  answers: ColumnType<Record<string, number>, string, never>;
  score: number;
  dimensions: ColumnType<Record<string, number>, string, never>;
  created_at: DefaultedTimestamp;
}

export interface EmploymentOutcomesTable {
  region_code: string;
  id: Generated<string>;
  user_id: string;
  started_on: ColumnType<Date, string, string>;
  source: 'operator' | 'application' | 'national_system' | 'self_reported' | 'unilav';
  created_at: DefaultedTimestamp;
}

export type SlotMode = 'in_person' | 'remote' | 'both';
export type AppointmentChannel = 'in_person' | 'phone' | 'video';
export type AppointmentStatus =
  | 'booked'
  | 'cancelled'
  | 'moved'
  | 'attended'
  | 'no_show'
  | 'no_show_justified'
  | 'late_cancellation';

export interface AgendaServicesTable {
  region_code: string;
  code: string;
  duration_minutes: number;
  channels: ColumnType<AppointmentChannel[], AppointmentChannel[], AppointmentChannel[]>;
  providers: ColumnType<('cpi' | 'apl')[], ('cpi' | 'apl')[], ('cpi' | 'apl')[]>;
  group_session: Generated<boolean>;
}

export interface AgendaTemplatesTable {
  region_code: string;
  id: Generated<string>;
  operator_id: string;
  office_id: string;
  weekday: number;
  start_minute: number;
  end_minute: number;
  slot_minutes: number;
  mode: SlotMode;
  services: ColumnType<string[], string[], string[]>;
  valid_from: ColumnType<Date, string, string>;
  valid_to: ColumnType<Date | null, string | null | undefined, string | null>;
  created_at: DefaultedTimestamp;
}

export interface AgendaExceptionsTable {
  region_code: string;
  id: Generated<string>;
  office_id: string;
  operator_id: string | null;
  starts_at: Timestamp;
  ends_at: Timestamp;
  reason: 'holiday' | 'leave' | 'closure' | 'other';
  note: string | null;
}

export interface AgendaSlotsTable {
  region_code: string;
  id: Generated<string>;
  operator_id: string;
  office_id: string;
  starts_at: Timestamp;
  ends_at: Timestamp;
  mode: SlotMode;
  services: ColumnType<string[], string[], string[]>;
  capacity: Generated<number>;
  title: string | null;
  status: Generated<'open' | 'blocked'>;
}

export interface AppointmentsTable {
  region_code: string;
  id: Generated<string>;
  slot_id: string;
  seat: Generated<number>;
  citizen_id: string;
  service_code: string;
  channel: AppointmentChannel;
  status: Generated<AppointmentStatus>;
  booked_by: string;
  requested_at: DefaultedTimestamp;
  booked_at: DefaultedTimestamp;
  waiting_days: number | null;
  first_available_days: number | null;
  office_id: string | null;
  reason: string | null;
  sequence: Generated<number>;
  confirmed_at: Timestamp | null;
  /** Minutes the operator spent, recorded with the outcome (attended only). */
  minutes_spent: number | null;
}

export interface AgendaWaitlistTable {
  region_code: string;
  id: Generated<string>;
  slot_id: string;
  citizen_id: string;
  service_code: string;
  channel: AppointmentChannel;
  created_at: DefaultedTimestamp;
  promoted_at: Timestamp | null;
  appointment_id: string | null;
}

export interface AgendaEventsTable {
  region_code: string;
  id: Generated<string>;
  appointment_id: string;
  citizen_id: string;
  event: string;
  reason: string | null;
  actor_id: string | null;
  at: DefaultedTimestamp;
}

export interface AppointmentTokensTable {
  token_hash: string;
  region_code: string;
  appointment_id: string;
  action: 'confirm' | 'cancel' | 'reschedule';
  sequence: number;
  expires_at: Timestamp;
  used_at: Timestamp | null;
}

/** A view: waiting times per office, service, channel and month (migration 0007). */
export interface AgendaWaitingTimesView {
  region_code: string;
  office_id: string | null;
  service_code: string;
  channel: AppointmentChannel;
  month: Date;
  bookings: string;
  avg_first_available_days: string | null;
  median_first_available_days: number | null;
  avg_booked_days: string | null;
}

/** Every table; contexts that own several tables keep their types in `src/<context>/adapters/*-tables.ts`. */
export interface Database
  extends PactTables,
    CoachingTables,
    ConditionalityTables,
    EscoTables,
    AssessmentTables,
    TrainingTables,
    CvTables,
    BadgeTables,
    EmployerTables,
    JobsTables,
    InteropTables,
    CertificateTables,
    MessageTables,
    CaseloadTables,
    DossierTables,
    AgencyTables,
    AssistedTables,
    PortabilityTables,
    OutcomeTables,
    RetentionTables,
    SatisfactionTables,
    IndicatorTables,
    ForecastTables,
    CampaignTables {
  agenda_waiting_times: AgendaWaitingTimesView;
  appointment_tokens: AppointmentTokensTable;
  agenda_services: AgendaServicesTable;
  agenda_templates: AgendaTemplatesTable;
  agenda_exceptions: AgendaExceptionsTable;
  agenda_slots: AgendaSlotsTable;
  appointments: AppointmentsTable;
  agenda_waitlist: AgendaWaitlistTable;
  agenda_events: AgendaEventsTable;
  attitude_responses: AttitudeResponsesTable;
  employment_outcomes: EmploymentOutcomesTable;
  citizen_profiles: CitizenProfilesTable;
  did_declarations: DidDeclarationsTable;
  did_events: DidEventsTable;
  issued_documents: IssuedDocumentsTable;
  national_outbox: NationalOutboxTable;
  tier_assignments: TierAssignmentsTable;
  channel_choices: ChannelChoicesTable;
  regions: RegionsTable;
  municipalities: MunicipalitiesTable;
  offices: OfficesTable;
  agencies: AgenciesTable;
  accreditations: AccreditationsTable;
  companies: CompaniesTable;
  users: UsersTable;
  sessions: SessionsTable;
  one_time_codes: OneTimeCodesTable;
  password_resets: PasswordResetsTable;
  oidc_transactions: OidcTransactionsTable;
  rate_limits: RateLimitsTable;
  api_tokens: ApiTokensTable;
  audit_log: AuditLogTable;
  help_requests: HelpRequestsTable;
  accessibility_feedback: AccessibilityFeedbackTable;
  dev_outbox: DevOutboxTable;
  sent_messages: SentMessagesTable;
  digital_check_attempts: DigitalCheckAttemptsTable;
}

export type UserRow = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type OfficeRow = Selectable<OfficesTable>;
