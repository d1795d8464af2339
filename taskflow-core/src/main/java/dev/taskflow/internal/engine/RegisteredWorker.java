package dev.taskflow.internal.engine;

import dev.taskflow.Worker;

/** A worker with its type name and args class. */
public record RegisteredWorker<A>(String type, Class<A> argsClass, Worker<A> worker) {}
