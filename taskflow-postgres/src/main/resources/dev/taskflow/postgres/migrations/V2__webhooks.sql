-- Webhook registrations: where matching job events are delivered (signed per Standard Webhooks).
-- events and headers are JSON text; secrets are whsec_ values, space-separated, newest first.
-- Ids are canonical UUID text, ordered bytewise for keyset paging.
CREATE TABLE taskflow_webhooks (
  id              text COLLATE "C" NOT NULL PRIMARY KEY,
  url             text    NOT NULL,
  events          text    NOT NULL,
  queue           text,
  job_type        text,
  owner           text,
  headers         text    NOT NULL,
  active          integer NOT NULL,
  disabled_reason text,
  secrets         text    NOT NULL,
  created_at      bigint  NOT NULL,
  updated_at      bigint  NOT NULL
);
