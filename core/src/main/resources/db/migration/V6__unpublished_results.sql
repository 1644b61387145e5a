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

