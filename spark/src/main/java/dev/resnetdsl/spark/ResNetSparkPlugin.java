package dev.resnetdsl.spark;

import java.util.Map;
import org.apache.spark.api.plugin.DriverPlugin;
import org.apache.spark.api.plugin.ExecutorPlugin;
import org.apache.spark.api.plugin.PluginContext;
import org.apache.spark.api.plugin.SparkPlugin;

/**
 * Closes an executor's cached ONNX Runtime sessions and training bundles ({@link ExecutorCache}) when the executor
 * stops — in local mode, at {@code SparkSession.stop()}. Enable it with
 * {@code --conf spark.plugins=dev.resnetdsl.spark.ResNetSparkPlugin} ({@code ./resnet-spark} does); without it they live until the
 * executor's process ends, which frees them.
 */
public final class ResNetSparkPlugin implements SparkPlugin {
    /** The value for {@code spark.plugins}. */
    public static final String NAME = ResNetSparkPlugin.class.getName();

    @Override
    public DriverPlugin driverPlugin() {
        return null;
    }

    @Override
    public ExecutorPlugin executorPlugin() {
        return new ExecutorPlugin() {
            @Override
            public void init(PluginContext context, Map<String, String> extraConf) {}

            @Override
            public void shutdown() {
                ExecutorCache.closeAll();
            }
        };
    }
}
