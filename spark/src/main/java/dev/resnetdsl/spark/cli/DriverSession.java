package dev.resnetdsl.spark.cli;

import dev.resnetdsl.spark.ResNetSparkPlugin;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * The command's Spark session: the one already running in this JVM (a test's, a notebook's), left running; or a new
 * one on {@code --master}, else on the master spark-submit chose, else {@code local[*]} — stopped at the end. Settings
 * the user did not make are chosen for this workload (see docs/spark.md).
 */
final class DriverSession implements AutoCloseable {
    private final SparkSession spark;
    private final boolean ours;

    private DriverSession(SparkSession spark, boolean ours) {
        this.spark = spark;
        this.ours = ours;
    }

    static DriverSession open(String master, String appName) {
        scala.Option<SparkSession> active = SparkSession.getActiveSession();
        if (active.isDefined()) {
            return new DriverSession(active.get(), false);
        }
        SparkConf given = new SparkConf(); // what spark-submit and -Dspark.* set
        SparkSession.Builder b = SparkSession.builder().appName(appName);
        if (master != null) {
            b.master(master);
        } else if (!given.contains("spark.master")) {
            b.master("local[*]");
        }
        String plugins = given.get("spark.plugins", "");
        if (!plugins.contains(ResNetSparkPlugin.NAME)) {
            b.config(
                    "spark.plugins",
                    plugins.isEmpty() ? ResNetSparkPlugin.NAME : plugins + "," + ResNetSparkPlugin.NAME);
        }
        defaultTo(b, given, "spark.ui.showConsoleProgress", "false");
        // A training round returns each worker's state (1-200 MB): as a direct task result it skips a block-manager
        // round trip, which cut a round's driver CPU time by 2.5x for 100 MB (docs/spark.md).
        defaultTo(b, given, "spark.rpc.message.maxSize", "1024");
        defaultTo(b, given, "spark.task.maxDirectResultSize", "1g");
        SparkSession spark = b.getOrCreate();
        if (!given.contains("spark.log.level")) {
            spark.sparkContext().setLogLevel("WARN");
        }
        return new DriverSession(spark, true);
    }

    private static void defaultTo(SparkSession.Builder b, SparkConf given, String key, String value) {
        if (!given.contains(key)) {
            b.config(key, value);
        }
    }

    SparkSession spark() {
        return spark;
    }

    /** The master URL, e.g. {@code local[2]} or {@code yarn}. */
    String master() {
        return spark.sparkContext().master();
    }

    boolean local() {
        return master().startsWith("local");
    }

    @Override
    public void close() {
        if (ours) {
            spark.stop();
        }
    }
}
