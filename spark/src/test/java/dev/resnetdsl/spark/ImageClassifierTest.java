package dev.resnetdsl.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resnetdsl.cli.ResNetCli;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The transformer in local[2] against {@code resnet predict} on the same images and model. */
class ImageClassifierTest {
    private static final int IMAGES = 14;

    @TempDir
    static Path dir;

    private static SparkSession spark;
    private static Path model;
    private static Path images;
    private static Map<String, Map<String, String>> predicted;

    @BeforeAll
    static void start() throws IOException {
        model = TestModels.classifier(dir, 1);
        images = TestModels.images(dir.resolve("images"), IMAGES);
        Path csv = dir.resolve("predict.csv");
        StringWriter err = new StringWriter();
        int status = ResNetCli.run(
                new PrintWriter(new StringWriter()),
                new PrintWriter(err),
                "predict",
                model.toString(),
                images.toString(),
                "--top",
                "3",
                "-o",
                csv.toString());
        assertEquals(0, status, err.toString());
        predicted = PredictionCsvFile.read(csv);
        assertEquals(IMAGES + 2, predicted.size());
        spark = LocalSpark.start("local[2]");
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    private static Dataset<Row> files(int partitions) {
        return spark.read().format("binaryFile").load(images.toString()).repartition(partitions);
    }

    private static String local(String uri) {
        return Path.of(URI.create(uri)).toString();
    }

    private static ImageClassifier classifier() {
        return new ImageClassifier()
                .setModelPath(model.toString())
                .setInputCol("content")
                .setTopKCol("top3")
                .setTopK(3)
                .setBatchSize(4);
    }

    @Test
    void binaryFilesGetWhatResnetPredictSays() {
        List<Row> rows = classifier()
                .setLogitsCol("logits")
                .transform(files(4))
                .select("path", "prediction", "predictedLabel", "probability", "top3", "logits", "error")
                .collectAsList();
        assertEquals(IMAGES + 2, rows.size());
        int classified = 0;
        for (Row r : rows) {
            String path = local(r.getString(0));
            Map<String, String> expected = predicted.get(path);
            assertNotNull(expected, path + " is among resnet predict's rows");
            if (expected.get("error").isEmpty()) {
                classified++;
                assertNull(r.get(6), path);
                assertEquals(expected.get("top1"), r.getString(2), path);
                assertEquals(TestModels.CLASSES.indexOf(expected.get("top1")), r.getInt(1), path);
                assertEquals(Double.parseDouble(expected.get("prob1")), r.getDouble(3), 1e-5, path);
                List<Row> top = r.getList(4);
                assertEquals(3, top.size());
                for (int k = 0; k < 3; k++) {
                    assertEquals(expected.get("top" + (k + 1)), top.get(k).getString(1), path + " top " + (k + 1));
                    assertEquals(
                            Double.parseDouble(expected.get("prob" + (k + 1))),
                            top.get(k).getDouble(2),
                            1e-5);
                }
                Vector logits = (Vector) r.get(5);
                assertEquals(5, logits.size());
                assertEquals(r.getInt(1), logits.argmax(), "the logits' largest is the prediction");
            } else {
                // Not an image: nulls and the reason, and the job went on.
                assertNull(r.get(1), path);
                assertNull(r.get(2), path);
                assertNull(r.get(3), path);
                assertNull(r.get(4), path);
                assertNull(r.get(5), path);
                String error = r.getString(6);
                assertNotNull(error, path);
                assertTrue(error.contains(Path.of(path).getFileName().toString()), error);
            }
        }
        assertEquals(IMAGES, classified);
    }

    @Test
    void imageSourceStructsGetTheSameAnswers() {
        Dataset<Row> structs =
                spark.read().format("image").load(images.toString()).repartition(3);
        List<Row> rows = classifier()
                .setInputCol("image")
                .transform(structs)
                .select("image.origin", "predictedLabel", "probability", "error")
                .collectAsList();
        assertEquals(IMAGES + 2, rows.size(), "the image source keeps undecodable files as invalid rows");
        int classified = 0;
        for (Row r : rows) {
            String path = local(r.getString(0));
            Map<String, String> expected = predicted.get(path);
            if (expected.get("error").isEmpty()) {
                classified++;
                assertNull(r.get(3), path + ": " + r.get(3));
                assertEquals(expected.get("top1"), r.getString(1), path);
                assertEquals(Double.parseDouble(expected.get("prob1")), r.getDouble(2), 1e-5, path);
            } else {
                assertNull(r.get(1));
                assertTrue(r.getString(3).contains("not an image the image data source could decode"), r.getString(3));
            }
        }
        assertEquals(IMAGES, classified);
    }

    @Test
    void oneSessionPerExecutorAcrossPartitionsAndJobs() throws IOException {
        Path other = TestModels.classifier(dir, 2);
        int before = ExecutorCache.created();
        ImageClassifier c = classifier().setModelPath(other.toString());
        for (int job = 0; job < 3; job++) {
            assertEquals(
                    IMAGES + 2,
                    c.transform(files(5))
                            .where("error IS NULL OR error IS NOT NULL")
                            .count());
        }
        // local[2] has one executor (the driver): 3 jobs × 5 partitions, one session.
        assertEquals(1, ExecutorCache.created() - before);
    }

    @Test
    void savesAndLoadsAsAPipelineStage() throws IOException {
        ImageClassifier c = classifier().setPredictedLabelCol("label").setThreadsPerTask(2);
        Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {c});
        Dataset<Row> data = files(2);
        PipelineModel fitted = pipeline.fit(data);
        Path saved = dir.resolve("pipeline");
        fitted.write().overwrite().save(saved.toString());
        PipelineModel loaded = PipelineModel.load(saved.toString());
        ImageClassifier back = (ImageClassifier) loaded.stages()[0];
        assertEquals(c.uid(), back.uid());
        assertEquals(model.toString(), back.getModelPath());
        assertEquals("content", back.getInputCol());
        assertEquals("label", back.getPredictedLabelCol());
        assertEquals(3, back.getTopK());
        assertEquals(2, back.getThreadsPerTask());
        assertEquals(4, back.getBatchSize());
        Map<String, String> labels = new HashMap<>();
        for (Row r : loaded.transform(data).select("path", "label").collectAsList()) {
            labels.put(local(r.getString(0)), r.getString(1));
        }
        for (Map.Entry<String, Map<String, String>> e : predicted.entrySet()) {
            String top1 = e.getValue().get("top1");
            assertEquals(top1.isEmpty() ? null : top1, labels.get(e.getKey()), e.getKey());
        }
        ImageClassifier copy = c.copy(new org.apache.spark.ml.param.ParamMap().put(c.topK(), 2));
        assertEquals(2, copy.getTopK());
        assertEquals(c.uid(), copy.uid());
    }

    private static String[] sparkCli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = dev.resnetdsl.spark.cli.ResNetSparkCli.run(new PrintWriter(out), new PrintWriter(err), args);
        return new String[] {Integer.toString(status), out.toString(), err.toString()};
    }

    @Test
    void theCommandWritesResnetPredictsCsvAndParquet() throws IOException {
        Path csv = dir.resolve("spark.csv");
        String[] r = sparkCli(
                "predict",
                model.toString(),
                "--images",
                images.toString(),
                "--top",
                "3",
                "--batch",
                "5",
                "-o",
                csv.toString());
        assertEquals("0", r[0], r[2]);
        assertTrue(r[2].contains("classified " + IMAGES + " images; 2 could not be read"), r[2]);
        List<String> lines = Files.readAllLines(csv);
        assertEquals("path,top1,prob1,top2,prob2,top3,prob3,error", lines.get(0));
        Map<String, Map<String, String>> rows = PredictionCsvFile.read(csv);
        assertEquals(predicted.keySet(), rows.keySet(), "the same images, by the same paths");
        assertEquals(rows.keySet().stream().sorted().toList(), List.copyOf(rows.keySet()), "rows in order of path");
        for (Map.Entry<String, Map<String, String>> e : predicted.entrySet()) {
            Map<String, String> mine = rows.get(e.getKey());
            Map<String, String> theirs = e.getValue();
            for (String column : List.of("top1", "top2", "top3")) {
                assertEquals(theirs.get(column), mine.get(column), e.getKey() + " " + column);
            }
            for (String column : List.of("prob1", "prob2", "prob3")) {
                if (!theirs.get(column).isEmpty()) {
                    assertEquals(
                            Double.parseDouble(theirs.get(column)),
                            Double.parseDouble(mine.get(column)),
                            2e-6,
                            e.getKey() + " " + column);
                }
            }
            assertEquals(theirs.get("error").isEmpty(), mine.get("error").isEmpty(), e.getKey());
        }

        Path parquet = dir.resolve("out.parquet");
        r = sparkCli("predict", model.toString(), "--images", images.toString(), "-o", parquet.toString());
        assertEquals("0", r[0], r[2]);
        Dataset<Row> back = spark.read().parquet(parquet.toString());
        assertEquals(List.of("path", "prediction", "predictedLabel", "probability", "error"), List.of(back.columns()));
        assertEquals(IMAGES, back.where("error IS NULL").count());
        r = sparkCli("predict", model.toString(), "--images", images.toString(), "-o", parquet.toString());
        assertEquals("1", r[0], "never replaces what it did not create");
        assertTrue(r[2].startsWith("resnet-spark: error: ") && r[2].contains("already exists"), r[2]);

        r = sparkCli(
                "predict",
                model.toString(),
                "--images",
                images.toString(),
                "-o",
                dir.resolve("x.txt").toString());
        assertEquals("1", r[0]);
        assertTrue(r[2].contains("--output must name a .csv file or a .parquet folder"), r[2]);
        r = sparkCli("predict", dir.resolve("none.onnx").toString(), "--images", images.toString());
        assertEquals("1", r[0]);
        assertTrue(r[2].contains("none.onnx: no such model file"), r[2]);
    }

    @Test
    void badSettingsAreClearErrors() throws IOException {
        Dataset<Row> data = files(1);
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> classifier().setInputCol("pixels").transformSchema(data.schema()));
        assertTrue(e.getMessage().contains("input column 'pixels' is not among the columns"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> classifier().setInputCol("path").transformSchema(data.schema()));
        assertTrue(
                e.getMessage().contains("must hold image data-source structs or encoded image bytes"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> classifier().setErrorCol("length").transformSchema(data.schema()));
        assertTrue(e.getMessage().contains("output column 'length' already exists"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> new ImageClassifier().setInputCol("content").transform(data));
        assertTrue(e.getMessage().contains("set the transformer's modelPath"), e.getMessage());
        Exception missing = assertThrows(Exception.class, () -> classifier()
                .setModelPath(dir.resolve("nowhere.onnx").toString())
                .transform(data));
        assertTrue(missing.getMessage().contains("nowhere.onnx: no such model file"), missing.getMessage());
        assertThrows(Exception.class, () -> classifier().setTopK(0));
        e = assertThrows(IllegalArgumentException.class, () -> classifier().setDevice("gpu"));
        assertTrue(e.getMessage().contains("unknown device 'gpu'"), e.getMessage());
        assertTrue(Files.exists(model));
    }
}
