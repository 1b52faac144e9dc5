import type { ColumnType, Generated } from 'kysely';
import type { CampaignChannel, Segment, TemplateId } from '../domain/segment.ts';

/** Typed tables of migrations/0035_campaigns.sql (merged into `Database` in platform/db/schema.ts). */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export interface CampaignsTable {
  region_code: string;
  id: Generated<string>;
  name: string;
  template: TemplateId;
  channel: CampaignChannel;
  link_path: string;
  segment: ColumnType<Segment, string, string>;
  office_id: string | null;
  created_by: string;
  created_at: Generated<Date>;
  status: Generated<'draft' | 'sending' | 'sent'>;
  sent_by: string | null;
  sent_at: NullableTimestamp;
  completed_at: NullableTimestamp;
}

export interface CampaignRecipientsTable {
  region_code: string;
  campaign_id: string;
  person_id: string;
  status: Generated<'pending' | 'queued' | 'opted_out' | 'no_contact'>;
  channel: CampaignChannel | null;
  language: string | null;
  link_hash: string | null;
  unsubscribe_hash: string | null;
  queued_at: NullableTimestamp;
  opened_at: NullableTimestamp;
  clicks: Generated<number>;
  unsubscribed_at: NullableTimestamp;
}

export interface CampaignOptOutsTable {
  region_code: string;
  person_id: string;
  via: 'link' | 'page';
  opted_out_at: Timestamp;
}

export interface CampaignSettingsTable {
  region_code: string;
  per_minute: number;
  updated_by: string | null;
  updated_at: Timestamp;
}

export type CampaignTables = {
  campaigns: CampaignsTable;
  campaign_recipients: CampaignRecipientsTable;
  campaign_opt_outs: CampaignOptOutsTable;
  campaign_settings: CampaignSettingsTable;
};
