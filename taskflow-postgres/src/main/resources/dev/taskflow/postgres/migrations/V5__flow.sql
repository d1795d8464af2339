-- Flow control on jobs: dependencies, batches, concurrency keys, uniqueness for a period, start
-- deadlines; named limits (concurrency and rate) shared by every server; queue depth bounds.

-- depends_on: parent ids, or NULL; parent_failure: run | cancel | wait.
ALTER TABLE taskflow_jobs
  ADD COLUMN depends_on     jsonb,
  ADD COLUMN parent_failure text,
  ADD COLUMN batch_id       uuid,
  ADD COLUMN concurrency_key text,
  -- A unique key scoped "for a period" blocks duplicates until this time (epoch ms), in any state.
  ADD COLUMN unique_until   bigint,
  -- A job not started by this time (epoch ms) is cancelled with reason expired.
  ADD COLUMN start_by       bigint;

-- Parent -> child links, to find the children of a job that finished.
CREATE TABLE taskflow_job_deps (
  child_id  uuid NOT NULL,
  parent_id uuid NOT NULL,
  PRIMARY KEY (child_id, parent_id)
);
CREATE INDEX taskflow_job_deps_parent ON taskflow_job_deps (parent_id);
CREATE INDEX taskflow_jobs_awaiting ON taskflow_jobs (id) WHERE state = 'awaiting';

CREATE INDEX taskflow_jobs_batch ON taskflow_jobs (batch_id, state) WHERE batch_id IS NOT NULL;
CREATE TABLE taskflow_batches (
  id          uuid   NOT NULL PRIMARY KEY,
  state       text   NOT NULL,
  spec        jsonb  NOT NULL,
  total       integer NOT NULL,
  created_at  bigint NOT NULL,
  finished_at bigint
);
-- Open batches, for the sweep that finishes them.
CREATE INDEX taskflow_batches_open ON taskflow_batches (id) WHERE state = 'open';

CREATE INDEX taskflow_jobs_unique_period ON taskflow_jobs (unique_key, unique_until)
  WHERE unique_until IS NOT NULL;
CREATE INDEX taskflow_jobs_start_by ON taskflow_jobs (start_by)
  WHERE start_by IS NOT NULL AND state IN ('scheduled', 'enqueued', 'awaiting');
CREATE INDEX taskflow_jobs_running ON taskflow_jobs (type, concurrency_key, owner)
  WHERE state = 'processing';

-- Named limits: at most max_running processing jobs and at most rate_count starts per
-- rate_period_ms, over the jobs the limit matches (type and/or queue), shared by all of them
-- (scope global), per concurrency key (scope key) or per owner (scope owner).
CREATE TABLE taskflow_limits (
  name       text   NOT NULL PRIMARY KEY,
  spec       jsonb  NOT NULL,
  updated_at bigint NOT NULL
);
-- Starts counted against rate limits, pruned once older than the limit's period.
CREATE TABLE taskflow_rate_log (
  limit_name text   NOT NULL,
  bucket     text   NOT NULL,
  at         bigint NOT NULL
);
CREATE INDEX taskflow_rate_log_window ON taskflow_rate_log (limit_name, bucket, at);

-- Backpressure: at most this many waiting (enqueued + scheduled + awaiting) jobs in the queue.
ALTER TABLE taskflow_queues ADD COLUMN max_depth integer;
