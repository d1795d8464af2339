package dev.taskflow.server;

import dev.taskflow.ResourceConfig;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.TypeConversionException;

/**
 * A {@code --resource NAME=MIN..MAX[,KEY=VALUE...]} option: the adaptive limit of one shared
 * downstream, as {@link dev.taskflow.TaskFlowBuilder#resource} takes it. Keys: {@code initial},
 * {@code window} (integers), {@code tolerance}, {@code backoff}, {@code error-rate} (decimals).
 */
record ResourceSpec(String name, int min, int max, Map<String, String> settings) {
  static final String USAGE =
      "use NAME=MIN..MAX[,initial=N][,window=N][,tolerance=X][,backoff=X][,error-rate=X],"
          + " e.g. model-server=1..32,initial=8";
  private static final Pattern SHAPE = Pattern.compile("([^=,]+)=(\\d{1,5})\\.\\.(\\d{1,5})(,.*)?");

  /** Applies the settings to the builder's config; its setters check the ranges. */
  void applyTo(ResourceConfig r) {
    r.min(min).max(max);
    settings.forEach(
        (key, value) -> {
          switch (key) {
            case "initial" -> r.initial(integer(key, value));
            case "window" -> r.window(integer(key, value));
            case "tolerance" -> r.tolerance(decimal(key, value));
            case "backoff" -> r.backoff(decimal(key, value));
            default -> r.errorRate(decimal(key, value)); // error-rate: keys are checked on parse
          }
        });
  }

  private int integer(String key, String value) {
    return number(key, value, Integer::parseInt, "a whole number");
  }

  private double decimal(String key, String value) {
    return number(key, value, Double::parseDouble, "a number such as 0.5");
  }

  private <T> T number(String key, String value, Function<String, T> parse, String what) {
    try {
      return parse.apply(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "--resource " + name + ": " + key + " must be " + what + ", was '" + value + "'");
    }
  }

  /** Parses the option's value; the {@code --resource} converter. */
  static ResourceSpec parse(String value) {
    Matcher m = SHAPE.matcher(value.strip());
    if (!m.matches()) {
      throw new TypeConversionException("'" + value + "' is not a resource: " + USAGE);
    }
    Map<String, String> settings = new LinkedHashMap<>();
    if (m.group(4) != null) {
      for (String part : m.group(4).substring(1).split(",", -1)) {
        int eq = part.indexOf('=');
        String key = eq < 0 ? part : part.substring(0, eq).strip().toLowerCase(Locale.ROOT);
        if (eq < 0
            || !(key.equals("initial")
                || key.equals("window")
                || key.equals("tolerance")
                || key.equals("backoff")
                || key.equals("error-rate"))) {
          throw new TypeConversionException(
              "'" + value + "' has an unknown setting '" + part + "': " + USAGE);
        }
        settings.put(key, part.substring(eq + 1).strip());
      }
    }
    return new ResourceSpec(
        m.group(1).strip(), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)), settings);
  }
}
