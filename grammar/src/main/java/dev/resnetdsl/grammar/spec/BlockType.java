package dev.resnetdsl.grammar.spec;

/**
 * The block type shared by every stage.
 *
 * @param expansion output channels = stage width × expansion (1 for basic, 4 by default for bottleneck)
 * @param groups groups of the 3×3 convolution (ResNeXt cardinality); 1 for basic blocks
 * @param widthPerGroup torchvision's {@code width_per_group}: a bottleneck's inner width is
 *     {@code floor(width × widthPerGroup / 64) × groups}; 64 means "the stage width"
 * @param strideOn where a downsampling bottleneck puts its stride (ignored for basic blocks)
 */
public record BlockType(BlockKind kind, int expansion, int groups, int widthPerGroup, StrideOn strideOn) {}
