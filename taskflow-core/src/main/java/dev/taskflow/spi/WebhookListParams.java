package dev.taskflow.spi;

import java.util.UUID;

/**
 * @param afterId only webhooks with an id greater than this (keyset paging), or null from the start
 * @param limit at most this many
 */
public record WebhookListParams(UUID afterId, int limit) {}
