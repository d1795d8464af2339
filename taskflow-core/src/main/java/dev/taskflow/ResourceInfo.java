package dev.taskflow;

import java.time.Duration;
import java.util.List;

/**
 * The adaptive concurrency limit of one shared downstream resource on this server, as {@link
 * TaskFlowClient#resources()} shows it.
 *
 * @param name the resource
 * @param types the job types that use it
 * @param limit how many of its jobs may run at once now
 * @param min the lowest the limit goes
 * @param max the highest the limit goes
 * @param inFlight its jobs running now
 * @param latency the mean latency of the last full window of finished attempts, or null before one
 * @param baseline the latency the limit compares against, or null before the first window
 * @param errorRate the share of failed attempts in the last full window (0.0..1.0)
 * @param decreases how many times the limit was lowered since start
 * @param increases how many times the limit was raised since start
 */
public record ResourceInfo(
    String name,
    List<String> types,
    int limit,
    int min,
    int max,
    int inFlight,
    Duration latency,
    Duration baseline,
    double errorRate,
    long decreases,
    long increases) {
  public ResourceInfo {
    types = List.copyOf(types);
  }
}
