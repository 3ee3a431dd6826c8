package dev.resnetdsl.grammar.parse;

/**
 * The longest tokens a spec may hold. Real specs have words of a few characters; the limits exist so that a
 * hostile file cannot make the parser convert or echo megabytes (docs/security.md).
 */
public final class TokenLimits {
    private TokenLimits() {}

    /** Numbers, sizes ({@code 3x224x224}), names and keywords: 256 characters. */
    public static final int MAX_WORD_LENGTH = 256;
    /** A quoted file name: 4,096 characters, Linux's {@code PATH_MAX}. */
    public static final int MAX_STRING_LENGTH = 4096;
}
