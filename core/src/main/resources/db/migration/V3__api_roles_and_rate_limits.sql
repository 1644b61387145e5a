-- API keys have a role and may expire. Keys made before roles existed could do everything, so they stay admin
-- keys and do not expire; new keys always name their role.
alter table api_key add column role text not null default 'ADMIN' check (role in ('ADMIN', 'OPERATOR'));
alter table api_key alter column role drop default;
alter table api_key add column expires_at timestamptz;

-- Rate limits shared by every api instance: one row per account and limited action (a few rows per account).
-- A generic cell rate algorithm: next_at is when the bucket would be full again (its "theoretical arrival
-- time"); a request is allowed while next_at is at most one window minus one interval ahead, and moves it on
-- by one interval. One atomic insert ... on conflict do update decides and records each request.
create table api_rate_limit (
    bucket  text        primary key,
    next_at timestamptz not null
);
