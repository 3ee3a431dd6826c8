package dev.resnetdsl.runtime.net;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The layer-builder API that generated model classes (and the CLI's interpreter) call to describe a
 * network. Every method checks shapes and returns the new activation; names of parameterised layers
 * follow torchvision ({@code conv1}, {@code layer1.0.bn2}, {@code layer2.0.downsample.0}, {@code fc}).
 *
 * <pre>{@code
 * NetworkBuilder b = NetworkBuilder.create("Tiny", 3, 32, 32);
 * Activation x = b.relu(b.batchNorm("bn1", b.conv("conv1", b.input(), 16, 3, 1, 1, 1)));
 * Network net = b.build(b.fullyConnected("fc", b.globalAvgPool(x), 10));
 * }</pre>
 */
public final class NetworkBuilder {
    /** Largest extent the builder accepts for any dimension, so that a bad call cannot allocate without bound. */
    public static final int MAX_DIMENSION = 1 << 20;

    private final String name;
    private final Activation input;
    private final List<Layer> layers = new ArrayList<>();
    private final Map<String, Parameter> parameters = new LinkedHashMap<>();
    private final Set<String> activationNames = new HashSet<>();
    private final Set<String> layerNames = new HashSet<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private InitPolicy initPolicy = InitPolicy.defaults();
    private boolean built;

    private NetworkBuilder(String name, Activation input) {
        this.name = name;
        this.input = input;
        activationNames.add(input.name());
    }

    /** Starts a network whose input is {@code channels × height × width} per image. */
    public static NetworkBuilder create(String name, int channels, int height, int width) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("network name must not be empty");
        }
        checkDimension("input channels", channels);
        checkDimension("input height", height);
        checkDimension("input width", width);
        return new NetworkBuilder(name, new Activation("input", channels, height, width));
    }

    /** The network input ({@code input}). */
    public Activation input() {
        return input;
    }

    /** Sets the init policy recorded in the network (default: Kaiming fan_out, seed 0). */
    public NetworkBuilder initPolicy(InitPolicy policy) {
        this.initPolicy = policy;
        return this;
    }

    /** Adds a metadata entry carried into exports. */
    public NetworkBuilder metadata(String key, String value) {
        metadata.put(key, value);
        return this;
    }

    /**
     * A square convolution without bias.
     *
     * @param layerName parameter prefix ({@code layer1.0.conv1}); the weight is {@code layerName.weight}
     */
    public Activation conv(
            String layerName, Activation x, int outChannels, int kernel, int stride, int padding, int groups) {
        checkOpen();
        checkKnown(x);
        claimLayerName(layerName);
        checkDimension(layerName + " output channels", outChannels);
        checkPositive(layerName + " kernel", kernel);
        checkPositive(layerName + " stride", stride);
        checkPositive(layerName + " groups", groups);
        if (padding < 0) {
            throw new IllegalArgumentException(layerName + ": padding must be ≥ 0, got " + padding);
        }
        if (x.channels() % groups != 0 || outChannels % groups != 0) {
            throw new IllegalArgumentException(layerName + ": groups " + groups + " must divide input channels "
                    + x.channels() + " and output channels " + outChannels);
        }
        int h = outputExtent(layerName, x.height(), kernel, stride, padding);
        int w = outputExtent(layerName, x.width(), kernel, stride, padding);
        Activation out = newActivation(layerName, outChannels, h, w);
        addParameter(
                layerName + ".weight",
                new int[] {outChannels, x.channels() / groups, kernel, kernel},
                ParameterKind.CONV_WEIGHT,
                layerName);
        layers.add(new Layer.Conv(layerName, x, out, kernel, stride, padding, groups));
        return out;
    }

    /** Batch normalisation with parameters {@code layerName.weight/bias/running_mean/running_var}. */
    public Activation batchNorm(String layerName, Activation x) {
        return batchNorm(layerName, x, false);
    }

    /**
     * Batch normalisation.
     *
     * @param endsResidualBranch true for the last BN of a residual branch: its γ starts at zero when the
     *     init policy asks for zero-init
     */
    public Activation batchNorm(String layerName, Activation x, boolean endsResidualBranch) {
        checkOpen();
        checkKnown(x);
        claimLayerName(layerName);
        Activation out = newActivation(layerName, x.channels(), x.height(), x.width());
        int[] shape = {x.channels()};
        addParameter(layerName + ".weight", shape, ParameterKind.BN_WEIGHT, layerName);
        addParameter(layerName + ".bias", shape, ParameterKind.BN_BIAS, layerName);
        addParameter(layerName + ".running_mean", shape, ParameterKind.BN_RUNNING_MEAN, layerName);
        addParameter(layerName + ".running_var", shape, ParameterKind.BN_RUNNING_VAR, layerName);
        layers.add(new Layer.BatchNorm(layerName, x, out, endsResidualBranch));
        return out;
    }

    /** ReLU; the output is named after the input ({@code layer1.0.bn1.relu}). */
    public Activation relu(Activation x) {
        checkOpen();
        checkKnown(x);
        Activation out = newActivation(x.name() + ".relu", x.channels(), x.height(), x.width());
        layers.add(new Layer.Relu(x, out));
        return out;
    }

    /** Square max pooling. */
    public Activation maxPool(Activation x, int kernel, int stride, int padding) {
        checkOpen();
        checkKnown(x);
        checkPositive("maxpool kernel", kernel);
        checkPositive("maxpool stride", stride);
        if (padding < 0 || padding > kernel / 2) {
            throw new IllegalArgumentException(
                    "maxpool: padding must be between 0 and half the kernel (" + kernel / 2 + "), got " + padding);
        }
        int h = outputExtent("maxpool", x.height(), kernel, stride, padding);
        int w = outputExtent("maxpool", x.width(), kernel, stride, padding);
        Activation out = newActivation("maxpool", x.channels(), h, w);
        layers.add(new Layer.MaxPool(x, out, kernel, stride, padding));
        return out;
    }

    /** The residual sum {@code left + right}; shapes must be equal. The output is named {@code prefix.add}. */
    public Activation add(String prefix, Activation left, Activation right) {
        checkOpen();
        checkKnown(left);
        checkKnown(right);
        if (left.channels() != right.channels() || left.height() != right.height() || left.width() != right.width()) {
            throw new IllegalArgumentException(prefix + ": cannot add " + left.name() + " (" + left.shapeString()
                    + ") and " + right.name() + " (" + right.shapeString() + ")");
        }
        Activation out = newActivation(prefix + ".add", left.channels(), left.height(), left.width());
        layers.add(new Layer.Add(left, right, out));
        return out;
    }

    /**
     * Option-A shortcut where the shape changes: keep every {@code stride}-th pixel and append zero channels
     * up to {@code outChannels}. The output is named {@code prefix.shortcut}.
     */
    public Activation zeroPadShortcut(String prefix, Activation x, int outChannels, int stride) {
        checkOpen();
        checkKnown(x);
        checkPositive(prefix + " shortcut stride", stride);
        if (outChannels < x.channels()) {
            throw new IllegalArgumentException(
                    prefix + ": option-A shortcut cannot reduce channels from " + x.channels() + " to " + outChannels);
        }
        checkDimension(prefix + " shortcut channels", outChannels);
        int h = (x.height() - 1) / stride + 1;
        int w = (x.width() - 1) / stride + 1;
        Activation out = newActivation(prefix + ".shortcut", outChannels, h, w);
        layers.add(new Layer.ZeroPadShortcut(x, out, stride));
        return out;
    }

    /** Global average pooling to C×1×1. */
    public Activation globalAvgPool(Activation x) {
        checkOpen();
        checkKnown(x);
        Activation out = newActivation("avgpool", x.channels(), 1, 1);
        layers.add(new Layer.GlobalAvgPool(x, out));
        return out;
    }

    /** Fully connected layer with bias on the flattened input ({@code fc.weight}, {@code fc.bias}). */
    public Activation fullyConnected(String layerName, Activation x, int outFeatures) {
        checkOpen();
        checkKnown(x);
        claimLayerName(layerName);
        checkDimension(layerName + " output features", outFeatures);
        long inFeatures = x.elements();
        if (inFeatures > MAX_DIMENSION) {
            throw new IllegalArgumentException(
                    layerName + ": " + inFeatures + " input features; global-average-pool first");
        }
        Activation out = newActivation(layerName, outFeatures, 1, 1);
        addParameter(
                layerName + ".weight", new int[] {outFeatures, (int) inFeatures}, ParameterKind.FC_WEIGHT, layerName);
        addParameter(layerName + ".bias", new int[] {outFeatures}, ParameterKind.FC_BIAS, layerName);
        layers.add(new Layer.FullyConnected(layerName, x, out));
        return out;
    }

    /** Finishes the network; {@code logits} becomes its output, renamed to {@code logits}. */
    public Network build(Activation logits) {
        checkOpen();
        checkKnown(logits);
        if (layers.isEmpty() || !layers.get(layers.size() - 1).output().equals(logits)) {
            throw new IllegalArgumentException("the network output must be the last layer's output");
        }
        built = true;
        Activation renamed = new Activation("logits", logits.channels(), logits.height(), logits.width());
        Layer last = layers.remove(layers.size() - 1);
        layers.add(last.withOutput(renamed));
        return new Network(name, input, renamed, layers, parameters, initPolicy, metadata);
    }

    private void checkOpen() {
        if (built) {
            throw new IllegalStateException("build() was already called");
        }
    }

    private void checkKnown(Activation x) {
        if (x == null || !activationNames.contains(x.name())) {
            throw new IllegalArgumentException(
                    "unknown activation " + x + ": pass an activation this builder returned");
        }
    }

    private void claimLayerName(String layerName) {
        if (layerName == null || layerName.isBlank()) {
            throw new IllegalArgumentException("layer name must not be empty");
        }
        if (!layerNames.add(layerName)) {
            throw new IllegalArgumentException("duplicate layer name " + layerName);
        }
    }

    private Activation newActivation(String base, int channels, int height, int width) {
        String candidate = base;
        for (int i = 2; !activationNames.add(candidate); i++) {
            candidate = base + "_" + i;
        }
        return new Activation(candidate, channels, height, width);
    }

    private void addParameter(String parameterName, int[] shape, ParameterKind kind, String owner) {
        long elements = 1;
        for (int d : shape) {
            elements *= d;
        }
        if (elements > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(parameterName + " would have " + elements
                    + " elements; a single tensor is limited to 2^31 elements");
        }
        parameters.put(parameterName, new Parameter(parameterName, shape, kind, owner));
    }

    private static int outputExtent(String what, int in, int kernel, int stride, int padding) {
        int out = Math.floorDiv(in + 2 * padding - kernel, stride) + 1;
        if (out < 1) {
            throw new IllegalArgumentException(
                    what + ": input extent " + in + " is smaller than kernel " + kernel + " with padding " + padding);
        }
        return out;
    }

    private static void checkPositive(String what, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(what + " must be ≥ 1, got " + value);
        }
    }

    private static void checkDimension(String what, int value) {
        if (value < 1 || value > MAX_DIMENSION) {
            throw new IllegalArgumentException(what + " must be between 1 and " + MAX_DIMENSION + ", got " + value);
        }
    }
}
