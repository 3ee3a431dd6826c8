package dev.resnetdsl.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * samples/spark-classify-folder compiles against this build and does what its README says: its main class, run here
 * in local mode, writes a Parquet folder with a prediction or an error for every file.
 */
class SampleTest {
    @TempDir
    Path dir;

    @Test
    void theSampleClassifiesAFolderIntoParquet() throws Exception {
        Path root = Path.of(System.getProperty("resnet.root", ".."))
                .toAbsolutePath()
                .normalize();
        Path source = root.resolve("samples/spark-classify-folder/src/main/java/com/example/ClassifyFolder.java");
        assertTrue(Files.isRegularFile(source), source.toString());
        Path classes = Files.createDirectories(dir.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        int status = javac.run(
                null, null, null, "-d", classes.toString(), "-cp", classpath, "--release", "17", source.toString());
        assertEquals(0, status, "the sample compiles against this build");

        Path model = TestModels.classifier(dir, 4);
        Path images = TestModels.images(dir.resolve("images"), 5);
        Path out = dir.resolve("predictions.parquet");
        try (URLClassLoader loader = new URLClassLoader(
                new URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
            Method main = loader.loadClass("com.example.ClassifyFolder").getMethod("main", String[].class);
            main.invoke(null, (Object) new String[] {model.toString(), images.toString(), out.toString()});
        }
        SparkSession spark = LocalSpark.start("local[2]");
        try {
            Dataset<Row> back = spark.read().parquet(out.toString());
            assertEquals(
                    List.of(
                            "path",
                            "modificationTime",
                            "length",
                            "prediction",
                            "predictedLabel",
                            "probability",
                            "top5",
                            "error"),
                    List.of(back.columns()));
            assertEquals(5, back.where("error IS NULL").count());
            assertEquals(2, back.where("error IS NOT NULL").count(), "broken.png and truncated.jpg");
        } finally {
            spark.stop();
        }
        assertTrue(new File(out.toFile(), "_SUCCESS").exists());
    }
}
