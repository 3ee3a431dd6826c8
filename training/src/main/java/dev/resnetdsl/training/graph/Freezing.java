package dev.resnetdsl.training.graph;

import dev.resnetdsl.runtime.net.Layer;
import dev.resnetdsl.runtime.net.Network;
import dev.resnetdsl.runtime.net.NetworkMetadata;
import dev.resnetdsl.runtime.net.Parameter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Which parameters a training bundle keeps fixed: all those of the frozen layers, BN running statistics
 * included. A frozen parameter gets no gradient, no momentum and no weight decay; a frozen BN normalises with
 * its running statistics (as in evaluation) and does not update them — the usual fine-tuning practice, so that
 * the small batches of a new data set do not disturb statistics learned on a large one. The step graph has no
 * backward pass below the lowest trainable layer.
 *
 * @param parameters names of the frozen parameters and running statistics
 * @param names what the user asked to freeze, in their words ({@code stem}, {@code conv2_x}, {@code backbone}),
 *     for manifests and reports
 */
public record Freezing(Set<String> parameters, List<String> names) {
    public Freezing {
        parameters = Set.copyOf(parameters);
        names = List.copyOf(names);
    }

    /** Nothing frozen. */
    public static Freezing none() {
        return new Freezing(Set.of(), List.of());
    }

    /**
     * Freezes every parameter of the layers whose name {@code layer} accepts ({@code conv1}, {@code bn1},
     * {@code layer1.0.conv2}, …).
     *
     * @param names the user's words for it, recorded in the manifest
     * @throws IllegalArgumentException when the selection freezes nothing, or everything that trains
     */
    public static Freezing layers(Network net, Predicate<String> layer, List<String> names) {
        Set<String> frozen = new LinkedHashSet<>();
        for (Layer l : net.layers()) {
            String owner = ownerName(l);
            if (owner != null && layer.test(owner)) {
                frozen.addAll(l.parameterNames());
            }
        }
        if (frozen.isEmpty()) {
            throw new IllegalArgumentException("freezing " + names + " selects no parameter of " + net.name());
        }
        boolean anyTrainable =
                net.parameters().values().stream().anyMatch(p -> p.kind().trainable() && !frozen.contains(p.name()));
        if (!anyTrainable) {
            throw new IllegalArgumentException("freezing " + names + " leaves nothing of " + net.name() + " to train");
        }
        return new Freezing(frozen, names);
    }

    /**
     * Freezes parts named as the spec names them: {@code stem} (every layer before the first stage),
     * a stage's name ({@code conv2_x}, or its torchvision prefix {@code layer1}), {@code backbone} (everything but
     * the classifier) or {@code head} (the classifier).
     *
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public static Freezing byName(Network net, List<String> names) {
        Map<String, String> stages = NetworkMetadata.stages(net);
        Set<String> head = Set.copyOf(net.headParameterNames());
        Set<String> prefixes = new LinkedHashSet<>(stages.values());
        List<Predicate<String>> parts = new ArrayList<>();
        for (String raw : names) {
            String name = raw.trim();
            if (name.equals("backbone")) {
                parts.add(layer -> !isHead(net, head, layer));
            } else if (name.equals("head")) {
                parts.add(layer -> isHead(net, head, layer));
            } else if (name.equals("stem")) {
                parts.add(
                        layer -> !isHead(net, head, layer) && prefixes.stream().noneMatch(p -> inside(layer, p)));
            } else if (stages.containsKey(name) || prefixes.contains(name)) {
                String prefix = stages.getOrDefault(name, name);
                parts.add(layer -> inside(layer, prefix));
            } else {
                List<String> known = new ArrayList<>(List.of("stem"));
                stages.forEach((stage, prefix) -> known.add(stage + " (" + prefix + ")"));
                known.addAll(List.of("backbone", "head"));
                throw new IllegalArgumentException(
                        "cannot freeze '" + name + "': " + net.name() + " has " + String.join(", ", known));
            }
        }
        return layers(net, layer -> parts.stream().anyMatch(p -> p.test(layer)), names);
    }

    private static boolean inside(String layer, String prefix) {
        return layer.equals(prefix) || layer.startsWith(prefix + ".");
    }

    private static boolean isHead(Network net, Set<String> headParameters, String layer) {
        return headParameters.stream()
                .anyMatch(p -> p.startsWith(layer + ".") && p.indexOf('.', layer.length() + 1) < 0);
    }

    /** The name of a parameterised layer (a conv, BN or fully connected layer), or null. */
    private static String ownerName(Layer l) {
        List<String> params = l.parameterNames();
        if (params.isEmpty()) {
            return null;
        }
        String first = params.get(0);
        return first.substring(0, first.lastIndexOf('.'));
    }

    /** Whether {@code parameter} (or running statistic) is frozen. */
    public boolean frozen(String parameter) {
        return parameters.contains(parameter);
    }

    /** Whether nothing is frozen. */
    public boolean isEmpty() {
        return parameters.isEmpty();
    }

    /** The frozen parameters of {@code net} that gradient descent would otherwise train. */
    public long frozenTrainableCount(Network net) {
        return net.parameters().values().stream()
                .filter(p -> p.kind().trainable() && frozen(p.name()))
                .mapToLong(Parameter::elements)
                .sum();
    }
}
