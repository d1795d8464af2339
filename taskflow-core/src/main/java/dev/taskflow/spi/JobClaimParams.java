package dev.taskflow.spi;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * @param queue the queue to claim from
 * @param max at most this many jobs
 * @param leaseOwner the claiming server's id
 * @param leaseDuration lease length from the store's now
 * @param types only these types (the ones the server has workers for); empty means any
 * @param typeLimits for capped types, how many more of each may be claimed now (0: none)
 */
public record JobClaimParams(
    String queue,
    int max,
    String leaseOwner,
    Duration leaseDuration,
    Set<String> types,
    Map<String, Integer> typeLimits) {
  public JobClaimParams {
    types = types == null ? Set.of() : Set.copyOf(types);
    typeLimits = typeLimits == null ? Map.of() : Map.copyOf(typeLimits);
  }
}
