package dev.taskflow.server;

import dev.taskflow.StorageException;
import dev.taskflow.postgres.PostgresStorage;
import dev.taskflow.spi.Storage;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code taskflow migrate}: brings a store's schema up to date, or prints the SQL it would run. */
@Command(
    name = "migrate",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Applies the pending schema migrations of a store, under a lock so that several processes"
          + " never migrate at once. With --print-sql, prints them instead and changes nothing.",
    },
    footer = {
      "",
      "Examples:",
      "  taskflow migrate --store postgres://app@db.example:5432/app?schema=jobs",
      "  taskflow migrate --store postgres://app@db.example:5432/app --print-sql > taskflow.sql"
    })
final class MigrateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--store",
      required = true,
      paramLabel = StoreSpec.LABEL,
      description = "The store to migrate.")
  StoreSpec store;

  @Option(
      names = "--print-sql",
      description = "Print the SQL of the pending migrations (PostgreSQL) and change nothing.")
  boolean printSql;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (store.isMemory()) {
      throw new ParameterException(spec.commandLine(), "a memory store has no schema to migrate");
    }
    if (printSql && !store.isPostgres()) {
      throw new ParameterException(
          spec.commandLine(), "--print-sql is for PostgreSQL stores; SQLite migrates on open");
    }
    try {
      if (store.isPostgres()) {
        try (PostgresStorage pg = store.postgres(true)) {
          if (printSql) {
            out.print(pg.pendingMigrationsSql());
          } else {
            int applied = pg.migrate();
            out.println(
                applied == 0
                    ? "schema " + pg.schema() + " is up to date (" + store + ")"
                    : "applied " + applied + " migration(s) to schema " + pg.schema());
          }
        }
      } else {
        try (Storage s = store.create(true)) {
          s.open();
          out.println(store + " is up to date");
        }
      }
    } catch (StorageException e) {
      spec.commandLine().getErr().println("error: " + e.getMessage());
      return Main.EXIT_FAILED;
    }
    out.flush();
    return 0;
  }
}
