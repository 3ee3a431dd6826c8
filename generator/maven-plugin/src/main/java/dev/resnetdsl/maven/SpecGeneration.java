package dev.resnetdsl.maven;

import dev.resnetdsl.generator.GeneratorVersion;
import dev.resnetdsl.generator.codegen.GeneratedClass;
import dev.resnetdsl.generator.codegen.JavaNames;
import dev.resnetdsl.generator.codegen.ModelClassGenerator;
import dev.resnetdsl.grammar.Compilation;
import dev.resnetdsl.grammar.Diagnostic;
import dev.resnetdsl.grammar.Severity;
import dev.resnetdsl.grammar.SpecCompiler;
import dev.resnetdsl.grammar.SpecSources;
import dev.resnetdsl.grammar.spec.ModelSpec;
import dev.resnetdsl.runtime.io.AtomicFiles;
import dev.resnetdsl.runtime.net.NetworkMetadata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The work behind the plugin's goals, free of Maven types so that it can be tested directly: find the
 * {@code .resnet} files, decide whether anything changed, compile them, and write one class per model.
 *
 * <p>Stale check: a SHA-256 over the generator (version and jar), the options and every input file (relative
 * path and content) is stored with the list of generated files in {@value #STATE_FILE} in the output directory,
 * together with the hash of every file the specs imported (wherever it lies inside the import root). When both
 * match and every listed file still exists, nothing is compiled or written.
 *
 * <p>Ownership: the run replaces only files it generated — listed in the state file, or carrying its
 * {@code @Generated} marker — so an output directory pointed at hand-written sources fails instead of
 * overwriting them.
 */
final class SpecGeneration {
    /** The state file kept in the output directory. */
    static final String STATE_FILE = ".resnet-generation.state";

    private static final String FINGERPRINT_PREFIX = "fingerprint ";
    private static final String IMPORT_PREFIX = "import ";

    /** What a run did. */
    enum Outcome {
        UP_TO_DATE,
        GENERATED,
        NO_SOURCES
    }

    /**
     * The result of a run.
     *
     * @param outcome what happened
     * @param specFiles the {@code .resnet} files found
     * @param classes the files below the output directory that the run wrote or confirmed
     * @param warnings formatted warning diagnostics, to be logged
     */
    record Result(Outcome outcome, List<Path> specFiles, List<Path> classes, List<String> warnings) {}

    /** The specs had errors; {@link #diagnostics()} are formatted {@code file:line:col: error: message} blocks. */
    static final class SpecErrors extends Exception {
        private static final long serialVersionUID = 1L;
        private final List<String> diagnostics;

        SpecErrors(List<String> diagnostics) {
            super(diagnostics.size() + " error" + (diagnostics.size() == 1 ? "" : "s") + " in .resnet files");
            this.diagnostics = List.copyOf(diagnostics);
        }

        List<String> diagnostics() {
            return diagnostics;
        }
    }

    private final Path baseDirectory;
    private final Path sourceDirectory;
    private final Path outputDirectory;
    private final String packageName;
    private final boolean failOnWarnings;
    private final Path importRoot;

    /**
     * @param baseDirectory the project directory; spec paths in diagnostics and {@code @Generated} are relative
     *     to it, so generated code does not depend on where the project is checked out
     * @param sourceDirectory where the {@code .resnet} files are (searched recursively)
     * @param outputDirectory the generated-sources root
     * @param packageName package of every generated class, or null/empty to derive it from each file's folder
     *     below {@code sourceDirectory}
     */
    SpecGeneration(Path baseDirectory, Path sourceDirectory, Path outputDirectory, String packageName) {
        this(baseDirectory, sourceDirectory, outputDirectory, packageName, true, baseDirectory);
    }

    /**
     * @param failOnWarnings whether a warning fails the run like an error (the plugin's default)
     * @param importRoot the folder every import must lie in (the plugin's default: the project directory)
     */
    SpecGeneration(
            Path baseDirectory,
            Path sourceDirectory,
            Path outputDirectory,
            String packageName,
            boolean failOnWarnings,
            Path importRoot) {
        this.failOnWarnings = failOnWarnings;
        this.importRoot = importRoot.toAbsolutePath().normalize();
        this.baseDirectory = baseDirectory.toAbsolutePath().normalize();
        this.sourceDirectory = sourceDirectory.toAbsolutePath().normalize();
        this.outputDirectory = outputDirectory.toAbsolutePath().normalize();
        this.packageName = packageName == null ? "" : packageName.strip();
    }

    Result run() throws IOException, SpecErrors {
        if (!packageName.isEmpty()) {
            checkPackage(packageName, "packageName");
        }
        List<Path> specs = specFiles();
        if (specs.isEmpty()) {
            return new Result(Outcome.NO_SOURCES, specs, List.of(), List.of());
        }
        String fingerprint = fingerprint(specs);
        Path stateFile = outputDirectory.resolve(STATE_FILE);
        List<Path> previous = readState(stateFile, fingerprint);
        if (previous != null
                && previous.stream().allMatch(p -> Files.isRegularFile(outputDirectory.resolve(p)))
                && importsUnchanged(stateFile)) {
            return new Result(Outcome.UP_TO_DATE, specs, previous, List.of());
        }

        List<String> errors = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        Map<String, List<ModelSpec>> modelsByPackage = new LinkedHashMap<>();
        Set<Path> imports = new java.util.TreeSet<>();
        for (Path spec : specs) {
            Compilation compilation =
                    SpecCompiler.compile(displayName(spec), SpecSources.read(spec), spec.getParent(), importRoot);
            for (Path file : compilation.files()) {
                Path absolute = file.toAbsolutePath().normalize();
                if (!specs.contains(absolute)) {
                    imports.add(absolute);
                }
            }
            for (Diagnostic d : compilation.diagnostics()) {
                (d.severity() == Severity.ERROR || failOnWarnings ? errors : warnings).add(d.format());
            }
            if (!compilation.hasErrors()) {
                modelsByPackage
                        .computeIfAbsent(packageOf(spec), k -> new ArrayList<>())
                        .addAll(compilation.models());
            }
        }
        if (!errors.isEmpty()) {
            throw new SpecErrors(errors);
        }

        List<GeneratedClass> classes = new ArrayList<>();
        ModelClassGenerator generator = new ModelClassGenerator();
        for (Map.Entry<String, List<ModelSpec>> entry : modelsByPackage.entrySet()) {
            try {
                classes.addAll(generator.generateAll(entry.getValue(), entry.getKey()));
            } catch (IllegalArgumentException e) {
                throw new SpecErrors(List.of(e.getMessage()));
            }
        }
        if (previous == null) {
            previous = readState(stateFile, null);
        }
        Set<Path> owned = previous == null ? Set.of() : Set.copyOf(previous);
        for (GeneratedClass c : classes) {
            requireOwned(outputDirectory.resolve(c.relativePath()), c.relativePath(), owned);
        }
        List<Path> written = new ArrayList<>();
        for (GeneratedClass c : classes) {
            Path target = outputDirectory.resolve(c.relativePath());
            // Unchanged files keep their timestamp, so incremental compilers and IDEs see no change.
            if (!Files.isRegularFile(target) || !Arrays.equals(Files.readAllBytes(target), c.bytes())) {
                AtomicFiles.write(target, c.bytes());
            }
            written.add(c.relativePath());
        }
        if (previous != null) {
            Set<Path> current = new LinkedHashSet<>(written);
            for (Path old : previous) {
                if (!current.contains(old)) {
                    Files.deleteIfExists(outputDirectory.resolve(old));
                }
            }
        }
        StringBuilder state =
                new StringBuilder(FINGERPRINT_PREFIX).append(fingerprint).append('\n');
        for (Path p : written) {
            state.append(p.toString().replace('\\', '/')).append('\n');
        }
        for (Path imported : imports) {
            state.append(IMPORT_PREFIX)
                    .append(NetworkMetadata.sha256(Files.readAllBytes(imported)))
                    .append(' ')
                    .append(imported)
                    .append('\n');
        }
        AtomicFiles.writeString(stateFile, state.toString());
        return new Result(Outcome.GENERATED, specs, written, warnings);
    }

    /**
     * Refuses to replace {@code target} unless this plugin wrote it: listed in the last state file, or carrying
     * the generator's {@code @Generated} marker. A hand-written class of the same name stays untouched.
     */
    private void requireOwned(Path target, Path relative, Set<Path> owned) throws IOException {
        if (!Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS) || owned.contains(relative)) {
            return;
        }
        if (Files.isRegularFile(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                && Files.size(target) < (4 << 20)
                && Files.readString(target, StandardCharsets.UTF_8)
                        .contains("value = \"" + ModelClassGenerator.GENERATOR_NAME + "\"")) {
            return;
        }
        throw new IOException(displayName(target) + " exists and was not generated by the resnet plugin; refusing to"
                + " overwrite it (does the output directory point into hand-written sources? the default is"
                + " target/generated-sources/resnet)");
    }

    /** Whether every file the last generation imported still has the content it had then. */
    private static boolean importsUnchanged(Path stateFile) throws IOException {
        for (String line : Files.readAllLines(stateFile, StandardCharsets.UTF_8)) {
            if (!line.startsWith(IMPORT_PREFIX)) {
                continue;
            }
            String[] parts = line.substring(IMPORT_PREFIX.length()).split(" ", 2);
            if (parts.length != 2) {
                return false;
            }
            Path file = Path.of(parts[1]);
            if (!Files.isRegularFile(file) || !parts[0].equals(NetworkMetadata.sha256(Files.readAllBytes(file)))) {
                return false;
            }
        }
        return true;
    }

    /** The {@code .resnet} files below the source directory, in a stable order. */
    List<Path> specFiles() throws IOException {
        if (!Files.isDirectory(sourceDirectory)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(sourceDirectory)) {
            return walk.filter(p -> p.getFileName().toString().endsWith(".resnet") && Files.isRegularFile(p))
                    .sorted((a, b) -> relative(sourceDirectory, a).compareTo(relative(sourceDirectory, b)))
                    .collect(Collectors.toList());
        }
    }

    /** Hash of everything the output depends on. */
    String fingerprint(List<Path> specs) throws IOException {
        StringBuilder in = new StringBuilder();
        in.append("generator ")
                .append(GeneratorVersion.VERSION)
                .append(' ')
                .append(generatorJarHash())
                .append('\n');
        in.append("package ")
                .append(packageName.isEmpty() ? "<from folders>" : packageName)
                .append('\n');
        in.append("failOnWarnings ").append(failOnWarnings).append('\n');
        in.append("base ").append(displayName(sourceDirectory)).append('\n');
        for (Path spec : specs) {
            in.append("spec ")
                    .append(relative(sourceDirectory, spec))
                    .append(' ')
                    .append(NetworkMetadata.sha256(Files.readAllBytes(spec)))
                    .append('\n');
        }
        return NetworkMetadata.sha256(in.toString());
    }

    private String packageOf(Path spec) throws SpecErrors {
        if (!packageName.isEmpty()) {
            return packageName;
        }
        Path dir = sourceDirectory.relativize(spec.getParent());
        String derived = dir.toString().replace('\\', '/').replace('/', '.');
        if (derived.isEmpty()) {
            throw new SpecErrors(List.of(displayName(spec) + ": error: no package for the generated classes: set"
                    + " <packageName> in the plugin configuration, or put the file in a folder named after the"
                    + " package (" + displayName(sourceDirectory) + "/com/example/" + spec.getFileName() + ")"));
        }
        checkPackage(derived, "the folder of " + displayName(spec));
        return derived;
    }

    private static void checkPackage(String name, String what) throws SpecErrors {
        try {
            JavaNames.requirePackageName(name);
        } catch (IllegalArgumentException e) {
            throw new SpecErrors(List.of(what + ": error: " + e.getMessage()));
        }
    }

    /** The path as shown to users and recorded in generated code: relative to the project, with '/'. */
    private String displayName(Path file) {
        Path shown = file.startsWith(baseDirectory) ? baseDirectory.relativize(file) : file;
        return shown.toString().replace('\\', '/');
    }

    private static String relative(Path dir, Path file) {
        return dir.relativize(file).toString().replace('\\', '/');
    }

    /** The listed files if the state file records {@code fingerprint} (any fingerprint if null), else null. */
    private static List<Path> readState(Path stateFile, String fingerprint) throws IOException {
        if (!Files.isRegularFile(stateFile)) {
            return null;
        }
        List<String> lines = Files.readAllLines(stateFile, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).startsWith(FINGERPRINT_PREFIX)) {
            return null;
        }
        if (fingerprint != null && !lines.get(0).equals(FINGERPRINT_PREFIX + fingerprint)) {
            return null;
        }
        List<Path> files = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.startsWith(IMPORT_PREFIX)) {
                continue;
            }
            Path p = Path.of(line).normalize();
            // Never trust the state file to point outside the output directory.
            if (!line.isBlank() && !p.isAbsolute() && !p.startsWith("..") && line.endsWith(".java")) {
                files.add(p);
            }
        }
        return files;
    }

    /** SHA-256 of the generator's jar, so a rebuilt SNAPSHOT generator regenerates; empty when run from classes. */
    private static String generatorJarHash() {
        CodeSource source = ModelClassGenerator.class.getProtectionDomain().getCodeSource();
        if (source == null) {
            return "";
        }
        try {
            Path jar = Path.of(source.getLocation().toURI());
            return Files.isRegularFile(jar) ? NetworkMetadata.sha256(Files.readAllBytes(jar)) : "";
        } catch (URISyntaxException | IllegalArgumentException e) {
            return "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
