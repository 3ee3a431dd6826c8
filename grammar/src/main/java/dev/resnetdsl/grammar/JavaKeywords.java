package dev.resnetdsl.grammar;

import java.util.Set;

/**
 * The words Java 17 reserves: keywords, the literals {@code true}, {@code false} and {@code null}, and the
 * restricted identifiers ({@code var}, {@code record}, …). Model names become Java class names in generated
 * code, so the analyzer (a positioned error) and the generator (its own guarantee) both refuse these, by this
 * one list.
 */
public final class JavaKeywords {
    private JavaKeywords() {}

    private static final Set<String> RESERVED = Set.of(
            "abstract",
            "assert",
            "boolean",
            "break",
            "byte",
            "case",
            "catch",
            "char",
            "class",
            "const",
            "continue",
            "default",
            "do",
            "double",
            "else",
            "enum",
            "extends",
            "final",
            "finally",
            "float",
            "for",
            "goto",
            "if",
            "implements",
            "import",
            "instanceof",
            "int",
            "interface",
            "long",
            "native",
            "new",
            "package",
            "private",
            "protected",
            "public",
            "return",
            "short",
            "static",
            "strictfp",
            "super",
            "switch",
            "synchronized",
            "this",
            "throw",
            "throws",
            "transient",
            "try",
            "void",
            "volatile",
            "while",
            "true",
            "false",
            "null",
            "_",
            "var",
            "yield",
            "record",
            "sealed",
            "permits",
            "non-sealed");

    /** Whether {@code name} is a Java keyword, literal or restricted identifier. */
    public static boolean isReserved(String name) {
        return RESERVED.contains(name);
    }
}
