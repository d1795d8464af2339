package dev.taskflow.spi;

/**
 * Finishes up to {@code limit} open batches whose members have all finished ({@link
 * FlowStore#batchResolveFinished}).
 */
public record BatchResolveParams(String serverId, int limit) {}
