package dev.taskflow;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * The arguments of a job: a record that the user writes, serialised to JSON, with a stable type
 * name that survives refactors (never a class or method name).
 *
 * {@snippet :
 * @JobType("embedding.generate")
 * record EmbedArgs(String documentId, String text) implements JobArgs {}
 * }
 *
 * <p>The type comes from the {@link JobType} annotation; a record may instead override {@link
 * #type()}, but then it must also be registered with an explicit type name.
 */
public interface JobArgs {
  /** The stable type name, by default the value of the class's {@link JobType} annotation. */
  @JsonIgnore
  default String type() {
    return JobType.Names.of(getClass());
  }
}
