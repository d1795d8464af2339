package dev.taskflow.web;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Hostile sweep row 14: refused requests write one log line per interval, however many come. */
class RateLimitedLogTest {

  @Test
  void a_flood_of_refusals_writes_one_line_per_interval_and_the_next_says_how_many_were_left_out() {
    Logger logger = (Logger) LoggerFactory.getLogger("rate-limited-log-test");
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    logger.addAppender(lines);
    try {
      RateLimitedLog flood = new RateLimitedLog(logger, 60_000);
      for (int i = 0; i < 1_000; i++) flood.info("refused request {}", i);
      assertThat(lines.list)
          .extracting(ILoggingEvent::getFormattedMessage)
          .containsExactly("refused request 0");

      java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong();
      RateLimitedLog minute = new RateLimitedLog(logger, 60_000, now::get);
      lines.list.clear();
      minute.info("a");
      minute.info("b");
      minute.info("c");
      now.addAndGet(60_000_000_000L);
      minute.info("d");
      assertThat(lines.list)
          .extracting(ILoggingEvent::getFormattedMessage)
          .containsExactly("a", "d (and 2 more refused since the last line)");
    } finally {
      logger.detachAppender(lines);
    }
  }
}
