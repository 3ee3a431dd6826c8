package dev.resnetdsl.grammar.spec;

/** Where a bottleneck block that downsamples puts its stride. */
public enum StrideOn {
    /** On the first 1×1 convolution: the paper's original ResNet ("v1"). */
    CONV_1X1,
    /** On the 3×3 convolution: torchvision's ResNet ("v1.5"), the language default. */
    CONV_3X3
}
