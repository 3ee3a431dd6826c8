package dev.resnetdsl.cli;

import dev.resnetdsl.runtime.io.OutputFiles;
import dev.resnetdsl.runtime.tensor.DType;
import dev.resnetdsl.runtime.tensor.Safetensors;
import dev.resnetdsl.runtime.tensor.Tensor;
import dev.resnetdsl.runtime.tensor.TensorFile;
import dev.resnetdsl.training.bundle.DivergedStepException;
import dev.resnetdsl.training.bundle.Manifest;
import dev.resnetdsl.training.bundle.StepResult;
import dev.resnetdsl.training.bundle.TrainingBundle;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code resnet step DIR --batch B --out OUT}: one SGD step of a training bundle on the batch in B
 * ({@code input} F32[N,C,H,W], {@code labels} I64[N]). OUT receives {@code loss}, {@code correct},
 * {@code grad.<name>} for every parameter and {@code after.<name>} for every parameter and BN statistic;
 * then the bundle's checkpoint advances. Nothing is written when the batch is refused.
 */
@Command(
        name = "step",
        mixinStandardHelpOptions = true,
        description = "Run one training step of a bundle on a batch; write loss, gradients and updated weights.")
final class StepCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "the training bundle")
    Path dir;

    @Option(names = "--batch", required = true, paramLabel = "B", description = "safetensors with input and labels")
    Path batch;

    @Option(names = "--out", required = true, paramLabel = "OUT", description = "safetensors file to write")
    Path outFile;

    @Mixin
    DeviceOption device;

    @Option(names = "--lr", paramLabel = "X", description = "learning rate (default: the bundle's)")
    Float lr;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if (!Files.isRegularFile(batch)) {
            throw new UserError(batch + ": no such file");
        }
        OutputFiles.requireNotAnInput(
                outFile,
                List.of(
                        batch,
                        dir.resolve(Manifest.FILE),
                        dir.resolve(TrainingBundle.CHECKPOINT_FILE),
                        dir.resolve(TrainingBundle.TRAIN_STEP_FILE),
                        dir.resolve(TrainingBundle.EVAL_FILE)));
        TensorFile b = Safetensors.read(batch);
        Tensor input = require(b, "input", DType.F32);
        Tensor labels = require(b, "labels", DType.I64);
        try (TrainingBundle bundle = TrainingBundle.open(dir, device.device())) {
            float rate = lr != null ? lr : bundle.manifest().hyperparameters().learningRate();
            Map<String, Tensor> grads = new LinkedHashMap<>();
            StepResult r;
            try {
                r = bundle.stepWithGradients(input, labels, rate, grads);
            } catch (DivergedStepException e) {
                throw new UserError(batch + ": " + e.getMessage() + " — try a lower --lr", e);
            } catch (IllegalArgumentException e) {
                throw new UserError(batch + ": " + e.getMessage());
            }
            Map<String, Tensor> result = new LinkedHashMap<>();
            result.put("loss", Tensor.scalar(r.loss()));
            result.put("correct", Tensor.ofLongs(new int[0], new long[] {r.correct()}));
            grads.forEach((name, g) -> result.put("grad." + name, g));
            bundle.weights().forEach((name, w) -> result.put("after." + name, w));
            Safetensors.write(outFile, result, Map.of("step", Long.toString(bundle.step())));
            bundle.saveCheckpoint(bundle.extraState());
            out.printf(
                    "step %d: loss %.6f, %d/%d correct, lr %s; wrote %s; checkpoint at step %d%n",
                    bundle.step(), r.loss(), r.correct(), r.batchSize(), rate, outFile, bundle.step());
            NonFiniteWarning.check(spec.commandLine().getErr(), "the loss", r.loss());
        }
        return 0;
    }

    private Tensor require(TensorFile file, String name, DType dtype) {
        Tensor t = file.tensors().get(name);
        if (t == null) {
            throw new UserError(
                    batch + ": no tensor '" + name + "' (a batch holds input F32[N,C,H,W] and labels" + " I64[N])");
        }
        if (t.dtype() != dtype) {
            throw new UserError(batch + ": tensor '" + name + "' is " + t.describe() + ", expected " + dtype);
        }
        return t;
    }
}
