package dev.resnetdsl.grammar.spec;

import java.util.List;

/**
 * A fully resolved model: every shape, channel count and stride is known, and the spec was valid.
 * This is what the code generator, the summary and the runtime interpreter consume.
 *
 * @param name model name as written ({@code ResNet50})
 * @param sourceFile path of the spec file it came from, as given to the parser
 * @param sourceText the text of the model's own declaration, from {@code model} to its closing brace (for a model
 *     that extends another, only its own declaration), for javadoc and ONNX metadata
 * @param input input shape for one image
 * @param classes number of classes
 * @param stem the stem layers in order
 * @param block the block type
 * @param shortcut the shortcut option
 * @param stages the stages in order
 * @param head the classifier head
 * @param init the init policy
 * @param layers per-layer summary rows in execution order
 * @param params total trainable parameters
 * @param macs total multiply-accumulates for one image
 */
public record ModelSpec(
        String name,
        String sourceFile,
        String sourceText,
        Shape input,
        int classes,
        List<StemLayer> stem,
        BlockType block,
        ShortcutOption shortcut,
        List<StageSpec> stages,
        HeadSpec head,
        InitSpec init,
        List<LayerRow> layers,
        long params,
        long macs) {
    public ModelSpec {
        stem = List.copyOf(stem);
        stages = List.copyOf(stages);
        layers = List.copyOf(layers);
    }
}
