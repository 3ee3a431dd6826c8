package dev.resnetdsl.generator.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resnetdsl.generator.testing.InMemoryJavac;
import dev.resnetdsl.grammar.spec.ModelSpec;
import dev.resnetdsl.grammar.testing.TestSpecs;
import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Whatever a user writes in a spec or an option must not produce uncompilable or injected Java. */
class HostileInputTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "class",
                "int",
                "var",
                "record",
                "yield",
                "_",
                "3Net",
                "Res-Net",
                "Res Net",
                "ResNet;",
                "Net$1",
                "Résnet",
                "A\u202eB",
                "",
                "x\ninjected"
            })
    void modelNamesThatCannotBeClassNamesAreRejected(String name) {
        ModelSpec spec = renamed(TestSpecs.cifarResnet20(), name);
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new ModelClassGenerator().generate(spec, "a.b"));
        assertTrue(e.getMessage().startsWith("model name '"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one-line message: " + e.getMessage());
    }

    /** Issue 11, item 12: a model named String broke every other class generated into its package. */
    @ParameterizedTest
    @ValueSource(strings = {"String", "Integer", "Math", "Object", "Override", "System"})
    void javaLangNamesAreRefusedBecauseTheyWouldHideJavaLangFromSiblingClasses(String name) {
        ModelSpec spec = renamed(TestSpecs.cifarResnet20(), name);
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new ModelClassGenerator().generate(spec, "a.b"));
        assertTrue(e.getMessage().contains("java.lang." + name), e.getMessage());
    }

    /** Names of other packages' types are safe: generated classes import them by single-type imports. */
    @Test
    void siblingsNamedLikeImportedTypesCompileTogether() throws Exception {
        List<ModelSpec> specs = List.of(
                renamed(TestSpecs.cifarResnet20(), "List"),
                renamed(TestSpecs.cifarResnet20(), "Network"),
                renamed(TestSpecs.cifarResnet20(), "Generated"),
                TestSpecs.cifarResnet20());
        List<GeneratedClass> classes = new ModelClassGenerator().generateAll(specs, "com.example.clash");
        ClassLoader loader = InMemoryJavac.compile(classes);
        for (GeneratedClass generated : classes) {
            assertTrue(loader.loadClass(generated.qualifiedName()).getMethod("network") != null);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a..b", ".a", "a.", "com.example.class", "1abc", "a-b", "java.models", "a b", "a;b"})
    void invalidPackageNamesAreRejected(String packageName) {
        assertThrows(IllegalArgumentException.class, () -> new ModelClassGenerator()
                .generate(TestSpecs.cifarResnet20(), packageName));
    }

    @Test
    void specTextCannotEscapeTheJavadocOrTheStringConstant() throws Exception {
        String evil = "# a comment that ends the javadoc */ public static int INJECTED = 1; /*\n"
                + "# \\u002a/ public static int INJECTED2 = 2; /* (a unicode escape of */)\n"
                + "# \"quotes\", {@code tags}, @Deprecated @param x, <b>html</b> & \\ backslash \\\\u0022\n"
                + "# control: \u0000 \u0007 \r bare CR, and non-ASCII: 3\u00d7224\u00d7224 \ud83d\ude00\n"
                + "model ResNet20 { }\n";
        ModelSpec spec = withSource(TestSpecs.cifarResnet20(), evil, "dir/evil */ \"path\\u000a.resnet");
        GeneratedClass generated = new ModelClassGenerator().generate(spec, "com.example");
        assertTrue(
                generated.source().contains(" * # a comment that ends the javadoc *&#47; public"), "javadoc quotes it");
        assertTrue(generated.source().chars().allMatch(c -> c < 0x80), "pure ASCII");

        Class<?> type = InMemoryJavac.compile(List.of(generated)).loadClass("com.example.ResNet20");
        List<String> fields =
                Arrays.stream(type.getDeclaredFields()).map(Field::getName).toList();
        assertFalse(fields.contains("INJECTED"), fields.toString());
        assertFalse(fields.contains("INJECTED2"), fields.toString());
        assertEquals(evil, type.getField("SPEC_SOURCE").get(null), "the constant keeps the text exactly");
    }

    @Test
    void javadocEscapingNeutralisesCommentEnds() {
        assertEquals("a *&#47; b", JavaText.javadoc("a */ b"));
        assertEquals("&#92;u002a/", JavaText.javadoc("\\u002a/"));
        assertEquals("{&#64;code x} &lt;b&gt; &amp;", JavaText.javadoc("{@code x} <b> &"));
        assertEquals("a\nb\nc", JavaText.javadoc("a\r\nb\rc"));
        assertEquals("3&#215;3 &#128512;", JavaText.javadoc("3\u00d73 \ud83d\ude00"));
    }

    @Test
    void stringLiteralsAreAsciiAndNeverUseUnicodeEscapesForControlCharacters() {
        assertEquals("\"a\\\"b\\\\c\\n\\r\\t\\000\\u00d7\"", JavaText.stringLiteral("a\"b\\c\n\r\t\u0000\u00d7"));
    }

    @Test
    void modelsWhoseNamesDifferOnlyInCaseAreRefused() {
        ModelSpec a = TestSpecs.cifarResnet20();
        ModelSpec b = renamed(a, "RESNET20");
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> new ModelClassGenerator().generateAll(List.of(a, b), "p"));
        assertTrue(e.getMessage().contains("ResNet20") && e.getMessage().contains("RESNET20"), e.getMessage());
    }

    @Test
    void modelNamedLikeARuntimeTypeStillCompiles() throws Exception {
        for (String name : List.of("Network", "NetworkBuilder", "Activation", "InitPolicy", "Generated")) {
            GeneratedClass generated =
                    new ModelClassGenerator().generate(renamed(TestSpecs.cifarResnet20(), name), "p");
            InMemoryJavac.compile(List.of(generated));
        }
    }

    private static ModelSpec renamed(ModelSpec s, String name) {
        return new ModelSpec(
                name,
                s.sourceFile(),
                s.sourceText(),
                s.input(),
                s.classes(),
                s.stem(),
                s.block(),
                s.shortcut(),
                s.stages(),
                s.head(),
                s.init(),
                s.layers(),
                s.params(),
                s.macs());
    }

    private static ModelSpec withSource(ModelSpec s, String text, String file) {
        return new ModelSpec(
                s.name(),
                file,
                text,
                s.input(),
                s.classes(),
                s.stem(),
                s.block(),
                s.shortcut(),
                s.stages(),
                s.head(),
                s.init(),
                s.layers(),
                s.params(),
                s.macs());
    }
}
