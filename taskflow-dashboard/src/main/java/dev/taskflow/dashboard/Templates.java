package dev.taskflow.dashboard;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;

/**
 * The dashboard's JTE templates, precompiled at build time (jte-maven-plugin) into this package, so
 * no template compiler ships. Html content type: every {@code ${...}} is escaped for its context.
 */
final class Templates {
  private final TemplateEngine engine =
      TemplateEngine.createPrecompiled(null, ContentType.Html, null, "dev.taskflow.dashboard");

  /** Renders a template that takes one parameter. */
  String render(String name, Object model) {
    StringOutput out = new StringOutput(8192);
    engine.render(name + ".jte", model, out);
    return out.toString();
  }
}
