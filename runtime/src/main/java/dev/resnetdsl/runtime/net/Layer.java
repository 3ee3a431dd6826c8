package dev.resnetdsl.runtime.net;

import java.util.List;

/**
 * One operation of the network. Layers are kept in execution (topological) order; each reads
 * named activations and writes exactly one.
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

    /**
     * A 2-D convolution without bias; weight {@code name.weight} of shape [out, in/groups, k, k].
     */
    record Conv(String name, Activation input, Activation output, int kernel, int stride, int padding, int groups)
            implements Layer {
        public List<Activation> inputs() {
            return List.of(input);
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
    }

    /** Max pooling with a square window; padding counts as −∞. */
    record MaxPool(Activation input, Activation output, int kernel, int stride, int padding) implements Layer {
        public List<Activation> inputs() {
            return List.of(input);
        }
    }

    /** Element-wise sum of two activations of equal shape (the residual connection). */
    record Add(Activation left, Activation right, Activation output) implements Layer {
        public List<Activation> inputs() {
            return List.of(left, right);
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
    }

    /** Global average pooling to C×1×1. */
    record GlobalAvgPool(Activation input, Activation output) implements Layer {
        public List<Activation> inputs() {
            return List.of(input);
        }
    }

    /**
     * Fully connected layer on the flattened input: {@code name.weight} [out, in], {@code name.bias} [out].
     */
    record FullyConnected(String name, Activation input, Activation output) implements Layer {
        public List<Activation> inputs() {
            return List.of(input);
        }

        public String weight() {
            return name + ".weight";
        }

        public String bias() {
            return name + ".bias";
        }
    }
}
