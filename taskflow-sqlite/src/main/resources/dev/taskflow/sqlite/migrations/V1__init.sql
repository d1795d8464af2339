-- TaskFlow schema for SQLite. Times are epoch milliseconds; ids are canonical lower-case UUID text,
-- so ordering by id text is time order for UUIDv7. JSON columns hold text (see JobCodec).

CREATE TABLE taskflow_jobs (
  id               TEXT    NOT NULL PRIMARY KEY,
  type             TEXT    NOT NULL,
  queue            TEXT    NOT NULL,
  priority         INTEGER NOT NULL,
  args             TEXT    NOT NULL,
  state            TEXT    NOT NULL CHECK (state IN ('awaiting', 'scheduled', 'enqueued',
                     'processing', 'completed', 'failed', 'cancelled', 'deleted')),
  attempt          INTEGER NOT NULL,
  max_attempts     INTEGER NOT NULL,
  scheduled_at     INTEGER NOT NULL,
  created_at       INTEGER NOT NULL,
  started_at       INTEGER,
  finished_at      INTEGER,
  timeout_ms       INTEGER,
  progress         TEXT,
  result           TEXT,
  errors           TEXT    NOT NULL DEFAULT '[]',
  owner            TEXT,
  tags             TEXT    NOT NULL DEFAULT '[]',
  unique_key       TEXT,
  history          TEXT    NOT NULL DEFAULT '[]',
  lease_owner      TEXT,
  lease_expires_at INTEGER
);

-- Claims: the ready jobs of a queue in claim order. Also serves queue positions and the oldest
-- ready job per queue. The trailing type makes claims filtered by type index-only.
CREATE INDEX taskflow_jobs_ready ON taskflow_jobs (queue, priority DESC, scheduled_at, id, type)
  WHERE state = 'enqueued';

-- The promoter: scheduled jobs by due time.
CREATE INDEX taskflow_jobs_due ON taskflow_jobs (scheduled_at, id) WHERE state = 'scheduled';

-- The rescuer: leases by expiry.
CREATE INDEX taskflow_jobs_leases ON taskflow_jobs (lease_expires_at, id)
  WHERE state = 'processing';

-- Retention: finished jobs by state and finish time.
CREATE INDEX taskflow_jobs_finished ON taskflow_jobs (state, finished_at)
  WHERE finished_at IS NOT NULL;

-- At most one live job per unique key.
CREATE UNIQUE INDEX taskflow_jobs_unique_live ON taskflow_jobs (unique_key)
  WHERE unique_key IS NOT NULL
    AND state NOT IN ('completed', 'failed', 'cancelled', 'deleted');

-- The event log. seq is the event id; AUTOINCREMENT never reuses a sequence, even after
-- retention removed the newest events.
CREATE TABLE taskflow_events (
  seq      INTEGER PRIMARY KEY AUTOINCREMENT,
  job_id   TEXT    NOT NULL REFERENCES taskflow_jobs (id) ON DELETE CASCADE,
  type     TEXT    NOT NULL,
  time     INTEGER NOT NULL,
  job_type TEXT    NOT NULL,
  queue    TEXT    NOT NULL,
  owner    TEXT,
  data     TEXT    NOT NULL
);

CREATE INDEX taskflow_events_job ON taskflow_events (job_id, seq);

-- Job counts per queue and state, kept by the triggers below, so that stats never count rows.
CREATE TABLE taskflow_job_counts (
  queue TEXT    NOT NULL,
  state TEXT    NOT NULL,
  n     INTEGER NOT NULL,
  PRIMARY KEY (queue, state)
) WITHOUT ROWID;

CREATE TRIGGER taskflow_jobs_count_insert AFTER INSERT ON taskflow_jobs
BEGIN
  INSERT INTO taskflow_job_counts (queue, state, n) VALUES (NEW.queue, NEW.state, 1)
    ON CONFLICT (queue, state) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER taskflow_jobs_count_update AFTER UPDATE OF state, queue ON taskflow_jobs
  WHEN OLD.state <> NEW.state OR OLD.queue <> NEW.queue
BEGIN
  UPDATE taskflow_job_counts SET n = n - 1 WHERE queue = OLD.queue AND state = OLD.state;
  INSERT INTO taskflow_job_counts (queue, state, n) VALUES (NEW.queue, NEW.state, 1)
    ON CONFLICT (queue, state) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER taskflow_jobs_count_delete AFTER DELETE ON taskflow_jobs
BEGIN
  UPDATE taskflow_job_counts SET n = n - 1 WHERE queue = OLD.queue AND state = OLD.state;
END;

-- Queue flags (pause), shared by every server on this file.
CREATE TABLE taskflow_queues (
  name   TEXT    NOT NULL PRIMARY KEY,
  paused INTEGER NOT NULL DEFAULT 0
);

-- Live servers and their last heartbeat.
CREATE TABLE taskflow_servers (
  id                TEXT    NOT NULL PRIMARY KEY,
  host              TEXT,
  started_at        INTEGER,
  last_heartbeat_at INTEGER NOT NULL,
  queues            TEXT    NOT NULL,
  running           INTEGER NOT NULL
);
