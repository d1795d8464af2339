package dev.taskflow.spi;

/**
 * Resolves up to {@code limit} awaiting jobs whose parents have all finished ({@link
 * FlowStore#jobResolveAwaiting}).
 */
public record AwaitingResolveParams(String serverId, int limit) {}
