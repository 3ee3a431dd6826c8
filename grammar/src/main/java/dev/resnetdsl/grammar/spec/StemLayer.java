package dev.resnetdsl.grammar.spec;

/** One layer of the stem, resolved: its output shape is known. */
public sealed interface StemLayer permits StemLayer.Conv, StemLayer.MaxPool {
    /** Output shape of this layer for one image. */
    Shape output();

    /**
     * A convolution followed by BN and ReLU.
     *
     * @param convName parameter prefix of the convolution ({@code conv1}, then {@code conv1_2}, …)
     * @param bnName parameter prefix of its batch norm ({@code bn1}, then {@code bn1_2}, …)
     */
    record Conv(
            String convName,
            String bnName,
            int kernel,
            int outChannels,
            int stride,
            int padding,
            Shape input,
            Shape output,
            SourcePosition position)
            implements StemLayer {}

    /** A max-pool layer. */
    record MaxPool(int kernel, int stride, int padding, Shape input, Shape output, SourcePosition position)
            implements StemLayer {}
}
