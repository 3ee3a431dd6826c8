package dev.resnetdsl.generator.codegen;

import dev.resnetdsl.grammar.JavaKeywords;
import dev.resnetdsl.grammar.JavaLangNames;
import java.util.regex.Pattern;

/**
 * Checks that names coming from a spec or a user's option are safe to put into Java source as they are. The
 * analyzer already rejects bad model names with a positioned error; these checks are the generator's own
 * guarantee that nothing a user writes can produce uncompilable or injected code.
 */
public final class JavaNames {
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** Longest class name accepted: the file name {@code Name.java} must fit common file-system limits. */
    public static final int MAX_CLASS_NAME_LENGTH = 200;

    private JavaNames() {}

    /**
     * Returns {@code name} if it can be a Java class name (ASCII letters, digits and {@code _}, not starting with
     * a digit, not a keyword or restricted identifier); throws {@link IllegalArgumentException} otherwise.
     */
    public static String requireClassName(String name) {
        String problem = classNameProblem(name);
        if (problem != null) {
            throw new IllegalArgumentException(
                    "model name '" + printable(name) + "' cannot be a Java class name: " + problem);
        }
        return name;
    }

    /** Why {@code name} cannot be a class name, or null if it can. */
    public static String classNameProblem(String name) {
        if (name == null || name.isEmpty()) {
            return "it is empty";
        }
        if (name.length() > MAX_CLASS_NAME_LENGTH) {
            return "it is longer than " + MAX_CLASS_NAME_LENGTH + " characters";
        }
        if (!IDENTIFIER.matcher(name).matches()) {
            return Character.isDigit(name.charAt(0))
                    ? "it starts with a digit"
                    : "only ASCII letters, digits and '_' are allowed, and it must not start with a digit";
        }
        if (JavaKeywords.isReserved(name)) {
            return "it is a Java keyword";
        }
        if (JavaLangNames.isJavaLangType(name)) {
            return "it is the name of java.lang." + name
                    + ", which it would hide from the other classes of its package";
        }
        return null;
    }

    /**
     * Returns {@code packageName} if it is a valid Java package name (dot-separated identifiers as for class
     * names, not in {@code java.*}); the empty string is rejected because generated classes must be importable.
     */
    public static String requirePackageName(String packageName) {
        if (packageName == null || packageName.isEmpty()) {
            throw new IllegalArgumentException(
                    "package name is empty: generated classes need a package so other code can import them");
        }
        for (String part : packageName.split("\\.", -1)) {
            if (part.isEmpty() || !IDENTIFIER.matcher(part).matches() || JavaKeywords.isReserved(part)) {
                throw new IllegalArgumentException("package name '" + printable(packageName)
                        + "' is not a valid Java package name ('" + printable(part)
                        + "' is not an identifier of ASCII letters, digits and '_', or is a keyword)");
            }
        }
        if (packageName.equals("java") || packageName.startsWith("java.")) {
            throw new IllegalArgumentException(
                    "package name '" + packageName + "' is reserved for the Java platform; choose another");
        }
        return packageName;
    }

    /** The name with control and non-ASCII characters shown as {@code \\uXXXX}, for error messages. */
    static String printable(String name) {
        if (name == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < name.length() && i < 120; i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return name.length() > 120 ? sb + "..." : sb.toString();
    }
}
