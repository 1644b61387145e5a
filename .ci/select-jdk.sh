# Sourced by .ci/run and the run scripts: makes JAVA_HOME point at a JDK 21 or newer.
# Keeps a JAVA_HOME that is already new enough; otherwise picks the newest JDK under /usr/lib/jvm
# (or /Library/Java/JavaVirtualMachines on macOS).
java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.specification.version/ {print $2}' | cut -d. -f1
}
if [ -z "${JAVA_HOME:-}" ] || [ ! -x "$JAVA_HOME/bin/java" ] || [ "$(java_major "$JAVA_HOME")" -lt 21 ]; then
  if command -v java >/dev/null 2>&1; then
    current_home=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
    [ "$(java_major "$current_home")" -ge 21 ] && export JAVA_HOME="$current_home"
  fi
fi
if [ -z "${JAVA_HOME:-}" ] || [ ! -x "$JAVA_HOME/bin/java" ] || [ "$(java_major "$JAVA_HOME")" -lt 21 ]; then
  best=""; best_major=0
  for candidate in /usr/lib/jvm/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -x "$candidate/bin/java" ] || continue
    major=$(java_major "$candidate")
    if [ -n "$major" ] && [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then best=$candidate; best_major=$major; fi
  done
  if [ -z "$best" ]; then
    echo "Mailroom needs a JDK 21 or newer; none found. Install one and set JAVA_HOME." >&2
    exit 1
  fi
  export JAVA_HOME="$best"
fi
echo "Using JDK at $JAVA_HOME" >&2
