package dev.resnetdsl.grammar.spec;

/** What one resolved block does on its shortcut path. */
public enum ShortcutKind {
    /** x is added unchanged. */
    IDENTITY,
    /** Option A where the shape changes: every stride-th pixel, then zero channels appended. */
    ZERO_PAD,
    /** A 1×1 convolution (with the block's stride) followed by BN: {@code downsample.0}, {@code downsample.1}. */
    PROJECTION,
    /** No shortcut (plain network). */
    NONE
}
