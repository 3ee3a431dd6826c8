package dev.resnetdsl.grammar.analysis;

import dev.resnetdsl.grammar.Diagnostic;
import dev.resnetdsl.grammar.SourceLines;
import dev.resnetdsl.grammar.spec.SourcePosition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Collects the diagnostics of one compilation. A message reported twice at the same place (a base model's error
 * seen again through a model that extends it) is kept once.
 */
public final class Problems {
    private final Map<String, SourceLines> sources = new HashMap<>();
    private final Set<Diagnostic> diagnostics = new LinkedHashSet<>();
    /** Diagnostics printed right after the one they explain (an imported file's errors after the import's). */
    private final Map<Diagnostic, List<Diagnostic>> details = new HashMap<>();

    /** Makes the lines of {@code sourceName} available for quoting. */
    public void addSource(String sourceName, String text) {
        sources.put(sourceName, SourceLines.of(text));
    }

    /** Reports an error at {@code position}. */
    public void error(SourcePosition position, String message) {
        diagnostics.add(Diagnostic.error(position, message, sources.get(position.file())));
    }

    /** Adds diagnostics made elsewhere (for example a file's syntax errors). */
    public void addAll(List<Diagnostic> more) {
        diagnostics.addAll(more);
    }

    /** Reports an error at {@code position}, followed in the output by {@code explanation} (kept in its order). */
    public void error(SourcePosition position, String message, List<Diagnostic> explanation) {
        Diagnostic d = Diagnostic.error(position, message, sources.get(position.file()));
        if (diagnostics.add(d)) {
            details.put(d, List.copyOf(explanation));
        }
    }

    /** How many diagnostics there are so far; compare before and after a step to see whether it failed. */
    public int count() {
        return diagnostics.size();
    }

    /**
     * The diagnostics in file order: grouped by file (files in the order they first got a diagnostic), by line and
     * column within a file; an explained diagnostic is followed by its explanation.
     */
    public List<Diagnostic> diagnostics() {
        Map<String, List<Diagnostic>> byFile = new LinkedHashMap<>();
        for (Diagnostic d : diagnostics) {
            byFile.computeIfAbsent(d.position().file(), f -> new ArrayList<>()).add(d);
        }
        List<Diagnostic> ordered = new ArrayList<>();
        for (List<Diagnostic> group : byFile.values()) {
            group.sort(Comparator.comparingInt((Diagnostic d) -> d.position().line())
                    .thenComparingInt(d -> d.position().column()));
            for (Diagnostic d : group) {
                ordered.add(d);
                ordered.addAll(details.getOrDefault(d, List.of()));
            }
        }
        return List.copyOf(ordered);
    }
}
