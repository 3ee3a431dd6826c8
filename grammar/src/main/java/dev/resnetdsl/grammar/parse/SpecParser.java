package dev.resnetdsl.grammar.parse;

import dev.resnetdsl.grammar.Diagnostic;
import dev.resnetdsl.grammar.SourceLines;
import dev.resnetdsl.grammar.ast.Comment;
import dev.resnetdsl.grammar.ast.SpecFile;
import dev.resnetdsl.grammar.spec.SourcePosition;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.ParseTree;

/**
 * Parses {@code .resnet} text into a {@link SpecFile}. ANTLR's console listeners are removed: every syntax
 * error becomes a {@link Diagnostic} with a message written for people, and parsing goes on after an error so
 * that one run reports every broken line.
 */
public final class SpecParser {
    private static final java.util.regex.Pattern LONE_CR = java.util.regex.Pattern.compile("\r(?!\n)");

    private SpecParser() {}

    /**
     * Parses {@code text}; {@code sourceName} is used in positions and messages. Callers should pass text through
     * {@link #withoutByteOrderMark} first so that columns on the first line count from the first visible character.
     */
    public static ParseResult parse(String sourceName, String text) {
        SourceLines lines = SourceLines.of(text);
        // ANTLR counts lines at '\n' only; a lone '\r' (old Mac line ends) is a line break to the grammar and to
        // SourceLines, so positions after it disagreed with the quoted line (found by fuzzing). Same length, so
        // every offset stays valid.
        String lexed = text.indexOf('\r') < 0 ? text : LONE_CR.matcher(text).replaceAll("\n");
        ResNetLexer lexer = new ResNetLexer(CharStreams.fromString(lexed, sourceName));
        lexer.removeErrorListeners();
        CommonTokenStream tokens = new CommonTokenStream(lexer);
        ResNetParser parser = new ResNetParser(tokens);
        parser.removeErrorListeners();
        SyntaxErrorListener errors = new SyntaxErrorListener(sourceName, lines);
        lexer.addErrorListener(errors);
        parser.addErrorListener(errors);

        // Before parsing, so that an overlong token gets this message and not a parser error echoing it.
        checkTokenLengths(tokens, errors);
        ResNetParser.SpecFileContext tree = parser.specFile();
        checkLists(tree, errors);
        List<Comment> comments = comments(sourceName, tokens);
        List<Diagnostic> diagnostics = errors.diagnostics();
        if (!diagnostics.isEmpty()) {
            return new ParseResult(Optional.empty(), comments, diagnostics);
        }
        SpecFile file = new AstBuilder(sourceName).build(tree);
        return new ParseResult(Optional.of(file), comments, List.of());
    }

    /**
     * Refuses overlong tokens before anything converts them: a 2 MB number literal would otherwise cost minutes of
     * {@code BigInteger} arithmetic and be echoed whole in the diagnostic. The message shows a short prefix.
     */
    private static void checkTokenLengths(CommonTokenStream tokens, SyntaxErrorListener errors) {
        tokens.fill();
        for (Token token : tokens.getTokens()) {
            int type = token.getType();
            if (type == Token.EOF || type == ResNetLexer.COMMENT || type == ResNetLexer.WS) {
                continue;
            }
            String text = token.getText();
            int limit = type == ResNetLexer.STRING ? TokenLimits.MAX_STRING_LENGTH : TokenLimits.MAX_WORD_LENGTH;
            if (text.length() > limit) {
                String what = type == ResNetLexer.STRING
                        ? "file name"
                        : type == ResNetLexer.IDENT ? "name" : Character.isLetter(text.charAt(0)) ? "word" : "number";
                errors.report(
                        token,
                        String.format(
                                java.util.Locale.ROOT,
                                "%s %s is %,d characters long; the limit is %,d",
                                what,
                                SyntaxErrorListener.shown(text),
                                text.length(),
                                limit));
            }
        }
    }

    /** {@code text} without a leading UTF-8 byte-order mark, which some editors write. */
    public static String withoutByteOrderMark(String text) {
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    /**
     * The grammar's lists are {@code (sep | item | junk)*} for good error recovery. Here each junk line is
     * reported, and so are items that follow each other on one line without a {@code ;} between them.
     */
    private static void checkLists(ParseTree node, SyntaxErrorListener errors) {
        String expected = expectedItem(node);
        if (expected != null) {
            boolean needSeparator = false;
            boolean previousWasJunk = false;
            for (int i = 0; i < node.getChildCount(); i++) {
                ParseTree child = node.getChild(i);
                if (child instanceof ResNetParser.SepContext) {
                    needSeparator = false;
                } else if (child instanceof ParserRuleContext item && item.start != null) {
                    Token first = item.start;
                    boolean junk = item instanceof ResNetParser.TopLevelJunkContext
                            || item instanceof ResNetParser.StatementJunkContext
                            || item instanceof ResNetParser.StemJunkContext
                            || item instanceof ResNetParser.HeadJunkContext;
                    boolean topLevel = node instanceof ResNetParser.SpecFileContext;
                    if (first.getType() == ResNetLexer.ERROR_CHAR) {
                        errors.report(first, SyntaxErrorListener.unexpectedCharacter(first.getText()));
                    } else if (needSeparator) {
                        errors.report(
                                first,
                                "expected end of statement (a new line or ';'), found "
                                        + SyntaxErrorListener.shown(first.getText()));
                    } else if (junk && !(topLevel && (previousWasJunk || errors.hasErrorBefore(first.getLine())))) {
                        // At the top level, junk after an error is nearly always the rest of a broken model.
                        errors.report(
                                first,
                                "expected " + expected + ", found " + SyntaxErrorListener.shown(first.getText()));
                    }
                    needSeparator = true;
                    previousWasJunk = junk;
                }
            }
        }
        for (int i = 0; i < node.getChildCount(); i++) {
            checkLists(node.getChild(i), errors);
        }
    }

    private static String expectedItem(ParseTree node) {
        if (node instanceof ResNetParser.SpecFileContext) {
            return "'model' or 'import'";
        } else if (node instanceof ResNetParser.ModelBodyContext) {
            return "a statement (input, classes, stem, block, shortcut, stage, head or init) or '}'";
        } else if (node instanceof ResNetParser.StemBodyContext) {
            return "a stem layer (conv or maxpool) or '}'";
        } else if (node instanceof ResNetParser.HeadBodyContext) {
            return "a head layer (avgpool or fc) or '}'";
        }
        return null;
    }

    private static List<Comment> comments(String sourceName, CommonTokenStream tokens) {
        tokens.fill();
        List<Comment> comments = new ArrayList<>();
        int lastCodeLine = 0;
        for (Token token : tokens.getTokens()) {
            if (token.getType() == ResNetLexer.COMMENT) {
                comments.add(new Comment(
                        token.getText().stripTrailing(),
                        new SourcePosition(sourceName, token.getLine(), token.getCharPositionInLine() + 1),
                        lastCodeLine == token.getLine()));
            } else if (token.getChannel() == Token.DEFAULT_CHANNEL
                    && token.getType() != ResNetLexer.NEWLINE
                    && token.getType() != Token.EOF) {
                lastCodeLine = token.getLine();
            }
        }
        return comments;
    }
}
