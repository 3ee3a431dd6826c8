#!/usr/bin/env bash
# Runs resnet-spark.jar the way spark-submit does on a cluster, without a Spark installation: a folder holding only
# Spark's own jars (what $SPARK_HOME/jars holds, protobuf 4.33 through Tink included), `-cp 'jars/*'`, Spark's JVM
# flags, and org.apache.spark.deploy.SparkSubmit with --class. Predicts two sample images and runs one training round.
#   spark/scripts/spark-submit-check.sh [maven args, e.g. -Dmaven.repo.local=…]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="$root/spark/target/spark-submit-check"
jar="$root/spark/target/resnet-spark.jar"
[[ -f "$jar" ]] || { echo "build first: mvn -B install -DskipTests" >&2; exit 1; }
mkdir -p "$work"
spark_version="$(sed -n 's:.*<spark.version>\(.*\)</spark.version>.*:\1:p' "$root/spark/pom.xml" | head -1)"
cat > "$work/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>check</groupId><artifactId>spark-home</artifactId><version>1</version><packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.apache.spark</groupId><artifactId>spark-sql_2.13</artifactId><version>$spark_version</version></dependency>
    <dependency><groupId>org.apache.spark</groupId><artifactId>spark-mllib_2.13</artifactId><version>$spark_version</version></dependency>
  </dependencies>
</project>
POM
if [[ ! -d "$work/jars" ]]; then
  mvn -B -q -f "$work/pom.xml" "$@" dependency:copy-dependencies -DoutputDirectory="$work/jars"
fi
echo "Spark's jars: $(ls "$work/jars" | wc -l); protobuf among them: $(ls "$work/jars" | grep -E '^protobuf-java-' || echo none)"
flags=(-XX:+IgnoreUnrecognizedVMOptions --add-modules=jdk.incubator.vector
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED
  --add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED
  --add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED
  -Dio.netty.tryReflectionSetAccessible=true -Dio.netty.allocator.type=pooled
  -Dio.netty.handler.ssl.defaultEndpointVerificationAlgorithm=NONE)
submit() {
  SPARK_LOCAL_IP=127.0.0.1 java -Xmx2g "${flags[@]}" -cp "$work/jars/*" org.apache.spark.deploy.SparkSubmit \
    --master 'local[2]' --conf spark.ui.enabled=false --class dev.resnetdsl.spark.cli.ResNetSparkCli "$jar" "$@"
}
"$root/resnet" export "$root/specs/cifar/resnet20.resnet" -o "$work/r20.onnx" >/dev/null
rm -f "$work/predictions.csv"
submit predict "$work/r20.onnx" --images "$root/samples/images" --top 2 -o "$work/predictions.csv"
cat "$work/predictions.csv"
rm -rf "$work/bundle"
"$root/resnet" train-artifacts "$root/specs/mnist/resnet20.resnet" --import-root "$root/specs" -o "$work/bundle" >/dev/null
submit train "$work/bundle" --data "mnist:$root/samples/mnist-subset" --epochs 1 --batch 100 --workers 2 \
  --average-every 4
