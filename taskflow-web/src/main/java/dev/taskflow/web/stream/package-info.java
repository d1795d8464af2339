/**
 * The event streams of HTTP API v1: SSE and the WebSocket ({@link
 * dev.taskflow.web.stream.EventStreams} mounts both). {@code TaskFlowWeb} mounts them; nothing else
 * needs to.
 */
package dev.taskflow.web.stream;
