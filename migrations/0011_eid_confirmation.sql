-- A fresh SPID/CIE sign-in made to confirm an action (signing the patto di servizio, decision 0005):
-- the OpenID Connect transaction remembers why it was started and where to return; the session
-- remembers, for a few minutes and for one use, that its person has just confirmed their identity.
alter table oidc_transactions
  add column purpose text not null default 'sign_in' check (purpose in ('sign_in', 'confirm')),
  add column return_to text;

alter table sessions
  add column eid_confirmed_at timestamptz,
  add column eid_confirmed_provider text check (eid_confirmed_provider in ('spid', 'cie'));
