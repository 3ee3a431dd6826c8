package dev.resnetdsl.spark;

import org.apache.spark.sql.SparkSession;

/** Local-mode sessions for tests: no UI, loopback only, the plugin that closes cached sessions. */
public final class LocalSpark {
    private LocalSpark() {}

    /**
     * A new session on {@code master} ({@code local[2]}: two task slots in this JVM; {@code local[2,3]}: the same,
     * retrying a failed task up to three times, which plain {@code local[N]} never does).
     */
    public static SparkSession start(String master) {
        return SparkSession.builder()
                .appName("resnet-spark-test")
                .master(master)
                .config("spark.ui.enabled", "false")
                .config("spark.ui.showConsoleProgress", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.plugins", ResNetSparkPlugin.NAME)
                .getOrCreate();
    }
}
