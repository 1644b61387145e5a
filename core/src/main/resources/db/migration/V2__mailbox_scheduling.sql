-- The mailbox is the unit of scheduling: Exchange Online counts its limits (30 messages a minute,
-- 3 concurrent connections) per mailbox, shared by every service that logs in as it. Leases, rate
-- windows and connection caps therefore belong to the mailbox, and a lease is a fence: it carries a
-- generation that every claim, requeue and release proves in SQL.

-- The mailbox a service sends as, written by the application from SmtpService#mailbox():
-- "<smtp host>/<login account>", lower case. Services that share it share its limits.
alter table smtp_service add column mailbox text;
update smtp_service set mailbox = lower(host) || '/' || lower(coalesce(login_email, username, from_address));
alter table smtp_service alter column mailbox set not null;
create index smtp_service_mailbox on smtp_service (mailbox) where deleted_at is null;

drop table service_lease;

create table mailbox_lease (
    mailbox              text        primary key,
    owner                text        not null,
    -- bumped by every acquisition: the fencing token a worker proves with each claim, requeue and release
    generation           bigint      not null,
    lease_until          timestamptz not null,
    -- SMTP sessions the owner had open at its last renewal (0 after a clean release)
    connections          integer     not null default 0,
    -- when each used message permit of the mailbox's sliding minute frees up, as of the last renewal,
    -- claim or release: the per-minute count survives a lease moving to another worker
    rate_window          timestamptz[] not null default '{}',
    -- a lapsed owner may still hold sessions open (a frozen process, a partition) until previous_until:
    -- the next owner keeps its own sessions within what the mailbox allows minus those
    previous_owner       text,
    previous_connections integer     not null default 0,
    previous_until       timestamptz
);

-- A claim names its worker and the lease generation it was made under; it lapses at claimed_until
-- (database clock) unless that worker renews it, and only then may anyone else put the mail back.
alter table delivery add column claimed_generation bigint;

-- An SMTP attempt that timed out after the whole message was handed over: Exchange may have taken it.
-- Counted so the final result can say that the recipient may have received the mail twice.
alter table delivery add column unconfirmed_attempts integer not null default 0;

-- Unused: due mail is always looked up per service (delivery_due) or per mailbox.
drop index delivery_due_any;
