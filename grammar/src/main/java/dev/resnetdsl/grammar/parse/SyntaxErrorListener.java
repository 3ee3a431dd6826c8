package dev.resnetdsl.grammar.parse;

import dev.resnetdsl.grammar.Diagnostic;
import dev.resnetdsl.grammar.SourceLines;
import dev.resnetdsl.grammar.spec.SourcePosition;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.misc.IntervalSet;

/**
 * Turns ANTLR's syntax errors into {@link Diagnostic}s with messages in the language's own words ("expected a
 * repeat count like x3, found '/2'") instead of token-set dumps. Only the first error of a line is kept: the
 * ones after it are nearly always echoes of the first while the parser resynchronises.
 */
final class SyntaxErrorListener extends BaseErrorListener {
    private static final Set<Integer> STATEMENT_KEYWORDS = Set.of(
            ResNetLexer.INPUT,
            ResNetLexer.CLASSES,
            ResNetLexer.STEM,
            ResNetLexer.BLOCK,
            ResNetLexer.SHORTCUT,
            ResNetLexer.STAGE,
            ResNetLexer.HEAD,
            ResNetLexer.INIT);

    private final String sourceName;
    private final SourceLines lines;
    private final List<Diagnostic> diagnostics = new ArrayList<>();
    private final Set<Integer> linesWithErrors = new HashSet<>();

    SyntaxErrorListener(String sourceName, SourceLines lines) {
        this.sourceName = sourceName;
        this.lines = lines;
    }

    /** The syntax errors by line and column. */
    List<Diagnostic> diagnostics() {
        List<Diagnostic> sorted = new ArrayList<>(diagnostics);
        sorted.sort(
                java.util.Comparator.comparingInt((Diagnostic d) -> d.position().line())
                        .thenComparingInt(d -> d.position().column()));
        return List.copyOf(sorted);
    }

    /** Whether an error was reported on a line before {@code line}. */
    boolean hasErrorBefore(int line) {
        return linesWithErrors.stream().anyMatch(l -> l < line);
    }

    /** Reports {@code message} at {@code token}, unless its line already has an error. */
    void report(Token token, String message) {
        if (linesWithErrors.add(token.getLine())) {
            diagnostics.add(Diagnostic.error(
                    new SourcePosition(sourceName, token.getLine(), token.getCharPositionInLine() + 1),
                    message,
                    lines));
        }
    }

    @Override
    public void syntaxError(
            Recognizer<?, ?> recognizer,
            Object offendingSymbol,
            int line,
            int charPositionInLine,
            String antlrMessage,
            RecognitionException e) {
        if (!linesWithErrors.add(line)) {
            return;
        }
        String message;
        if (offendingSymbol instanceof Token token && recognizer instanceof Parser parser) {
            IntervalSet expected = e != null ? e.getExpectedTokens() : parser.getExpectedTokens();
            message = describe(token, expected);
        } else {
            message = antlrMessage; // the lexer never fails: ERROR_CHAR catches every character
        }
        diagnostics.add(Diagnostic.error(new SourcePosition(sourceName, line, charPositionInLine + 1), message, lines));
    }

    private static String describe(Token found, IntervalSet expected) {
        if (found.getType() == ResNetLexer.ERROR_CHAR) {
            return unexpectedCharacter(found.getText());
        }
        String foundText = foundText(found);
        Set<Integer> types = new HashSet<>(expected.toList());
        if (types.contains(ResNetLexer.IDENT)) {
            return "expected a name, found " + foundText;
        }
        if (types.contains(ResNetLexer.STAGE) && types.contains(ResNetLexer.INPUT)) {
            return "expected a statement (input, classes, stem, block, shortcut, stage, head or init) or '}', found "
                    + foundText;
        }
        if (types.contains(ResNetLexer.CONV) && types.contains(ResNetLexer.MAXPOOL)) {
            return "expected a stem layer (conv or maxpool) or '}', found " + foundText;
        }
        if (types.contains(ResNetLexer.AVGPOOL) && types.contains(ResNetLexer.FC)) {
            return "expected a head layer (avgpool or fc) or '}', found " + foundText;
        }
        if (types.contains(ResNetLexer.MODEL) && types.contains(ResNetLexer.IMPORT)) {
            return "expected 'model' or 'import', found " + foundText;
        }
        Set<String> phrases = new LinkedHashSet<>();
        boolean endOfStatement = types.contains(ResNetLexer.NEWLINE) || types.contains(ResNetLexer.SEMI);
        for (int type : expected.toList()) {
            String phrase = phrase(type, endOfStatement);
            if (phrase != null) {
                phrases.add(phrase);
            }
        }
        if (phrases.isEmpty() || phrases.size() > 4) {
            return "unexpected " + foundText;
        }
        return "expected " + join(new ArrayList<>(phrases)) + ", found " + foundText;
    }

    /** The message for a character no token starts with. */
    static String unexpectedCharacter(String text) {
        if (text.equals("\"")) {
            return "unterminated string: the closing \" is missing on this line";
        }
        return "unexpected character '" + printable(text) + "'";
    }

    private static String phrase(int type, boolean endOfStatement) {
        if (endOfStatement && (type == ResNetLexer.NEWLINE || type == ResNetLexer.SEMI || type == ResNetLexer.RBRACE)) {
            return "end of statement";
        }
        if (STATEMENT_KEYWORDS.contains(type)) {
            return "a statement";
        }
        switch (type) {
            case ResNetLexer.DIMS:
                return "sizes like 3x224x224 or 7x7";
            case ResNetLexer.INT:
                return "a number";
            case ResNetLexer.REPEAT:
                return "a repeat count like x3";
            case ResNetLexer.STRIDE:
                return "a stride like /2";
            case ResNetLexer.IDENT:
                return "a name";
            case ResNetLexer.STRING:
                return "a quoted file name";
            case ResNetLexer.PAD:
                return "'pad'";
            case ResNetLexer.EXTENDS:
                return "'extends'";
            case ResNetLexer.CLASSES:
                return "'classes'";
            case ResNetLexer.LBRACE:
                return "'{' on the same line";
            case ResNetLexer.RBRACE:
                return "'}'";
            case Token.EOF:
                return "end of file";
            default:
                // Keywords stand in for names (`name` accepts them); IDENT already says "a name".
                return null;
        }
    }

    private static String foundText(Token token) {
        switch (token.getType()) {
            case Token.EOF:
                return "end of file";
            case ResNetLexer.NEWLINE:
                return "end of line";
            default:
                return shown(token.getText());
        }
    }

    /** Characters of a token echoed in a message; a longer token shows this many and then {@code …}. */
    private static final int ECHO_LENGTH = 32;

    /** {@code text} quoted for a message: control characters escaped, cut after {@value #ECHO_LENGTH}. */
    static String shown(String text) {
        String cut = text.length() > ECHO_LENGTH ? text.substring(0, ECHO_LENGTH) + "…" : text;
        return "'" + printable(cut) + "'";
    }

    private static String printable(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().forEach(cp -> {
            if (cp < 0x20 || cp == 0x7f) {
                out.append(String.format("\\u%04x", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.toString();
    }

    private static String join(List<String> phrases) {
        if (phrases.size() == 1) {
            return phrases.get(0);
        }
        return String.join(", ", phrases.subList(0, phrases.size() - 1)) + " or " + phrases.get(phrases.size() - 1);
    }
}
