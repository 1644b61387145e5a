-- Google Workspace beside Microsoft: provider GOOGLE (Gmail SMTP with XOAUTH2). A user grant keeps its refresh
-- token in token_cache like Microsoft's cache; a service account with domain-wide delegation brings its JSON key,
-- sealed like a client secret, and the two values the Workspace admin needs (its e-mail and its client ID).
alter table smtp_service drop constraint smtp_service_provider_check;
alter table smtp_service add constraint smtp_service_provider_check check (provider in ('MICROSOFT', 'GOOGLE'));
alter table smtp_service
    add column service_account_key       bytea,
    add column service_account_email     text,
    add column service_account_client_id text,
    -- messages a day per mailbox (Workspace allows 2,000 a user in a rolling 24 hours); null: the host's default
    add column daily_limit               integer check (daily_limit > 0);
