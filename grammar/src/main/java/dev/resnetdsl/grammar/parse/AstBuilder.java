package dev.resnetdsl.grammar.parse;

import dev.resnetdsl.grammar.ast.BlockStatement;
import dev.resnetdsl.grammar.ast.ClassesStatement;
import dev.resnetdsl.grammar.ast.Declaration;
import dev.resnetdsl.grammar.ast.Dims;
import dev.resnetdsl.grammar.ast.HeadItem;
import dev.resnetdsl.grammar.ast.HeadStatement;
import dev.resnetdsl.grammar.ast.ImportDecl;
import dev.resnetdsl.grammar.ast.InitStatement;
import dev.resnetdsl.grammar.ast.InputStatement;
import dev.resnetdsl.grammar.ast.ModelDecl;
import dev.resnetdsl.grammar.ast.Name;
import dev.resnetdsl.grammar.ast.Num;
import dev.resnetdsl.grammar.ast.Option;
import dev.resnetdsl.grammar.ast.OptionValue;
import dev.resnetdsl.grammar.ast.ShortcutStatement;
import dev.resnetdsl.grammar.ast.SpecFile;
import dev.resnetdsl.grammar.ast.StageStatement;
import dev.resnetdsl.grammar.ast.Statement;
import dev.resnetdsl.grammar.ast.StemItem;
import dev.resnetdsl.grammar.ast.StemStatement;
import dev.resnetdsl.grammar.spec.SourcePosition;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.misc.Interval;
import org.antlr.v4.runtime.tree.TerminalNode;

/** Builds the immutable AST from a parse tree that had no syntax errors. */
final class AstBuilder extends ResNetBaseVisitor<Object> {
    private final String sourceName;

    AstBuilder(String sourceName) {
        this.sourceName = sourceName;
    }

    SpecFile build(ResNetParser.SpecFileContext tree) {
        List<Declaration> declarations = new ArrayList<>();
        for (ResNetParser.TopLevelContext top : tree.topLevel()) {
            declarations.add((Declaration) visit(top));
        }
        return new SpecFile(sourceName, declarations);
    }

    @Override
    public ImportDecl visitImportDecl(ResNetParser.ImportDeclContext ctx) {
        String quoted = ctx.STRING().getText();
        return new ImportDecl(quoted.substring(1, quoted.length() - 1), position(ctx.start));
    }

    @Override
    public ModelDecl visitModelDecl(ResNetParser.ModelDeclContext ctx) {
        Name name = name(ctx.name(0));
        Optional<Name> base = ctx.EXTENDS() == null ? Optional.empty() : Optional.of(name(ctx.name(1)));
        List<Statement> statements = new ArrayList<>();
        for (ResNetParser.StatementContext statement : ctx.modelBody().statement()) {
            statements.add((Statement) visit(statement));
        }
        return new ModelDecl(
                name,
                base,
                statements,
                position(ctx.start),
                position(ctx.RBRACE().getSymbol()),
                sourceText(ctx));
    }

    @Override
    public InputStatement visitInputStatement(ResNetParser.InputStatementContext ctx) {
        return new InputStatement(dims(ctx.DIMS()), position(ctx.start));
    }

    @Override
    public ClassesStatement visitClassesStatement(ResNetParser.ClassesStatementContext ctx) {
        return new ClassesStatement(num(ctx.INT().getSymbol(), 0), position(ctx.start));
    }

    @Override
    public StemStatement visitStemStatement(ResNetParser.StemStatementContext ctx) {
        List<StemItem> layers = new ArrayList<>();
        for (ResNetParser.StemLayerContext layer : ctx.stemBody().stemLayer()) {
            layers.add((StemItem) visit(layer));
        }
        return new StemStatement(
                layers, position(ctx.start), position(ctx.RBRACE().getSymbol()));
    }

    @Override
    public StemItem.Conv visitConvLayer(ResNetParser.ConvLayerContext ctx) {
        return new StemItem.Conv(
                dims(ctx.DIMS()),
                num(ctx.INT().getSymbol(), 0),
                optionalNum(ctx.STRIDE(), 1),
                padding(ctx.padding()),
                position(ctx.start));
    }

    @Override
    public StemItem.MaxPool visitMaxPoolLayer(ResNetParser.MaxPoolLayerContext ctx) {
        return new StemItem.MaxPool(
                dims(ctx.DIMS()), optionalNum(ctx.STRIDE(), 1), padding(ctx.padding()), position(ctx.start));
    }

    @Override
    public BlockStatement visitBlockStatement(ResNetParser.BlockStatementContext ctx) {
        return new BlockStatement(name(ctx.name()), options(ctx.option()), position(ctx.start));
    }

    @Override
    public ShortcutStatement visitShortcutStatement(ResNetParser.ShortcutStatementContext ctx) {
        return new ShortcutStatement(name(ctx.name()), position(ctx.start));
    }

    @Override
    public StageStatement visitStageStatement(ResNetParser.StageStatementContext ctx) {
        return new StageStatement(
                name(ctx.name()),
                num(ctx.INT().getSymbol(), 0),
                num(ctx.REPEAT().getSymbol(), 1),
                optionalNum(ctx.STRIDE(), 1),
                position(ctx.start));
    }

    @Override
    public HeadStatement visitHeadStatement(ResNetParser.HeadStatementContext ctx) {
        List<HeadItem> layers = new ArrayList<>();
        for (ResNetParser.HeadLayerContext layer : ctx.headBody().headLayer()) {
            layers.add((HeadItem) visit(layer));
        }
        return new HeadStatement(
                layers, position(ctx.start), position(ctx.RBRACE().getSymbol()));
    }

    @Override
    public HeadItem.AvgPool visitAvgPoolLayer(ResNetParser.AvgPoolLayerContext ctx) {
        return new HeadItem.AvgPool(position(ctx.start));
    }

    @Override
    public HeadItem.Fc visitFcClassesLayer(ResNetParser.FcClassesLayerContext ctx) {
        return new HeadItem.Fc(Optional.empty(), position(ctx.start));
    }

    @Override
    public HeadItem.Fc visitFcCountLayer(ResNetParser.FcCountLayerContext ctx) {
        return new HeadItem.Fc(Optional.of(num(ctx.INT().getSymbol(), 0)), position(ctx.start));
    }

    @Override
    public InitStatement visitInitStatement(ResNetParser.InitStatementContext ctx) {
        return new InitStatement(options(ctx.option()), position(ctx.start));
    }

    private List<Option> options(List<ResNetParser.OptionContext> contexts) {
        List<Option> options = new ArrayList<>();
        for (ResNetParser.OptionContext option : contexts) {
            Optional<OptionValue> value = Optional.empty();
            if (option.optionValue() instanceof ResNetParser.IntValueContext intValue) {
                value = Optional.of(num(intValue.INT().getSymbol(), 0));
            } else if (option.optionValue() instanceof ResNetParser.DimsValueContext dimsValue) {
                value = Optional.of(dims(dimsValue.DIMS()));
            }
            options.add(new Option(name(option.name()), value, position(option.start)));
        }
        return options;
    }

    private Optional<Num> padding(ResNetParser.PaddingContext ctx) {
        return ctx == null ? Optional.empty() : Optional.of(num(ctx.INT().getSymbol(), 0));
    }

    private Optional<Num> optionalNum(TerminalNode node, int prefixLength) {
        return node == null ? Optional.empty() : Optional.of(num(node.getSymbol(), prefixLength));
    }

    /** The number in {@code token}'s text after {@code prefixLength} characters ({@code x} or {@code /}). */
    private Num num(Token token, int prefixLength) {
        return new Num(new BigInteger(token.getText().substring(prefixLength)), position(token));
    }

    private Dims dims(TerminalNode node) {
        List<BigInteger> values = new ArrayList<>();
        for (String part : node.getText().split("x")) {
            values.add(new BigInteger(part));
        }
        return new Dims(values, position(node.getSymbol()));
    }

    private Name name(ResNetParser.NameContext ctx) {
        return new Name(ctx.getText(), position(ctx.start));
    }

    private String sourceText(ParserRuleContext ctx) {
        // The char stream counts code points, so take the text from it rather than from the String.
        return ctx.start.getInputStream().getText(Interval.of(ctx.start.getStartIndex(), ctx.stop.getStopIndex()));
    }

    private SourcePosition position(Token token) {
        return new SourcePosition(sourceName, token.getLine(), token.getCharPositionInLine() + 1);
    }
}
