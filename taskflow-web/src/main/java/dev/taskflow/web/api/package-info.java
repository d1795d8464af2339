/**
 * The JSON routes of HTTP API v1 ({@link dev.taskflow.web.api.ApiRoutes} is their table), built on
 * the shared plumbing of {@code dev.taskflow.web}. {@code TaskFlowWeb} mounts them; nothing else
 * needs to.
 */
package dev.taskflow.web.api;
