package dev.taskflow.internal;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;

/**
 * UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then a 12-bit counter and 62 random bits, so ids
 * made in one process sort in creation order even within a millisecond.
 */
public final class Ids {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final ReentrantLock LOCK = new ReentrantLock();
  private static long lastMillis;
  private static int counter;

  private Ids() {}

  public static UUID uuidV7(Clock clock) {
    long millis;
    int seq;
    LOCK.lock();
    try {
      millis = Math.max(clock.millis(), lastMillis);
      if (millis == lastMillis) {
        counter++;
        if (counter > 0xFFF) { // counter exhausted: borrow the next millisecond
          millis++;
          counter = 0;
        }
      } else {
        counter = RANDOM.nextInt(0x800); // leave room to count up within this millisecond
      }
      lastMillis = millis;
      seq = counter;
    } finally {
      LOCK.unlock();
    }
    long msb = (millis << 16) | 0x7000L | seq;
    long lsb = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(msb, lsb);
  }
}
