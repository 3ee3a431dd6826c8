package dev.resnetdsl.grammar.format;

import dev.resnetdsl.grammar.spec.SourcePosition;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Optional;

/**
 * Structural equality of AST records that ignores where things were written: source positions and the raw
 * declaration text (which a formatter is supposed to change).
 */
final class AstComparison {
    private AstComparison() {}

    /** An empty string when {@code a} and {@code b} are equal ignoring positions; otherwise where they differ. */
    static String difference(Object a, Object b, String path) {
        if (a == null || b == null) {
            return a == b ? "" : path + ": " + a + " vs " + b;
        }
        if (a.getClass() != b.getClass()) {
            return path + ": " + a.getClass().getSimpleName() + " vs "
                    + b.getClass().getSimpleName();
        }
        if (a instanceof SourcePosition) {
            return "";
        }
        if (a instanceof Optional<?> oa) {
            Optional<?> ob = (Optional<?>) b;
            return difference(oa.orElse(null), ob.orElse(null), path);
        }
        if (a instanceof List<?> la) {
            List<?> lb = (List<?>) b;
            if (la.size() != lb.size()) {
                return path + ": " + la.size() + " items vs " + lb.size();
            }
            for (int i = 0; i < la.size(); i++) {
                String d = difference(la.get(i), lb.get(i), path + "[" + i + "]");
                if (!d.isEmpty()) {
                    return d;
                }
            }
            return "";
        }
        if (a.getClass().isRecord()) {
            for (RecordComponent component : a.getClass().getRecordComponents()) {
                if (component.getName().equals("sourceText")
                        || component.getName().equals("sourceName")) {
                    continue;
                }
                try {
                    Object va = component.getAccessor().invoke(a);
                    Object vb = component.getAccessor().invoke(b);
                    String d = difference(va, vb, path + "." + component.getName());
                    if (!d.isEmpty()) {
                        return d;
                    }
                } catch (ReflectiveOperationException e) {
                    throw new AssertionError(e);
                }
            }
            return "";
        }
        return a.equals(b) ? "" : path + ": " + a + " vs " + b;
    }
}
