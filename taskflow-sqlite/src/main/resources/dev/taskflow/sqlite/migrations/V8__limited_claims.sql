-- Limited claims rank the enqueued jobs of a queue per (owner, type, concurrency key) in claim
-- order, and per owner in an owner-fair queue (LimitedClaim). This index holds every column that
-- ranking reads, in the order of the first ranking, so it reads the index only and sorts less.
-- Like the ready index it holds enqueued jobs only.
CREATE INDEX taskflow_jobs_limited ON taskflow_jobs
  (queue, owner, type, concurrency_key, priority DESC, scheduled_at, id, start_by, started_at)
  WHERE state = 'enqueued';
