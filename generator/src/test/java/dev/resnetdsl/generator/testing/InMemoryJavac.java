package dev.resnetdsl.generator.testing;

import dev.resnetdsl.generator.codegen.GeneratedClass;
import dev.resnetdsl.runtime.net.Network;
import dev.resnetdsl.training.bundle.TrainingBundle;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Compiles generated sources in memory with javac, against the runtime's and training's classes only (which
 * is what a generated class may depend on), with every lint warning enabled and turned into an error.
 */
public final class InMemoryJavac {
    private InMemoryJavac() {}

    /** Compiles {@code classes} and returns a loader that defines them (its parent sees the runtime). */
    public static ClassLoader compile(List<GeneratedClass> classes) throws Exception {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        StandardJavaFileManager standard =
                javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8);
        Map<String, ByteArrayOutputStream> outputs = new HashMap<>();
        ForwardingJavaFileManager<StandardJavaFileManager> files = new ForwardingJavaFileManager<>(standard) {
            @Override
            public JavaFileObject getJavaFileForOutput(
                    Location location, String className, JavaFileObject.Kind kind, FileObject sibling) {
                return new SimpleJavaFileObject(URI.create("mem:///" + className.replace('.', '/') + ".class"), kind) {
                    @Override
                    public OutputStream openOutputStream() {
                        ByteArrayOutputStream out = new ByteArrayOutputStream();
                        outputs.put(className, out);
                        return out;
                    }
                };
            }
        };
        List<JavaFileObject> sources = new ArrayList<>();
        for (GeneratedClass c : classes) {
            sources.add(
                    new SimpleJavaFileObject(
                            URI.create("mem:///" + c.relativePath().toString().replace('\\', '/')),
                            JavaFileObject.Kind.SOURCE) {
                        @Override
                        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                            return c.source();
                        }
                    });
        }
        // Exactly the jars generated code may depend on: runtime (network IR), training (bundles) and api.
        String classpath = String.join(
                java.io.File.pathSeparator,
                location(Network.class),
                location(TrainingBundle.class),
                location(dev.resnetdsl.api.Classifier.class));
        List<String> options = List.of("--release", "17", "-Xlint:all", "-Werror", "-classpath", classpath);
        boolean ok =
                javac.getTask(null, files, diagnostics, options, null, sources).call();
        StringBuilder report = new StringBuilder();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            report.append(d).append('\n');
        }
        if (!ok || !diagnostics.getDiagnostics().isEmpty()) {
            throw new AssertionError("generated code does not compile cleanly:\n" + report);
        }
        return new ClassLoader(InMemoryJavac.class.getClassLoader()) {
            @Override
            protected Class<?> findClass(String name) throws ClassNotFoundException {
                ByteArrayOutputStream out = outputs.get(name);
                if (out == null) {
                    throw new ClassNotFoundException(name);
                }
                byte[] bytes = out.toByteArray();
                return defineClass(name, bytes, 0, bytes.length);
            }
        };
    }

    private static String location(Class<?> type) throws Exception {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString();
    }

    /** Calls the static, no-argument {@code network()} of a generated class. */
    public static Network network(ClassLoader loader, GeneratedClass c) throws Exception {
        return (Network)
                loader.loadClass(c.qualifiedName()).getMethod("network").invoke(null);
    }
}
