package dev.resnetdsl.training.bundle;

import dev.resnetdsl.runtime.io.Printable;
import dev.resnetdsl.runtime.net.Network;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a bundle graph records about itself in its ONNX metadata, and the check at open that it agrees with the
 * manifest. The graphs are the ground truth — momentum, weight decay and Nesterov are baked into the training
 * step, the classes and input shape into both graphs — so a manifest edited by hand, or a graph copied from
 * another bundle or into the other graph's place, is refused with a message saying which value disagrees,
 * instead of training something other than what the manifest says.
 */
final class GraphMetadata {
    /** Which of the two graphs a file holds. */
    enum Role {
        TRAIN_STEP("train_step", TrainingBundle.TRAIN_STEP_FILE),
        EVAL("eval", TrainingBundle.EVAL_FILE);

        final String key;
        final String file;

        Role(String key, String file) {
            this.key = key;
            this.file = file;
        }
    }

    static final String NETWORK_HASH = "network_hash";
    static final String MODEL = "model";
    static final String ROLE = "resnet.bundle.graph";
    static final String SPEC_HASH = "resnet.bundle.spec_hash";
    static final String CLASSES = "resnet.bundle.classes";
    static final String INPUT_SHAPE = "resnet.bundle.input_shape";
    static final String MOMENTUM = "resnet.bundle.momentum";
    static final String WEIGHT_DECAY = "resnet.bundle.weight_decay";
    static final String NESTEROV = "resnet.bundle.nesterov";

    private GraphMetadata() {}

    /** The metadata of the {@code role} graph of a bundle for {@code net} described by {@code manifest}. */
    static Map<String, String> of(Network net, Manifest manifest, Role role) {
        Map<String, String> m = new LinkedHashMap<>(net.metadata());
        m.put(NETWORK_HASH, manifest.networkHash());
        m.put(MODEL, manifest.model());
        m.put(ROLE, role.key);
        m.put(SPEC_HASH, manifest.specHash());
        m.put(CLASSES, Integer.toString(manifest.classes()));
        m.put(INPUT_SHAPE, shape(manifest.inputShape()));
        if (role == Role.TRAIN_STEP) {
            Hyperparameters hp = manifest.hyperparameters();
            m.put(MOMENTUM, Float.toString(hp.momentum()));
            m.put(WEIGHT_DECAY, Float.toString(hp.weightDecay()));
            m.put(NESTEROV, Boolean.toString(hp.nesterov()));
        }
        return m;
    }

    /**
     * Checks a graph's metadata against the manifest.
     *
     * @throws IncompatibleBundleException naming the first value that disagrees
     */
    static void check(Path graph, Map<String, String> metadata, Manifest manifest, Role role)
            throws IncompatibleBundleException {
        if (!manifest.networkHash().equals(metadata.get(NETWORK_HASH))) {
            throw new IncompatibleBundleException(
                    graph + ": graph belongs to another network than " + Manifest.FILE + " describes");
        }
        String actualRole = metadata.get(ROLE);
        if (!role.key.equals(actualRole)) {
            String other = actualRole == null ? "not a bundle graph" : "the " + Printable.name(actualRole) + " graph";
            throw new IncompatibleBundleException(
                    graph + ": expected the bundle's " + role.key + " graph, found " + other);
        }
        agree(graph, "spec hash", metadata.get(SPEC_HASH), manifest.specHash());
        agree(graph, "number of classes", metadata.get(CLASSES), Integer.toString(manifest.classes()));
        agree(graph, "input shape", metadata.get(INPUT_SHAPE), shape(manifest.inputShape()));
        if (role == Role.TRAIN_STEP) {
            Hyperparameters hp = manifest.hyperparameters();
            agree(graph, "momentum", metadata.get(MOMENTUM), Float.toString(hp.momentum()));
            agree(graph, "weight decay", metadata.get(WEIGHT_DECAY), Float.toString(hp.weightDecay()));
            agree(graph, "Nesterov setting", metadata.get(NESTEROV), Boolean.toString(hp.nesterov()));
        }
    }

    private static void agree(Path graph, String what, String inGraph, String inManifest)
            throws IncompatibleBundleException {
        if (!inManifest.equals(inGraph)) {
            throw new IncompatibleBundleException(graph + ": the graph was built with " + what + " "
                    + (inGraph == null ? "(not recorded)" : Printable.name(inGraph)) + " but " + Manifest.FILE
                    + " says " + Printable.name(inManifest) + "; the bundle's files do not belong together");
        }
    }

    private static String shape(int[] chw) {
        return chw[0] + "x" + chw[1] + "x" + chw[2];
    }
}
