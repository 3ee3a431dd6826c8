package dev.resnetdsl.grammar.spec;

/** The residual block types of the paper (Fig. 5). */
public enum BlockKind {
    /** Two 3×3 convolutions; expansion 1 (ResNet-18/34, CIFAR nets). */
    BASIC,
    /** 1×1 reduce, 3×3, 1×1 expand; expansion 4 by default (ResNet-50/101/152). */
    BOTTLENECK
}
