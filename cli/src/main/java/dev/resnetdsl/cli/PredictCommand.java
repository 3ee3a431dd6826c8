package dev.resnetdsl.cli;

import dev.resnetdsl.runtime.inference.BatchClassifier;
import dev.resnetdsl.runtime.inference.ImagePrediction;
import dev.resnetdsl.runtime.inference.ImageSource;
import dev.resnetdsl.runtime.inference.PredictionCsv;
import dev.resnetdsl.runtime.io.AtomicFiles;
import dev.resnetdsl.runtime.io.OutputFiles;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code resnet predict MODEL.onnx PATH… [--top K] [--output preds.csv]}: classifies images and folders of images
 * (recursed, in a stable order) with the preprocessing the model records, in batches, streaming: the next batch is
 * decoded while ONNX Runtime runs the current one, and rows are written as they come, so a hundred thousand
 * images need neither a hundred thousand arguments nor memory for all of them. An image that cannot be read gets
 * an error on its row and is counted; it never stops the run.
 */
@Command(
        name = "predict",
        mixinStandardHelpOptions = true,
        description = {
            "Classify images (files, or folders walked recursively) with an ONNX classifier and the preprocessing"
                    + " and class names it records; CSV rows path,top1,prob1[,top2,prob2…],error."
        })
final class PredictCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL.onnx", description = "the model (resnet export writes one)")
    Path model;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "PATH", description = "images and folders of images")
    List<Path> paths;

    @Option(names = "--top", defaultValue = "1", paramLabel = "K", description = "classes per image (default: 1)")
    int top;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "FILE.csv",
            description = "write the CSV here (atomically) instead of standard output")
    Path output;

    @Option(names = "--batch", defaultValue = "32", paramLabel = "N", description = "images per batch (default: 32)")
    int batch;

    @Mixin
    DeviceOption device;

    @Override
    public Integer call() throws Exception {
        if (top < 1) {
            throw new UserError("--top must be at least 1");
        }
        if (batch < 1 || batch > 4096) {
            throw new UserError("--batch must be between 1 and 4096");
        }
        for (Path p : paths) {
            if (!Files.exists(p)) {
                throw new UserError(p + ": no such file or folder");
            }
        }
        if (output != null) {
            List<Path> inputs = new java.util.ArrayList<>(paths);
            inputs.add(model);
            OutputFiles.requireNotAnInput(output, inputs);
        }
        PrintWriter err = spec.commandLine().getErr();
        long[] counts = new long[3]; // classified, failed, classified with non-finite logits
        try (BatchClassifier classifier = BatchClassifier.open(model, device.device())) {
            if (classifier.guessed()) {
                err.println("resnet: note: " + model + " records no preprocessing; using "
                        + classifier.preprocessing().describe());
            }
            if (output == null) {
                PrintWriter out = spec.commandLine().getOut();
                stream(classifier, out, counts);
                out.flush();
            } else {
                // The CSV appears complete or not at all; rows stream into the temporary file as they come.
                AtomicFiles.write(output, os -> {
                    Writer w = new BufferedWriter(new OutputStreamWriter(os, StandardCharsets.UTF_8));
                    stream(classifier, w, counts);
                    w.flush();
                });
            }
        }
        err.printf(
                Locale.ROOT,
                "classified %d images%s%s%n",
                counts[0],
                counts[1] == 0
                        ? ""
                        : String.format(Locale.ROOT, "; %d could not be read (see their error column)", counts[1]),
                output == null ? "" : "; wrote " + output);
        NonFiniteWarning.count(err, counts[2], counts[0], "images' logits");
        err.flush();
        return 0;
    }

    private static boolean allFinite(float[] values) {
        for (float v : values) {
            if (!Float.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    private void stream(BatchClassifier classifier, Writer out, long[] counts) throws IOException {
        ImageWalk walk = new ImageWalk(paths);
        out.write(PredictionCsv.header(top));
        out.write('\n');
        ExecutorService decoder = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "resnet-predict-decode");
            t.setDaemon(true);
            return t;
        });
        try {
            CompletableFuture<BatchClassifier.PreparedBatch> ahead = prepareNext(classifier, walk, decoder);
            while (ahead != null) {
                BatchClassifier.PreparedBatch current = ahead.join();
                if (current.size() == 0) {
                    break;
                }
                ahead = prepareNext(classifier, walk, decoder);
                for (ImagePrediction p : classifier.run(current, top)) {
                    counts[p.ok() ? 0 : 1]++;
                    if (p.ok() && !allFinite(p.logits())) {
                        counts[2]++;
                    }
                    out.write(PredictionCsv.row(p, top));
                    out.write('\n');
                }
            }
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof java.io.UncheckedIOException u) {
                throw u.getCause();
            }
            throw e;
        } finally {
            decoder.shutdownNow();
        }
    }

    private CompletableFuture<BatchClassifier.PreparedBatch> prepareNext(
            BatchClassifier classifier, ImageWalk walk, ExecutorService decoder) {
        List<ImageSource> sources = new ArrayList<>(batch);
        while (sources.size() < batch && walk.hasNext()) {
            sources.add(ImageSource.of(walk.next()));
        }
        return CompletableFuture.supplyAsync(() -> classifier.prepare(sources), decoder);
    }
}
