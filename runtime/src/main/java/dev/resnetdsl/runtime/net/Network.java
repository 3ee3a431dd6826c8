package dev.resnetdsl.runtime.net;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A residual network as a list of layers in execution order plus its named parameters. Built by
 * {@link NetworkBuilder}; immutable. The input activation is named {@code input} and the output
 * {@code logits}.
 */
public final class Network {
    private final String name;
    private final Activation input;
    private final Activation output;
    private final List<Layer> layers;
    private final Map<String, Parameter> parameters;
    private final InitPolicy initPolicy;
    private final Map<String, String> metadata;

    Network(
            String name,
            Activation input,
            Activation output,
            List<Layer> layers,
            Map<String, Parameter> parameters,
            InitPolicy initPolicy,
            Map<String, String> metadata) {
        this.name = name;
        this.input = input;
        this.output = output;
        this.layers = List.copyOf(layers);
        this.parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        this.initPolicy = initPolicy;
        this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /** The model name ({@code ResNet50}). */
    public String name() {
        return name;
    }

    /** The input activation ({@code input}, C×H×W for one image). */
    public Activation input() {
        return input;
    }

    /** The output activation ({@code logits}, classes×1×1). */
    public Activation output() {
        return output;
    }

    /** Number of classes. */
    public int classes() {
        return output.channels();
    }

    /** The layers in execution order. */
    public List<Layer> layers() {
        return layers;
    }

    /** The layers of one kind, in execution order ({@code layers(Layer.BatchNorm.class)}). */
    public <T extends Layer> List<T> layers(Class<T> kind) {
        return layers.stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    /** Every parameter (trainable and BN running statistics) by name, in creation order. */
    public Map<String, Parameter> parameters() {
        return parameters;
    }

    /** The parameter of that name, if any. */
    public Optional<Parameter> parameter(String parameterName) {
        return Optional.ofNullable(parameters.get(parameterName));
    }

    /**
     * The classifier's parameters ({@code fc.weight}, {@code fc.bias}): those of the last fully connected layer,
     * which a new head replaces. Empty for a network without one.
     */
    public List<String> headParameterNames() {
        List<Layer.FullyConnected> fcs = layers(Layer.FullyConnected.class);
        return fcs.isEmpty() ? List.of() : fcs.get(fcs.size() - 1).parameterNames();
    }

    /** Number of trainable parameters (BN running statistics excluded). */
    public long trainableParameterCount() {
        return parameters.values().stream()
                .filter(p -> p.kind().trainable())
                .mapToLong(Parameter::elements)
                .sum();
    }

    /** The init policy the spec asked for. */
    public InitPolicy initPolicy() {
        return initPolicy;
    }

    /** Free-form metadata carried into exports (spec source, spec hash, generator version). */
    public Map<String, String> metadata() {
        return metadata;
    }

    /**
     * A fingerprint of the structure: input, layers with all their attributes, parameter names, shapes and
     * kinds (lower-case hex SHA-256). Two networks with equal hashes accept each other's weights and training
     * graphs; the model name, init policy and metadata do not count.
     */
    public String structureHash() {
        StringBuilder text = new StringBuilder();
        text.append(input).append('\n');
        for (Layer layer : layers) {
            text.append(layer).append('\n'); // records print every component, in declaration order
        }
        for (Parameter p : parameters.values()) {
            text.append(p.name()).append(p).append(p.kind()).append('\n');
        }
        return NetworkMetadata.sha256(text.toString());
    }
}
