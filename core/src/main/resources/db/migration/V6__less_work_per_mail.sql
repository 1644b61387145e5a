-- Final results waiting to be published to Kafka: the outbox, apart from the delivery row. A row is
-- written in the statement that makes a delivery final and deleted once Kafka acknowledged the result.
-- Marking a result as published on the delivery row itself (published_at) rewrote the whole row and
-- added an entry to each of its indexes once more per mail; an insert and a delete of this narrow row
-- cost a fraction of that (ADR 0018).
create table unpublished_result (
    request_id  uuid        primary key references delivery (request_id) on delete cascade,
    finished_at timestamptz not null
);

insert into unpublished_result (request_id, finished_at)
select request_id, finished_at from delivery where published_at is null and finished_at is not null;

drop index delivery_unpublished;
alter table delivery drop column published_at;


-- A stored request (its JSON, a few kilobytes) is read once or twice and dropped when the delivery is final:
-- compressing it with PostgreSQL's default (pglz) was a tenth of the database's CPU per mail. lz4 where the
-- server has it (a fraction of pglz's cost), else no compression at all (more WAL, less CPU).
do $$
begin
  alter table delivery alter column request set compression lz4;
exception when others then
  alter table delivery alter column request set storage external;
end $$;
