package dev.resnetdsl.grammar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resnetdsl.grammar.spec.ModelSpec;
import dev.resnetdsl.grammar.spec.StageSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code import} and {@code extends}: resolution, override rules, cycles and their messages. */
class ImportTest {
    private static final String BASE =
            """
            model Base {
              input 3x32x32
              classes 10
              stem { conv 3x3 16 }
              block basic
              shortcut A
              stage a 16 x1
              stage b 32 x1 /2
            }
            """;

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        return file;
    }

    @Test
    void extendsAnImportedModelAndOverridesStagesInPlaceOrAppends() throws IOException {
        write("lib/base.resnet", BASE);
        Path derived = write(
                "nets/derived.resnet",
                """
                import "../lib/base.resnet"

                model Derived extends Base {
                  stage a 16 x3
                  stage c 64 x2 /2
                  classes 100
                }
                """);
        Compilation compilation = SpecCompiler.compile(derived, dir);
        assertEquals("", compilation.formatDiagnostics());
        assertEquals(1, compilation.models().size(), "imported models are not this file's models");
        ModelSpec spec = compilation.models().get(0);
        assertEquals("Derived", spec.name());
        assertEquals(100, spec.classes());
        assertEquals(
                List.of("a:layer1:3", "b:layer2:1", "c:layer3:2"),
                spec.stages().stream()
                        .map(s -> s.name() + ":" + s.prefix() + ":" + s.repeats())
                        .collect(Collectors.toList()));
        assertEquals(derived.toString(), spec.sourceFile());
        assertTrue(spec.sourceText().startsWith("model Derived extends Base {"), spec.sourceText());
        assertTrue(spec.sourceText().endsWith("}"), spec.sourceText());
        assertTrue(!spec.sourceText().contains("import"), "sourceText is the model's own declaration");
    }

    @Test
    void extendsAModelOfTheSameFileDeclaredLater() {
        String text = "model Small extends Base { stage b 32 x2 /2 }\n" + BASE;
        Compilation compilation = SpecCompiler.compile("same.resnet", text, null);
        assertEquals("", compilation.formatDiagnostics());
        assertEquals(
                List.of("Small", "Base"),
                compilation.models().stream().map(ModelSpec::name).collect(Collectors.toList()));
        StageSpec b = compilation.models().get(0).stages().get(1);
        assertEquals(2, b.blocks().size());
    }

    @Test
    void importCycleIsAnErrorAtTheImportThatClosesIt() throws IOException {
        Path a = write("a.resnet", "import \"b.resnet\"\n" + BASE);
        write("b.resnet", "import \"a.resnet\"\nmodel B extends Base { classes 5 }\n");
        Compilation compilation = SpecCompiler.compile(a);
        String b = dir.resolve("b.resnet").toString();
        assertEquals(
                List.of(
                        a + ":1:1: imported file " + b + " has errors",
                        b + ":1:1: import cycle: " + a + " -> " + b + " -> " + a,
                        // The cycle hides a's models from b.
                        b + ":2:17: unknown model 'Base' in extends"),
                full(compilation));
        assertTrue(compilation.models().isEmpty());
    }

    @Test
    void fileImportingItselfIsACycle() throws IOException {
        Path a = write("self.resnet", "import \"self.resnet\"\n" + BASE);
        Compilation compilation = SpecCompiler.compile(a);
        assertEquals(List.of(a + ":1:1: import cycle: " + a + " -> " + a), full(compilation));
    }

    @Test
    void extendsCycleWithinAFileIsAnError() {
        String text = "model A extends B { classes 3 }\nmodel B extends A { classes 4 }\n";
        Compilation compilation = SpecCompiler.compile("cycle.resnet", text, null);
        assertEquals(
                List.of(
                        "1:17: models extend each other in a cycle: B -> A -> B",
                        "2:17: models extend each other in a cycle: A -> B -> A"),
                DiagnosticFormatTest.brief(compilation));
    }

    @Test
    void missingImportedFileIsAPositionedError() throws IOException {
        Path a = write("m.resnet", "\nimport \"nowhere.resnet\"\n" + BASE);
        Compilation compilation = SpecCompiler.compile(a);
        assertEquals(
                List.of(a + ":2:1: cannot import \"nowhere.resnet\": no such file " + dir.resolve("nowhere.resnet")),
                full(compilation));
    }

    @Test
    void importWithoutABaseDirectoryIsAnError() {
        Compilation compilation = SpecCompiler.compile("<stdin>", "import \"x.resnet\"\n" + BASE, null);
        assertEquals(
                List.of("1:1: cannot import \"x.resnet\": this text has no directory to resolve it against"),
                DiagnosticFormatTest.brief(compilation));
    }

    @Test
    void importAfterAModelIsAnError() throws IOException {
        write("lib.resnet", "model Other extends Base { classes 2 }\n" + BASE);
        Compilation compilation = SpecCompiler.compile("late.resnet", "model X { }\nimport \"lib.resnet\"\n", dir);
        assertEquals(
                "1:7: model 'X' has no input statement (for example: input 3x224x224)",
                DiagnosticFormatTest.brief(compilation).get(0));
        assertTrue(
                DiagnosticFormatTest.brief(compilation).contains("2:1: imports must come before the first model"),
                compilation.formatDiagnostics());
    }

    @Test
    void modelDeclaredAgainAfterImportIsADuplicate() throws IOException {
        write("lib.resnet", BASE);
        Compilation compilation = SpecCompiler.compile("dup.resnet", "import \"lib.resnet\"\n" + BASE, dir);
        assertEquals(
                List.of("2:7: duplicate model name 'Base': an imported file (" + dir.resolve("lib.resnet")
                        + ") already declares it"),
                DiagnosticFormatTest.brief(compilation));
    }

    @Test
    void errorsOfAnImportedFileAreReportedWithTheirOwnFile() throws IOException {
        Path lib = write("broken.resnet", "model Broken {\n  input 3x32x32 %\n}\n");
        Compilation compilation = SpecCompiler.compile(
                "user.resnet", "import \"broken.resnet\"\nmodel U extends Broken { classes 2 }\n", dir);
        assertEquals(
                List.of(
                        "user.resnet:1:1: imported file " + lib + " has errors",
                        lib + ":2:17: unexpected character '%'",
                        "user.resnet:2:17: unknown model 'Broken' in extends"),
                full(compilation));
    }

    @Test
    void errorInAnInheritedStatementPointsIntoTheBaseFileAndNamesTheModel() throws IOException {
        Path base = write("base.resnet", BASE);
        Compilation compilation = SpecCompiler.compile(
                "tiny.resnet", "import \"base.resnet\"\nmodel Tiny extends Base {\n  input 3x1x1\n}\n", dir);
        assertEquals(
                base + ":8:3: error: spatial size collapses below 1 pixel at stage 'b': its 1x1 input cannot be"
                        + " downsampled by stride 2 (in model 'Tiny')\n"
                        + "  stage b 32 x1 /2\n"
                        + "  ^\n",
                compilation.formatDiagnostics());
    }

    @Test
    void sameModelNameFromTwoImportsIsAnError() throws IOException {
        Path one = write("one.resnet", BASE);
        Path two = write("two.resnet", BASE);
        Compilation compilation = SpecCompiler.compile(
                "both.resnet",
                "import \"one.resnet\"\nimport \"two.resnet\"\nmodel X extends Base { classes 3 }\n",
                dir);
        assertEquals(
                List.of("both.resnet:2:1: model 'Base' is declared both in " + one + " and in " + two),
                full(compilation));
    }

    @Test
    void diamondImportsCompileEachFileOnce() throws IOException {
        write("base.resnet", BASE);
        write("left.resnet", "import \"base.resnet\"\nmodel Left extends Base { classes 3 }\n");
        write("right.resnet", "import \"base.resnet\"\nmodel Right extends Base { classes 4 }\n");
        Path top = write(
                "top.resnet",
                "import \"left.resnet\"\nimport \"right.resnet\"\nmodel Top extends Right { classes 7 }\n");
        Compilation compilation = SpecCompiler.compile(top);
        assertEquals("", compilation.formatDiagnostics());
        assertEquals(7, compilation.models().get(0).classes());
    }

    private static List<String> full(Compilation compilation) {
        return compilation.diagnostics().stream()
                .map(d -> d.position() + ": " + d.message())
                .collect(Collectors.toList());
    }
}
