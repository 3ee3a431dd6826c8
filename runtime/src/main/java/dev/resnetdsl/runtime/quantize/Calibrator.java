package dev.resnetdsl.runtime.quantize;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.resnetdsl.runtime.onnx.proto.Onnx.GraphProto;
import dev.resnetdsl.runtime.onnx.proto.Onnx.ModelProto;
import dev.resnetdsl.runtime.onnx.proto.Onnx.TensorProto;
import dev.resnetdsl.runtime.onnx.proto.Onnx.TypeProto;
import dev.resnetdsl.runtime.onnx.proto.Onnx.ValueInfoProto;
import dev.resnetdsl.runtime.ort.Device;
import dev.resnetdsl.runtime.ort.Sessions;
import dev.resnetdsl.runtime.tensor.DType;
import dev.resnetdsl.runtime.tensor.Tensor;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs the calibration images through a copy of the float model whose intermediate values are extra graph outputs
 * (ONNX Runtime on the CPU) and folds every value into its {@link TensorStatistics}. Nothing is kept per image: each
 * run's outputs are folded in and released before the next, and a batch is split so that one run's outputs stay
 * under {@link #OUTPUT_BUDGET_FLOATS} floats (ResNet-50's activations are about 10 million floats per image).
 */
final class Calibrator {
    /** Most floats one run may return: 32 Mi floats, 128 MiB (twice that while a copy is made). */
    static final long OUTPUT_BUDGET_FLOATS = 32L << 20;

    private Calibrator() {}

    /** What calibration saw. */
    record Result(Map<String, TensorStatistics> statistics, long images) {}

    /**
     * Statistics of {@code values} over every calibration image: ranges, and histograms when {@code histograms}.
     *
     * @param model the float model (BN folded), whose graph input is {@code input}
     * @throws IllegalArgumentException when a batch does not fit the model's input or there are no images
     */
    static Result collect(ModelProto model, String input, List<String> values, CalibrationData data, boolean histograms)
            throws IOException {
        return collect(model, input, values, data, histograms, OUTPUT_BUDGET_FLOATS);
    }

    /** {@link #collect} with another output budget (tests use a tiny one to force one image per run). */
    static Result collect(
            ModelProto model,
            String input,
            List<String> values,
            CalibrationData data,
            boolean histograms,
            long budgetFloats)
            throws IOException {
        Map<String, TensorStatistics> stats = new LinkedHashMap<>();
        for (String v : values) {
            stats.put(v, new TensorStatistics());
        }
        long[] inputShape = inputShape(model, input);
        byte[] bytes = withOutputs(model, values, input).toByteArray();
        try (OrtSession session = Sessions.open(bytes, Device.CPU)) {
            Pass pass = new Pass(session, input, stats, inputShape, budgetFloats);
            long images = pass.run(data, false);
            if (images == 0) {
                throw new IllegalArgumentException("the calibration data (" + data.description() + ") has no images");
            }
            if (histograms) {
                long again = pass.run(data, true);
                if (again != images) {
                    throw new IllegalStateException(
                            "the calibration data gave " + images + " images the first time and " + again
                                    + " the second; it must give the same batches each time");
                }
            }
            return new Result(stats, images);
        } catch (OrtException e) {
            throw new IOException("ONNX Runtime could not run the float model for calibration: " + e.getMessage(), e);
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** The model with each value (other than the graph input) added as a float graph output. */
    static ModelProto withOutputs(ModelProto model, List<String> values, String input) {
        GraphProto.Builder g = model.getGraph().toBuilder();
        Set<String> outputs = new HashSet<>();
        g.getOutputList().forEach(o -> outputs.add(o.getName()));
        for (String v : values) {
            if (!v.equals(input) && outputs.add(v)) {
                g.addOutput(ValueInfoProto.newBuilder()
                        .setName(v)
                        .setType(TypeProto.newBuilder()
                                .setTensorType(
                                        TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE))));
            }
        }
        return model.toBuilder().setGraph(g).build();
    }

    private static long[] inputShape(ModelProto model, String input) {
        for (ValueInfoProto v : model.getGraph().getInputList()) {
            if (v.getName().equals(input)) {
                var dims = v.getType().getTensorType().getShape().getDimList();
                long[] shape = new long[dims.size()];
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = dims.get(i).hasDimValue() ? dims.get(i).getDimValue() : -1;
                }
                return shape;
            }
        }
        throw new IllegalArgumentException("the model has no input '" + input + "'");
    }

    /** One pass over the calibration data. */
    private static final class Pass {
        private final OrtSession session;
        private final String input;
        private final Map<String, TensorStatistics> stats;
        private final long[] inputShape;
        private float[] scratch = new float[0];
        private final long budgetFloats;
        private int imagesPerRun;

        Pass(
                OrtSession session,
                String input,
                Map<String, TensorStatistics> stats,
                long[] inputShape,
                long budgetFloats) {
            this.budgetFloats = budgetFloats;
            this.session = session;
            this.input = input;
            this.stats = stats;
            this.inputShape = inputShape;
        }

        long run(CalibrationData data, boolean histogram) throws OrtException {
            long images = 0;
            for (Tensor batch : data.batches()) {
                check(batch, data);
                int n = batch.dim(0);
                int per = batch.elements() / n;
                for (int first = 0; first < n; ) {
                    // The first run takes one image, to learn how many floats an image's outputs take.
                    int count = outputNames().isEmpty()
                            ? n - first
                            : imagesPerRun == 0 ? 1 : Math.min(imagesPerRun, n - first);
                    if (outputNames().isEmpty()) {
                        observe(stats.get(input), batch.floats(), first * per, (first + count) * per, histogram);
                    } else {
                        runImages(batch, first, count, per, histogram);
                    }
                    first += count;
                }
                images += n;
            }
            return images;
        }

        private void check(Tensor batch, CalibrationData data) {
            boolean ok = batch.dtype() == DType.F32 && batch.rank() == inputShape.length && batch.dim(0) >= 1;
            for (int i = 1; ok && i < inputShape.length; i++) {
                ok = inputShape[i] < 0 || inputShape[i] == batch.dim(i);
            }
            if (!ok) {
                throw new IllegalArgumentException("a calibration batch from " + data.description() + " is "
                        + batch.describe() + ", the model takes "
                        + Arrays.toString(inputShape).replace("-1", "N"));
            }
        }

        private void runImages(Tensor batch, int first, int count, int per, boolean histogram) throws OrtException {
            int[] shape = batch.shape();
            shape[0] = count;
            long[] longShape = Arrays.stream(shape).asLongStream().toArray();
            FloatBuffer in =
                    FloatBuffer.wrap(batch.floats(), first * per, count * per).slice();
            TensorStatistics inputStats = stats.get(input);
            if (inputStats != null) {
                observe(inputStats, batch.floats(), first * per, (first + count) * per, histogram);
            }
            long floats = 0;
            try (OnnxTensor x = OnnxTensor.createTensor(Sessions.environment(), in, longShape);
                    OrtSession.Result result = session.run(Map.of(input, x), outputNames())) {
                for (Map.Entry<String, OnnxValue> e : result) {
                    FloatBuffer values = ((OnnxTensor) e.getValue()).getFloatBuffer();
                    int size = values.remaining();
                    floats += size;
                    if (scratch.length < size) {
                        scratch = new float[size];
                    }
                    values.get(scratch, 0, size);
                    observe(stats.get(e.getKey()), scratch, 0, size, histogram);
                }
            }
            if (imagesPerRun == 0) {
                imagesPerRun = (int) Math.max(1, Math.min(Integer.MAX_VALUE, budgetFloats / Math.max(1, floats)));
            }
        }

        private Set<String> outputNames() {
            Set<String> names = new java.util.LinkedHashSet<>(stats.keySet());
            names.remove(input);
            return names;
        }

        private static void observe(TensorStatistics s, float[] values, int from, int to, boolean histogram) {
            if (histogram) {
                s.observeHistogram(values, from, to);
            } else {
                s.observeRange(values, from, to);
            }
        }
    }
}
