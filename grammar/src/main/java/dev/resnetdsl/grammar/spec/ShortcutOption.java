package dev.resnetdsl.grammar.spec;

/** The shortcut options of the paper (section 3.3 and 4.1), plus identity-only and plain. */
public enum ShortcutOption {
    /** Identity; where the shape changes, subsample by the stride and append zero channels. No parameters. */
    A,
    /** Identity; where the shape changes, a 1×1 convolution + BN projection. */
    B,
    /** A 1×1 convolution + BN projection on every block. */
    C,
    /** Identity only: a block whose shape changes is an error. */
    IDENTITY,
    /** No shortcuts at all: the paper's plain baselines. */
    NONE
}
