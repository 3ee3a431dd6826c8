package dev.resnetdsl.grammar.spec;

import java.util.List;

/**
 * One resolved stage.
 *
 * @param name the name written in the spec (paper style, {@code conv2_x})
 * @param prefix torchvision parameter prefix: the n-th stage (1-based) is {@code layer<n>}
 * @param width base width ("planes"); output channels are width × expansion
 * @param repeats number of blocks
 * @param stride stride of the stage's first block
 * @param blocks the resolved blocks, in order
 * @param output shape leaving the stage
 */
public record StageSpec(
        String name,
        String prefix,
        int width,
        int repeats,
        int stride,
        List<BlockSpec> blocks,
        Shape output,
        SourcePosition position) {
    public StageSpec {
        blocks = List.copyOf(blocks);
    }
}
