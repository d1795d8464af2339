package dev.taskflow.spi;

import java.time.Duration;
import java.util.List;

/**
 * @param leases the leases to extend to {@code now + leaseDuration}
 */
public record JobHeartbeatParams(List<JobLease> leases, Duration leaseDuration) {
  public JobHeartbeatParams {
    leases = List.copyOf(leases);
  }
}
