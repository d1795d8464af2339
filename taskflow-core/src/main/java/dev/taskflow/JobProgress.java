package dev.taskflow;

/**
 * Progress a running job reports.
 *
 * @param percent 0..100
 * @param message a short human-readable line, or null
 * @param step the current step (1-based), or null
 * @param steps the number of steps, or null
 */
public record JobProgress(int percent, String message, Integer step, Integer steps) {
  /** The most characters (code points) a progress message may have. */
  public static final int MAX_MESSAGE_LENGTH = 1000;

  public JobProgress {
    if (percent < 0 || percent > 100) {
      throw new IllegalArgumentException("progress percent must be 0..100, was " + percent);
    }
    if (step != null && steps != null && (step < 0 || steps < 0 || step > steps)) {
      throw new IllegalArgumentException(
          "progress step must be 0.." + steps + " of steps=" + steps + ", was " + step);
    }
  }

  public static JobProgress of(int percent, String message) {
    return new JobProgress(percent, message, null, null);
  }
}
