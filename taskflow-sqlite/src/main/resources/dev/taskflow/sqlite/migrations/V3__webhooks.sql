-- Webhook registrations: where matching job events are delivered (signed per Standard Webhooks).
-- events and headers are JSON text; secrets are whsec_ values, space-separated, newest first.
CREATE TABLE taskflow_webhooks (
  id              TEXT    NOT NULL PRIMARY KEY,
  url             TEXT    NOT NULL,
  events          TEXT    NOT NULL,
  queue           TEXT,
  job_type        TEXT,
  owner           TEXT,
  headers         TEXT    NOT NULL,
  active          INTEGER NOT NULL,
  disabled_reason TEXT,
  secrets         TEXT    NOT NULL,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL
);
