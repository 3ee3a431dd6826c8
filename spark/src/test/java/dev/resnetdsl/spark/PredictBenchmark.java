package dev.resnetdsl.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.resnetdsl.cli.ResNetCli;
import dev.resnetdsl.runtime.testing.Fixtures;
import dev.resnetdsl.spark.cli.ResNetSparkCli;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import javax.imageio.ImageIO;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A benchmark, not a test (its name keeps it out of the suite; {@code bench/spark-predict.sh} runs it): images/s of
 * {@code resnet predict} and of {@code resnet-spark predict} in local[2] on the same JPEG files and model, in one JVM
 * (so both sides are warmed up alike), the sides alternating round by round. The model is torchvision's ResNet-18
 * from ../shared unless {@code -Dbench.model} names another.
 */
class PredictBenchmark {
    @TempDir
    Path dir;

    @Test
    void predictThroughputAgainstSingleProcess() throws IOException {
        assumeTrue(Boolean.getBoolean("bench"), "run with -Dbench=true (bench/spark-predict.sh)");
        int n = Integer.getInteger("bench.images", 200);
        int rounds = Integer.getInteger("bench.rounds", 3);
        String modelProperty = System.getProperty("bench.model", "");
        Path model =
                modelProperty.isEmpty() ? Fixtures.require("torchvision-resnet18/model.onnx") : Path.of(modelProperty);
        Path images = writeImages(dir.resolve("images"), n);
        System.out.println(cpu());
        SparkSession spark = LocalSpark.start("local[2]");
        try {
            int sessionsBefore = ExecutorCache.created();
            double single0 = single(model, images); // warm-up of both sides, untimed
            double spark0 = sparkRun(model, images);
            System.out.printf(
                    Locale.ROOT, "warm-up: predict %.1f images/s, spark %.1f images/s%n", n / single0, n / spark0);
            List<Double> ratios = new ArrayList<>();
            for (int r = 1; r <= rounds; r++) {
                double a = single(model, images);
                double b = sparkRun(model, images);
                ratios.add(a / b);
                System.out.printf(
                        Locale.ROOT,
                        "round %d: resnet predict %.1f images/s (%.1f s), resnet-spark predict local[2] %.1f images/s"
                                + " (%.1f s), ratio %.2f; load %s%n",
                        r,
                        n / a,
                        a,
                        n / b,
                        b,
                        a / b,
                        load());
            }
            ratios.sort(null);
            System.out.printf(
                    Locale.ROOT,
                    "median ratio (spark images/s over predict images/s): %.2f; ONNX Runtime sessions opened by the"
                            + " Spark side in this JVM: %d%n",
                    ratios.get(ratios.size() / 2),
                    ExecutorCache.created() - sessionsBefore);
        } finally {
            spark.stop();
        }
    }

    /** Seconds for resnet predict (in-process) to write its CSV. */
    private double single(Path model, Path images) {
        Path csv = dir.resolve("predict.csv");
        long t = System.nanoTime();
        int status = ResNetCli.run(
                new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter()),
                "predict",
                model.toString(),
                images.toString(),
                "--batch",
                "32",
                "-o",
                csv.toString());
        double s = (System.nanoTime() - t) / 1e9;
        assertEquals(0, status);
        return s;
    }

    /** Seconds for resnet-spark predict (on the running local[2] session) to write the same CSV. */
    private double sparkRun(Path model, Path images) {
        Path csv = dir.resolve("spark.csv");
        StringWriter err = new StringWriter();
        long t = System.nanoTime();
        int status = ResNetSparkCli.run(
                new PrintWriter(new StringWriter()),
                new PrintWriter(err),
                "predict",
                model.toString(),
                "--images",
                images.toString(),
                "--batch",
                "32",
                "-o",
                csv.toString());
        double s = (System.nanoTime() - t) / 1e9;
        assertEquals(0, status, err.toString());
        return s;
    }

    /** {@code n} photo-sized JPEG files (random smooth colour fields, 256-400 pixels a side). */
    private static Path writeImages(Path dir, int n) throws IOException {
        Files.createDirectories(dir);
        Random r = new Random(11);
        for (int i = 0; i < n; i++) {
            int w = 256 + r.nextInt(145);
            int h = 256 + r.nextInt(145);
            BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            int a = r.nextInt(256);
            int b = r.nextInt(256);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int red = (a + x / 2) & 0xff;
                    int green = (b + y / 3) & 0xff;
                    int blue = (x * y / 97 + r.nextInt(16)) & 0xff;
                    img.setRGB(x, y, (red << 16) | (green << 8) | blue);
                }
            }
            ImageIO.write(
                    img, "jpg", dir.resolve(String.format("photo-%04d.jpg", i)).toFile());
        }
        return dir;
    }

    static String cpu() {
        try {
            String model = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name"))
                    .findFirst()
                    .orElse("model name: ?");
            String flags = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("flags"))
                    .findFirst()
                    .orElse("");
            String simd = flags.contains("avx512f") ? "avx512f" : flags.contains("avx2") ? "avx2" : "no avx2";
            return model + " (" + simd + "), " + Runtime.getRuntime().availableProcessors() + " cores, Java "
                    + System.getProperty("java.version") + ", load " + load();
        } catch (IOException e) {
            return "cpu: ?";
        }
    }

    static String load() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "?";
        }
    }
}
