package dev.resnetdsl.generator.codegen;

import dev.resnetdsl.grammar.spec.BlockKind;
import dev.resnetdsl.grammar.spec.ShortcutKind;

/** A kind of block together with what its shortcut does: each used variant becomes one generated method. */
record BlockVariant(BlockKind kind, ShortcutKind shortcut) {
    /** The preferred method name ({@code bottleneckWithProjection}, {@code plainBasicBlock}). */
    String methodName() {
        String base = kind == BlockKind.BASIC ? "basicBlock" : "bottleneck";
        switch (shortcut) {
            case IDENTITY:
                return base;
            case PROJECTION:
                return base + "WithProjection";
            case ZERO_PAD:
                return base + "WithZeroPadShortcut";
            case NONE:
                return kind == BlockKind.BASIC ? "plainBasicBlock" : "plainBottleneck";
            default:
                throw new IllegalArgumentException("unknown shortcut kind " + shortcut);
        }
    }
}
