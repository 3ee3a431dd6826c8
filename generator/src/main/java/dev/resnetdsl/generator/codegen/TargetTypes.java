package dev.resnetdsl.generator.codegen;

import com.palantir.javapoet.ClassName;

/**
 * The runtime, training and api types that generated classes call, named rather than imported: the generator (and
 * with it the Maven plugin) needs neither ONNX Runtime nor the runtime jar on its classpath.
 * {@code GeneratedClassCompilationTest} compiles every generated class against the real types, so a name that
 * drifts here fails the build.
 */
final class TargetTypes {
    private static final String NET = "dev.resnetdsl.runtime.net";
    private static final String BUNDLE = "dev.resnetdsl.training.bundle";

    static final ClassName NETWORK = ClassName.get(NET, "Network");
    static final ClassName NETWORK_BUILDER = ClassName.get(NET, "NetworkBuilder");
    static final ClassName NETWORK_METADATA = ClassName.get(NET, "NetworkMetadata");
    static final ClassName ACTIVATION = ClassName.get(NET, "Activation");
    static final ClassName INIT_POLICY = ClassName.get(NET, "InitPolicy");
    static final ClassName FAN_MODE = ClassName.get(NET, "FanMode");
    static final ClassName HYPERPARAMETERS = ClassName.get(BUNDLE, "Hyperparameters");
    static final ClassName TRAINING_BUNDLE = ClassName.get(BUNDLE, "TrainingBundle");
    static final ClassName DEVICE = ClassName.get("dev.resnetdsl.runtime.ort", "Device");
    static final ClassName CLASSIFIER = ClassName.get("dev.resnetdsl.api", "Classifier");
    static final ClassName FINE_TUNING = ClassName.get("dev.resnetdsl.api", "FineTuning");

    private TargetTypes() {}
}
