#!/usr/bin/env bash
# Builds the sample and classifies a folder in Spark local mode: ./run.sh MODEL.onnx IMAGES OUT.parquet
# (after `mvn -B install -DskipTests` at the repository root, which installs resnet-spark).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
mvn -B -q -f "$here/pom.xml" ${MAVEN_ARGS:-} package
# Spark's JVM flags on Java 17+ (org.apache.spark.launcher.JavaModuleOptions), and the classpath, go through an
# @argfile: ONNX Runtime 1.29 crashes when the process's command line is longer than about 4 KB.
argfile="$here/target/java.args"
{
  printf '%s\n' -XX:+IgnoreUnrecognizedVMOptions --add-modules=jdk.incubator.vector
  for p in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util java.util.concurrent \
      java.util.concurrent.atomic jdk.internal.ref sun.nio.ch sun.nio.cs sun.security.action sun.util.calendar; do
    printf -- '--add-opens=java.base/%s=ALL-UNNAMED\n' "$p"
  done
  printf '%s\n' --add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED -Dio.netty.tryReflectionSetAccessible=true
  printf -- '-cp\n"%s:%s"\n' "$here/target/classes" "$(cat "$here/target/classpath.txt")"
} > "$argfile"
SPARK_LOCAL_IP=127.0.0.1 exec java -Xmx2g "@$argfile" com.example.ClassifyFolder "$@"
