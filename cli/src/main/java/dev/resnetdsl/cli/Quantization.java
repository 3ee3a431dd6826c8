package dev.resnetdsl.cli;

import dev.resnetdsl.api.DataSetCalibration;
import dev.resnetdsl.cli.summary.Int8Table;
import dev.resnetdsl.runtime.inference.Inference;
import dev.resnetdsl.runtime.onnx.OnnxFiles;
import dev.resnetdsl.runtime.onnx.proto.Onnx.ModelProto;
import dev.resnetdsl.runtime.onnx.proto.Onnx.StringStringEntryProto;
import dev.resnetdsl.runtime.onnx.proto.Onnx.TensorShapeProto;
import dev.resnetdsl.runtime.ort.Device;
import dev.resnetdsl.runtime.preprocess.Preprocessing;
import dev.resnetdsl.runtime.quantize.CalibrationData;
import dev.resnetdsl.runtime.quantize.Comparison;
import dev.resnetdsl.runtime.quantize.ImageFolderCalibration;
import dev.resnetdsl.runtime.quantize.QuantizedModel;
import dev.resnetdsl.runtime.quantize.Quantizer;
import dev.resnetdsl.training.data.DataSource;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What {@code quantize} and {@code export --int8} do once they hold a float model: read its preprocessing, build the
 * calibration images from {@code --calibrate}, quantize, write, print the int8 report, and compare on held-out
 * images when asked.
 */
final class Quantization {
    private Quantization() {}

    /**
     * Quantizes {@code fp32} (named {@code label} in messages) and writes it to {@code output}.
     *
     * @return the quantized model
     */
    static QuantizedModel run(
            ModelProto fp32, String label, CalibrationOptions flags, Path output, PrintWriter out, PrintWriter err)
            throws IOException {
        if (flags.calibrate == null) {
            throw new UserError("int8 needs calibration images: pass --calibrate");
        }
        var options = flags.options();
        Preprocessing preprocessing = preprocessing(fp32, label, err);
        Source source = source(flags, preprocessing);
        QuantizedModel q = Quantizer.quantize(fp32, source.data(), options);
        OnnxFiles.write(q.model(), output, -1);
        out.printf("wrote %s: int8 ONNX model of %s%n", output, label);
        Int8Table.print(q.report(), out, false);
        if (flags.compare > 0) {
            try (Inference a = Inference.open(fp32.toByteArray(), Device.CPU);
                    Inference b = Inference.open(output, Device.CPU)) {
                Comparison c = Comparison.of(a, b, source.heldOut(flags.compare));
                out.printf(
                        "held-out images: %s%n",
                        c.images() == 0
                                ? "none (calibration used every image of " + flags.calibrate + ")"
                                : c.describe());
            }
        }
        return q;
    }

    /** The model's own preprocessing, or (saying so) the guess {@code run} makes for a model that records none. */
    static Preprocessing preprocessing(ModelProto model, String label, PrintWriter err) {
        for (StringStringEntryProto e : model.getMetadataPropsList()) {
            if (e.getKey().equals(Preprocessing.METADATA_KEY)) {
                try {
                    return Preprocessing.fromJson(e.getValue());
                } catch (IllegalArgumentException x) {
                    throw new UserError(label + ": its preprocessing metadata is invalid: " + x.getMessage());
                }
            }
        }
        var inputs = model.getGraph().getInputList();
        if (inputs.isEmpty()) {
            throw new UserError(label + ": the model has no input");
        }
        List<TensorShapeProto.Dimension> dims =
                inputs.get(0).getType().getTensorType().getShape().getDimList();
        if (dims.size() != 4 || !dims.get(1).hasDimValue()) {
            throw new UserError(label + ": the input is not N×C×H×W with a fixed channel count");
        }
        int c = (int) dims.get(1).getDimValue();
        int h = dims.get(2).hasDimValue() ? (int) dims.get(2).getDimValue() : 224;
        int w = dims.get(3).hasDimValue() ? (int) dims.get(3).getDimValue() : 224;
        Preprocessing guess = Preprocessing.guessFor(c, h, w);
        err.println("resnet: note: " + label + " records no preprocessing; calibrating with " + guess.describe()
                + " (export a trained bundle to record its own)");
        return guess;
    }

    /** Calibration images and the held-out images to compare on. */
    private interface Source {
        CalibrationData data();

        Iterable<Comparison.Batch> heldOut(int max);
    }

    private static Source source(CalibrationOptions flags, Preprocessing preprocessing) throws IOException {
        String text = flags.calibrate;
        int colon = text.indexOf(':');
        String kind = colon > 0 ? text.substring(0, colon).toLowerCase(Locale.ROOT) : "";
        boolean dataSet = List.of("mnist", "fashion-mnist", "cifar10", "folder").contains(kind);
        if (!dataSet) {
            Path folder = Path.of(text);
            if (!Files.isDirectory(folder)) {
                throw new UserError("--calibrate " + text + ": not a folder of images, nor KIND:PATH with KIND one of"
                        + " mnist, fashion-mnist, cifar10, folder");
            }
            ImageFolderCalibration images =
                    ImageFolderCalibration.sample(folder, preprocessing, flags.images, flags.seed);
            return new Source() {
                @Override
                public CalibrationData data() {
                    return images;
                }

                @Override
                public Iterable<Comparison.Batch> heldOut(int max) {
                    List<Path> files = images.heldOut()
                            .subList(0, Math.min(max, images.heldOut().size()));
                    return () -> {
                        var batches = ImageFolderCalibration.batchesOf(files, preprocessing);
                        return new java.util.Iterator<>() {
                            @Override
                            public boolean hasNext() {
                                return batches.hasNext();
                            }

                            @Override
                            public Comparison.Batch next() {
                                return new Comparison.Batch(batches.next(), null);
                            }
                        };
                    };
                }
            };
        }
        DataSetCalibration data =
                DataSetCalibration.of(DataSource.parse(text), preprocessing, flags.images, flags.seed);
        return new Source() {
            @Override
            public CalibrationData data() {
                return data;
            }

            @Override
            public Iterable<Comparison.Batch> heldOut(int max) {
                return data.heldOut(max);
            }
        };
    }
}
