package dev.resnetdsl.generator.codegen;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * One generated Java source file.
 *
 * @param packageName the package ({@code com.example.models})
 * @param simpleName the class name (the model name)
 * @param source the complete source text; ASCII only
 */
public record GeneratedClass(String packageName, String simpleName, String source) {
    /** {@code com.example.models.ResNet50}. */
    public String qualifiedName() {
        return packageName.isEmpty() ? simpleName : packageName + "." + simpleName;
    }

    /** Path of the file below a source root: {@code com/example/models/ResNet50.java}. */
    public Path relativePath() {
        Path path = Path.of("");
        if (!packageName.isEmpty()) {
            for (String part : packageName.split("\\.")) {
                path = path.resolve(part);
            }
        }
        return path.resolve(simpleName + ".java");
    }

    /** The bytes written to disk. */
    public byte[] bytes() {
        return source.getBytes(StandardCharsets.UTF_8);
    }
}
