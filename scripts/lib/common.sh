# Shared by the launchers: builds the project when its sources changed and puts the runtime
# classpath (Spark included, as the local launcher runs without spark-submit) in $SPARK_MOE_CP.
# Source it; it needs ROOT set to the repository root.

JAVA_OPENS="--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED \
--add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED \
--add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED \
--add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED \
--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED \
--add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED \
--add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED"


spark_moe_build() {
  local stamp="$ROOT/driver/target/classpath.txt"
  local newest=""
  if [ -f "$stamp" ]; then
    newest=$(find "$ROOT" -path "$ROOT/*/target" -prune -o \( -name '*.java' -o -name 'pom.xml' -o -name '*.conf' \) \
             -newer "$stamp" -print -quit 2>/dev/null || true)
  fi
  if [ ! -f "$stamp" ] || [ -n "$newest" ]; then
    echo "building spark-moe (mvn install -DskipTests)..." >&2
    (cd "$ROOT" && mvn -q -B ${MAVEN_OFFLINE:+-o} install -DskipTests >&2) || return 1
    (cd "$ROOT" && mvn -q -B ${MAVEN_OFFLINE:+-o} -pl driver dependency:build-classpath \
        -Dmdep.includeScope=compile -Dmdep.outputFile="$stamp" >&2) || return 1
  fi
  SPARK_MOE_CP="$ROOT/driver/target/classes:$(cat "$stamp")"
  export SPARK_MOE_CP
}

# Runs a main class of the driver module with the project's JVM settings.
spark_moe_java() {
  local main="$1"; shift
  # shellcheck disable=SC2086
  # Spark, Hadoop and ND4J log warnings only (conf/log4j2.properties) unless the caller chose a config.
  local log="-Dlog4j2.configurationFile=$ROOT/conf/log4j2.properties"
  case "${SPARK_MOE_JVM_PROPS:-}" in *log4j2.configurationFile*) log="" ;; esac
  exec java ${SPARK_MOE_JAVA_OPTS:--Xmx8g} $JAVA_OPENS $log ${SPARK_MOE_JVM_PROPS:-} -cp "$SPARK_MOE_CP" "$main" "$@"
}
