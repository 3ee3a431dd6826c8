package dev.resnetdsl.runtime.net;

import java.util.List;

/**
 * One operation of the network. Layers are kept in execution (topological) order; each reads
 * named activations and writes exactly one.
 *
 * <p>Every pass over the layers (the builder, ONNX export, weight import, the training graph's forward and
 * backward passes, quantization) dispatches through {@link #accept} with a {@link Visitor}, so a new layer
 * kind is a compile error in each pass until the pass handles it — never a run-time "unknown layer".
 */
public sealed interface Layer
        permits Layer.Conv,
                Layer.BatchNorm,
                Layer.Relu,
                Layer.MaxPool,
                Layer.Add,
                Layer.ZeroPadShortcut,
                Layer.GlobalAvgPool,
                Layer.FullyConnected {

    /** The activations this layer reads. */
    List<Activation> inputs();

    /** The activation this layer writes. */
    Activation output();

    /** Names of the parameters this layer owns (weights, and BN's running statistics), in creation order. */
    List<String> parameterNames();

    /** Calls the visitor's method for this layer's kind. */
    <R> R accept(Visitor<R> visitor);

    /** This layer writing {@code out} instead of its own output. */
    Layer withOutput(Activation out);

    /**
     * One method per layer kind.
     *
     * @param <R> what the pass computes per layer ({@link Void} for a pass that only records)
     */
    interface Visitor<R> {
        R conv(Conv conv);

        R batchNorm(BatchNorm batchNorm);

        R relu(Relu relu);

        R maxPool(MaxPool maxPool);

        R add(Add add);

        R zeroPadShortcut(ZeroPadShortcut shortcut);

        R globalAvgPool(GlobalAvgPool pool);

        R fullyConnected(FullyConnected fc);
    }

    /**
     * A 2-D convolution without bias; weight {@code name.weight} of shape [out, in/groups, k, k].
     */
    record Conv(String name, Activation input, Activation output, int kernel, int stride, int padding, int groups)
            implements Layer {
        public List<Activation> inputs() {
            return List.of(input);
        }

        public List<String> parameterNames() {
            return List.of(weight());
        }

        public <R> R accept(Visitor<R> visitor) {
            return visitor.conv(this);
        }

        public Conv withOutput(Activation out) {
            return new Conv(name, input, out, kernel, stride, padding, groups);
        }

        public String weight() {
            return name + ".weight";
        }
    }

    /**
     * Batch normalisation (ε = 1e-5, momentum 0.1 as in PyTorch): {@code name.weight} (γ), {@code name.bias}
     * (β), {@code name.running_mean}, {@code name.running_var}.
     *
     * @param endsResidualBranch true for the last BN of a residual branch (zero-init candidate)
     */
    record BatchNorm(String name, Activation input, Activation output, boolean endsResidualBranch) implements Layer {
        public static final double EPSILON = 1e-5;
        public static final double MOMENTUM = 0.1;

        public List<Activation> inputs() {
            return List.of(input);
        }

        public List<String> parameterNames() {
            return List.of(weight(), bias(), runningMean(), runningVar());
        }

        public <R> R accept(Visitor<R> visitor) {
            return visitor.batchNorm(this);
        }

        public BatchNorm withOutput(Activation out) {
            return new BatchNorm(name, input, out, endsResidualBranch);
        }

        public String weight() {
            return name + ".weight";
        }

        public String bias() {
            return name + ".bias";
        }

        public String runningMean() {
            return name + ".running_mean";
        }

        public String runningVar() {
            return name + ".running_var";
        }
    }

    /** Rectified linear unit. */
    record Relu(Activation input, Activation output) implements Layer {
        public List<Activation> inputs() {
            return List.of(input);
        }

        public List<String> parameterNames() {
            return List.of();
        }

        public <R> R accept(Visitor<R> visitor) {
            return visitor.relu(this);
        }

        public Relu withOutput(Activation out) {
            return new Relu(input, out);
        }
    }

    /** Max pooling with a square window; padding counts as −∞. */
    record MaxPool(Activation input, Activation output, int kernel, int stride, int padding) implements Layer {
        public List<Activation> inputs() {
            return List.of(input);
        }

        public List<String> parameterNames() {
            return List.of();
        }

        public <R> R accept(Visitor<R> visitor) {
            return visitor.maxPool(this);
        }

        public MaxPool withOutput(Activation out) {
            return new MaxPool(input, out, kernel, stride, padding);
        }
    }

    /** Element-wise sum of two activations of equal shape (the residual connection). */
    record Add(Activation left, Activation right, Activation output) implements Layer {
        public List<Activation> inputs() {
            return List.of(left, right);
        }

        public List<String> parameterNames() {
            return List.of();
        }

        public <R> R accept(Visitor<R> visitor) {
            return visitor.add(this);
        }

        public Add withOutput(Activation out) {
            return new Add(left, right, out);
        }
    }

    /**
     * The paper's option-A shortcut where the shape changes: keep every {@code stride}-th pixel (rows and
     * columns 0, stride, 2·stride, …) and append zero channels after the input's own.
     */
    record ZeroPadShortcut(Activation input, Activation output, int stride) implements Layer {
        public List<Activation> inputs() {
            return List.of(input);
        }

        public List<String> parameterNames() {
            return List.of();
        }

        public <R> R accept(Visitor<R> visitor) {
            return visitor.zeroPadShortcut(this);
        }

        public ZeroPadShortcut withOutput(Activation out) {
            return new ZeroPadShortcut(input, out, stride);
        }
    }

    /** Global average pooling to C×1×1. */
    record GlobalAvgPool(Activation input, Activation output) implements Layer {
        public List<Activation> inputs() {
            return List.of(input);
        }

        public List<String> parameterNames() {
            return List.of();
        }

        public <R> R accept(Visitor<R> visitor) {
            return visitor.globalAvgPool(this);
        }

        public GlobalAvgPool withOutput(Activation out) {
            return new GlobalAvgPool(input, out);
        }
    }

    /**
     * Fully connected layer on the flattened input: {@code name.weight} [out, in], {@code name.bias} [out].
     */
    record FullyConnected(String name, Activation input, Activation output) implements Layer {
        public List<Activation> inputs() {
            return List.of(input);
        }

        public List<String> parameterNames() {
            return List.of(weight(), bias());
        }

        public <R> R accept(Visitor<R> visitor) {
            return visitor.fullyConnected(this);
        }

        public FullyConnected withOutput(Activation out) {
            return new FullyConnected(name, input, out);
        }

        public String weight() {
            return name + ".weight";
        }

        public String bias() {
            return name + ".bias";
        }
    }
}
