package dev.resnetdsl.grammar.spec;

/**
 * One resolved residual (or plain) block.
 *
 * @param prefix torchvision parameter prefix, e.g. {@code layer2.0}
 * @param input shape entering the block
 * @param output shape leaving the block
 * @param width the stage width ("planes")
 * @param innerWidth channels of the inner convolutions (bottleneck: after groups/width-per-group; basic: width)
 * @param stride 1 or 2; only a stage's first block can have 2
 * @param shortcut what the shortcut path does
 * @param zeroInitLastBn whether the init policy zeroes the γ of this block's last BN
 */
public record BlockSpec(
        String prefix,
        Shape input,
        Shape output,
        int width,
        int innerWidth,
        int stride,
        ShortcutKind shortcut,
        boolean zeroInitLastBn) {}
