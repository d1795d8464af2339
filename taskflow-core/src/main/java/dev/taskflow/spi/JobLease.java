package dev.taskflow.spi;

import java.util.UUID;

/** The fencing triple of a claimed job: id, attempt and the lease owner. */
public record JobLease(UUID id, int attempt, String leaseOwner) {}
