package dev.resnetdsl.training.graph;

/**
 * How {@link TrainingGraphs} writes a network's graphs (not what they compute: every option gives the same
 * numbers).
 *
 * @param loops write each run of identical blocks once, as a loop over the blocks' stacked parameters
 *     ({@link BlockLoop}; the default), rather than block by block. Unrolled graphs grow with depth and ONNX
 *     Runtime opens them in superlinear time (ResNet-110 takes seconds, ResNet-1202 minutes); they are kept for
 *     comparison and as a reference the loops are tested against.
 */
public record GraphOptions(boolean loops) {
    /** Loops over repeated blocks. */
    public static GraphOptions defaults() {
        return new GraphOptions(true);
    }

    /** With loops on or off. */
    public GraphOptions withLoops(boolean on) {
        return new GraphOptions(on);
    }
}
