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

    /** Every parameter (trainable and BN running statistics) by name, in creation order. */
    public Map<String, Parameter> parameters() {
        return parameters;
    }

    /** The parameter of that name, if any. */
    public Optional<Parameter> parameter(String parameterName) {
        return Optional.ofNullable(parameters.get(parameterName));
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
}
