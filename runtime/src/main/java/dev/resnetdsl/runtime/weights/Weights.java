package dev.resnetdsl.runtime.weights;

import dev.resnetdsl.runtime.init.ParameterInit;
import dev.resnetdsl.runtime.io.MemoryBudget;
import dev.resnetdsl.runtime.net.InitPolicy;
import dev.resnetdsl.runtime.net.Network;
import dev.resnetdsl.runtime.net.Parameter;
import dev.resnetdsl.runtime.tensor.DType;
import dev.resnetdsl.runtime.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Every parameter and BN running statistic of one {@link Network}, by torchvision name, checked once: each is
 * present, F32 and of its exact shape, and nothing else is there. Whatever takes a {@code Weights} (ONNX export,
 * training bundles, quantization) can rely on that without checking again.
 *
 * <p>Made by {@link #of} (from tensors by name), {@link #initial} (the network's init policy), {@link #load}
 * (a safetensors file or a foreign ONNX model, every parameter from the file) and {@link #loadForNewHead}
 * (every tensor whose name and shape match, a re-initialised classifier where its shape differs, with a
 * {@link LoadReport} of what happened to each tensor).
 */
public final class Weights {
    /** BN's step counter in PyTorch state dicts; not a tensor of the model, so files may carry it. */
    static final String BATCH_COUNTER_SUFFIX = ".num_batches_tracked";

    private final Network network;
    private final Map<String, Tensor> tensors;

    private Weights(Network network, Map<String, Tensor> tensors) {
        this.network = network;
        this.tensors = Collections.unmodifiableMap(tensors);
    }

    /**
     * The weights of {@code network} given by name. Entries ending in {@code .num_batches_tracked} are ignored.
     *
     * @throws IllegalArgumentException naming the first tensor that is missing, of the wrong type or shape, or
     *     not a parameter of the network
     */
    public static Weights of(Network network, Map<String, Tensor> tensors) {
        Objects.requireNonNull(network, "network");
        Map<String, Tensor> ordered = new LinkedHashMap<>();
        for (Parameter p : network.parameters().values()) {
            Tensor t = tensors.get(p.name());
            if (t == null) {
                throw new IllegalArgumentException("no weights for parameter " + p.name() + " "
                        + Arrays.toString(p.shape()) + " of " + network.name());
            }
            requireFits(network, p, t);
            ordered.put(p.name(), t);
        }
        for (String name : tensors.keySet()) {
            if (!network.parameters().containsKey(name) && !name.endsWith(BATCH_COUNTER_SUFFIX)) {
                throw new IllegalArgumentException(
                        "weight " + name + " is not a parameter of " + network.name() + " (names follow torchvision)");
            }
        }
        return new Weights(network, ordered);
    }

    /** Fresh weights by the network's own init policy (seeded, reproducible). */
    public static Weights initial(Network network) {
        return initial(network, network.initPolicy());
    }

    /**
     * Fresh weights by {@code policy}.
     *
     * @throws IllegalArgumentException when the JVM's heap cannot hold them (4 bytes per value), before allocating
     */
    public static Weights initial(Network network, InitPolicy policy) {
        MemoryBudget.require(
                bytes(network),
                String.format(
                        java.util.Locale.ROOT,
                        "initialising %s (%,d parameters)",
                        network.name(),
                        network.trainableParameterCount()));
        return new Weights(network, new LinkedHashMap<>(ParameterInit.initialize(network, policy)));
    }

    /** Bytes of every parameter and running statistic of {@code network} as float32. */
    public static long bytes(Network network) {
        return 4
                * network.parameters().values().stream()
                        .mapToLong(Parameter::elements)
                        .sum();
    }

    /**
     * Every parameter from a file: safetensors with torchvision names, or a foreign ONNX ResNet (by name, or by
     * graph structure when BN was folded into anonymous convolutions; see {@link OnnxWeightImporter}).
     *
     * @throws IllegalArgumentException naming the tensor that is missing or mismatched
     */
    public static Weights load(Network network, Path file) throws IOException {
        return of(network, WeightFiles.read(network, file));
    }

    /**
     * Fine-tuning's start: every tensor of the file whose name and shape match a parameter is loaded; the
     * classifier ({@code fc}) is re-initialised by the network's init policy where the file's differs in shape
     * (or the file has none); tensors the network lacks are ignored. Any other parameter the file lacks or has
     * in another shape is an error naming it.
     */
    public static Loaded loadForNewHead(Network network, Path file) throws IOException {
        return forNewHead(network, WeightFiles.readMatching(network, file));
    }

    /** {@link #loadForNewHead} on tensors already read. */
    public static Loaded forNewHead(Network network, Map<String, Tensor> source) {
        Set<String> head = Set.copyOf(network.headParameterNames());
        Map<String, Tensor> fresh = null;
        Map<String, Tensor> chosen = new LinkedHashMap<>();
        List<String> loaded = new ArrayList<>();
        List<String> reinitialized = new ArrayList<>();
        for (Parameter p : network.parameters().values()) {
            Tensor t = source.get(p.name());
            boolean fits = t != null && t.dtype() == DType.F32 && t.hasShape(p.shape());
            if (fits) {
                chosen.put(p.name(), t);
                loaded.add(p.name());
            } else if (head.contains(p.name())) {
                if (fresh == null) {
                    fresh = ParameterInit.initialize(network, network.initPolicy());
                }
                chosen.put(p.name(), fresh.get(p.name()));
                reinitialized.add(p.name() + (t == null ? " (not in the file)" : " (file: " + t.describe() + ")"));
            } else {
                throw new IllegalArgumentException(
                        t == null
                                ? "no weights for parameter " + p.name() + " " + Arrays.toString(p.shape()) + " of "
                                        + network.name()
                                        + " (only the classifier may be missing or differ for a new head)"
                                : "weight " + p.name() + " is " + t.describe() + ", " + network.name() + " needs F32"
                                        + Arrays.toString(p.shape())
                                        + " (only the classifier may differ for a new head)");
            }
        }
        List<String> ignored = new ArrayList<>();
        for (String name : source.keySet()) {
            if (!network.parameters().containsKey(name) && !name.endsWith(BATCH_COUNTER_SUFFIX)) {
                ignored.add(name);
            }
        }
        return new Loaded(new Weights(network, chosen), new LoadReport(loaded, reinitialized, ignored));
    }

    private static void requireFits(Network network, Parameter p, Tensor t) {
        if (t.dtype() != DType.F32 || !t.hasShape(p.shape())) {
            throw new IllegalArgumentException("weight " + p.name() + " is " + t.describe() + ", " + network.name()
                    + " needs F32" + Arrays.toString(p.shape()));
        }
    }

    /** The network these weights belong to. */
    public Network network() {
        return network;
    }

    /** The tensor of a parameter or running statistic. */
    public Tensor get(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException(network.name() + " has no parameter " + name);
        }
        return t;
    }

    /** Every tensor by name, in the network's parameter order (unmodifiable). */
    public Map<String, Tensor> asMap() {
        return tensors;
    }

    /** These weights with one tensor replaced (checked like the others). */
    public Weights with(String name, Tensor tensor) {
        Parameter p = network.parameter(name)
                .orElseThrow(() -> new IllegalArgumentException(network.name() + " has no parameter " + name));
        requireFits(network, p, tensor);
        Map<String, Tensor> copy = new LinkedHashMap<>(tensors);
        copy.put(name, tensor);
        return new Weights(network, copy);
    }

    /** Weights and what loading them did. */
    public record Loaded(Weights weights, LoadReport report) {}

    /**
     * What a partial load did with each tensor.
     *
     * @param loaded parameters taken from the file
     * @param reinitialized parameters initialised afresh, with the reason
     * @param ignored tensors of the file that are not parameters of the network
     */
    public record LoadReport(List<String> loaded, List<String> reinitialized, List<String> ignored) {
        public LoadReport {
            loaded = List.copyOf(loaded);
            reinitialized = List.copyOf(reinitialized);
            ignored = List.copyOf(ignored);
        }
    }
}
