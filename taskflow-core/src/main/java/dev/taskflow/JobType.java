package dev.taskflow;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.concurrent.ConcurrentHashMap;

/** Names the stable job type of a {@link JobArgs} record, e.g. {@code embedding.generate}. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface JobType {
  String value();

  /** Reads and caches the annotation. */
  final class Names {
    private static final ConcurrentHashMap<Class<?>, String> CACHE = new ConcurrentHashMap<>();

    private Names() {}

    /**
     * The type name of an args class.
     *
     * @throws InvalidJobException when the class has no {@link JobType} annotation
     */
    public static String of(Class<?> argsClass) {
      return CACHE.computeIfAbsent(
          argsClass,
          c -> {
            JobType t = c.getAnnotation(JobType.class);
            if (t == null) {
              throw new InvalidJobException(
                  "type",
                  "missing_type",
                  null,
                  c.getName()
                      + " has no @JobType annotation: annotate it with @JobType(\"your.type\")"
                      + " or override type()");
            }
            return t.value();
          });
    }
  }
}
