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
 * @param excludedTypePrefix when not null, jobs whose type starts with it are never claimed (a
 *     remote worker asking for any type must not take TaskFlow's own {@code taskflow.*} jobs)
 */
public record JobClaimParams(
    String queue,
    int max,
    String leaseOwner,
    Duration leaseDuration,
    Set<String> types,
    Map<String, Integer> typeLimits,
    String excludedTypePrefix) {
  public JobClaimParams {
    types = types == null ? Set.of() : Set.copyOf(types);
    typeLimits = typeLimits == null ? Map.of() : Map.copyOf(typeLimits);
    if (excludedTypePrefix != null
        && (excludedTypePrefix.isEmpty() || !excludedTypePrefix.matches("[A-Za-z0-9.:-]+"))) {
      throw new IllegalArgumentException(
          "excludedTypePrefix must be type-name characters, was '" + excludedTypePrefix + "'");
    }
  }

  /** A claim that may take jobs of any type its {@code types} allow. */
  public JobClaimParams(
      String queue,
      int max,
      String leaseOwner,
      Duration leaseDuration,
      Set<String> types,
      Map<String, Integer> typeLimits) {
    this(queue, max, leaseOwner, leaseDuration, types, typeLimits, null);
  }

  /** Whether a job of {@code type} may be claimed by these params' type rules. */
  public boolean allowsType(String type) {
    return (types.isEmpty() || types.contains(type))
        && (excludedTypePrefix == null || !type.startsWith(excludedTypePrefix));
  }
}
