package dev.resnetdsl.grammar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resnetdsl.grammar.spec.SourcePosition;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The error format, several errors per run, and absurd sizes refused without allocating. */
class DiagnosticFormatTest {
    @Test
    void formatIsFileLineColumnMessageThenSourceLineThenCaret() {
        Compilation compilation = SpecCompiler.compile(
                "specs/bad.resnet", BadSpecTest.replaceLines(BadSpecTest.VALID, "10=  stage s2 32 x3 /3"), null);
        assertEquals(
                """
                specs/bad.resnet:10:18: error: stride must be 1 or 2, found 3
                  stage s2 32 x3 /3
                                 ^
                """,
                compilation.formatDiagnostics());
    }

    @Test
    void caretLineKeepsTabsSoItLinesUpInATerminal() {
        Diagnostic d = Diagnostic.error(new SourcePosition("f.resnet", 1, 4), "boom", SourceLines.of("\t\tx %\n"));
        assertEquals("f.resnet:1:4: error: boom\n\t\tx %\n\t\t ^", d.format());
    }

    @Test
    void withoutSourceTextOnlyTheFirstLineIsPrinted() {
        Diagnostic d = Diagnostic.error(new SourcePosition("gone.resnet", 3, 1), "cannot read", null);
        assertEquals("gone.resnet:3:1: error: cannot read", d.format());
    }

    @Test
    void byteOrderMarkAndCrLfLineEndsDoNotShiftPositions() {
        Compilation compilation =
                SpecCompiler.compile("win.resnet", "\uFEFFmodel A {\r\n  input 3x32x32 %\r\n}\r\n", null);
        assertEquals(
                "win.resnet:2:17: error: unexpected character '%'\n  input 3x32x32 %\n                ^\n",
                compilation.formatDiagnostics());
    }

    @Test
    void everySyntaxErrorOfAFileIsReportedInOneRun() {
        String text =
                """
                model Net {
                  input 3x32x32 %
                  classes ten
                  stem { conv 3x3 /2 }
                  block basic
                  stage s1 16 /2
                  frobnicate
                }
                """;
        Compilation compilation = SpecCompiler.compile("net.resnet", text, null);
        assertEquals(
                List.of(
                        "2:17: unexpected character '%'",
                        "3:11: expected a number, found 'ten'",
                        "4:19: expected a number, found '/2'",
                        "6:15: expected a repeat count like x3, found '/2'",
                        "7:3: expected a statement (input, classes, stem, block, shortcut, stage, head or init) or '}',"
                                + " found 'frobnicate'"),
                brief(compilation));
        assertTrue(compilation.models().isEmpty());
    }

    @Test
    void everySemanticErrorOfAFileIsReportedInOneRun() {
        String text =
                """
                model A {
                  input 3x32x32
                  stem { conv 3x3 16 }
                  block basic
                  init seed
                  shortcut identity
                  stage s1 16 x3
                  stage s2 32 x3 /2
                  stage s2 64 x3 /2
                }
                model B extends Missing { classes 10 }
                model A { }
                """;
        Compilation compilation = SpecCompiler.compile("two.resnet", text, null);
        assertEquals(
                List.of(
                        "1:7: model 'A' has no classes statement (for example: classes 1000)",
                        "5:8: init option 'seed' needs a number, like seed 42",
                        "8:3: identity shortcut cannot change the shape: block 1 of stage 's2' goes from 16x32x32 to"
                                + " 32x16x16 (use shortcut A or B)",
                        "9:9: duplicate stage name 's2' (first used at line 8)",
                        "11:17: unknown model 'Missing' in extends; known models: A",
                        "12:7: duplicate model name 'A' (first declared at line 1)"),
                brief(compilation));
    }

    @Test
    void repeatCountOfOneBillionIsRefusedWithAMessage() {
        Compilation compilation = SpecCompiler.compile(
                "huge.resnet", BadSpecTest.replaceLines(BadSpecTest.VALID, "9=  stage s1 16 x1000000000"), null);
        assertEquals(List.of("9:15: repeat count 1000000000 is past the limit of 1000"), brief(compilation));
    }

    @Test
    void widthOfOneBillionIsRefusedWithAMessage() {
        Compilation compilation = SpecCompiler.compile(
                "huge.resnet", BadSpecTest.replaceLines(BadSpecTest.VALID, "9=  stage s1 1000000000 x3"), null);
        assertEquals(List.of("9:12: stage width 1000000000 is past the limit of 16384"), brief(compilation));
    }

    @Test
    void theLargestBlockCountTheLimitsAllowCompiles() {
        // 5 stages of 1000 blocks: exactly MAX_TOTAL_BLOCKS, so valid.
        String text = BadSpecTest.replaceLines(
                BadSpecTest.VALID,
                "9=  stage s1 16 x1000; 10=  stage s2 16 x1000; 11=  stage s3 16 x1000; 12=  stage s4 16 x1000; "
                        + "13=  stage s5 16 x1000; 14=}");
        Compilation compilation = SpecCompiler.compile("big.resnet", text, null);
        assertEquals("", compilation.formatDiagnostics());
        assertEquals(
                5000,
                compilation.models().get(0).stages().stream()
                        .mapToInt(s -> s.blocks().size())
                        .sum());
    }

    /** Found by fuzzing: ANTLR counted lines at '\n' only, so after a lone '\r' positions and quotes disagreed. */
    @Test
    void loneCarriageReturnsEndLinesForPositionsAndQuotes() {
        String text = "model Net {\r  input 3x32x32 %\r}\r";
        Compilation compilation = SpecCompiler.compile("cr.resnet", text, null);
        assertEquals(List.of("2:17: unexpected character '%'"), brief(compilation));
        assertEquals(
                "cr.resnet:2:17: error: unexpected character '%'\n  input 3x32x32 %\n                ^",
                compilation.diagnostics().get(0).format());
    }

    /** Found by fuzzing: a column past the line's end printed a run of spaces as long as the column. */
    @Test
    void aCaretPastTheEndOfTheLineStopsJustAfterIt() {
        Diagnostic d =
                new Diagnostic(Severity.ERROR, new dev.resnetdsl.grammar.spec.SourcePosition("f", 1, 5000), "m", "abc");
        assertEquals("f:1:5000: error: m\nabc\n   ^", d.format());
    }

    static List<String> brief(Compilation compilation) {
        return compilation.diagnostics().stream()
                .map(d -> d.position().line() + ":" + d.position().column() + ": " + d.message())
                .collect(Collectors.toList());
    }
}
