package dev.resnetdsl.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plugin closes an executor's cached sessions when it stops (in local mode: when the session stops). */
class ExecutorLifecycleTest {
    @TempDir
    Path dir;

    @Test
    void stoppingTheExecutorClosesItsSessions() throws IOException {
        Path model = TestModels.classifier(dir, 3);
        Path images = TestModels.images(dir.resolve("images"), 4);
        SparkSession spark = LocalSpark.start("local[2]");
        int closedBefore;
        try {
            ImageClassifier c =
                    new ImageClassifier().setModelPath(model.toString()).setInputCol("content");
            long n = c.transform(spark.read().format("binaryFile").load(images.toString()))
                    .where("error IS NULL")
                    .count();
            assertEquals(4, n);
            assertTrue(ExecutorCache.size() >= 1, "a session is cached while the executor lives");
            closedBefore = ExecutorCache.closed();
        } finally {
            spark.stop();
        }
        assertEquals(0, ExecutorCache.size(), "the executor plugin closed every cached session");
        assertTrue(ExecutorCache.closed() > closedBefore);
    }
}
