package dev.resnetdsl.grammar.spec;

/**
 * The classifier head: global average pooling, then a fully connected layer ({@code fc}) to the classes.
 * The network's output is the logits; softmax is applied by whoever reads them.
 */
public record HeadSpec(int inFeatures, int classes) {}
