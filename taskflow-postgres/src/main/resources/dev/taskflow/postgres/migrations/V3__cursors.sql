-- Durable cursors over the event log: work that must see every event exactly once per cluster
-- (webhook fan-out) keeps the last sequence it handled here and advances it in the same
-- transaction as the jobs it enqueues for the events it read.
CREATE TABLE taskflow_cursors (
  name       text   NOT NULL PRIMARY KEY,
  position   bigint NOT NULL,
  updated_at bigint NOT NULL
);
