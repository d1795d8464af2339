# Sourced by ./mvnw, ./taskflow and .ci/run: make JAVA_HOME point at a JDK >= 21.
# Order: an explicit JAVA_HOME that is new enough, the `javac` on PATH, the JDKs installed beside the
# default `java` (found at run time), then the usual install folders of other systems.
taskflow_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}
taskflow_find_jdk() {
  local candidate major
  set +f  # callers such as mvnw run with globbing off
  # JDKs are usually installed side by side: look beside the one the default `java` belongs to.
  local default_jdk
  default_jdk=$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent/bin/java)")")")
  for candidate in "${JAVA_HOME:-}" \
      "$(dirname "$(dirname "$(readlink -f "$(command -v javac 2>/dev/null || echo /nonexistent/bin/javac)")")")" \
      "$(dirname "$default_jdk")"/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* \
      /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(taskflow_java_major "$candidate")
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then
      printf '%s\n' "$candidate"
      return 0
    fi
  done
  return 1
}
if TASKFLOW_JDK=$(taskflow_find_jdk); then
  export JAVA_HOME="$TASKFLOW_JDK"
else
  echo "TaskFlow needs a JDK 21 or newer, and none was found (looked at JAVA_HOME, PATH and the JDKs installed beside the default java)." >&2
  echo "Install one (for example: apt-get install openjdk-21-jdk) or set JAVA_HOME to it." >&2
  exit 1
fi
# JDK 24+ warns about sun.misc.Unsafe use inside Maven itself; that noise is not ours.
if [ "$(taskflow_java_major "$JAVA_HOME")" -ge 24 ]; then
  export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
fi
