-- Recurring schedules. next_fire_at is the next fire time (epoch ms) not yet enqueued; the leader
-- enqueues a fire and moves next_fire_at in one transaction, guarded by the value it read, so each
-- (schedule, fire time) is enqueued once even when two servers briefly both think they lead.
CREATE TABLE taskflow_recurring (
  id           text    NOT NULL PRIMARY KEY,
  spec         jsonb   NOT NULL,
  paused       boolean NOT NULL DEFAULT false,
  next_fire_at bigint,
  last_fire_at bigint,
  last_job_id  uuid,
  runs         bigint  NOT NULL DEFAULT 0,
  created_at   bigint  NOT NULL,
  updated_at   bigint  NOT NULL
);

CREATE INDEX taskflow_recurring_due ON taskflow_recurring (next_fire_at)
  WHERE NOT paused AND next_fire_at IS NOT NULL;
