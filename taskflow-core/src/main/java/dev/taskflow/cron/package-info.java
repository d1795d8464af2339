/**
 * TaskFlow's own cron parser and fire-time calculator on {@code java.time}: {@link
 * dev.taskflow.cron.CronExpression}. No third-party cron library is used at run time.
 */
package dev.taskflow.cron;
