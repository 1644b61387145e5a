-- Mailroom's schema. api and worker share it; Flyway (in both apps) applies it under an advisory lock.
-- Secrets are stored sealed (AES-GCM envelopes that carry their key id, see io.mailroom.core.secrets):
-- columns holding them are bytea and never leave the database unopened except to the code that uses them.

create table smtp_service (
    id                       uuid        primary key,
    account_id               text        not null,
    name                     text        not null,
    host                     text        not null,
    port                     integer     not null check (port between 1 and 65535),
    from_address             text        not null,
    from_name                text,
    reply_to                 text,
    auth_type                text        not null check (auth_type in ('BASIC', 'OAUTH2')),
    -- BASIC
    username                 text,
    password                 bytea,
    -- OAUTH2 (provider MICROSOFT)
    provider                 text        check (provider in ('MICROSOFT')),
    login_email              text,
    client_id                text,
    client_secret            bytea,
    tenant_id                text,
    client_secret_expires_on date,
    secret_changed_at        timestamptz,
    -- authorization state
    status                   text        not null default 'NOT_AUTHORIZED'
        check (status in ('NOT_AUTHORIZED', 'AUTHORIZED', 'NEEDS_REAUTHORIZATION', 'CONFIGURATION_ERROR')),
    status_reason            jsonb,
    status_changed_at        timestamptz not null default now(),
    authorized_at            timestamptz,
    authorized_account       text,
    -- per-service sending limits; null means the default for the host
    rate_limit_per_minute    integer     check (rate_limit_per_minute > 0),
    max_connections          integer     check (max_connections > 0),
    max_message_bytes        bigint      check (max_message_bytes > 0),
    -- outcome summary for the status page
    last_success_at          timestamptz,
    last_failure_at          timestamptz,
    last_failure             jsonb,
    created_at               timestamptz not null default now(),
    updated_at               timestamptz not null default now(),
    deleted_at               timestamptz,
    version                  bigint      not null default 0
);
create index smtp_service_account on smtp_service (account_id, created_at) where deleted_at is null;

-- MSAL's serialized token cache of one service (it holds the refresh token), sealed.
-- version only grows: a writer updates "where version = <the version it read>", so a stale cache
-- (an older refresh token) can never overwrite a newer one.
create table token_cache (
    service_id    uuid        primary key references smtp_service (id) on delete cascade,
    version       bigint      not null,
    key_id        text        not null,
    sealed        bytea       not null,
    refreshed_at  timestamptz not null default now()
);

-- The delivery queue and log: one row per accepted (or rejected) request, keyed by its idempotency key.
create table delivery (
    request_id      uuid        primary key,
    service_id      uuid,                             -- null only for a rejected record it could not be read from
    account_id      text,
    priority        smallint    not null,             -- 0 TRANSACTIONAL, 1 BULK: sorts transactional first
    status          text        not null
        check (status in ('QUEUED', 'SENDING', 'HELD', 'SENT', 'FAILED', 'EXPIRED', 'REJECTED')),
    request         bytea,                            -- the SendRequest as JSON; dropped once final
    subject         text,
    recipient       text,                             -- first recipient, for the log
    recipient_count integer     not null default 0,
    tags            jsonb       not null default '{}',
    traceparent     text,
    enqueued_at     timestamptz not null,             -- when the producer published it (record timestamp)
    accepted_at     timestamptz not null,             -- when a worker stored it
    not_before      timestamptz,
    expires_at      timestamptz,
    next_attempt_at timestamptz not null,
    attempts        integer     not null default 0,
    claimed_by      text,
    claimed_until   timestamptz,
    message_id      text,
    smtp_reply      jsonb,
    error           jsonb,
    finished_at     timestamptz,
    published_at    timestamptz                       -- null while a final result awaits publishing
);
create index delivery_due on delivery (service_id, priority, next_attempt_at) where status = 'QUEUED';
create index delivery_due_any on delivery (next_attempt_at) where status = 'QUEUED';
create index delivery_held on delivery (service_id) where status = 'HELD';
create index delivery_claims on delivery (claimed_until) where status = 'SENDING';
create index delivery_expiring on delivery (expires_at) where status in ('QUEUED', 'HELD') and expires_at is not null;
create index delivery_unpublished on delivery (finished_at) where published_at is null and finished_at is not null;
create index delivery_log on delivery (service_id, accepted_at desc);
create index delivery_retention on delivery (finished_at) where finished_at is not null;

create table delivery_attempt (
    request_id  uuid        not null references delivery (request_id) on delete cascade,
    attempt     integer     not null,
    started_at  timestamptz not null,
    finished_at timestamptz not null,
    outcome     text        not null,                 -- SENT, RETRY, FAILED, HELD
    smtp_reply  jsonb,
    error       jsonb,
    primary key (request_id, attempt)
);

-- Which worker dispatches a service's mail right now. One owner per service keeps Exchange's
-- per-mailbox limits (connections, messages per minute) true across all workers.
create table service_lease (
    service_id  uuid        primary key,
    owner       text        not null,
    lease_until timestamptz not null
);

-- A started OAuth2 authorization: the single-use state (stored hashed), bound to service and caller.
create table authorization_attempt (
    state_hash    text        primary key,
    service_id    uuid        not null references smtp_service (id) on delete cascade,
    account_id    text        not null,
    actor         text        not null,
    code_verifier bytea       not null,
    return_url    text,
    created_at    timestamptz not null,
    expires_at    timestamptz not null,
    consumed_at   timestamptz
);

create table api_key (
    id           uuid        primary key,
    account_id   text        not null,
    name         text        not null,
    key_hash     text        not null unique,
    created_at   timestamptz not null default now(),
    last_used_at timestamptz,
    revoked_at   timestamptz
);

create table audit_event (
    id          bigserial   primary key,
    account_id  text        not null,
    actor       text        not null,
    action      text        not null,
    service_id  uuid,
    occurred_at timestamptz not null default now(),
    details     jsonb       not null default '{}'
);
create index audit_event_account on audit_event (account_id, occurred_at desc);
