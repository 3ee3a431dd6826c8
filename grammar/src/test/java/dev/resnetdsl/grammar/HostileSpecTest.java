package dev.resnetdsl.grammar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile spec files and imports, as an attacker or a careless user writes them: each row sets up files, compiles
 * one, and names the diagnostic it must get. Every row also checks that no byte of the secret file and no long run
 * of the hostile text reaches the output. The time guard is a hang detector (the quadratic parse took 97 s for a
 * 2 MB number), not a benchmark: every row takes well under a second.
 */
class HostileSpecTest {
    private static final String SECRET = "SECRET_TOKEN=hunter2";
    private static final String BASE =
            "model Base {\n  input 3x32x32\n  classes 10\n  stem { conv 3x3 16 }\n  block basic\n  shortcut A\n"
                    + "  stage a 16 x1\n}\n";

    @TempDir
    static Path tmp;

    /** A fresh folder per row: {@code root/specs/main.resnet} is compiled, {@code root/secret.txt} is a secret. */
    record Row(String name, Function<Path, String> setUp, String expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> rows() {
        return Stream.of(
                        new Row(
                                "import of the process environment",
                                specs -> "import \"/proc/self/environ\"\n" + BASE,
                                "1:1: cannot import \"/proc/self/environ\": only .resnet files can be imported"),
                        new Row(
                                "import of a secret outside the folder, by ../",
                                specs -> "import \"../secret.txt\"\n" + BASE,
                                "1:1: cannot import \"../secret.txt\": only .resnet files can be imported"),
                        new Row(
                                "import of a .resnet file outside the import root",
                                specs -> {
                                    write(specs.resolveSibling("outside.resnet"), SECRET + "\n");
                                    return "import \"../outside.resnet\"\n" + BASE;
                                },
                                "is outside the import root"),
                        new Row(
                                "a .resnet symlink to the secret",
                                specs -> {
                                    link(specs.resolve("link.resnet"), specs.resolveSibling("secret.txt"));
                                    return "import \"link.resnet\"\n" + BASE;
                                },
                                "is outside the import root"),
                        new Row(
                                "a .resnet symlink to /proc/self/environ",
                                specs -> {
                                    link(specs.resolve("env.resnet"), Path.of("/proc/self/environ"));
                                    return "import \"env.resnet\"\n" + BASE;
                                },
                                "is outside the import root"),
                        new Row(
                                "a .resnet symlink inside the root to a file of another kind",
                                specs -> {
                                    write(specs.resolve("notes.txt"), SECRET + "\n");
                                    link(specs.resolve("notes.resnet"), specs.resolve("notes.txt"));
                                    return "import \"notes.resnet\"\n" + BASE;
                                },
                                "links to a file whose name does not end in .resnet"),
                        new Row(
                                "a FIFO named like a spec (would block forever)",
                                specs -> {
                                    fifo(specs.resolve("pipe.resnet"));
                                    return "import \"pipe.resnet\"\n" + BASE;
                                },
                                "pipe.resnet is not a regular file"),
                        new Row(
                                "a folder named like a spec",
                                specs -> {
                                    mkdir(specs.resolve("dir.resnet"));
                                    return "import \"dir.resnet\"\n" + BASE;
                                },
                                "dir.resnet is not a regular file"),
                        new Row(
                                "an import larger than 1 MiB",
                                specs -> {
                                    write(specs.resolve("big.resnet"), "#" + "x".repeat(SpecSources.MAX_FILE_BYTES));
                                    return "import \"big.resnet\"\n" + BASE;
                                },
                                "big.resnet is larger than 1 MiB, the largest spec file read"),
                        new Row(
                                "an import that is not UTF-8",
                                specs -> {
                                    bytes(specs.resolve("latin1.resnet"), new byte[] {'#', (byte) 0xE9, '\n'});
                                    return "import \"latin1.resnet\"\n" + BASE;
                                },
                                "latin1.resnet is not UTF-8 text"),
                        new Row(
                                "a chain of 2,000 imports",
                                specs -> {
                                    for (int i = 1; i < 2000; i++) {
                                        write(
                                                specs.resolve("c" + i + ".resnet"),
                                                "import \"c" + (i + 1) + ".resnet\"\nmodel M" + i + " extends M"
                                                        + (i + 1) + " {}\n");
                                    }
                                    write(specs.resolve("c2000.resnet"), BASE.replace("Base", "M2000"));
                                    return "import \"c1.resnet\"\nmodel Top extends M1 {}\n";
                                },
                                "imports nest deeper than 64 files"),
                        new Row(
                                "a 2 MB number",
                                specs -> "model M {\n  classes " + "9".repeat(2_000_000) + "\n}\n",
                                "2:11: number '99999999999999999999999999999999…' is 2,000,000 characters long;"
                                        + " the limit is 256"),
                        new Row(
                                "a 2 MB name",
                                specs -> "model " + "N".repeat(2_000_000) + " {}\n",
                                "1:7: name 'NNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNN…' is 2,000,000 characters long;"
                                        + " the limit is 256"),
                        new Row(
                                "a 2 MB token in the wrong place",
                                specs -> "model M {\n  input " + "7".repeat(2_000_000) + "x" + "\n}\n",
                                "2:9: number '77777777777777777777777777777777…' is 2,000,000 characters long"),
                        new Row(
                                "an error on a 1 MB line",
                                specs -> "model M { input 3x32x32 % " + "#".repeat(1_000_000) + "\n}\n",
                                "1:25: unexpected character '%'"),
                        new Row("an empty file", specs -> "", "1:1: the file declares no model"),
                        new Row(
                                "only comments and blank lines",
                                specs -> "# nothing here\n\n",
                                "1:1: the file declares no model"),
                        new Row(
                                "an extends chain of 20,000 models in one file",
                                specs -> {
                                    StringBuilder text = new StringBuilder(BASE.replace("Base", "M0"));
                                    for (int i = 1; i <= 20_000; i++) {
                                        text.append("model M")
                                                .append(i)
                                                .append(" extends M")
                                                .append(i - 1);
                                        text.append(" {}\n");
                                    }
                                    return text.toString();
                                },
                                "264:7: more than 256 models in one file"))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void hostileSpecGetsOnePositionedErrorAndLeaksNothing(Row row) throws IOException {
        Path root = Files.createTempDirectory(tmp, "row");
        Path specs = Files.createDirectories(root.resolve("specs"));
        write(root.resolve("secret.txt"), SECRET + "\n");
        String text = row.setUp().apply(specs);
        // In memory, as the formatter and the Maven plugin's tests pass it: a root file past 1 MiB is refused
        // before parsing (rootSpecLargerThanTheLimitIsRefusedAfterReadingTheLimit).
        Compilation compilation = assertTimeoutPreemptively(
                Duration.ofSeconds(60), () -> SpecCompiler.compile("main.resnet", text, specs));
        String output = compilation.formatDiagnostics();
        String brief = compilation.diagnostics().stream()
                .map(d -> d.position().line() + ":" + d.position().column() + ": " + d.message())
                .collect(java.util.stream.Collectors.joining("\n"));
        assertTrue(compilation.hasErrors(), row.name() + " must be an error");
        assertTrue(brief.contains(row.expected()), () -> "expected '" + row.expected() + "' in:\n" + cut(brief));
        assertFalse(output.contains("hunter2"), "the secret leaked:\n" + cut(output));
        assertFalse(output.contains(System.getenv().getOrDefault("PATH", "PATH=")), "the environment leaked");
        assertFalse(output.contains("9".repeat(200)) || output.contains("N".repeat(200)), "echoed the whole token");
        assertFalse(output.contains("#".repeat(200)), "quoted the whole line");
        assertTrue(output.length() < 4000 + 200 * compilation.diagnostics().size(), "output of " + output.length());
    }

    @Test
    void rootSpecLargerThanTheLimitIsRefusedAfterReadingTheLimit() throws IOException {
        // /dev/zero never ends: reading it whole would exhaust the heap.
        Path zero = Path.of("/dev/zero");
        IOException e = assertThrows(IOException.class, () -> SpecCompiler.compile(zero));
        assertEquals("/dev/zero is larger than 1 MiB, the largest spec file read (is it a spec?)", e.getMessage());
    }

    @Test
    void aSpecMayImportAcrossFoldersInsideAWiderImportRoot() throws IOException {
        Path root = Files.createTempDirectory(tmp, "wide");
        write(root.resolve("lib/base.resnet"), BASE);
        Path user = root.resolve("nets/user.resnet");
        write(user, "import \"../lib/base.resnet\"\nmodel User extends Base { classes 3 }\n");
        assertTrue(
                SpecCompiler.compile(user).formatDiagnostics().contains("is outside the import root"),
                "by default the root is the spec's folder");
        Compilation compilation = SpecCompiler.compile(user, root);
        assertEquals("", compilation.formatDiagnostics());
        assertEquals(
                java.util.List.of(user, root.resolve("nets/../lib/base.resnet").normalize()), compilation.files());
    }

    private static String cut(String text) {
        return text.length() > 2000 ? text.substring(0, 2000) + "…" : text;
    }

    private static void write(Path file, String text) {
        bytes(file, text.getBytes(StandardCharsets.UTF_8));
    }

    private static void bytes(Path file, byte[] content) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, content);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void link(Path link, Path target) {
        try {
            Files.createSymbolicLink(link, target);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void mkdir(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void fifo(Path path) {
        try {
            Process p =
                    new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
            assertEquals(0, p.waitFor(), "mkfifo");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
