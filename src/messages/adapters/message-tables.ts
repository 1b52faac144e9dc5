import type { ColumnType, Generated } from 'kysely';

/** Typed tables of migrations/0022_messages.sql (merged into `Database` in platform/db/schema.ts). */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export type MessageSide = 'citizen' | 'staff';
export type AttachmentType = 'application/pdf' | 'image/jpeg' | 'image/png';

export interface MessageThreadsTable {
  region_code: string;
  id: Generated<string>;
  citizen_id: string;
  office_id: string;
  agency_id: string | null;
  subject: string;
  created_by: string;
  created_at: Timestamp;
  last_message_at: Timestamp;
  citizen_read_at: NullableTimestamp;
  staff_read_at: NullableTimestamp;
}

export interface MessagesTable {
  region_code: string;
  id: Generated<string>;
  thread_id: string;
  author_id: string;
  author_side: MessageSide;
  body: string;
  template: string | null;
  created_at: Timestamp;
}

export interface MessageAttachmentsTable {
  region_code: string;
  id: Generated<string>;
  draft_id: string;
  uploaded_by: string;
  ordinal: number;
  message_id: string | null;
  filename: string;
  content_type: AttachmentType;
  size: number;
  content: Buffer;
  created_at: Timestamp;
}

export type MessageTables = {
  message_threads: MessageThreadsTable;
  messages: MessagesTable;
  message_attachments: MessageAttachmentsTable;
};
