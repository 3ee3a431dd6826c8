package dev.resnetdsl.grammar.ast;

import java.util.List;

/**
 * A whole {@code .resnet} file.
 *
 * @param sourceName the file name as given to the parser
 * @param declarations imports and models in the order written
 */
public record SpecFile(String sourceName, List<Declaration> declarations) {
    public SpecFile {
        declarations = List.copyOf(declarations);
    }

    /** The import declarations, in order. */
    public List<ImportDecl> imports() {
        return declarations.stream()
                .filter(ImportDecl.class::isInstance)
                .map(ImportDecl.class::cast)
                .toList();
    }

    /** The model declarations, in order. */
    public List<ModelDecl> models() {
        return declarations.stream()
                .filter(ModelDecl.class::isInstance)
                .map(ModelDecl.class::cast)
                .toList();
    }
}
