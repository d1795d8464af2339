-- Rate limits read and prune the starts of one limit by time (at > now - period, at <= now -
-- period), across its buckets. With bucket before at, both read every row the limit has: order
-- the index by limit, then time, so each is a range of the rows inside (or outside) the window;
-- the trailing bucket lets the count per bucket read the index only.
DROP INDEX taskflow_rate_log_window;
CREATE INDEX taskflow_rate_log_window ON taskflow_rate_log (limit_name, at, bucket);
