package dev.resnetdsl.generator.codegen;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.resnetdsl.generator.GeneratorVersion;
import dev.resnetdsl.grammar.spec.BlockKind;
import dev.resnetdsl.grammar.spec.BlockSpec;
import dev.resnetdsl.grammar.spec.BlockType;
import dev.resnetdsl.grammar.spec.InitSpec;
import dev.resnetdsl.grammar.spec.ModelSpec;
import dev.resnetdsl.grammar.spec.ShortcutOption;
import dev.resnetdsl.grammar.spec.StageSpec;
import dev.resnetdsl.grammar.spec.StemLayer;
import dev.resnetdsl.grammar.spec.StrideOn;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.lang.model.element.Modifier;

/**
 * Writes one Java class per model: constants for the input shape, classes and parameter count, the spec quoted
 * in javadoc and in {@code SPEC_SOURCE}, and static {@code network(...)} methods that build the runtime
 * {@link Network} with a method per stage and per block variant. The class depends on the runtime only.
 * Output is a pure function of the spec and package name (no timestamps, ordered iteration only), so the same
 * spec always gives the same bytes.
 */
public final class ModelClassGenerator {
    /** The {@code value} of the generated {@code @Generated} annotation. */
    public static final String GENERATOR_NAME = ModelClassGenerator.class.getName();

    private static final ClassName GENERATED = ClassName.get("javax.annotation.processing", "Generated");
    private static final ClassName NETWORK = TargetTypes.NETWORK;
    private static final ClassName INIT_POLICY = TargetTypes.INIT_POLICY;
    private static final ClassName PATH = ClassName.get(Path.class);
    private static final ClassName HYPERPARAMETERS = TargetTypes.HYPERPARAMETERS;
    private static final ClassName TRAINING_BUNDLE = TargetTypes.TRAINING_BUNDLE;
    private static final String GROUPS = "GROUPS";
    /** Javadoc prose is wrapped here so that, indented, lines stay within 100 columns. */
    static final int JAVADOC_WIDTH = 90;

    /**
     * Generates the classes of several models into one package.
     *
     * @throws IllegalArgumentException if a model or package name cannot be used in Java, or two models would
     *     produce the same file (also when their names differ only in case, which clashes on some file systems)
     */
    public List<GeneratedClass> generateAll(List<ModelSpec> specs, String packageName) {
        Map<String, String> seen = new HashMap<>();
        List<GeneratedClass> classes = new ArrayList<>();
        for (ModelSpec spec : specs) {
            String key = spec.name().toLowerCase(Locale.ROOT);
            String previous = seen.putIfAbsent(key, spec.name() + " (" + spec.sourceFile() + ")");
            if (previous != null) {
                throw new IllegalArgumentException("models " + previous + " and " + spec.name() + " ("
                        + spec.sourceFile() + ") would both be generated as " + packageName + "." + spec.name()
                        + " (class names must differ in more than case); rename one");
            }
            classes.add(generate(spec, packageName));
        }
        return classes;
    }

    /**
     * Generates the class of one model.
     *
     * @throws IllegalArgumentException if the model or package name cannot be used in Java
     */
    public GeneratedClass generate(ModelSpec spec, String packageName) {
        String className = JavaNames.requireClassName(spec.name());
        JavaNames.requirePackageName(packageName);
        JavaText.requireConstantSize("the spec text of " + className, spec.sourceText());
        // The analyzer's count; SpecLibraryTest holds it equal to the runtime network's for every spec.
        long parameters = spec.params();

        MemberNames names = new MemberNames();
        TypeSpec.Builder type = TypeSpec.classBuilder(className)
                .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
                .addJavadoc("$L", JavaText.wrap(classJavadoc(spec, className, parameters), JAVADOC_WIDTH))
                .addAnnotation(AnnotationSpec.builder(GENERATED)
                        .addMember("value", "$S", GENERATOR_NAME)
                        .addMember("comments", "$L", JavaText.stringLiteral(spec.sourceFile()))
                        .build());
        addConstants(type, spec, parameters);
        type.addMethod(MethodSpec.constructorBuilder()
                .addModifiers(Modifier.PRIVATE)
                .addComment("Not instantiable: use network().")
                .build());
        addNetworkMethods(type, spec, names);
        return new GeneratedClass(packageName, className, toSource(packageName, type.build()));
    }

    private static void addConstants(TypeSpec.Builder type, ModelSpec spec, long parameters) {
        type.addField(constant(
                        TypeName.INT,
                        "INPUT_CHANNELS",
                        "Channels of one input image.",
                        spec.input().channels()))
                .addField(constant(
                        TypeName.INT,
                        "INPUT_HEIGHT",
                        "Height of one input image, in pixels.",
                        spec.input().height()))
                .addField(constant(
                        TypeName.INT,
                        "INPUT_WIDTH",
                        "Width of one input image, in pixels.",
                        spec.input().width()))
                .addField(constant(
                        TypeName.INT,
                        "CLASSES",
                        "Number of classes: the length of each row of the {@code logits} output.",
                        spec.head().classes()))
                .addField(
                        FieldSpec.builder(TypeName.LONG, "PARAMETERS", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                                .addJavadoc("Trainable parameters (BN running statistics excluded).")
                                .initializer("$L", longLiteral(parameters))
                                .build())
                .addField(FieldSpec.builder(TypeName.LONG, "MACS", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                        .addJavadoc("Multiply-accumulates for one image (convolutions and the fully connected layer).")
                        .initializer("$L", longLiteral(spec.macs()))
                        .build())
                .addField(stringConstant("MODEL_NAME", "The model name, as written in the spec.", spec.name()))
                .addField(FieldSpec.builder(
                                String.class, "SPEC_SOURCE", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                        .addJavadoc("The spec this class was generated from (recorded in the network's metadata).")
                        .initializer(specSourceInitializer(spec.sourceText()))
                        .build())
                .addField(stringConstant(
                        "SPEC_SHA256",
                        "SHA-256 of {@link #SPEC_SOURCE} in UTF-8, lower-case hex.",
                        JavaText.sha256(spec.sourceText())))
                .addField(stringConstant(
                        "GENERATOR_VERSION",
                        "Version of the ResNet DSL generator that wrote this class.",
                        GeneratorVersion.VERSION));
        InitSpec init = spec.init();
        type.addField(FieldSpec.builder(INIT_POLICY, "INIT_POLICY", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc(
                        "The spec's init policy: Kaiming-normal ($L), seed $L, $L.",
                        JavaText.javadoc(init.fanMode().replace("_", "-")),
                        init.seed(),
                        init.zeroInitLastBn() ? "last BN of each residual branch zero-initialised" : "no zero-init")
                .initializer(
                        "new $T($T.$L, $L, $LL)",
                        INIT_POLICY,
                        TargetTypes.FAN_MODE,
                        init.fanMode().toUpperCase(java.util.Locale.ROOT),
                        init.zeroInitLastBn(),
                        init.seed())
                .build());
        if (spec.block().kind() == BlockKind.BOTTLENECK) {
            type.addField(FieldSpec.builder(TypeName.INT, GROUPS, Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                    .addJavadoc("Groups of every bottleneck's 3x3 convolution (ResNeXt cardinality; 1 for ResNet).")
                    .initializer("$L", spec.block().groups())
                    .build());
        }
    }

    /** The same value as the runtime's {@code NetworkMetadata.stages}: {@code conv2_x=layer1;…}. */
    private static String stagesValue(ModelSpec spec) {
        StringBuilder sb = new StringBuilder();
        for (StageSpec stage : spec.stages()) {
            sb.append(sb.length() == 0 ? "" : ";")
                    .append(stage.name())
                    .append('=')
                    .append(stage.prefix());
        }
        return sb.toString();
    }

    private static void addNetworkMethods(TypeSpec.Builder type, ModelSpec spec, MemberNames names) {
        type.addMethod(MethodSpec.methodBuilder(names.network())
                        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                        .returns(NETWORK)
                        .addJavadoc("Builds the network with the spec's init policy, {@link #INIT_POLICY}.")
                        .addStatement("return $L(INIT_POLICY)", names.network())
                        .build())
                .addMethod(MethodSpec.methodBuilder(names.network())
                        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                        .returns(NETWORK)
                        .addParameter(TypeName.LONG, "seed")
                        .addJavadoc("Builds the network with the spec's init policy but another seed.")
                        .addStatement("return $L(INIT_POLICY.withSeed(seed))", names.network())
                        .build())
                .addMethod(MethodSpec.methodBuilder(names.writeTrainingBundle())
                        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                        .addParameter(PATH, "directory")
                        .addParameter(HYPERPARAMETERS, "hyperparameters")
                        .addException(IOException.class)
                        .addJavadoc(
                                "Writes a training bundle for this model into {@code directory} ({@code train_step.onnx},\n"
                                        + "{@code eval.onnx}, {@code checkpoint.safetensors}, {@code manifest.json}), with weights\n"
                                        + "initialised by {@link #INIT_POLICY}; train it with {@code resnet train} or the\n"
                                        + "runtime's {@code TrainingBundle} API.\n")
                        .addStatement("$T.write(directory, $L(), hyperparameters)", TRAINING_BUNDLE, names.network())
                        .build())
                .addMethod(MethodSpec.methodBuilder(names.classifier())
                        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                        .returns(TargetTypes.CLASSIFIER)
                        .addParameter(PATH, "modelOrBundle")
                        .addException(IOException.class)
                        .addJavadoc(
                                "Classifies images with a trained $L: a model {@code resnet export} wrote, or a\n"
                                        + "training bundle, checked to hold this network, on the CPU.\n",
                                JavaText.javadoc(spec.name()))
                        .addStatement(
                                "return $T.open(modelOrBundle, $T.CPU, $L())",
                                TargetTypes.CLASSIFIER,
                                TargetTypes.DEVICE,
                                names.network())
                        .build())
                .addMethod(MethodSpec.methodBuilder(names.fineTuning())
                        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                        .returns(TargetTypes.FINE_TUNING)
                        .addParameter(PATH, "pretrainedWeights")
                        .addJavadoc(
                                "Fine-tuning this model from pretrained weights (.safetensors with torchvision names,\n"
                                        + "or an .onnx model): add a new head, frozen parts and SGD settings, then\n"
                                        + "{@code writeBundle} and train.\n")
                        .addStatement("return $T.of($L(), pretrainedWeights)", TargetTypes.FINE_TUNING, names.network())
                        .build());

        MethodSpec.Builder network = MethodSpec.methodBuilder(names.network())
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .returns(NETWORK)
                .addParameter(INIT_POLICY, "initPolicy")
                .addJavadoc("Builds the network with the given init policy.")
                .addStatement(
                        "$T b = $T.create(MODEL_NAME, INPUT_CHANNELS, INPUT_HEIGHT, INPUT_WIDTH)",
                        BlockMethods.BUILDER,
                        BlockMethods.BUILDER)
                .addStatement("b.initPolicy(initPolicy)")
                .addStatement("b.metadata($T.SPEC_SOURCE, SPEC_SOURCE)", TargetTypes.NETWORK_METADATA)
                .addStatement("b.metadata($T.SPEC_SHA256, SPEC_SHA256)", TargetTypes.NETWORK_METADATA)
                .addStatement("b.metadata($T.GENERATOR_VERSION, GENERATOR_VERSION)", TargetTypes.NETWORK_METADATA)
                .addStatement("b.metadata($T.STAGES, $S)", TargetTypes.NETWORK_METADATA, stagesValue(spec))
                .addStatement("$T x = b.input()", BlockMethods.ACTIVATION);
        List<MethodSpec> helpers = new ArrayList<>();
        if (!spec.stem().isEmpty()) {
            helpers.add(stemMethod(names.stem(), spec));
            network.addStatement("x = $L(b, x)", names.stem());
        }
        BlockType blockType = spec.block();
        BlockMethods blocks = new BlockMethods(blockType.strideOn(), GROUPS);
        Map<BlockVariant, MethodSpec> blockMethods = new LinkedHashMap<>();
        for (StageSpec stage : spec.stages()) {
            String stageMethod = names.stage(stage);
            MethodSpec.Builder m = MethodSpec.methodBuilder(stageMethod)
                    .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                    .returns(BlockMethods.ACTIVATION)
                    .addJavadoc("$L", JavaText.wrap(stageJavadoc(stage, blockType), JAVADOC_WIDTH))
                    .addParameter(BlockMethods.BUILDER, "b")
                    .addParameter(BlockMethods.ACTIVATION, "x");
            for (BlockSpec block : stage.blocks()) {
                BlockVariant variant = new BlockVariant(blockType.kind(), block.shortcut());
                String blockMethod = names.block(variant);
                blockMethods.computeIfAbsent(variant, v -> blocks.method(blockMethod, v));
                m.addStatement(blocks.call(blockMethod, blockType.kind(), block));
            }
            helpers.add(m.addStatement("return x").build());
            network.addStatement("x = $L(b, x)", stageMethod);
        }
        helpers.add(MethodSpec.methodBuilder(names.head())
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .returns(BlockMethods.ACTIVATION)
                .addJavadoc("The head: global average pooling, then the fully connected layer {@code fc} to {@link"
                        + " #CLASSES} logits.")
                .addParameter(BlockMethods.BUILDER, "b")
                .addParameter(BlockMethods.ACTIVATION, "x")
                .addStatement("return b.fullyConnected($S, b.globalAvgPool(x), CLASSES)", "fc")
                .build());
        network.addStatement("return b.build($L(b, x))", names.head());

        type.addMethod(network.build());
        type.addMethods(helpers);
        type.addMethods(blockMethods.values());
    }

    private static MethodSpec stemMethod(String name, ModelSpec spec) {
        MethodSpec.Builder m = MethodSpec.methodBuilder(name)
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .returns(BlockMethods.ACTIVATION)
                .addJavadoc("The stem: each convolution is followed by BN and ReLU.")
                .addParameter(BlockMethods.BUILDER, "b")
                .addParameter(BlockMethods.ACTIVATION, "x");
        for (StemLayer layer : spec.stem()) {
            if (layer instanceof StemLayer.Conv c) {
                m.addComment(
                                "conv $Lx$L/$L, padding $L: $L -> $L",
                                c.kernel(),
                                c.kernel(),
                                c.stride(),
                                c.padding(),
                                c.input(),
                                c.output())
                        .addStatement(
                                "x = b.conv($S, x, $L, $L, $L, $L, 1)",
                                c.convName(),
                                c.outChannels(),
                                c.kernel(),
                                c.stride(),
                                c.padding())
                        .addStatement("x = b.relu(b.batchNorm($S, x))", c.bnName());
            } else if (layer instanceof StemLayer.MaxPool p) {
                m.addComment(
                                "max-pool $Lx$L/$L, padding $L: $L -> $L",
                                p.kernel(),
                                p.kernel(),
                                p.stride(),
                                p.padding(),
                                p.input(),
                                p.output())
                        .addStatement("x = b.maxPool(x, $L, $L, $L)", p.kernel(), p.stride(), p.padding());
            } else {
                throw new IllegalArgumentException("unknown stem layer " + layer);
            }
        }
        return m.addStatement("return x").build();
    }

    private static String stageJavadoc(StageSpec stage, BlockType blockType) {
        return "Stage <code>" + JavaText.javadoc(stage.name()) + "</code> (torchvision <code>"
                + JavaText.javadoc(stage.prefix()) + "</code>): " + stage.repeats() + " "
                + (blockType.kind() == BlockKind.BASIC ? "basic" : "bottleneck") + " block"
                + (stage.repeats() == 1 ? "" : "s") + " of width " + stage.width() + ", the first with stride "
                + stage.stride() + "; output " + stage.output() + ".";
    }

    private static String classJavadoc(ModelSpec spec, String className, long parameters) {
        StringBuilder doc = new StringBuilder();
        doc.append("The <code>")
                .append(className)
                .append("</code> network, generated from the ResNet DSL spec <code>")
                .append(JavaText.javadoc(spec.sourceFile()))
                .append("</code>.\n\n<p>Input ")
                .append(spec.input())
                .append(", ")
                .append(spec.head().classes())
                .append(" classes; ")
                .append(String.format(Locale.ROOT, "%,d", parameters))
                .append(" trainable parameters; ")
                .append(String.format(Locale.ROOT, "%,d", spec.macs()))
                .append(" multiply-accumulates per image. ")
                .append(blockDescription(spec.block()))
                .append("; shortcut ")
                .append(shortcutDescription(spec.shortcut()))
                .append(".\n\n<p>Parameter names follow torchvision (<code>conv1.weight</code>,"
                        + " <code>layer1.0.bn1.running_mean</code>, <code>fc.bias</code>); the spec's stages map to"
                        + " <code>layer1</code>, <code>layer2</code>, ... in order.\n\n<p>The spec:\n<pre>\n")
                .append(JavaText.javadoc(spec.sourceText().strip()))
                .append("\n</pre>\n");
        return doc.toString();
    }

    private static String blockDescription(BlockType block) {
        if (block.kind() == BlockKind.BASIC) {
            return "Basic blocks (3x3, 3x3)";
        }
        String description = "Bottleneck blocks (1x1, 3x3, 1x1; expansion " + block.expansion() + "), stride on the "
                + (block.strideOn() == StrideOn.CONV_1X1 ? "first 1x1 (the paper's v1)" : "3x3 (torchvision's v1.5)");
        if (block.groups() != 1 || block.widthPerGroup() != 64) {
            description += ", " + block.groups() + " groups of width " + block.widthPerGroup();
        }
        return description;
    }

    private static String shortcutDescription(ShortcutOption option) {
        switch (option) {
            case A:
                return "option A (identity; subsampling and zero channels where the shape changes)";
            case B:
                return "option B (identity; 1x1 projection where the shape changes)";
            case C:
                return "option C (1x1 projection on every block)";
            case IDENTITY:
                return "identity only";
            case NONE:
                return "none (a plain network)";
            default:
                throw new IllegalArgumentException("unknown shortcut option " + option);
        }
    }

    private static FieldSpec constant(TypeName type, String name, String javadoc, int value) {
        return FieldSpec.builder(type, name, Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc(javadoc)
                .initializer("$L", value)
                .build();
    }

    private static FieldSpec stringConstant(String name, String javadoc, String value) {
        return FieldSpec.builder(String.class, name, Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc(javadoc)
                .initializer("$L", JavaText.stringLiteral(value))
                .build();
    }

    /** The spec text as one string literal per line, joined with {@code +}: still a compile-time constant. */
    private static CodeBlock specSourceInitializer(String text) {
        if (text.isEmpty()) {
            return CodeBlock.of("\"\"");
        }
        CodeBlock.Builder code = CodeBlock.builder().add("$>$>");
        int start = 0;
        boolean first = true;
        while (start < text.length()) {
            int newline = text.indexOf('\n', start);
            int end = newline < 0 ? text.length() : newline + 1;
            code.add(first ? "$L" : "\n+ $L", JavaText.stringLiteral(text.substring(start, end)));
            first = false;
            start = end;
        }
        return code.add("$<$<").build();
    }

    private static String longLiteral(long value) {
        return String.format(Locale.ROOT, "%,d", value).replace(',', '_') + "L";
    }

    private static String toSource(String packageName, TypeSpec type) {
        return JavaFile.builder(packageName, type)
                .addFileComment("Generated by the ResNet DSL generator. Do not edit: edit the spec and regenerate.")
                .skipJavaLangImports(true)
                .indent("    ")
                .build()
                .toString();
    }
}
