package dev.resnetdsl.grammar.ast;

import dev.resnetdsl.grammar.spec.SourcePosition;

/**
 * {@code import "path.resnet"}: makes the models of another file available to {@code extends}.
 *
 * @param path the path between the quotes, relative to the importing file
 */
public record ImportDecl(String path, SourcePosition position) implements Declaration {}
