-- Events of jobs enqueued in the caller's own transaction (TaskFlow.enqueueIn).
--
-- Sequence numbers of taskflow_events follow commit order: every writer takes the event-log
-- advisory lock right before it inserts events and holds it until it commits, so no event with a
-- smaller sequence can commit after a reader has seen a larger one. Inside a caller's transaction
-- that lock would be held until the caller commits, however long its own work takes, and every
-- claim, completion and heartbeat of every server would wait for it. Those events are written here
-- instead, without the lock, and a deferred trigger moves them into the log at the caller's
-- commit: the lock is then held only while that commit completes, and a rollback leaves nothing.
CREATE TABLE taskflow_events_staged (
  id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  job_id   uuid   NOT NULL,
  type     text   NOT NULL,
  time     bigint NOT NULL,
  job_type text   NOT NULL,
  queue    text   NOT NULL,
  owner    text,
  data     jsonb  NOT NULL
);

-- The second key of this schema's advisory locks: Java's String.hashCode of the schema name, as
-- PostgresDialect.schemaKey() computes it.
CREATE FUNCTION taskflow_schema_key(name text) RETURNS integer
  LANGUAGE plpgsql IMMUTABLE
AS $$
DECLARE
  h bigint := 0;
  i integer;
BEGIN
  FOR i IN 1 .. length(name) LOOP
    h := (h * 31 + ascii(substr(name, i, 1))) % 4294967296;
  END LOOP;
  IF h >= 2147483648 THEN
    h := h - 4294967296;
  END IF;
  RETURN h::integer;
END
$$;

-- Runs once per staged row at commit; the first run moves every row this transaction staged (the
-- only rows it can see: other transactions' rows are uncommitted, or already moved when they
-- committed), the later runs find none.
CREATE FUNCTION taskflow_events_publish_staged() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path FROM CURRENT
AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM taskflow_events_staged) THEN
    RETURN NULL;
  END IF;
  -- 1952841730 = PostgresDialect.LOCK_EVENTS (0x74660002)
  PERFORM pg_advisory_xact_lock(1952841730, taskflow_schema_key(TG_TABLE_SCHEMA));
  PERFORM pg_notify('taskflow:' || TG_TABLE_SCHEMA, 'e');
  WITH moved AS (DELETE FROM taskflow_events_staged RETURNING *)
  INSERT INTO taskflow_events (job_id, type, time, job_type, queue, owner, data)
    SELECT job_id, type, time, job_type, queue, owner, data FROM moved ORDER BY id;
  RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER taskflow_events_staged_publish AFTER INSERT ON taskflow_events_staged
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION taskflow_events_publish_staged();
