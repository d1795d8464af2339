package dev.taskflow.spi;

import dev.taskflow.JobProgress;

public record JobProgressParams(JobLease lease, JobProgress progress) {}
