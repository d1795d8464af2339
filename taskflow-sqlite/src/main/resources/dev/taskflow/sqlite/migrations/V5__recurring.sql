-- Recurring schedules. next_fire_at is the next fire time (epoch ms) not yet enqueued; the leader
-- enqueues a fire and moves next_fire_at in one transaction, guarded by the value it read, so each
-- (schedule, fire time) is enqueued once even when two servers briefly both think they lead.
CREATE TABLE taskflow_recurring (
  id           TEXT    NOT NULL PRIMARY KEY,
  spec         TEXT    NOT NULL,
  paused       INTEGER NOT NULL DEFAULT 0,
  next_fire_at INTEGER,
  last_fire_at INTEGER,
  last_job_id  TEXT,
  runs         INTEGER NOT NULL DEFAULT 0,
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL
);

CREATE INDEX taskflow_recurring_due ON taskflow_recurring (next_fire_at)
  WHERE paused = 0 AND next_fire_at IS NOT NULL;
