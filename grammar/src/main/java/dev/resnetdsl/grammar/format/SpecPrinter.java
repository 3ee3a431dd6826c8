package dev.resnetdsl.grammar.format;

import dev.resnetdsl.grammar.SourceLines;
import dev.resnetdsl.grammar.ast.BlockStatement;
import dev.resnetdsl.grammar.ast.ClassesStatement;
import dev.resnetdsl.grammar.ast.Comment;
import dev.resnetdsl.grammar.ast.Declaration;
import dev.resnetdsl.grammar.ast.HeadItem;
import dev.resnetdsl.grammar.ast.HeadStatement;
import dev.resnetdsl.grammar.ast.ImportDecl;
import dev.resnetdsl.grammar.ast.InitStatement;
import dev.resnetdsl.grammar.ast.InputStatement;
import dev.resnetdsl.grammar.ast.ModelDecl;
import dev.resnetdsl.grammar.ast.Option;
import dev.resnetdsl.grammar.ast.ShortcutStatement;
import dev.resnetdsl.grammar.ast.SpecFile;
import dev.resnetdsl.grammar.ast.StageStatement;
import dev.resnetdsl.grammar.ast.Statement;
import dev.resnetdsl.grammar.ast.StemItem;
import dev.resnetdsl.grammar.ast.StemStatement;
import dev.resnetdsl.grammar.spec.SourcePosition;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints an AST in canonical form and weaves the source's comments back in. Comments are placed by line: before
 * printing an element written at line L, every comment above L is emitted — a trailing one at the end of the last
 * printed line, a whole-line one on its own line.
 */
final class SpecPrinter {
    private static final String INDENT = "  ";

    private final SourceLines source;
    private final List<Comment> comments;
    private final List<String> out = new ArrayList<>();
    private int nextComment;

    SpecPrinter(String text, List<Comment> comments) {
        this.source = SourceLines.of(text);
        this.comments = comments;
    }

    String print(SpecFile file) {
        boolean previousWasModel = false;
        for (Declaration declaration : file.declarations()) {
            if (declaration instanceof ImportDecl importDecl) {
                if (previousWasModel) {
                    flushTrailing(importDecl.position().line());
                    blankLine();
                }
                element(importDecl.position(), "");
                out.add("import \"" + importDecl.path() + "\"");
                previousWasModel = false;
            } else if (declaration instanceof ModelDecl model) {
                flushTrailing(model.position().line());
                blankLine();
                model(model);
                previousWasModel = true;
            }
        }
        comments(Integer.MAX_VALUE, "");
        StringBuilder text = new StringBuilder();
        for (String line : out) {
            text.append(line.stripTrailing()).append('\n');
        }
        return text.toString();
    }

    private void model(ModelDecl model) {
        element(model.position(), "");
        StringBuilder header = new StringBuilder("model ").append(model.name().text());
        model.base().ifPresent(base -> header.append(" extends ").append(base.text()));
        if (model.statements().isEmpty() && !hasCommentsBefore(model.end().line())) {
            out.add(header.append(" {}").toString());
            return;
        }
        out.add(header.append(" {").toString());
        for (Statement statement : model.statements()) {
            statement(statement);
        }
        close(model.end(), "");
    }

    private void statement(Statement statement) {
        element(statement.position(), INDENT);
        if (statement instanceof InputStatement input) {
            out.add(INDENT + "input " + input.shape().text());
        } else if (statement instanceof ClassesStatement classes) {
            out.add(INDENT + "classes " + classes.count().text());
        } else if (statement instanceof StemStatement stem) {
            if (stem.layers().isEmpty() && !hasCommentsBefore(stem.end().line())) {
                out.add(INDENT + "stem {}");
                return;
            }
            out.add(INDENT + "stem {");
            for (StemItem layer : stem.layers()) {
                element(layer.position(), INDENT + INDENT);
                out.add(INDENT + INDENT + stemLayer(layer));
            }
            close(stem.end(), INDENT);
        } else if (statement instanceof BlockStatement block) {
            out.add(INDENT + "block " + block.kind().text() + options(block.options()));
        } else if (statement instanceof ShortcutStatement shortcut) {
            out.add(INDENT + "shortcut " + shortcut.option().text());
        } else if (statement instanceof StageStatement stage) {
            out.add(INDENT + "stage " + stage.name().text() + " "
                    + stage.width().text() + " x" + stage.repeats().text()
                    + stage.stride().map(s -> " /" + s.text()).orElse(""));
        } else if (statement instanceof HeadStatement head) {
            if (head.layers().isEmpty() && !hasCommentsBefore(head.end().line())) {
                out.add(INDENT + "head {}");
                return;
            }
            out.add(INDENT + "head {");
            for (HeadItem layer : head.layers()) {
                element(layer.position(), INDENT + INDENT);
                out.add(INDENT + INDENT + headLayer(layer));
            }
            close(head.end(), INDENT);
        } else if (statement instanceof InitStatement init) {
            out.add(INDENT + "init" + options(init.options()));
        }
    }

    private static String stemLayer(StemItem layer) {
        StringBuilder text = new StringBuilder();
        if (layer instanceof StemItem.Conv conv) {
            text.append("conv ")
                    .append(conv.kernel().text())
                    .append(' ')
                    .append(conv.channels().text());
        } else {
            text.append("maxpool ").append(layer.kernel().text());
        }
        layer.stride().ifPresent(s -> text.append(" /").append(s.text()));
        layer.padding().ifPresent(p -> text.append(" pad ").append(p.text()));
        return text.toString();
    }

    private static String headLayer(HeadItem layer) {
        if (layer instanceof HeadItem.Fc fc) {
            return "fc " + fc.count().map(c -> c.text()).orElse("classes");
        }
        return "avgpool";
    }

    private static String options(List<Option> options) {
        StringBuilder text = new StringBuilder();
        for (Option option : options) {
            text.append(' ').append(option.name().text());
            option.value().ifPresent(v -> text.append(' ').append(v.text()));
        }
        return text.toString();
    }

    /** Before an element at {@code position}: its comments, and a blank line if the source had one. */
    private void element(SourcePosition position, String indent) {
        comments(position.line(), indent);
        if (isBlank(position.line() - 1)) {
            blankLine();
        }
    }

    /** A closing brace at {@code end}, after the comments above it. */
    private void close(SourcePosition end, String indent) {
        comments(end.line(), indent + INDENT);
        out.add(indent + "}");
    }

    /** Emits every comment written above {@code line}. */
    private void comments(int line, String indent) {
        while (nextComment < comments.size()
                && comments.get(nextComment).position().line() < line) {
            Comment comment = comments.get(nextComment++);
            if (comment.trailing() && !out.isEmpty()) {
                out.set(out.size() - 1, out.get(out.size() - 1) + "  " + comment.text());
            } else {
                if (isBlank(comment.position().line() - 1)) {
                    blankLine();
                }
                out.add(indent + comment.text());
            }
        }
    }

    /** Emits the trailing comments above {@code line}, which belong to the last printed line. */
    private void flushTrailing(int line) {
        while (nextComment < comments.size()
                && comments.get(nextComment).trailing()
                && comments.get(nextComment).position().line() < line
                && !out.isEmpty()) {
            Comment comment = comments.get(nextComment++);
            out.set(out.size() - 1, out.get(out.size() - 1) + "  " + comment.text());
        }
    }

    private boolean hasCommentsBefore(int line) {
        return nextComment < comments.size()
                && comments.get(nextComment).position().line() < line;
    }

    private boolean isBlank(int line) {
        String text = source.line(line);
        return text != null && text.isBlank();
    }

    /** One blank line, unless at the start, after another blank line or right after an opening brace. */
    private void blankLine() {
        if (out.isEmpty()) {
            return;
        }
        String last = out.get(out.size() - 1);
        if (!last.isBlank() && !last.endsWith("{")) {
            out.add("");
        }
    }
}
