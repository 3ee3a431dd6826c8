package dev.resnetdsl.grammar.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resnetdsl.grammar.RepoRoot;
import dev.resnetdsl.grammar.ast.SpecFile;
import dev.resnetdsl.grammar.parse.ParseResult;
import dev.resnetdsl.grammar.parse.SpecParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Round trips: text → AST → formatted text → AST is the same tree, and formatting is idempotent. */
class SpecFormatterTest {
    static Stream<String> specFiles() throws IOException {
        Path specs = RepoRoot.get().resolve("specs");
        try (Stream<Path> walk = Files.walk(specs)) {
            List<String> files = walk.filter(p -> p.toString().endsWith(".resnet"))
                    .map(p -> RepoRoot.get().relativize(p).toString())
                    .sorted()
                    .collect(Collectors.toList());
            assertFalse(files.isEmpty(), "no spec files under " + specs);
            return files.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("specFiles")
    void specLibraryRoundTrips(String file) throws IOException {
        String text = Files.readString(RepoRoot.get().resolve(file));
        assertRoundTrip(file, text);
        // The library itself is kept in canonical form.
        assertEquals(text, SpecFormatter.format(file, text).text(), file + " is not in canonical form");
    }

    @Test
    void messySpecRoundTripsAndKeepsEveryComment() throws IOException {
        String text = resource("format/messy.resnet");
        String formatted = assertRoundTrip("messy.resnet", text);
        assertNotEquals(text, formatted);
        assertEquals(comments(text), comments(formatted));
        assertEquals(
                """
                # header comment

                import "a.resnet"  # why
                import "b.resnet"

                # about A
                model A extends B {
                  input 3x32x32
                  classes 10  # ten
                  stem {
                    conv 3x3 16 /1 pad 1
                    maxpool 3x3
                  }  # inline stem

                  # blocks
                  block bottleneck groups 32 width_per_group 4 stride_on 1x1
                  stage s1 16 x3
                  stage s2 32 x3 /2  # down
                  head {
                    avgpool
                    fc 10
                  }
                  init seed 7 zero_last_bn fan_in
                  # trailing inside
                }  # after brace

                model C {}

                model D {}
                # end
                """,
                formatted);
    }

    @Test
    void comparisonIgnoresPositionsButSeesEveryOtherDifference() {
        SpecFile a =
                SpecParser.parse("a", "model A {\n  stage s 16 x3\n}\n").file().orElseThrow();
        SpecFile moved = SpecParser.parse("a", "\n\nmodel A {   stage s 16 x3 }\n")
                .file()
                .orElseThrow();
        SpecFile wider =
                SpecParser.parse("a", "model A {\n  stage s 32 x3\n}\n").file().orElseThrow();
        assertEquals("", AstComparison.difference(a, moved, "file"));
        assertEquals(
                "file.declarations[0].statements[0].width.value: 16 vs 32", AstComparison.difference(a, wider, "file"));
    }

    @Test
    void windowsLineEndsAndByteOrderMarkBecomePlainLines() {
        Formatting result = SpecFormatter.format("w.resnet", "\uFEFFmodel A {\r\n  classes 10 # ten\r\n}\r\n");
        assertEquals("model A {\n  classes 10  # ten\n}\n", result.text());
    }

    @Test
    void textWithSyntaxErrorsIsReturnedUnchangedWithTheErrors() {
        String text = "model A {\n  input 3x32x32 %\n}\n";
        Formatting result = SpecFormatter.format("bad.resnet", text);
        assertEquals(text, result.text());
        assertTrue(result.hasErrors());
        assertEquals(
                "bad.resnet:2:17: error: unexpected character '%'",
                result.diagnostics().get(0).format().lines().findFirst().orElseThrow());
    }

    private static String assertRoundTrip(String name, String text) {
        ParseResult first = SpecParser.parse(name, text);
        assertTrue(first.diagnostics().isEmpty(), name + ": " + first.diagnostics());
        Formatting formatted = SpecFormatter.format(name, text);
        assertTrue(formatted.diagnostics().isEmpty(), name);
        ParseResult second = SpecParser.parse(name, formatted.text());
        assertTrue(second.diagnostics().isEmpty(), name + " after formatting:\n" + formatted.text());
        SpecFile before = first.file().orElseThrow();
        SpecFile after = second.file().orElseThrow();
        assertEquals("", AstComparison.difference(before, after, "file"), name + ":\n" + formatted.text());
        assertEquals(
                formatted.text(), SpecFormatter.format(name, formatted.text()).text(), name + " is not idempotent");
        return formatted.text();
    }

    private static List<String> comments(String text) {
        List<String> comments = new ArrayList<>();
        for (String line : text.split("\n")) {
            int hash = line.indexOf('#');
            if (hash >= 0) {
                comments.add(line.substring(hash).strip());
            }
        }
        return comments;
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = SpecFormatterTest.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("missing test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
