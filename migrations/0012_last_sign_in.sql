-- When the person last completed a sign-in. The e-coach's "no sign-in for N days" alert reads it:
-- sessions themselves are deleted when they expire.
alter table users add column last_signed_in_at timestamptz;
