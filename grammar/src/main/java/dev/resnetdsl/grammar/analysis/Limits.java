package dev.resnetdsl.grammar.analysis;

/**
 * The largest sizes a spec may ask for. They are far beyond any real network and exist so that a typo such as a
 * repeat count of 10⁹ is refused with a message, before anything is allocated. docs/language.md lists them.
 */
public final class Limits {
    private Limits() {}

    /** Input channels. */
    public static final int MAX_INPUT_CHANNELS = 1024;
    /** Input height and width. */
    public static final int MAX_INPUT_SIZE = 8192;
    /** Number of classes. */
    public static final int MAX_CLASSES = 100_000;
    /** Layers in the stem. */
    public static final int MAX_STEM_LAYERS = 16;
    /** Convolution and pooling kernel size (square). */
    public static final int MAX_KERNEL = 15;
    /** Explicit padding. */
    public static final int MAX_PADDING = 15;
    /** Output channels of a stem convolution, and the width of a stage. */
    public static final int MAX_WIDTH = 16_384;
    /** Channels of any activation (stage width × expansion, a bottleneck's inner width). */
    public static final int MAX_CHANNELS = 65_536;
    /** A bottleneck's expansion. */
    public static final int MAX_EXPANSION = 64;
    /** Groups of the 3×3 convolution. */
    public static final int MAX_GROUPS = 16_384;
    /** {@code width_per_group}. */
    public static final int MAX_WIDTH_PER_GROUP = 16_384;
    /** Blocks in one stage. */
    public static final int MAX_REPEATS = 1000;
    /** Blocks in the whole model. */
    public static final int MAX_TOTAL_BLOCKS = 5000;
    /** Trainable parameters of the whole model (ONNX files past 2 GB need external data; 2·10⁹ floats is 8 GB). */
    public static final long MAX_PARAMS = 2_000_000_000L;
    /** Multiply-accumulates for one image. */
    public static final long MAX_MACS = 10_000_000_000_000_000L;
}
