package dev.resnetdsl.spark.cli;

import dev.resnetdsl.cli.UserError;
import dev.resnetdsl.runtime.inference.BatchClassifier;
import dev.resnetdsl.runtime.inference.ImagePrediction;
import dev.resnetdsl.runtime.inference.PredictionCsv;
import dev.resnetdsl.runtime.io.AtomicFiles;
import dev.resnetdsl.runtime.ort.Device;
import dev.resnetdsl.spark.ExecutorCache;
import dev.resnetdsl.spark.ImageClassifier;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code resnet-spark predict MODEL.onnx --images PATH [--output OUT.csv|OUT.parquet]}: reads the image files under
 * PATH with Spark's {@code binaryFile} source, classifies them with {@link ImageClassifier}, and writes the CSV of
 * {@code resnet predict} (same columns, same formatting, rows by path) or a Parquet folder.
 */
@Command(
        name = "predict",
        mixinStandardHelpOptions = true,
        description = {
            "Classify the images under PATH (any Hadoop file system) on Spark with an ONNX classifier and the"
                    + " preprocessing it records; CSV rows path,top1,prob1[,top2,prob2…],error as resnet predict"
                    + " writes them, or a Parquet folder."
        })
final class PredictCommand implements Callable<Integer> {
    /** The image formats Java reads, as a glob for the binaryFile source. */
    static final String IMAGE_GLOB = "*.{png,jpg,jpeg,bmp,gif,wbmp,PNG,JPG,JPEG,BMP,GIF,WBMP}";

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL.onnx", description = "the model (resnet export writes one)")
    String model;

    @Option(
            names = "--images",
            required = true,
            paramLabel = "PATH",
            description = "a folder (walked recursively) or file; local, hdfs://, s3a://, …")
    String images;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "OUT.csv|OUT.parquet",
            description = "a CSV file (written atomically), or a Parquet folder (default: CSV on standard output)")
    String output;

    @Option(
            names = "--master",
            paramLabel = "URL",
            description = "Spark master, e.g. local[2] (default: spark-submit's, else local[*])")
    String master;

    @Option(names = "--batch", defaultValue = "32", paramLabel = "N", description = "images per batch (default: 32)")
    int batch;

    @Option(names = "--top", defaultValue = "1", paramLabel = "K", description = "classes per image (default: 1)")
    int top;

    @Option(
            names = "--threads",
            defaultValue = "1",
            paramLabel = "T",
            description = "ONNX Runtime threads per task; match spark.task.cpus (default: 1)")
    int threads;

    @Option(
            names = "--partitions",
            defaultValue = "0",
            paramLabel = "P",
            description = "at least this many tasks (default: Spark decides, about one per core)")
    int partitions;

    @Option(names = "--device", defaultValue = "cpu", paramLabel = "D", description = "cpu, cuda or cuda:N")
    String device;

    @Override
    public Integer call() throws IOException {
        if (top < 1 || top > 1000) {
            throw new UserError("--top must be between 1 and 1000");
        }
        if (batch < 1 || batch > 4096) {
            throw new UserError("--batch must be between 1 and 4096");
        }
        if (partitions < 0) {
            throw new UserError("--partitions must be ≥ 0");
        }
        Device.parse(device);
        boolean parquet = output != null && output.endsWith(".parquet");
        if (output != null && !parquet && !output.endsWith(".csv")) {
            throw new UserError("--output must name a .csv file or a .parquet folder, not " + output);
        }
        requireLocal(model, "no such model file");
        requireLocal(images, "no such file or folder");
        PrintWriter err = spec.commandLine().getErr();
        try (DriverSession session = DriverSession.open(master, "resnet-spark predict")) {
            int sessionsBefore = ExecutorCache.created();
            ImageClassifier classifier = new ImageClassifier()
                    .setModelPath(model)
                    .setInputCol("content")
                    .setBatchSize(batch)
                    .setThreadsPerTask(threads)
                    .setDevice(device);
            if (top > 1) {
                classifier.setTopKCol("topK").setTopK(top);
            }
            if (session.local()) {
                // In local mode the driver is the executor: this checks the model now and is the tasks' session.
                BatchClassifier here = classifier.driverClassifier(session.spark());
                if (here.guessed()) {
                    err.println("resnet-spark: note: " + model + " records no preprocessing; using "
                            + here.preprocessing().describe());
                }
            }
            if (partitions > 0) {
                session.spark().conf().set("spark.sql.files.minPartitionNum", Integer.toString(partitions));
            }
            Dataset<Row> files = session.spark()
                    .read()
                    .format("binaryFile")
                    .option("recursiveFileLookup", "true")
                    .option("pathGlobFilter", IMAGE_GLOB)
                    .load(images);
            List<Column> columns = new ArrayList<>(List.of(
                    functions.col("path"),
                    functions.col("prediction"),
                    functions.col("predictedLabel"),
                    functions.col("probability")));
            if (top > 1) {
                columns.add(functions.col("topK"));
            }
            columns.add(functions.col("error"));
            // Kept once computed: the counts and the sort by path read it again without classifying again.
            Dataset<Row> result = classifier
                    .transform(files)
                    .select(columns.toArray(new Column[0]))
                    .persist(StorageLevel.MEMORY_AND_DISK());
            long[] counts = new long[2];
            try {
                if (parquet) {
                    result.write().parquet(output);
                    counts[1] = result.where(functions.col("error").isNotNull()).count();
                    counts[0] = result.count() - counts[1];
                } else if (output == null) {
                    PrintWriter out = spec.commandLine().getOut();
                    writeCsv(result, out, counts);
                    out.flush();
                } else {
                    AtomicFiles.write(Path.of(output), os -> {
                        Writer w = new BufferedWriter(new OutputStreamWriter(os, StandardCharsets.UTF_8));
                        writeCsv(result, w, counts);
                        w.flush();
                    });
                }
            } finally {
                result.unpersist();
            }
            err.printf(
                    Locale.ROOT,
                    "classified %d images%s%s on %s%n",
                    counts[0],
                    counts[1] == 0
                            ? ""
                            : String.format(Locale.ROOT, "; %d could not be read (see their error column)", counts[1]),
                    output == null ? "" : "; wrote " + output,
                    session.master());
            if (session.local()) {
                err.printf(
                        Locale.ROOT,
                        "ONNX Runtime sessions opened: %d (one per executor; local mode has one)%n",
                        ExecutorCache.created() - sessionsBefore);
            }
            err.flush();
        }
        return 0;
    }

    private void writeCsv(Dataset<Row> result, Writer out, long[] counts) throws IOException {
        out.write(PredictionCsv.header(top));
        out.write('\n');
        Iterator<Row> rows = result.orderBy("path").toLocalIterator();
        while (rows.hasNext()) {
            ImagePrediction p = prediction(rows.next());
            counts[p.ok() ? 0 : 1]++;
            out.write(PredictionCsv.row(p, top));
            out.write('\n');
        }
    }

    /** A result row as {@code resnet predict} holds it, the path as a local path when it is one. */
    private ImagePrediction prediction(Row r) {
        String id = displayPath(r.getString(0));
        String error = r.getString(r.size() - 1);
        if (error != null) {
            return ImagePrediction.failed(id, error);
        }
        List<ImagePrediction.RankedClass> ranked = new ArrayList<>();
        if (top > 1) {
            for (Row c : r.<Row>getList(4)) {
                ranked.add(new ImagePrediction.RankedClass(c.getInt(0), c.getString(1), c.getDouble(2)));
            }
        } else {
            ranked.add(new ImagePrediction.RankedClass(r.getInt(1), r.getString(2), r.getDouble(3)));
        }
        return new ImagePrediction(id, ranked, null, null);
    }

    /** {@code file:/x/y.png} as {@code /x/y.png}; other file systems' URIs as they are. */
    static String displayPath(String uri) {
        if (uri.startsWith("file:")) {
            try {
                return Path.of(URI.create(uri)).toString();
            } catch (IllegalArgumentException e) {
                return uri;
            }
        }
        return uri;
    }

    /** A path without a scheme is a local one: say now if it is missing, before Spark starts. */
    private static void requireLocal(String path, String what) {
        if (!path.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*") && !Files.exists(Path.of(path))) {
            throw new UserError(path + ": " + what);
        }
    }
}
