-- Named leaderships (maintenance that must run once among the servers sharing this file): the
-- owner holds the name until expires_at (epoch milliseconds on the store clock) unless it renews.
CREATE TABLE taskflow_leaders (
  name       TEXT    NOT NULL PRIMARY KEY,
  owner      TEXT    NOT NULL,
  expires_at INTEGER NOT NULL
);
