package dev.resnetdsl.spark.cli;

import dev.resnetdsl.cli.UserError;
import dev.resnetdsl.runtime.ort.Device;
import dev.resnetdsl.runtime.tensor.DType;
import dev.resnetdsl.runtime.tensor.Safetensors;
import dev.resnetdsl.runtime.tensor.Tensor;
import dev.resnetdsl.runtime.tensor.TensorFile;
import dev.resnetdsl.spark.train.DataParallelOptions;
import dev.resnetdsl.spark.train.SparkEngine;
import dev.resnetdsl.training.bundle.StepResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code resnet-spark step DIR --batch B --workers W --out OUT}: one synchronous round with K = 1 on the batch in B,
 * split in W equal consecutive parts (worker i takes the i-th); OUT receives {@code loss}, {@code correct},
 * {@code after.<name>} for every parameter and BN statistic and {@code momentum.<name>} for every parameter, like
 * {@code resnet step}; then the bundle's checkpoint advances.
 */
@Command(
        name = "step",
        mixinStandardHelpOptions = true,
        description = "Run one data-parallel round (K = 1) of a bundle on a batch split over W workers; write the"
                + " mean loss and the averaged weights, momentum and BN statistics.")
final class StepCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "the training bundle")
    Path dir;

    @Option(names = "--batch", required = true, paramLabel = "B", description = "safetensors with input and labels")
    Path batch;

    @Option(names = "--workers", required = true, paramLabel = "W", description = "Spark tasks (equal parts)")
    int workers;

    @Option(names = "--out", required = true, paramLabel = "OUT", description = "safetensors file to write")
    Path outFile;

    @Option(names = "--lr", paramLabel = "X", description = "learning rate (default: the bundle's)")
    Float lr;

    @Option(
            names = "--master",
            paramLabel = "URL",
            description = "Spark master, e.g. local[2] (default: spark-submit's, else local[*])")
    String master;

    @Option(names = "--threads", defaultValue = "1", paramLabel = "T", description = "ONNX Runtime threads per worker")
    int threads;

    @Option(names = "--device", defaultValue = "cpu", paramLabel = "D", description = "cpu, cuda or cuda:N")
    String device;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if (workers < 1) {
            throw new UserError("--workers must be at least 1, not " + workers);
        }
        if (!Files.isRegularFile(batch)) {
            throw new UserError(batch + ": no such file");
        }
        TensorFile b = Safetensors.read(batch);
        Tensor input = require(b, "input", DType.F32);
        Tensor labels = require(b, "labels", DType.I64);
        DataParallelOptions options =
                DataParallelOptions.of(workers).withThreadsPerWorker(threads).withDevice(Device.parse(device));
        try (DriverSession session = DriverSession.open(master, "resnet-spark step");
                SparkEngine engine = SparkEngine.open(session.spark(), dir, options)) {
            float rate = lr != null
                    ? lr
                    : engine.bundle().manifest().hyperparameters().learningRate();
            StepResult r;
            try {
                r = engine.step(input, labels, rate);
            } catch (IllegalArgumentException e) {
                throw new UserError(batch + ": " + e.getMessage());
            }
            Map<String, Tensor> result = new LinkedHashMap<>();
            result.put("loss", Tensor.scalar(r.loss()));
            result.put("correct", Tensor.ofLongs(new int[0], new long[] {r.correct()}));
            engine.bundle().weights().forEach((name, w) -> result.put("after." + name, w));
            engine.bundle().momentumBuffers().forEach((name, m) -> result.put("momentum." + name, m));
            Safetensors.write(outFile, result, Map.of("step", Long.toString(engine.step())));
            engine.saveCheckpoint(engine.extraState());
            out.printf(
                    "round at step %d: %d workers, mean loss %.6f, %d/%d correct, lr %s; wrote %s; checkpoint at step"
                            + " %d%n",
                    engine.step() - 1, workers, r.loss(), r.correct(), r.batchSize(), rate, outFile, engine.step());
        }
        return 0;
    }

    private Tensor require(TensorFile file, String name, DType dtype) {
        Tensor t = file.tensors().get(name);
        if (t == null) {
            throw new UserError(
                    batch + ": no tensor '" + name + "' (a batch holds input F32[N,C,H,W] and labels I64[N])");
        }
        if (t.dtype() != dtype) {
            throw new UserError(batch + ": tensor '" + name + "' is " + t.describe() + ", expected " + dtype);
        }
        return t;
    }
}
