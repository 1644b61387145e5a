-- Every Microsoft way to send: access kind (delegated or application), credential (secret or certificate),
-- transport (SMTP, Graph, SMTP falling back to Graph). Existing services keep delegated + secret + SMTP.
alter table smtp_service
    add column access                        text not null default 'DELEGATED'
        check (access in ('DELEGATED', 'APPLICATION')),
    add column transport                     text not null default 'SMTP'
        check (transport in ('SMTP', 'GRAPH', 'SMTP_WITH_GRAPH_FALLBACK')),
    -- the certificate credential: the PKCS#8 private key sealed like the client secret, the certificate (public)
    add column client_certificate_key        bytea,
    add column client_certificate            text,
    add column client_certificate_thumbprint text,
    add column client_certificate_expires_at timestamptz,
    -- the latest send through Graph after SMTP AUTH was refused, for the status page
    add column last_fallback_at              timestamptz,
    add column last_fallback                 jsonb;

-- How each sent mail went out, where it was not plain SMTP: Graph (202 Accepted), or Graph after SMTP's 5.7.139.
-- The result and the delivery log read it; the queue's own rows stay as they are.
create table delivery_transport (
    request_id       uuid        primary key references delivery (request_id) on delete cascade,
    transport        text        not null check (transport in ('SMTP', 'GRAPH')),
    fallback_reason  text,
    http_status      integer,
    provider_request text,
    ambiguous        boolean     not null default false,
    recorded_at      timestamptz not null
);
