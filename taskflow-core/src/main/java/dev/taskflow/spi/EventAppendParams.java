package dev.taskflow.spi;

import java.util.UUID;

/** Appends an event of any type for a job (custom events, log lines). */
public record EventAppendParams(UUID jobId, String type, String dataJson) {}
