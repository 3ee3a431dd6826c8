package dev.resnetdsl.grammar.spec;

/**
 * One row of the per-layer summary.
 *
 * @param name parameter-style layer name ({@code layer1.0.conv1}, {@code maxpool}, {@code fc})
 * @param kind short description ({@code conv 3x3/1}, {@code bn}, {@code relu}, {@code add}, …)
 * @param output output shape for one image (for {@code fc}: classes×1×1)
 * @param params trainable parameters of the layer (BN running statistics excluded)
 * @param macs multiply-accumulates for one image (convolutions and the fully connected layer only)
 */
public record LayerRow(String name, String kind, Shape output, long params, long macs) {}
